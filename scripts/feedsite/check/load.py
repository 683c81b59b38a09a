"""Read built HTML pages into `Page` records: the content area's links, headings and blocks,
plus every id and link of the whole page, using the fast lexbor parser (selectolax)."""

from __future__ import annotations

import gc
import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from feedsite.check.models import Block, Heading, Link, LinkKind, Page, text_digest

# The content area, most specific first: Material's article, <main>, the MkDocs theme's
# <div role="main">, then <body>. positions.py finds the same element by its start tag.
_CONTENT_SELECTORS = ("article.md-content__inner", "main", 'div[role="main"]', "body")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SPACE = re.compile(r"\s+")
# Elements whose mere presence means a section has content even without text.
_CONTENT_ELEMENTS = frozenset(
    {
        "img", "picture", "pre", "table", "figure", "blockquote", "iframe", "video", "audio",
        "svg", "dl", "hr", "details", "ol", "ul", "object", "embed", "canvas", "math", "form",
    }
)  # fmt: skip
# (tag, attribute) pairs that reference another resource, and the kind reported for each.
# positions.py finds the same attributes, so the two passes list the same links.
URL_ATTRS: dict[str, tuple[tuple[str, LinkKind], ...]] = {
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
_BLOCK_TAGS = frozenset({"p", "li", *_HEADINGS})
# One selector per tag: a selector list returns an element once per selector it matches.
_LINK_SELECTOR = ", ".join(URL_ATTRS)
_CODE_TAGS = frozenset({"pre", "code"})
# `<link rel=...>` values that name an origin or another representation, not a file to check.
_HINT_RELS = frozenset({"preconnect", "dns-prefetch", "canonical", "alternate", "me"})
# Below this many pages a process pool costs more than it saves.
_POOL_THRESHOLD = 300


def decode_html(data: bytes) -> tuple[str, str]:
    """Text of an HTML file and a note when it was not UTF-8 (read as Windows-1252 instead)."""
    try:
        # Plain utf-8 plus a manual BOM strip: the utf-8-sig codec is several times slower.
        return data.decode("utf-8").removeprefix("\ufeff"), ""
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
    try:
        with open(os.path.join(site_dir, rel_path), "rb") as stream:
            data = stream.read()
    except OSError as exc:
        return Page(rel_path, "", frozenset(), (), (), (), (), (), (), read_error=_reason(exc))
    text, note = decode_html(data)
    return parse_page(rel_path, text, note)


def _reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def parse_page(rel_path: str, text: str, decode_note: str = "") -> Page:
    """Build a Page from HTML text (separate from reading so tests can feed strings)."""
    tree = LexborHTMLParser(text)
    id_counter: Counter[str] = Counter(
        value for node in tree.css("[id]") if (value := node.attributes.get("id"))
    )
    names = {value for node in tree.css("a[name]") if (value := node.attributes.get("name"))}
    hrefs = tuple(
        value for node in tree.css("a[href], area[href]") if (value := node.attributes.get("href"))
    )
    base = tree.css_first("base[href]")
    content = content_node(tree)
    walker = _ContentWalker()
    if content is not None:
        walker.walk(content)
    return Page(
        path=rel_path,
        base_href=(base.attributes.get("href") or "") if base is not None else "",
        ids=frozenset(id_counter) | frozenset(names),
        id_counts=tuple(sorted((i, n) for i, n in id_counter.items() if n > 1)),
        content_ids=tuple(walker.ids),
        links=tuple(walker.links),
        other_hrefs=hrefs,
        headings=tuple(walker.headings),
        blocks=tuple(walker.blocks),
        decode_note=decode_note,
    )


def content_node(tree: LexborHTMLParser) -> LexborNode | None:
    """The element holding the page's own content."""
    for selector in _CONTENT_SELECTORS:
        node = tree.css_first(selector)
        if node is not None:
            return node
    return tree.root


class _ContentWalker:
    """Collects links, headings, ids and blocks of the content area in document order."""

    def __init__(self) -> None:
        self.links: list[Link] = []
        self.ids: list[str] = []
        self.headings: list[Heading] = []
        self.blocks: list[Block] = []

    def walk(self, content: LexborNode) -> None:
        # Links and ids come from C-level selector queries (document order); only the block
        # skeleton is walked in Python, never the inside of paragraphs, items or headings.
        stop = content.mem_id
        for node in content.css(_LINK_SELECTOR):
            if not _inside(node, stop, _CODE_TAGS):
                self._add_links(node.tag or "", node.attributes)
        for node in content.css("[id], a[name]:not([id])"):
            attributes = node.attributes
            element_id = attributes.get("id") or attributes.get("name")
            if element_id:
                self.ids.append(element_id)
        # An explicit stack, not recursion: pathological nesting must not overflow.
        stack = list(content.iter(include_text=True))
        stack.reverse()
        while stack:
            node = stack.pop()
            tag = node.tag or ""
            if tag == "-text":
                text = node.text_content or ""
                if text and not text.isspace():
                    self.blocks.append(Block("other", text_digest(text)))
                continue
            if not node.is_element_node:
                continue
            self._add_block(node, tag)
            if tag in _BLOCK_TAGS or tag in _CODE_TAGS:
                continue  # its text is the block's; nothing inside starts a new block
            children = list(node.iter(include_text=True))
            children.reverse()
            stack.extend(children)

    def _add_links(self, tag: str, attributes: dict[str, str | None]) -> None:
        if tag == "link" and set((attributes.get("rel") or "").lower().split()) & _HINT_RELS:
            return
        for attr, kind in URL_ATTRS[tag]:
            value = attributes.get(attr)
            if value is None:
                continue
            text = (attributes.get("alt") or "") if tag == "img" else ""
            for url in parse_srcset(value) if attr == "srcset" else [value]:
                self.links.append(Link(kind, attr, url, text))

    def _add_block(self, node: LexborNode, tag: str) -> None:
        level = _HEADINGS.get(tag)
        if level is not None:
            text = _heading_text(node)
            self.headings.append(Heading(level, node.attributes.get("id") or "", text))
            self.blocks.append(Block("heading", 0, level, len(self.headings) - 1))
        elif tag == "p":
            self.blocks.append(Block("paragraph", text_digest(node.text(deep=True))))
        elif tag == "li":
            self.blocks.append(Block("item", text_digest(node.text(deep=True))))
        elif tag in _CONTENT_ELEMENTS:
            self.blocks.append(Block("other"))


def _inside(node: LexborNode, stop: int, tags: frozenset[str]) -> bool:
    """Whether an ancestor of `node` below the element with mem_id `stop` has one of `tags`."""
    parent = node.parent
    while parent is not None and parent.mem_id != stop:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def _heading_text(node: LexborNode) -> str:
    """A heading's text without its permalink marker (the `headerlink` anchor's "¶")."""
    parts = [
        child.text(deep=True)
        for child in node.iter(include_text=True)
        if not (child.tag == "a" and "headerlink" in (child.attributes.get("class") or "").split())
    ]
    return _SPACE.sub(" ", "".join(parts)).strip()


def canonical_url(home_page: Path) -> str:
    """The home page's `<link rel="canonical">` URL ("" when unreadable or absent): MkDocs
    writes site_url there, which tells where a folder of HTML is served."""
    try:
        text, _note = decode_html(home_page.read_bytes())
    except OSError:
        return ""
    node = LexborHTMLParser(text).css_first('link[rel="canonical"]')
    return (node.attributes.get("href") or "") if node is not None else ""


def walk_files(site_dir: Path) -> Iterator[str]:
    """Every file under the site folder, site-relative with forward slashes."""
    root = str(site_dir)
    for folder, _dirs, files in os.walk(root):
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if rel_folder == "." else rel_folder + "/"
        for name in files:
            yield prefix + name


def load_pages(site_dir: Path, paths: Sequence[str], jobs: int | None = None) -> list[Page]:
    """Load many pages; `jobs` > 1 spreads them over a process pool.

    One process is the default: on a 2-core machine with a 5,202-page site the pool made the
    run slower (1.6 s more CPU spent sending pages between processes than it saved).
    """
    workers = jobs if jobs is not None else 1
    # Page records hold no reference cycles, so the cycle collector only burns time while
    # hundreds of thousands of them are made (about 12% of the load on a 5,000-page site).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if workers <= 1 or len(paths) < _POOL_THRESHOLD:
            return [load_page(site_dir, path) for path in paths]
        from concurrent.futures import ProcessPoolExecutor

        chunk = max(16, len(paths) // (workers * 8))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(_load_one, [(site_dir, p) for p in paths], chunksize=chunk))
    finally:
        if collecting:
            gc.enable()


def _load_one(job: tuple[Path, str]) -> Page:
    return load_page(*job)
