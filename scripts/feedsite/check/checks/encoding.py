"""Report HTML files that are not valid UTF-8 (they were read as Windows-1252 instead)."""

from __future__ import annotations

from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Problem

RULES = ("html-encoding",)


def check(context: CheckContext) -> Iterator[Problem]:
    for page in context.site.pages.values():
        if page.decode_note:
            yield Problem(
                "html-encoding",
                page.path,
                1,
                1,
                f"{page.decode_note}; links and ids may read wrongly",
                suggestion="save the file as UTF-8",
            )
