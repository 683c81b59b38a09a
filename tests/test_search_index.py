"""The search index: built from the built HTML by the MkDocs hook or `feedsite index`, holding
only published article text, and swapped in so readers never find it partial or missing."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from benchmarks.serve_loop import stop_serve
from selectolax.lexbor import LexborHTMLParser

from feedsite.cli import run
from feedsite.hosting.policy import policy_for_site
from feedsite.search.config import BUNDLE_DIR
from feedsite.search.index import ENTRY_FILE, MANIFEST_FILE, publish
from feedsite.search.live import LiveIndexer
from feedsite.search.script_tuning import FAST, SLOW, tune_script
from site_project import REPO, DummyArticle, build, make_project, pagefind_fragments

SEARCH_HOOK = REPO / "scripts" / "feedsite" / "search" / "mkdocs_hook.py"
ARTICLES = [
    DummyArticle(slug="hair-basics", title="Hair follicles explained",
                 description="What a follicle is.",
                 paragraphs=("Follicles rest, grow and shed in cycles.",),
                 sections=("Growth phases", "When to see a doctor")),
    DummyArticle(slug="sleep", title="Sleep and shedding", description="Nights and hair.",
                 paragraphs=("Short nights raise stress hormones.",),
                 sections=("Stress hormones",)),
    DummyArticle(slug="unpublished", title="Draft about minoxidil", description="Not yet.",
                 paragraphs=("Minoxidil text that nobody may find yet.",),
                 sections=("Dosage",)),
]
DRAFT_SLUG = "unpublished"


@dataclass(frozen=True)
class IndexedPage:
    """One page as Pagefind stored it (decoded from its fragment file)."""

    url: str
    title: str
    content: str
    anchors: tuple[str, ...]


def indexed_pages(site: Path) -> dict[str, IndexedPage]:
    """The published index's pages by URL, read from the fragments its manifest lists."""
    pages: dict[str, IndexedPage] = {}
    for _path, record in pagefind_fragments(site).values():
        pages[record["url"]] = IndexedPage(
            url=record["url"],
            title=record["meta"]["title"],
            content=record["content"],
            anchors=tuple(anchor["id"] for anchor in record["anchors"]),
        )
    return pages


def write_config(root: Path, hooks: list[str]) -> Path:
    """Replace the test project's hooks (make_project drops them all) with `hooks`."""
    config_file = root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["hooks"] = hooks
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    return config_file


def mark_draft(root: Path, slug: str) -> None:
    page = root / "docs" / "articles" / f"{slug}.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("generator: feedsite", "generator: feedsite\ndraft: true", 1),
                    encoding="utf-8")


def new_project(base: Path) -> Path:
    root = make_project(base, ARTICLES)
    mark_draft(root, DRAFT_SLUG)
    return root


