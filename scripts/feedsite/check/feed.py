"""The feed as parity needs it: each article's title, sections and digests of its texts, read
with the importer's own parser."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from feedsite.check.models import normalise_space, normalised_digest

if TYPE_CHECKING:
    from feedsite.importer.read import FeedRead

_EXCERPT = 60


# A paragraph or list item of a feed article: (kind, line, digest, excerpt), where kind is
# "paragraph" or "list item" and the excerpt is the text's start. A plain tuple: a feed has
# tens of thousands, made in a side process and sent to this one, which a class would slow
# (pickling a named tuple costs four times as much).
FeedText = tuple[str, int, int, str]


class FeedArticle(NamedTuple):
    source: str  # relative to the feed folder
    title: str
    title_line: int
    sections: tuple[str, ...]
    texts: tuple[FeedText, ...]
    key: str = ""  # the importer's article key: the source, plus `#item` in a feed document
    draft: bool = False  # never built into the site (importer/drafts.py)


@dataclass(frozen=True)
class FeedSnapshot:
    """Every readable article, and the sources the importer rejects (it reports those)."""

    articles: tuple[FeedArticle, ...]
    rejected: frozenset[str]


def read_snapshot(feed_dir: Path) -> FeedSnapshot:
    """Parse the feed folder with the importer's reader and keep what parity compares."""
    from feedsite.importer.read import read_feed

    return snapshot_of(read_feed(feed_dir, feed_dir))


def snapshot_of(result: FeedRead) -> FeedSnapshot:
    """What parity compares, from the importer's reading of the feed folder."""
    from feedsite.importer.models import text_blocks

    articles = []
    for article in result.articles:
        # Paragraphs and list items, inside quotes and nested lists too (feed documents).
        texts = [_text(kind, line, text) for kind, line, text in text_blocks(article.blocks)]
        articles.append(
            FeedArticle(
                article.source, article.title, article.title_line, article.sections,
                tuple(texts), article.key, article.draft,
            )
        )
    return FeedSnapshot(tuple(articles), result.rejected)


def _text(kind: str, line: int, text: str) -> FeedText:
    normalised = normalise_space(text)
    excerpt = (
        normalised if len(normalised) <= _EXCERPT else normalised[: _EXCERPT - 1].rstrip() + "…"
    )
    return kind, line, normalised_digest(normalised), excerpt
