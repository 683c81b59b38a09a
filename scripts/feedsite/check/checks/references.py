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
from feedsite.check.models import Element, Problem, SourceSpot, normalise_space
from feedsite.check.sources import unescape_markdown
from feedsite.check.text_places import blanked, line_column

RULES = ("undefined-reference",)
# A reference as written in Markdown, brackets not escaped: its text may hold escapes and an
# image (`[![logo][logo]][label]`); either part may run over lines.
_WRITTEN = re.compile(
    r"(?<!\\)(?P<image>!?)\[(?P<text>(?:[^\[\]\\]|\\.|!\[[^\[\]]*\](?:\[[^\[\]]*\]|\([^()]*\))?)+)\]"
    r"\[(?P<label>(?:[^\[\]\\]|\\.)*)\]",
    re.DOTALL,
)
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,}).*?(?:^[ ]{0,3}\1[`~]*[ \t]*$|\Z)", re.M | re.S)
# A code span stays inside its paragraph (never across a blank line), and an escaped
# backtick opens none.
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)
# Math as pymdownx.arithmatex reads it: $$…$$, $…$ (no space inside the dollars), \(…\), \[…\].
_MATH = re.compile(
    r"\$\$.+?\$\$|(?<![\\$])\$(?=\S)[^$\n]+?(?<=\S)\$(?!\d)|\\\(.+?\\\)|\\\[.+?\\\]", re.S
)
_BRACKETS = re.compile(r"[\[\]]")
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
            shown = normalise_space(parts["label"] or parts["text"])
            what = "image" if literal.startswith("!") else "link"
            message, suggestion = _why(markdown, defined, shown)
            yield Problem(
                "undefined-reference",
                page.path,
                Element("content"),
                f"reference {what} '{normalise_space(literal)}' shows as text: {message}",
                suggestion=suggestion,
                source=spot,
            )


def _why(markdown: str, defined: dict[str, re.Match[str]], shown: str) -> tuple[str, str]:
    """Why the reference stayed text, and what to do, told apart by the page's definitions."""
    # Python-Markdown looks a link's label up in lower case with runs of spaces made one,
    # and keeps a definition's label as written (stripped, in lower case).
    found = defined.get(shown.lower())
    if found is not None:
        line, _column = line_column(markdown, found.start())
        return (
            f"[{shown}] is defined (line {line}), but Python-Markdown does not read a "
            "reference here (inside brackets, for one)",
            "take it out of the surrounding brackets, or write an inline link [text](URL)",
        )
    for key, other in defined.items():
        if normalise_space(key) == shown.lower():
            line, _column = line_column(markdown, other.start())
            return (
                f"the definition on line {line} writes the label with more spaces: "
                "Python-Markdown reads a link's label with runs of spaces made one, and a "
                "definition's as written",
                f"write the definition's label with single spaces: [{shown}]",
            )
    return (
        f"nothing defines [{shown}]",
        f"add a line '[{shown}]: URL' to the page, or correct the label",
    )


def _blank_code(markdown: str) -> str:
    """The Markdown with fenced code blocks and math blanked (line breaks kept) and the
    brackets of code spans too, so what they hold is never taken for a reference while a
    code span can still be a link's text (`[`x`][]`)."""
    markdown = _MATH.sub(blanked, _FENCE.sub(blanked, markdown))
    return _CODE_SPAN.sub(lambda code: _BRACKETS.sub(" ", code.group()), markdown)


def _key(text: str, label: str) -> str:
    """What a literal and its Markdown have alike: the label as shown (escapes undone), or
    for a collapsed reference ("[text][]") its text without inline markup (the HTML shows
    "*a*" as "a")."""
    return normalise_space(unescape_markdown(label) if label else _MARKUP.sub("", text)).casefold()


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
        line, column = line_column(markdown, written[at][1])
        spots.append(SourceSpot(doc, line, column))
    return spots
