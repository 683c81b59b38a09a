"""Article pages as a reader uses them: the contents list on every screen, the way on to other
articles, the printed page, and topic and A-Z pages that axe finds nothing to fix on."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .checks import assert_quiet
from .reader import ARTIFACTS, STATES, PageState, Reader, states_where
from .site_build import SHORT_ORIGINAL_URL, BuiltSite

# Shown in the browser only while printing (or in a PDF); never while reading on screen.
PRINT_HIDDEN = (".md-header", ".md-sidebar--secondary", ".md-footer", "article .fs-contents",
                "article .fs-more", ".md-search")
PRINT_SHOWN = ("article h1", "article .fs-meta", "article .fs-review", "article .fs-provenance",
               "article [role='note']")


def _list_page_paths(built_site: BuiltSite) -> dict[str, str]:
    """URL paths of the topic and A-Z pages the importer wrote (none when it wrote none)."""
    paths: dict[str, str] = {}
    if (built_site.site_dir / "a-z" / "index.html").is_file():
        paths["a-z"] = "a-z/"
    topics = sorted((built_site.site_dir / "topics").glob("*/index.html"))
    if topics:
        paths["topic"] = topics[0].parent.relative_to(built_site.site_dir).as_posix() + "/"
    return paths


@pytest.mark.parametrize("state", states_where(page="article"))
def test_contents_list_at_the_top_reaches_every_section(
    reader: Reader, page_paths: dict[str, str]
) -> None:
    reader.open(page_paths["article"])
    contents = reader.page.locator("article nav.fs-contents")
    assert contents.is_visible(), "no contents list"
    box = contents.bounding_box()
    viewport = reader.page.viewport_size
    assert box is not None and viewport is not None
    # NHS style: right under the title, so a reader on a phone sees it without scrolling far.
    assert box["y"] < viewport["height"], "the contents list starts below the first screen"
    entries = contents.locator("a")
    sections = reader.page.locator("article h2")
    assert entries.count() == sections.count() >= 3
    for index in range(entries.count()):
        heading_text = re.sub(r"\s+", " ", sections.nth(index).inner_text()).strip(" ¶")
        assert entries.nth(index).inner_text().strip() == heading_text
    last = entries.nth(entries.count() - 1)
    target = last.get_attribute("href")
    assert target is not None and target.startswith("#")
    last.click()
    reader.page.wait_for_function("(id) => location.hash === id", arg=target)
    heading = reader.page.locator(target).bounding_box()
    assert heading is not None and 0 <= heading["y"] < viewport["height"]
    assert_quiet(reader)


@pytest.mark.parametrize("state", states_where(page="article", viewport="phone"))
def test_short_article_leads_to_its_topic_and_every_article(
    reader: Reader, built_site: BuiltSite
) -> None:
    if built_site.short_path is None:
        pytest.fail(f"the short article was not imported: {built_site.import_note}")
    reader.open(built_site.short_path)
    page = reader.page
    assert page.locator("article .fs-contents").count() == 0  # one section: no list
    assert page.locator("article .fs-review").count() == 0  # no review dates known
    provenance = page.locator("article .fs-provenance a")
    assert provenance.get_attribute("href") == SHORT_ORIGINAL_URL
    more = page.locator("article nav.fs-more")
    assert more.is_visible()
    topics = more.locator(".fs-more__topics a")
    if _list_page_paths(built_site).get("topic"):
        assert topics.count() == 1
    everything = more.locator(".fs-more__all a")
    assert everything.inner_text().strip() == "All articles"
    everything.click()
    page.wait_for_load_state("load")
    title = page.locator("article .fs-article-list a, article li a").all_inner_texts()
    assert any("Sleep and Your Health" in text for text in title), "A-Z lacks the article"
    assert_quiet(reader)


def test_printed_article_keeps_text_dates_provenance_and_notice(
    desktop_reader: Reader, built_site: BuiltSite, page_paths: dict[str, str]
) -> None:
    page = desktop_reader.page
    desktop_reader.open(page_paths["article"])
    page.emulate_media(media="print")
    for selector in PRINT_HIDDEN:
        for index in range(page.locator(selector).count()):
            assert not page.locator(selector).nth(index).is_visible(), f"{selector} printed"
    for selector in PRINT_SHOWN:
        assert page.locator(selector).first.is_visible(), f"{selector} not printed"
    pdf = _print_to_pdf(desktop_reader, "print-article")
    assert pdf.read_bytes().startswith(b"%PDF")
    _pdf_to_png(pdf)

    # A link to another site prints its address after the link text; a local one does not.
    assert built_site.short_path is not None
    desktop_reader.open(built_site.short_path)
    page.emulate_media(media="print")
    external = page.locator("article .fs-provenance a")
    after = external.evaluate("(a) => getComputedStyle(a, '::after').content")
    assert SHORT_ORIGINAL_URL in after
    local = page.locator("article a[href^='#'], article a[href^='../']").first
    assert local.evaluate("(a) => getComputedStyle(a, '::after').content") in ("none", "normal")
    _pdf_to_png(_print_to_pdf(desktop_reader, "print-short-article"))
    assert_quiet(desktop_reader)


def _print_to_pdf(reader: Reader, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    reader.page.pdf(path=str(path), format="A4")
    return path


def _pdf_to_png(pdf: Path) -> None:
    """PNG pages for people to look at, where poppler's pdftoppm is installed."""
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(pdf.with_suffix(""))],
                       check=True, timeout=60)


@pytest.mark.parametrize("state", STATES[:0] + [
    PageState(page, scheme, viewport)
    for page in ("topic", "a-z")
    for scheme in ("light", "dark")
    for viewport in ("desktop", "phone")
], ids=lambda s: s.name)
def test_list_pages_have_no_axe_violations(reader: Reader, built_site: BuiltSite) -> None:
    path = _list_page_paths(built_site).get(reader.state.page)
    if path is None:
        pytest.skip(f"the importer wrote no {reader.state.page} page for this feed")
    reader.open(path)
    reader.screenshot("page")
    violations = reader.axe_violations()
    assert not violations, violations
    assert_quiet(reader)


@pytest.mark.parametrize("state", STATES[:0] + [
    PageState("gallery", scheme, viewport)
    for scheme in ("light", "dark")
    for viewport in ("desktop", "phone")
], ids=lambda s: s.name)
def test_screenshot_gallery(
    reader: Reader, built_site: BuiltSite, page_paths: dict[str, str]
) -> None:
    """Whole-page screenshots of every kind of page, for people to look at."""
    pages = {"home": page_paths["home"], "article-long": page_paths["article"],
             **_list_page_paths(built_site)}
    if built_site.short_path is not None:
        pages["article-short"] = built_site.short_path
    for name, path in pages.items():
        reader.open(path)
        reader.settle()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        reader.page.screenshot(path=str(ARTIFACTS / f"{reader.state.name}-{name}.png"),
                               full_page=True)
    assert_quiet(reader)
