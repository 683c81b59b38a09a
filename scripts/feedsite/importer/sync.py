"""Plan and apply the mirror of the feed into docs/: pages, home-page list, reader feeds.

`plan_import` reads the feed and docs/ and decides every change without writing; `apply_plan`
performs it with atomic writes. A file is written only when its bytes change, so a second run
is a no-op (and `mkdocs serve` does not rebuild in a loop); a generated page whose checksum no
longer matches was edited by hand and becomes a conflict rather than being overwritten.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feedsite.atomic import write_atomically
from feedsite.check.cache import folder_key
from feedsite.errors import UserError
from feedsite.importer import cache
from feedsite.importer.documents.local import local_targets
from feedsite.importer.documents.media import unused_media
from feedsite.importer.drafts import DraftPage
from feedsite.importer.entry import Entry
from feedsite.importer.frontmatter import AUTHOR_KEYS, as_date, dump_page
from feedsite.importer.listings import Action, Change, plan_listings
from feedsite.importer.lists.collect import topic_links
from feedsite.importer.memo import ImportMemo
from feedsite.importer.models import Article
from feedsite.importer.pages import ExistingPage, read_pages
from feedsite.importer.read import FeedRead, read_feed
from feedsite.importer.render import Neighbour, PageInfo, page_meta, render_body
from feedsite.importer.resolve import is_kept, page_entry
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
    # Set when the run is clean: apply_plan then records the import cache (importer/cache.py).
    memo: cache.Pending | None = field(default=None, compare=False, repr=False)
    # Pages the author keeps by hand (`import --keep`), and drafts' pages for the preview only
    # (None when the import cache answered and nothing changed since the last run).
    kept: tuple[ExistingPage, ...] = ()
    drafts: tuple[DraftPage, ...] | None = None
    # The feed as read (None when the import cache answered): `feedsite import` hands it to
    # the checker (check/handover.py).
    feed: FeedRead | None = field(default=None, compare=False, repr=False)
    # The feed folder's stats, taken before it was read (None when serving: not handed over).
    feed_key: tuple[tuple[str, int, int, int], ...] | None = field(
        default=None, compare=False, repr=False)

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


def _page_info(article: Article, old: ExistingPage | None, today: dt.date,
               previous: Neighbour | None, following: Neighbour | None) -> PageInfo:
    """Dates and author keys carried over from the article's existing page, if any."""
    meta = old.page.meta if old is not None and old.page is not None else {}
    published = article.published or as_date(meta.get("published")) or today
    updated = as_date(meta.get("updated"))
    if article.updated is not None:  # a feed document item's own date
        updated = article.updated if article.updated > published else None
    elif meta and meta.get("source_sha256") != article.source_sha256:
        updated = today
    author_meta = tuple((k, meta[k]) for k in AUTHOR_KEYS if k in meta)
    return PageInfo(published, updated, previous, following, author_meta)


def render_page_bytes(article: Article, info: PageInfo) -> tuple[dict[str, Any], bytes]:
    """The page's front matter values and its bytes as written."""
    meta = page_meta(article, info)
    return meta, dump_page(meta, render_body(article, info.local)).encode("utf-8")


@dataclass
class _Outcome:
    """What planning decides, gathered step by step."""

    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)  # the listings' view of each article
    kept: list[ExistingPage] = field(default_factory=list)
    unchanged: int = 0


