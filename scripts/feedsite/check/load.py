"""Read built HTML pages into `Page` records: the content area's links, headings and blocks,
plus every id, link and asset of the whole page, using the fast lexbor parser (selectolax)."""

from __future__ import annotations

import gc
import html
import os
import re
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from sys import intern
from typing import TypeVar

from selectolax.lexbor import LexborCSSSelector, LexborHTMLParser, LexborNode

from feedsite.check.cache import CheckCache, StatKey, page_digest, stat_key
from feedsite.check.css_urls import css_references
from feedsite.check.models import Block, Heading, Link, LinkKind, Page, text_digest
from feedsite.check.workers import Workers
from feedsite.local_urls import URL_SPACE

# The content area, most specific first: Material's article, <main>, the MkDocs theme's
# <div role="main">, then <body>. positions.py finds the same element by its start tag.
_CONTENT_SELECTORS = ("article.md-content__inner", "main", 'div[role="main"]', "body")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SPACE = re.compile(r"\s+")
_UTF8_BOM = b"\xef\xbb\xbf"
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
    # <meta http-equiv="refresh" content="0; url=new/">: a redirect page (mkdocs-redirects).
    "meta": (("content", "redirect"),),
    # Where a form sends its answers (an empty action is the page itself, and fine).
    "form": (("action", "form"),),
    "button": (("formaction", "form"),),
    # An image button (type="image") shows its src.
    "input": (("formaction", "form"), ("src", "img")),
    # SVG: an image, and a shape used from a sprite ("icons.svg#leaf"); xlink:href is SVG 1's.
    "image": (("href", "img"), ("xlink:href", "img")),
    "use": (("href", "object"), ("xlink:href", "object")),
}
_BLOCK_TAGS = frozenset({"p", "li", *_HEADINGS})
_CODE_TAGS = frozenset({"pre", "code"})
_IN_CODE_SELECTOR = ", ".join(f"{code} {tag}" for code in _CODE_TAGS for tag in URL_ATTRS)
# Outside the content area, assets and <a> links are the template's: they are checked once
# for the whole site (theme_assets.py), not page by page.
_ASSET_TAGS = frozenset(tag for tag in URL_ATTRS if tag not in ("a", "area"))
# The elements that can hold a URL, by the attributes that hold one: far fewer selectors than
# one per tag, and lexbor's cost grows with the selectors. Elements of other tags that match
# (a <div src>) are left out by their tag; an <img> counts without any (it is then broken),
# SVG's xlink:href is named by the tag.
_URL_HOLDERS = (
    "[href], [src], [srcset], [poster], [data], [action], [formaction], meta[http-equiv], "
    "img, image, use"
)
# One query per page and one per content area, read back in Python: every query walks the
# whole tree. `:is()` lists each element once, and costs half what the same selectors do as a
# list.
_PAGE_QUERY = f":is([id], a[name], {_URL_HOLDERS}, style, [style])"
# Dialogs (a theme's search or shortcuts modal, when the content area is the whole <body>)
# are widgets of their own: their headings and text are not part of the page's outline.
_DIALOG_SELECTOR = 'dialog, [role="dialog"], [role="alertdialog"]'
_DIALOG_ROLES = frozenset({"dialog", "alertdialog"})
_CONTENT_QUERY = f":is([id], a[name], pre, code, {_DIALOG_SELECTOR}, {_URL_HOLDERS})"
# One selector engine for every page (per thread: lexbor's is not thread-safe); a page's own
# would be made on its first query, at about the cost of a query.
_ENGINES = threading.local()
# `<link rel=...>` values that name an origin or another representation, not a file to check.
# An "alternate" in another language (hreflang) is another site's page, which is left alone
# too; an alternate format of this site (an RSS, Atom or JSON feed) is a file that must exist.
_HINT_RELS = frozenset({"preconnect", "dns-prefetch", "canonical", "me"})
_ELEMENT_LINKS: dict[tuple[object, ...], tuple[Link, ...]] = {}
# A page's assets outside the content, by the identities of its (shared) Link records.
_ASSET_TUPLES: dict[tuple[int, ...], tuple[Link, ...]] = {}
# Blocks without text are the same on many pages: (level, heading index) -> the one record.
_HEADING_BLOCKS: dict[tuple[int, int], Block] = {}
_EMPTY_OTHER: Block = ("other", 0, 0, -1)
# Below this many pages a second process costs more than it saves.
_POOL_THRESHOLD = 300
T = TypeVar("T")


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


