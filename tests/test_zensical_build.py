"""Slow: the same mkdocs.yml, docs/ and overrides build with Zensical, Material's successor.

The project imports its feed with `feedsite import` and then runs `zensical build --strict`
without the MkDocs hook (Zensical ignores `hooks:`), so nothing a reader needs may live in it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from conftest import REPO
from feedsite.cli import run
from feedsite.importer.decode import decode_feed_bytes
from feedsite.importer.frontmatter import split_page
from feedsite.importer.models import Article
from feedsite.importer.parse import parse_article
from feedsite.project import load_project

pytestmark = pytest.mark.slow

pytest.importorskip(
    "zensical", reason="zensical is not installed: `pip install zensical` to run these tests"
)

SITE_NAME = "Feedsite Health Library"
HOSTILE_FEED = REPO / "tests" / "goldens" / "import" / "hostile.feed.txt"
# A third article, so the middle one has both neighbours; a question heading and a list.
PLAIN_ARTICLE = """\
Sleep and Hair: What the Evidence Says

Sleep affects the hair cycle in ways researchers are still measuring.
Short nights raise stress hormones.

Does sleep change shedding?

Several small studies link poor sleep with more shedding.

- Keep a regular bedtime
- Limit caffeine after noon
"""
TEXT_TAGS = ("h1", "h2", "h3", "p", "li")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
ROBOTS_DIRECTIVES = {"user-agent", "allow", "disallow", "sitemap", "crawl-delay"}


@dataclass(frozen=True)
class ZensicalSite:
    """A project imported from its feed and built by Zensical, with what the build printed."""

    root: Path
    site: Path
    returncode: int
    log: str

    @property
    def articles(self) -> list[Path]:
        return sorted((self.root / "docs" / "articles").glob("*.md"))


def copy_project(root: Path) -> None:
    """The files a checkout needs to build the site, plus the real feed and two more articles."""
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(REPO / name, root / name)
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(REPO / "docs" / "assets", root / "docs" / "assets")
    shutil.copy2(REPO / "docs" / "sw.js", root / "docs" / "sw.js")
    shutil.copy2(REPO / "docs" / "index.md", root / "docs" / "index.md")
    shutil.copytree(REPO / "feed", root / "feed")
    shutil.copy2(HOSTILE_FEED, root / "feed" / "001_hostile.txt")
    # In a topic folder, so the build has a topic page and an article with a topic link.
    (root / "feed" / "sleep").mkdir()
    (root / "feed" / "sleep" / "002_sleep.txt").write_text(PLAIN_ARTICLE, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> ZensicalSite:
    root = tmp_path_factory.mktemp("zensical")
    copy_project(root)
    assert run(["import", "-q", "-f", str(root / "mkdocs.yml"), "--today", "2026-11-26"]) == 0
    result = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict", "-f", str(root / "mkdocs.yml")],
        cwd=root, env={**os.environ, "NO_COLOR": "1"}, capture_output=True, text=True,
        timeout=300, check=False,
    )
    log = ANSI.sub("", result.stdout + result.stderr)
    return ZensicalSite(root=root, site=root / "site", returncode=result.returncode, log=log)


def source_article(built: ZensicalSite, page_md: Path) -> tuple[dict[str, object], Article]:
    """A page's front matter and the feed article it was imported from."""
    page = split_page(page_md.read_text(encoding="utf-8"))
    assert page is not None, page_md
    source = str(page.meta["source"])
    text = decode_feed_bytes((built.root / "feed" / source).read_bytes()).text
    return page.meta, parse_article(source, text, "")


def source_texts(article: Article) -> list[str]:
    texts = [article.title]
    for block in article.blocks:
        texts.extend(block.items if block.kind == "list" else (block.text,))
    return texts


def squash(text: str) -> str:
    return " ".join(text.split())


def built_page(built: ZensicalSite, page_md: Path) -> Path:
    return built.site / "articles" / page_md.stem / "index.html"


