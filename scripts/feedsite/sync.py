"""Plan and apply the mirror of the feed into docs/: pages, home-page list, reader feeds.

`plan_import` reads the feed and docs/ and decides every change without writing; `apply_plan`
performs it with atomic writes. A file is written only when its bytes change, so a second run
is a no-op (and `mkdocs serve` does not rebuild in a loop); a generated page whose checksum no
longer matches was edited by hand and becomes a conflict rather than being overwritten.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from feedsite.atomic import write_atomically
from feedsite.entry import Entry
from feedsite.errors import UserError
from feedsite.frontmatter import AUTHOR_KEYS, dump_page
from feedsite.home import RegionError, render_listing, replace_region
from feedsite.models import Article
from feedsite.pages import ExistingPage, read_pages
from feedsite.problems import Problem, shown_path
from feedsite.project import Project
from feedsite.read_feed import read_feed
from feedsite.reader_feeds import DEFAULT_LIMIT, Channel, render_reader_feeds
from feedsite.render import Neighbour, PageInfo, page_meta, render_body
from feedsite.robots import is_generated, render_robots
from feedsite.slug import assign_slugs

Action = Literal["add", "update", "remove"]


@dataclass(frozen=True)
class Change:
    """One file to write (`content`) or delete (`content` None)."""

    action: Action
    path: Path
    content: bytes | None


@dataclass(frozen=True)
class Conflict:
    """A generated page edited by hand that the import would overwrite or delete."""

    path: Path
    action: Action


@dataclass(frozen=True)
class Plan:
    """Everything one import would do, and what it found wrong."""

    changes: tuple[Change, ...]
    conflicts: tuple[Conflict, ...]
    problems: tuple[Problem, ...]
    unchanged: int
    articles: int = 0
    rejected: int = 0

    @property
    def failed(self) -> bool:
        """Whether the run must exit 1: a rejected file, a conflict or another error."""
        return bool(self.conflicts) or any(p.severity == "error" for p in self.problems)


def today_from(value: str | None, environ: Mapping[str, str] = os.environ) -> dt.date:
    """The import date: `--today`, else SOURCE_DATE_EPOCH (reproducible builds), else UTC today."""
    if value:
        return dt.date.fromisoformat(value)
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _page_info(article: Article, old: ExistingPage | None, today: dt.date,
               previous: Neighbour | None, following: Neighbour | None) -> PageInfo:
    """Dates and author keys carried over from the article's existing page, if any."""
    meta = old.page.meta if old is not None and old.page is not None else {}
    published = _as_date(meta.get("published")) or today
    updated = _as_date(meta.get("updated"))
    if meta and meta.get("source_sha256") != article.source_sha256:
        updated = today
    author_meta = tuple((k, meta[k]) for k in AUTHOR_KEYS if k in meta)
    return PageInfo(published, updated, previous, following, author_meta)


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


def plan_import(project: Project, today: dt.date, force: bool = False) -> Plan:
    """Decide what `feedsite import` writes and deletes; reads only."""
    if not project.feed_dir.is_dir():
        # Without this, a mistyped feed_dir would read as an empty feed and remove every page.
        raise UserError(
            f"{shown_path(project.feed_dir, project.root)}: feed folder not found; create it, or "
            f"set feed_dir under [tool.feedsite] in pyproject.toml"
        )
    feed = read_feed(project.feed_dir, project.root)
    problems = list(feed.problems)
    existing = read_pages(project.articles_dir)
    by_path = {p.path: p for p in existing}
    sources = {a.source for a in feed.articles}
    # The page each source owns: the first generated page (by name) that names it.
    owned: dict[str, ExistingPage] = {}
    for page in existing:
        if page.generated and page.source is not None:
            owned.setdefault(page.source, page)
    # Slugs the importer may not take: hand-written pages, pages of rejected files (kept as
    # they are until the feed file is fixed) and hand-edited pages of deleted articles (kept
    # until the author decides, see the conflict below).
    taken = {p.slug for p in existing if not p.generated}
    taken |= {p.slug for p in existing if p.generated and p.source in feed.rejected}
    if not force:
        taken |= {p.slug for p in existing
                  if p.generated and p.source not in sources and p.hand_edited}
    slugs = assign_slugs(
        [(a.source, a.title) for a in feed.articles],
        {src: page.slug for src, page in owned.items() if src in sources},
        taken,
    )
    rel_dir = project.articles_rel
    targets = {a.source: project.articles_dir / f"{slugs[a.source]}.md" for a in feed.articles}

    changes: list[Change] = []
    conflicts: list[Conflict] = []
    unchanged = 0
    entries: list[Entry] = []

    def page_of(article: Article) -> str:
        return f"{rel_dir}/{slugs[article.source]}.md"

    def neighbour(article: Article) -> Neighbour:
        return Neighbour(article.title, page_of(article))

    articles = feed.articles
    for index, article in enumerate(articles):
        path = targets[article.source]
        old = owned.get(article.source)
        info = _page_info(
            article, old, today,
            neighbour(articles[index - 1]) if index > 0 else None,
            neighbour(articles[index + 1]) if index + 1 < len(articles) else None,
        )
        # The page's front matter already holds the listing's description and reading time.
        meta = page_meta(article, info)
        entries.append(Entry(article, page_of(article), meta["description"],
                             meta["reading_time"], info.published, info.updated))
        content = dump_page(meta, render_body(article)).encode("utf-8")
        current = by_path.get(path)
        if current is not None and current.raw == content:
            unchanged += 1
        elif current is not None and current.hand_edited and not force:
            conflicts.append(Conflict(path, "update"))
        else:
            changes.append(Change("update" if current is not None else "add", path, content))

    written = set(targets.values())
    for page in existing:
        if not page.generated or page.path in written or page.source in feed.rejected:
            continue
        if page.hand_edited and not force:
            conflicts.append(Conflict(page.path, "remove"))
        else:
            changes.append(Change("remove", page.path, None))

    _plan_listings(project, tuple(entries), changes, problems)
    return Plan(tuple(changes), tuple(conflicts), tuple(problems), unchanged,
                articles=len(articles), rejected=len(feed.rejected))


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _if_changed(path: Path, content: bytes, changes: list[Change],
                current: bytes | None) -> None:
    """Plan writing `content` over `current` (the file's bytes, None when it is missing)."""
    if current != content:
        changes.append(Change("add" if current is None else "update", path, content))


def _plan_listings(project: Project, entries: tuple[Entry, ...], changes: list[Change],
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
            _if_changed(index, new_text.encode("utf-8"), changes, raw)
    if not project.site_url:
        problems.append(Problem(shown_path(project.config_file, project.root), None, "warning",
                                "has no site_url, so no reader feeds were written; set site_url "
                                "to the address the site is published at"))
        return
    for name, feed_text in render_reader_feeds(channel_for(project), entries).items():
        path = project.docs_dir / name
        _if_changed(path, feed_text.encode("utf-8"), changes, _read_or_none(path))
    robots = project.docs_dir / "robots.txt"
    current = _read_or_none(robots)
    if current is None or is_generated(current.decode("utf-8", errors="replace")):
        _if_changed(robots, render_robots(project.site_url).encode("utf-8"), changes, current)


def apply_plan(plan: Plan) -> None:
    """Carry out the plan's writes and deletions (conflicting files are left alone)."""
    for change in plan.changes:
        if change.content is None:
            change.path.unlink(missing_ok=True)
        else:
            write_atomically(change.path, change.content)
