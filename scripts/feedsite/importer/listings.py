"""Plan the files that list articles: the home page's region, the A-Z and topic pages, the
reader feeds and robots.txt.

Pure planning: reads the current files and appends a Change for each one whose bytes differ.
Drafts are left out of every list here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from feedsite.importer.changes import Action, Change
from feedsite.importer.entry import Entry
from feedsite.importer.home import RegionError, replace_region
from feedsite.importer.lists.collect import collect_topics
from feedsite.importer.lists.markdown import HOME_NEWEST, PER_PAGE, home_region
from feedsite.importer.lists.plan import plan_list_pages, wanted_pages
from feedsite.importer.reader_feeds import (
    DEFAULT_LIMIT,
    Channel,
    newest_first,
    render_reader_feeds,
)
from feedsite.importer.robots import is_generated, render_robots
from feedsite.problems import Problem, shown_path
from feedsite.project import Project

__all__ = ["Action", "Change", "plan_listings"]


def channel_for(project: Project, limit: int = DEFAULT_LIMIT) -> Channel:
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
        limit=limit,
    )


def _setting(project: Project, key: str, default: int, problems: list[Problem]) -> int:
    """A positive whole number from [tool.feedsite]; anything else is reported, default used."""
    value = project.settings.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    problems.append(Problem(shown_path(project.root / "pyproject.toml", project.root), None,
                            "warning", f"[tool.feedsite] {key} must be a whole number above 0, "
                            f"not {value!r}; using {default}"))
    return default


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
                  problems: list[Problem],
                  forced: Callable[[Path], bool] = lambda path: False,
                  ) -> list[tuple[Path, Action]]:
    """The home page's region, the list pages and the reader feeds; returns conflicts
    (hand-edited list pages, as (path, action)) for the caller to report."""
    published = tuple(e for e in entries if not e.article.draft)
    topics = collect_topics(published)
    newest = newest_first(published, _setting(project, "home_limit", HOME_NEWEST, problems))
    _plan_home(project, home_region(newest, len(published), topics), changes, problems)
    pages = wanted_pages(published, topics, project.site_name,
                         _setting(project, "list_page_size", PER_PAGE, problems))
    list_changes, conflicts, list_problems = plan_list_pages(
        project.docs_dir, project.root, pages, forced)
    changes.extend(list_changes)
    problems.extend(list_problems)
    if not project.site_url:
        problems.append(Problem(shown_path(project.config_file, project.root), None, "warning",
                                "has no site_url, so no reader feeds were written; set site_url "
                                "to the address the site is published at"))
        return conflicts
    channel = channel_for(project, _setting(project, "feed_limit", DEFAULT_LIMIT, problems))
    for name, feed_text in render_reader_feeds(channel, published).items():
        path = project.docs_dir / name
        if_changed(path, feed_text.encode("utf-8"), changes, read_or_none(path))
    robots = project.docs_dir / "robots.txt"
    current = read_or_none(robots)
    if current is None or is_generated(current.decode("utf-8", errors="replace")):
        if_changed(robots, render_robots(project.site_url).encode("utf-8"), changes, current)
    return conflicts


def _plan_home(project: Project, region: str, changes: list[Change],
               problems: list[Problem]) -> None:
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
            new_text = replace_region(text, region)
        except RegionError as exc:
            problems.append(Problem(shown, None, "error", str(exc)))
        else:
            if_changed(index, new_text.encode("utf-8"), changes, raw)
