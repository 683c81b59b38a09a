"""Markdown of the generated list pages and the home page's region (pure: entries -> text).

Only plain Markdown plus `md_in_html` blocks, which MkDocs and Zensical both build. Every list
page is bounded (PER_PAGE cards), so its HTML does not grow with the feed; page 1 of a long
list links every later page, so any article is three clicks from the home page: home -> list
page 1 -> list page k -> article.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from feedsite.importer.entry import Entry
from feedsite.importer.escape import escape_block, escape_inline
from feedsite.importer.frontmatter import dump_page
from feedsite.importer.lists.collect import TOPICS_DIR, Topic, alphabetical

LIST_GENERATOR = "feedsite-list"
PER_PAGE = 50
HOME_NEWEST = 10
HOME_TOPICS = 100  # more topics than this: the home page names the largest, then links all
A_Z_DIR = "a-z"
A_Z_PAGE = f"{A_Z_DIR}/index.md"
TOPICS_INDEX = f"{TOPICS_DIR}/index.md"
LABEL_CHARS = 32


@dataclass(frozen=True)
class ListPage:
    """One generated page: docs-relative path, front matter values and Markdown body."""

    path: str
    meta: dict[str, Any] = field(hash=False)
    body: str

    def text(self) -> str:
        return dump_page(self.meta, self.body)


def link(from_page: str, to_page: str) -> str:
    """The relative Markdown link from one docs-relative page to another."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def cards(entries: Sequence[Entry], from_page: str) -> str:
    """Each article as a card: linked title, then description and reading time (site.css)."""
    items = [
        f"- [{escape_inline(e.article.title)}]({link(from_page, e.page)})\n\n"
        f"    {escape_block(e.description)} · {e.reading_time} min read"
        for e in entries
    ]
    return '<div class="fs-article-list" markdown>\n\n' + "\n\n".join(items) + "\n\n</div>\n"


