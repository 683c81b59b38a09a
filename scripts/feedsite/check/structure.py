"""How MkDocs lays Markdown files out as pages: docs/a/b.md <-> site/a/b/index.html."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

_INDEX_NAMES = ("index.md", "README.md", "readme.md")


def page_for_doc(doc: str, use_directory_urls: bool = True) -> str:
    """The site-relative HTML file MkDocs writes for docs-relative Markdown file `doc`."""
    folder, name = posixpath.split(doc)
    stem = name.rsplit(".", 1)[0]
    if name in _INDEX_NAMES:
        return posixpath.join(folder, "index.html")
    if not use_directory_urls:
        return posixpath.join(folder, f"{stem}.html")
    return posixpath.join(folder, stem, "index.html")


def docs_by_page(docs_files: Iterable[str], use_directory_urls: bool = True) -> dict[str, str]:
    """Map each page that the Markdown among `docs_files` (docs-relative) becomes to its source.

    When `a/index.md` and `a/README.md` both exist MkDocs uses index.md, so that one wins.
    """
    mapping: dict[str, str] = {}
    for doc in sorted(docs_files):
        if not doc.endswith((".md", ".markdown")):
            continue
        page = page_for_doc(doc, use_directory_urls)
        if page not in mapping or posixpath.basename(doc) == "index.md":
            mapping[page] = doc
    return mapping
