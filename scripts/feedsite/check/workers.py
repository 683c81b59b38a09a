"""The side processes of one run: a single process pool, made on first use, that the feed and
front matter prefetch and the page loader share, so a 2-core machine runs two processes, not
three."""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

from feedsite.check.forked import end_with
from feedsite.errors import UserError

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")


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
        self._shared = 0  # this pool's key in _SHARED (0: none, processes are spawned)

    def pool(self) -> Executor | None:
        """The pool (None when the run is single-process); its processes start on first call."""
        if self.count < 1:
            return None
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork where there is one: a forked worker starts in milliseconds with every module
            # already imported, where a spawned one pays the interpreter start and the imports.
            forked = "fork" in multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if forked else None)
            if forked:
                # Made before the pool's processes, which inherit them (see share_out).
                self._shared = next(_KEYS)
                results = context.SimpleQueue()
                _widen(results)
                _SHARED[self._shared] = (context.RawArray("i", 3 + self.count), context.Lock(),
                                         results)
            self._pool = ProcessPoolExecutor(max_workers=self.count, mp_context=context,
                                             initializer=end_with, initargs=(os.getpid(),))
        return self._pool

    def share_out(self, work: Callable[[T], Any], items: Sequence[T]) -> list[Any]:
        """`work` of every item, in order, done by this process and the pool together: the pool
        takes items from the front, this process from the back, until they meet.

        Each side process takes its items as one task, so it never waits on this process,
        however busy, to hand it the next item; it sends each result as it is done, and this
        process reads them between its own items, so little is left to read when both are
        done. This process waits only for the side tasks that took part (one still busy with
        earlier work, the feed say, starts this one too late to take anything and is not waited
        for).
        """
        pool = self.pool()
        if pool is None or len(items) < 2:
            return [work(item) for item in items]
        if not self._shared:
            return _by_futures(pool, work, items)
        state, lock, results = _SHARED[self._shared]
        with lock:
            state[_ROUND] += 1  # tasks of an earlier round, if any are left, take nothing
            round_number = state[_ROUND]
            state[_FRONT], state[_END] = 0, len(items)
            for slot in range(self.count):
                state[_STARTED + slot] = 0
        futures = [pool.submit(_from_front, self._shared, round_number, slot, work, items)
                   for slot in range(self.count)]
        done: dict[int, Any] = {}

        def stop() -> list[Future[None]]:
            """End the round (side tasks take no more, and those not started never will);
            the tasks that took part."""
            with lock:
                state[_FRONT] = state[_END]
                state[_ROUND] += 1
                started = [state[_STARTED + slot] for slot in range(self.count)]
            return [f for f, took_part in zip(futures, started, strict=True) if took_part]

        try:
            while True:
                _receive(results, round_number, done, wait=0)
                with lock:
                    if state[_END] <= state[_FRONT]:
                        break
                    state[_END] -= 1
                    index = state[_END]
                done[index] = work(items[index])
            waited = stop()
            while len(done) < len(items):
                if not _receive(results, round_number, done, wait=0.05) and all(
                        future.done() for future in waited):
                    # A finished task sent all it did before it returned: only a failure is
                    # left to tell.
                    for future in waited:
                        future.result()  # raises the side's error
                    _receive(results, round_number, done, wait=0)
                    if len(done) < len(items):
                        raise RuntimeError("a side process ended without its results")
        except BaseException:
            # Read what the side tasks still send: a result larger than the pipe holds would
            # keep one waiting, and the pool's shutdown with it.
            waited = stop()
            while not all(future.done() for future in waited):
                _receive(results, -1, {}, wait=0.05)
            raise
        return [done[index] for index in range(len(items))]

    def close(self, wait: bool = False) -> None:
        """Stop the pool; with `wait`, return only once its processes and threads have ended."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None
            shared = _SHARED.pop(self._shared, None)
            if shared is not None:
                shared[2].close()
            self._shared = 0


# Per pool, the state of its share_out rounds, its lock and the queue its side processes send
# results through, in memory its forked processes share: the next index from the front, the
# end of the untaken run, the round's number, then one flag per side process saying its task
# of this round started.
_SHARED: dict[int, tuple[Any, Any, Any]] = {}
_KEYS = itertools.count(1)
_FRONT, _END, _ROUND, _STARTED = 0, 1, 2, 3


def _from_front(
    key: int, round_number: int, slot: int, work: Callable[[T], Any], items: Sequence[T]
) -> None:
    """In a side process: `work` of items taken from the front until none is left (none when
    the round is over by the time this task starts), each result sent as it is done."""
    state, lock, results = _SHARED[key]
    with lock:
        if state[_ROUND] != round_number:
            return
        state[_STARTED + slot] = 1
    while True:
        with lock:
            # A round that ended while this task sent its last result is not taken from: the
            # next round may have begun with other items.
            if state[_ROUND] != round_number or state[_FRONT] >= state[_END]:
                return
            index = state[_FRONT]
            state[_FRONT] += 1
        results.put((round_number, index, work(items[index])))


def _widen(results: Any) -> None:
    """Give the results' pipe a megabyte (Linux), so a side process's result (a chunk of pages,
    over the 64 KB a pipe holds at first on a big site) rarely waits for this process, busy with
    its own item, to read it."""
    size_option = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if size_option is not None:
        with contextlib.suppress(OSError, AttributeError, ValueError):
            fcntl.fcntl(results._writer.fileno(), size_option, 1 << 20)


def _receive(results: Any, round_number: int, done: dict[int, Any], wait: float) -> bool:
    """Read every result the side processes have sent (waiting up to `wait` seconds for the
    first); whether any came. Results of an earlier round (its side task outlived it) are
    dropped."""
    came = False
    while results._reader.poll(wait):
        sent_round, index, result = results.get()
        if sent_round == round_number:
            done[index] = result
            came = True
        wait = 0
    return came


def _by_futures(pool: Executor, work: Callable[[T], Any], items: Sequence[T]) -> list[Any]:
    """share_out where processes are spawned (nothing is inherited): an item a task, the pool
    taking them from the front, this process cancelling them from the back."""
    futures = [pool.submit(work, item) for item in items]
    done: dict[int, Any] = {}
    for index in reversed(range(len(items))):
        if not futures[index].cancel():
            break  # the pool has reached this item: every earlier one is its too
        done[index] = work(items[index])
    return [done[index] if index in done else futures[index].result()
            for index in range(len(items))]
