"""Read the pages in the articles folder, telling generated pages from hand-written ones."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from feedsite.importer.frontmatter import PageText, is_generated, is_hand_edited, split_page


@dataclass(frozen=True)
class ExistingPage:
    """A Markdown file already in the articles folder."""

    path: Path
    slug: str
    raw: bytes
    page: PageText | None  # None: no readable front matter (so not the importer's)

    @property
    def generated(self) -> bool:
        return self.page is not None and is_generated(self.page)

    @property
    def hand_edited(self) -> bool:
        return self.page is not None and self.generated and is_hand_edited(self.page)

    @property
    def source(self) -> str | None:
        value = self.page.meta.get("source") if self.page is not None else None
        return value if isinstance(value, str) else None


def read_pages(articles_dir: Path) -> list[ExistingPage]:
    """Every `*.md` directly in the articles folder, sorted by name."""
    if not articles_dir.is_dir():
        return []
    pages = []
    for path in sorted(articles_dir.glob("*.md"), key=lambda p: p.name):
        try:
            raw = path.read_bytes()
        except OSError:
            raw = b""  # unreadable: no front matter, so treated as hand-written and never touched
        try:
            page = split_page(raw.decode("utf-8"))
        except UnicodeDecodeError:
            page = None
        pages.append(ExistingPage(path, path.stem, raw, page))
    return pages
