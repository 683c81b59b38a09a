"""Typed records handed from stage to stage: feed article -> page -> findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list", "quote", "code", "table", "image"]
InlineKind = Literal["text", "em", "strong", "code", "link", "break"]


@dataclass(frozen=True)
class Inline:
    """A run of text inside a block of a feed document's item, with its markup.

    `text` holds the characters of a text or code run; em, strong and link runs hold their
    content in `children`; a link's `href` is absolute; a break is a line break.
    """

    kind: InlineKind
    text: str = ""
    href: str = ""
    children: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class ListItem:
    """One item of a document's list: its text (plain and marked up) and nested lists."""

    text: str
    runs: tuple[Inline, ...]
    blocks: tuple[Block, ...] = ()  # nested lists


@dataclass(frozen=True)
class Block:
    """One block of a feed article, as the author wrote it.

    `text` is the exact source text: for a paragraph, its hard-wrapped lines joined with one
    space; for a heading, the line; for a list, unused ("" ) and `items` holds the item texts
    without their markers. `line` is the 1-based line in the feed file where the block starts.

    Feed documents add what HTML content needs: `runs` (inline markup; empty for plain text,
    whose `text` is the whole story), heading `level` (2-4), a list's `start` and `entries`
    (items with markup and nested lists; `items` still holds their plain texts), a quote's
    `children`, a code block's `text`, a table's `rows` (first row the header, each cell its
    runs) and an image's alt `text` and source URL `href`.
    """

    kind: BlockKind
    text: str
    line: int
    items: tuple[str, ...] = ()
    ordered: bool = False
    level: int = 2
    runs: tuple[Inline, ...] = ()
    start: int = 1
    entries: tuple[ListItem, ...] = ()
    children: tuple[Block, ...] = ()
    rows: tuple[tuple[tuple[Inline, ...], ...], ...] = ()
    href: str = ""


@dataclass(frozen=True)
class Origin:
    """Provenance shown to readers: who published the article and where the original lives."""

    publisher: str = ""  # a feed document's title, or the site's configured publisher
    link: str = ""  # the original item's URL ("" for plain-text articles)
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """A parsed feed article: title plus blocks in order, with where it came from."""

    source: str  # feed file name relative to the feed folder, forward slashes
    title: str
    title_line: int
    blocks: tuple[Block, ...]
    source_sha256: str  # of the raw file bytes
    warnings: tuple[str, ...] = field(default=())  # e.g. "decoded as Windows-1252"
    # A feed document's item id (guid/id, else link); None for a plain-text article file.
    item_id: str | None = None
    topics: tuple[str, ...] = ()  # topic names: the feed subfolder, or item categories
    origin: Origin = field(default_factory=Origin)
    published: dt.date | None = None  # the item's own dates; None: the importer's dates
    updated: dt.date | None = None
    draft: bool = False  # not published: kept out of lists, search and reader feeds
    language: str = ""  # the item's declared language (BCP 47, e.g. "fr-ch"); "" unstated

    @property
    def key(self) -> str:
        """What identifies the article across imports: its file, plus the item id in a document."""
        return self.source if self.item_id is None else f"{self.source}#{self.item_id}"

    @property
    def sections(self) -> tuple[str, ...]:
        """Section (level-2) headings in order."""
        return tuple(b.text for b in self.blocks if b.kind == "heading" and b.level == 2)


def inline_text(runs: tuple[Inline, ...]) -> str:
    """The visible text of inline runs, whitespace collapsed (a line break reads as a space)."""
    if len(runs) == 1 and runs[0].kind == "text":  # most paragraphs: one run of text
        return " ".join(runs[0].text.split())
    if all(run.kind == "text" for run in runs):
        return " ".join("".join(run.text for run in runs).split())
    parts: list[str] = []
    stack = list(reversed(runs))
    while stack:
        run = stack.pop()
        if run.kind in ("text", "code"):
            parts.append(run.text)
        elif run.kind == "break":
            parts.append(" ")
        else:
            stack.extend(reversed(run.children))
    return " ".join("".join(parts).split())


def text_blocks(blocks: tuple[Block, ...]) -> list[tuple[str, int, str]]:
    """(kind, line, text) of every paragraph and list item, quotes and nested lists included.

    A list item's text includes its nested lists' texts, as the item's element does in HTML
    (so nested items are not listed again on their own).
    """
    found: list[tuple[str, int, str]] = []
    for block in blocks:
        if block.kind == "paragraph":
            found.append(("paragraph", block.line, block.text))
        elif block.kind == "list":
            if block.entries:
                found.extend(("list item", block.line, _deep_item_text(e))
                             for e in block.entries)
            else:
                found.extend(("list item", block.line, item) for item in block.items)
        elif block.kind == "quote":
            found.extend(text_blocks(block.children))
    return found


def _deep_item_text(entry: ListItem) -> str:
    nested = [_deep_item_text(e) for block in entry.blocks for e in block.entries]
    return " ".join([entry.text, *nested]).strip()
