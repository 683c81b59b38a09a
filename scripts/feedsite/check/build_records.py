"""Page records made while `mkdocs build` writes the site, for the first `feedsite check` after
it: the build has every page's HTML in hand, so reading it there spares the checker parsing
each file again (Docusaurus checks its links during the build for the same reason).

The parsing runs in a side process while MkDocs renders the next pages on one core, so the
build takes no longer. A record is kept with the digest of the bytes it was made from. The
checker reuses it only when the file in the site has those very bytes, so a page something
changed after the build (another plugin, a post-processing step, an edit) is parsed afresh,
and a site built any other way (Zensical, a copy) is checked as before. Recording is a cache:
nothing that goes wrong with it stops or fails the build.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from feedsite.check.cache import CACHE_DIR, CheckCache, StatKey, page_digest
from feedsite.check.load import page_from_bytes

# No file was looked at: the checker tells these records by their digest alone.
_NOT_STATTED: StatKey = (-1, -1, -1)
# Pages handed to the side process at a time; a build with fewer is recorded here at the end.
_BATCH = 64

# In the side process: the checker's records as they were, with those made so far added.
_cache: CheckCache | None = None


class PageRecorder:
    """Records of the pages one build writes, added to the checker's at the end."""

    def __init__(self, project_root: Path) -> None:
        self._root = project_root
        self._batch: list[tuple[str, bytes]] = []
        self._pool: ProcessPoolExecutor | None = None

    def add(self, site_path: str, output: str) -> None:
        """A page as MkDocs writes it: `output` encoded as its build does, at `site_path`
        (site-relative, forward slashes)."""
        self._batch.append((site_path, output.encode("utf-8", errors="xmlcharrefreplace")))
        if len(self._batch) >= _BATCH:
            if self._pool is None:
                self._pool = _side_process()
            if self._pool is not None:
                with contextlib.suppress(Exception):
                    self._pool.submit(_record, self._root, self._batch)
                    self._batch = []

    def save(self) -> None:
        """Add the records to the checker's (which keeps other pages' records, its feed and
        front matter); a project that cannot be written to just goes without."""
        batch, self._batch = self._batch, []
        pool, self._pool = self._pool, None
        if pool is None:
            if batch:
                with contextlib.suppress(Exception):
                    _record(self._root, batch)
                _save_recorded()
            return
        with contextlib.suppress(Exception):  # a side process that failed: no records
            if batch:
                pool.submit(_record, self._root, batch)
            pool.submit(_save_recorded).result()
        pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        """Stop the side process of a build that ended before `save` (it failed)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _side_process() -> ProcessPoolExecutor | None:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    try:
        return ProcessPoolExecutor(max_workers=1, mp_context=context)
    except (OSError, ValueError):
        return None


def _record(project_root: Path, batch: list[tuple[str, bytes]]) -> None:
    global _cache
    if _cache is None:
        # The side process only makes records that live until it ends: no cycles to collect.
        gc.disable()
        _cache = CheckCache.load(project_root / CACHE_DIR)
    for path, data in batch:
        _cache.pages[path] = (_NOT_STATTED, page_digest(data), page_from_bytes(path, data))


def _save_recorded() -> None:
    global _cache
    if _cache is not None:
        _cache.loaded_changed = True
        _cache.save_loaded()
        _cache = None
        gc.enable()