def built_page_of(built: ZensicalSite, doc: str) -> Path:
    """The built file of any docs-relative Markdown page (directory URLs)."""
    stem = doc[: -len(".md")]
    folder = stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"
    return (built.site / folder / "index.html").resolve()


def load(path: Path) -> HTMLParser:
    return HTMLParser(path.read_text(encoding="utf-8"))


def only(tree: HTMLParser | Node, selector: str) -> Node:
    found = tree.css(selector)
    assert len(found) == 1, f"expected one {selector!r}, found {len(found)}"
    return found[0]


def next_element(node: Node) -> Node | None:
    """The next sibling element, skipping text and comments as CSS `+` does."""
    sibling = node.next
    while sibling is not None and (sibling.tag or "-").startswith("-"):
        sibling = sibling.next
    return sibling


def article_blocks(tree: HTMLParser) -> list[str]:
    """Texts of the headings, paragraphs and list items in the page's <article>, in order."""
    for anchor in tree.css("article a.headerlink"):
        anchor.decompose()
    return [squash(node.text()) for node in tree.css("article *") if node.tag in TEXT_TAGS]


def resolve(page: Path, href: str) -> Path:
    """The built file a relative link on `page` leads to."""
    target = (page.parent / unquote(urlsplit(href).path)).resolve()
    return target / "index.html" if target.is_dir() else target


def test_zensical_builds_strict_without_issues(built: ZensicalSite) -> None:
    assert built.returncode == 0, built.log
    assert "Warning" not in built.log and "Error" not in built.log, built.log
    assert len(built.articles) == 3
    topics = [source_article(built, page)[0].get("topics") for page in built.articles]
    assert sum(1 for t in topics if t) == 1, "the article in feed/sleep/ has no topic"


def test_every_article_page_shows_its_title_and_every_block(built: ZensicalSite) -> None:
    for page_md in built.articles:
        meta, article = source_article(built, page_md)
        html_file = built_page(built, page_md)
        assert html_file.is_file(), f"{page_md.name} has no built page"
        tree = load(html_file)
        assert squash(only(tree, "article h1").text(deep=False)) == squash(article.title)
        remaining = iter(article_blocks(tree))
        for text in source_texts(article):
            assert any(squash(text) == block for block in remaining), (
                f"{html_file}: missing or out of order: {text!r}"
            )
        assert meta["title"] == article.title


def listed_articles(page: Path) -> dict[Path, str]:
    """Built article files a list page links as cards (`.fs-article-list`), with link texts."""
    lists = load(page).css("article .fs-article-list")
    assert lists, f"{page}: no article list"
    # The first link of each item is the article; the rest of the item is its summary.
    links = [item.css_first("a") for listing in lists for item in listing.css("li")]
    return {
        resolve(page, link.attributes["href"] or ""): squash(link.text())
        for link in links if link is not None
    }


def test_home_and_a_to_z_pages_list_every_article(built: ZensicalSite) -> None:
    expected = {
        built_page(built, page_md).resolve(): squash(source_article(built, page_md)[1].title)
        for page_md in built.articles
    }
    # Three articles: fewer than the home page's newest, so it shows them all.
    assert listed_articles(built.site / "index.html") == expected
    assert listed_articles(built.site / "a-z" / "index.html") == expected


