"""Heading-slug rules (MkDocs toc and GitHub) and nearest-match helpers for suggestions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_GITHUB_DROP = re.compile(r"[^\w\- ]", re.UNICODE)
_MKDOCS_DROP = re.compile(r"[^\w\s-]")
_MKDOCS_SQUASH = re.compile(r"[-\s]+")


def mkdocs_slug(text: str, separator: str = "-") -> str:
    """Python-Markdown's default toc slugify: ASCII-folded, punctuation dropped, runs squashed."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = _MKDOCS_DROP.sub("", value).strip().lower()
    return _MKDOCS_SQUASH.sub(separator, value)


def github_slug(text: str) -> str:
    """GitHub's anchor rule: lower case, keep Unicode letters, drop punctuation, space -> '-'."""
    return _GITHUB_DROP.sub("", text.strip().lower()).replace(" ", "-")


def github_slugs(headings: Iterable[str]) -> dict[str, int]:
    """Map each GitHub-style slug (with GitHub's `-1`, `-2` duplicate suffixes) to the index of
    its heading."""
    seen: dict[str, int] = {}
    slugs: dict[str, int] = {}
    for index, text in enumerate(headings):
        base = github_slug(text)
        count = seen.get(base, 0)
        seen[base] = count + 1
        slugs[base if count == 0 else f"{base}-{count}"] = index
    return slugs


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up early (returning limit + 1) once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def nearest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to `word`, if it is close enough to be a plausible typo."""
    limit = max(2, len(word) // 3)
    best: tuple[int, str] | None = None
    for candidate in candidates:
        distance = edit_distance(word, candidate, limit)
        if distance <= limit and (best is None or (distance, candidate) < best):
            best = (distance, candidate)
    return best[1] if best else None
