"""Search finds article text fast, highlights it, leads to sections, says when nothing matches."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .checks import assert_quiet
from .reader import Reader

ARTICLE_WORD = "follicle"
BUDGET_MS = 200.0
NO_MATCH_QUERY = "qzxwvkjh"


def test_word_from_the_article_shows_it_highlighted_within_budget(
    reader: Reader, page_paths: dict[str, str]
) -> None:
    reader.open_state_page(page_paths)

    elapsed_ms = reader.type_query_timed(ARTICLE_WORD, page_paths["article"])

    print(f"search {ARTICLE_WORD!r} on {reader.state.name}: {elapsed_ms:.1f} ms")
    assert elapsed_ms >= 0, f"no results linking to {page_paths['article']} within 5 s"
    assert elapsed_ms <= BUDGET_MS, f"results took {elapsed_ms:.0f} ms after the last keystroke"
    # Material leaves empty <mark> elements in titles that did not match; they show nothing.
    marks = [m for m in reader.page.locator(".md-search-result mark").all_inner_texts() if m]
    assert marks, "the search term is not highlighted in the results"
    assert all(ARTICLE_WORD in mark.lower() for mark in marks), marks
    reader.screenshot("search-results")
    assert_quiet(reader)


def test_word_from_a_section_heading_leads_to_that_section(
    reader: Reader, page_paths: dict[str, str]
) -> None:
    reader.open(page_paths["article"])
    heading_id, word = _heading_and_distinct_word(reader)
    reader.open_state_page(page_paths)

    reader.type_query(word)
    link = reader.page.locator(f"a.md-search-result__link[href$='#{heading_id}']").first
    if not link.is_visible():
        # Further sections of a page sit in a collapsed "N more on this page" disclosure.
        link.locator("xpath=ancestor::details[1]/summary").click()
    link.click()

    reader.page.wait_for_url(re.compile(f"#{re.escape(heading_id)}$"))
    assert urlsplit(reader.page.url).path.endswith(page_paths["article"])
    heading = reader.page.locator(f"[id='{heading_id}']")
    box = heading.bounding_box()
    viewport = reader.page.viewport_size
    assert box is not None and viewport is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box
    reader.screenshot("search-to-section")
    assert_quiet(reader)


def test_query_without_match_says_so(reader: Reader, page_paths: dict[str, str]) -> None:
    reader.open_state_page(page_paths)

    summary = reader.type_query(NO_MATCH_QUERY)

    assert summary == "No matching documents"
    assert reader.result_links() == []
    reader.screenshot("search-no-match")
    assert_quiet(reader)


def _heading_and_distinct_word(reader: Reader) -> tuple[str, str]:
    """A section heading's id and its longest word that the page title does not contain."""
    title = reader.page.locator("article h1").first.inner_text().lower()
    headings: list[tuple[str, str]] = reader.page.eval_on_selector_all(
        "article h2[id]", "(hs) => hs.map((h) => [h.id, h.textContent])"
    )
    for heading_id, text in headings:
        words = [w for w in re.findall(r"[^\W\d_]{4,}", text) if w.lower() not in title]
        if words:
            return heading_id, max(words, key=len)
    raise AssertionError(f"no section heading with a word outside the title: {headings}")
