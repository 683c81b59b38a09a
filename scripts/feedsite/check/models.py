"""Typed records of the checker: what the loader extracts from a page and what checks report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class Severity(StrEnum):
    """How much a finding matters; `off` findings are dropped by the policy."""

    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


LinkKind = Literal[
    "a", "area", "img", "source", "link", "script", "media", "iframe", "object", "redirect",
    "form", "css",
]
BlockKind = Literal["heading", "paragraph", "item", "other"]


@dataclass(frozen=True)
class Link:
    """One URL in a page's content area, as written in the HTML (entities decoded)."""

    kind: LinkKind
    attr: str  # "href", "src", "srcset", "poster", "data"; "" for an <img> with no source
    url: str
    text: str = ""  # alt text for <img>
    no_alt: bool = False  # on the first link of an <img> that has no alt attribute at all


@dataclass(frozen=True)
class Heading:
    """One h1-h6 inside the content area."""

    level: int
    id: str
    text: str  # visible text without the permalink marker


# A piece of the content area in document order: (kind, digest, level, heading), where kind
# is "heading", "paragraph", "item" or "other"; digest is the `text_digest` of its text (0 for
# headings and empty blocks); level and heading are a heading's level and its index into
# Page.headings (0 and -1 for other blocks).
#
# Text is kept as a digest: parity only asks whether a feed paragraph is on the page, and
# full text would make pages heavy to hold and to send between processes. A plain tuple, not
# a class: a site has tens of thousands, and the side process and the cache pickle them,
# which takes a fifth of the time a dataclass or named tuple takes.
Block = tuple[BlockKind, int, int, int]


def text_digest(text: str) -> int:
    """A stable 64-bit digest of text with runs of whitespace made one space (0 for no text).
    `normalise_space` and `normalised_digest` written out in one: the loader calls it for every
    paragraph of every page, where two more calls are a third of its time."""
    if not (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "):
        text = " ".join(text.split())
    if not text:
        return 0
    return _from_bytes(_blake2b(text.encode(), digest_size=8).digest(), "big")


_blake2b = hashlib.blake2b
_from_bytes = int.from_bytes


def normalise_space(text: str) -> str:
    """`" ".join(text.split())`: runs of whitespace made one space, none at the ends. Most text
    needs no change, and telling so is cheaper than splitting it (a fifth of the time)."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        # Printable text holds no whitespace but the ASCII space (str.isprintable excludes
        # every other separator and control character, which are all that split() splits on).
        return text
    return " ".join(text.split())


def normalised_digest(normalised: str) -> int:
    """`text_digest` of text whose whitespace is already normalised (saves a second pass)."""
    if not normalised:
        return 0
    return _from_bytes(_blake2b(normalised.encode(), digest_size=8).digest(), "big")


@dataclass(frozen=True)
class Page:
    """What the checker needs from one built HTML file (positions are found on demand)."""

    path: str  # site-relative, forward slashes: "articles/x/index.html"
    base_href: str  # value of <base href>, "" when absent
    ids: frozenset[str]  # every id and <a name> anywhere in the page
    id_counts: tuple[tuple[str, int], ...]  # ids defined more than once anywhere in the page
    content_ids: tuple[str, ...]  # ids inside the content area, in document order
    links: tuple[Link, ...]  # content area only, outside pre/code
    other_hrefs: tuple[str, ...]  # every <a>/<area> href and <form> action (nav, footer, content)
    headings: tuple[Heading, ...]
    blocks: tuple[Block, ...]
    decode_note: str = ""  # set when the bytes were not valid UTF-8
    read_error: str = ""  # set when the file could not be read at all
    # Assets (stylesheets, scripts, icons, images...) outside the content area, i.e. the
    # theme's: checked once per site, since every page built from a template repeats them.
    assets: tuple[Link, ...] = ()
    # <a> and <area> links outside the content area (navigation, header, footer): the
    # template's, checked once per site like its assets.
    template_links: tuple[Link, ...] = ()
    # "[text][label]" or "![alt][label]" shown as text in the content (code aside): Markdown
    # renders a reference link or image that way when no "[label]: URL" defines its label.
    literal_references: tuple[str, ...] = ()
    # `<a .../>` as written (line, column, tag): HTML has no self-closing <a>, so the element
    # runs on over what follows, and browsers copy it into the next blocks.
    self_closed_links: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class Positions:
    """Line and column (1-based) of a page's content links, headings and ids, in order.

    Found with a second, position-aware parse only for pages that have findings.
    """

    content_line: int
    links: tuple[tuple[str, int, int], ...]  # (url, line, column)
    headings: tuple[tuple[str, int, int], ...]  # (text, line, column)
    ids: tuple[tuple[str, int, int], ...]  # (id, line, column)


@dataclass(frozen=True)
class SourceSpot:
    """A place in a source file: docs-relative Markdown, or a feed file relative to feed/."""

    path: str
    line: int
    column: int
    root: Literal["docs", "feed"] = "docs"
    written: str = ""  # for links: the URL as the author wrote it in the Markdown


ElementKind = Literal[
    "link", "heading", "id", "content", "file", "asset", "template-link", "position"
]


@dataclass(frozen=True)
class Element:
    """What in the HTML a problem is about; its line and column are looked up only when the
    problem cannot be traced to a Markdown source."""

    kind: ElementKind
    index: int = 0  # link, heading or asset index in the page; occurrence for ids; a line
    name: str = ""  # the id for kind "id"
    column: int = 0  # with kind "position": the line (index) and column in a file not HTML


@dataclass(frozen=True)
class Problem:
    """What a check reports, before the policy gives it a severity and a position.

    `page` is the site-relative HTML file ("" for problems about a feed file); `source` is the
    Markdown (or feed) spot when the problem could be traced there.
    """

    rule: str
    page: str
    element: Element
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
