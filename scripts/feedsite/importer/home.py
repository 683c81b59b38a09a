"""The managed region of the hand-written home page, between two marker comments
(its content: lists/markdown.py `home_region`)."""

from __future__ import annotations

START_MARKER = "<!-- feedsite:articles:start -->"
END_MARKER = "<!-- feedsite:articles:end -->"


class RegionError(Exception):
    """The page lacks a usable managed region; the message says how to add one."""


def replace_region(text: str, listing: str) -> str:
    """`text` with everything between the marker lines replaced by `listing`."""
    start = text.find(START_MARKER)
    end = text.find(END_MARKER)
    if start < 0 or end < 0:
        raise RegionError(
            f"has no managed article list; add a line {START_MARKER} and a line {END_MARKER} "
            "where the list should go"
        )
    if end < start:
        raise RegionError(f"has {END_MARKER} before {START_MARKER}; swap the two marker lines")
    if text.find(START_MARKER, start + 1) >= 0 or text.find(END_MARKER, end + 1) >= 0:
        raise RegionError("has more than one managed article list; keep one pair of marker lines")
    head = text[: start + len(START_MARKER)]
    return f"{head}\n{listing}{text[end:]}"
