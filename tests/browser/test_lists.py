"""The list pages a reader browses: the home page, All articles A-Z and a topic page.

Each is checked on a phone and a desktop: axe finds nothing, nothing scrolls sideways, and
the links lead on (home -> A-Z -> article, home -> topic -> article -> back to the topic).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .checks import assert_quiet
from .reader import PageState, Reader
from .serving import RunningSite
from .site_build import BuiltSite

LIST_PAGES = ("home", "a-z", "topic")


def _topic_path(built_site: BuiltSite) -> str:
    """URL path of the first topic page the import wrote (the suite's feed has a topic folder)."""
    topics = sorted(p for p in (built_site.root / "docs" / "topics").glob("*.md")
                    if p.name != "index.md")
    assert topics, "the import wrote no topic page for the feed's topic folder"
    return f"topics/{topics[0].stem}/"


@pytest.fixture(scope="module")
def list_paths(built_site: BuiltSite) -> dict[str, str]:
    return {"home": "", "a-z": "a-z/", "topic": _topic_path(built_site)}


@pytest.fixture(params=[(page, viewport) for page in LIST_PAGES
                        for viewport in ("desktop", "phone")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def list_reader(request: pytest.FixtureRequest, browser: Any,
                running_site: RunningSite) -> Iterator[Reader]:
    page, viewport = request.param
    tab = Reader(browser, running_site.base_url, PageState(page, "light", viewport))
    yield tab
    tab.close()


def test_list_page_has_no_axe_violations_and_fits_the_screen(
    list_reader: Reader, list_paths: dict[str, str],
) -> None:
    list_reader.open(list_paths[list_reader.state.page])
    list_reader.screenshot("list")
    violations = list_reader.axe_violations()
    assert not violations, violations
    overflow = list_reader.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    cards = list_reader.page.locator(".fs-article-list li")
    assert cards.count() >= 1, "no article cards on the page"
    first = cards.first.inner_text()
    assert "min read" in first, first
    assert_quiet(list_reader)


def test_dark_scheme_list_has_no_axe_violations(browser: Any, running_site: RunningSite,
                                                list_paths: dict[str, str]) -> None:
    tab = Reader(browser, running_site.base_url, PageState("a-z", "dark", "phone"))
    try:
        tab.open(list_paths["a-z"])
        tab.screenshot("list")
        violations = tab.axe_violations()
        assert not violations, violations
        assert_quiet(tab)
    finally:
        tab.close()


def test_home_leads_to_every_article_through_a_to_z(desktop_reader: Reader,
                                                    built_site: BuiltSite) -> None:
    page = desktop_reader.page
    desktop_reader.open("")
    page.get_by_role("link", name="A to Z").first.click()
    page.wait_for_url("**/a-z/")
    assert page.locator("h1").inner_text().rstrip("¶") == "All articles A–Z"
    titles = page.locator(".fs-article-list li > a, .fs-article-list li > p:first-child > a")
    listed = sorted(titles.all_inner_texts())
    articles = sorted(str(meta_title) for meta_title in _article_titles(built_site))
    assert listed == articles
    titles.first.click()
    page.wait_for_url("**/articles/**")
    assert_quiet(desktop_reader)


def test_home_links_each_topic_and_the_article_links_back(
    desktop_reader: Reader, list_paths: dict[str, str],
) -> None:
    page = desktop_reader.page
    desktop_reader.open("")
    topic_url = list_paths["topic"]
    link = page.locator(f".fs-topic-list a[href='{topic_url}']")
    assert link.count() == 1, "the home page does not link the topic"
    name = link.inner_text()
    link.click()
    page.wait_for_url(f"**/{topic_url}")
    assert page.locator("h1").inner_text().rstrip("¶") == name
    page.locator(".fs-article-list li a").first.click()
    page.wait_for_url("**/articles/**")
    back = page.get_by_role("link", name=name, exact=True)
    assert back.count() >= 1, "the article page does not link its topic"
    back.first.click()
    page.wait_for_url(f"**/{topic_url}")
    assert_quiet(desktop_reader)


def _article_titles(built_site: BuiltSite) -> list[object]:
    import yaml

    titles = []
    for md in (built_site.root / "docs" / "articles").glob("*.md"):
        text = md.read_text(encoding="utf-8")
        meta = yaml.safe_load(text[4:].split("\n---", 1)[0])
        titles.append(meta["title"])
    return titles