def _label(title: str) -> str:
    words = " ".join(title.split())
    if len(words) <= LABEL_CHARS:
        return words
    cut = words[: LABEL_CHARS - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"


def _count(n: int, what: str = "article") -> str:
    return f"{n:,} {what}" + ("" if n == 1 else "s")


def series_paths(first: str, folder: str, pages: int) -> list[str]:
    """Page paths of a paginated list: `first`, then `folder/page-2.md`, ..."""
    return [first, *(f"{folder}/page-{n}.md" for n in range(2, pages + 1))]


def paged_list(first: str, folder: str, entries: Sequence[Entry], title: str,
               description: str, intro: str, per_page: int = PER_PAGE,
               also: tuple[str, str] | None = None) -> list[ListPage]:
    """A list of `entries` cut into pages of `per_page` cards, with a pager on each.

    `intro` opens every page; `also` is a (label, docs-relative page) link after it.
    """
    chunks = [entries[i : i + per_page] for i in range(0, len(entries), per_page)] or [[]]
    paths = series_paths(first, folder, len(chunks))
    total = len(chunks)
    pages = []
    for number, (path, chunk) in enumerate(zip(paths, chunks, strict=True), start=1):
        heading = escape_block(title)
        opening = intro if also is None else f"{intro} [{also[0]}]({link(path, also[1])})"
        parts = [f"# {heading}", opening]
        if total > 1:
            parts.append(f"Page {number} of {total}: {_span(chunk, '*')}.")
        parts.append(cards(chunk, path).rstrip("\n"))
        if total > 1:
            parts.append(_pager(paths, number, path))
        if number == 1 and total > 1:
            parts.append(_page_index(paths, chunks, path))
        page_title = title if number == 1 else f"{title}, page {number} of {total}"
        meta: dict[str, Any] = {
            "title": page_title,
            "description": description,
            # List pages repeat article descriptions: search should find the articles.
            "search": {"exclude": True},
            "generator": LIST_GENERATOR,
        }
        pages.append(ListPage(path, meta, "\n" + "\n\n".join(p for p in parts if p) + "\n"))
    return pages


def _span(chunk: Sequence[Entry], mark: str = "") -> str:
    """"*First title* to *last title*" of a page's cards (labels shortened)."""
    first, last = (f"{mark}{escape_inline(_label(e.article.title))}{mark}"
                   for e in (chunk[0], chunk[-1]))
    return first if len(chunk) == 1 else f"{first} to {last}"


def _pager(paths: Sequence[str], number: int, here: str) -> str:
    links = []
    if number > 1:
        links.append(f"[← Previous page]({link(here, paths[number - 2])})")
    if number > 2:
        links.append(f"[First page]({link(here, paths[0])}#all-pages)")
    if number < len(paths):
        links.append(f"[Next page →]({link(here, paths[number])})")
    return " · ".join(links)


def _page_index(paths: Sequence[str], chunks: Sequence[Sequence[Entry]], here: str) -> str:
    """Page 1's list of every page with the titles it spans: the second of three clicks."""
    items = [
        f"- [Page {n}]({link(here, path)}): {_span(chunk)}"
        for n, (path, chunk) in enumerate(zip(paths, chunks, strict=True), start=1)
        if n > 1
    ]
    return "## All pages\n\n" + "\n".join(items)


def a_to_z_pages(entries: Sequence[Entry], site_name: str,
                 per_page: int = PER_PAGE) -> list[ListPage]:
    """The "All articles A-Z" pages (none when no article is published)."""
    ordered = alphabetical(entries)
    if not ordered:
        return []
    intro = (f"All {_count(len(ordered))} in {escape_inline(site_name) or 'the library'}, "
             "in alphabetical order of title.")
    return paged_list(A_Z_PAGE, A_Z_DIR, ordered, "All articles A–Z",
                      f"Every article in {site_name or 'the library'}, A to Z.", intro, per_page)


def topic_pages(topic: Topic, per_page: int = PER_PAGE) -> list[ListPage]:
    """A topic's pages: `topics/<slug>.md`, then `topics/<slug>/page-2.md`, ..."""
    intro = f"{_count(len(topic.entries))} on this topic, A to Z."
    return paged_list(topic.page, f"{TOPICS_DIR}/{topic.slug}", topic.entries, topic.name,
                      f"Articles on {topic.name}.", intro, per_page, ("All topics", TOPICS_INDEX))


def topics_index(topics: Sequence[Topic]) -> ListPage:
    """Every topic with its number of articles."""
    items = [f"- [{escape_inline(t.name)}]({link(TOPICS_INDEX, t.page)}) · "
             f"{_count(len(t.entries))}" for t in topics]
    body = ("\n# Topics\n\n" + f"{_count(len(topics), 'topic')}, A to Z. "
            f"[All articles A–Z]({link(TOPICS_INDEX, A_Z_PAGE)})\n\n" + "\n".join(items) + "\n")
    meta: dict[str, Any] = {"title": "Topics", "description": "Articles grouped by topic.",
                            "search": {"exclude": True}, "generator": LIST_GENERATOR}
    return ListPage(TOPICS_INDEX, meta, body)


def home_region(newest: Sequence[Entry], published: int, topics: Sequence[Topic],
                home: str = "index.md") -> str:
    """The home page's managed region: the ways to browse, the newest articles, every topic."""
    if not published:
        return "No articles yet: add a file to the feed folder and run `feedsite import`.\n"
    everything = f"all {_count(published)}" if published > 1 else "the article list"
    browse = f"Browse [{everything}, A to Z]({link(home, A_Z_PAGE)})"
    if topics:
        browse += f" or [by topic]({link(home, TOPICS_INDEX)})"
    parts = [browse + ".", "## Newest articles", cards(newest, home).rstrip("\n")]
    if topics:
        shown = topics
        if len(topics) > HOME_TOPICS:
            largest = {t.slug for t in sorted(topics, key=lambda t: -len(t.entries))[:HOME_TOPICS]}
            shown = [t for t in topics if t.slug in largest]
        items = "\n".join(f"- [{escape_inline(t.name)}]({link(home, t.page)}) "
                          f"({len(t.entries):,})" for t in shown)
        parts += ["## Topics", f'<div class="fs-topic-list" markdown>\n\n{items}\n\n</div>']
        if len(shown) < len(topics):
            parts.append(f"[All {_count(len(topics), 'topic')} →]({link(home, TOPICS_INDEX)})")
    return "\n\n".join(parts) + "\n"
