"""Size limits for feed documents, set explicitly so a huge file fails clearly and fast."""

from __future__ import annotations

# A real feed document is well under a megabyte; 32 MB holds ten thousand items of a few
# kilobytes, and feedparser needs several times a document's size in memory.
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
# One item's text (title, content and summary); a long article is a few hundred kilobytes.
MAX_ITEM_CHARS = 1024 * 1024
