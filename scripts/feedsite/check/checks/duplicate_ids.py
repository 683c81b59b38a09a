"""Ids used more than once in a page: links to them land on the first one only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Element, Problem

RULES = ("duplicate-id",)


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    for page in site.pages.values():
        totals = dict(page.id_counts)
        if not totals:
            continue
        in_content = Counter(page.content_ids)
        seen: Counter[str] = Counter()
        for element_id in page.content_ids:
            if element_id not in totals:
                continue
            occurrence = seen[element_id]
            seen[element_id] += 1
            # Report every repeat in the content; a single content id clashing with the theme
            # is reported once, on that id.
            if occurrence == 0 and in_content[element_id] > 1:
                continue
            message = (
                f"id '{element_id}' is used {totals[element_id]} times in this page"
                if in_content[element_id] > 1
                else f"id '{element_id}' is also used by the theme outside the content"
            )
            # When every content element with this id is a heading, the n-th one is the n-th
            # such heading, which can be traced to its Markdown line.
            headings = [i for i, h in enumerate(page.headings) if h.id == element_id]
            heading = headings[occurrence] if len(headings) == in_content[element_id] else None
            yield Problem(
                "duplicate-id",
                page.path,
                Element("id", occurrence, element_id),
                message,
                suggestion="give each element its own id (attr_list: {#unique-id})",
                source=(
                    site.heading_spot(page.path, heading)
                    if heading is not None and site.with_sources
                    else None
                ),
            )
