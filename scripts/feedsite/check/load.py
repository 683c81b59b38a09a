"""Read built HTML pages into `Page` records: content-area links, headings and blocks with their
HTML line and column, plus every id and navigation link of the whole page."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from feedsite.check.models import Block, Heading, IdSpot, Link, LinkKind, Page

# Where the content area starts, most specific first: Material's article, <main>, the MkDocs
# theme's <div role="main">, then <body>.
_CONTENT_STARTS = (
    ("article", re.compile(r"<article\b[^>]*?\bmd-content__inner\b", re.IGNORECASE)),
    ("main", re.compile(r"<main\b", re.IGNORECASE)),
    ("div", re.compile(r"<div\b[^>]*?\brole\s*=\s*[\"']?main\b", re.IGNORECASE)),
    ("body", re.compile(r"<body\b", re.IGNORECASE)),
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SPACE = re.compile(r"\s+")
# Elements whose mere presence means a section has content even without text.
_CONTENT_ELEMENTS = frozenset(
    [
        "img",
        "picture",
        "pre",
        "table",
        "figure",
        "blockquote",
        "iframe",
        "video",
        "audio",
        "svg",
        "dl",
        "hr",
        "details",
        "ol",
        "ul",
        "object",
        "embed",
        "canvas",
        "math",
        "form",
    ]
)
# (tag, attribute) pairs that reference another resource, and the kind reported for each.
_URL_ATTRS: dict[str, tuple[tuple[str, LinkKind], ...]] = {
    "a": (("href", "a"),),
    "area": (("href", "area"),),
    "img": (("src", "img"), ("srcset", "img")),
    "source": (("src", "source"), ("srcset", "source")),
    "link": (("href", "link"),),
    "script": (("src", "script"),),
    "video": (("src", "media"), ("poster", "media")),
    "audio": (("src", "media"),),
    "track": (("src", "media"),),
    "iframe": (("src", "iframe"),),
    "embed": (("src", "object"),),
    "object": (("data", "object"),),
}
_CHUNK = 16384
# Below this many pages a process pool costs more than it saves.
_POOL_THRESHOLD = 400


def decode_html(data: bytes) -> tuple[str, str]:
    """Text of an HTML file and a note when it was not UTF-8 (read as Windows-1252 instead)."""
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError as exc:
        note = f"not valid UTF-8 (byte {exc.start}); read as Windows-1252"
        return data.decode("cp1252", errors="replace"), note


def parse_srcset(value: str) -> list[str]:
    """The URLs of a srcset attribute ("a.png 1x, b.png 2x"), per the HTML candidate syntax."""
    urls: list[str] = []
    position = 0
    length = len(value)
    while position < length:
        while position < length and (value[position].isspace() or value[position] == ","):
            position += 1
        start = position
        while position < length and not value[position].isspace():
            position += 1
        url = value[start:position]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            # Skip the descriptor up to the next comma (descriptors may hold parentheses).
            depth = 0
            while position < length and (value[position] != "," or depth):
                depth += {"(": 1, ")": -1}.get(value[position], 0)
                position += 1
        if url:
            urls.append(url)
    return urls


def load_page(site_dir: Path, rel_path: str) -> Page:
    """Read one HTML file of the site; malformed markup is read as a browser would, never fatal."""
    data = (site_dir / rel_path).read_bytes()
    text, note = decode_html(data)
    return parse_page(rel_path, text, note)


def parse_page(rel_path: str, text: str, decode_note: str = "") -> Page:
    """Build a Page from HTML text (separate from reading so tests can feed strings)."""
    tree = LexborHTMLParser(text)
    id_counter: Counter[str] = Counter()
    for node in tree.css("[id]"):
        value = node.attributes.get("id")
        if value:
            id_counter[value] += 1
    names = {value for node in tree.css("a[name]") if (value := node.attributes.get("name"))}
    hrefs = tuple(
        value for node in tree.css("a[href], area[href]") if (value := node.attributes.get("href"))
    )
    base = tree.css_first("base[href]")
    base_href = (base.attributes.get("href") or "") if base is not None else ""

    root_tag, start = _content_start(text)
    parser = _ContentParser(root_tag, text, start)
    parser.run()
    return Page(
        path=rel_path,
        base_href=base_href,
        ids=frozenset(id_counter) | frozenset(names),
        id_counts=tuple(sorted((i, n) for i, n in id_counter.items() if n > 1)),
        content_ids=tuple(parser.ids),
        links=tuple(parser.links),
        other_hrefs=hrefs,
        headings=tuple(parser.headings),
        blocks=tuple(parser.blocks),
        content_line=parser.line_offset + 1,
        decode_note=decode_note,
    )


def _content_start(text: str) -> tuple[str, int]:
    for tag, pattern in _CONTENT_STARTS:
        match = pattern.search(text)
        if match:
            return tag, match.start()
    return "", 0


class _ContentParser(HTMLParser):
    """Walks the content area only, stopping once its root element closes."""

    def __init__(self, root_tag: str, text: str, start: int) -> None:
        super().__init__(convert_charrefs=True)
        self.root_tag = root_tag
        self.text = text
        self.start = start
        self.line_offset = text.count("\n", 0, start)
        self.first_column = start - (text.rfind("\n", 0, start) + 1)
        self.depth = 0
        self.done = False
        self.code_depth = 0
        self.links: list[Link] = []
        self.ids: list[IdSpot] = []
        self.headings: list[Heading] = []
        self.blocks: list[Block] = []
        self._heading: tuple[int, str, int, int] | None = None
        self._heading_text: list[str] = []
        self._headerlink_depth = 0
        self._block: tuple[str, int] | None = None  # ("paragraph" | "item", line)
        self._block_text: list[str] = []
        self._item_depth = 0

    def run(self) -> None:
        for offset in range(self.start, len(self.text), _CHUNK):
            self.feed(self.text[offset : offset + _CHUNK])
            if self.done:
                break
        if not self.done:
            self.close()
            self._finish_block()

    def _where(self) -> tuple[int, int]:
        line, offset = self.getpos()
        column = offset + self.first_column if line == 1 else offset
        return line + self.line_offset, column + 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == self.root_tag:
            self.depth += 1
        attributes: dict[str, str] = {}
        for name, value in attrs:
            attributes.setdefault(name, value or "")  # browsers keep the first duplicate
        line, column = self._where()
        element_id = attributes.get("id") or (attributes.get("name") if tag == "a" else "")
        if element_id:
            self.ids.append(IdSpot(element_id, line, column))
        if tag in ("pre", "code"):
            self.code_depth += 1
        if tag in _URL_ATTRS and not self.code_depth:
            self._add_links(tag, attributes, line, column)
        self._track_blocks(tag, attributes, line, column)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("img", "source", "link", "br", "hr", "input", "track", "embed", "area"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        if tag in ("pre", "code") and self.code_depth:
            self.code_depth -= 1
        if self._heading is not None:
            if tag == "a" and self._headerlink_depth:
                self._headerlink_depth -= 1
            elif tag == f"h{self._heading[0]}":
                self._end_heading()
        if tag == "p" and self._block and self._block[0] == "paragraph":
            self._finish_block()
        elif tag == "li" and self._item_depth:
            self._item_depth -= 1
            if not self._item_depth:
                self._finish_block()
        if tag == self.root_tag:
            self.depth -= 1
            if self.depth <= 0:
                self._finish_block()
                self.done = True

    def handle_data(self, data: str) -> None:
        if self.done:
            return
        if self._heading is not None:
            if not self._headerlink_depth:
                self._heading_text.append(data)
        elif self._block is not None:
            self._block_text.append(data)
        elif data.strip() and self.depth:
            line, _ = self._where()
            self.blocks.append(Block("other", _SPACE.sub(" ", data).strip(), line))

    def _add_links(self, tag: str, attributes: dict[str, str], line: int, column: int) -> None:
        if tag == "link" and "href" in attributes and _is_hint_link(attributes):
            return
        for attr, kind in _URL_ATTRS[tag]:
            if attr not in attributes:
                continue
            value = attributes[attr]
            text = attributes.get("alt", "") if tag == "img" else ""
            urls = parse_srcset(value) if attr == "srcset" else [value]
            for url in urls:
                self.links.append(Link(kind, attr, url, line, column, text))

    def _track_blocks(self, tag: str, attributes: dict[str, str], line: int, column: int) -> None:
        level = _HEADINGS.get(tag)
        if level is not None and self._heading is None:
            self._finish_block()
            self._heading = (level, attributes.get("id", ""), line, column)
            self._heading_text = []
            return
        if self._heading is not None:
            if tag == "a" and "headerlink" in attributes.get("class", "").split():
                self._headerlink_depth += 1
            return
        if tag == "li":
            if not self._item_depth:
                self._finish_block()
                self._block = ("item", line)
                self._block_text = []
            self._item_depth += 1
        elif tag == "p" and not self._item_depth:
            self._finish_block()
            self._block = ("paragraph", line)
            self._block_text = []
        elif tag in _CONTENT_ELEMENTS and not self._item_depth and self._block is None:
            self.blocks.append(Block("other", "", line))

    def _end_heading(self) -> None:
        assert self._heading is not None
        level, element_id, line, column = self._heading
        text = _SPACE.sub(" ", "".join(self._heading_text)).strip()
        self.headings.append(Heading(level, element_id, text, line, column))
        self.blocks.append(Block("heading", text, line, level))
        self._heading = None
        self._headerlink_depth = 0

    def _finish_block(self) -> None:
        if self._heading is not None:
            self._end_heading()
        if self._block is None:
            return
        kind, line = self._block
        text = _SPACE.sub(" ", "".join(self._block_text)).strip()
        self.blocks.append(Block("paragraph" if kind == "paragraph" else "item", text, line))
        self._block = None
        self._block_text = []
        self._item_depth = 0


def _is_hint_link(attributes: dict[str, str]) -> bool:
    """`<link rel=preconnect|dns-prefetch|canonical|alternate...>` name origins, not files."""
    rel = set(attributes.get("rel", "").lower().split())
    return bool(rel & {"preconnect", "dns-prefetch", "canonical", "alternate", "me"})


def list_html_files(site_dir: Path) -> list[str]:
    """Site-relative paths of every .html file, sorted."""
    return sorted(path for path in walk_files(site_dir) if path.endswith((".html", ".htm")))


def walk_files(site_dir: Path) -> Iterator[str]:
    """Every file under the site folder, site-relative with forward slashes."""
    root = str(site_dir)
    for folder, _dirs, files in os.walk(root):
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if rel_folder == "." else rel_folder + "/"
        for name in files:
            yield prefix + name


def load_pages(site_dir: Path, paths: Sequence[str], jobs: int | None = None) -> list[Page]:
    """Load many pages, in a process pool on big sites (HTML parsing is CPU-bound)."""
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(paths) < _POOL_THRESHOLD:
        return [load_page(site_dir, path) for path in paths]
    chunk = max(16, len(paths) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_load_one, [(site_dir, p) for p in paths], chunksize=chunk))


def _load_one(job: tuple[Path, str]) -> Page:
    return load_page(*job)
