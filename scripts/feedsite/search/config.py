"""What the search index holds: which part of a built page Pagefind reads, and where it writes."""

from __future__ import annotations

# The folder of the index inside the site; the search script loads `<base>pagefind/pagefind.js`.
BUNDLE_DIR = "pagefind"

# Pagefind indexes only elements marked `data-pagefind-body` (overrides/main.html puts it around
# the text of published articles). Inside that text these are not the article's words: the
# heading permalink marks and the meta line under the title (reading time, dates, source).
EXCLUDE_SELECTORS: tuple[str, ...] = (".headerlink", ".fs-meta")