def plan_import(project: Project, today: dt.date, force: bool | frozenset[Path] = False,
                use_cache: bool = True, memory: ImportMemo | None = None) -> Plan:
    """Decide what `feedsite import` writes and deletes; reads only.

    `force`: True overwrites every hand-edited page, a set of paths only those pages.
    `memory`: what a long-running import (`mkdocs serve`) remembers from its earlier runs.
    """
    if not project.feed_dir.is_dir():
        # Without this, a mistyped feed_dir would read as an empty feed and remove every page.
        raise UserError(
            f"{shown_path(project.feed_dir, project.root)}: feed folder not found; create it, or "
            f"set feed_dir under [tool.feedsite] in pyproject.toml"
        )
    # Stat everything before reading anything; when nothing changed since the last clean
    # run, its result stands and no feed file or page needs reading.
    snap = cache.snapshot(project, today.isoformat()) if use_cache else None
    hit = None if force or snap is None else cache.lookup(project, snap)
    if hit is not None and snap is not None:
        again = cache.Pending(project, snap, hit.verified, hit.articles, hit.unchanged)
        return Plan((), (), (), hit.unchanged, articles=hit.articles,
                    memo=again if hit.verified else None)

    forced = _forcing(force)
    titles = project.settings.get("topic_titles")
    # Before the feed is read: a file changed meanwhile then fails the checker's match.
    key = folder_key(project.feed_dir) if use_cache else None
    feed = read_feed(project.feed_dir, project.root,
                     {str(k): str(v) for k, v in titles.items()} if isinstance(titles, dict)
                     else None, read=memory.read_source if memory is not None else None)
    problems = list(feed.problems)
    existing = (read_pages(project.articles_dir, memory.read_page) if memory is not None
                else read_pages(project.articles_dir))
    # An article is known by its key: its file, plus the item id in a feed document.
    sources = {a.key for a in feed.articles}
    owned = _page_owners(existing, feed, sources)
    slugs = assign_slugs(
        [(a.key, a.title) for a in feed.articles],
        {src: page.slug for src, page in owned.items() if src in sources},
        _taken_slugs(existing, feed, sources, forced),
    )
    targets = {a.key: project.articles_dir / f"{slugs[a.key]}.md" for a in feed.articles}
    # Drafts get no page and are nobody's neighbour; the preview shows them (importer/drafts.py).
    articles = tuple(a for a in feed.articles if not a.draft)

    outcome = _Outcome()
    _plan_article_pages(outcome, project, today, feed, articles, slugs, owned,
                        {p.path: p for p in existing}, forced, memory)
    drafts = [
        DraftPage(targets[a.key], a.source,
                  render_page_bytes(a, _page_info(a, None, today, None, None))[1].decode("utf-8"))
        for a in feed.articles if a.draft
    ]
    _plan_removals(outcome, existing, {targets[a.key] for a in articles}, feed.rejected, forced)
    for path, action in plan_listings(project, tuple(outcome.entries), outcome.changes,
                                      problems, forced):
        outcome.conflicts.append(Conflict(path, action))
    # Images stored for items that left the feed (or dropped them) go with their pages.
    outcome.changes.extend(Change("remove", path, None)
                           for path in _unused_media(project, existing, outcome.changes))

    memo = None
    # Kept pages are reported on every run, so a run with any is not cached.
    if (snap is not None and not outcome.conflicts and not problems and not feed.rejected
            and not drafts and not outcome.kept):
        written_pages = sum(c.content is not None and c.path.parent == project.articles_dir
                            for c in outcome.changes)
        # A feed document's articles carry their item's hash, not the file's: the cache
        # hashes such files itself.
        read = {str(project.feed_dir / a.source): a.source_sha256 for a in articles
                if a.item_id is None}
        # The pages were read already: their hashes spare the cache reading them again.
        read.update((str(page.path), hashlib.sha256(page.raw).hexdigest()) for page in existing)
        memo = cache.Pending(project, snap, read, len(articles),
                             outcome.unchanged + written_pages)
    return Plan(tuple(outcome.changes), tuple(outcome.conflicts), tuple(problems),
                outcome.unchanged, articles=len(articles), rejected=len(feed.rejected),
                memo=memo, kept=tuple(outcome.kept), drafts=tuple(drafts), feed=feed,
                feed_key=key)


def _forcing(force: bool | frozenset[Path]) -> Callable[[Path], bool]:
    """Whether the author asked to overwrite the hand edits of the page at a path."""
    if isinstance(force, bool):
        return lambda path: force
    return lambda path: path in force


def _page_owners(existing: list[ExistingPage], feed: FeedRead,
                 sources: set[str]) -> dict[str, ExistingPage]:
    """The page each article owns: the first generated page (by name) that names its key."""
    owned: dict[str, ExistingPage] = {}
    for page in existing:
        if page.generated and page.key is not None:
            owned.setdefault(page.key, page)
    # A text file moved into a topic folder (or renamed) keeps its page, slug and dates: an
    # article without a page takes the page of a vanished file with the very same bytes.
    vanished: dict[str, ExistingPage] = {}
    for page in existing:
        sha = page.page.meta.get("source_sha256") if page.page is not None else None
        if (page.generated and page.item is None and page.key not in sources
                and page.source not in feed.rejected and not page.hand_edited
                and isinstance(sha, str)):
            vanished.setdefault(sha, page)
    for article in feed.articles:
        if article.item_id is None and article.key not in owned:
            moved = vanished.pop(article.source_sha256, None)
            if moved is not None:
                owned[article.key] = moved
    return owned


