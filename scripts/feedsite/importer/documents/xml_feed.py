"""Read an RSS 0.9x/1.0/2.0 or Atom document with feedparser into neutral records."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from typing import Any

import feedparser

from feedsite.importer.documents.items import Content, ContentType, NotAFeed, RawFeed, RawItem

# Where items start, to name their line in messages (feedparser does not keep positions).
_ITEM_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
# RSS <author> holds "address (Name)"; readers see the name only, never the address.
_ADDRESS_AND_NAME = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]*)\)\s*$")
_ADDRESS = re.compile(r"^\s*\S+@\S+\s*$")


def _item_lines(data: bytes) -> list[int]:
    lines: list[int] = []
    line, last = 1, 0
    for match in _ITEM_START.finditer(data):
        line += data.count(b"\n", last, match.start())
        last = match.start()
        lines.append(line)
    return lines


def _content_type(detail: Any) -> ContentType:
    kind = str((detail or {}).get("type") or "text/html").lower()
    return "text" if kind == "text/plain" else "html"


def _content(value: Any, detail: Any) -> Content | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return Content(value, _content_type(detail))


def _date(parsed: Any) -> dt.date | None:
    if isinstance(parsed, time.struct_time):
        try:
            return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        except ValueError:
            return None
    return None


def author_name(text: str) -> str:
    """An author as readers see it: a name, never an e-mail address."""
    match = _ADDRESS_AND_NAME.match(text)
    if match is not None:
        return match.group("name").strip()
    return "" if _ADDRESS.match(text) else " ".join(text.split())


def _authors(entry: Any, feed: Any) -> tuple[str, ...]:
    """The item's authors, else the document's (Atom entries inherit the feed's author)."""
    names: list[str] = []
    for author in entry.get("authors") or feed.get("authors") or []:
        name = author_name(str(author.get("name") or ""))
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _categories(entry: Any) -> tuple[str, ...]:
    found: list[str] = []
    for tag in entry.get("tags") or []:
        term = " ".join(str(tag.get("label") or tag.get("term") or "").split())
        if term and term not in found:
            found.append(term)
    return tuple(found)


def _item(number: int, line: int, entry: Any, feed: Any) -> RawItem:
    contents = entry.get("content") or []
    # Prefer HTML content when a document offers several (Atom may carry text and html).
    chosen = next((c for c in contents if _content_type(c) == "html"), None) or (
        contents[0] if contents else None)
    content = _content(chosen.get("value"), chosen) if chosen is not None else None
    link = str(entry.get("link") or "").strip()
    # dict.get: feedparser's own get() maps a missing updated_parsed to published_parsed.
    published = _date(dict.get(entry, "published_parsed"))
    updated = _date(dict.get(entry, "updated_parsed"))
    return RawItem(
        number=number,
        line=line,
        id=str(entry.get("id") or "").strip(),
        link=link,
        title=_content(entry.get("title"), entry.get("title_detail")),
        content=content,
        summary=_content(entry.get("summary"), entry.get("summary_detail")),
        published=published or updated,
        updated=updated if published and updated and updated > published else None,
        authors=_authors(entry, feed),
        categories=_categories(entry),
    )


def _reason(exc: BaseException) -> str:
    """The parser's message without its "<unknown>:line:column:" prefix."""
    getter = getattr(exc, "getMessage", None)
    return " ".join(str(getter() if callable(getter) else exc).split())


def _line_of(exc: BaseException) -> int | None:
    getter = getattr(exc, "getLineNumber", None)
    try:
        line = getter() if callable(getter) else None
    except Exception:  # a SAX exception without a locator
        return None
    return line if isinstance(line, int) and line > 0 else None


def read_xml_feed(data: bytes) -> RawFeed:
    """Parse RSS/Atom bytes; raise NotAFeed when feedparser finds no feed in them."""
    # feedparser's own sanitiser and URL resolver are off: nh3 sanitises, and relative URLs
    # are resolved against each item's link (both are slow in feedparser).
    # A stream, never bytes: feedparser opens bytes that name an existing file as that file.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    exc = parsed.get("bozo_exception") if parsed.get("bozo") else None
    entries = parsed.get("entries") or []
    if not parsed.get("version") and not entries:
        reason = f" ({_reason(exc)})" if exc is not None else ""
        raise NotAFeed(
            f"is not an RSS, Atom or JSON feed{reason}; check that the file is the feed "
            "itself (not a web page), or move it out of the feed folder",
            _line_of(exc) if exc is not None else None,
        )
    warnings: list[tuple[int | None, str]] = []
    if exc is not None:
        name = exc.__class__.__name__
        text = " ".join(str(exc).split())
        if name == "CharacterEncodingOverride":
            warnings.append((None, f"wrong encoding declared: {text}; save the document with "
                                   "the encoding its XML declaration names"))
        elif name not in ("NonXMLContentType", "CharacterEncodingUnknown"):
            line = _line_of(exc)
            reason = _reason(exc)
            where = f" at line {line}" if line is not None else ""
            warnings.append((line, f"malformed XML{where} ({reason}); imported the "
                                   f"{len(entries)} item(s) that could be recovered; fix the "
                                   "document there"))
    lines = _item_lines(data)
    if len(lines) != len(entries):
        lines = [1] * len(entries)
    feed = parsed.get("feed") or {}
    items = tuple(_item(n, lines[n - 1], entry, feed) for n, entry in enumerate(entries, 1))
    title = " ".join(str(feed.get("title") or "").split())
    return RawFeed(title, items, tuple(warnings))
