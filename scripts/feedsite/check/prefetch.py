"""Read the feed and every Markdown page's front matter in a side process while the main one
loads the HTML, so a big project's source checks use the second core instead of waiting.

On the 1,000- and 5,000-article benchmark sites the two halves take about as long; giving the
side process a share of the HTML pages as well made the run slower, not faster.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from feedsite.check.feed import FeedSnapshot, read_snapshot
from feedsite.check.load import walk_files
from feedsite.check.site import FrontMatter, front_matter_of

# Below this many feed and Markdown files a side process costs more than it saves.
_SIDE_PROCESS_THRESHOLD = 200


@dataclass(frozen=True)
class Prefetched:
    feed: FeedSnapshot | None
    front_matter: dict[str, FrontMatter] = field(default_factory=dict)  # by docs-relative path


def read_sources(feed_dir: Path | None, docs_dir: Path | None) -> Prefetched:
    """The feed snapshot and the front matter of every Markdown file under docs_dir."""
    front_matter = (
        {
            doc: front_matter_of(docs_dir, doc)
            for doc in walk_files(docs_dir)
            if doc.endswith((".md", ".markdown"))
        }
        if docs_dir is not None
        else {}
    )
    return Prefetched(_feed(feed_dir), front_matter)


def _feed(feed_dir: Path | None) -> FeedSnapshot | None:
    return read_snapshot(feed_dir) if feed_dir is not None and feed_dir.is_dir() else None


def start(feed_dir: Path | None, docs_dir: Path | None) -> Callable[[], Prefetched]:
    """Begin reading; call the result for the data. Small projects are read in this process,
    the feed only (front matter is then read page by page as checks ask)."""
    if docs_dir is None:
        return lambda: Prefetched(None)
    files = _count(feed_dir, "*.txt") + _count(docs_dir, "**/*.md")
    if files < _SIDE_PROCESS_THRESHOLD or (os.cpu_count() or 1) < 2:
        return lambda: Prefetched(_feed(feed_dir))
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=1)
    future = pool.submit(read_sources, feed_dir, docs_dir)

    def result() -> Prefetched:
        try:
            return future.result()
        finally:
            pool.shutdown()

    return result


def _count(folder: Path | None, pattern: str) -> int:
    if folder is None or not folder.is_dir():
        return 0
    return sum(1 for _ in folder.glob(pattern))
