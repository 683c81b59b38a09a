"""Typed records of the checker: what the loader extracts from a page and what checks report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class Severity(StrEnum):
    """How much a finding matters; `off` findings are dropped by the policy."""

    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


LinkKind = Literal["a", "area", "img", "source", "link", "script", "media", "iframe", "object"]
BlockKind = Literal["heading", "paragraph", "item", "other"]


@dataclass(frozen=True)
class Link:
    """One URL in a page's content area, as written in the HTML (entities decoded)."""

    kind: LinkKind
    attr: str  # "href", "src", "srcset", "poster", "data"
    url: str
    line: int  # 1-based line of the element's start tag in the HTML file
    column: int  # 1-based column of that tag
    text: str = ""  # link text for <a>, alt text for <img>; helps map to the Markdown


@dataclass(frozen=True)
class Heading:
    """One h1-h6 inside the content area."""

    level: int
    id: str
    text: str  # visible text without the permalink marker
    line: int
    column: int


@dataclass(frozen=True)
class Block:
    """A piece of the content area in document order: heading, paragraph, list item or other."""

    kind: BlockKind
    text: str
    line: int
    level: int = 0  # heading level for headings


@dataclass(frozen=True)
class IdSpot:
    """Where an id is defined inside the content area."""

    id: str
    line: int
    column: int


@dataclass(frozen=True)
class Page:
    """What the checker needs from one built HTML file."""

    path: str  # site-relative, forward slashes: "articles/x/index.html"
    base_href: str  # value of <base href>, "" when absent
    ids: frozenset[str]  # every id and <a name> anywhere in the page
    id_counts: tuple[tuple[str, int], ...]  # ids defined more than once anywhere in the page
    content_ids: tuple[IdSpot, ...]
    links: tuple[Link, ...]  # content area only, outside pre/code
    other_hrefs: tuple[str, ...]  # <a>/<area> hrefs outside the content area (nav, footer)
    headings: tuple[Heading, ...]
    blocks: tuple[Block, ...]
    content_line: int  # line where the content area starts
    decode_note: str = ""  # set when the bytes were not valid UTF-8


@dataclass(frozen=True)
class SourceSpot:
    """A place in a source file: docs-relative Markdown, or a feed file relative to feed/."""

    path: str
    line: int
    column: int
    root: Literal["docs", "feed"] = "docs"
    written: str = ""  # for links: the URL as the author wrote it in the Markdown


@dataclass(frozen=True)
class Problem:
    """What a check reports, before the policy gives it a severity.

    `page` is the site-relative HTML file; `line`/`column` are HTML positions; `source` is the
    Markdown spot when the problem could be traced there.
    """

    rule: str
    page: str
    line: int
    column: int
    message: str
    link: str = ""
    target: str = ""
    suggestion: str = ""
    source: SourceSpot | None = None


@dataclass(frozen=True)
class Finding:
    """One reported problem: where (display path, 1-based line and column), what and how bad."""

    path: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    link: str = ""
    target: str = ""
    suggestion: str = ""


@dataclass(frozen=True)
class Summary:
    """Counts for the report footer and the exit code."""

    pages: int
    errors: int
    warnings: int
    files: int  # files with at least one finding
    skipped_rules: tuple[str, ...] = field(default=())
