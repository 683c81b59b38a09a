"""Parse the text of one feed article into an Article: title, headings, paragraphs and lists.

The feed format, in words an author can apply by hand:

- The first non-blank line is the title.
- After the title, blank lines separate blocks. A line holding only spaces counts as blank.
- A line that starts with "-", "*" or a number of one or two digits and a "." (for
  example "1." or "12."), then a space and text, is a list item; the lines under it, up to
  the next item or blank line, continue it. A number of three or more digits ("1986.")
  starts no list.
- A block that is a single line (not a list item) is a section heading when all of these hold:
  it has at most 15 words and 120 characters; it does not end with ".", ",", ";", ":" or "…"
  (closing quotes and brackets are ignored when looking at the end, and "?" or "!" is fine:
  "Is it safe?" is a heading); its first letter is not a lowercase letter; and it contains at
  least one letter (so "2024" or "3.5%" are not headings).
- Every other block is a paragraph; its hard-wrapped lines are joined with one space.

To keep a short line as a paragraph, end it with a full stop. To make a long line a heading,
shorten it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from feedsite.importer.drafts import DRAFT_PREFIX, split_draft_title
from feedsite.importer.models import Article, Block

MAX_HEADING_WORDS = 15
MAX_HEADING_CHARS = 120
_ITEM = re.compile(r"(?:(?P<bullet>[-*])|(?P<number>[0-9]{1,2})\.)\s+(?P<text>\S.*)$")
# The first characters an item line can have (_ITEM): other lines need no regex.
_ITEM_STARTS = frozenset("-*0123456789")
_NOT_A_HEADING_END = frozenset(".,;:…")
_CLOSERS = "\"'”’»)]}"


class ParseError(Exception):
    """The article cannot be imported; `line` is the 1-based line it concerns."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def is_heading_text(text: str) -> bool:
    """Whether a single stripped line reads as a section heading under the rule above."""
    if not text or len(text) > MAX_HEADING_CHARS or len(text.split()) > MAX_HEADING_WORDS:
        return False
    end = text.rstrip(_CLOSERS)
    if not end or end[-1] in _NOT_A_HEADING_END:
        return False
    first_letter = next((c for c in text if c.isalpha()), None)
    if first_letter is None:
        return False
    return not first_letter.islower()


def _groups(lines: list[str], start: int) -> Iterator[tuple[int, int]]:
    """The runs of non-blank lines from `start` on, separated by blank lines: (first, end)."""
    index, count = start, len(lines)
    while index < count:
        if not lines[index]:
            index += 1
            continue
        first = index
        while index < count and lines[index]:
            index += 1
        yield first, index


def _parse_group(lines: list[str], first: int, end: int) -> list[Block]:
    """One blank-line-separated group of stripped `lines[first:end]` (line numbers are indexes
    plus one): a heading, a paragraph, lists, or a paragraph then lists."""
    if not any(line[0] in _ITEM_STARTS for line in lines[first:end]):
        # No line can start a list item (most groups): a heading or a paragraph.
        if end - first == 1 and is_heading_text(lines[first]):
            return [Block("heading", lines[first], first + 1)]
        return [Block("paragraph", " ".join(lines[first:end]), first + 1)]
    blocks: list[Block] = []
    paragraph: list[int] = []  # indexes of the paragraph's lines
    items: list[str] = []
    items_line = 0
    ordered = False

    def flush_list() -> None:
        nonlocal items
        if items:
            blocks.append(Block("list", "", items_line, tuple(items), ordered))
            items = []

    for index in range(first, end):
        text = lines[index]
        match = _ITEM.match(text) if text[0] in _ITEM_STARTS else None
        if match is not None:
            if paragraph:
                blocks.append(Block("paragraph", " ".join(lines[i] for i in paragraph),
                                    paragraph[0] + 1))
                paragraph = []
            is_number = match.group("number") is not None
            if items and is_number != ordered:
                flush_list()  # switching between bullets and numbers starts a new list
            if not items:
                items_line, ordered = index + 1, is_number
            items.append(match.group("text").strip())
        elif items:
            items[-1] = f"{items[-1]} {text}"  # a wrapped list item
        else:
            paragraph.append(index)
    if paragraph:
        if end - first == 1 and is_heading_text(lines[paragraph[0]]):
            blocks.append(Block("heading", lines[paragraph[0]], paragraph[0] + 1))
        else:
            blocks.append(Block("paragraph", " ".join(lines[i] for i in paragraph),
                                paragraph[0] + 1))
    flush_list()
    return blocks


def parse_article(source: str, text: str, source_sha256: str,
                  warnings: tuple[str, ...] = ()) -> Article:
    """Parse decoded feed text (lines end with `\\n`); raise ParseError when it has no article."""
    lines = [raw.strip() for raw in text.split("\n")]  # line number: index plus one
    title_index = next((i for i, line in enumerate(lines) if line), None)
    if title_index is None:
        raise ParseError(
            "is empty or holds only whitespace; write the title on the first line and the "
            "article below it, or delete the file",
            1,
        )
    title, title_line = lines[title_index], title_index + 1
    draft, title_text = split_draft_title(title)
    if not title_text:
        raise ParseError(f"the title line holds only {DRAFT_PREFIX!r}; write the title after it",
                         title_line)
    blocks: list[Block] = []
    for first, end in _groups(lines, title_index + 1):
        blocks.extend(_parse_group(lines, first, end))
    if not blocks:
        raise ParseError(
            "has a title but no body; add the article text below the title, "
            "separated by a blank line",
            title_line,
        )
    return Article(
        source=source,
        title=title_text,
        title_line=title_line,
        blocks=tuple(blocks),
        source_sha256=source_sha256,
        warnings=warnings,
        draft=draft,
    )
