"""An article shows readers where it came from, its dates and that it is information, not advice."""

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
def test_article_shows_provenance_dates_and_notice(
    reader: Reader, built_site: BuiltSite, page_paths: dict[str, str]
) -> None:
    meta = built_site.article_meta
    reader.open(page_paths["article"])

    about = _visible_text(reader, "article [aria-label='About this article']")
    assert f"{meta['reading_time']} min read" in about
    assert f"Source: {meta['source']}" in about
    _labelled_date(reader, "First published", meta["published"])
    _labelled_date(reader, "Last reviewed:", REVIEW_DATES["reviewed"])
    _labelled_date(reader, "Next review due:", REVIEW_DATES["review_due"])
    notice = _visible_text(reader, "article [role='note']")
    assert notice.startswith(NOTICE_TITLE), notice
    reader.page.locator("article [role='note']").scroll_into_view_if_needed()
    reader.screenshot("trust-notice")
    assert_quiet(reader)
