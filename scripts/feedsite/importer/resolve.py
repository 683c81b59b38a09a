"""Conflicts between a hand-edited page and the feed: what to tell the author, and the two ways
out (`feedsite import --force PAGE` takes the feed's version; `--keep PAGE` hands the page to
the author for good).

While a page is in conflict, or kept, it is the page that is published: its listings (home
page, A-Z and topic lists, reader feeds) are made from what the page says, never from the feed
text it no longer shows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from feedsite.atomic import write_atomically
from feedsite.errors import UserError
from feedsite.importer.entry import Entry
from feedsite.importer.frontmatter import KEEP_KEY, as_date, split_page
from feedsite.importer.lists.markdown import LIST_GENERATOR
from feedsite.importer.models import Article
from feedsite.importer.pages import ExistingPage
from feedsite.problems import shown_path
from feedsite.project import Project

_FEED_MARKDOWN = ["attr_list", "md_in_html", "admonition", "tables", "pymdownx.superfences"]


def is_kept(page: ExistingPage) -> bool:
    return page.page is not None and page.page.meta.get(KEEP_KEY) is True


def conflict_message(page: Path, action: str, project: Project) -> str:
    """One line naming the page, what the import held back and the choices that work."""
    shown = shown_path(page, project.root)
    if page.parent != project.articles_dir:
        # A list page (home page region aside) is made from the whole feed: it cannot be kept.
        held = "the new list was not written" if action == "update" else "it was not removed"
        return (f"{shown}: conflict: a generated list page edited by hand since the last "
                f"import, so {held} and the site shows the hand edit; run `feedsite import "
                f"--force {shown}` to make it from the feed again (the hand edit is lost); to "
                "change what lists say, edit the articles in feed/ instead")
    held = ("the feed's new version was not written" if action == "update"
            else "its article left the feed, but the page was not removed")
    take = "take the feed's version" if action == "update" else "remove it"
    return (f"{shown}: conflict: edited by hand since the last import, so {held} and the site "
            f"shows the hand edit; choose `feedsite import --force {shown}` to {take} (the hand "
            f"edit is lost) or `feedsite import --keep {shown}` to keep the page as it is "
            "(the importer stops updating it)")


def kept_message(page: ExistingPage, project: Project) -> str:
    shown = shown_path(page.path, project.root)
    source = f"feed/{page.source}" if page.source else "the feed"
    return (f"{shown}: hand-maintained ({KEEP_KEY}: true), so it is not updated from "
            f"{source}; delete that line and run `feedsite import --force {shown}` to take the "
            "feed's version again")


def page_html(body: str) -> str:
    """A page's Markdown body as clean HTML for the reader feeds, without its `# Title`."""
    lines = body.lstrip("\n").split("\n")
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    # Python-Markdown and nh3 load only when a kept or conflicting page needs them: every
    # import, the cached no-op too, would pay for them at start-up.
    import markdown
    import nh3

    rendered = markdown.markdown("\n".join(lines), extensions=_FEED_MARKDOWN)
    return nh3.clean(rendered).strip()


def page_entry(article: Article, page: ExistingPage, page_rel: str, today: dt.date) -> Entry:
    """The listing entry of an article whose page, not the feed, is what is published."""
    meta = page.page.meta if page.page is not None else {}
    body = page.page.body if page.page is not None else ""
    title = meta.get("title")
    reading = meta.get("reading_time")
    return Entry(
        dataclasses.replace(article, title=title if isinstance(title, str) and title
                            else article.title),
        page_rel,
        str(meta.get("description") or ""),
        reading if isinstance(reading, int) and not isinstance(reading, bool) else 1,
        as_date(meta.get("published")) or article.published or today,
        as_date(meta.get("updated")),
        html=page_html(body),
    )


def find_pages(project: Project, names: Iterable[str],
               lists: bool = False) -> frozenset[Path]:
    """The article pages the author named (a path as shown in messages, or a slug); with
    `lists`, generated list pages (A-Z, topics) too, as `--force` takes them."""
    found: set[Path] = set()
    articles = project.articles_dir.resolve()
    for name in names:
        candidates = [Path(name), project.root / name, project.docs_dir / name,
                      project.articles_dir / name, project.articles_dir / f"{name}.md"]
        listed = next((c.resolve() for c in candidates
                       if lists and c.suffix == ".md" and c.is_file() and _is_list_page(c)), None)
        if listed is not None:
            found.add(project.docs_dir / listed.relative_to(project.docs_dir.resolve()))
            continue
        match = next((c.resolve() for c in candidates
                      if c.suffix == ".md" and c.is_file() and c.resolve().parent == articles),
                     None)
        if match is None:
            raise UserError(
                f"{name}: no such article page in {shown_path(project.articles_dir, project.root)}"
                "; name the page as the conflict message shows it, e.g. "
                f"{shown_path(project.articles_dir, project.root)}/<slug>.md"
            )
        found.add(project.articles_dir / match.name)
    return frozenset(found)


def _is_list_page(path: Path) -> bool:
    try:
        page = split_page(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return False
    return page is not None and page.meta.get("generator") == LIST_GENERATOR


def keep_page(path: Path, project: Project) -> bool:
    """Mark a generated page hand-maintained; False when it already was. Only adds one line."""
    shown = shown_path(path, project.root)
    text = path.read_text(encoding="utf-8")
    page = split_page(text.replace("\r\n", "\n"))
    if page is None or page.meta.get("generator") != "feedsite":
        raise UserError(f"{shown}: not a page the importer wrote (no `generator: feedsite` in "
                        "its front matter), so the importer never changes it anyway")
    if page.meta.get(KEEP_KEY) is True:
        return False
    first_end = text.index("\n") + 1  # after the opening `---`
    write_atomically(path, (text[:first_end] + f"{KEEP_KEY}: true\n" + text[first_end:])
                     .encode("utf-8"))
    return True
