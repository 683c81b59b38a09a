"""Render an Article as a Markdown page with front matter (pure: no disk, no clock)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from feedsite.importer.escape import escape_block
from feedsite.importer.facts import count_words, describe, reading_minutes
from feedsite.importer.frontmatter import GENERATOR, dump_page
from feedsite.importer.models import Article, Block
from feedsite.importer.readability import readability_meta
from feedsite.importer.render_markup import (
    LIST_SEPARATOR,
    LocalTargets,
    render_markup_block,
)


@dataclass(frozen=True)
class Neighbour:
    """The previous or next article: its title and docs-relative page path (articles/x.md)."""

    title: str
    url: str


@dataclass(frozen=True)
class PageInfo:
    """What the page needs besides the article: dates, neighbours, author-owned keys to keep."""

    published: dt.date
    updated: dt.date | None = None
    previous: Neighbour | None = None
    next: Neighbour | None = None
    author_meta: tuple[tuple[str, Any], ...] = ()
    # A feed document's links to its other items and its images stored on this site.
    local: LocalTargets = field(default_factory=LocalTargets)
    topics: tuple[Neighbour, ...] = ()  # the article's topic pages (lists/collect.py)
    related: tuple[Neighbour, ...] = ()  # a few articles on the same topics


def _render_block(block: Block, local: LocalTargets) -> str:
    if block.runs or block.entries or block.kind in ("quote", "code", "table", "image"):
        return render_markup_block(block, local)  # a feed document's marked-up block
    if block.kind == "heading":
        return f"## {escape_block(block.text)}"
    if block.kind == "list":
        if block.ordered:
            return "\n".join(f"{n}. {escape_block(item)}" for n, item in enumerate(block.items, 1))
        return "\n".join(f"- {escape_block(item)}" for item in block.items)
    return escape_block(block.text)


def render_body(article: Article, local: LocalTargets | None = None) -> str:
    """The Markdown body: `# Title`, then every block, each separated by one blank line.

    `local` maps a feed document's links to its other items, and its images, to this site.
    """
    local = local if local is not None else LocalTargets()
    parts = [f"# {escape_block(article.title)}"]
    previous: Block | None = None
    for block in article.blocks:
        if block.kind == "list" and previous is not None and previous.kind == "list":
            parts.append(LIST_SEPARATOR)
        parts.append(_render_block(block, local))
        previous = block
    return "\n" + "\n\n".join(parts) + "\n"


def page_meta(article: Article, info: PageInfo) -> dict[str, Any]:
    """Front matter values in the order they are written (the checksum is added on dump)."""
    words = count_words(article)
    meta: dict[str, Any] = {
        "title": article.title,
        "description": describe(article),
        "source": article.source,
    }
    if article.item_id is not None:
        meta["item"] = article.item_id
    if article.language:
        meta["language"] = article.language  # the page marks its text as this language
    meta["source_sha256"] = article.source_sha256
    meta["published"] = info.published
    meta.update(provenance_meta(article, info.local))
    if info.updated is not None:
        meta["updated"] = info.updated
    meta.update(info.author_meta)
    meta["reading_time"] = reading_minutes(words)
    meta["words"] = words
    meta.update(readability_meta(article))  # for authors and `feedsite check`; never shown
    for key, neighbour in (("previous", info.previous), ("next", info.next)):
        if neighbour is not None:
            meta[key] = {"title": neighbour.title, "url": neighbour.url}
    for key, links in (("topics", info.topics), ("related", info.related)):
        if links:
            meta[key] = [{"title": link.title, "url": link.url} for link in links]
    if article.draft:
        meta["draft"] = True  # previewed by `mkdocs serve` only (importer/drafts.py)
    meta["generator"] = GENERATOR
    return meta


def provenance_meta(article: Article, local: LocalTargets) -> dict[str, Any]:
    """A feed document item's provenance, and its images not stored here (for the checker)."""
    meta: dict[str, Any] = {}
    if article.origin.publisher and article.item_id is not None:
        meta["publisher"] = article.origin.publisher
    if article.origin.link:
        meta["original_url"] = article.origin.link
    if article.origin.authors:
        meta["authors"] = list(article.origin.authors)
    remote = remote_images(article, local)
    if remote:
        meta["remote_images"] = remote
    return meta


def remote_images(article: Article, local: LocalTargets) -> list[str]:
    """Source URLs of the article's images that are not stored on this site, in order."""
    found: list[str] = []
    stack = list(reversed(article.blocks))
    while stack:
        block = stack.pop()
        if block.kind == "image" and block.href not in local.media:
            found.append(block.href)
        stack.extend(reversed(block.children))
    return found


def render_page(article: Article, info: PageInfo) -> str:
    """The whole page text as the importer writes it."""
    return dump_page(page_meta(article, info), render_body(article, info.local))
