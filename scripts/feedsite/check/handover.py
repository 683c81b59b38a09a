"""The importer's reading of the feed, handed to the checker: `feedsite import` (or the import
a build runs) has just parsed every feed file, so the first `feedsite check` after it need not
parse them again (on a 1,000-article feed that is a quarter of a second of the check).

The snapshot is kept beside the checker's own records, keyed like them: by the sizes and change
times of every file in the feed folder, taken before the importer read any of them, and by
the code that makes snapshots. A feed file changed since, or other code, means the checker
reads the feed itself, so a stale snapshot is never used. It is a cache: nothing that goes
wrong with it fails an import or a build.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from feedsite.check.cache import (
    CACHE_DIR,
    FolderKey,
    code_versions,
    read_records,
    write_records,
)
from feedsite.check.feed import FeedSnapshot, snapshot_of

if TYPE_CHECKING:
    from feedsite.importer.sync import Plan

FILE_NAME = "feed-snapshot.pickle"


def hand_over(project_root: Path, plan: Plan) -> None:
    """Keep the snapshot of the feed an applied import read (none when its cache answered)."""
    if plan.feed is None or plan.feed_key is None:
        return
    with contextlib.suppress(Exception):
        write_records(project_root / CACHE_DIR / FILE_NAME, code_versions(),
                      {"feed": (plan.feed_key, snapshot_of(plan.feed))})


def handed_over(cache_dir: Path, key: FolderKey, version: str) -> FeedSnapshot | None:
    """The snapshot the importer kept, when it was made from the feed as it is now (`key`) by
    the code running now (`version`); None otherwise, or when there is none to read."""
    kept = read_records(cache_dir / FILE_NAME, {"feed": version}, ("feed",)).get("feed")
    if not isinstance(kept, tuple) or len(kept) != 2 or kept[0] != key:
        return None
    return kept[1] if isinstance(kept[1], FeedSnapshot) else None
