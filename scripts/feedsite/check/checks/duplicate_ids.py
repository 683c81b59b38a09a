"""Ids used more than once in a page: links to them land on the first one only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Problem

RULES = ("duplicate-id",)


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    for page in site.pages.values():
        totals = dict(page.id_counts)
        if not totals:
            continue
        seen: Counter[str] = Counter()
        for spot in page.content_ids:
            if spot.id not in totals:
                continue
            seen[spot.id] += 1
            content_total = sum(1 for s in page.content_ids if s.id == spot.id)
            # Report every repeat in the content; a single content id clashing with the theme
            # is reported once, on that id.
            if seen[spot.id] == 1 and content_total > 1:
                continue
            message = (
                f"id '{spot.id}' is used {totals[spot.id]} times in this page"
                if content_total > 1
                else f"id '{spot.id}' is also used by the theme outside the content"
            )
            heading = next(
                (
                    i
                    for i, h in enumerate(page.headings)
                    if (h.line, h.column) == (spot.line, spot.column)
                ),
                None,
            )
            source = (
                site.heading_spot(page.path, heading)
                if heading is not None and site.with_sources
                else None
            )
            yield Problem(
                "duplicate-id",
                page.path,
                spot.line,
                spot.column,
                message,
                suggestion="give each element its own id (attr_list: {#unique-id})",
                source=source,
            )
