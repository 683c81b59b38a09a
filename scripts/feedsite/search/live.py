"""Keep a served site's search index fresh: re-index in the background after each rebuild.

`mkdocs serve` must not wait for a full re-index after every edit, and its readers must never
find the index partial or missing. So the first build is indexed before the site is served;
later builds are re-indexed in one background thread (a request arriving while it runs is
remembered, and only the newest is run). A clean rebuild empties the site folder, so the last
complete index is kept aside (hard links, no copying) and put back before the site is served.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from feedsite.search.config import BUNDLE_DIR
from feedsite.search.index import ENTRY_FILE, IndexResult, SearchIndexError, index_site

Log = Callable[[str], None]


class LiveIndexer:
    """One per `mkdocs serve` process; `after_build` is called when a build has finished."""

    def __init__(self, spare_dir: Path, log: Log) -> None:
        self._spare = spare_dir  # the last complete index, outside the site folder
        self._log = log
        self._lock = threading.Lock()  # guards _pending, _thread and the bundle folder swap
        self._pending: Path | None = None
        self._thread: threading.Thread | None = None

    def after_build(self, site_dir: Path) -> None:
        bundle = site_dir / BUNDLE_DIR
        with self._lock:
            if not (bundle / ENTRY_FILE).is_file() and (self._spare / ENTRY_FILE).is_file():
                _link_tree(self._spare, bundle)  # a clean rebuild removed it: put it back
        if not (bundle / ENTRY_FILE).is_file():
            self._run(site_dir)  # the first build: index before anyone searches
            return
        with self._lock:
            self._pending = site_dir
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="feedsite-search-index", daemon=True
                )
                self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the background re-index (if any) has finished; for tests and shutdown."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def discard_spare(self) -> None:
        """Remove the kept-aside index (serve is ending; its site folder goes too)."""
        shutil.rmtree(self._spare.parent, ignore_errors=True)

    def _work(self) -> None:
        _yield_to_rebuilds()
        while True:
            with self._lock:
                site_dir, self._pending = self._pending, None
                if site_dir is None:
                    self._thread = None
                    return
            self._run(site_dir)

    def _run(self, site_dir: Path) -> None:
        try:
            result = index_site(site_dir)
        except (SearchIndexError, OSError) as exc:
            # Under serve the previous index stays published; the next rebuild tries again.
            self._log(f"feedsite search: index not updated: {exc}")
            return
        with self._lock:
            self._keep_spare(result)
        self._log(
            f"feedsite search: indexed {result.pages} page(s) in {result.seconds:.1f} s"
        )

    def _keep_spare(self, result: IndexResult) -> None:
        fresh = self._spare.with_name(self._spare.name + ".new")
        shutil.rmtree(fresh, ignore_errors=True)
        _link_tree(result.bundle_dir, fresh)
        shutil.rmtree(self._spare, ignore_errors=True)
        os.replace(fresh, self._spare)


BACKGROUND_NICENESS = 10


def _yield_to_rebuilds() -> None:
    """Run this thread (and the Pagefind process it starts, which inherits the value) at a
    lower CPU priority: on two cores a full re-index otherwise slows the author's next
    rebuild several times over. Linux keeps a niceness per thread; elsewhere this does nothing.
    """
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, BACKGROUND_NICENESS)
    except (AttributeError, OSError):
        pass


def _link_tree(source: Path, target: Path) -> None:
    """Copy a folder as hard links: index files are only ever replaced, never edited in place."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:  # another file system, or links not supported
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link, dirs_exist_ok=True)