def test_article_pages_carry_meta_line_notice_and_neighbours(built: ZensicalSite) -> None:
    for page_md in built.articles:
        meta, _ = source_article(built, page_md)
        html_file = built_page(built, page_md)
        tree = load(html_file)
        meta_line = next_element(only(tree, "article h1"))
        assert meta_line is not None and "fs-meta" in (meta_line.attributes["class"] or "")
        assert [squash(li.text()) for li in meta_line.css("li")] == [
            f"{meta['reading_time']} min read",
            "First published 26 November 2026",
        ]
        body = squash(only(tree, "body").text())
        assert str(meta["source"]) not in body, f"{page_md.name}: feed file name shown"
        notice = only(tree, 'article .fs-about .fs-notice[role="note"]')
        assert "does not replace advice from a doctor" in squash(notice.text())
        assert body.count("Information, not medical advice") == 1
        assert squash(only(tree, "article .fs-provenance").text()) == (
            "From Feedsite Health Library"
        )
        assert squash(only(tree, "article nav.fs-more .fs-more__all").text()) == "All articles"
        primary = only(tree, ".md-sidebar--primary")
        assert "hidden" in primary.attributes
        # Topics and related articles from the front matter, linked to their built pages.
        more = only(tree, "article nav.fs-more")
        for key, selector in (("topics", ".fs-more__topics a"), ("related", ".fs-more__list a")):
            wanted = meta.get(key) or []
            assert isinstance(wanted, list)
            shown = [(resolve(html_file, a.attributes["href"] or ""), squash(a.text()))
                     for a in more.css(selector)]
            assert shown == [(built_page_of(built, str(link["url"])), squash(str(link["title"])))
                             for link in wanted], key
        # The contents list follows the meta line when there are three or more sections.
        sections = [squash(h.text()).rstrip("¶").strip() for h in tree.css("article h2")]
        contents = next_element(meta_line)
        if len(sections) >= 3:
            assert contents is not None and "fs-contents" in (contents.attributes["class"] or "")
            assert [squash(a.text()) for a in contents.css("li a")] == sections
        else:
            assert tree.css(".fs-contents") == []
        links = {
            str(node.attributes["rel"]): node for node in tree.css("footer a[rel]")
            if node.attributes["rel"] in ("prev", "next")
        }
        for rel, key in (("prev", "previous"), ("next", "next")):
            neighbour = meta.get(key)
            if not isinstance(neighbour, dict):
                assert rel not in links, f"{page_md.name}: unexpected {rel} link"
                continue
            link = links[rel]
            target_md = built.root / "docs" / str(neighbour["url"])
            assert resolve(html_file, link.attributes["href"] or "") == (
                built_page(built, target_md).resolve()
            )
            assert squash(only(link, ".md-ellipsis").text()) == squash(str(neighbour["title"]))
    # Feed order chains the three pages: exactly one of them sits between the other two.
    middles = [p for p in built.articles
               if {"previous", "next"} <= set(source_article(built, p)[0])]
    assert len(middles) == 1


def test_feed_text_is_never_markup_in_head_header_or_article(built: ZensicalSite) -> None:
    (page_md,) = [p for p in built.articles if "hostile" in p.name]
    meta, article = source_article(built, page_md)
    html = built_page(built, page_md).read_text(encoding="utf-8")
    assert "<script>alert" not in html
    tree = HTMLParser(html)
    assert only(tree, "title").text() == f"{article.title} - {SITE_NAME}"
    assert squash(only(tree, '[data-md-component="header-topic"]').text()) == squash(
        article.title
    )
    for selector in ('meta[name="description"]', 'meta[property="og:description"]'):
        assert only(tree, selector).attributes["content"] == meta["description"]
    assert only(tree, 'meta[property="og:title"]').attributes["content"] == article.title
    data = json.loads(only(tree, 'script[type="application/ld+json"]').text())
    assert (data["@type"], data["headline"]) == ("MedicalWebPage", article.title)
    assert tree.css("article script, article img, article iframe, article table") == []


def test_home_and_404_head_metadata(built: ZensicalSite) -> None:
    home = load(built.site / "index.html")
    assert only(home, "title").text() == SITE_NAME
    data = json.loads(only(home, 'script[type="application/ld+json"]').text())
    assert data["@type"] == "WebSite" and data["name"] == SITE_NAME
    missing = load(built.site / "404.html")
    assert only(missing, "article h1").text() == "Page not found"
    form = only(missing, 'form[role="search"]')
    assert str(form.attributes["action"]).endswith("/")


