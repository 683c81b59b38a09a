"""Read the feed folder: every `*.txt` file becomes an Article or a Problem that names it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from feedsite.importer.decode import DecodeError, decode_feed_bytes
from feedsite.importer.models import Article
from feedsite.importer.parse import ParseError, parse_article
from feedsite.problems import Problem, shown_path

FEED_PATTERN = "*.txt"


@dataclass(frozen=True)
class FeedRead:
    """Articles in feed order (by file name), problems, and the sources that were rejected."""

    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]
    rejected: frozenset[str]


def feed_files(feed_dir: Path) -> list[Path]:
    """The feed's article files in feed order: sorted by name (hidden files skipped)."""
    if not feed_dir.is_dir():
        return []
    return sorted(
        (p for p in feed_dir.glob(FEED_PATTERN) if not p.name.startswith(".")),
        key=lambda p: p.name,
    )


def read_article(path: Path, source: str, shown: str) -> tuple[Article | None, list[Problem]]:
    """Read, decode and parse one feed file; `shown` is how messages name it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return None, [Problem(shown, None, "error",
                              f"cannot be read ({reason}); fix its permissions or remove it")]
    try:
        decoded = decode_feed_bytes(data)
    except DecodeError as exc:
        return None, [Problem(shown, exc.line, "error", exc.message)]
    problems = [Problem(shown, line, "warning", msg) for line, msg in decoded.warnings]
    sha = hashlib.sha256(data).hexdigest()
    try:
        article = parse_article(source, decoded.text, sha,
                                tuple(msg for _line, msg in decoded.warnings))
    except ParseError as exc:
        return None, [*problems, Problem(shown, exc.line, "error", exc.message)]
    return article, problems


def read_feed(feed_dir: Path, root: Path) -> FeedRead:
    """Read every article file; one bad file never stops the others."""
    articles: list[Article] = []
    problems: list[Problem] = []
    rejected: set[str] = set()
    for path in feed_files(feed_dir):
        source = path.relative_to(feed_dir).as_posix()
        shown = shown_path(path, root)
        article, found = read_article(path, source, shown)
        problems.extend(found)
        if article is None:
            rejected.add(source)
        else:
            articles.append(article)
    return FeedRead(tuple(articles), tuple(problems), frozenset(rejected))
