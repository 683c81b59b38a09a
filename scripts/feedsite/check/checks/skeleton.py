"""Placeholder text from `feedsite new` left in a feed article: an error once it is published,
a warning while it is still a draft."""

from __future__ import annotations

from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Element, Problem, SourceSpot, text_digest
from feedsite.importer.skeleton import PLACEHOLDER_HEADING, PLACEHOLDER_TEXTS

RULES = ("skeleton-text", "skeleton-text-in-draft")
_PLACEHOLDERS = {text_digest(text) for text in PLACEHOLDER_TEXTS}


def check(context: CheckContext) -> Iterator[Problem]:
    feed = context.feed
    if feed is None:
        return
    for article in feed.articles:
        rule = "skeleton-text-in-draft" if article.draft else "skeleton-text"
        spots = [(line, excerpt) for _kind, line, digest, excerpt in article.texts
                 if digest in _PLACEHOLDERS]
        if PLACEHOLDER_HEADING in article.sections:
            spots.append((article.title_line, PLACEHOLDER_HEADING))
        for line, excerpt in sorted(spots):
            yield Problem(
                rule,
                "",
                Element("content"),
                f"feed article '{article.title}' still holds the skeleton's placeholder "
                f"'{excerpt}'",
                suggestion="replace it with the article's own text, or delete it",
                source=SourceSpot(article.source, line, 1, root="feed"),
            )
