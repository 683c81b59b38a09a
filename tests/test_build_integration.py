"""Slow: import a feed into a temp project, run `mkdocs build --strict`, read the built pages."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from benchmarks.serve_loop import stop_serve

from conftest import REPO, TmpProject
from feedsite.cli import run
from feedsite.importer.decode import decode_feed_bytes
from feedsite.importer.frontmatter import split_page
from feedsite.importer.models import Article
from feedsite.importer.parse import parse_article

GOLDENS = Path(__file__).parent / "goldens" / "import"
TEXT_TAGS = {"h1", "h2", "h3", "p", "li"}

pytestmark = pytest.mark.slow


class _ArticleText(HTMLParser):
    """Texts of the headings, paragraphs and list items inside the page's <article>, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.tags_in_article: list[str] = []
        self.tags_in_block: dict[str, set[str]] = {}  # squashed block text -> tags inside it
        self._nested: list[set[str]] = []
        self._article_depth = 0
        self._open: list[list[str]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self._article_depth += 1
        if not self._article_depth:
            return
        self.tags_in_article.append(tag)
        if self._skip or ("class", "headerlink") in attrs:
            self._skip += 1
            return
        for nested in self._nested:
            nested.add(tag)
        if tag in TEXT_TAGS:
            self._open.append([])
            self._nested.append(set())

    def handle_endtag(self, tag: str) -> None:
        if not self._article_depth:
            return
        if tag == "article":
            self._article_depth -= 1
        if self._skip:
            self._skip -= 1
        elif tag in TEXT_TAGS and self._open:
            text = "".join(self._open.pop())
            self.blocks.append(text)
            self.tags_in_block[squash(text)] = self._nested.pop() - {tag}

    def handle_data(self, data: str) -> None:
        if self._article_depth and not self._skip:
            for buffer in self._open:
                buffer.append(data)


def read_built(html_file: Path) -> _ArticleText:
    parser = _ArticleText()
    parser.feed(html_file.read_text(encoding="utf-8"))
    parser.close()
    return parser


def squash(text: str) -> str:
    return "".join(text.split())


def source_texts(article: Article) -> list[str]:
    texts = [article.title]
    for block in article.blocks:
        texts.extend(block.items if block.kind == "list" else (block.text,))
    return texts


def assert_in_order(expected: list[str], built: list[str], page: Path) -> None:
    remaining = iter(squash(b) for b in built)
    for text in expected:
        found = any(squash(text) == b for b in remaining)
        assert found, f"{page}: missing or out of order: {text!r}"


def mkdocs_build(root: Path, site: Path, config: str = "mkdocs.yml") -> str:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FEEDSITE_IMPORT_HOOK": "0"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / config),
         "-d", str(site)],
        cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def import_and_build(project: TmpProject, tmp_path: Path) -> Path:
    assert run(["import", "-q", "-f", str(project.config_file), "--today", "2026-11-26"]) == 0
    # The hook is left out: after `feedsite import` the site must build without it.
    (project.root / "mkdocs-nohook.yml").write_text(
        "INHERIT: mkdocs.yml\nhooks: []\n", encoding="utf-8")
    site = tmp_path / "site"
    mkdocs_build(project.root, site, "mkdocs-nohook.yml")
    return site


def built_page(site: Path, page_md: Path) -> Path:
    return site / "articles" / page_md.stem / "index.html"


def test_every_block_of_the_real_feed_is_in_the_built_pages(
    project: TmpProject, tmp_path: Path,
) -> None:
    for feed_file in sorted((REPO / "feed").glob("*.txt")):
        shutil.copy2(feed_file, project.feed / feed_file.name)
    site = import_and_build(project, tmp_path)
    pages = sorted(project.articles.glob("*.md"))
    assert len(pages) == len(list(project.feed.glob("*.txt"))) > 0
    for page_md in pages:
        page = split_page(page_md.read_text(encoding="utf-8"))
        assert page is not None
        data = (project.feed / page.meta["source"]).read_bytes()
        article = parse_article(page.meta["source"], decode_feed_bytes(data).text, "")
        html_file = built_page(site, page_md)
        assert_in_order(source_texts(article), read_built(html_file).blocks, html_file)
    for name in ("feed.xml", "atom.xml", "feed.json"):
        assert (site / name).is_file()


def test_hostile_text_builds_strict_and_shows_literally(
    project: TmpProject, tmp_path: Path, assert_golden: Callable[[Path, str], None],
) -> None:
    source = GOLDENS / "hostile.feed.txt"
    shutil.copy2(source, project.feed / "001_hostile.txt")
    site = import_and_build(project, tmp_path)
    (page_md,) = project.articles.glob("*.md")
    assert_golden(GOLDENS / "hostile.md", page_md.read_text(encoding="utf-8"))
    article = parse_article("001_hostile.txt", source.read_text(encoding="utf-8"), "")
    built = read_built(built_page(site, page_md))
    assert_in_order(source_texts(article), built.blocks, page_md)
    # Nothing in the text became markup: the blocks hold plain text, and the article has no
    # script, image, frame, fence, table or details anywhere.
    for text in source_texts(article):
        assert built.tags_in_block[squash(text)] == set(), text
    assert not {"script", "img", "iframe", "pre", "table", "details"} & set(
        built.tags_in_article)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for(url: str, needle: str, seconds: float) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with opener.open(url, timeout=5) as response:
                if needle in response.read().decode("utf-8"):
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_serve_shows_a_feed_edit_and_settles(project: TmpProject, tmp_path: Path) -> None:
    """The authors' loop: `mkdocs serve` re-imports on a feed edit, then stops rebuilding."""
    feed_file = project.write_feed("001_a.txt", "Alpha\n\nFirst version of the text.\n")
    port = _free_port()
    log_path = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("FEEDSITE_IMPORT_HOOK", None)
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project.root, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            page = f"http://127.0.0.1:{port}/articles/alpha/"
            assert _wait_for(page, "First version of the text.", 90), log_path.read_text()
            feed_file.write_text("Alpha\n\nSecond version of the text.\n", encoding="utf-8")
            assert _wait_for(page, "Second version of the text.", 90), log_path.read_text()
            time.sleep(4)  # any rebuild loop would keep building during this pause
            builds = log_path.read_text().count("Building documentation")
            time.sleep(4)
            assert log_path.read_text().count("Building documentation") == builds
        finally:
            stop_serve(server)
    assert "WARNING" not in log_path.read_text()

