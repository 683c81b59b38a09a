"""Report HTML files that cannot be read, or are not UTF-8 (read as Windows-1252 instead)."""

from __future__ import annotations

from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Element, Problem

RULES = ("html-encoding", "html-unreadable")


def check(context: CheckContext) -> Iterator[Problem]:
    for page in context.site.pages.values():
        if page.read_error:
            yield Problem(
                "html-unreadable",
                page.path,
                Element("file"),
                f"cannot be read ({page.read_error}); it was not checked",
                suggestion="fix the file's permissions or rebuild the site",
            )
        if page.decode_note:
            yield Problem(
                "html-encoding",
                page.path,
                Element("file"),
                f"{page.decode_note}; links and ids may read wrongly",
                suggestion="save the file as UTF-8",
            )