@pytest.fixture(scope="module")
def hooked_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`mkdocs build` with the search hook, as the project's mkdocs.yml configures it."""
    root = new_project(tmp_path_factory.mktemp("hooked"))
    write_config(root, [str(SEARCH_HOOK)])
    return build(root).site


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same project built without any hook: no index until `feedsite index` runs."""
    return build(new_project(tmp_path_factory.mktemp("plain"))).site


# -- what the index holds ------------------------------------------------------------------


@pytest.mark.slow
def test_mkdocs_build_indexes_published_articles_only(hooked_site: Path) -> None:
    pages = indexed_pages(hooked_site)
    published = [a for a in ARTICLES if a.slug != DRAFT_SLUG]
    assert sorted(pages) == sorted(f"/articles/{a.slug}/" for a in published)
    for article in published:
        page = pages[f"/articles/{article.slug}/"]
        assert page.title == article.title
        for section in article.sections:
            assert section in page.content
        assert article.paragraphs[0] in page.content
    # Material's whole-site index is gone: no page downloads it any more.
    assert not (hooked_site / "search").exists()


@pytest.mark.slow
def test_index_holds_article_text_not_page_furniture(hooked_site: Path) -> None:
    page = indexed_pages(hooked_site)["/articles/hair-basics/"]
    article_html = (hooked_site / "articles" / "hair-basics" / "index.html").read_text("utf-8")
    tree = LexborHTMLParser(article_html)
    # The furniture is on the page (so its absence from the index means something) ...
    furniture = [
        tree.css_first(".fs-meta").text(),  # reading time and dates
        tree.css_first(".md-footer").text(),  # previous/next and the footer
        tree.css_first(".md-header").text(),
    ]
    assert all(text.strip() for text in furniture)
    # ... but none of its words are in the index, nor the permalink marks.
    assert "min read" not in page.content and "min read" in furniture[0]
    assert "information only" not in page.content.lower()
    assert "¶" not in page.content
    assert "Feedsite Health Library" not in page.content
    # The section headings are anchors, so a result can open the page at its section.
    ids = [h.attributes["id"] for h in tree.css("[data-pagefind-body] h2[id]")]
    assert ids and set(ids) <= set(page.anchors)


@pytest.mark.slow
def test_the_article_body_is_marked_once_per_published_article(hooked_site: Path) -> None:
    def bodies(path: Path) -> int:
        return len(LexborHTMLParser(path.read_text("utf-8")).css("[data-pagefind-body]"))

    assert bodies(hooked_site / "articles" / "hair-basics" / "index.html") == 1
    assert bodies(hooked_site / "articles" / DRAFT_SLUG / "index.html") == 0
    assert bodies(hooked_site / "index.html") == 0
    assert bodies(hooked_site / "404.html") == 0


@pytest.mark.slow
def test_csp_allows_webassembly_only_where_the_index_is(hooked_site: Path,
                                                         plain_site: Path) -> None:
    with_index = policy_for_site(hooked_site).content_security_policy
    without = policy_for_site(plain_site).content_security_policy
    script_src = next(d for d in with_index.split(";") if d.strip().startswith("script-src"))
    assert "'wasm-unsafe-eval'" in script_src.split()
    assert "'unsafe-eval'" not in with_index.split() and "'unsafe-inline'" not in with_index
    assert "'wasm-unsafe-eval'" not in without


# -- the command (after `zensical build`, or any builder) -----------------------------------


@pytest.mark.slow
def test_feedsite_index_gives_the_same_index_as_the_hook(
    hooked_site: Path, plain_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(plain_site, site)
    assert not (site / BUNDLE_DIR).exists()

    assert run(["index", "--site", str(site)]) == 0

    assert indexed_pages(site) == indexed_pages(hooked_site)
    err = capsys.readouterr().err
    assert err.startswith("feedsite index: 2 page(s) indexed into ") and err.count("\n") == 1


def test_every_published_index_file_is_whole(plain_site: Path, tmp_path: Path) -> None:
    # Pagefind's Python service reported "written" with writes still in flight and was then
    # killed, which once left an empty entry file; each round here must publish whole files.
    site = tmp_path / "site"
    shutil.copytree(plain_site, site)
    for _ in range(3):
        assert run(["index", "--site", str(site)]) == 0
        bundle = site / BUNDLE_DIR
        for rel in (bundle / MANIFEST_FILE).read_text(encoding="utf-8").split():
            data = (bundle / rel).read_bytes()
            assert data, rel
            if rel.endswith((".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter")):
                assert gzip.decompress(data).startswith(b"pagefind_dcd"), rel
        entry = json.loads((bundle / ENTRY_FILE).read_text(encoding="utf-8"))
        assert sum(lang["page_count"] for lang in entry["languages"].values()) == 2
        (site / "index.html").touch()  # a rebuild, as far as the next round knows


def test_the_published_script_looks_for_a_ready_index_every_5_ms(hooked_site: Path) -> None:
    # The pinned Pagefind's wait loop, as published: a first search starts within 5 ms of
    # the index being ready, not 50. The rest of the script is Pagefind's own.
    script = (hooked_site / BUNDLE_DIR / "pagefind.js").read_text(encoding="utf-8")
    assert script.count(FAST) == 1
    assert SLOW not in script
    assert script.count("asyncSleep(50)") >= 1  # other loops (merging indexes) unchanged


def test_a_script_without_the_known_wait_loop_is_published_unchanged(tmp_path: Path) -> None:
    other = "const pagefind_version='9.9.9';async getPtr(){await asyncSleep(50);}"
    (tmp_path / "pagefind.js").write_text(other, encoding="utf-8")
    assert tune_script(tmp_path) is False
    assert (tmp_path / "pagefind.js").read_text(encoding="utf-8") == other
    (tmp_path / "pagefind.js").write_text(SLOW + SLOW, encoding="utf-8")  # ambiguous: left
    assert tune_script(tmp_path) is False
    known = f"let a=1;\r\n{SLOW}\r\n/* \u00e9 */".encode()
    (tmp_path / "pagefind.js").write_bytes(known)
    assert tune_script(tmp_path) is True
    assert (tmp_path / "pagefind.js").read_bytes() == known.replace(SLOW.encode(), FAST.encode())
    (tmp_path / "pagefind.js").unlink()
    assert tune_script(tmp_path) is False


def test_feedsite_index_refuses_a_folder_that_is_not_a_built_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.html").write_text("<p>not a site</p>", encoding="utf-8")

    assert run(["index", "--site", str(tmp_path)]) == 2

    err = capsys.readouterr().err
    assert err == (
        f"feedsite index: error: {tmp_path.resolve()}: no index.html here; build the site first "
        "(mkdocs build or zensical build) and pass its folder with --site\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.html"]


# -- publishing: never partial, never missing ----------------------------------------------


def fake_index(parent: Path, generation: int, shared: str = "pagefind.js") -> Path:
    """A staging folder shaped like Pagefind's output: hashed chunks plus the entry file."""
    staging = parent / f"staging-{generation}"
    (staging / "fragment").mkdir(parents=True)
    (staging / shared).write_text("// same in every generation", encoding="utf-8")
    (staging / f"pagefind.g{generation}.pf_meta").write_text(str(generation), encoding="utf-8")
    (staging / "fragment" / f"g{generation}.pf_fragment").write_text("x", encoding="utf-8")
    entry = {"version": "test", "languages": {"en": {"hash": f"g{generation}", "page_count": 1}}}
    (staging / ENTRY_FILE).write_text(json.dumps(entry), encoding="utf-8")
    return staging


