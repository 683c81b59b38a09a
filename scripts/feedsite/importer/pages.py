"""Read the pages in the articles folder, telling generated pages from hand-written ones."""

from __future__ import annotations

from collections.abc import Callable
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

    @property
    def item(self) -> str | None:
        """The feed document item the page shows (front matter `item`); None for a text file."""
        value = self.page.meta.get("item") if self.page is not None else None
        return str(value) if isinstance(value, str | int | float) else None

    @property
    def key(self) -> str | None:
        """The key of the article the page shows, as `Article.key` spells it."""
        source, item = self.source, self.item
        if source is None or item is None:
            return source
        return f"{source}#{item}"


def read_page(path: Path) -> ExistingPage:
    """One page in the articles folder."""
    try:
        raw = path.read_bytes()
    except OSError:
        raw = b""  # unreadable: no front matter, so treated as hand-written and never touched
    try:
        page = split_page(raw.decode("utf-8"))
    except UnicodeDecodeError:
        page = None
    return ExistingPage(path, path.stem, raw, page)


def read_pages(articles_dir: Path,
               read: Callable[[Path], ExistingPage] = read_page) -> list[ExistingPage]:
    """Every `*.md` directly in the articles folder, sorted by name (`read` reads one;
    `mkdocs serve` passes a memoised one)."""
    if not articles_dir.is_dir():
        return []
    return [read(path) for path in sorted(articles_dir.glob("*.md"), key=lambda p: p.name)]
