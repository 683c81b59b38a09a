"""The host policy: CSP hashes computed from built pages, cache rules, types, `_headers`."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from feedsite.commands import headers_cmd
from feedsite.errors import UserError
from feedsite.hosting.policy import (
    IMMUTABLE,
    REVALIDATE,
    cache_control,
    content_security_policy,
    content_type,
    is_compressible,
    is_fingerprinted,
    policy_for_site,
    render_headers_file,
    scan_inline_code,
    sha256_source,
)
from feedsite.hosting.server import accepts_gzip
from site_project import build, dummy_articles, make_project


def directive(csp: str, name: str) -> list[str]:
    """The sources of one CSP directive (empty when absent)."""
    for part in csp.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    return []


def page(tmp_path: Path, name: str, html: str) -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def test_hash_matches_the_csp_specification_example() -> None:
    # The worked example from the CSP Level 3 specification / MDN.
    assert sha256_source("alert('Hello, world.');") == (
        "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
    )


def test_hash_is_taken_after_html_newline_normalisation() -> None:
    assert sha256_source("a();\r\nb();\rc();") == sha256_source("a();\nb();\nc();")


def test_only_code_the_browser_runs_is_hashed(tmp_path: Path) -> None:
    html = (
        "<script>alert('Hello, world.');</script>"
        '<script type="module">import("./x.js")</script>'
        '<script src="bundle.js"></script>'
        '<script type="application/json">{"a": 1}</script>'
        '<script type="application/ld+json">{"@type": "WebSite"}</script>'
        "<style>p{color:red}</style>"
        '<p style="color: blue">x</p>'
    )
    code = scan_inline_code([page(tmp_path, "a.html", html)])
    assert code.scripts == tuple(sorted([
        sha256_source("alert('Hello, world.');"), sha256_source('import("./x.js")'),
    ]))
    assert code.styles == (sha256_source("p{color:red}"),)
    assert code.style_attributes == (sha256_source("color: blue"),)


def test_hashes_are_collected_across_pages_once(tmp_path: Path) -> None:
    pages = [page(tmp_path, f"{n}.html", f"<script>x={n % 2}</script>") for n in range(6)]
    assert scan_inline_code(pages).scripts == tuple(sorted({
        sha256_source("x=0"), sha256_source("x=1"),
    }))


def test_policy_directives(tmp_path: Path) -> None:
    html = "<script>go()</script><style>p{}</style>"
    csp = content_security_policy(scan_inline_code([page(tmp_path, "a.html", html)]))
    assert directive(csp, "default-src") == ["'none'"]
    assert directive(csp, "script-src") == ["'self'", sha256_source("go()")]
    assert directive(csp, "style-src") == ["'self'", sha256_source("p{}")]
    assert directive(csp, "img-src") == ["'self'", "data:"]
    assert directive(csp, "worker-src") == ["'self'"]
    assert directive(csp, "frame-ancestors") == ["'none'"]
    assert directive(csp, "style-src-attr") == []
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp


def test_webassembly_is_allowed_only_when_asked() -> None:
    code = scan_inline_code([])
    assert "'wasm-unsafe-eval'" not in content_security_policy(code)
    csp = content_security_policy(code, webassembly=True)
    assert directive(csp, "script-src") == ["'self'", "'wasm-unsafe-eval'"]
    assert "'unsafe-eval'" not in csp.split() and "'unsafe-inline'" not in csp


def test_a_search_bundle_in_the_site_turns_webassembly_on(tmp_path: Path) -> None:
    page(tmp_path, "index.html", "<p>home</p>")
    assert "'wasm-unsafe-eval'" not in policy_for_site(tmp_path).content_security_policy
    bundle = tmp_path / "pagefind"
    bundle.mkdir()
    (bundle / "pagefind.js").write_text("export {}", encoding="utf-8")
    assert "'wasm-unsafe-eval'" not in policy_for_site(tmp_path).content_security_policy
    (bundle / "wasm.en.pagefind").write_bytes(b"\0asm")
    csp = policy_for_site(tmp_path).content_security_policy
    assert directive(csp, "script-src") == ["'self'", "'wasm-unsafe-eval'"]


@pytest.mark.parametrize(
    ("rel", "immutable"),
    [
        ("pagefind/fragment/en_27118af.pf_fragment", True),
        ("pagefind/index/en_b374a07.pf_index", True),
        ("pagefind/filter/en_0a1b2c3.pf_filter", True),
        ("pagefind/pagefind.en_58ac42617a.pf_meta", True),
        ("pagefind/pagefind-entry.json", False),  # the switch to a new index: always fresh
        ("pagefind/pagefind.js", False),
        ("pagefind/wasm.en.pagefind", False),
        ("articles/fragment/x.pf_fragment", False),
    ],
)
def test_search_chunks_are_cached_forever_but_not_the_entry(rel: str, immutable: bool) -> None:
    assert cache_control(rel) == (IMMUTABLE if immutable else REVALIDATE)


def test_headers_file_covers_search_chunks_with_one_rule_per_folder(tmp_path: Path) -> None:
    page(tmp_path, "index.html", "<p>home</p>")
    for rel in ["pagefind/pagefind.js", "pagefind/wasm.en.pagefind",
                "pagefind/pagefind.en_58ac42617a.pf_meta", "pagefind/pagefind-entry.json",
                *(f"pagefind/fragment/en_{n:07x}.pf_fragment" for n in range(50)),
                "pagefind/index/en_b374a07.pf_index"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    policy = policy_for_site(tmp_path)
    assert policy.fingerprinted == ("pagefind/pagefind.en_58ac42617a.pf_meta",)
    assert policy.search_chunk_dirs == ("pagefind/index", "pagefind/fragment")
    lines = render_headers_file(policy).splitlines()
    for rule in ("/pagefind/index/*", "/pagefind/fragment/*",
                 "/pagefind/pagefind.en_58ac42617a.pf_meta"):
        assert lines[lines.index(rule) + 1] == f"  Cache-Control: {IMMUTABLE}"
    assert sum("Cache-Control" in line for line in lines) == 3


def test_style_attributes_need_unsafe_hashes(tmp_path: Path) -> None:
    csp = content_security_policy(
        scan_inline_code([page(tmp_path, "a.html", '<td style="text-align: left">x</td>')])
    )
    assert directive(csp, "style-src-attr") == [
        "'unsafe-hashes'", sha256_source("text-align: left")
    ]


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("assets/javascripts/bundle.a5f9d56c.min.js", True),
        ("assets/javascripts/workers/search.a7633da7.min.js", True),
        ("assets/stylesheets/main.57a0d79d.min.css", True),
        ("assets/stylesheets/main.57a0d79d.min.css.map", True),
        ("assets/stylesheets/site.css", False),
        ("assets/javascripts/lunr/min/lunr.de.min.js", False),
        ("articles/bundle.a5f9d56c.min.js", False),
        ("index.html", False),
    ],
)
def test_fingerprinted_assets(rel: str, expected: bool) -> None:
    assert is_fingerprinted(rel) is expected
    assert cache_control(rel) == (IMMUTABLE if expected else REVALIDATE)


@pytest.mark.parametrize(
    ("rel", "kind", "compress"),
    [
        ("index.html", "text/html; charset=utf-8", True),
        ("feed.xml", "application/rss+xml", True),
        ("atom.xml", "application/atom+xml", True),
        ("feed.json", "application/feed+json", True),
        ("articles/feed.xml", "application/xml", True),
        ("sitemap.xml", "application/xml", True),
        ("sitemap.xml.gz", "application/gzip", False),
        ("search/search_index.json", "application/json", True),
        ("robots.txt", "text/plain; charset=utf-8", True),
        ("assets/images/favicon.png", "image/png", False),
        ("LICENSE", "application/octet-stream", False),
    ],
)
def test_content_types(rel: str, kind: str, compress: bool) -> None:
    assert content_type(rel) == kind
    assert is_compressible(kind) is compress


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip", True), ("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0.8", True),
        ("*", True), ("gzip;q=0", False), ("gzip;q=0.0", False), ("identity", False),
        ("", False), (None, False),
    ],
)
def test_accept_encoding(header: str | None, expected: bool) -> None:
    assert accepts_gzip(header) is expected


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("project"), dummy_articles(3))
    return build(root).site


@pytest.mark.slow
def test_csp_allows_every_inline_script_of_a_built_site(real_site: Path) -> None:
    csp = policy_for_site(real_site).content_security_policy
    allowed = set(directive(csp, "script-src"))
    pages = sorted(real_site.rglob("*.html"))
    assert len(pages) >= 5
    seen = 0
    for path in pages:
        tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
        for script in tree.css("script:not([src])"):
            kind = (script.attributes.get("type") or "").lower()
            if kind in ("", "text/javascript", "module"):
                seen += 1
                assert sha256_source(script.text()) in allowed, path
    assert seen >= 3 * len(pages)  # Material puts several inline scripts on every page
    # Inline styles (the site colours in the head) are allowed by their hashes alone.
    styles = set(directive(csp, "style-src"))
    for path in pages:
        for style in LexborHTMLParser(path.read_text(encoding="utf-8")).css("style"):
            assert sha256_source(style.text()) in styles, path
    assert "'unsafe-inline'" not in styles


@pytest.mark.slow
def test_headers_command_writes_the_static_host_file(real_site: Path) -> None:
    args = argparse.Namespace(site=real_site, output=None)
    assert headers_cmd.run(args) == 0
    written = (real_site / "_headers").read_text(encoding="utf-8")
    policy = policy_for_site(real_site)
    assert written == render_headers_file(policy)
    lines = written.splitlines()
    assert lines[1] == "/*"
    assert f"  Content-Security-Policy: {policy.content_security_policy}" in lines
    assert "  Strict-Transport-Security: max-age=31536000" in lines
    bundles = [rel for rel in policy.fingerprinted if rel.endswith(".min.js")]
    assert any(rel.startswith("assets/javascripts/bundle.") for rel in bundles)
    for rel in policy.fingerprinted:
        where = lines.index(f"/{rel}")
        assert lines[where + 1] == f"  Cache-Control: {IMMUTABLE}"
    assert written.count("Cache-Control") == len(policy.fingerprinted)


def test_headers_command_refuses_an_unbuilt_site(tmp_path: Path) -> None:
    with pytest.raises(UserError):
        headers_cmd.run(argparse.Namespace(site=tmp_path, output=None))
    assert list(tmp_path.iterdir()) == []
