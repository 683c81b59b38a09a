"""Start a new feed article: a file name that fits the feed's naming, and a skeleton text."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from feedsite.importer.drafts import DRAFT_PREFIX

# The feed's naming: a zero-padded sequence number, "_", 16 hex digits.
_FEED_NAME = re.compile(r"^(?P<number>\d+)_[0-9a-f]{16}\.txt$")
DEFAULT_WIDTH = 3


def next_file_name(title: str, existing_names: Iterable[str]) -> str:
    """`NNN_<16 hex>.txt`: one more than the highest number in the feed, hex from the title."""
    numbers = [m for m in (_FEED_NAME.match(n) for n in existing_names) if m is not None]
    width = max((len(m.group("number")) for m in numbers), default=DEFAULT_WIDTH)
    following = max((int(m.group("number")) for m in numbers), default=-1) + 1
    digest = hashlib.sha256(title.encode("utf-8")).hexdigest()[:16]
    return f"{following:0{width}d}_{digest}.txt"


# The skeleton's placeholder texts: `feedsite check` reports any left in an article.
PLACEHOLDER_HEADING = "First section heading"
PLACEHOLDER_TEXTS = (
    "Write the introduction here: one or two sentences that say what the article covers. "
    "The first sentences become the page description.",
    "Write the section here. Separate paragraphs with a blank line; a short line on its own "
    "without a full stop becomes a section heading.",
    "Lines that start with a dash make a list.",
)


def skeleton_text(title: str) -> str:
    """A draft article an author can edit: title, introduction, one section.

    It starts as a draft (`Draft:` before the title), so nothing is published until the author
    deletes that marker.
    """
    intro, section, item = PLACEHOLDER_TEXTS
    return (
        f"{DRAFT_PREFIX} {title}\n"
        "\n"
        f"{intro}\n"
        "\n"
        f"{PLACEHOLDER_HEADING}\n"
        "\n"
        f"{section}\n"
        "\n"
        f"- {item}\n"
    )