def test_sitemap_lists_home_and_every_article(built: ZensicalSite) -> None:
    tree = HTMLParser((built.site / "sitemap.xml").read_text(encoding="utf-8"))
    base = urlsplit(load_project(built.root / "mkdocs.yml").site_url).path.rstrip("/") + "/"
    paths = sorted(urlsplit(node.text().strip()).path for node in tree.css("loc"))
    docs = built.root / "docs"
    pages = [md.relative_to(docs).with_suffix("").as_posix() for md in docs.rglob("*.md")]
    expected = [base + (page[: -len("index")] if page.endswith("index") else page + "/")
                for page in pages]
    assert paths == sorted(expected)
    assert {base, base + "a-z/"} <= set(paths)


def test_reader_feeds_are_published_and_linked(built: ZensicalSite) -> None:
    home = built.site / "index.html"
    hrefs = {
        str(node.attributes["type"]): resolve(home, node.attributes["href"] or "")
        for node in load(home).css('head link[rel~="alternate"]')
    }
    assert hrefs == {
        "application/rss+xml": (built.site / "feed.xml").resolve(),
        "application/atom+xml": (built.site / "atom.xml").resolve(),
        "application/feed+json": (built.site / "feed.json").resolve(),
    }
    assert all(path.is_file() for path in hrefs.values())


def test_robots_txt_allows_crawling_and_names_no_broken_sitemap(built: ZensicalSite) -> None:
    """`feedsite import` writes docs/robots.txt, which Zensical copies as MkDocs does."""
    directives: list[tuple[str, str]] = []
    for line in (built.site / "robots.txt").read_text(encoding="utf-8").splitlines():
        key, colon, value = line.split("#", 1)[0].partition(":")
        if colon and key.strip().lower() in ROBOTS_DIRECTIVES:
            directives.append((key.strip().lower(), value.strip()))
    assert ("user-agent", "*") in directives and ("allow", "/") in directives
    assert ("disallow", "/") not in directives
    sitemaps = [value for key, value in directives if key == "sitemap"]
    assert len(sitemaps) == 1
    assert re.fullmatch(r"https?://[^\s{}]+/sitemap\.xml", sitemaps[0]), sitemaps[0]


def test_search_is_feedsites_dialog_and_feedsite_index_builds_it(
    built: ZensicalSite, tmp_path: Path
) -> None:
    """Zensical ignores hooks: `feedsite index` gives its site the same Pagefind search."""
    dialog = only(load(built.site / "index.html"), "div.md-search")
    assert dialog.attributes.get("role") == "dialog" and dialog.attributes.get("aria-label")
    assert "data-fs-search" in dialog.attributes
    assert dialog.css_first("input.md-search__input") is not None
    site = tmp_path / "site"
    shutil.copytree(built.site, site)
    assert run(["index", "-q", "--site", str(site)]) == 0
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == len(built.articles)


def test_site_chrome_is_the_same_as_under_material(built: ZensicalSite) -> None:
    """One column without the one-item navigation sidebar; the table of contents on articles
    only; print styles and the configured colours in every head; the short notice once."""
    article_files = {built_page(built, page_md) for page_md in built.articles}
    for html_file in sorted(built.site.rglob("index.html")):
        tree = load(html_file)
        assert "hidden" in only(tree, ".md-sidebar--primary").attributes, html_file
        toc_hidden = "hidden" in only(tree, ".md-sidebar--secondary").attributes
        assert toc_hidden == (html_file not in article_files), html_file
        (sheet,) = [n for n in tree.css("head link[rel=stylesheet]")
                    if str(n.attributes["href"]).endswith("assets/stylesheets/print.css")]
        assert sheet.attributes["media"] == "print"
        assert resolve(html_file, str(sheet.attributes["href"])).is_file()
        assert "--md-primary-fg-color:#00796b" in only(tree, "head style").text()
    home = load(built.site / "index.html")
    footer = squash(only(home, "footer .md-copyright").text())
    assert footer == "Information only, not a substitute for advice from a qualified professional."
