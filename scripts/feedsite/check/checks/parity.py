"""Mirror parity between feed/ and the built articles: one page per feed article, one feed
article per page, and each page holds its article's sections in order and all its text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.feed import FeedArticle
from feedsite.check.models import Element, Page, Problem, SourceSpot
from feedsite.check.site import Site
from feedsite.importer.frontmatter import KEEP_KEY

RULES = (
    "feed-article-without-page",
    "page-without-feed-article",
    "duplicate-article-page",
    "section-mismatch",
    "paragraph-missing",
)
_SPACE = re.compile(r"\s+")


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    feed = context.feed
    if not site.with_sources or feed is None:
        return
    articles, rejected = feed.articles, feed.rejected
    pages_by_source: dict[str, list[str]] = {}
    for path in sorted(site.pages):
        meta = site.front_matter(path)
        if meta and meta.get("generator") == "feedsite" and isinstance(meta.get("source"), str):
            # A feed document's item pages are told apart by their `item` key.
            item = meta.get("item")
            key = meta["source"] if item is None else f"{meta['source']}#{item}"
            pages_by_source.setdefault(key, []).append(path)
    by_source = {article.key or article.source: article for article in articles}
    for article in articles:
        if article.draft:
            continue  # drafts are previewed only, never built
        pages = pages_by_source.get(article.key or article.source, [])
        if not pages:
            yield Problem(
                "feed-article-without-page",
                "",
                Element("file"),
                f"feed article '{article.title}' has no page in the built site",
                suggestion="run `feedsite import`, then build again",
                source=SourceSpot(article.source, article.title_line, 1, root="feed"),
            )
            continue
        for extra in pages[1:]:
            yield Problem(
                "duplicate-article-page",
                extra,
                Element("file"),
                f"a second page for feed article {article.source} (the first is "
                f"{site.docs.get(pages[0], pages[0])})",
                suggestion="delete the stale page and run `feedsite import`",
                source=site.key_spot(extra, "source"),
            )
        if (site.front_matter(pages[0]) or {}).get(KEEP_KEY) is True:
            continue  # hand-maintained (`feedsite import --keep`): the page is the author's
        yield from _contents(site, site.pages[pages[0]], article)
    for source, pages in sorted(pages_by_source.items()):
        if source in by_source or source in rejected or source.split("#", 1)[0] in rejected:
            continue
        pages = [p for p in pages if (site.front_matter(p) or {}).get(KEEP_KEY) is not True]
        for path in pages:
            yield Problem(
                "page-without-feed-article",
                path,
                Element("file"),
                f"generated page names source '{source}', which is not in the feed",
                suggestion="run `feedsite import` to remove it, or restore the feed file",
                source=site.key_spot(path, "source"),
            )


def _contents(site: Site, page: Page, article: FeedArticle) -> Iterator[Problem]:
    feed_sections = [_norm(text) for text in article.sections]
    page_sections = [(i, h) for i, h in enumerate(page.headings) if h.level == 2]
    for position in range(max(len(feed_sections), len(page_sections))):
        wanted = feed_sections[position] if position < len(feed_sections) else None
        found = page_sections[position] if position < len(page_sections) else None
        if found is not None and wanted == _norm(found[1].text):
            continue
        if found is None:
            message = f"section '{wanted}' of the feed article is missing from the page"
            spot = site.key_spot(page.path, "source")
            element = Element("content")
        else:
            index, heading = found
            expected = f"'{wanted}'" if wanted is not None else "no further section"
            message = (
                f"section {position + 1} is '{heading.text}' on the page but {expected} "
                "in the feed article"
            )
            spot = site.heading_spot(page.path, index)
            element = Element("heading", index)
        yield Problem(
            "section-mismatch",
            page.path,
            element,
            message,
            suggestion="run `feedsite import` to bring the page in line with the feed",
            source=spot,
        )
        break  # later sections are all shifted; one finding says it
    digests = {digest for kind, digest, _level, _index in page.blocks if kind != "heading"}
    for kind, line, digest, excerpt in article.texts:
        if digest in digests:
            continue
        yield Problem(
            "paragraph-missing",
            page.path,
            Element("content"),
            f"{kind} from {article.source} line {line} is missing from the page: '{excerpt}'",
            suggestion="run `feedsite import` to bring the page in line with the feed",
            source=site.key_spot(page.path, "source"),
        )


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
