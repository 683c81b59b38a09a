"""Render an Article as a Markdown page with front matter (pure: no disk, no clock)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from feedsite.importer.escape import escape_block
from feedsite.importer.facts import count_words, describe, reading_minutes
from feedsite.importer.frontmatter import GENERATOR, dump_page
from feedsite.importer.models import Article, Block


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


def _render_block(block: Block) -> str:
    if block.kind == "heading":
        return f"## {escape_block(block.text)}"
    if block.kind == "list":
        if block.ordered:
            return "\n".join(f"{n}. {escape_block(item)}" for n, item in enumerate(block.items, 1))
        return "\n".join(f"- {escape_block(item)}" for item in block.items)
    return escape_block(block.text)


# Python-Markdown joins a list to the list right before it (even an ordered one to a bullet
# list, turning both into one loose list); an HTML comment between them keeps them apart.
LIST_SEPARATOR = "<!-- -->"


def render_body(article: Article) -> str:
    """The Markdown body: `# Title`, then every block, each separated by one blank line."""
    parts = [f"# {escape_block(article.title)}"]
    previous: Block | None = None
    for block in article.blocks:
        if block.kind == "list" and previous is not None and previous.kind == "list":
            parts.append(LIST_SEPARATOR)
        parts.append(_render_block(block))
        previous = block
    return "\n" + "\n\n".join(parts) + "\n"


def page_meta(article: Article, info: PageInfo) -> dict[str, Any]:
    """Front matter values in the order they are written (the checksum is added on dump)."""
    words = count_words(article)
    meta: dict[str, Any] = {
        "title": article.title,
        "description": describe(article),
        "source": article.source,
        "source_sha256": article.source_sha256,
        "published": info.published,
    }
    if info.updated is not None:
        meta["updated"] = info.updated
    meta.update(info.author_meta)
    meta["reading_time"] = reading_minutes(words)
    meta["words"] = words
    for key, neighbour in (("previous", info.previous), ("next", info.next)):
        if neighbour is not None:
            meta[key] = {"title": neighbour.title, "url": neighbour.url}
    meta["generator"] = GENERATOR
    return meta


def render_page(article: Article, info: PageInfo) -> str:
    """The whole page text as the importer writes it."""
    return dump_page(page_meta(article, info), render_body(article))
