"""Drafts: articles whose title line starts with `Draft:` are previewed but never published.

A draft gets no page in docs/ and appears in no list or reader feed; `mkdocs serve` shows its
page from memory with a "Draft" note (feedsite.preview). Deleting `Draft:` publishes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DRAFT_PREFIX = "Draft:"
_MARKER = re.compile(r"^draft:\s*", re.IGNORECASE)


def split_draft_title(title: str) -> tuple[bool, str]:
    """(is a draft, the title without the marker) for a feed file's title line."""
    match = _MARKER.match(title)
    if match is None:
        return False, title
    return True, title[match.end():].strip()


@dataclass(frozen=True)
class DraftPage:
    """The page a draft would have: where it would live and its full text (never written)."""

    path: Path
    source: str
    content: str
