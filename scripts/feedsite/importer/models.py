"""Typed records handed from stage to stage: feed article -> page -> findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list"]


@dataclass(frozen=True)
class Block:
    """One block of a feed article, as the author wrote it.

    `text` is the exact source text: for a paragraph, its hard-wrapped lines joined with one
    space; for a heading, the line; for a list, unused ("" ) and `items` holds the item texts
    without their markers. `line` is the 1-based line in the feed file where the block starts.
    """

    kind: BlockKind
    text: str
    line: int
    items: tuple[str, ...] = ()
    ordered: bool = False


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

    @property
    def key(self) -> str:
        """What identifies the article across imports: its file, plus the item id in a document."""
        return self.source if self.item_id is None else f"{self.source}#{self.item_id}"

    @property
    def sections(self) -> tuple[str, ...]:
        """Section headings in order."""
        return tuple(b.text for b in self.blocks if b.kind == "heading")
