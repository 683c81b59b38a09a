"""Reference links and images whose label has no definition: Markdown shows them as text.

`[the study][study-2019]` with no `[study-2019]: URL` line in the page renders as the literal
brackets, not as a link, and no link checker sees a broken link. The loader finds the literal
text in the built page (code left out); a finding needs the Markdown line that holds it, so
text that is not there as written (escaped brackets) and pages without sources are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.load import LITERAL_REFERENCE
from feedsite.check.models import Element, Problem, SourceSpot
from feedsite.check.site import Site

RULES = ("undefined-reference",)


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    if not site.with_sources:
        return  # from the HTML alone, "[a][b]" meant as text cannot be told apart
    for page in site.pages.values():
        doc = site.docs.get(page.path)
        if not page.literal_references or doc is None:
            continue
        spots = _spots(site, doc, page.literal_references)
        for literal, spot in zip(page.literal_references, spots, strict=True):
            if spot is None:
                continue  # not in the Markdown as written: escaped brackets, meant as text
            parts = LITERAL_REFERENCE.fullmatch(literal)
            assert parts is not None  # the loader found it with the same pattern
            label = parts["label"] or parts["text"]
            what = "image" if literal.startswith("!") else "link"
            yield Problem(
                "undefined-reference",
                page.path,
                Element("content"),
                f"reference {what} '{literal}' shows as text: nothing defines [{label}]",
                suggestion=f"add a line '[{label}]: URL' to the page, or correct the label",
                source=spot,
            )


def _spots(site: Site, doc: str, literals: tuple[str, ...]) -> list[SourceSpot | None]:
    """Where in `doc` each literal is written, in order (None where not found)."""
    try:
        text = site.read_doc(doc)
    except OSError:
        return [None] * len(literals)
    spots: list[SourceSpot | None] = []
    start = 0
    for literal in literals:
        # Markdown may wrap the text over lines: match its words with any run of spaces.
        pattern = r"\s+".join(re.escape(word) for word in literal.split())
        found = re.compile(pattern).search(text, start)
        if found is None:
            spots.append(None)
            continue
        start = found.end()
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        spots.append(SourceSpot(doc, line, column))
    return spots
