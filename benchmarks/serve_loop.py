"""Benchmark: the author's loop under a real `mkdocs serve`, from saving feed files to the
served page showing the change, and how many rebuilds each save costs.

For each size, a fresh project copy with a synthetic feed is imported, then served on a free
127.0.0.1 port (plain `mkdocs serve`, what `scripts/dev serve` runs). Each round saves one
feed file (an edit to its introduction, so the home page changes too) and polls the article's
page over HTTP until the edit shows; a multi-file round saves several files at once, like
`git checkout`. Rebuilds are counted from the serve log ("Building documentation..."). The
peer, measured in the same run, is the same server with the preview's fast path off
(`mkdocs serve --clean`: the import in every build, MkDocs' own watching, full rebuilds). Run
from the repository root (the peer is slow: at 10,000 articles each of its rounds takes
minutes, so it runs at the sizes in --peer-sizes only):

    .venv/bin/python -m benchmarks.serve_loop --sizes 1000,10000 --rounds 3 --peer-sizes 1000
"""

from __future__ import annotations

import argparse
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.project_copy import make_project
from benchmarks.synthetic_feed import write_feed
from benchmarks.timing import BIN_DIR, machine_note, median, run_timed, tool_env

BUILD_LINE = "Building documentation..."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    """The page's text, or None while it does not answer 200."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return str(response.read().decode("utf-8", errors="replace"))
    except (urllib.error.URLError, OSError):
        return None


class ServeProcess:
    """A real `mkdocs serve` on a free 127.0.0.1 port, its log captured to a file."""

    def __init__(self, root: Path, *extra: str, log: Path | None = None) -> None:
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = log or root.parent / f"serve-{self.port}.log"
        self._log = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [str(BIN_DIR / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{self.port}", *extra],
            cwd=root, env=tool_env(), stdout=self._log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> int:
        return self.log().count(BUILD_LINE)

    def wait_until_serving(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited:\n{self.log()[-3000:]}")
            if "Serving on" in self.log() and fetch(self.url) is not None:
                return
            time.sleep(0.2)
        raise RuntimeError(f"mkdocs serve did not start in {timeout:.0f} s:\n{self.log()[-3000:]}")

    def wait_for(self, path: str, shows: Callable[[str], bool], timeout: float,
                 since: float | None = None) -> float:
        """Poll `path` until its text satisfies `shows`; seconds from `since` (or now)."""
        start = time.monotonic() if since is None else since
        while time.monotonic() - start < timeout:
            text = fetch(self.url + path)
            if text is not None and shows(text):
                return time.monotonic() - start
            time.sleep(0.02)
        raise RuntimeError(f"{path}: the change did not show within {timeout:.0f} s")

    def settle(self, quiet: float = 2.0, timeout: float = 600.0) -> None:
        """Wait until no build has started or finished for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        last, since = self.log(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.2)
            now = self.log()
            # Every build ends in "Reloading browsers" or MkDocs' error line ("Documentation
            # built in" cannot tell: MkDocs drops a log line it has already printed once).
            ended = (now.count("Reloading browsers") + now.count("An error happened during")
                     + ("Serving on" in now))
            building = now.count(BUILD_LINE) > ended
            if now != last or building:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
        # A build that never ends must fail the caller, not pass as "settled" after the wait.
        raise RuntimeError(f"mkdocs serve did not settle within {timeout:.0f} s")

    def stop(self) -> None:
        stop_serve(self.process)
        self._log.close()


def stop_serve(process: subprocess.Popen[Any]) -> None:
    """Stop `mkdocs serve` as an author does, with Ctrl+C (SIGINT): its shutdown hooks then
    run and remove its temp folders. A serve that ignores SIGINT (a child of a shell that ran
    it in the background inherits that) gets SIGTERM after 10 s, then SIGKILL."""
    steps = ((lambda: process.send_signal(signal.SIGINT), 10.0), (process.terminate, 10.0),
             (process.kill, None))
    for stop, timeout in steps:
        stop()
        try:
            process.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            continue


def page_of(root: Path, feed_name: str) -> str:
    """The served path of the article from `feed_name` (read from its page's front matter)."""
    wanted = f'source: "{feed_name}"'
    for page in sorted((root / "docs" / "articles").glob("*.md")):
        with page.open(encoding="utf-8") as handle:
            if wanted in handle.read(4000):
                return f"articles/{page.stem}/"
    raise LookupError(f"no page for {feed_name}")


