"""The checker's building blocks: URL resolution, slug rules, srcset, Markdown line mapping,
and a loader that never crashes on malformed HTML or odd bytes."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import feedsite.check.sources as sources
from check_support import TODAY
from feedsite.check.checks.readability import OTHER_SPACES, _Lines, is_english
from feedsite.check.load import decode_html, element_links, load_page, parse_page, parse_srcset
from feedsite.check.models import Link, normalise_space, normalised_digest, text_digest
from feedsite.check.policy import CheckConfig
from feedsite.check.positions import find_positions
from feedsite.check.report.json_report import dumps_indented
from feedsite.check.resolve import Resolver, Target, site_origin, site_prefix
from feedsite.check.run import CheckRequest, run_checks
from feedsite.check.site import SiteOptions
from feedsite.check.slugs import github_slug, github_slugs, mkdocs_slug, nearest
from feedsite.check.sources import read_markdown, resolve_in_docs
from feedsite.check.structure import page_for_doc
from feedsite.importer.frontmatter import dump_page

FILES = frozenset(
    {"index.html", "a/index.html", "a/b.html", "día/index.html", "img/x.png", "sub dir/p.html"}
)


@pytest.mark.parametrize(
    ("page", "base", "url", "expected"),
    [
        ("index.html", "", "a/", Target("internal", "a/index.html", None, True)),
        ("index.html", "", "a", Target("internal", "a/index.html", None, True)),
        ("a/index.html", "", "../", Target("internal", "index.html", None, True)),
        ("a/index.html", "", "..", Target("internal", "index.html", None, True)),
        ("a/index.html", "", "b.html#x", Target("internal", "a/b.html", "x", True)),
        ("a/index.html", "", "#", Target("internal", "a/index.html", "", True)),
        ("a/index.html", "", "?q=1", Target("internal", "a/index.html", None, True)),
        ("index.html", "", "d%C3%ADa/", Target("internal", "día/index.html", None, True)),
        ("index.html", "", "sub%20dir/p.html", Target("internal", "sub dir/p.html", None, True)),
        ("index.html", "", "#caf%C3%A9", Target("internal", "index.html", "café", True)),
        ("index.html", "", "/img/x.png", Target("internal", "img/x.png", None, True)),
        ("index.html", "", "nope/", Target("internal", "nope/index.html", None, False)),
        ("index.html", "", "../x.html", Target("escapes", "../x.html", None, False)),
        ("index.html", "a/", "b.html", Target("internal", "a/b.html", None, True)),
        ("index.html", "/a/", "#frag", Target("internal", "a/index.html", "frag", True)),
        ("index.html", "https://cdn.example.org/", "x.png", Target("external")),
        ("index.html", "", "", Target("empty")),
        ("index.html", "", "  \n ", Target("empty")),
        ("index.html", "", "javascript:void(0)", Target("javascript")),
        ("index.html", "", "MAILTO:a@b.org", Target("mailto")),
        ("index.html", "", "tel:+1", Target("tel")),
        ("index.html", "", "//cdn.example.org/x", Target("external")),
        ("index.html", "", "https://example.org", Target("external")),
        ("index.html", "", "data:text/plain,x", Target("other")),
    ],
)
def test_resolve(page: str, base: str, url: str, expected: Target) -> None:
    assert Resolver(FILES).resolve(page, base, url) == expected


def test_site_prefix_from_site_url_scopes_root_relative_links() -> None:
    resolver = Resolver(FILES, site_prefix("https://example.org/health/"))
    assert resolver.resolve("index.html", "", "/health/a/") == Target(
        "internal", "a/index.html", None, True
    )
    assert resolver.resolve("index.html", "", "/other/").kind == "escapes"
    assert site_prefix("") == "/"


def test_absolute_urls_on_the_sites_own_origin_are_internal() -> None:
    resolver = Resolver(FILES, "/", site_origin("https://Example.org/"))
    assert resolver.resolve("index.html", "", "https://example.org/a/b.html#x") == Target(
        "internal", "a/b.html", "x", True
    )
    assert resolver.resolve("index.html", "", "https://example.org") == Target(
        "internal", "index.html", None, True
    )
    assert resolver.resolve("index.html", "", "https://example.org.evil/a/").kind == "external"
    # No path before the query or fragment: the home page, as browsers read it, from any page.
    for page in ("index.html", "a/b.html"):
        assert resolver.resolve(page, "", "https://example.org#x") == Target(
            "internal", "index.html", "x", True
        )
        assert resolver.resolve(page, "", "https://example.org?q=1") == Target(
            "internal", "index.html", None, True
        )
    assert resolver.resolve("index.html", "https://example.org/a/", "b.html").exists
    # Protocol-relative, as many CMS templates write them: the same origin, so checked here.
    assert resolver.resolve("a/b.html", "", "//example.org/a/b.html#x") == Target(
        "internal", "a/b.html", "x", True
    )
    assert resolver.resolve("index.html", "", "//EXAMPLE.org/missing/").exists is False
    assert resolver.resolve("index.html", "", "//example.org.evil/a/").kind == "external"
    assert resolver.resolve("index.html", "", "//cdn.example.net/a.js").kind == "external"


# URLs whose target could wrongly be shared between pages by the resolver's memo: fragments
# and queries name the page they are written in; the site's own absolute URLs do not.
_MEMO_URLS = (
    "https://example.org/a/#x",
    "https://example.org/a/?q=1#x",
    "HTTPS://EXAMPLE.ORG/a/b.html#x",
    "https://example.org#x",
    "https://example.org?q=1",
    "https://example.org",
    "?q=1",
    "?q=1#x",
    " ?q=1",
    "#x",
    "\t#x",
    "",
    "b.html?q=1#x",
    "../a/?q#x",
    "//example.org/a/#x",
)
_MEMO_PAGES = ("index.html", "a/index.html", "a/b.html", "sub dir/p.html")


@pytest.mark.parametrize("url", _MEMO_URLS)
def test_remembered_targets_are_the_targets_of_each_page(url: str) -> None:
    """One resolver for the whole site gives every page what a fresh resolver gives it."""
    origin = site_origin("https://example.org/")
    shared = Resolver(FILES, "/", origin)
    for page in (*_MEMO_PAGES, *reversed(_MEMO_PAGES)):
        assert shared.resolve(page, "", url) == Resolver(FILES, "/", origin).resolve(page, "", url)


def test_slug_rules_differ_where_the_hint_matters() -> None:
    assert mkdocs_slug("Café & Crème") == "cafe-creme"
    assert github_slug("Café & Crème") == "café--crème"
    assert github_slug("Is it safe?") == "is-it-safe"
    assert github_slugs(["Setup", "Other", "Setup"]) == {"setup": 0, "other": 1, "setup-1": 2}


def test_nearest_finds_typos_and_ignores_strangers() -> None:
    assert nearest("the-mechansim-of-action", ["intro", "the-mechanism-of-action"]) == (
        "the-mechanism-of-action"
    )
    assert nearest("zzz", ["intro", "summary"]) is None


def test_srcset_candidates() -> None:
    assert parse_srcset("a.png 1x, b.png 2x") == ["a.png", "b.png"]
    assert parse_srcset("  a.png, b.png 480w  ") == ["a.png", "b.png"]
    assert parse_srcset("a.png,b.png 480w") == ["a.png,b.png"]  # one URL, as the spec says
    assert parse_srcset("data:image/png;base64,AAA 1x") == ["data:image/png;base64,AAA"]
    assert parse_srcset("") == []


def test_page_for_doc_follows_mkdocs_layout() -> None:
    assert page_for_doc("index.md") == "index.html"
    assert page_for_doc("a/README.md") == "a/index.html"
    assert page_for_doc("a/b.md") == "a/b/index.html"
    assert page_for_doc("a/b.md", use_directory_urls=False) == "a/b.html"


def test_markdown_links_are_found_where_written() -> None:
    text = (
        "---\ntitle: T\n---\n"
        "# T {#top-id}\n\n"
        "Text [one](a.md#x) and [two](<b c.md>) and ![img](i%20.png \"title\").\n\n"
        "    [not a link](indented-code.md)\n\n"
        "- item [three][ref]\n\n"
        "```\n[not a link](fenced.md)\n```\n\n"
        '<p><a href="raw.md">raw</a><img srcset="s1.png 1x, s2.png 2x"></p>\n\n'
        "[ref]: c.md\n"
    )
    source = read_markdown("page.md", text)
    assert [(link.url, link.line, link.column) for link in source.links] == [
        ("a.md#x", 6, 12),
        ("b c.md", 6, 31),
        ("i%20.png", 6, 51),
        ("c.md", 18, 8),
        ("raw.md", 16, 4),
        ("s1.png", 16, 28),
        ("s2.png", 16, 28),
    ]
    assert [(h.level, h.text, h.line) for h in source.headings] == [(1, "T", 4)]
    assert source.meta == {"title": "T"} and source.meta_lines == {"title": 2}


def test_markdown_links_inside_md_in_html_are_found_where_written() -> None:
    """The importer's HTML lists and quotes hold Markdown (md_in_html); links there are
    Markdown links, while text in plain raw HTML or `markdown="0"` is not."""
    text = (
        "# T\n\n"
        '<ol start="3" markdown="1">\n'
        '<li markdown="span">see [one](a.md), [two][ref] and <a href="raw.md">raw</a></li>\n'
        "<!-- [not a link](comment.md) -->\n"
        '<li markdown="block">\n'
        "[three](b.md#x)\n\n"
        "- nested [four](c.md)\n\n"
        "</li>\n"
        "</ol>\n\n"
        '<div markdown="0">\n[not a link](off.md)\n</div>\n\n'
        "<div>\n[not a link](raw-html.md)\n</div>\n\n"
        "<blockquote markdown>\n[five](d.md) <div>[not a link](child.md)</div>\n</blockquote>\n\n"
        "[ref]: e.md\n"
    )
    source = read_markdown("page.md", text)
    assert [(link.url, link.line, link.column) for link in source.links] == [
        ("a.md", 4, 31),
        ("e.md", 26, 8),  # a reference link: where its URL is defined
        ("raw.md", 4, 53),
        ("b.md#x", 7, 9),
        ("c.md", 9, 17),
        ("d.md", 23, 8),
    ]


@pytest.mark.parametrize(
    ("language", "english"),
    [
        (None, True),
        ("", True),
        (5, True),  # not a language tag: graded as before
        ("en", True),
        ("EN-gb", True),
        ("en_US", True),
        ("eng", True),
        ("fr-ch", False),
        ("de", False),
        (" es-419 ", False),
        ("enx", False),
    ],
)
def test_grade_formulas_apply_to_english_pages_only(language: object, english: bool) -> None:
    assert is_english(language) is english


def test_front_matter_error_is_phrased_with_its_line() -> None:
    source = read_markdown("page.md", "---\ntitle: [\n---\n# T\n")
    assert source.meta_error.startswith("invalid YAML front matter: ")
    assert source.meta_error_line == 2


def test_resolve_in_docs() -> None:
    assert resolve_in_docs("a/b.md", "../c.md#x") == ("c.md", "x")
    assert resolve_in_docs("a/b.md", "#x") == ("a/b.md", "x")
    assert resolve_in_docs("a/b.md", "../../out.md") is None
    assert resolve_in_docs("a/b.md", "https://example.org/") is None


LOADER_PAGE = (
    '<html><head><base href="/x/"></head><body><nav><a href="n.html">n</a></nav>\n'
    '<main>\n<h1 id="t">Title<a class="headerlink" href="#t">¶</a></h1>\n'
    "<p>Para <a href='a.html'>a</a> <code><a href='skip.html'>s</a></code></p>\n"
    "<ul><li>Item <b>one</b></li></ul>\n<div>stray text</div>\n</main></body></html>"
)


def test_loader_reads_content_links_headings_and_blocks() -> None:
    page = parse_page("p/index.html", LOADER_PAGE)
    assert page.base_href == "/x/"
    assert [link.url for link in page.links] == ["#t", "a.html"]
    assert [(h.level, h.id, h.text) for h in page.headings] == [(1, "t", "Title")]
    assert [(kind, digest) for kind, digest, _level, _heading in page.blocks] == [
        ("heading", 0),
        ("paragraph", text_digest("Para a s")),
        ("other", 0),
        ("item", text_digest("Item  one ")),
        ("other", text_digest("stray text")),
    ]
    assert set(page.other_hrefs) == {"n.html", "#t", "a.html", "skip.html"}
    assert page.ids == {"t"}


def test_positions_pass_finds_lines_and_columns_of_the_same_elements() -> None:
    positions = find_positions(LOADER_PAGE)
    assert positions.content_line == 2
    assert positions.links == (("#t", 3, 17), ("a.html", 4, 9))
    assert positions.headings == (("Title¶", 3, 1),)
    assert positions.ids == (("t", 3, 1),)


def test_text_digest_ignores_whitespace_differences_only() -> None:
    assert text_digest(" a\n b\u00a0c ") == text_digest("a b c") != text_digest("a b C")
    assert text_digest(" \n") == 0


def test_decode_html_falls_back_to_windows_1252() -> None:
    assert decode_html("é".encode()) == ("é", "")
    assert decode_html(b"caf\xe9") == ("café", "not valid UTF-8 (byte 3); read as Windows-1252")


HTMLISH = st.lists(
    st.sampled_from(
        ["<", ">", "</", "<a href=", '"', "'", "#", "<h1>", "</h1>", "<h2 id=x>", "<main>",
         "</main>", "<article class='md-content__inner'>", "</article>", "<pre>", "<code>",
         "<img srcset='", ",", " 2x", "<base href=", "&amp;", "&#", "<!--", "-->", "<script>",
         "</script>", "<li>", "<p>", "\n", "\x00", "é", "\ufffd", "<![CDATA[", "<svg>", "=", " "]
    )
    | st.text(max_size=8),
    max_size=60,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(HTMLISH)
def test_parser_never_crashes_on_html_soup(text: str) -> None:
    page = parse_page("index.html", text)
    assert all(isinstance(link.url, str) for link in page.links)
    positions = find_positions(text)
    assert all(line >= 1 and column >= 1 for _, line, column in positions.links)
    assert all(line >= 1 and column >= 1 for _, line, column in positions.headings)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_loader_never_crashes_on_random_bytes(tmp_path_factory: pytest.TempPathFactory,
                                             data: bytes) -> None:
    folder: Path = tmp_path_factory.mktemp("bytes")
    (folder / "index.html").write_bytes(data)
    page = load_page(folder, "index.html")
    assert page.path == "index.html"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_markdown_reader_never_crashes(text: str) -> None:
    source = read_markdown("page.md", text)
    lines = text.count("\n") + 1
    assert all(1 <= link.line <= lines for link in source.links)


def test_unreadable_page_is_reported_not_fatal(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<main><h1>Home</h1><a href="gone.html">x</a></main>')
    (site / "gone.html").symlink_to(tmp_path / "nowhere.html")  # listed, but cannot be opened
    result = run_checks(
        CheckRequest(site=SiteOptions(site_dir=site, jobs=1), config=CheckConfig(),
                     today=TODAY, display_root=tmp_path)
    )
    assert [(f.path, f.rule, f.message) for f in result.findings] == [
        ("site/gone.html", "html-unreadable",
         "cannot be read (No such file or directory); it was not checked"),
    ]


def test_deeply_nested_markup_does_not_overflow() -> None:
    depth = 5_000  # far past Python's recursion limit (1,000)
    page = parse_page("index.html", "<main>" + "<div>" * depth + "<a href='x.html'>x</a></main>")
    assert [link.url for link in page.links] == ["x.html"]


@settings(max_examples=100, deadline=None)
@given(HTMLISH, st.booleans())
def test_a_page_read_from_its_bytes_is_the_page_its_text_gives(
    tmp_path_factory: pytest.TempPathFactory, text: str, bom: bool
) -> None:
    folder: Path = tmp_path_factory.mktemp("utf8")
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8", "surrogatepass")
    (folder / "index.html").write_bytes(data)
    decoded, note = decode_html(data)
    assert load_page(folder, "index.html") == parse_page("index.html", decoded, note)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=12,
)


@given(JSON_VALUES)
def test_json_report_is_laid_out_as_the_standard_library_does(value: object) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_other_spaces_are_every_whitespace_but_the_space_and_the_newline() -> None:
    every = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}
    assert set(OTHER_SPACES) == every - {" ", "\n"}


@given(
    st.lists(st.sampled_from(["a", "b", "ab", " ", "  ", "\t", "\r", "\xa0", "\n", "---"]),
             max_size=20).map("".join),
    st.lists(st.sampled_from(["a", "b", "ab"]), min_size=1, max_size=3).map(" ".join),
)
def test_the_first_line_holding_a_phrase_is_found_as_line_by_line(text: str, phrase: str) -> None:
    lines = _Lines(text)
    expected = next(
        (i for i in range(lines.body, len(lines.lines))
         if phrase in " ".join(lines.lines[i].split())),
        None,
    )
    assert lines.first_holding(phrase) == expected


@pytest.mark.parametrize(("content", "url"), [
    ("0; url=../new/", "../new/"),
    ("0;URL='../new/'", "../new/"),
    ('5, url="../new/"', "../new/"),
    ("0; url = ../new/ ", "../new/"),
    ("0.5;../new/", "../new/"),  # `url=` may be left out
    ("3", None),  # a reload of the same page
    ("0; url=", None),
])
def test_a_refresh_meta_names_the_page_it_redirects_to(content: str, url: str | None) -> None:
    links = element_links("meta", {"http-equiv": "Refresh", "content": content})
    assert [link.url for link in links] == ([url] if url else [])
    assert all(link.kind == "redirect" and link.attr == "content" for link in links)
    # Other metas with a content attribute hold no URL.
    assert element_links("meta", {"http-equiv": "X-UA-Compatible", "content": content}) == []
    assert element_links("meta", {"name": "description", "content": content}) == []


@pytest.mark.parametrize("content", ["", "-2; url=../new/", "3x;url=../new/", "url=../new/"])
def test_a_refresh_browsers_cannot_read_is_kept_as_written(content: str) -> None:
    # The HTML standard wants a delay first; without one browsers stay on the page.
    assert element_links("meta", {"http-equiv": "refresh", "content": content}) == [
        Link("redirect", "invalid", content)
    ]
    assert element_links("meta", {"http-equiv": "refresh"}) == [Link("redirect", "invalid", "")]


def test_generated_front_matter_maps_keys_to_the_lines_yaml_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The importer's front matter is read without PyYAML: data and key lines must not change.
    text = dump_page(
        {"title": "T: x", "previous": {"title": "P", "url": "a.md"}, "source": "a.txt",
         "published": date(2026, 1, 2), "grade": 8.5},
        "\n# T: x\n\nText [a](a.md).\n",
    )  # fmt: skip
    with monkeypatch.context() as patch:
        patch.setattr(sources.yaml, "compose", _not_called)  # the direct path, not PyYAML
        direct = read_markdown("b.md", text)
    assert direct.meta["previous"] == {"title": "P", "url": "a.md"}
    assert direct.meta_lines["source"] == 6 and direct.meta_lines["checksum"] == 9
    monkeypatch.setattr(sources, "read_dumped", lambda block: None)
    assert read_markdown("b.md", text) == direct


def _not_called(*args: object, **kwargs: object) -> None:
    raise AssertionError("PyYAML was asked")


@given(st.text())
def test_normalised_spacing_is_split_and_join(text: str) -> None:
    assert normalise_space(text) == " ".join(text.split())
    assert normalise_space(f" {text}\u00a0x\u2028") == " ".join(f" {text}\u00a0x\u2028".split())


@given(st.text())
def test_text_digest_is_the_digest_of_the_normalised_text(text: str) -> None:
    # The loader's one-call digest must agree with the feed's two steps, or parity would
    # report present paragraphs as missing.
    assert text_digest(text) == normalised_digest(" ".join(text.split()))
    assert text_digest(f"\t{text}  ") == normalised_digest(" ".join(text.split()))


def test_site_files_are_what_os_walk_lists(tmp_path: Path) -> None:
    from feedsite.check.load import walk_files

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "index.html").write_text("x", encoding="utf-8")
    (tmp_path / "top.css").write_text("x", encoding="utf-8")
    (tmp_path / "linked.css").symlink_to(tmp_path / "top.css")
    (tmp_path / "broken.png").symlink_to(tmp_path / "nowhere.png")
    (tmp_path / "folder-link").symlink_to(tmp_path / "a", target_is_directory=True)
    walked = {
        os.path.relpath(os.path.join(folder, name), tmp_path).replace(os.sep, "/")
        for folder, _dirs, files in os.walk(tmp_path) for name in files
    }
    assert set(walk_files(tmp_path)) == walked == {
        "a/b/index.html", "top.css", "linked.css", "broken.png"}