def empty_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    return site / BUNDLE_DIR


def live_files(bundle: Path) -> set[str]:
    return {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}


def test_publish_keeps_the_previous_index_one_round(tmp_path: Path) -> None:
    bundle = empty_site(tmp_path)
    for generation in (1, 2, 3):
        publish(fake_index(tmp_path, generation), bundle)
        entry = json.loads((bundle / ENTRY_FILE).read_text(encoding="utf-8"))
        assert entry["languages"]["en"]["hash"] == f"g{generation}"
        kept = {g for g in (1, 2, 3) if (bundle / f"pagefind.g{g}.pf_meta").is_file()}
        # The newest and the one before it: a search that started earlier still finds chunks.
        assert kept == {generation, generation - 1} - {0}
        assert (bundle / "fragment" / f"g{generation}.pf_fragment").is_file()
    assert live_files(bundle) == {
        ENTRY_FILE, MANIFEST_FILE, "pagefind.js", "pagefind.g2.pf_meta", "pagefind.g3.pf_meta",
        "fragment/g2.pf_fragment", "fragment/g3.pf_fragment",
    }
    assert (bundle / MANIFEST_FILE).read_text(encoding="utf-8").split() == sorted(
        [ENTRY_FILE, "fragment/g3.pf_fragment", "pagefind.g3.pf_meta", "pagefind.js"]
    )


