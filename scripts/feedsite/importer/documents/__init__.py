"""Feed documents (RSS 0.9x/1.0/2.0, Atom 1.0, JSON Feed 1.1) read into Articles, one per item."""

from __future__ import annotations

from feedsite.importer.documents.read_document import DOCUMENT_SUFFIXES, read_document

__all__ = ["DOCUMENT_SUFFIXES", "read_document"]
