"""Facts derived from an Article for listings and front matter: description, words, minutes."""

from __future__ import annotations

import math
import re

from feedsite.importer.models import Article

MAX_DESCRIPTION_CHARS = 160
WORDS_PER_MINUTE = 200
# A sentence ends at `.`, `!`, `?` or `…` (plus closing quotes or brackets) before a space,
# unless a lowercase letter follows ("1986. was", "e.g. the" do not end a sentence).
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+(\S))")


def sentences(text: str) -> list[str]:
    """`text` cut into sentences (whitespace already collapsed to single spaces)."""
    parts: list[str] = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        if end.group(1).islower():
            continue
        parts.append(text[start : end.end()].strip())
        start = end.end()
    rest = text[start:].strip()
    return [*parts, rest] if rest else parts


def first_text(article: Article) -> str:
    """The first paragraph (or list, items joined) of the article, else its title."""
    for block in article.blocks:
        if block.kind == "paragraph":
            return block.text
        if block.kind == "list":
            return " ".join(block.items)
    return article.title


def describe(article: Article, limit: int = MAX_DESCRIPTION_CHARS) -> str:
    """Whole first sentences within `limit` characters; a long first sentence is cut at a word."""
    text = " ".join(first_text(article).split())
    description = ""
    for sentence in sentences(text):
        candidate = f"{description} {sentence}" if description else sentence
        if len(candidate) > limit:
            break
        description = candidate
    if description:
        return description
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1 : limit].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def count_words(article: Article) -> int:
    """Whitespace-separated words in the title and every block."""
    texts = [article.title]
    for block in article.blocks:
        texts.extend(block.items if block.kind == "list" else (block.text,))
    return sum(len(t.split()) for t in texts)


def reading_minutes(words: int) -> int:
    """Minutes to read `words` at 200 words a minute, rounded up, at least 1."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
