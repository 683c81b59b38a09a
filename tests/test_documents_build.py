"""Slow: the corpus of real-world-shaped feed documents imports and builds strictly; every text
block of each item's sanitised content is on its built page, in order; hostile items are inert."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import TmpProject
from feedsite.cli import run
from feedsite.importer.documents.html_blocks import sanitise
from feedsite.importer.documents.json_feed import looks_like_json, read_json_feed
from feedsite.importer.documents.xml_feed import read_xml_feed
from feedsite.importer.frontmatter import split_page
from test_build_integration import built_page, import_and_build
from test_documents_fidelity import in_order, text_blocks
from test_render_escape import squash, text_and_tags

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
GOLDENS = Path(__file__).parent / "goldens" / "documents"
pytestmark = pytest.mark.slow
_ARTICLE = re.compile(r"<article\b.*?</article>", re.DOTALL)


class _Attributes(HTMLParser):
    """Every (tag, attribute, value) in a piece of HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend((tag, name, value or "") for name, value in attrs)


def expected_blocks(value: str, kind: str) -> list[str]:
    if kind == "html":
        return text_blocks(sanitise(value))
    return [squash(part) for part in value.split("\n\n") if part.strip()]


def test_the_corpus_builds_strictly_and_every_text_block_is_on_its_page(
    project: TmpProject, tmp_path: Path, assert_golden: Callable[[Path, str], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    for fixture in FEEDS.iterdir():
        shutil.copy2(fixture, project.feed / fixture.name)
    site = import_and_build(project, tmp_path)
    pages: dict[str, Path] = {}
    for page_md in project.articles.glob("*.md"):
        page = split_page(page_md.read_text(encoding="utf-8"))
        assert page is not None
        pages[f"{page.meta['source']}#{page.meta['item']}"] = page_md
    checked = 0
    for fixture in sorted(FEEDS.iterdir()):
        data = fixture.read_bytes()
        feed = read_json_feed(data) if looks_like_json(data) else read_xml_feed(data)
        seen: set[str] = set()
        for item in feed.items:
            item_id = item.id or item.link
            if item_id in seen:
                continue  # a duplicate id: only the first item is imported
            seen.add(item_id)
            page_md = pages[f"{fixture.name}#{item_id}"]
            html = built_page(site, page_md).read_text(encoding="utf-8")
            article = _ARTICLE.search(html)
            assert article is not None
            shown, _tags = text_and_tags(article.group())
            content = item.content or item.summary
            if content is not None:
                missing = in_order(expected_blocks(content.value, content.type), squash(shown))
                assert missing is None, f"{page_md.name}: {missing!r} missing or out of order"
            checked += 1
    assert checked == len(pages) == 18
    # The body only: other keys of the front matter belong to other parts of the importer.
    for slug, golden in (("flu-clinics-open-for-the-winter", "flu-clinics.body.md"),
                         ("vaccines-explained-how-they-train-your-immune-system",
                          "vaccines-explained.body.md")):
        page = split_page((project.articles / f"{slug}.md").read_text("utf-8"))
        assert page is not None
        assert_golden(GOLDENS / golden, page.body)
    # An ordered list keeps its first number (Python-Markdown alone would restart at 1).
    vaccines = built_page(site, project.articles / "vaccines-explained-how-they-train-your-"
                                                   "immune-system.md").read_text("utf-8")
    assert '<ol start="3">' in vaccines and 'markdown="' not in vaccines
    capsys.readouterr()
    assert run(["check", "-f", str(project.config_file), "--site", str(site)]) == 0
    report = capsys.readouterr().out
    assert report.rstrip().endswith("0 errors, 3 warnings in 3 files (29 pages checked).")
    assert report.count("image-not-stored") == 3


def test_hostile_items_are_inert_in_the_built_page(project: TmpProject, tmp_path: Path) -> None:
    shutil.copy2(FEEDS / "hostile_items.xml", project.feed / "hostile_items.xml")
    site = import_and_build(project, tmp_path)
    (page_md,) = project.articles.glob("*.md")
    html = built_page(site, page_md).read_text(encoding="utf-8")
    article = _ARTICLE.search(html)
    assert article is not None
    _text, tags = text_and_tags(article.group())
    assert not tags & {"script", "iframe", "img", "form", "input", "button", "style", "svg",
                       "object", "embed", "meta", "base", "link", "noscript"}
    attributes = _Attributes()
    attributes.feed(article.group())
    assert [a for a in attributes.found if a[1].startswith("on") or a[1] == "style"] == []
    for _tag, name, url in attributes.found:
        if name in ("href", "src", "srcset", "action", "data", "poster"):
            assert not url.lower().startswith(("javascript:", "data:", "vbscript:")), url
            assert "evil.example.net" not in url and "tracker.example.net" not in url, url


def test_an_item_in_another_language_is_marked_and_not_graded_as_english(
    project: TmpProject, tmp_path: Path
) -> None:
    (project.feed / "radio.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>\n'
        "<title>Radio</title><link>https://radio.example.ch/</link>"
        "<language>fr-CH</language>\n"
        "<item><title>Le sommeil des enfants</title><guid>r1</guid>"
        "<description>&lt;p&gt;Partir dans un pays étranger, faire là-bas un reportage filmé "
        "avec des téléphones portables, puis le diffuser sur internet : voilà le projet "
        "ambitieux et passionnant de cette équipe.&lt;/p&gt;</description></item>\n"
        "<item><title>English too</title><guid>r2</guid>"
        '<description xml:lang="en">&lt;p&gt;Sleep well.&lt;/p&gt;</description></item>\n'
        "</channel></rss>\n", encoding="utf-8")
    site = import_and_build(project, tmp_path)

    french = project.articles / "le-sommeil-des-enfants.md"
    meta = split_page(french.read_text(encoding="utf-8"))
    assert meta is not None and meta.meta["language"] == "fr-ch"
    assert "reading_grade" not in meta.meta  # Flesch-Kincaid is made for English
    html = built_page(site, french).read_text(encoding="utf-8")
    assert re.search(r'<div data-pagefind-body lang="fr-ch">\s*<h1', html), html[:3000]
    # The page itself, its menus and notice, stay in the site's language.
    assert '<html lang="en"' in html
