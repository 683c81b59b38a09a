"""The import cache: lets a `feedsite import` with nothing to do finish without reading the feed.

After a clean run the importer records every file under the feed and docs folders (plus
mkdocs.yml and pyproject.toml) with its size, mtime, inode and sha256. The next run stats the
same files; when every stamp matches and the import date and feedsite's code are the same,
the result is known without parsing a feed file or reading a page. A file whose mtime lies
within RACY_NS of the cache's own mtime, or in the future, is "racy" (as git calls it): it may
have changed within the clock's resolution after it was recorded, so it is hashed again.

The cache is an optimisation only: a missing, stale or corrupt cache file just means the full
import runs (and no error is shown).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedsite
from feedsite.atomic import write_atomically
from feedsite.check.cache import CACHE_DIR, code_versions
from feedsite.project import Project

CACHE_FILE = CACHE_DIR / "import.json"
FORMAT = 1
RACY_NS = 3_000_000_000  # coarse file-system clocks and small clock skews fit in 3 s


@dataclass(frozen=True)
class Snapshot:
    """The stats of every file, taken before the import reads any of them."""

    taken_ns: int
    key: dict[str, str]
    stats: dict[str, tuple[int, int, int]]  # path -> (size, mtime_ns, inode)


@dataclass(frozen=True)
class CachedRun:
    """The summary a clean run would print, and the hashes that were checked to know it."""

    articles: int
    unchanged: int
    verified: dict[str, str]  # path -> sha256 of racy files, hashed again and found unchanged


def cache_path(project: Project) -> Path:
    return project.root / CACHE_FILE


@functools.cache
def _code_fingerprint() -> str:
    """Changes whenever the importer's code does (an upgrade, or an edit in a checkout).

    Computed once per process: the code that matters is the code already loaded.
    """
    package = Path(feedsite.__file__).parent
    digest = hashlib.sha256(feedsite.__version__.encode())
    files = [*sorted((package / "importer").rglob("*.py")),
             *(package / name for name in ("atomic.py", "problems.py", "project.py"))]
    for path in files:
        st = path.stat()
        digest.update(f"{path.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    # With the code that makes the feed snapshot the import hands to the checker, which a run
    # the cache answers would not write again.
    digest.update(code_versions()["feed"].encode())
    return digest.hexdigest()


def _walk(folder: Path) -> Iterator[os.DirEntry[str]]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.is_file():
            yield entry


def _triple(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def scan(project: Project) -> dict[str, tuple[int, int, int]]:
    """Path -> (size, mtime_ns, inode) of every file the import reads or writes."""
    found: dict[str, tuple[int, int, int]] = {}
    for folder in (project.feed_dir, project.docs_dir):
        for entry in _walk(folder):
            found[entry.path] = _triple(entry.stat())
    for extra in (project.config_file, project.root / "pyproject.toml"):
        with contextlib.suppress(OSError):  # pyproject.toml is optional
            found[str(extra)] = _triple(extra.stat())
    return found


def snapshot(project: Project, today: str) -> Snapshot:
    """Stat everything first, so a file edited while the import runs is caught next time."""
    key = {"today": today, "code": _code_fingerprint(), "feed_dir": str(project.feed_dir),
           "docs_dir": str(project.docs_dir)}
    return Snapshot(time.time_ns(), key, scan(project))


def sha256_of(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def lookup(project: Project, snap: Snapshot) -> CachedRun | None:
    """The cached result if no file changed since it was recorded, else None."""
    path = cache_path(project)
    try:
        written_ns = path.stat().st_mtime_ns
        data = json.loads(path.read_bytes())
        if data["format"] != FORMAT or data["key"] != snap.key:
            return None
        files = data["files"]
        if not isinstance(files, dict) or files.keys() != snap.stats.keys():
            return None
        racy_from = min(written_ns, int(data["taken_ns"])) - RACY_NS
        articles, unchanged = int(data["articles"]), int(data["unchanged"])
        verified: dict[str, str] = {}
        for name, (size, mtime_ns, ino) in snap.stats.items():
            old_size, old_mtime, old_ino, old_sha = files[name]
            if size != old_size:
                return None
            if (mtime_ns, ino) == (old_mtime, old_ino) and racy_from > mtime_ns:
                continue
            # Racy, or touched without a change of size: only the content can tell.
            if not old_sha or sha256_of(name) != old_sha:
                return None
            verified[name] = old_sha
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # no cache, or not one we can use: the full import decides
    return CachedRun(articles, unchanged, verified)


def save(project: Project, snap: Snapshot, known: dict[str, str], articles: int,
         unchanged: int) -> None:
    """Record the files as a clean import left them; never fails the import.

    `known` maps paths to the sha256 of the bytes the import read or wrote. A racy file
    (changed shortly before the snapshot) is recorded with that hash only: hashing it now
    could record an edit made after the import read it. A file that changed since the
    snapshot and that the import did not write means no cache at all.
    """
    now = scan(project)
    racy_from = snap.taken_ns - RACY_NS
    files: dict[str, list[Any]] = {}
    for name, stat in now.items():
        if name not in known and snap.stats.get(name) != stat:
            return  # edited while the import ran: let the next run look at everything
        sha = known.get(name)
        if sha is None and racy_from > stat[1]:
            sha = sha256_of(name)
        files[name] = [*stat, sha or ""]
    data = {"format": FORMAT, "key": snap.key, "taken_ns": snap.taken_ns,
            "articles": articles, "unchanged": unchanged, "files": files}
    # A read-only checkout still imports; it just has no cache.
    with contextlib.suppress(OSError):
        write_atomically(cache_path(project), json.dumps(data).encode("utf-8"))


@dataclass(frozen=True)
class Pending:
    """What `apply_plan` needs to record the cache once a clean plan has been carried out."""

    project: Project
    snapshot: Snapshot
    known: dict[str, str]  # path -> sha256 of what the import read
    articles: int
    unchanged: int  # pages the next run will find unchanged


def record(pending: Pending, written: Iterable[tuple[Path, bytes | None]]) -> None:
    """Save the cache after the plan's writes (`written`: path and the bytes written)."""
    known = dict(pending.known)
    for path, content in written:
        if content is not None:
            known[str(path)] = hashlib.sha256(content).hexdigest()
    save(pending.project, pending.snapshot, known, pending.articles, pending.unchanged)
