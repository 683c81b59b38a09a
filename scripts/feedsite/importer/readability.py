"""Reading grade of an article's text for its authors: Flesch–Kincaid grade and SMOG (textstat).

textstat counts words and sentences here. Its syllable counter, though, looks every word up in
NLTK's CMU dictionary and, when that corpus is not installed, calls `nltk.download()` at run
time: a network request in the middle of an import. So syllables come from Pyphen's hyphenation
dictionary (shipped inside the package, offline), which is the fallback textstat itself uses for
words the CMU dictionary lacks, and the two grade formulas (textstat's, one line each) are
applied here. Pure functions: the same text always gives the same figures.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from feedsite.importer.models import Article, text_blocks

# textstat's own sentence rule (backend/counts/_count_sentences.py): a run of text up to the
# next ., ! or ?; a "sentence" of two words or fewer is not counted as one.
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)
_LANG = "en_US"
_WORD_CACHE = 1 << 16  # distinct words; a health library's vocabulary fits many times over


@dataclass(frozen=True)
class Passage:
    """A paragraph or list item and the line of its source file where it starts."""

    line: int
    text: str


@dataclass(frozen=True)
class Sentence:
    """One sentence, where it starts, and its own Flesch–Kincaid grade."""

    line: int
    text: str
    grade: float


@dataclass(frozen=True)
class Readability:
    """Whole-text figures: US school grades (Flesch–Kincaid and SMOG) and what they count."""

    grade: float
    smog: float
    words: int
    sentences: int


@functools.cache
def _textstat() -> tuple[Callable[..., list[str]], Any]:
    """textstat's word splitter and Pyphen dictionary, imported on first use: importing
    textstat loads NLTK (about half a second), which a no-op import or a check never needs."""
    from textstat.backend.selections import list_words  # type: ignore[import-untyped]
    from textstat.backend.utils import get_pyphen  # type: ignore[import-untyped]

    return list_words, get_pyphen(_LANG)


@functools.lru_cache(maxsize=_WORD_CACHE)
def syllables(word: str) -> int:
    """Syllables in one lower-case word, as textstat counts a word missing from CMU's list."""
    positions: list[int] = _textstat()[1].positions(word)
    return len(positions) + 1


def _sentence_counts(text: str) -> list[tuple[str, int, int, int]]:
    """Each sentence of one passage (textstat's rule) with its words, syllables and words of
    three or more syllables; every word is split and counted once."""
    found: list[tuple[str, int, int, int]] = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group().strip()
        words: list[str] = _textstat()[0](sentence, lowercase=True)
        counts = [syllables(word) for word in words]
        found.append((sentence, len(words), sum(counts), sum(1 for n in counts if n >= 3)))
    return found


def sentences_of(text: str) -> list[str]:
    """The sentences of one passage, textstat's way, without the uncounted short fragments."""
    return [sentence for sentence, words, _, _ in _sentence_counts(text) if words > 2]


def flesch_kincaid(words: int, sentences: int, syllable_count: int) -> float:
    """Flesch–Kincaid grade level (textstat's formula); 0 for no words."""
    if not words or not sentences:
        return 0.0
    return 0.39 * words / sentences + 11.8 * syllable_count / words - 15.59


def smog(sentences: int, polysyllables: int) -> float:
    """SMOG grade (textstat's formula, which also scores texts under 30 sentences)."""
    if not sentences:
        return 0.0
    return 1.043 * math.sqrt(30 * polysyllables / sentences) + 3.1291


def measure(passages: Iterable[Passage]) -> Readability:
    """The grades of a whole text, each passage ending a sentence (a list item has no stop)."""
    words = syllable_count = polysyllables = sentence_count = 0
    for passage in passages:
        for _sentence, w, s, p in _sentence_counts(passage.text):
            words, syllable_count, polysyllables = words + w, syllable_count + s, polysyllables + p
            sentence_count += w > 2  # textstat does not count fragments of one or two words
    sentence_count = max(1, sentence_count) if words else 0
    return Readability(
        grade=round(flesch_kincaid(words, sentence_count, syllable_count), 1),
        smog=round(smog(sentence_count, polysyllables), 1),
        words=words,
        sentences=sentence_count,
    )


def hardest_sentences(passages: Iterable[Passage], count: int = 3) -> list[Sentence]:
    """The `count` sentences that weigh most on the grade, hardest first (ties: first).

    A sentence's weight is its own grade times its length in words: a five-word sentence with
    one long word scores a high grade of its own, yet rewriting a long, dense one helps readers
    (and the article's grade) far more.
    """
    weighted: list[tuple[float, Sentence]] = []
    for passage in passages:
        for text, words, syllable_count, _ in _sentence_counts(passage.text):
            if words > 2:
                grade = flesch_kincaid(words, 1, syllable_count)
                weighted.append((grade * words, Sentence(passage.line, text, round(grade, 1))))
    # sorted() is stable, so equal weights keep reading order.
    return [sentence for _, sentence in sorted(weighted, key=lambda pair: -pair[0])[:count]]


def article_passages(article: Article) -> list[Passage]:
    """Every paragraph and list item of an article (headings and the title are not prose)."""
    return [Passage(line, text) for _kind, line, text in text_blocks(article.blocks)]


HARDEST_SHOWN = 3  # hardest sentences kept for `feedsite check`
_KEPT_CHARS = 160  # of each: enough to quote it and find it in the page's Markdown


def _clip(text: str) -> str:
    """At most _KEPT_CHARS, cut at a word boundary with an ellipsis."""
    if len(text) <= _KEPT_CHARS:
        return text
    return text[: _KEPT_CHARS - 1].rsplit(" ", 1)[0] + "…"


def is_english(language: Any) -> bool:
    """Whether English grade formulas apply to text in `language` (an article's or a page's
    `language` front matter): English ("en", "en-GB", "eng", any letter case), or no usable
    language tag at all."""
    if not isinstance(language, str) or not language.strip():
        return True
    primary = language.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary in _ENGLISH


# Primary language subtags of English: ISO 639-1 and 639-2.
_ENGLISH = ("en", "eng")


def readability_meta(article: Article) -> dict[str, Any]:
    """Front matter for authors (templates never show it): the two grades of the article and
    its hardest sentences, so `feedsite check` can name them without re-reading the prose."""
    if not is_english(article.language):
        return {}  # the grade formulas are made for English prose
    passages = article_passages(article)
    figures = measure(passages)
    hardest = [
        {"grade": s.grade, "text": _clip(s.text)}
        for s in hardest_sentences(passages, HARDEST_SHOWN)
    ]
    return {"reading_grade": figures.grade, "smog_grade": figures.smog,
            "hardest_sentences": hardest}
