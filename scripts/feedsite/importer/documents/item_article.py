"""Turn one item of a feed document into an Article: blocks, title, dates and provenance."""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
from urllib.parse import urljoin

import nh3

from feedsite.importer.decode import CONTROL_CHARS as CONTROL
from feedsite.importer.documents.html_blocks import html_blocks, resolve_url
from feedsite.importer.documents.items import Content, RawFeed, RawItem
from feedsite.importer.models import Article, Block, Inline, Origin, inline_text
from feedsite.importer.parse import ParseError, parse_article
from feedsite.local_urls import local_place

DERIVED_TITLE_WORDS = 10
DERIVED_TITLE_CHARS = 80


def plain_text(content: Content) -> str:
    """A title as text: markup removed, entities decoded, whitespace collapsed."""
    value = content.value
    if content.type == "html":
        value = html.unescape(nh3.clean(value, tags=set()))
    return " ".join(CONTROL.sub("", value).split())


def _text_blocks(text: str, line: int) -> tuple[Block, ...]:
    """Plain-text content read by the plain-text rules (blank lines separate blocks, list
    markers make lists), except that no line becomes a heading: a publisher's plain text (a
    video description, a JSON Feed `content_text`) has none, and its short lines ("Lyrics:",
    "Video made by: …") are text, not the titles of sections."""
    try:
        parsed = parse_article("", "title\n\n" + CONTROL.sub("", text), "")
    except ParseError:
        return ()
    return tuple(
        Block("paragraph", b.text, line) if b.kind == "heading"
        else dataclasses.replace(b, line=line)
        for b in parsed.blocks)


def content_base(content: Content, link: str) -> str:
    """What a content's relative URLs resolve against: its xml:base (itself made absolute
    against the item's link when relative), else the item's link."""
    if not content.base:
        return link
    try:
        return urljoin(link, content.base) if link else content.base
    except ValueError:  # a malformed base: the item's link is the best guess
        return link


def _blocks(content: Content | None, link: str, line: int) -> tuple[Block, ...]:
    if content is None:
        return ()
    if content.type == "text":
        return _text_blocks(content.value, line)
    return html_blocks(content.value, content_base(content, link), line)


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


def item_digest(item: RawItem, publisher: str, page: bool = False) -> str:
    """The item's content hash. With `page`, the hash of everything its page shows: the
    language and the bases its links resolve against count too (only when present, so the
    hash of an item without them, and an item id made from it, stay as they were)."""
    fields = [publisher, item.id, item.link, str(item.published), str(item.updated),
              *item.authors, "", *item.categories]
    for content in (item.title, item.content, item.summary):
        fields += ["", ""] if content is None else [content.type, content.value]
    shown = [item.language, *(c.base for c in (item.title, item.content, item.summary) if c)]
    if page and any(shown):
        fields += ["", *shown]
    # JSON keeps the fields apart whatever they hold (no separator could).
    canonical = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def describe_item(item: RawItem) -> str:
    """How messages name an item: its position and its id or title."""
    label = item.id or (plain_text(item.title) if item.title else "") or item.link
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


def _without_repeated_title(blocks: tuple[Block, ...], title: str) -> tuple[Block, ...]:
    """The blocks without a first heading that only repeats the title: many publishers start
    the content with it, and the page shows the title already."""
    if blocks and blocks[0].kind == "heading" and _folded(blocks[0].text) == _folded(title):
        return blocks[1:]
    return blocks


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def item_link(item: RawItem) -> str:
    """The item's original page: an absolute http(s) URL, or "" (also for localhost)."""
    link = resolve_url(item.link, "")
    return "" if link.lower().startswith("mailto:") or local_place(link) else link


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
    title = plain_text(item.title) if item.title is not None else ""
    if not title:  # from the item's own words, never from the placeholder text below
        derived = _derive_title(blocks)
        title = derived or f"Untitled item {item.number}"
        warnings.append((item.line, f"{describe_item(item)} has no title; using {title!r}"
                                    + (" from its text" if derived else "")
                                    + " (give the item a title to choose one)"))
    blocks = _without_repeated_title(blocks, title)
    if not blocks:
        blocks = _no_content_blocks(link, item.line)
        warnings.append((item.line, f"{describe_item(item)} has no content; its page "
                                    + ("links to the original" if link else "says so")))
    article = Article(
        source=source,
        title=title,
        title_line=item.line,
        blocks=blocks,
        source_sha256=item_digest(item, feed.title, page=True),
        item_id=item_id,
        topics=item.categories,
        origin=Origin(publisher=feed.title, link=link, authors=item.authors),
        published=item.published,
        updated=item.updated,
        language=item.language,
    )
    return article, warnings
