"""Feed documents (RSS 0.9x/1.0/2.0, Atom 1.0, JSON Feed 1.1) read into Articles, one per item."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from feedsite.importer.models import Article
    from feedsite.problems import Problem

DOCUMENT_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".json"})


def read_document(path: Path, source: str, shown: str) -> tuple[list[Article], list[Problem]]:
    """Read one feed document (see document_reader.py for what comes back)."""
    # feedparser, nh3 and the HTML mapping load only for feeds that hold documents: about
    # 60 ms of every import, check and serve start-up of a plain-text feed.
    from feedsite.importer.documents.document_reader import read_document as read

    return read(path, source, shown)


__all__ = ["DOCUMENT_SUFFIXES", "read_document"]
