"""Page outline: exactly one H1, heading levels that never skip, no empty sections."""

from __future__ import annotations

from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Element, Page, Problem, SourceSpot
from feedsite.check.site import Site

RULES = ("h1-count", "heading-skip", "empty-section")


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    for page in site.pages.values():
        if not page.blocks:
            continue  # redirect stubs and script-only pages have no outline to judge
        yield from _h1_count(site, page)
        yield from _skips(site, page)
        yield from _empty_sections(site, page)


def _spot(site: Site, page: Page, index: int) -> SourceSpot | None:
    return site.heading_spot(page.path, index) if site.with_sources else None


def _h1_count(site: Site, page: Page) -> Iterator[Problem]:
    h1s = [i for i, h in enumerate(page.headings) if h.level == 1]
    if not h1s:
        doc = site.docs.get(page.path)
        yield Problem(
            "h1-count",
            page.path,
            Element("content"),
            "page has no H1 heading",
            suggestion="start the page with '# Title'",
            source=SourceSpot(doc, 1, 1) if doc is not None else None,
        )
    for index in h1s[1:]:
        yield Problem(
            "h1-count",
            page.path,
            Element("heading", index),
            f"second H1 '{page.headings[index].text}' (a page has exactly one H1, its title)",
            suggestion="make it an H2 ('## ...')",
            source=_spot(site, page, index),
        )


def _skips(site: Site, page: Page) -> Iterator[Problem]:
    previous = 0
    for index, heading in enumerate(page.headings):
        if previous and heading.level > previous + 1:
            yield Problem(
                "heading-skip",
                page.path,
                Element("heading", index),
                f"H{heading.level} '{heading.text}' follows an H{previous}; levels must not skip",
                suggestion=f"make it an H{previous + 1}",
                source=_spot(site, page, index),
            )
        previous = heading.level


def _empty_sections(site: Site, page: Page) -> Iterator[Problem]:
    blocks = page.blocks
    for position, (kind, _digest, level, index) in enumerate(blocks):
        if kind != "heading" or level == 1:
            continue
        if position + 1 < len(blocks):
            following_kind, _digest, following_level, _index = blocks[position + 1]
            if following_kind != "heading" or following_level > level:
                continue
        yield Problem(
            "empty-section",
            page.path,
            Element("heading", index),
            f"section '{page.headings[index].text}' is empty",
            suggestion="add its text or remove the heading",
            source=_spot(site, page, index),
        )