def element_links(tag: str, attributes: dict[str, str | None]) -> list[Link]:
    """The URLs one element references, in attribute order (shared with positions.py).

    An <img> must end up with an image: an empty `src` without `srcset` candidates, or no
    source attribute at all, gives one Link with an empty URL (attr "" when there is no `src`),
    reported as a broken image. An empty `src` beside a usable `srcset` is fine, as in browsers.
    An attribute written without a value (`<video src>`) has the empty value, as in HTML.
    """
    if None in attributes.values():
        attributes = {name: value or "" for name, value in attributes.items()}
    if tag == "link":
        rels = set((attributes.get("rel") or "").lower().split())
        if rels & _HINT_RELS or ("alternate" in rels and "hreflang" in attributes):
            return []
    if tag == "img":
        return _image_links(attributes)
    if tag == "meta":
        return _refresh_links(attributes)
    links: list[Link] = []
    for attr, kind in URL_ATTRS[tag]:
        value = attributes.get(attr)
        if value is None or (kind == "form" and not value.strip(URL_SPACE)):
            continue
        if tag == "input" and attr == "src" and (attributes.get("type") or "").lower() != "image":
            continue
        for url in parse_srcset(value) if attr == "srcset" else [value]:
            links.append(Link(kind, attr, url))
    return links


# The HTML standard's refresh syntax: a delay (digits, then dots and digits), then `;`, `,` or
# a space, then `url=` and the URL, which may be quoted; `url=` itself may be left out.
_REFRESH = re.compile(
    r"""[ \t\n\f\r]*(?:\d|(?=\.))[\d.]*(?P<rest>(?:[;, \t\n\f\r].*)?)\Z""", re.DOTALL
)
_REFRESH_URL = re.compile(
    r"""[ \t\n\f\r]*[;,]?[ \t\n\f\r]*(?:url[ \t\n\f\r]*=[ \t\n\f\r]*)?"""
    r"""(?:"(?P<dq>[^"]*)"?|'(?P<sq>[^']*)'?|(?P<bare>.*))""",
    re.IGNORECASE | re.DOTALL,
)


def _refresh_links(attributes: dict[str, str | None]) -> list[Link]:
    """The target of a `<meta http-equiv="refresh">`; none for other metas or a plain reload
    ("5"); a content browsers do not read (no delay first, or none at all) is kept as written,
    with attr "invalid", to be reported as such."""
    if (attributes.get("http-equiv") or "").strip().lower() != "refresh":
        return []
    content = attributes.get("content") or ""
    timed = _REFRESH.match(content)
    if timed is None:
        return [Link("redirect", "invalid", content)]
    parts = _REFRESH_URL.match(timed["rest"])
    assert parts is not None  # every part of it is optional
    url = (parts["dq"] if parts["dq"] is not None
           else parts["sq"] if parts["sq"] is not None else parts["bare"] or "")
    url = url.strip(URL_SPACE)
    return [Link("redirect", "content", url)] if url else []


def _image_links(attributes: dict[str, str | None]) -> list[Link]:
    alt = attributes.get("alt") or ""
    src = attributes.get("src")
    candidates = parse_srcset(attributes.get("srcset") or "")
    links = [Link("img", "srcset", url, alt) for url in candidates]
    if src is not None and src.strip(URL_SPACE):
        links.insert(0, Link("img", "src", src, alt))
    elif not candidates:
        links.append(Link("img", "src" if src is not None else "", src or "", alt))
    # alt="" (a decorative image) is fine; no alt at all is not, unless the image has another
    # text alternative or is hidden from screen readers (as axe's image-alt rule accepts).
    if "alt" not in attributes and not _named_or_hidden(attributes):
        links[0] = Link(links[0].kind, links[0].attr, links[0].url, alt, no_alt=True)
    return links


