"""Read an RSS 0.9x/1.0/2.0 or Atom document with feedparser into neutral records."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import time
from typing import Any

import feedparser

from feedsite.importer.documents.item_article import describe_item, plain_text
from feedsite.importer.documents.items import (
    Content,
    ContentType,
    NotAFeed,
    RawFeed,
    RawItem,
    item_url,
    language_tag,
)
from feedsite.importer.documents.references import decode_references

# Where items start, to name their line in messages (feedparser does not keep positions),
# and the starts of CDATA sections and comments, skipped whole (a post about RSS may quote an
# <item> in its HTML).
_ITEM_START = re.compile(rb"<!\[CDATA\[|<!--|<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
_SKIPPED_UNTIL = {b"<![CDATA[": b"]]>", b"<!--": b"-->"}
# RSS <author> holds "address (Name)"; readers see the name only, never the address.
_ADDRESS_AND_NAME = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]*)\)\s*$")
_ADDRESS = re.compile(r"^\s*\S+@\S+\s*$")
# An XML declaration that names an encoding (ASCII-compatible bytes; UTF-16 never gets here).
DECLARES_ENCODING = re.compile(rb"(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\bencoding\s*=")
# A tag as feedparser writes one when it serialises markup (see _rss_markup).
_SERIALISED_TAG = re.compile(r"(<[^>]*>)")


def _item_lines(data: bytes) -> list[int]:
    lines: list[int] = []
    line, last, position = 1, 0, 0
    while (match := _ITEM_START.search(data, position)) is not None:
        closing = _SKIPPED_UNTIL.get(match.group())
        if closing is not None:  # find(), not a lazy regex: linear even when never closed
            end = data.find(closing, match.end())
            if end < 0:
                break
            position = end + len(closing)
            continue
        line += data.count(b"\n", last, match.start())
        last = match.start()
        lines.append(line)
        position = match.end()
    return lines


def _content_type(detail: Any) -> ContentType:
    kind = str((detail or {}).get("type") or "text/html").lower()
    return "text" if kind == "text/plain" else "html"


def _content(value: Any, detail: Any) -> Content | None:
    if not isinstance(value, str) or not value.strip():
        return None
    base = str((detail or {}).get("base") or "").strip()
    return Content(value, _content_type(detail), base)


def _rss_markup(content: Content | None, detail: Any) -> Content | None:
    """RSS content that feedparser read as XHTML: the publisher left tags unescaped, often
    next to a CDATA section of HTML (`<description><img src=…/><![CDATA[<p>…]]>`).
    feedparser escapes the text around those tags, but in RSS text is HTML source: unescaped,
    the CDATA's paragraphs are paragraphs again, not text showing tags."""
    if content is None or str((detail or {}).get("type")).lower() != "application/xhtml+xml":
        return content
    parts = _SERIALISED_TAG.split(content.value)
    value = "".join(part if n % 2 else html.unescape(part) for n, part in enumerate(parts))
    return Content(value, content.type, content.base)


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
        name = author_name(decode_references(str(author.get("name") or "")))
        if name and name not in names:
            names.append(name)
    return tuple(names)


# A category term that is an address names a kind of entry for machines (YouTube's
# "http://gdata.youtube.com/schemas/2007#video"), not a topic for readers.
_ADDRESS_TERM = re.compile(r"^[a-z][a-z0-9+.-]*:(?://|[^\s]*#)\S*$", re.IGNORECASE)


def _categories(entry: Any) -> tuple[str, ...]:
    found: list[str] = []
    for tag in entry.get("tags") or []:
        term = " ".join(decode_references(str(tag.get("label") or tag.get("term") or "")).split())
        if term and term not in found and not _ADDRESS_TERM.match(term):
            found.append(term)
    return tuple(found)


def _item_link(entry: Any, feed: Any) -> str:
    """The item's link; a relative one (feedparser has applied any xml:base) is taken as
    relative to the document's own link, the only site address the document states."""
    link = str(entry.get("link") or "").strip()
    if not link or not entry.get("links"):  # no link, or a guid standing in for one
        return link
    return item_url(link, str(feed.get("link") or "").strip())


def _item(number: int, line: int, entry: Any, feed: Any, rss: bool) -> RawItem:
    contents = entry.get("content") or []
    # Prefer HTML content when a document offers several (Atom may carry text and html).
    chosen = next((c for c in contents if _content_type(c) == "html"), None) or (
        contents[0] if contents else None)
    content = _content(chosen.get("value"), chosen) if chosen is not None else None
    summary = _content(entry.get("summary"), entry.get("summary_detail"))
    if rss:  # Atom's XHTML is exactly what it says
        content = _rss_markup(content, chosen)
        summary = _rss_markup(summary, entry.get("summary_detail"))
    link = _item_link(entry, feed)
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
        summary=summary,
        published=published or updated,
        updated=updated if published and updated and updated > published else None,
        authors=_authors(entry, feed),
        categories=_categories(entry),
        enclosure=next((str(e.get("href") or "").strip() for e in entry.get("enclosures") or []
                        if str(e.get("href") or "").strip()), ""),
        language=language_tag((chosen or {}).get("language"),
                              (entry.get("summary_detail") or {}).get("language"),
                              feed.get("language")),
    )


def _unread_dates(entry: Any, item: RawItem, rss: bool) -> list[tuple[int | None, str]]:
    """Warnings for the item's dates that feedparser could not read (a date in another
    language, or none that exists), which would otherwise pass unnoticed."""
    example = "Mon, 05 Oct 2026 09:00:00 +0000" if rss else "2026-10-05T09:00:00Z"
    found: list[tuple[int | None, str]] = []
    for key in ("published", "updated"):
        # dict.get: feedparser's own get() maps a missing "updated" to "published".
        written = " ".join(str(dict.get(entry, key) or "").split())
        if written and dict.get(entry, f"{key}_parsed") is None:
            found.append((item.line, (
                f"{describe_item(item)} has a date that cannot be read ({written[:60]!r}); "
                + ("the import date is used instead" if item.published is None
                   else "it is left out")
                + f"; write it as, for example, {example!r}")))
    return found


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
        if name == "CharacterEncodingOverride" and not DECLARES_ENCODING.match(data):
            # No declaration: XML means UTF-8, which these bytes are not (feedparser's
            # message would say "declared as utf-8").
            warnings.append((None, f"is not UTF-8 and names no encoding, so it was read as "
                                   f"{parsed.get('encoding') or 'windows-1252'}, which may be "
                                   "wrong; save it as UTF-8, or name its encoding in the XML "
                                   'declaration (<?xml version="1.0" encoding="..."?>)'))
        elif name == "CharacterEncodingOverride":
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
    rss = not str(parsed.get("version") or "").startswith("atom")
    items = tuple(_item(n, lines[n - 1], entry, feed, rss) for n, entry in enumerate(entries, 1))
    for entry, item in zip(entries, items, strict=True):
        warnings.extend(_unread_dates(entry, item, rss))
    title = _content(feed.get("title"), feed.get("title_detail"))
    return RawFeed(plain_text(title) if title else "", items, tuple(warnings))
