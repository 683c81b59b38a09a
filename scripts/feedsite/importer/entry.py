"""The record that listings (home page, reader feeds) need about one imported article."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from feedsite.importer.models import Article


@dataclass(frozen=True)
class Entry:
    """An imported article with its page path (docs-relative, e.g. articles/x.md) and dates."""

    article: Article
    page: str
    description: str
    reading_time: int
    published: dt.date
    updated: dt.date | None = None
    # The page's own HTML when the page, not the feed, is what is published: a page in
    # conflict or kept by hand (importer/resolve.py); None: made from the article's blocks.
    html: str | None = None

    @property
    def last_changed(self) -> dt.date:
        return self.updated or self.published


def page_url(page: str, use_directory_urls: bool = True) -> str:
    """The site-relative URL MkDocs gives a docs-relative .md path, percent-encoded."""
    stem = page[: -len(".md")] if page.endswith(".md") else page
    if use_directory_urls:
        url = "" if stem == "index" else (stem[: -len("/index")] + "/" if stem.endswith("/index")
                                          else stem + "/")
    else:
        url = stem + ".html"
    return quote(url)
