"""Reuse what an earlier run read from files that have not changed since: each HTML page's
record, the feed snapshot and front matter (one file), and Markdown link maps (another),
kept under the project's `.cache/feedsite/`.

A page is reused when its size and change times are the same, or else when its bytes
have the same digest (a rebuild rewrites every file, mostly with the same bytes). The feed and
the front matter are reused only when no file under their folder changed. Everything is keyed
by a digest of the checker's and importer's own source code too, so a new version of either
never reads an old record.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedsite.atomic import write_atomically

if TYPE_CHECKING:
    from feedsite.check.feed import FeedSnapshot
    from feedsite.check.models import Page
    from feedsite.check.sources import MarkdownSource

FILE_NAME = "check-sources.pickle"
# Where earlier versions kept every record in one file, which nothing reads any more.
_LEGACY_FILE_NAME = "check-cache.pickle"
LOADED_FILE_NAME = "check-loaded.pickle"
# Under the project root: where the checker (and the importer, for it) keep their records.
CACHE_DIR = Path(".cache") / "feedsite"
# (size, mtime_ns, ctime_ns): the change time too, since copies can keep a modification time
StatKey = tuple[int, int, int]
FolderKey = tuple[tuple[str, int, int, int], ...]  # every file of a folder: (path, *StatKey)


def stat_key(path: str) -> StatKey | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns


def folder_key(folder: Path | None) -> FolderKey:
    """Sizes and times of every file under `folder` (hidden ones too: the importer decides)."""
    if folder is None or not folder.is_dir():
        return ()
    found = []
    root = str(folder)
    for parent, _dirs, files in os.walk(root):
        prefix = parent[len(root) :]
        for name in files:
            key = stat_key(os.path.join(parent, name))
            if key is not None:
                found.append((f"{prefix}/{name}", *key))
    return tuple(sorted(found))


def page_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass
class CheckCache:
    """What one run may reuse; `save` writes it back only when something changed. What loading
    reads (pages, feed, front matter), most of it, is a file of its own, which a side process
    can write while the checks run (`save_loaded`); the Markdown link maps the checks parse
    are the other file."""

    file: Path | None = None  # the sources' file; the loaded records' is LOADED_FILE_NAME
    versions: dict[str, str] = field(default_factory=dict)
    pages: dict[str, tuple[StatKey, bytes, Page]] = field(default_factory=dict)
    feed: tuple[FolderKey, FeedSnapshot | None] | None = None
    # docs-relative path -> (front matter mapping or None, YAML was invalid)
    front_matter: tuple[FolderKey, dict[str, tuple[dict[str, Any] | None, bool]]] | None = None
    sources: dict[str, tuple[StatKey, MarkdownSource]] = field(default_factory=dict)
    handed_over: bool = False  # the feed is the importer's snapshot, kept in a file already
    changed: bool = False  # the sources
    loaded_changed: bool = False  # the pages, feed or front matter

    @classmethod
    def load(cls, folder: Path | None, sources: bool = True) -> CheckCache:
        """The cache kept in `folder`; records made by other code, or an unreadable file, are
        left out (an empty cache when `folder` is None). `sources=False` leaves the Markdown
        link maps unread (what only adds page records has no use for them)."""
        if folder is None:
            return cls()
        versions = code_versions()
        cache = cls(folder / FILE_NAME, versions)
        loaded = read_records(folder / LOADED_FILE_NAME, versions,
                              ("pages", "feed", "front_matter"))
        cache.pages = loaded.get("pages") or {}
        cache.feed = loaded.get("feed")
        cache.front_matter = loaded.get("front_matter")
        if not loaded:
            with contextlib.suppress(OSError):
                (folder / _LEGACY_FILE_NAME).unlink(missing_ok=True)
        if not sources:
            return cache
        kept = read_records(folder / FILE_NAME, versions, ("sources",)).get("sources")
        cache.sources = kept or {}
        return cache

    def save(self) -> None:
        """Write what changed (a read-only project just goes without)."""
        self.save_loaded()
        if self.file is None or not self.changed:
            return
        write_records(self.file, self.versions, {"sources": self.sources})
        self.changed = False

    def save_loaded(self) -> None:
        """Write the pages, feed and front matter when they changed."""
        if self.file is None or not self.loaded_changed:
            return
        records = {"pages": self.pages, "feed": None if self.handed_over else self.feed,
                   "front_matter": self.front_matter}
        write_records(self.file.with_name(LOADED_FILE_NAME), self.versions, records)
        self.loaded_changed = False


def read_records(file: Path, versions: dict[str, str], kinds: tuple[str, ...]) -> dict[str, Any]:
    """The records of `kinds` kept in `file` that the code running now made; none when the
    file is missing or unreadable."""
    try:
        with open(file, "rb") as stream:
            stored = pickle.load(stream)
        old = stored["versions"]
        return {kind: stored[kind] for kind in kinds if old[kind] == versions[kind]}
    except (OSError, ValueError, KeyError, TypeError, EOFError, pickle.UnpicklingError,
            AttributeError, ImportError, IndexError):  # fmt: skip
        return {}


def write_records(file: Path, versions: dict[str, str], records: dict[str, Any]) -> None:
    """Write the file whole, or not at all."""
    stored = {"versions": {kind: versions[kind] for kind in records}, **records}
    with contextlib.suppress(OSError):
        write_atomically(file, pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL))


# The source files each kind of record depends on (relative to the feedsite package): a record
# made by other code is never reused, and edits elsewhere (a new check) keep the cache.
_MAKERS = {
    "pages": ("check/load.py", "check/models.py", "check/cache.py", "check/css_urls.py",
              "check/text_places.py", "local_urls.py"),
    "feed": ("check/feed.py", "check/models.py", "check/handover.py", "importer/"),
    "front_matter": ("check/site.py", "check/prefetch.py", "importer/frontmatter.py"),
    "sources": ("check/sources.py", "check/md_in_html.py", "check/load.py", "check/positions.py",
                "check/models.py", "importer/frontmatter.py"),
}


def code_versions() -> dict[str, str]:
    """A digest per kind of record of the code that makes it, and the library versions. Files
    are told by size and modification time, as the importer's cache tells its code (reading
    and hashing them cost every run, the fastest included, 15 ms)."""
    import selectolax
    import yaml

    import feedsite

    root = Path(__file__).resolve().parent.parent
    versions = (f"{feedsite.__version__} {sys.version} {selectolax.__version__} "
                f"{yaml.__version__}").encode()
    stamps: dict[str, bytes] = {}
    found: dict[str, str] = {}
    for kind, makers in _MAKERS.items():
        digest = hashlib.blake2b(versions, digest_size=16)
        for maker in makers:
            for name in _sources(root, maker):
                if name not in stamps:
                    try:
                        status = os.stat(root / name)
                        stamps[name] = f"{status.st_size}:{status.st_mtime_ns}".encode()
                    except OSError:
                        stamps[name] = b"?"
                digest.update(name.encode() + b"\0" + stamps[name] + b"\0")
        found[kind] = digest.hexdigest()
    return found


def _sources(root: Path, maker: str) -> list[str]:
    """The Python files `maker` names (a folder: every one under it), relative to `root`."""
    if not maker.endswith("/"):
        return [maker]
    found: list[str] = []
    for folder, dirs, files in os.walk(root / maker):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        prefix = Path(folder).relative_to(root).as_posix()
        found.extend(f"{prefix}/{name}" for name in sorted(files) if name.endswith(".py"))
    return found