def _named_or_hidden(attributes: dict[str, str | None]) -> bool:
    """Whether an image has a text alternative other than alt, or none is wanted."""
    if (attributes.get("aria-hidden") or "").strip().lower() == "true":
        return True
    if (attributes.get("role") or "").strip().lower() in ("presentation", "none"):
        return True
    return any((attributes.get(name) or "").strip()
               for name in ("aria-label", "aria-labelledby", "title"))


def is_dialog(tag: str, attributes: dict[str, str | None]) -> bool:
    """Whether an element is a dialog (positions.py skips the same headings)."""
    return tag == "dialog" or attributes.get("role") in _DIALOG_ROLES


def load_page(site_dir: Path, rel_path: str) -> Page:
    """Read one HTML file of the site; malformed markup is read as a browser would, never fatal."""
    return _load_page(site_dir, rel_path, False)[0]


def _load_page(site_dir: Path, rel_path: str, digest: bool) -> tuple[Page, bytes]:
    """A page and, when asked for, the digest of its bytes (b"" when unreadable)."""
    try:
        with open(os.path.join(site_dir, rel_path), "rb") as stream:
            data = stream.read()
    except OSError as exc:
        unread = Page(rel_path, "", frozenset(), (), (), (), (), (), (), read_error=_reason(exc))
        return unread, b""
    return page_from_bytes(rel_path, data), page_digest(data) if digest else b""


def page_from_bytes(rel_path: str, data: bytes) -> Page:
    """The record of a page whose file holds `data`."""
    html, note = _parser_input(data)
    return parse_page(rel_path, html, note)


def _parser_input(data: bytes) -> tuple[str | bytes, str]:
    """What lexbor reads: valid UTF-8 as the bytes themselves (lexbor reads UTF-8, so a decode
    and re-encode would only cost time), anything else decoded as `decode_html` does."""
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return decode_html(data)
    return data.removeprefix(_UTF8_BOM), ""


