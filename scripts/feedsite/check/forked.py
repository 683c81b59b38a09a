"""Run a piece of work in a forked copy of this process: the copy starts with everything this
one has loaded (the whole site), so nothing is sent to it, and only its result comes back,
pickled through a pipe. Where there is no fork, or the copy fails, the work runs here instead,
so the result (or the error) is always the one the work gives."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def fork_available() -> bool:
    """Whether this platform can fork (the side processes of workers.py fork too)."""
    import multiprocessing

    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


def end_with(parent: int) -> None:
    """In a side process: end when the process `parent` does (on Linux). A pool's worker waits
    on a pipe it holds both ends of, so a parent killed outright (Ctrl-C twice, the OOM killer)
    would otherwise leave it waiting for ever."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # here, in the side process: no run pays for it at start-up

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # it ended before the request took hold
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def start_forked(work: Callable[[], T], then: Callable[[], None] | None = None
                 ) -> Callable[[], T]:
    """Begin `work` in a forked child; call the result for its value (the child's, or when the
    child failed, the work's run here). Without fork the work runs when the result is called.

    `then`, when given, runs after the work wherever the work ran: in the child before its
    result is sent (the parent reads the result only when it needs it, and a result larger
    than a pipe holds would keep the child waiting until then), and here when the work runs
    here. Its errors are dropped: the result stands without it.
    """

    def here() -> T:
        value = work()
        if then is not None:
            with contextlib.suppress(Exception):
                then()
        return value

    if not fork_available():
        return here
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return here
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        code = 1
        try:
            os.close(read_end)
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            if then is not None:
                with contextlib.suppress(Exception):
                    then()
            with os.fdopen(write_end, "wb") as stream:
                stream.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)

    def result() -> T:
        # Read to the end before waiting: a result larger than the pipe holds blocks the
        # child until it is read.
        with os.fdopen(read_end, "rb") as stream:
            data = stream.read()
        _pid, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 0 and data:
            try:
                value: T = pickle.loads(data)
                return value
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                pass
        return here()  # the child failed: an error in the work is raised here, as without it

    return result
