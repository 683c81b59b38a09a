"""Read one feed document (RSS, Atom or JSON Feed) into Articles, one per item."""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
from pathlib import Path

import nh3

from feedsite.importer.documents.html_blocks import (
    CONTROL,
    blocks_of,
    html_blocks,
    parse_sanitised,
    resolve_url,
    sanitise,
)
from feedsite.importer.documents.items import Content, NotAFeed, RawFeed, RawItem
from feedsite.importer.documents.json_feed import looks_like_json, read_json_feed
from feedsite.importer.documents.limits import MAX_DOCUMENT_BYTES, MAX_ITEM_CHARS
from feedsite.importer.documents.xml_feed import read_xml_feed
from feedsite.importer.models import Article, Block, Inline, Origin, inline_text
from feedsite.importer.parse import ParseError, parse_article
from feedsite.problems import Problem

DOCUMENT_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".json"})
DERIVED_TITLE_WORDS = 10
DERIVED_TITLE_CHARS = 80
_MB = 1024 * 1024


def _plain(content: Content) -> str:
    """A title as text: markup removed, entities decoded, whitespace collapsed."""
    value = content.value
    if content.type == "html":
        value = html.unescape(nh3.clean(value, tags=set()))
    return " ".join(CONTROL.sub("", value).split())


def _text_blocks(text: str, line: int) -> tuple[Block, ...]:
    """Plain-text content read by the plain-text rules (blank lines separate blocks)."""
    try:
        parsed = parse_article("", "title\n\n" + CONTROL.sub("", text), "")
    except ParseError:
        return ()
    return tuple(dataclasses.replace(b, line=line) for b in parsed.blocks)


def _blocks(content: Content | None, base: str, line: int) -> tuple[Block, ...]:
    if content is None:
        return ()
    if content.type == "text":
        return _text_blocks(content.value, line)
    return html_blocks(content.value, base, line)


def _derive_title(blocks: tuple[Block, ...]) -> str:
    """The first words of the item's first text, for an item without a title."""
    text = next((b.text or " ".join(b.items) for b in blocks
                 if b.kind in ("paragraph", "heading", "list")), "")
    words = text.split()[:DERIVED_TITLE_WORDS]
    title = ""
    for word in words:
        candidate = f"{title} {word}" if title else word
        if len(candidate) > DERIVED_TITLE_CHARS:
            break
        title = candidate
    if not title and words:
        title = words[0][:DERIVED_TITLE_CHARS]
    return f"{title}…" if title and len(text.split()) > len(title.split()) else title


def _digest(item: RawItem, publisher: str) -> str:
    """The item's content hash: a change to anything its page shows changes the page."""
    fields = [publisher, item.id, item.link, str(item.published), str(item.updated),
              *item.authors, "", *item.categories]
    for content in (item.title, item.content, item.summary):
        fields += ["", ""] if content is None else [content.type, content.value]
    # JSON keeps the fields apart whatever they hold (no separator could).
    canonical = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def describe_item(item: RawItem) -> str:
    """How messages name an item: its position and its id or title."""
    label = item.id or (item.title.value if item.title else "") or item.link
    label = " ".join(label.split())
    if len(label) > 60:
        label = label[:59] + "…"
    return f"item {item.number}" + (f" ({label!r})" if label else "")


def _no_content_blocks(link: str, line: int) -> tuple[Block, ...]:
    runs: tuple[Inline, ...]
    if link:
        runs = (Inline("text", "Read this article on "),
                Inline("link", href=link, children=(Inline("text", "the original site"),)),
                Inline("text", "."))
    else:
        runs = (Inline("text", "This item has no text."),)
    return (Block("paragraph", inline_text(runs), line, runs=runs),)


def item_link(item: RawItem) -> str:
    """The item's original page: an absolute http(s) URL, or ""."""
    link = resolve_url(item.link, "")
    return "" if link.lower().startswith("mailto:") else link


def item_article(source: str, feed: RawFeed, item: RawItem, item_id: str,
                 parsed: tuple[Block, ...] | None = None) -> tuple[Article, list[tuple[int, str]]]:
    """One item as an Article, with warnings (line, message) about what had to be made up.

    `parsed`: the blocks of the item's content (else its summary), when already read.
    """
    warnings: list[tuple[int, str]] = []
    link = item_link(item)
    if parsed is None:
        parsed = _blocks(item.content or item.summary, link, item.line)
    blocks = parsed
    if not blocks and item.content is not None:  # content with no text: try the summary
        blocks = _blocks(item.summary, link, item.line)
    if not blocks:
        blocks = _no_content_blocks(link, item.line)
        warnings.append((item.line, f"{describe_item(item)} has no content; its page "
                                    + ("links to the original" if link else "says so")))
    title = _plain(item.title) if item.title is not None else ""
    if not title:
        title = _derive_title(blocks) or f"Untitled item {item.number}"
        warnings.append((item.line, f"{describe_item(item)} has no title; using {title!r} "
                                    "from its text (give the item a title to choose one)"))
    article = Article(
        source=source,
        title=title,
        title_line=item.line,
        blocks=blocks,
        source_sha256=_digest(item, feed.title),
        item_id=item_id,
        topics=item.categories,
        origin=Origin(publisher=feed.title, link=link, authors=item.authors),
        published=item.published,
        updated=item.updated,
    )
    return article, warnings


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
    for item in feed.items:
        item_id = item.id or item.link
        if not item_id:
            # Neither guid/id nor link: the title and text are all there is to know it by.
            item_id = "sha256:" + _digest(item, "")[:16]
            problems.append(Problem(shown, item.line, "warning", (
                f"{describe_item(item)} has no id and no link; its page may move when its "
                "title or text changes (give the item a guid or id)")))
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
    for n, item in enumerate(items):
        content = item.content or item.summary
        if content is not None and content.type == "html":
            clean[n] = sanitise(content.value)
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
            found[n] = blocks_of(node, item_link(items[n]), items[n].line)
        except RecursionError:
            found[n] = None  # read on its own, where the error is reported
    return found
