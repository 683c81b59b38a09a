"""`<a .../>` written as if it closed itself. HTML has no self-closing <a>: the slash is ignored,
the element runs on over what follows, and browsers copy it into the next blocks, so its text
becomes a link and its id or link repeats (as the W3C validator says too). Reported once, at
the tag as written: in the Markdown when the raw HTML is there, else in the HTML."""

from __future__ import annotations

import re
from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Element, Problem, SourceSpot
from feedsite.check.text_places import line_column

RULES = ("self-closed-link",)
_END = re.compile(r"\s*/>\Z")


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    for path, page in site.pages.items():
        if not page.self_closed_links:
            continue
        doc = site.docs.get(path)
        markdown: str | None = None
        if doc is not None:
            try:
                markdown = site.read_doc(doc)
            except OSError:
                markdown = None
        searched_from: dict[str, int] = {}
        for line, column, tag in page.self_closed_links:
            spot = None
            if markdown is not None and doc is not None:
                # The n-th same tag of the page is the n-th in the Markdown.
                at = markdown.find(tag, searched_from.get(tag, 0))
                if at >= 0:
                    searched_from[tag] = at + len(tag)
                    spot = SourceSpot(doc, *line_column(markdown, at))
            closed = _END.sub(">", tag) + "</a>"
            yield Problem(
                "self-closed-link",
                path,
                Element("position", line, column=column),
                f"{_one_line(tag)} does not close itself: HTML has no self-closing <a>, so it "
                "runs on over what follows (its text becomes a link, its id or link repeats)",
                suggestion=f"write {_one_line(closed)}",
                source=spot,
            )


def _one_line(tag: str) -> str:
    return " ".join(tag.split())