def _reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def parse_page(rel_path: str, text: str | bytes, decode_note: str = "") -> Page:
    """Build a Page from HTML text, or UTF-8 bytes without a BOM (separate from reading so
    tests can feed strings)."""
    tree = LexborHTMLParser(text)
    ids: list[str] = []  # every id of the page, repeats included
    names: set[str] = set()
    hrefs: list[str] = []
    base_href: str | None = None
    page_assets: list[tuple[int, str, dict[str, str | None]]] = []  # (mem_id, tag, attributes)
    anchors: list[tuple[int, str, dict[str, str | None]]] = []  # <a>/<area> with an href
    styles: list[tuple[int, str]] = []  # (mem_id, CSS) of <style> and style="" that load URLs
    for node, tag, attributes in _matches(_PAGE_QUERY, tree.root):
        # The query's selectors are a tag and an attribute's presence: each is read back here.
        if tag == "style" or "style" in attributes:
            css = node.text(deep=True) if tag == "style" else attributes.get("style") or ""
            if _LOADS.search(css):  # most set colours only (a theme's palette)
                styles.append((node.mem_id, css))
        if value := attributes.get("id"):
            ids.append(intern(value))
        if tag == "a" or tag == "area":
            if value := attributes.get("href"):
                hrefs.append(intern(value))
            if "href" in attributes:
                anchors.append((node.mem_id, tag, attributes))
            if tag == "a" and (value := attributes.get("name")):
                names.add(value)
        elif tag in _ASSET_TAGS:
            page_assets.append((node.mem_id, tag, attributes))
            if tag == "form" and (value := attributes.get("action")):
                hrefs.append(intern(value))  # a page a form leads to is not an orphan
        elif tag == "base" and base_href is None and "href" in attributes:
            base_href = attributes.get("href") or ""
    content = content_node(tree)
    walker = _ContentWalker()
    if content is not None:
        walker.walk(content)
    self_closed = _self_closed_links(text)
    links: list[Link] = walker.links
    content_ids: list[str] = walker.ids
    if self_closed:
        # Browsers copy an `<a id=x href=y/>` into the blocks after it (inside the content and
        # out): the copies are not what the author wrote, and self-closed-link reports the one
        # cause. Only the first of each copied link and id is kept.
        written = [_tag_attributes(tag) for _line, _column, tag in self_closed]
        copied_links = {link for attributes in written for link in element_links("a", attributes)}
        copied_ids = {value for attributes in written if (value := attributes.get("id"))}
        links = _first_of_each(links, copied_links)
        ids = _first_of_each(ids, copied_ids)
        content_ids = _first_of_each(content_ids, copied_ids)
    id_counter = Counter(ids)
    assets: list[Link] = []
    for mem_id, tag, attributes in page_assets:
        if mem_id not in walker.asset_ids:
            assets.extend(_links_of(tag, attributes))
    template_links: list[Link] = []
    for mem_id, tag, attributes in anchors:
        # A language switcher's links (hreflang) lead to other sites' roots, not this one's.
        if mem_id not in walker.asset_ids and "hreflang" not in attributes:
            template_links.extend(_links_of(tag, attributes))
    if self_closed:
        template_links = [link for link in template_links if link not in copied_links]
    if styles:
        _add_css_links(styles, tree.root, content, links, assets)
    return Page(
        path=rel_path,
        base_href=base_href or "",
        ids=frozenset(id_counter) | frozenset(names),
        id_counts=tuple(sorted((i, n) for i, n in id_counter.items() if n > 1)),
        content_ids=tuple(content_ids),
        links=tuple(links),
        other_hrefs=tuple(hrefs),
        headings=tuple(walker.headings),
        blocks=tuple(walker.blocks),
        decode_note=decode_note,
        assets=_ASSET_TUPLES.setdefault(tuple(map(id, assets)), tuple(assets)),
        template_links=tuple(template_links),
        literal_references=tuple(walker.literal_references),
        self_closed_links=self_closed,
    )


def _tag_attributes(tag: str) -> dict[str, str | None]:
    element = LexborHTMLParser(tag).css_first("a")
    return element.attributes if element is not None else {}


def _first_of_each(items: list[T], copied: set[T]) -> list[T]:
    """`items` with only the first of each item in `copied` (the rest are browsers' copies)."""
    seen: set[T] = set()
    kept = []
    for item in items:
        if item in copied:
            if item in seen:
                continue
            seen.add(item)
        kept.append(item)
    return kept


# `<a .../>` candidates, quickly: an <a> start tag whose end (outside quotes) is "/>".
_SELF_CLOSED_CANDIDATE = re.compile(
    rb"""<[aA](?=[\s/])(?:[^>"'/]++|"[^"]*+"|'[^']*+'|/(?!>))*+/>""")
# The same as the HTML tokenizer reads it: an unquoted value takes a "/" in (`<a href=x/>`
# is not one).
_SELF_CLOSED_A = re.compile(
    rb"""<[aA](?:\s+[^\s/>=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*+\s*/>""")
# Where an `<a/>` is no such fault: comments, scripts, styles, text areas and titles (no tags
# are read there), and SVG and MathML (foreign elements do close themselves).
_RAW_TEXT = re.compile(rb"<!--.*?-->|<(script|style|textarea|title|svg|math)\b.*?</\1\s*>",
                       re.DOTALL | re.IGNORECASE)


