"""Article pages that read above the configured US school grade, with their hardest sentences.

The grade is the `reading_grade` the importer writes into the front matter; a page without one
(a hand-written article) is measured from its Markdown. Either way the finding sits at the line
of the hardest sentence, so an editor opens the file where rewriting helps most. Pages whose
`language` is not English are left alone: the formulas count English syllables.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Element, Problem, Severity, SourceSpot
from feedsite.importer.readability import (
    HARDEST_SHOWN,
    Passage,
    Sentence,
    hardest_sentences,
    is_english,
    measure,
)

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

RULES = ("reading-grade",)
_QUOTE = 90  # characters of a sentence quoted before it is cut
_PARSERS: list[MarkdownIt] = []
# Every character str.split() takes for whitespace except the space and the newline (a test
# compares it with the Unicode database); a file without these and without two spaces in a row
# has its words separated by single spaces already.
OTHER_SPACES = (
    "\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    limit = context.config.max_reading_grade
    # Switched off: skip the Markdown parsing rather than drop its findings afterwards.
    if not site.with_sources or context.config.severity_of("reading-grade") == Severity.OFF:
        return
    for path in site.pages:
        meta = site.front_matter(path)
        doc = site.docs.get(path)
        if doc is None or meta is None or meta.get("generator") != "feedsite":
            continue
        if not is_english(meta.get("language")):
            continue  # the grade formulas are made for English prose
        passages: list[Passage] | None = None
        text: str | None = None
        grade = as_number(meta.get("reading_grade"))
        if grade is None:
            text = site.read_doc(doc)
            passages = markdown_passages(text)
            grade = measure(passages).grade
        if grade <= limit:
            continue
        if text is None:
            text = site.read_doc(doc)
        stored = _stored_sentences(meta.get("hardest_sentences"))
        if passages is None and stored is None:
            passages = markdown_passages(text)
        # The importer stores the hardest sentences; only hand-written pages are re-measured.
        found = stored if passages is None else hardest_sentences(passages, HARDEST_SHOWN)
        lines = _Lines(text)
        hardest = [_on_its_line(s, lines) for s in found or []]
        yield Problem(
            "reading-grade",
            path,
            Element("content"),
            f"reads at US grade {grade:g} (Flesch-Kincaid); the target is {limit:g} or below"
            + (f"; hardest sentences: {_describe(hardest)}" if hardest else ""),
            suggestion="split long sentences and prefer short, everyday words",
            source=(
                SourceSpot(doc, hardest[0].line, 1)
                if hardest
                else site.key_spot(path, "reading_grade")
            ),
        )


def markdown_passages(text: str) -> list[Passage]:
    """The paragraphs and list items of a Markdown page (front matter skipped), with the file
    line of each, as plain text: headings, code and raw HTML are not prose."""
    lines = text.split("\n")
    body_start = _body_start(lines)
    tokens = _parser().parse("\n".join(lines[body_start:]))
    passages: list[Passage] = []
    inside_heading = False
    for token in tokens:
        if token.type == "heading_open":
            inside_heading = True
        elif token.type == "heading_close":
            inside_heading = False
        elif token.type == "inline" and not inside_heading and token.map is not None:
            plain = "".join(
                " " if child.type in _BREAKS else child.content
                for child in token.children or ()
                if child.type in _TEXT_TOKENS
            )
            if plain.strip():
                passages.append(Passage(token.map[0] + body_start + 1, " ".join(plain.split())))
    return passages


_BREAKS = ("softbreak", "hardbreak")
_TEXT_TOKENS = ("text", "code_inline", *_BREAKS)


def _parser() -> MarkdownIt:
    """markdown-it is imported on first use: most checks never need a page's Markdown."""
    if not _PARSERS:
        from markdown_it import MarkdownIt

        _PARSERS.append(MarkdownIt("commonmark").enable("table"))
    return _PARSERS[0]


def _body_start(lines: list[str]) -> int:
    """Index of the first body line: after a `---` front matter block when there is one."""
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return index + 1
    return 0


class _Lines:
    """A file's lines, and (made on first use) its body as one text in which a phrase's first
    occurrence is found with one `find`: a line holds a phrase when the line, with each run
    of whitespace made one space, contains it."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.body = _body_start(self.lines)
        self._searched: str | None = None

    def first_holding(self, phrase: str) -> int | None:
        """Index of the first body line holding `phrase` (single-spaced words), or None."""
        if self._searched is None:
            body = self.lines[self.body :]
            searched = "\n".join(body)
            if "  " in searched or any(space in searched for space in OTHER_SPACES):
                # Only when needed: most files space words with single spaces throughout.
                searched = "\n".join(" ".join(line.split()) for line in body)
            self._searched = searched
        spot = self._searched.find(phrase)
        return None if spot < 0 else self.body + self._searched.count("\n", 0, spot)


def _on_its_line(sentence: Sentence, text: _Lines) -> Sentence:
    """The sentence with the line it starts on: in a hard-wrapped paragraph that may be a
    later line than the paragraph's first (found by its first words; else left as it is)."""
    start = " ".join(sentence.text.split()[:3])
    lines = text.lines
    if sentence.line == 0:  # stored by the importer: where it stands is looked up here
        found = text.first_holding(start) if start else None
        return Sentence((text.body if found is None else found) + 1, sentence.text, sentence.grade)
    for index in range(sentence.line - 1, min(len(lines), sentence.line + 40)):
        if start and start in " ".join(lines[index].split()):
            return Sentence(index + 1, sentence.text, sentence.grade)
        if index >= sentence.line and not lines[index].strip():
            break  # the paragraph ended
    return sentence


def _stored_sentences(value: Any) -> list[Sentence] | None:
    """The importer's `hardest_sentences` front matter as Sentences (line 1: located later),
    or None when the page has none in the expected shape."""
    if not isinstance(value, list):
        return None
    found = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            return None
        found.append(Sentence(0, item["text"], as_number(item.get("grade")) or 0.0))
    return found


def _describe(sentences: list[Sentence]) -> str:
    return "; ".join(
        f'line {s.line} (grade {s.grade:g}) "{_shorten(s.text)}"' for s in sentences
    )


def _shorten(text: str) -> str:
    return text if len(text) <= _QUOTE else text[: _QUOTE - 1].rstrip() + "…"


def as_number(value: Any) -> float | None:
    """A front matter number (not a boolean) as a float, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
