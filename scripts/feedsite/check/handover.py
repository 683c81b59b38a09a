"""The importer's reading of the feed, handed to the checker: `feedsite import` has just parsed
every feed file, so the first `feedsite check` after it need not parse them again (on a
1,000-article feed that is a quarter of a second of the check).

The snapshot is kept beside the checker's own records, keyed like them: by the sizes and change
times of every file in the feed folder, taken before the importer read any of them, and by
the code that makes snapshots. A feed file changed since, or other code, means the checker
reads the feed itself, so a stale snapshot is never used.
"""

from __future__ import annotations

import contextlib
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from feedsite.atomic import write_atomically
from feedsite.check.cache import CACHE_DIR, FolderKey, code_versions, folder_key
from feedsite.check.feed import FeedSnapshot, snapshot_of

if TYPE_CHECKING:
    from feedsite.importer.read import FeedRead

FILE_NAME = "feed-snapshot.pickle"


def feed_key(feed_dir: Path) -> FolderKey:
    """The feed folder's key; take it before reading the feed."""
    return folder_key(feed_dir)


def hand_over(project_root: Path, key: FolderKey, feed: FeedRead) -> None:
    """Keep the snapshot of `feed`, read from a folder whose key was `key` before the reading
    (a project that cannot be written to just goes without)."""
    stored = {"version": code_versions()["feed"], "key": key, "snapshot": snapshot_of(feed)}
    with contextlib.suppress(OSError):
        write_atomically(project_root / CACHE_DIR / FILE_NAME,
                         pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL))


def handed_over(cache_dir: Path, key: FolderKey, version: str) -> FeedSnapshot | None:
    """The snapshot the importer kept, when it was made from the feed as it is now (`key`) by
    the code running now (`version`); None otherwise, or when there is none to read."""
    try:
        with open(cache_dir / FILE_NAME, "rb") as stream:
            stored = pickle.load(stream)
        if stored["version"] != version or stored["key"] != key:
            return None
        snapshot = stored["snapshot"]
    except (OSError, ValueError, KeyError, TypeError, EOFError, pickle.UnpicklingError,
            AttributeError, ImportError, IndexError):  # fmt: skip
        return None
    return snapshot if isinstance(snapshot, FeedSnapshot) else None
