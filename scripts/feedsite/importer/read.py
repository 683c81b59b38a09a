"""Read the feed folder: every feed file becomes Articles or Problems that name it.

Plain-text articles (`*.txt`) sit in `feed/` or one folder down; a folder is a topic
(`feed/hair-loss/*.txt` -> topic "Hair loss"). `read_source` reads one file, so other kinds of
feed file plug in there and the import cache can skip unchanged files as a whole.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from feedsite.importer.decode import DecodeError, decode_feed_bytes
from feedsite.importer.documents import DOCUMENT_SUFFIXES, read_document
from feedsite.importer.models import Article
from feedsite.importer.parse import ParseError, parse_article
from feedsite.importer.topics import folder_topic
from feedsite.problems import Problem, shown_path

FEED_SUFFIXES = (".txt", *sorted(DOCUMENT_SUFFIXES))


@dataclass(frozen=True)
class FeedRead:
    """Articles in feed order (by file path), problems, and the sources that were rejected."""

    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]
    rejected: frozenset[str]


def _visible(name: str) -> bool:
    return not name.startswith(".")


def feed_files(feed_dir: Path) -> list[Path]:
    """The feed's files in feed order: sorted by path relative to the feed folder.

    Files directly in the folder and in its subfolders (any depth; the first folder names the
    topic); hidden files and folders are skipped.
    """
    if not feed_dir.is_dir():
        return []
    found: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(feed_dir):
        dirs[:] = [d for d in dirs if _visible(d)]
        base = Path(folder)
        rel = base.relative_to(feed_dir).as_posix()
        prefix = "" if rel == "." else rel + "/"
        for name in files:
            if _visible(name) and name.endswith(FEED_SUFFIXES):
                found.append((prefix + name, base / name))
    found.sort(key=lambda item: item[0])
    return [path for _rel, path in found]


def read_article(path: Path, source: str, shown: str) -> tuple[Article | None, list[Problem]]:
    """Read, decode and parse one plain-text feed file; `shown` is how messages name it."""
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


def read_source(path: Path, source: str, shown: str) -> tuple[list[Article], list[Problem]]:
    """Every article in one feed file (none when it is rejected) and its problems."""
    if path.suffix in DOCUMENT_SUFFIXES:  # RSS, Atom or JSON Feed: one article per item
        return read_document(path, source, shown)
    article, problems = read_article(path, source, shown)
    return ([] if article is None else [article]), problems


def with_folder_topic(article: Article, titles: Mapping[str, str]) -> Article:
    """The article with its feed folder's topic first among its topics (if it is in one)."""
    topic = folder_topic(article.source, titles)
    if topic is None or topic in article.topics:
        return article
    return dataclasses.replace(article, topics=(topic, *article.topics))


def read_feed(feed_dir: Path, root: Path,
              topic_titles: Mapping[str, str] | None = None,
              read: Callable[[Path, str, str], tuple[list[Article], list[Problem]]] | None = None,
              ) -> FeedRead:
    """Read every feed file; one bad file never stops the others.

    `topic_titles` maps a folder name to the topic title to show (default: from the name);
    `read` reads one file (default `read_source`; `mkdocs serve` passes a memoised one).
    """
    read = read or read_source
    titles = topic_titles or {}
    articles: list[Article] = []
    problems: list[Problem] = []
    rejected: set[str] = set()
    for path in feed_files(feed_dir):
        source = path.relative_to(feed_dir).as_posix()
        found, file_problems = read(path, source, shown_path(path, root))
        problems.extend(file_problems)
        if found:
            articles.extend(with_folder_topic(a, titles) for a in found)
        # A feed document may be imported in part (one item rejected): its pages are kept too.
        if any(p.severity == "error" for p in file_problems):
            rejected.add(source)
    return FeedRead(tuple(articles), tuple(problems), frozenset(rejected))