def edit_introduction(feed_file: Path, marker: str) -> None:
    """Put `marker` at the start of the first paragraph after the title (the description)."""
    lines = feed_file.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if i > 0 and line.strip())
    lines[first] = f"{marker} {lines[first]}"
    feed_file.write_text("\n".join(lines), encoding="utf-8")


@dataclass(frozen=True)
class Round:
    """One save: seconds from the save to the served page showing it, and rebuilds it cost."""

    seconds: float
    rebuilds: int


def save_round(server: ServeProcess, root: Path, files: Sequence[Path],
               timeout: float) -> Round:
    """Save `files` at once; wait until every one's page shows its edit; count the rebuilds."""
    paths = [page_of(root, f.name) for f in files]
    before = server.builds()
    marker = f"Edited{time.time_ns()}"
    start = time.monotonic()
    for index, feed_file in enumerate(files):
        edit_introduction(feed_file, f"{marker}x{index}")
    seconds = max(server.wait_for(path, lambda text, m=f"{marker}x{i}": m in text, timeout,
                                  since=start) for i, path in enumerate(paths))
    server.settle(timeout=timeout)
    return Round(seconds, server.builds() - before)


@dataclass(frozen=True)
class SizeFigures:
    articles: int
    mode: str
    start_seconds: float
    single: tuple[Round, ...]
    multi: Round


def measure(size: int, work: Path, rounds: int, files_at_once: int, clean: bool,
            timeout: float) -> SizeFigures:
    root = make_project(work / f"{size}-{'clean' if clean else 'fast'}")
    feed = sorted(write_feed(root / "feed", size), key=lambda a: a.file_name)
    imported = run_timed([str(BIN_DIR / "feedsite"), "import", "-q"], cwd=root)
    if imported.returncode != 0:
        raise RuntimeError(f"feedsite import failed:\n{imported.stderr[-3000:]}")
    server = ServeProcess(root, *(["--clean"] if clean else []))
    try:
        started = time.monotonic()
        server.wait_until_serving(timeout)
        start_seconds = time.monotonic() - started
        server.settle(timeout=timeout)
        # Articles spread over the feed, never the same one twice.
        step = max(1, size // (rounds + files_at_once + 2))
        picks = [root / "feed" / feed[(i + 1) * step % size].file_name
                 for i in range(rounds + files_at_once)]
        single = tuple(save_round(server, root, [f], timeout) for f in picks[:rounds])
        multi = save_round(server, root, picks[rounds:], timeout)
    finally:
        server.stop()
    return SizeFigures(size, "--clean (peer)" if clean else "plain serve", start_seconds,
                       single, multi)


def report(figures: Sequence[SizeFigures], files_at_once: int) -> str:
    lines = [
        "| articles | server | start | save-to-page (median, runs) | rebuilds per save | "
        f"{files_at_once} files at once: seconds, rebuilds |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for fig in figures:
        times = [r.seconds for r in fig.single]
        lines.append(
            f"| {fig.articles:,} | {fig.mode} | {fig.start_seconds:.1f} s | "
            f"{median(times):.2f} s ({', '.join(f'{t:.2f}' for t in times)}) | "
            f"{', '.join(str(r.rebuilds) for r in fig.single)} | "
            f"{fig.multi.seconds:.2f} s, {fig.multi.rebuilds} |"
        )
    by_size: dict[int, dict[str, float]] = {}
    for fig in figures:
        by_size.setdefault(fig.articles, {})[fig.mode] = median([r.seconds for r in fig.single])
    for size, modes in sorted(by_size.items()):
        if len(modes) == 2:
            fast, peer = modes["plain serve"], modes["--clean (peer)"]
            lines.append(f"\n{size:,} articles: the peer takes {peer / fast:.1f}x as long "
                         "from save to page")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--peer-sizes", default="1000",
                        help="sizes at which to measure the peer too ('' for none)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--files-at-once", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=1800.0)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    peers = {int(s) for s in args.peer_sizes.split(",") if s}
    figures: list[SizeFigures] = []
    with tempfile.TemporaryDirectory(prefix="feedsite-serve-bench-") as tmp:
        for size in sizes:
            for clean in (False, True) if size in peers else (False,):
                figures.append(measure(size, Path(tmp), args.rounds, args.files_at_once,
                                       clean, args.timeout))
                print(report(figures, args.files_at_once), file=sys.stderr)
    print(report(figures, args.files_at_once))
    print(f"\n{machine_note()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