def _self_closed_links(text: str | bytes) -> tuple[tuple[int, int, str], ...]:
    """Every `<a .../>` of the page, with its line and column (1-based, in characters)."""
    data = text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass")
    candidates = [match for match in _SELF_CLOSED_CANDIDATE.finditer(data)
                  if _SELF_CLOSED_A.fullmatch(match.group())]
    if not candidates:
        return ()
    raw = [(block.start(), block.end()) for block in _RAW_TEXT.finditer(data)]
    found = []
    for match in candidates:
        start = match.start()
        if any(begin < start < end for begin, end in raw):
            continue
        line_start = data.rfind(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        tag = match.group().decode("utf-8", errors="replace")
        found.append((data.count(b"\n", 0, start) + 1, column, tag))
    return tuple(found)


# What CSS that loads something holds (in the case CSS is written in: scripts say `new URL(`).
_LOADS = re.compile(r"url\(|@import|image-set\(")
_STYLED = "style, [style]"
_STYLED_IN_CODE = "pre style, pre [style], code style, code [style]"


def _add_css_links(
    styles: list[tuple[int, str]],
    root: LexborNode | None,
    content: LexborNode | None,
    links: list[Link],
    assets: list[Link],
) -> None:
    """The URLs of <style> blocks and style attributes: the content's among `links`, the
    template's among `assets` (a style's url() is read against the page, as its links are)."""
    in_content = {node.mem_id for node in content.css(_STYLED)} if content is not None else set()
    in_code = {node.mem_id for node in root.css(_STYLED_IN_CODE)} if root is not None else set()
    for mem_id, css in styles:
        if mem_id in in_code:
            continue  # text of a code sample, as its links are
        found = [Link("css", "url", url) for url, _offset in css_references(css)]
        (links if mem_id in in_content else assets).extend(found)


def _links_of(tag: str, attributes: dict[str, str | None]) -> tuple[Link, ...]:
    """`element_links`, one shared record per distinct element: the theme's parts and links to
    the same page repeat across pages, and pickle (the cache, the side process) writes a
    shared object once. Keyed by the raw attributes, so no record is hashed or compared."""
    key = (tag, *attributes.items())
    links = _ELEMENT_LINKS.get(key)
    if links is None:
        links = _ELEMENT_LINKS[key] = tuple(element_links(tag, attributes))
    return links


def _matches(
    query: str, root: LexborNode | None
) -> Iterator[tuple[LexborNode, str, dict[str, str | None]]]:
    """The elements under `root` (itself included) a selector list matches, in document
    order, each once (lexbor lists an element once per selector it matches, one after the
    other), with its tag and attributes."""
    if root is None:
        return
    engine: LexborCSSSelector | None = getattr(_ENGINES, "selector", None)
    if engine is None:
        engine = _ENGINES.selector = LexborCSSSelector()  # type: ignore[no-untyped-call]
    last = -1
    for node in engine.find(query, root):
        mem_id = node.mem_id
        if mem_id != last:
            last = mem_id
            yield node, node.tag or "", node.attributes


def content_node(tree: LexborHTMLParser) -> LexborNode | None:
    """The element holding the page's own content."""
    for selector in _CONTENT_SELECTORS:
        node = tree.css_first(selector)
        if node is not None:
            return node
    return tree.root


def _children(node: LexborNode) -> list[LexborNode]:
    """A node's children, leaving out its text nodes when they hold only whitespace (between
    the blocks of most containers): visiting them would be half the walk's work."""
    own_text = node.text(deep=False)
    return list(node.iter(include_text=bool(own_text) and not own_text.isspace()))


class _ContentWalker:
    """Collects links, headings, ids and blocks of the content area in document order."""

    def __init__(self) -> None:
        self.links: list[Link] = []
        self.ids: list[str] = []
        self.headings: list[Heading] = []
        self.blocks: list[Block] = []
        self.asset_ids: set[int] = set()  # every URL element of the content, code included
        self.literal_references: list[str] = []

    def walk(self, content: LexborNode) -> None:
        # Links and ids come from C-level selector queries (document order); only the block
        # skeleton is walked in Python, never the inside of paragraphs, items or headings.
        # Most pages have no code at all; the others name their links inside code in one query.
        found = list(_matches(_CONTENT_QUERY, content))
        in_code = (
            {node.mem_id for node in content.css(_IN_CODE_SELECTOR)}
            if any(tag in _CODE_TAGS for _node, tag, _attributes in found)
            else set()
        )
        dialogs: set[int] = set()
        for node, tag, attributes in found:
            if is_dialog(tag, attributes):
                dialogs.add(node.mem_id)
            # An id, or an <a name> without one (which is where its name is taken from).
            if "id" in attributes or (tag == "a" and "name" in attributes):
                element_id = attributes.get("id") or attributes.get("name")
                if element_id:
                    self.ids.append(element_id)
            if tag in URL_ATTRS:
                self.asset_ids.add(node.mem_id)
                if node.mem_id not in in_code:
                    self._add_links(tag, attributes)
        # An explicit stack, not recursion: pathological nesting must not overflow.
        stack = _children(content)
        stack.reverse()
        add = self.blocks.append
        while stack:
            node = stack.pop()
            tag = node.tag or ""
            # Paragraphs and list items first: they are most of the blocks.
            if tag == "p" or tag == "li":
                text = node.text(deep=True)
                add(("paragraph" if tag == "p" else "item", text_digest(text), 0, -1))
                if "][" in text:  # rare: look closer for reference links left as text
                    self.literal_references.extend(_literal_references(node))
                continue  # its text is the block's; nothing inside starts a new block
            if tag == "-text":
                text = node.text_content or ""
                if text and not text.isspace():
                    add(("other", text_digest(text), 0, -1))
                continue
            if not node.is_element_node or (dialogs and node.mem_id in dialogs):
                continue
            self._add_block(node, tag)
            if tag in _BLOCK_TAGS or tag in _CODE_TAGS:
                continue
            children = _children(node)
            children.reverse()
            stack.extend(children)

    def _add_links(self, tag: str, attributes: dict[str, str | None]) -> None:
        self.links.extend(_links_of(tag, attributes))

    def _add_block(self, node: LexborNode, tag: str) -> None:
        level = _HEADINGS.get(tag)
        if level is not None:
            text = _heading_text(node)
            self.headings.append(Heading(level, node.attributes.get("id") or "", text))
            key = (level, len(self.headings) - 1)
            block = _HEADING_BLOCKS.get(key)
            if block is None:
                block = _HEADING_BLOCKS[key] = ("heading", 0, level, key[1])
            self.blocks.append(block)
        elif tag in _CONTENT_ELEMENTS:
            self.blocks.append(_EMPTY_OTHER)


# A full or collapsed reference ("[text][label]", "[text][]"), or the same for an image; the
# text or the label may run over lines.
LITERAL_REFERENCE = re.compile(r"!?\[(?P<text>[^\[\]]+)\]\[(?P<label>[^\[\]]*)\]")
_CODE_ELEMENT = re.compile(r"<(code|kbd|samp)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
# Math (pymdownx.arithmatex: `$A[i][j]$` is indexing) and script text are not prose.
_NOT_PROSE = re.compile(
    r"<script\b.*?</script\s*>|<(span|div)\b[^>]*\barithmatex\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_BRACKETS = re.compile(r"[\[\]]")
_TAG = re.compile(r"<[^>]*>")
# An image (its text is its alt) inside the text: "[![logo][logo]][nowhere]" leaves
# "[<img alt=logo>][nowhere]" when only the outer label is undefined.
_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def _literal_references(node: LexborNode) -> list[str]:
    """Reference links or images left as text in a paragraph or item. Code keeps its text
    but not its brackets (`[`x`][]` is a literal; `a[i][j]` in code is not); math is left out."""
    markup = _NOT_PROSE.sub(" ", node.html or "")
    markup = _CODE_ELEMENT.sub(lambda code: _BRACKETS.sub(" ", code.group()), markup)
    markup = _IMAGE.sub(_alt_text, markup)
    plain = html.unescape(_TAG.sub("", markup))
    return [match.group() for match in LITERAL_REFERENCE.finditer(plain)]


def _alt_text(image: re.Match[str]) -> str:
    alt = _ALT.search(image.group())
    return next((part for part in alt.groups() if part), "image") if alt else "image"


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
    """Every file under the site folder, site-relative with forward slashes; as os.walk sees
    them (a link to a folder is not followed), without its per-folder lists (a site built with
    directory URLs has a folder per page)."""
    folders = [("", str(site_dir))]
    while folders:
        prefix, folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if not is_dir:
                yield prefix + entry.name
            elif not _is_link(entry):
                folders.append((prefix + entry.name + "/", entry.path))


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False  # as os.walk takes it


def load_pages(
    site_dir: Path,
    paths: Sequence[str],
    workers: Workers | None = None,
    cache: CheckCache | None = None,
) -> list[Page]:
    """Load many pages, in order, reusing cached records of unchanged files; with side
    processes, they and this one share the parsing."""
    # Page records hold no reference cycles, so the cycle collector only burns time while
    # hundreds of thousands of them are made (about 12% of the load on a 5,000-page site).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if cache is None or cache.file is None:
            return [page for page, _digest in _parse_pages(site_dir, paths, workers, False)]
        return _load_with_cache(site_dir, paths, workers, cache)
    finally:
        if collecting:
            gc.enable()


def _load_with_cache(
    site_dir: Path, paths: Sequence[str], workers: Workers | None, cache: CheckCache
) -> list[Page]:
    found: dict[str, Page] = {}
    keys: dict[str, tuple[StatKey, bytes]] = {}
    for path in paths:
        full = os.path.join(site_dir, path)
        key = stat_key(full)
        entry = cache.pages.get(path)
        if key is None or entry is None:
            continue  # parsed below (the loader reports files it cannot read)
        if entry[0] == key:
            found[path] = entry[2]
            keys[path] = (key, entry[1])
            continue
        try:
            with open(full, "rb") as stream:
                digest = page_digest(stream.read())
        except OSError:
            continue
        keys[path] = (key, digest)
        if entry[1] == digest:
            found[path] = entry[2]  # rebuilt with the same bytes
    missing = [path for path in paths if path not in found]
    for page, digest in _parse_pages(site_dir, missing, workers, True):
        found[page.path] = page
        key = stat_key(os.path.join(site_dir, page.path))
        if digest and key is not None:
            keys[page.path] = (key, digest)
    pages = [found[path] for path in paths]
    kept = {
        page.path: (*keys[page.path], page)
        for page in pages
        if page.path in keys and not page.read_error
    }
    if (
        kept.keys() != cache.pages.keys()
        or missing
        or any(cache.pages[path][0] != entry[0] for path, entry in kept.items())
    ):
        cache.pages = kept
        cache.loaded_changed = True
    return pages


def _parse_pages(
    site_dir: Path, paths: Sequence[str], workers: Workers | None, digests: bool
) -> list[tuple[Page, bytes]]:
    """Parse pages in order (with the digests of their bytes when asked for). With side
    processes the pages are cut into chunks that they take from the front and this process
    from the back, so neither waits for the other however busy the pool already is (it may
    still be reading the feed)."""
    if workers is None or workers.count < 1 or len(paths) < _POOL_THRESHOLD:
        return _load_chunk(site_dir, list(paths), digests)
    size = max(8, len(paths) // 64)
    chunks = [list(paths[start : start + size]) for start in range(0, len(paths), size)]
    loaded = workers.share_out(partial(_load_chunk, site_dir, digests=digests), chunks)
    return [page for chunk in loaded for page in chunk]


def _load_chunk(site_dir: Path, paths: list[str], digests: bool) -> list[tuple[Page, bytes]]:
    return [_load_page(site_dir, path, digests) for path in paths]
