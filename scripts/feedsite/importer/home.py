"""The managed article list in the hand-written home page, between two marker comments."""

from __future__ import annotations

from collections.abc import Sequence

from feedsite.importer.entry import Entry
from feedsite.importer.escape import escape_block, escape_inline

START_MARKER = "<!-- feedsite:articles:start -->"
END_MARKER = "<!-- feedsite:articles:end -->"


class RegionError(Exception):
    """The page lacks a usable managed region; the message says how to add one."""


def render_listing(entries: Sequence[Entry]) -> str:
    """One list item per article: the linked title, then a paragraph with description and
    reading time (site.css styles the items that follow `## Articles` as cards)."""
    if not entries:
        return "No articles yet: add a file to the feed folder and run `feedsite import`.\n"
    items = [
        f"- [{escape_inline(e.article.title)}]({e.page})\n\n"
        f"    {escape_block(e.description)} · {e.reading_time} min read"
        for e in entries
    ]
    return "\n\n".join(items) + "\n"


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
