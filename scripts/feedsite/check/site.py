"""The loaded site: pages, every file, resolved link targets, and (lazily) the Markdown sources
with the spots where each link and heading is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from feedsite.check.cache import CheckCache, stat_key
from feedsite.check.load import decode_html, load_pages, walk_files
from feedsite.check.models import Link, Page, Positions, SourceSpot
from feedsite.check.positions import find_asset_positions, find_positions
from feedsite.check.resolve import Resolver, Target
from feedsite.check.sources import (
    MarkdownSource,
    parse_sources,
    read_markdown,
    resolve_in_docs,
    unescape_markdown,
)
from feedsite.check.structure import docs_by_page, page_for_doc
from feedsite.check.text_places import line_column
from feedsite.check.workers import Workers
from feedsite.importer.frontmatter import load_yaml

FrontMatter = tuple[dict[str, Any] | None, bool]  # (the mapping or None, YAML was invalid)


def front_matter_of(docs_dir: Path | None, doc: str) -> FrontMatter:
    """Read one Markdown file's front matter as MkDocs does (`---` ... `---` or `...`)."""
    if docs_dir is None:
        return None, False
    try:
        text = (docs_dir / doc).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None, False
    if not text.startswith("---"):
        return None, False
    stops = [e for e in (text.find("\n---", 3), text.find("\n...", 3)) if e >= 0]
    if not stops:
        return None, False
    try:
        loaded = load_yaml(text[3 : min(stops)])
    except (yaml.YAMLError, ValueError):  # ValueError: a date such as 2024-02-30
        return None, True
    return (loaded if isinstance(loaded, dict) else None), False


@dataclass(frozen=True)
class SiteOptions:
    """Where the built site and (optionally) its sources are, and how MkDocs laid it out."""

    site_dir: Path
    docs_dir: Path | None = None  # None: check the HTML on its own
    use_directory_urls: bool = True
    site_prefix: str = "/"
    site_origin: str = ""  # "https://example.org": absolute links there are internal
    jobs: int | None = None  # processes in all; None: two on a machine with two or more cores


