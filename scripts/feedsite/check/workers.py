"""The side processes of one run: a single process pool, made on first use, that the feed and
front matter prefetch and the page loader share, so a 2-core machine runs two processes, not
three."""

from __future__ import annotations

import os
from concurrent.futures import Executor

from feedsite.errors import UserError


def usable_cores() -> int:
    """Cores this process may run on (its affinity, e.g. under taskset or a CI limit)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


class Workers:
    """`--jobs N` means N processes in all, this one included; by default one side process on
    a machine with two or more cores (the checker's target machine has two), none on one."""

    def __init__(self, jobs: int | None) -> None:
        if jobs is not None and jobs < 1:
            raise UserError(f"--jobs {jobs}: give a number of processes of at least 1")
        self.count = jobs - 1 if jobs is not None else (1 if usable_cores() >= 2 else 0)
        self._pool: Executor | None = None

    def pool(self) -> Executor | None:
        """The pool (None when the run is single-process); its processes start on first call."""
        if self.count < 1:
            return None
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork where there is one: a forked worker starts in milliseconds with every module
            # already imported, where a spawned one pays the interpreter start and the imports.
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = ProcessPoolExecutor(max_workers=self.count, mp_context=context)
        return self._pool

    def close(self, wait: bool = False) -> None:
        """Stop the pool; with `wait`, return only once its processes and threads have ended."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None
