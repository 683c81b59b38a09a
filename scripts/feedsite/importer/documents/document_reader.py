"""Read one feed document (RSS, Atom or JSON Feed) into Articles, one per item."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from feedsite.importer.documents.html_blocks import blocks_of, parse_sanitised, sanitise
from feedsite.importer.documents.item_article import (
    content_base,
    describe_item,
    item_article,
    item_digest,
    item_link,
)
from feedsite.importer.documents.items import NotAFeed, RawItem
from feedsite.importer.documents.json_feed import looks_like_json, read_json_feed
from feedsite.importer.documents.limits import MAX_DOCUMENT_BYTES, MAX_ITEM_CHARS
from feedsite.importer.documents.xml_feed import read_xml_feed
from feedsite.importer.models import Article, Block
from feedsite.problems import Problem

_MB = 1024 * 1024


def _item_size(item: RawItem) -> int:
    return sum(len(c.value) for c in (item.title, item.content, item.summary) if c is not None)


def read_document(path: Path, source: str, shown: str) -> tuple[list[Article], list[Problem]]:
    """Read one feed document: the articles of its items and its problems.

    An error problem means the document or one of its items was rejected (the importer then
    keeps the document's existing pages until it is fixed); one bad item never stops the others.
    """
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            return [], [Problem(shown, None, "error", (
                f"is {size / _MB:.1f} MB, over the {MAX_DOCUMENT_BYTES // _MB} MB limit for a "
                "feed document; split it into several documents or fetch fewer items"))]
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return [], [Problem(shown, None, "error",
                            f"cannot be read ({reason}); fix its permissions or remove it")]
    try:
        feed = read_json_feed(data) if looks_like_json(data) else read_xml_feed(data)
    except NotAFeed as exc:
        return [], [Problem(shown, exc.line, "error", exc.message)]
    problems = [Problem(shown, line, "warning", message) for line, message in feed.warnings]
    if not feed.items:
        problems.append(Problem(shown, None, "warning",
                                "is a feed with no items; no pages come from it"))
    accepted: list[tuple[RawItem, str]] = []
    first_number: dict[str, int] = {}
    # Without an id, an item is known by its link; when several share one (a feed whose items
    # all link to one page), by its enclosure (a podcast episode's file), else by its title
    # and text. Never may an item be lost for want of an id.
    link_uses = Counter(item.link for item in feed.items if not item.id)
    enclosure_uses = Counter(item.enclosure for item in feed.items if not item.id)
    for item in feed.items:
        if item.id or (item.link and link_uses[item.link] == 1):
            item_id = item.id or item.link
        elif item.enclosure and enclosure_uses[item.enclosure] == 1:
            item_id = item.enclosure
        elif not item.link:
            # Neither guid/id nor link: the title and text are all there is to know it by.
            item_id = "sha256:" + item_digest(item, "")[:16]
            problems.append(Problem(shown, item.line, "warning", (
                f"{describe_item(item)} has no id and no link; its page may move when its "
                "title or text changes (give the item a guid or id)")))
        else:
            item_id = f"{item.link}#sha256:{item_digest(item, '')[:16]}"
            problems.append(Problem(shown, item.line, "warning", (
                f"{describe_item(item)} has no id and shares its link with other items; it is "
                "told apart by its title and text, so its page may move when they change "
                "(give each item a guid or id)")))
        if item_id in first_number:
            problems.append(Problem(shown, item.line, "warning", (
                f"{describe_item(item)} has the same id as item {first_number[item_id]}; "
                "only the first is imported (give each item its own guid or id)")))
            continue
        first_number[item_id] = item.number
        if _item_size(item) > MAX_ITEM_CHARS:
            problems.append(Problem(shown, item.line, "error", (
                f"{describe_item(item)} holds {_item_size(item) / _MB:.1f} MB of text, over the "
                f"{MAX_ITEM_CHARS // _MB} MB limit for one item; shorten it at the source")))
            continue
        accepted.append((item, item_id))
    parsed = _parse_html_items([item for item, _id in accepted])
    articles: list[Article] = []
    for (item, item_id), blocks in zip(accepted, parsed, strict=True):
        try:
            article, warnings = item_article(source, feed, item, item_id, blocks)
        except RecursionError:
            problems.append(Problem(shown, item.line, "error", (
                f"{describe_item(item)} has HTML nested too deeply to read; fix its markup "
                "at the source")))
            continue
        problems.extend(Problem(shown, line, "warning", message) for line, message in warnings)
        articles.append(article)
    problems.sort(key=lambda p: p.line or 0)  # in document order (stable: item by item)
    return articles, problems


def _parse_html_items(items: list[RawItem]) -> list[tuple[Block, ...] | None]:
    """The blocks of each item's HTML content (else summary), the items parsed together;
    None for an item to read on its own (plain-text content, or markup nested too deeply)."""
    clean: dict[int, str] = {}
    bases: dict[int, str] = {}
    for n, item in enumerate(items):
        content = item.content or item.summary
        if content is not None and content.type == "html":
            clean[n] = sanitise(content.value)
            bases[n] = content_base(content, item_link(item))
    html_at = list(clean)
    found: list[tuple[Block, ...] | None] = [None] * len(items)
    for n in html_at:
        if not clean[n].strip():
            found[n] = ()
    to_parse = [n for n in html_at if found[n] is None]
    nodes = parse_sanitised([clean[n] for n in to_parse])
    if nodes is None:
        return found
    for n, node in zip(to_parse, nodes, strict=True):
        try:
            found[n] = blocks_of(node, bases[n], items[n].line)
        except RecursionError:
            found[n] = None  # read on its own, where the error is reported
    return found
