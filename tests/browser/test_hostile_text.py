"""Feed text that looks like HTML is shown to readers as text and never runs."""

from __future__ import annotations

import json

import pytest

from .checks import assert_quiet
from .reader import Reader, states_where
from .site_build import BuiltSite

SHOWN_LITERALLY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="javascript:alert(4)" onclick="alert(5)">click here</a>',
]
# Elements the hostile article would create if its text were parsed as HTML.
INJECTED = (
    "article img[src='x'], article iframe, article svg[onload], article [onclick], "
    "article [onmouseover], article textarea"
)


HOSTILE_TITLE = '<script>alert("title")</script>'
# Scripts the browser would run (not JSON data blocks) whose code mentions alert().
_RUNNABLE_SCRIPTS_MENTIONING_ALERT = """
[...document.scripts]
  .filter((s) => ["", "text/javascript", "module"].includes(s.type))
  .filter((s) => s.textContent.includes("alert("))
  .map((s) => s.outerHTML.slice(0, 200))
"""


@pytest.fixture
def hostile_path(built_site: BuiltSite) -> str:
    if built_site.hostile_path is None:
        pytest.skip(f"pending the importer: {built_site.import_note}")
    return built_site.hostile_path


@pytest.mark.parametrize("state", states_where(page="article"))
def test_hostile_article_shows_markup_as_text(reader: Reader, hostile_path: str) -> None:
    reader.open(hostile_path)
    reader.page.wait_for_load_state("networkidle")

    text = reader.page.locator("article").inner_text()
    for snippet in SHOWN_LITERALLY:
        assert snippet in text
    assert reader.page.locator(INJECTED).count() == 0
    assert reader.page.evaluate(_RUNNABLE_SCRIPTS_MENTIONING_ALERT) == []
    # Text in data blocks (JSON-LD) must stay inside them: each still parses as JSON.
    for block in reader.page.locator("script[type='application/ld+json']").all_inner_texts():
        json.loads(block)
    assert HOSTILE_TITLE in reader.page.title()
    reader.screenshot("hostile-article")
    assert_quiet(reader)


@pytest.mark.parametrize("state", states_where(page="home"))
def test_hostile_text_in_search_results_stays_text(reader: Reader, hostile_path: str) -> None:
    reader.open("")

    reader.type_query("onerror")
    reader.page.wait_for_load_state("networkidle")

    links = reader.result_links()
    assert any(hostile_path in link for link in links), links
    assert reader.page.locator(".md-search-result img, .md-search-result iframe").count() == 0
    reader.screenshot("hostile-search")
    assert_quiet(reader)


def test_home_page_lists_hostile_title_as_text(desktop_reader: Reader, hostile_path: str) -> None:
    desktop_reader.open("")

    link = desktop_reader.page.locator(f"article a[href$='{hostile_path}']")

    assert link.count() == 1
    assert HOSTILE_TITLE in link.inner_text()
    assert_quiet(desktop_reader)
