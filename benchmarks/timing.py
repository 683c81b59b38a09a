"""Time whole processes and measure output sizes."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BIN_DIR = Path(sys.executable).parent


@dataclass(frozen=True)
class Timed:
    """One finished (or timed-out) process run."""

    seconds: float
    returncode: int | None  # None: killed after the timeout
    stdout: str
    stderr: str


def tool_env() -> dict[str, str]:
    """The environment for timed runs: ours, quiet about MkDocs 2, the venv's tools first."""
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PATH"] = f"{BIN_DIR}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_timed(cmd: Sequence[str], cwd: Path, timeout: float = 3600.0) -> Timed:
    """Run `cmd` to completion and return its wall time; output is captured, not shown."""
    start = time.perf_counter()
    try:
        done = subprocess.run(
            list(cmd), cwd=cwd, env=tool_env(), capture_output=True, text=True,
            timeout=timeout, check=False, stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        return Timed(time.perf_counter() - start, None, out, "timeout")
    return Timed(time.perf_counter() - start, done.returncode, done.stdout, done.stderr)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def tree_bytes(path: Path) -> int:
    """Apparent size of every file under `path` (what `du -sb` reports)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def human_bytes(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def tail(text: str, lines: int = 5) -> str:
    """The last lines of a tool's output, for an error message."""
    return "\n".join(text.strip().splitlines()[-lines:])


def machine_note() -> str:
    """CPU count and load, printed with the figures: other work on the machine skews them."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {one:.1f} (1 min), {five:.1f} (5 min)"
