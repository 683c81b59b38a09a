"""Places in a text file: a line and column from an offset, and blanking parts of a text
without moving anything after them."""

from __future__ import annotations

import re

_NOT_NEWLINE = re.compile(r"[^\n]")


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of `offset` in `text`."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def blanked(match: re.Match[str]) -> str:
    """A match's text as spaces, its line breaks kept (for `pattern.sub(blanked, text)`)."""
    return _NOT_NEWLINE.sub(" ", match.group())
