"""Search (Pagefind) finds article text fast, marks it, leads to sections, says when nothing
matches, works by keyboard, shares its query as ?q=, and serves from a sub-path too."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from feedsite.search.index import index_site
from site_project import DummyArticle, build, make_project, pagefind_fragments

from .checks import assert_quiet
from .reader import PageState, Reader, states_where
from .serving import RunningSite, serve
from .site_build import BuiltSite

ARTICLE_WORD = "follicle"
NO_MATCH_QUERY = "qzxwvkjh"
# Sets the search box to each query in turn, within one task, as a very fast typist would.
_TYPE_AT_ONCE = """
(queries) => {
  const input = document.querySelector(".md-search__input");
  for (const query of queries) {
    input.value = query;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
}
"""
SUB_PATH = "health/library"


def test_results_appear_while_typing_with_the_word_highlighted(
    reader: Reader, page_paths: dict[str, str]
) -> None:
    reader.open_state_page(page_paths)

    # Results come from the last keystroke alone, no Enter. How fast is measured by
    # benchmarks/search_scale.py, not here: a shared machine makes a timed test flaky.
    elapsed_ms = reader.type_query_timed(ARTICLE_WORD, page_paths["article"])

    print(f"search {ARTICLE_WORD!r} on {reader.state.name}: {elapsed_ms:.1f} ms")
    assert elapsed_ms >= 0, f"no results linking to {page_paths['article']} within 5 s"
    result = reader.page.locator(".md-search-result__item").first
    assert result.locator("h1").inner_text().strip(), "a result without its title"
    marks = result.locator(".md-search-result__teaser mark").all_inner_texts()
    assert marks, "the search term is not highlighted in the excerpt"
    assert all(ARTICLE_WORD in mark.lower() for mark in marks), marks
    reader.screenshot("search-results")
    assert_quiet(reader)


def test_word_from_a_section_heading_leads_to_that_section_marked(
    reader: Reader, page_paths: dict[str, str]
) -> None:
    reader.open(page_paths["article"])
    heading_id, word = _heading_and_distinct_word(reader)
    reader.open_state_page(page_paths)

    reader.type_query(word)
    link = reader.page.locator(f"a.md-search-result__link[href$='#{heading_id}']").first
    # The result names the section it links to, with the term marked there.
    assert word.lower() in link.locator("h2, .fs-search-result__section").first.inner_text().lower()
    link.click()

    reader.page.wait_for_url(re.compile(f"#{re.escape(heading_id)}$"))
    url = urlsplit(reader.page.url)
    assert url.path.endswith(page_paths["article"])
    assert parse_qs(url.query)["h"] == [word]
    heading = reader.page.locator(f"[id='{heading_id}']")
    _assert_in_viewport(reader, heading)
    # The terms are marked on the page too, in the section the result opened.
    reader.page.wait_for_selector("mark.fs-search-highlight")
    marked_in_heading = heading.locator("mark.fs-search-highlight").all_inner_texts()
    assert [m.lower() for m in marked_in_heading] == [word.lower()]
    assert reader.page.locator(".md-header mark, .md-footer mark, .fs-meta mark").count() == 0
    reader.screenshot("search-to-section")
    assert_quiet(reader)


def test_query_without_match_says_so(reader: Reader, page_paths: dict[str, str]) -> None:
    reader.open_state_page(page_paths)

    summary = reader.type_query(NO_MATCH_QUERY)

    assert summary == "No matching documents"
    assert reader.result_links() == []
    reader.screenshot("search-no-match")
    assert_quiet(reader)


@pytest.mark.parametrize("state", states_where(page="home", scheme="light", viewport="desktop"))
def test_a_query_typed_over_a_running_search_is_the_one_shown(
    reader: Reader, page_paths: dict[str, str]
) -> None:
    # Searches run one at a time with no fixed wait: a query typed while one runs must not be
    # lost, and a slower, older search must never replace the newer query's results.
    reader.open(page_paths["home"])
    reader.open_search()
    for _ in range(2):  # the first round while the index is still loading
        # Typed in one go: each query arrives while the one before is still searching.
        reader.page.evaluate(_TYPE_AT_ONCE, [ARTICLE_WORD, NO_MATCH_QUERY[:-1], NO_MATCH_QUERY])
        reader.page.wait_for_function(
            "() => /no matching/i.test("
            "document.querySelector('.md-search-result__meta').textContent)")
        reader.page.wait_for_timeout(300)  # a stale search would have rendered by now
        assert reader.result_links() == []
        reader.page.evaluate(_TYPE_AT_ONCE, [NO_MATCH_QUERY, ARTICLE_WORD[:-1], ARTICLE_WORD])
        reader.page.wait_for_selector("a.md-search-result__link")
        reader.page.wait_for_timeout(300)
        links = reader.result_links()
        assert links and all(f"h={ARTICLE_WORD}" in link for link in links), links
        assert "No matching" not in reader.page.locator(".md-search-result__meta").inner_text()
    assert_quiet(reader)


@pytest.mark.parametrize("state", states_where(page="home", scheme="light", viewport="desktop"))
def test_keyboard_reaches_and_opens_a_result(reader: Reader, page_paths: dict[str, str]) -> None:
    reader.open(page_paths["home"])
    reader.page.locator("body").press("s")
    reader.page.keyboard.type(ARTICLE_WORD)
    reader.page.wait_for_selector("a.md-search-result__link")
    first, second = reader.result_links()[:2]

    reader.page.keyboard.press("ArrowDown")
    assert reader.page.evaluate("document.activeElement.href") == first
    reader.page.keyboard.press("ArrowDown")
    assert reader.page.evaluate("document.activeElement.href") == second
    reader.page.keyboard.press("ArrowUp")
    reader.page.keyboard.press("ArrowUp")
    assert reader.page.evaluate("document.activeElement.matches('.md-search__input')")
    reader.page.keyboard.press("ArrowDown")
    reader.page.keyboard.press("Enter")

    reader.page.wait_for_url(first)
    assert urlsplit(reader.page.url).path.endswith(page_paths["article"])
    assert_quiet(reader)


def test_shared_query_opens_search_with_its_results(
    reader: Reader, page_paths: dict[str, str]
) -> None:
    reader.open(f"{page_paths[reader.state.page]}?q={ARTICLE_WORD}")

    reader.page.wait_for_selector("a.md-search-result__link")
    assert reader.search_is_open()
    assert reader.page.locator(".md-search__input").input_value() == ARTICLE_WORD
    assert any(page_paths["article"] in link for link in reader.result_links())
    reader.screenshot("search-shared")
    # Typing keeps the address shareable; closing the search takes the query away again.
    reader.page.locator(".md-search__input").press("End")
    reader.page.locator(".md-search__input").press_sequentially("s")
    reader.page.wait_for_function(
        "(q) => new URLSearchParams(location.search).get('q') === q", arg=ARTICLE_WORD + "s"
    )
    reader.page.keyboard.press("Escape")
    reader.page.wait_for_function("!new URLSearchParams(location.search).has('q')")
    assert_quiet(reader)


@pytest.mark.parametrize("state", states_where(page="article", scheme="dark", viewport="phone"))
def test_phone_search_fills_the_screen_and_closes_with_back(
    reader: Reader, page_paths: dict[str, str]
) -> None:
    reader.open_state_page(page_paths)
    reader.type_query(ARTICLE_WORD)
    reader.settle()

    box = reader.page.locator(".md-search__inner").bounding_box()
    viewport = reader.page.viewport_size
    assert box is not None and viewport is not None
    assert box == {"x": 0, "y": 0, "width": viewport["width"], "height": viewport["height"]}, (
        box, reader.page.evaluate("[innerWidth, document.documentElement.scrollWidth]"))
    # Material's dark scheme, on the dialog too: light text on a dark background.
    scheme, background = reader.page.evaluate(
        "[document.body.getAttribute('data-md-color-scheme'),"
        " getComputedStyle(document.querySelector('.md-search__form')).backgroundColor]"
    )
    assert scheme == "slate"
    channels = [int(c) for c in re.findall(r"\d+", background)[:3]]
    assert max(channels) < 80, background
    reader.screenshot("search-phone")
    reader.page.locator(".md-search__form label.md-search__icon").tap()
    reader.page.wait_for_function("!document.getElementById('__search').checked")
    assert_quiet(reader)


# -- a site published under a sub-path, gzip-compressed ----------------------------------


@pytest.fixture(scope="module")
def sub_path_site(built_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[RunningSite]:
    """The same built site, published at /health/library/ of a host."""
    www = tmp_path_factory.mktemp("www")
    shutil.copytree(built_site.site_dir, www / SUB_PATH)
    (www / "index.html").write_text("<!doctype html><title>host</title>", encoding="utf-8")
    with serve(www) as running:
        yield running


@pytest.mark.parametrize("state", states_where(page="article", scheme="light", viewport="desktop"))
def test_search_works_under_a_sub_path_gzip_compressed(
    browser: Any, sub_path_site: RunningSite, page_paths: dict[str, str], state: PageState
) -> None:
    reader = Reader(browser, sub_path_site.base_url, state)
    gzipped: list[str] = []
    reader.page.on("response", lambda r: gzipped.append(r.url)
                   if r.headers.get("content-encoding") == "gzip" else None)
    try:
        reader.open(f"{SUB_PATH}/{page_paths['article']}")
        reader.type_query(ARTICLE_WORD)

        links = [urlsplit(link).path for link in reader.result_links()]
        assert links and all(path.startswith(f"/{SUB_PATH}/articles/") for path in links), links
        fetched = [urlsplit(url).path for url in reader.record.requests if "pagefind" in url]
        assert fetched and all(p.startswith(f"/{SUB_PATH}/pagefind/") for p in fetched), fetched
        assert any(url.endswith(".html") or url.endswith("/") for url in gzipped), gzipped
        reader.page.locator("a.md-search-result__link").first.click()
        reader.page.wait_for_selector("mark.fs-search-highlight")
        assert_quiet(reader)
    finally:
        reader.close()


# -- titles rank above body text ------------------------------------------------------------


TITLE_WORD = "biotin"
RANKED = [
    DummyArticle(slug="hair-care", title="Everyday hair care", description="Washing and diet.",
                 paragraphs=("Biotin is in eggs and nuts. Many people take biotin tablets, and "
                             "biotin shampoo is sold widely.",),
                 sections=("Washing", "Diet")),
    DummyArticle(slug="vitamin-b7", title="Biotin explained", description="A B vitamin.",
                 paragraphs=("A vitamin found in many foods.",), sections=("Sources", "Dosage")),
]


@pytest.fixture(scope="module")
def ranking_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSite]:
    """Two articles: one with the word in its title, one with it three times in its text."""
    built = build(make_project(tmp_path_factory.mktemp("ranking"), RANKED))
    index_site(built.site)
    with serve(built.site) as running:
        yield running


@pytest.mark.parametrize("state", states_where(page="home", scheme="light", viewport="desktop"))
def test_a_word_in_a_title_ranks_above_the_same_word_in_text(
    browser: Any, ranking_site: RunningSite, state: PageState
) -> None:
    reader = Reader(browser, ranking_site.base_url, state)
    try:
        reader.open("")
        reader.type_query(TITLE_WORD)

        # Results appear one by one as their text arrives: wait for both before comparing.
        titles = reader.page.locator(".md-search-result__item h1")
        expect(titles).to_have_text(["Biotin explained", "Everyday hair care"])
        assert_quiet(reader)
    finally:
        reader.close()


def _assert_in_viewport(reader: Reader, locator: Any) -> None:
    box = locator.bounding_box()
    viewport = reader.page.viewport_size
    assert box is not None and viewport is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box


def _heading_and_distinct_word(reader: Reader) -> tuple[str, str]:
    """A section heading's id and its longest word that the page title does not contain."""
    title = reader.page.locator("article h1").first.inner_text().lower()
    headings: list[tuple[str, str]] = reader.page.eval_on_selector_all(
        "article h2[id]", "(hs) => hs.map((h) => [h.id, h.textContent])"
    )
    for heading_id, text in headings:
        words = [w for w in re.findall(r"[^\W\d_]{4,}", text) if w.lower() not in title]
        if words:
            return heading_id, max(words, key=len).lower()
    raise AssertionError(f"no section heading with a word outside the title: {headings}")



@pytest.mark.parametrize("state", states_where(page="home", scheme="light", viewport="desktop"))
def test_a_result_whose_text_cannot_be_fetched_costs_that_result_only(
    browser: Any, built_site: BuiltSite, tmp_path: Path, page_paths: dict[str, str],
    state: PageState,
) -> None:
    # Real missing files on a real server: the second result's text, then the first's.
    site = tmp_path / "site"
    shutil.copytree(built_site.site_dir, site)
    fragments = {url: (path, record["content"].lower())
                 for url, (path, record) in pagefind_fragments(site).items()}
    # The word in the most pages, so results follow the one whose text goes missing.
    words = sorted({w for _p, text in fragments.values() for w in re.findall(r"[a-z]{6,}", text)})
    word = max(words, key=lambda w: sum(w in text for _p, text in fragments.values()))
    with serve(site) as running:
        base_path = urlsplit(running.base_url).path[:-1]

        def results_for_a_new_reader() -> tuple[Reader, str, list[str]]:
            # A fresh context each time: the texts are cached as immutable once fetched.
            reader = Reader(browser, running.base_url, state)
            reader.open(page_paths["home"])
            summary = reader.type_query(word)
            reader.page.wait_for_timeout(300)  # the other texts have arrived by now
            return reader, summary, [urlsplit(link).path for link in reader.result_links()]

        reader, _summary, shown = results_for_a_new_reader()
        reader.close()
        first, second = list(dict.fromkeys(shown))[:2]
        fragments[second.removeprefix(base_path)][0].unlink()
        reader, summary, after = results_for_a_new_reader()
        reader.close()
        assert second not in after and first in after, after
        # Every other page is still shown, those ranked after the missing one too.
        assert set(after) == set(shown) - {second}, (shown, after)
        assert summary.split()[0].isdigit(), summary  # the count still says how many match

        fragments[first.removeprefix(base_path)][0].unlink()
        reader = Reader(browser, running.base_url, state)
        try:
            reader.open(page_paths["home"])
            reader.open_search()
            reader.page.locator(".md-search__input").fill(word)
            meta = reader.page.locator(".md-search-result__meta")
            expect(meta).to_have_text(re.compile("could not be loaded"))
            assert reader.result_links() == []
        finally:
            reader.close()
