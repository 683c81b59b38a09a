"""What a long-running import (`mkdocs serve`) remembers between runs, so a save re-reads and
re-renders only what changed: feed files and pages by their stat, rendered pages by everything
they are made from. One `ImportMemo` per process; `feedsite import` runs without.

The import cache (cache.py) answers "nothing changed at all" across processes; this memo makes
the other case, one file changed among 10,000, cost work in proportion to the change.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from feedsite.importer.models import Article
from feedsite.importer.pages import ExistingPage, read_page
from feedsite.importer.read import read_source
from feedsite.problems import Problem

T = TypeVar("T")


class _Generations:
    """A dict that forgets entries not used during the last run (no unbounded growth)."""

    def __init__(self) -> None:
        self._old: dict[Hashable, Any] = {}
        self._new: dict[Hashable, Any] = {}

    def next_run(self) -> None:
        self._old, self._new = self._new, {}

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        if key in self._new:
            value: T = self._new[key]
        elif key in self._old:
            value = self._new[key] = self._old.pop(key)
        else:
            value = self._new[key] = make()
        return value


class ImportMemo:
    """Memoised steps of `plan_import`; each key holds everything its result depends on."""

    def __init__(self) -> None:
        self._sources = _Generations()
        self._pages = _Generations()
        self._rendered = _Generations()

    def next_run(self) -> None:
        for generations in (self._sources, self._pages, self._rendered):
            generations.next_run()

    def read_source(self, path: Path, source: str,
                    shown: str) -> tuple[list[Article], list[Problem]]:
        """`read.read_source`, again only when the file's size, mtime or inode changed."""
        try:
            st = os.stat(path)
        except OSError:
            return read_source(path, source, shown)
        key = (source, shown, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
        articles, problems = self._sources.get(key, lambda: read_source(path, source, shown))
        return list(articles), list(problems)

    def read_page(self, path: Path) -> ExistingPage:
        """`pages.read_page`, again only when the file's size, mtime or inode changed."""
        try:
            st = os.stat(path)
        except OSError:
            return read_page(path)
        key = (str(path), st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
        return self._pages.get(key, lambda: read_page(path))

    def render(self, article: Article, info: Any,
               make: Callable[[], tuple[dict[str, Any], bytes]]) -> tuple[dict[str, Any], bytes]:
        """A page's front matter and bytes, made again only when its inputs changed.

        The article's content is its file's sha256; the rest of what a page shows (dates,
        neighbours, topics, author keys) is in `info`, compared by its repr; its local links
        by their fingerprint (their repr holds every item of the document: a key per article
        as big as the document would make a rebuild quadratic in its items).
        """
        local = getattr(info, "local", None)
        shown = repr(dataclasses.replace(info, local=None)) if local is not None else repr(info)
        key = (article.key, article.source_sha256, article.title, article.topics,
               article.draft, article.origin, shown, local.fingerprint if local else "")
        return self._rendered.get(key, make)
