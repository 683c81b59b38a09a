"""Watch feed/ and docs/ for an author's saves, ignoring the files the import itself writes.

MkDocs polls docs/ every half second and rebuilds on any change, so the import's own writes
into docs/ (made during a build) used to trigger a second full rebuild. This watcher replaces
MkDocs' watch of feed/ and docs/ under `mkdocs serve`: it uses the OS's change notifications
(no polling delay) and drops events whose file now holds exactly what the import wrote.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver


def _digest(content: bytes | None) -> str | None:
    return None if content is None else hashlib.sha256(content).hexdigest()


def _current(path: str) -> str | None:
    """The sha256 of the file's bytes now, None when it is gone."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed", "closed_no_write"):
            return  # reads, including MkDocs' own, are not changes
        if event.is_directory:
            return
        paths = [os.fsdecode(event.src_path)]
        if getattr(event, "dest_path", ""):
            paths.append(os.fsdecode(event.dest_path))
        if all(self.watcher.is_expected(p) for p in paths):
            return
        self.watcher.changed()


class Watcher:
    """Calls `on_change` (from a watchdog thread) when an author changes a watched file."""

    def __init__(self, folders: Iterable[Path], on_change: Callable[[], None]) -> None:
        self.folders = [Path(f) for f in folders]
        self.on_change = on_change
        self._expected: dict[str, str | None] = {}  # path -> sha256 written, None: deleted
        self._lock = threading.Lock()
        self._observer: BaseObserver | None = None

    def expect(self, files: Mapping[Path, bytes | None]) -> None:
        """Announce writes (bytes) and deletions (None) the import is about to make."""
        with self._lock:
            self._expected.update({os.fspath(p): _digest(c) for p, c in files.items()})

    def is_expected(self, path: str) -> bool:
        """Whether `path` is a hidden temp file or now holds just what the import wrote."""
        if os.path.basename(path).startswith("."):
            return True  # editors' swap files, atomic-write temp files: MkDocs skips them too
        with self._lock:
            if path not in self._expected:
                return False
            wanted = self._expected[path]
        return _current(path) == wanted

    def changed(self) -> None:
        self.on_change()

    def start(self) -> None:
        """Start watching; falls back to polling where change notifications are unavailable."""
        for kind in (Observer, PollingObserver):
            observer = kind()
            try:
                for folder in self.folders:
                    if folder.is_dir():
                        observer.schedule(_Handler(self), os.fspath(folder), recursive=True)
                observer.start()
            except OSError:
                continue  # e.g. the inotify watch limit is reached
            self._observer = observer
            return

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None
