"""Page records made while `mkdocs build` writes the site, for the first `feedsite check` after
it: the build has every page's HTML in hand, so reading it there spares the checker parsing
each file again (Docusaurus checks its links during the build for the same reason).

The parsing runs in a side process while MkDocs renders the next pages on one core, so the
build takes no longer; the side process is forked before the pages are rendered (a fork
copies the build's memory as it is then), and saves the records while the build's other
post-build work (the search index) runs. A record is kept with the digest of the bytes it was
made from. The checker reuses it only when the file in the site has those very bytes, so a
page something changed after the build (another plugin, a post-processing step, an edit) is
parsed afresh, and a site built any other way (Zensical, a copy) is checked as before.
Recording is a cache: nothing that goes wrong with it stops, fails or slows the build, and on a
machine with one core (where a side process would only compete with MkDocs) it is left out.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from feedsite.check.cache import CACHE_DIR, CheckCache, StatKey, page_digest
from feedsite.check.forked import end_with, fork_available
from feedsite.check.workers import usable_cores

# No file was looked at: the checker tells these records by their digest alone.
_NOT_STATTED: StatKey = (-1, -1, -1)
# Pages handed to the side process at a time.
_BATCH = 64
# How long the end of a build waits for the records to be saved before it gives up on them.
_SAVE_TIMEOUT = 120.0

# In the side process: the checker's records as they were, with those made so far added.
_cache: CheckCache | None = None


class PageRecorder:
    """Records of the pages one build writes, added to the checker's at the end."""

    def __init__(self, project_root: Path) -> None:
        self._root = project_root
        self._batch: list[tuple[str, bytes]] = []
        self._pool: ProcessPoolExecutor | None = None
        self._saving: Future[None] | None = None
        self._off = False  # no side process here: nothing is recorded

    def start(self) -> None:
        """Start the side process (early, while the build's memory is small)."""
        if self._pool is None and not self._off:
            self._pool = _side_process()
            self._off = self._pool is None

    def add(self, site_path: str, output: str) -> None:
        """A page as MkDocs writes it: `output` encoded as its build does, at `site_path`
        (site-relative, forward slashes)."""
        if self._off:
            return
        self._batch.append((site_path, output.encode("utf-8", errors="xmlcharrefreplace")))
        if len(self._batch) >= _BATCH:
            self.start()
            self._send(_record, self._root, self._batch)
            self._batch = []

    def finish(self) -> None:
        """Send the last pages and have the records saved; `wait` waits for that."""
        if self._batch:
            self.start()
            self._send(_record, self._root, self._batch)
            self._batch = []
        self._saving = self._send(_save_recorded)

    def wait(self) -> None:
        """Wait for the records to be saved, then stop the side process."""
        pool, saving = self._pool, self._saving
        self._pool = self._saving = None
        if pool is None:
            return
        saved = False
        if saving is not None:
            with contextlib.suppress(Exception):
                saving.result(timeout=_SAVE_TIMEOUT)
                saved = True
        if not saved:  # stuck or failed: no records, and no process left behind
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                with contextlib.suppress(Exception):
                    process.kill()
        pool.shutdown(wait=saved, cancel_futures=True)

    def _send(self, *call: object) -> Future[None] | None:
        if self._pool is None:
            return None
        try:
            return self._pool.submit(*call)  # type: ignore[arg-type]
        except Exception:  # a broken side process: record nothing more
            self._off = True
            return None


def _side_process() -> ProcessPoolExecutor | None:
    if usable_cores() < 2 or not fork_available():
        return None
    try:
        pool = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("fork"),
            initializer=_side_start, initargs=(os.getpid(),),
        )
        pool.submit(int)  # forks it now
    except Exception:  # no pool on this platform: the build goes on without records
        return None
    return pool


def _side_start(parent: int) -> None:
    gc.disable()  # the side process only makes records that live until it ends
    end_with(parent)


def _record(project_root: Path, batch: list[tuple[str, bytes]]) -> None:
    from feedsite.check.load import page_from_bytes  # in the side process, not the build's start

    global _cache
    if _cache is None:
        _cache = CheckCache.load(project_root / CACHE_DIR, sources=False)
    for path, data in batch:
        _cache.pages[path] = (_NOT_STATTED, page_digest(data), page_from_bytes(path, data))


def _save_recorded() -> None:
    global _cache
    if _cache is not None:
        _cache.loaded_changed = True
        _cache.save_loaded()
        _cache = None
