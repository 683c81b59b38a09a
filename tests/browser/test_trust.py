"""An article shows readers where it came from, its dates and that it is information, not advice
(once), and never an internal file name."""

from __future__ import annotations

import re

import pytest

from .checks import assert_quiet
from .reader import Reader, states_where
from .site_build import REVIEW_DATES, BuiltSite

NOTICE_TITLE = "Information, not medical advice"


def _visible_text(reader: Reader, selector: str) -> str:
    locator = reader.page.locator(selector)
    assert locator.count() == 1, f"expected one {selector!r}, found {locator.count()}"
    assert locator.is_visible(), f"{selector!r} is not visible"
    return re.sub(r"\s+", " ", locator.inner_text()).strip()


def _labelled_date(reader: Reader, label: str, iso_date: object) -> None:
    """A visible `<time datetime=iso_date>` whose line starts with `label`."""
    times = reader.page.locator(f"article time[datetime='{iso_date}']").all()
    lines = [
        re.sub(r"\s+", " ", t.evaluate("(el) => el.parentElement.textContent")).strip()
        for t in times
        if t.is_visible()
    ]
    assert any(line.startswith(label) for line in lines), (label, iso_date, lines)


@pytest.mark.parametrize("state", states_where(page="article"))
def test_article_shows_provenance_dates_and_notice_once(
    reader: Reader, built_site: BuiltSite, page_paths: dict[str, str]
) -> None:
    meta = built_site.article_meta
    reader.open(page_paths["article"])

    about = _visible_text(reader, "article [aria-label='About this article']")
    assert about.startswith(f"{meta['reading_time']} min read")
    _labelled_date(reader, "First published", meta["published"])
    _labelled_date(reader, "Page last reviewed:", REVIEW_DATES["reviewed"])
    _labelled_date(reader, "Next review due:", REVIEW_DATES["review_due"])
    provenance = _visible_text(reader, "article .fs-provenance")
    assert re.fullmatch(r"From \S.*", provenance), provenance
    notice = _visible_text(reader, "article [role='note']")
    assert notice.startswith(NOTICE_TITLE), notice
    # Once: not again in the footer, nor anywhere else a reader can see.
    page_text = reader.page.locator("body").inner_text()
    assert page_text.count(NOTICE_TITLE) == 1
    assert "not a substitute for advice" not in page_text
    # The feed file stays in the page source for authors, never in what readers see.
    assert str(meta["source"]) not in page_text
    assert not re.search(r"\b\w+\.txt\b", page_text), "a file name is visible"
    source = reader.page.locator("meta[name='feedsite-source']").get_attribute("content")
    assert source == meta["source"]
    reader.page.locator("article [role='note']").scroll_into_view_if_needed()
    reader.screenshot("trust-notice")
    assert_quiet(reader)
