"""Read a JSON Feed (version 1.0 or 1.1, https://jsonfeed.org/version/1.1) into neutral records."""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import json
from typing import Any

from feedsite.importer.documents.items import (
    Content,
    NotAFeed,
    RawFeed,
    RawItem,
    item_url,
    language_tag,
)
from feedsite.importer.documents.references import decode_references
from feedsite.importer.documents.xml_feed import author_name

VERSION_PREFIX = "https://jsonfeed.org/version/"


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 when the bytes say so (by a byte-order mark, or by the zero bytes
    around the first character, as `json.loads` reads bytes); None for UTF-8 and the rest.
    JSON's first RFC allowed all three, so some JSON Feeds are UTF-16."""
    encoding = json.detect_encoding(data)
    return encoding if encoding.startswith(("utf-16", "utf-32")) else None


def looks_like_json(data: bytes) -> bool:
    """Whether a document is JSON rather than XML: its first visible character is `{`."""
    wide = _wide_encoding(data)
    if wide is not None:
        return data[:64].decode(wide, errors="replace").lstrip("\ufeff").lstrip()[:1] == "{"
    start = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    return start.lstrip()[:1] == b"{"


def _date(value: Any, warnings: list[tuple[int | None, str]], where: str) -> dt.date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:  # an RSS-style date (RFC 822), which some generators write here too
        return email.utils.parsedate_to_datetime(value.strip()).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        warnings.append((None, f"{where}: date {value!r} is not RFC 3339 (2024-05-01T09:00:00Z);"
                               " the import date is used instead"))
        return None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _plain(value: Any) -> str:
    """A field the spec calls plain text, which generators often fill with HTML-escaped text
    ("Don&#8217;t"): references decoded."""
    return decode_references(_text(value)).strip()


def _authors(item: dict[str, Any], feed: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for source in (item, feed):
        raw = source.get("authors")
        people = raw if isinstance(raw, list) else []
        if isinstance(source.get("author"), dict):  # version 1.0
            people = [*people, source["author"]]
        for person in people:
            name = author_name(_plain(person.get("name"))) if isinstance(person, dict) else ""
            if name and name not in found:
                found.append(name)
        if found:
            break
    return tuple(found)


def _item(number: int, item: Any, feed: dict[str, Any],
          warnings: list[tuple[int | None, str]]) -> RawItem | None:
    if not isinstance(item, dict):
        warnings.append((None, f"item {number} is not a JSON object; skipped"))
        return None
    item_id = item.get("id")
    html, text = _text(item.get("content_html")), _text(item.get("content_text"))
    title, summary = _plain(item.get("title")), _plain(item.get("summary"))
    where = f"item {number}"
    published = _date(item.get("date_published"), warnings, where)
    updated = _date(item.get("date_modified"), warnings, where)
    tags = item.get("tags")
    attachments = item.get("attachments")
    attachments = attachments if isinstance(attachments, list) else []
    categories = tuple(dict.fromkeys(
        " ".join(decode_references(t).split()) for t in (tags if isinstance(tags, list) else [])
        if isinstance(t, str) and t.strip()))
    return RawItem(
        number=number,
        line=1,
        # Version 1.0 allowed numbers as ids; the spec says to treat them as strings.
        id=str(item_id).strip() if isinstance(item_id, str | int | float) else "",
        link=item_url(_text(item.get("url")) or _text(item.get("external_url")),
                       _text(feed.get("home_page_url"))),
        title=Content(title, "text") if title else None,
        content=Content(html, "html") if html else (Content(text, "text") if text else None),
        summary=Content(summary, "text") if summary else None,
        published=published or updated,
        updated=updated if published and updated and updated > published else None,
        authors=_authors(item, feed),
        categories=categories,
        enclosure=next((_text(a.get("url")) for a in attachments
                        if isinstance(a, dict) and _text(a.get("url"))), ""),
        language=language_tag(item.get("language"), feed.get("language")),
    )


def read_json_feed(data: bytes) -> RawFeed:
    """Parse JSON Feed bytes (UTF-8, else Windows-1252 with a warning); raise NotAFeed."""
    warnings: list[tuple[int | None, str]] = []
    wide = _wide_encoding(data)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode(wide or "utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        warnings.append((None, "not valid UTF-8 (JSON Feed must be UTF-8); decoded as "
                               "Windows-1252: check the characters, then save it as UTF-8"))
    try:
        feed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotAFeed(f"is not valid JSON ({exc.msg}, column {exc.colno}); fix the JSON Feed "
                       "there, or move the file out of the feed folder", exc.lineno) from exc
    except RecursionError as exc:
        raise NotAFeed("is JSON nested too deeply to be a feed; move it out of the feed "
                       "folder") from exc
    version = feed.get("version") if isinstance(feed, dict) else None
    if not isinstance(feed, dict) or not isinstance(version, str) or \
            not version.startswith(VERSION_PREFIX):
        raise NotAFeed(f"is JSON but not a JSON Feed (no \"version\": \"{VERSION_PREFIX}1.1\");"
                       " move it out of the feed folder, or make it a JSON Feed")
    raw_items = feed.get("items")
    if not isinstance(raw_items, list):
        raise NotAFeed("is a JSON Feed without an \"items\" list; add one (it may be empty)")
    items = [_item(n, item, feed, warnings) for n, item in enumerate(raw_items, 1)]
    return RawFeed(_plain(feed.get("title")), tuple(i for i in items if i is not None),
                   tuple(warnings))
