"""Plan the generated list pages (A-Z, topics): write changed ones, remove stale ones.

Like article pages, a list page carries a checksum: one edited by hand is reported as a
conflict instead of being overwritten or removed (unless `--force`), and a hand-written page
at a list page's path is never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from feedsite.importer.changes import Action, Change
from feedsite.importer.entry import Entry
from feedsite.importer.frontmatter import is_hand_edited, split_page
from feedsite.importer.lists.collect import TOPICS_DIR, Topic
from feedsite.importer.lists.markdown import (
    A_Z_DIR,
    LIST_GENERATOR,
    PER_PAGE,
    ListPage,
    a_to_z_pages,
    topic_pages,
    topics_index,
)
from feedsite.problems import Problem, shown_path


@dataclass(frozen=True)
class ListFile:
    """A Markdown file found in a list folder, and whether feedsite wrote it."""

    path: Path
    raw: bytes
    generated: bool
    hand_edited: bool


def wanted_pages(entries: Sequence[Entry], topics: Sequence[Topic], site_name: str,
                 per_page: int = PER_PAGE) -> list[ListPage]:
    """Every list page the feed calls for: A-Z, then each topic's pages and the topic index."""
    pages = a_to_z_pages(entries, site_name, per_page)
    for topic in topics:
        pages.extend(topic_pages(topic, per_page))
    if topics:
        pages.append(topics_index(topics))
    return pages


def existing_list_files(docs_dir: Path) -> dict[Path, ListFile]:
    """Markdown files now in the list folders (docs/a-z/, docs/topics/), by path."""
    found: dict[Path, ListFile] = {}
    for folder in (A_Z_DIR, TOPICS_DIR):
        base = docs_dir / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.md")):
            try:
                raw = path.read_bytes()
                page = split_page(raw.decode("utf-8"))
            except (OSError, UnicodeDecodeError):
                raw, page = b"", None
            generated = page is not None and page.meta.get("generator") == LIST_GENERATOR
            found[path] = ListFile(path, raw, generated,
                                   generated and page is not None and is_hand_edited(page))
    return found


def plan_list_pages(docs_dir: Path, root: Path, pages: Sequence[ListPage],
                    forced: Callable[[Path], bool],
                    ) -> tuple[list[Change], list[tuple[Path, Action]], list[Problem]]:
    """Writes and removals, conflicts as (path, action), and problems; `forced(path)`: the
    author asked to overwrite that page's hand edit."""
    existing = existing_list_files(docs_dir)
    changes: list[Change] = []
    conflicts: list[tuple[Path, Action]] = []
    problems: list[Problem] = []
    wanted: set[Path] = set()
    for page in pages:
        path = docs_dir / page.path
        wanted.add(path)
        content = page.text().encode("utf-8")
        current = existing.get(path)
        if current is None:
            changes.append(Change("add", path, content))
        elif current.raw == content:
            continue
        elif not current.generated:
            problems.append(Problem(
                shown_path(path, root), None, "error",
                "is a hand-written page where feedsite import writes a generated list; "
                "rename or move it, then run `feedsite import` again"))
        elif current.hand_edited and not forced(path):
            conflicts.append((path, "update"))
        else:
            changes.append(Change("update", path, content))
    for path, current in existing.items():
        if path in wanted or not current.generated:
            continue
        if current.hand_edited and not forced(path):
            conflicts.append((path, "remove"))
        else:
            changes.append(Change("remove", path, None))
    return changes, conflicts, problems
