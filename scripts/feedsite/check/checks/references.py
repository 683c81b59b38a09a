"""Reference links and images whose label has no definition: Markdown shows them as text.

`[the study][study-2019]` with no `[study-2019]: URL` line in the page renders as the literal
brackets, not as a link, and no link checker sees a broken link. The loader finds the literal
text in the built page (code left out). A finding needs the Markdown that holds it: each
literal is paired, in order and by its label, with a reference written in the Markdown, code
and escaped brackets left out, so text meant as brackets (`\\[a\\]\\[b\\]`, `` `a[i][j]` ``) is
never reported, nor are pages without sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.load import LITERAL_REFERENCE
from feedsite.check.models import Element, Problem, SourceSpot

RULES = ("undefined-reference",)
# A reference as written in Markdown, brackets not escaped: its text may hold escapes and an
# image (`[![logo][logo]][label]`); either part may run over lines.
_WRITTEN = re.compile(
    r"(?<!\\)(?P<image>!?)\[(?P<text>(?:[^\[\]\\]|\\.|!\[[^\[\]]*\](?:\[[^\[\]]*\]|\([^()]*\))?)+)\]"
    r"\[(?P<label>(?:[^\[\]\\]|\\.)*)\]",
    re.DOTALL,
)
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,}).*?(?:^[ ]{0,3}\1[`~]*[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
# "[label]: URL" (Python-Markdown strips the label and compares it in lower case).
_DEFINITION = re.compile(r"^[ ]{0,3}\[(?P<label>[^\]]+)\]:", re.M)
_MARKUP = re.compile(r"[*_`\\]")


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    if not site.with_sources:
        return  # from the HTML alone, "[a][b]" meant as text cannot be told apart
    for page in site.pages.values():
        doc = site.docs.get(page.path)
        if not page.literal_references or doc is None:
            continue
        try:
            markdown = site.read_doc(doc)
        except OSError:
            continue
        without_code = _blank_code(markdown)
        spots = _spots(doc, markdown, without_code, page.literal_references)
        defined = {m["label"].strip().lower(): m for m in _DEFINITION.finditer(without_code)}
        for literal, spot in zip(page.literal_references, spots, strict=True):
            if spot is None:
                continue  # not in the Markdown as written: escaped brackets, meant as text
            parts = LITERAL_REFERENCE.fullmatch(literal)
            assert parts is not None  # the loader found it with the same pattern
            label = parts["label"] or parts["text"]
            shown = " ".join(label.split())
            what = "image" if literal.startswith("!") else "link"
            message, suggestion = _why(markdown, defined, label, shown)
            yield Problem(
                "undefined-reference",
                page.path,
                Element("content"),
                f"reference {what} '{' '.join(literal.split())}' shows as text: {message}",
                suggestion=suggestion,
                source=spot,
            )


def _why(markdown: str, defined: dict[str, re.Match[str]], label: str, shown: str
         ) -> tuple[str, str]:
    """Why the reference stayed text, and what to do, told apart by the page's definitions."""
    wanted = label.lower().replace("\n", " ")  # as Python-Markdown looks a label up
    found = defined.get(wanted)
    if found is not None:
        line = markdown.count("\n", 0, found.start()) + 1
        return (
            f"[{shown}] is defined (line {line}), but Python-Markdown does not read a "
            "reference here (inside brackets, for one)",
            "take it out of the surrounding brackets, or write an inline link [text](URL)",
        )
    loose = " ".join(shown.split()).casefold()
    for key, other in defined.items():
        if " ".join(key.split()).casefold() == loose:
            line = markdown.count("\n", 0, other.start()) + 1
            return (
                f"the definition on line {line} writes the label with other spacing, and "
                "Python-Markdown matches labels space for space",
                f"write the label the same way in both places: [{shown}]",
            )
    return (
        f"nothing defines [{shown}]",
        f"add a line '[{shown}]: URL' to the page, or correct the label",
    )


def _blank_code(markdown: str) -> str:
    """The Markdown with fenced code blocks and code spans blanked (line breaks kept), so
    what they hold is never taken for a reference."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group())

    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, markdown))


def _key(text: str, label: str) -> str:
    """What a literal and its Markdown have alike: the label, or for a collapsed reference
    ("[text][]") its text without inline markup (the HTML shows "*a*" as "a")."""
    return " ".join((label or _MARKUP.sub("", text)).split()).casefold()


def _spots(
    doc: str, markdown: str, without_code: str, literals: tuple[str, ...]
) -> list[SourceSpot | None]:
    """Where in the Markdown each literal is written, in order (None where it is not)."""
    written = [
        (_key(m["text"], m["label"]), m.start()) for m in _WRITTEN.finditer(without_code)
    ]
    spots: list[SourceSpot | None] = []
    cursor = 0
    for literal in literals:
        parts = LITERAL_REFERENCE.fullmatch(literal)
        assert parts is not None
        wanted = _key(parts["text"], parts["label"])
        at = next((i for i in range(cursor, len(written)) if written[i][0] == wanted), None)
        if at is None:
            spots.append(None)
            continue
        cursor = at + 1
        start = written[at][1]
        line = markdown.count("\n", 0, start) + 1
        column = start - (markdown.rfind("\n", 0, start) + 1) + 1
        spots.append(SourceSpot(doc, line, column))
    return spots
