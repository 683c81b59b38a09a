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
from typing import Any

from feedsite.atomic import write_atomically
from feedsite.errors import UserError
from feedsite.importer.entry import Entry
from feedsite.importer.frontmatter import AUTHOR_KEYS, dump_page
from feedsite.importer.listings import Action, Change, plan_listings
from feedsite.importer.models import Article
from feedsite.importer.pages import ExistingPage, read_pages
from feedsite.importer.read import read_feed
from feedsite.importer.render import Neighbour, PageInfo, page_meta, render_body
from feedsite.importer.slug import assign_slugs
from feedsite.problems import Problem, shown_path
from feedsite.project import Project


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

    plan_listings(project, tuple(entries), changes, problems)
    return Plan(tuple(changes), tuple(conflicts), tuple(problems), unchanged,
                articles=len(articles), rejected=len(feed.rejected))


def apply_plan(plan: Plan) -> None:
    """Carry out the plan's writes and deletions (conflicting files are left alone)."""
    for change in plan.changes:
        if change.content is None:
            change.path.unlink(missing_ok=True)
        else:
            write_atomically(change.path, change.content)