class Site:
    """Everything checks look at; link targets are resolved once for the whole site."""

    def __init__(
        self,
        options: SiteOptions,
        pages: Sequence[Page],
        files: frozenset[str],
        cache: CheckCache | None = None,
    ) -> None:
        self.options = options
        self.cache = cache
        self.files = files
        self.pages: dict[str, Page] = {page.path: page for page in pages}
        self.resolver = Resolver(files, options.site_prefix, options.site_origin)
        self.targets: dict[str, tuple[Target, ...]] = {
            page.path: tuple(
                self.resolver.resolve(page.path, page.base_href, link.url) for link in page.links
            )
            for page in pages
        }
        docs_dir = options.docs_dir
        self.docs_files: frozenset[str] = (
            frozenset(walk_files(docs_dir)) if docs_dir is not None else frozenset()
        )
        self.docs: dict[str, str] = {
            page: doc
            for page, doc in docs_by_page(self.docs_files, options.use_directory_urls).items()
            if page in self.pages
        }
        self._sources: dict[str, MarkdownSource] = {}
        self._meta: dict[str, FrontMatter] = {}
        self._link_spots: dict[str, dict[int, SourceSpot]] = {}
        self._positions: dict[str, Positions] = {}
        self._prefetched: dict[str, FrontMatter] = {}
        self._by_folded: dict[str, str] | None = None  # casefolded path -> path (other_case)

    @property
    def with_sources(self) -> bool:
        return self.options.docs_dir is not None

    def other_case(self, missing: str) -> str | None:
        """The site file whose path differs from `missing` only in letter case, if any: the
        link works on the author's Mac or Windows disk and fails on most web servers."""
        if self._by_folded is None:
            self._by_folded = {}
            for path in sorted(self.files):
                self._by_folded.setdefault(path.casefold(), path)
        folded = missing.casefold()
        found = self._by_folded.get(folded) or self._by_folded.get(
            folded.rstrip("/") + "/index.html")  # a folder's page
        return found if found != missing else None

    def page_for_doc(self, doc: str) -> str:
        return page_for_doc(doc, self.options.use_directory_urls)

    def read_doc(self, doc: str) -> str:
        assert self.options.docs_dir is not None
        return (self.options.docs_dir / doc).read_bytes().decode("utf-8", errors="replace")

    def source(self, page: str) -> MarkdownSource | None:
        """The parsed Markdown a page was built from (None for theme pages or without docs)."""
        doc = self.docs.get(page)
        if doc is None:
            return None
        if doc not in self._sources:
            parsed = self._cached_source(doc)
            if parsed is None:
                try:
                    text = self.read_doc(doc)
                except OSError:
                    return None  # findings then name the HTML file, which is still right
                parsed = read_markdown(doc, text)
                self._cache_source(doc, parsed)
            self._sources[doc] = parsed
        return self._sources[doc]

    def prepare_sources(self, workers: Workers | None) -> None:
        """Parse, before the checks ask, the Markdown of pages whose links look broken (the
        ones findings will point into), sharing the work with the side processes."""
        if not self.with_sources:
            return
        if self.cache is not None and self.cache.file:
            kept = {d: e for d, e in self.cache.sources.items() if d in self.docs_files}
            if len(kept) != len(self.cache.sources):  # forget deleted Markdown files
                self.cache.sources = kept
                self.cache.changed = True
        wanted = []
        for path in self.pages:
            doc = self.docs.get(path)
            if doc is None or doc in self._sources or not self.suspect(path):
                continue
            cached = self._cached_source(doc)
            if cached is not None:
                self._sources[doc] = cached
            else:
                wanted.append(doc)
        assert self.options.docs_dir is not None
        for doc, parsed in parse_sources(self.options.docs_dir, wanted, workers):
            if parsed is not None:
                self._sources[doc] = parsed
                self._cache_source(doc, parsed)

    def suspect(self, path: str, internal_only: bool = False) -> bool:
        """Whether a page has a link that a link check may report (a cheap superset); with
        `internal_only`, one to a missing page, file or id of the site (the ones reported
        without fail)."""
        for target in self.targets[path]:
            if target.kind == "internal":
                if not target.exists:
                    return True
                if target.fragment and target.fragment.lower() != "top":
                    other = self.pages.get(target.path)
                    if other is not None and target.fragment not in other.ids:
                        return True
            elif target.kind not in ("external", "other") and not internal_only:
                return True  # empty, javascript:, mailto:, tel:, leaving the site
        return False

    def _cached_source(self, doc: str) -> MarkdownSource | None:
        if self.cache is None or not self.cache.file or self.options.docs_dir is None:
            return None
        entry = self.cache.sources.get(doc)
        key = stat_key(str(self.options.docs_dir / doc))
        return entry[1] if entry is not None and key is not None and entry[0] == key else None

    def _cache_source(self, doc: str, parsed: MarkdownSource) -> None:
        if self.cache is None or not self.cache.file or self.options.docs_dir is None:
            return
        key = stat_key(str(self.options.docs_dir / doc))
        if key is not None:
            self.cache.sources[doc] = (key, parsed)
            self.cache.changed = True

    def front_matter(self, page: str) -> dict[str, Any] | None:
        """A page's front matter (None without one); read fast since every article needs it."""
        return self._front_matter(page)[0]

    def _front_matter(self, page: str) -> FrontMatter:
        if page not in self._meta:
            doc = self.docs.get(page)
            meta: FrontMatter = (None, False)
            if doc is not None:
                meta = self._prefetched.get(doc) or front_matter_of(self.options.docs_dir, doc)
            self._meta[page] = meta
        return self._meta[page]

    def use_prefetched_front_matter(self, front_matter: dict[str, FrontMatter]) -> None:
        """Front matter already read in a side process, by docs-relative path."""
        self._prefetched = front_matter

    def use_positions(self, found: dict[str, Positions]) -> None:
        """Positions found elsewhere (the forked copy of run.py) for the same files."""
        self._positions.update(found)

    def positions(self, page: str) -> Positions:
        """HTML lines and columns for a page, found on demand (only pages with findings)."""
        if page not in self._positions:
            try:
                text, _note = decode_html((self.options.site_dir / page).read_bytes())
            except OSError:
                text = ""  # reported by the loader; positions fall back to line 1
            self._positions[page] = find_positions(text)
        return self._positions[page]

    def content_line(self, page: str) -> int:
        return self.positions(page).content_line

    def link_at(self, page: str, index: int) -> tuple[int, int]:
        """HTML line and column of a page's `index`-th content link."""
        links = self.pages[page].links
        url = links[index].url
        occurrence = sum(1 for link in links[:index] if link.url == url)
        if links[index].kind == "css":
            return self._css_url_at(page, links, index) or (self.content_line(page), 1)
        found = [(line, column) for u, line, column in self.positions(page).links if u == url]
        return found[occurrence] if occurrence < len(found) else (self.content_line(page), 1)

    def asset_at(self, page: str, index: int, anchors: bool = False) -> tuple[int, int]:
        """HTML line and column of a page's `index`-th asset outside the content area (or
        with `anchors`, of its `index`-th template link)."""
        assets = self.pages[page].template_links if anchors else self.pages[page].assets
        url = assets[index].url
        occurrence = sum(1 for link in assets[:index] if link.url == url)
        try:
            text, _note = decode_html((self.options.site_dir / page).read_bytes())
        except OSError:
            return 1, 1
        if assets[index].kind == "css":
            return self._css_url_at(page, assets, index, text) or (1, 1)
        found = [
            (line, column) for u, line, column in find_asset_positions(text, anchors) if u == url
        ]
        return found[occurrence] if occurrence < len(found) else (1, 1)

    def _css_url_at(
        self, page: str, links: tuple[Link, ...], index: int, text: str | None = None
    ) -> tuple[int, int] | None:
        """Where the `index`-th of `links`, a URL of a <style> block or style attribute, is
        written in the page: the n-th place its text appears for the n-th such link."""
        if text is None:
            try:
                text, _note = decode_html((self.options.site_dir / page).read_bytes())
            except OSError:
                return None
        url = links[index].url
        occurrence = sum(1 for link in links[:index] if link.kind == "css" and link.url == url)
        at = -1
        for _ in range(occurrence + 1):
            at = text.find(url, at + 1)
            if at < 0:
                return None
        return line_column(text, at)

    def heading_at(self, page: str, index: int) -> tuple[int, int]:
        """HTML line and column of a page's `index`-th content heading."""
        headings = self.positions(page).headings
        if index < len(headings):
            return headings[index][1], headings[index][2]
        return self.content_line(page), 1

    def id_at(self, page: str, element_id: str, occurrence: int) -> tuple[int, int]:
        """HTML line and column of the `occurrence`-th (0-based) content element with an id."""
        found = [(line, col) for i, line, col in self.positions(page).ids if i == element_id]
        return found[occurrence] if occurrence < len(found) else (self.content_line(page), 1)

    def front_matter_is_invalid(self, page: str) -> bool:
        """Whether the page's front matter could not be read as YAML."""
        return self._front_matter(page)[1]

    def key_spot(self, page: str, key: str) -> SourceSpot | None:
        """Where in the Markdown a front matter key is written (line 1 when it is absent)."""
        source = self.source(page)
        if source is None:
            return None
        return SourceSpot(source.path, source.meta_lines.get(key, 1), 1)

    def link_spot(self, page: str, index: int) -> SourceSpot | None:
        """Where in the Markdown the page's `index`-th content link is written, if found."""
        if page not in self._link_spots:
            self._link_spots[page] = self._match_links(page)
        return self._link_spots[page].get(index)

    def locate_link(self, page: str, index: int) -> tuple[SourceSpot | None, str]:
        """Source spot of a content link and the URL as the author wrote it (HTML if unmapped)."""
        spot = self.link_spot(page, index) if self.with_sources else None
        written = spot.written if spot is not None else self.pages[page].links[index].url
        return spot, written

    def heading_spot(self, page: str, index: int) -> SourceSpot | None:
        """Where in the Markdown the page's `index`-th heading is written, if found."""
        source = self.source(page)
        if source is None:
            return None
        wanted = self.pages[page].headings
        cursor = 0
        for position, heading in enumerate(wanted):
            for offset in range(cursor, len(source.headings)):
                candidate = source.headings[offset]
                if candidate.level == heading.level and candidate.text == heading.text:
                    cursor = offset + 1
                    if position == index:
                        return SourceSpot(source.path, candidate.line, candidate.column)
                    break
            else:
                if position == index:
                    return None
        return None

    def _match_links(self, page: str) -> dict[int, SourceSpot]:
        """Pair HTML links with Markdown links, in order, by URL as written or by target.

        MkDocs rewrites `other.md#x` to `../other/#x`, so a link matches when its raw URL is the
        same or when both resolve to the same site file and fragment.
        """
        source = self.source(page)
        if source is None:
            return {}
        keys = [self._markdown_target(source.path, md.url) for md in source.links]
        used = [False] * len(source.links)
        spots: dict[int, SourceSpot] = {}
        cursor = 0
        for index, (link, target) in enumerate(
            zip(self.pages[page].links, self.targets[page], strict=True)
        ):
            wanted = target.describe() if target.kind == "internal" else None
            # Python-Markdown keeps the backslashes of a reference definition's URL in the
            # HTML ("#a\_b"), where the Markdown parser (CommonMark) reads escapes ("#a_b").
            plain = unescape_markdown(link.url)
            order = [*range(cursor, len(source.links)), *range(cursor)]
            for md_index in order:
                if used[md_index]:
                    continue
                md = source.links[md_index]
                if (md.url == link.url or md.url == plain
                        or (wanted is not None and keys[md_index] == wanted)):
                    used[md_index] = True
                    cursor = md_index + 1
                    spots[index] = SourceSpot(source.path, md.line, md.column, written=md.url)
                    break
        return spots

    def _markdown_target(self, doc: str, url: str) -> str | None:
        place = resolve_in_docs(doc, url)
        if place is None:
            return None
        path, fragment = place
        if path.endswith("/"):
            path += "index.html"
        elif path.endswith((".md", ".markdown")):
            path = self.page_for_doc(path)
        elif path == doc:
            path = self.page_for_doc(doc)
        return path + (f"#{fragment}" if fragment else "")


def load_site(
    options: SiteOptions, workers: Workers | None = None, cache: CheckCache | None = None
) -> Site:
    """Read every HTML file under the site folder (sharing the work with `workers`, if given,
    and reusing what `cache` holds for unchanged files)."""
    files = frozenset(walk_files(options.site_dir))
    pages = load_pages(options.site_dir, html_in(files), workers, cache)
    return Site(options, pages, files, cache)


def html_in(files: frozenset[str]) -> list[str]:
    """The HTML pages among the site's files, sorted."""
    return sorted(path for path in files if path.endswith((".html", ".htm")))
