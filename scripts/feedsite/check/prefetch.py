"""Read the feed and every Markdown page's front matter in a side process while the main one
loads the HTML, so a big project's source checks use the second core instead of waiting.

On the 1,000- and 5,000-article benchmark sites the two halves take about as long; the side
process then takes HTML pages from the front of the queue the loader shares with it (load.py),
so whichever finishes first helps the other. Unchanged folders come from the cache instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from feedsite.check.cache import CheckCache, FolderKey, folder_key
from feedsite.check.feed import FeedSnapshot, read_snapshot
from feedsite.check.handover import handed_over
from feedsite.check.load import walk_files
from feedsite.check.site import FrontMatter, front_matter_of
from feedsite.check.workers import Workers

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


def start(
    feed_dir: Path | None,
    docs_dir: Path | None,
    workers: Workers | None,
    cache: CheckCache | None = None,
) -> Callable[[], Prefetched]:
    """Begin reading; call the result for the data. What the cache holds for unchanged folders
    is reused; small projects, and runs without side processes, read the feed here (front
    matter is then read page by page as checks ask)."""
    if docs_dir is None:
        return lambda: Prefetched(None)
    keys = (folder_key(feed_dir), folder_key(docs_dir)) if cache and cache.file else None
    side = workers is not None and workers.count >= 1 and not _small(feed_dir, docs_dir, keys)
    feed: FeedSnapshot | None = None
    known = False  # whether `feed` is the feed as it is now (no reading needed)
    if cache is not None and cache.file is not None and keys is not None:
        if cache.feed is not None and cache.feed[0] == keys[0]:
            feed, known = cache.feed[1], True
        elif feed_dir is not None and feed_dir.is_dir():
            # The snapshot `feedsite import` left for the first check after it.
            feed = handed_over(cache.file.parent, keys[0], cache.versions["feed"])
            known = feed is not None
            if known:
                cache.feed = (keys[0], feed)
                cache.handed_over = True
        front = (cache.front_matter if cache.front_matter is not None
                 and cache.front_matter[0] == keys[1] else None)
        # Without a side process, front matter is read page by page as checks ask: the feed
        # alone answers then.
        if known and (front is not None or not side):
            hit = Prefetched(feed, front[1] if front is not None else {})
            return lambda: hit
    pool = workers.pool() if side and workers is not None else None
    if pool is None:

        def read() -> Prefetched:
            return Prefetched(_feed(feed_dir))

    else:
        # Only what is not known yet: the front matter alone when the feed is.
        read = pool.submit(read_sources, None if known else feed_dir, docs_dir).result

    def result() -> Prefetched:
        prefetched = read()
        if known:
            prefetched = Prefetched(feed, prefetched.front_matter)
        if cache is not None and keys is not None:
            cache.feed = (keys[0], prefetched.feed)
            if pool is not None:  # the whole docs folder's front matter was read
                cache.front_matter = (keys[1], prefetched.front_matter)
            cache.loaded_changed = True
        return prefetched

    return result


def _small(feed_dir: Path | None, docs_dir: Path, keys: tuple[FolderKey, FolderKey] | None
           ) -> bool:
    """Whether the feed's articles and the Markdown pages are too few for a side process;
    the folder keys, when there are some, list every file already (no second walk)."""
    if keys is not None:
        count = (sum(1 for entry in keys[0] if entry[0].count("/") == 1
                     and entry[0].endswith(".txt"))
                 + sum(1 for entry in keys[1] if entry[0].endswith(".md")))
    else:
        count = _count(feed_dir, "*.txt") + _count(docs_dir, "**/*.md")
    return count < _SIDE_PROCESS_THRESHOLD


def _count(folder: Path | None, pattern: str) -> int:
    if folder is None or not folder.is_dir():
        return 0
    return sum(1 for _ in folder.glob(pattern))