def _taken_slugs(existing: list[ExistingPage], feed: FeedRead, sources: set[str],
                 forced: Callable[[Path], bool]) -> set[str]:
    """Slugs the importer may not take: hand-written pages, pages of rejected files (kept as
    they are until the feed file is fixed) and hand-edited pages of deleted articles (kept
    until the author decides: a conflict)."""
    taken = {p.slug for p in existing if not p.generated}
    taken |= {p.slug for p in existing
              if p.generated and p.source in feed.rejected and p.key not in sources}
    taken |= {p.slug for p in existing
              if p.generated and p.key not in sources and p.hand_edited and not forced(p.path)}
    return taken


def _plan_article_pages(outcome: _Outcome, project: Project, today: dt.date, feed: FeedRead,
                        articles: tuple[Article, ...], slugs: Mapping[str, str],
                        owned: Mapping[str, ExistingPage],
                        by_path: Mapping[Path, ExistingPage], forced: Callable[[Path], bool],
                        memory: ImportMemo | None) -> None:
    """Each published article's page: unchanged, written, kept by hand or a conflict."""
    rel_dir = project.articles_rel
    local_of = local_targets(feed.articles, slugs, project.articles_dir)

    def page_of(article: Article) -> str:
        return f"{rel_dir}/{slugs[article.key]}.md"

    def neighbour(index: int) -> Neighbour | None:
        if not 0 <= index < len(articles):
            return None
        return Neighbour(articles[index].title, page_of(articles[index]))

    links = topic_links(articles, page_of)
    for index, article in enumerate(articles):
        path = project.articles_dir / f"{slugs[article.key]}.md"
        old = owned.get(article.key)
        if old is not None and is_kept(old):
            outcome.kept.append(old)
            outcome.entries.append(page_entry(article, old, page_of(article), today))
            continue
        info = _page_info(article, old, today, neighbour(index - 1), neighbour(index + 1))
        if article.key in links:
            info = dataclasses.replace(info, topics=links[article.key].topics,
                                       related=links[article.key].related)
        if article.item_id is not None:  # a feed document's links to its items and images
            info = dataclasses.replace(info, local=local_of(article))
        # The page's front matter already holds the listing's description and reading time.
        meta, content = (render_page_bytes(article, info) if memory is None else
                         memory.render(article, info,
                                       functools.partial(render_page_bytes, article, info)))
        entry = Entry(article, page_of(article), meta["description"], meta["reading_time"],
                      info.published, info.updated)
        current = by_path.get(path)
        if current is not None and current.raw == content:
            outcome.unchanged += 1
        elif current is not None and current.hand_edited and not forced(path):
            outcome.conflicts.append(Conflict(path, "update"))
            # The page keeps the hand edit, so its listings say what the page says.
            entry = page_entry(article, current, page_of(article), today)
        else:
            outcome.changes.append(
                Change("update" if current is not None else "add", path, content))
        outcome.entries.append(entry)


def _plan_removals(outcome: _Outcome, existing: list[ExistingPage], written: set[Path],
                   rejected: frozenset[str], forced: Callable[[Path], bool]) -> None:
    """Generated pages no article writes any more: removed, unless kept or edited by hand.
    Pages of a rejected feed file stay as they are until the file is fixed."""
    for page in existing:
        if not page.generated or page.path in written or page.source in rejected:
            continue
        if is_kept(page):
            outcome.kept.append(page)
        elif page.hand_edited and not forced(page.path):
            outcome.conflicts.append(Conflict(page.path, "remove"))
        else:
            outcome.changes.append(Change("remove", page.path, None))


def _unused_media(project: Project, existing: list[ExistingPage],
                  changes: list[Change]) -> list[Path]:
    """Stored images that no article page shows once `changes` are made."""
    pages_after = {page.path: page.raw for page in existing}
    for change in changes:
        if change.content is None:
            pages_after.pop(change.path, None)
        else:
            pages_after[change.path] = change.content
    return unused_media(project.articles_dir, pages_after.values())


def apply_plan(plan: Plan) -> None:
    """Carry out the plan's writes and deletions (conflicting files are left alone)."""
    for change in plan.changes:
        if change.content is None:
            change.path.unlink(missing_ok=True)
        else:
            write_atomically(change.path, change.content)
    if plan.memo is not None:
        cache.record(plan.memo, ((c.path, c.content) for c in plan.changes))
