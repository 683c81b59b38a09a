"""The neutral records a feed document is read into, whatever its format (RSS, Atom, JSON)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urljoin, urlsplit

ContentType = Literal["html", "text"]


@dataclass(frozen=True)
class Content:
    """A piece of an item's text and how to read it."""

    value: str
    type: ContentType = "html"
    # The base its relative URLs resolve against (Atom's xml:base in effect), "" when none.
    base: str = ""


@dataclass(frozen=True)
class RawItem:
    """One item (entry) as the document states it, before it becomes an Article."""

    number: int  # 1-based position in the document, for messages
    line: int  # 1-based line where the item starts (1 when unknown)
    id: str
    link: str
    title: Content | None
    content: Content | None
    summary: Content | None
    published: dt.date | None = None
    updated: dt.date | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    # The first enclosure's (attachment's) URL: a podcast episode's audio file, which knows
    # the item when the document gives it neither id nor a link of its own.
    enclosure: str = ""
    language: str = ""  # as the document declares it (xml:lang, <language>), "" if it does not


@dataclass(frozen=True)
class RawFeed:
    """A document's title and items, plus warnings (line or None, message) about reading it."""

    title: str
    items: tuple[RawItem, ...]
    warnings: tuple[tuple[int | None, str], ...] = field(default=())


class NotAFeed(Exception):
    """The document cannot be read as a feed; the message says why and what to do."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# A language tag as BCP 47 writes one ("en", "fr-CH", "zh-Hant-TW"); anything else is ignored.
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def language_tag(*declared: object) -> str:
    """The first well-formed language tag among `declared` (most specific first), lower-cased."""
    for value in declared:
        tag = str(value or "").strip().replace("_", "-")
        if _LANGUAGE_TAG.match(tag):
            return tag.lower()
    return ""


def item_url(url: str, home: str) -> str:
    """An item's URL; a relative one is taken as relative to `home`, the document's own site
    address, when that is http(s). A malformed URL is kept as it is: item_link() rejects it."""
    try:
        if not url or urlsplit(url).scheme or urlsplit(home).scheme.lower() not in (
                "http", "https"):
            return url
        return urljoin(home, url)
    except ValueError:
        return url
