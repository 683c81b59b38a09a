"""Plan the files that list articles: the home page's list, the reader feeds and robots.txt.

Pure planning: reads the current files and appends a Change for each one whose bytes differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from feedsite.importer.entry import Entry
from feedsite.importer.home import RegionError, render_listing, replace_region
from feedsite.importer.reader_feeds import DEFAULT_LIMIT, Channel, render_reader_feeds
from feedsite.importer.robots import is_generated, render_robots
from feedsite.problems import Problem, shown_path
from feedsite.project import Project

Action = Literal["add", "update", "remove"]


@dataclass(frozen=True)
class Change:
    """One file to write (`content`) or delete (`content` None)."""

    action: Action
    path: Path
    content: bytes | None



def channel_for(project: Project) -> Channel:
    mk = project.mkdocs
    theme = mk.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    site_url = project.site_url if project.site_url.endswith("/") else project.site_url + "/"
    return Channel(
        title=project.site_name,
        description=str(mk.get("site_description") or ""),
        site_url=site_url,
        language=str(language or "en"),
        author=str(mk.get("site_author") or ""),
        use_directory_urls=bool(mk.get("use_directory_urls", True)),
        limit=int(project.settings.get("feed_limit", DEFAULT_LIMIT)),
    )


def read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def if_changed(path: Path, content: bytes, changes: list[Change],
                current: bytes | None) -> None:
    """Plan writing `content` over `current` (the file's bytes, None when it is missing)."""
    if current != content:
        changes.append(Change("add" if current is None else "update", path, content))


def plan_listings(project: Project, entries: tuple[Entry, ...], changes: list[Change],
                   problems: list[Problem]) -> None:
    """The home page's article list and the three reader feeds."""
    index = project.docs_dir / "index.md"
    shown = shown_path(index, project.root)
    try:
        raw = index.read_bytes()
        # Universal newlines, as read_text would give; the rewrite then uses "\n" throughout.
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except FileNotFoundError:
        problems.append(Problem(shown, None, "error",
                                "is missing; create the home page with the lines "
                                "<!-- feedsite:articles:start --> and "
                                "<!-- feedsite:articles:end --> where the article list goes"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(shown, None, "error", f"cannot be read as UTF-8 text ({exc})"))
    else:
        try:
            new_text = replace_region(text, render_listing(entries))
        except RegionError as exc:
            problems.append(Problem(shown, None, "error", str(exc)))
        else:
            if_changed(index, new_text.encode("utf-8"), changes, raw)
    if not project.site_url:
        problems.append(Problem(shown_path(project.config_file, project.root), None, "warning",
                                "has no site_url, so no reader feeds were written; set site_url "
                                "to the address the site is published at"))
        return
    for name, feed_text in render_reader_feeds(channel_for(project), entries).items():
        path = project.docs_dir / name
        if_changed(path, feed_text.encode("utf-8"), changes, read_or_none(path))
    robots = project.docs_dir / "robots.txt"
    current = read_or_none(robots)
    if current is None or is_generated(current.decode("utf-8", errors="replace")):
        if_changed(robots, render_robots(project.site_url).encode("utf-8"), changes, current)