def test_a_reader_never_finds_the_index_partial_or_missing(tmp_path: Path) -> None:
    bundle = empty_site(tmp_path)
    publish(fake_index(tmp_path, 0), bundle)
    problems: list[str] = []
    done = threading.Event()

    def live_generation() -> int:
        entry = json.loads((bundle / ENTRY_FILE).read_text(encoding="utf-8"))
        return int(entry["languages"]["en"]["hash"][1:])

    def reader() -> None:
        # What pagefind.js does: read the entry, then fetch the chunk it names.
        while not done.is_set():
            try:
                seen = live_generation()
            except (OSError, ValueError) as exc:
                problems.append(f"entry: {exc}")
                continue
            # Chunks outlive one more publish; a reader slower than two may miss them.
            missing = not (bundle / f"pagefind.g{seen}.pf_meta").is_file()
            if missing and live_generation() <= seen + 1:
                problems.append(f"g{seen}: chunk missing")

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for generation in range(1, 150):
            publish(fake_index(tmp_path, generation), bundle)
            assert thread.is_alive(), "the reader stopped"
    finally:
        done.set()
        thread.join()
    assert problems == []


@pytest.mark.slow
def test_live_indexer_restores_at_once_and_reindexes_in_the_background(
    plain_site: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(plain_site, site)
    lines: list[str] = []
    live = LiveIndexer(tmp_path / "spare" / BUNDLE_DIR, lines.append)

    live.after_build(site)  # the first build is indexed before it is served
    assert "/articles/sleep/" in indexed_pages(site)
    assert len(lines) == 1
    assert re.fullmatch(r"feedsite search: indexed 2 page\(s\) in \d+\.\d s", lines[0]), lines

    # A clean rebuild empties the site folder and writes a changed page.
    shutil.rmtree(site / BUNDLE_DIR)
    page = site / "articles" / "sleep" / "index.html"
    page.write_text(page.read_text("utf-8").replace("stress hormones", "melatonin", 1), "utf-8")
    live.after_build(site)
    # The previous index is back before the site is served again, then the new one follows.
    assert (site / BUNDLE_DIR / ENTRY_FILE).is_file()
    live.wait(timeout=60)
    assert "melatonin" in indexed_pages(site)["/articles/sleep/"].content
    assert len(lines) == 2
    live.discard_spare()
    assert not (tmp_path / "spare").exists()


# -- mkdocs serve: the index follows edits and is always there -----------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        body: bytes = response.read()
        return body


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = new_project(tmp_path)
    write_config(root, [str(SEARCH_HOOK)])
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}",
         "-f", str(root / "mkdocs.yml")],
        cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        yield root, f"http://127.0.0.1:{port}/"
    finally:
        stop_serve(process)  # Ctrl+C: serve's hooks end and its spare index goes


def served_words(base: str) -> str:
    """All indexed text the server publishes now (manifest -> fragments)."""
    listed = fetch(base + "pagefind/" + MANIFEST_FILE).decode("utf-8").split()
    fragments = [rel for rel in listed if rel.endswith(".pf_fragment")]
    return " ".join(
        gzip.decompress(fetch(base + "pagefind/" + rel)).decode("utf-8") for rel in fragments
    )


def wait_until(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if callable(condition) and condition():
                return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


@pytest.mark.slow
def test_mkdocs_serve_reindexes_after_an_edit(serving: tuple[Path, str]) -> None:
    root, base = serving
    wait_until(lambda: b"Short nights" in fetch(base + "articles/sleep/"), 60, "the first build")
    assert "Short nights" in served_words(base)

    page = root / "docs" / "articles" / "sleep.md"
    page.write_text(page.read_text("utf-8").replace("Short nights", "Zolpidem nights"), "utf-8")
    entry_misses = 0
    deadline = time.monotonic() + 60
    while "Zolpidem" not in served_words(base):
        try:
            fetch(base + "pagefind/" + ENTRY_FILE)
        except urllib.error.HTTPError:
            entry_misses += 1
        assert time.monotonic() < deadline, "the edit never reached the search index"
        time.sleep(0.1)
    assert entry_misses == 0
