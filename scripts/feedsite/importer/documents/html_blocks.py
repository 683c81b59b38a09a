"""Sanitise an item's HTML with nh3 (an allowlist), then map it into the article model.

Nothing of the item's HTML reaches a page as HTML: after sanitising, the tree is read into
Blocks and Inline runs, and the renderer escapes every character of their text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

import nh3
from selectolax.lexbor import LexborHTMLParser, LexborNode

# Characters no page can show: dropped from item text as from plain-text articles.
from feedsite.importer.decode import CONTROL_CHARS as CONTROL
from feedsite.importer.models import Block, Inline, ListItem, inline_text
from feedsite.local_urls import local_place

# What survives sanitising: structure and phrasing only. No script, style, iframe, form,
# object, embed, svg or event handler attribute; URLs limited to the schemes below.
ALLOWED_TAGS = frozenset({
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "figure",
    "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "hr", "br", "dl", "dt",
    "dd", "address", "details", "summary", "center", "a", "em", "i", "strong", "b", "code",
    "kbd", "samp", "tt", "var", "cite", "dfn", "span", "sub", "sup", "small", "big", "mark",
    "abbr", "acronym", "q", "u", "s", "strike", "del", "ins", "time", "img", "font",
})
# Dropped together with their content (the content is code, widgets or a fallback for them).
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "frame", "frameset", "form", "textarea", "select", "button",
    "object", "embed", "applet", "svg", "math", "template", "noscript", "noembed", "audio",
    "video", "canvas", "title", "head", "option", "datalist", "map",
})
# Lazy-loading scripts keep an image's real address in a data- attribute (src holds a
# placeholder); only http(s) addresses are ever taken from them.
LAZY_SOURCES = ("data-src", "data-lazy-src", "data-original")
ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt", "width", "height", *LAZY_SOURCES},
              "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_CONTAINERS = frozenset({
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "figure",
    "figcaption", "dl", "dt", "dd", "address", "details", "summary", "center", "body",
})
_HEADINGS = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}
_BLOCKS = _CONTAINERS | set(_HEADINGS) | {"ul", "ol", "li", "blockquote", "pre", "table",
                                           "hr", "caption", "thead", "tbody", "tfoot", "tr"}
_EM = frozenset({"em", "i", "cite", "dfn", "var"})
_STRONG = frozenset({"strong", "b"})
_CODE = frozenset({"code", "kbd", "samp", "tt"})
# A tracking pixel: an image declared this small (or smaller) is dropped.
_PIXEL = 2
MAX_LIST_START = 10**9
# The start of a tag, comment or declaration; a blank line (see _paragraphs_marked).
_MARKUP = re.compile(r"<[A-Za-z/!?]")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def _paragraphs_marked(html: str) -> str:
    """Text without any markup, its paragraphs marked. RSS fields are HTML (feedparser calls
    the plain-text media:description of YouTube's feeds HTML too), where blank lines mean
    nothing; but text with no tags at all is plain text, whose blank lines part paragraphs."""
    if _MARKUP.search(html) or not _BLANK_LINE.search(html):
        return html
    return "".join(f"<p>{part}</p>" for part in _BLANK_LINE.split(html.strip()) if part.strip())


# Embedded players and frames are removed (they would load from other hosts); a note takes
# their place, so readers know the original has more and a section is never left empty.
_EMBEDDED = re.compile(r"<(?:iframe|video|audio|embed|object)\b", re.IGNORECASE)
_EMBEDDED_SELECTOR = "iframe, video, audio, embed, object"
EMBED_NOTE = "(A video or other embedded media of the original is not shown here.)"


def _embeds_noted(html: str) -> str:
    """The HTML with each embedded player or frame replaced by EMBED_NOTE (as text)."""
    if not _EMBEDDED.search(html):
        return html  # the common case costs one search, no parse
    tree = LexborHTMLParser(html)
    body = tree.body
    if body is None:
        return html
    # One at a time, outermost first: an <embed> inside an <object> goes with it.
    while (node := body.css_first(_EMBEDDED_SELECTOR)) is not None:
        node.replace_with(f" {EMBED_NOTE} ")
    return body.inner_html or ""


def sanitise(html: str) -> str:
    """The item's HTML with everything outside the allowlist removed."""
    return nh3.clean(
        CONTROL.sub("", _paragraphs_marked(_embeds_noted(html))),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def resolve_url(url: str, base: str) -> str:
    """`url` made absolute against `base`; "" when it cannot be (or is not http(s)/mailto)."""
    url = url.strip()
    if not url or url.startswith("#"):
        return ""  # a fragment of the original page: its anchors are not on ours
    try:
        absolute = urljoin(base, url) if base else url
        parts = urlsplit(absolute)
    except ValueError:
        return ""
    if parts.scheme.lower() not in URL_SCHEMES:
        return ""
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return ""
    return absolute


def _text(node: LexborNode) -> str:
    return CONTROL.sub("", node.text_content or "")


def _code_text(node: LexborNode) -> str:
    """The text of code as written: a `<br>` inside it is a line break (editors such as
    Blogger's write code lines that way), which `text(deep=True)` would drop."""
    parts: list[str] = []
    for part in node.traverse(include_text=True):
        if part.tag == "-text":
            parts.append(part.text_content or "")
        elif part.tag == "br":
            parts.append("\n")
    return CONTROL.sub("", "".join(parts).replace("\r\n", "\n"))


class _Mapper:
    """Walks a sanitised tree; images met inside text are moved after the block holding them."""

    def __init__(self, base: str, line: int) -> None:
        self.base = base
        self.line = line

    # -- blocks ---------------------------------------------------------------------------

    def container(self, node: LexborNode, in_quote: bool = False) -> list[Block]:
        blocks: list[Block] = []
        runs: list[Inline] = []
        images: list[Block] = []

        def flush() -> None:
            if not runs and not images:
                return
            paragraph = self.paragraph(runs)
            if paragraph is not None:
                blocks.append(paragraph)
            blocks.extend(images)
            runs.clear()
            images.clear()

        for child in node.iter(include_text=True):
            tag = child.tag or ""
            if tag == "-text":
                runs.append(Inline("text", _text(child)))
            elif tag in _BLOCKS:
                flush()
                blocks.extend(self.block(child, tag, in_quote))
            elif child.is_element_node:  # phrasing content, images included
                runs.extend(self.inline(child, images))
        flush()
        return blocks

    def paragraph(self, runs: list[Inline]) -> Block | None:
        text = inline_text(tuple(runs))
        if not text:
            return None
        return Block("paragraph", text, self.line, runs=tuple(runs))

    def block(self, node: LexborNode, tag: str, in_quote: bool) -> list[Block]:
        images: list[Block] = []
        if tag in _HEADINGS:
            runs = tuple(self.inline_children(node, images))
            text = inline_text(runs)
            if not text:
                return images
            if in_quote:  # a quote holds no sections of the article
                return [Block("paragraph", text, self.line, runs=runs), *images]
            return [Block("heading", text, self.line, level=_HEADINGS[tag], runs=runs), *images]
        if tag in ("ul", "ol"):
            block = self.list_block(node, tag == "ol", images)
            return [block, *images] if block is not None else images
        if tag == "blockquote":
            children = tuple(self.container(node, in_quote=True))
            return [Block("quote", "", self.line, children=children)] if children else []
        if tag == "pre":
            text = _code_text(node).rstrip()
            return [Block("code", text, self.line)] if text.strip() else []
        if tag == "table":
            return self.table(node)
        if tag == "hr":
            return []
        return self.container(node, in_quote)  # generic containers, stray li/tr/caption

    def list_block(self, node: LexborNode, ordered: bool, images: list[Block]) -> Block | None:
        entries: list[ListItem] = []
        for child in node.iter(include_text=True):
            tag = child.tag or ""
            if tag == "-text":
                if _text(child).strip():
                    loose: tuple[Inline, ...] = (Inline("text", _text(child)),)
                    entries.append(ListItem(inline_text(loose), loose))
                continue
            if tag in ("ul", "ol"):  # a list straight inside a list: its items join this one
                nested = self.list_block(child, tag == "ol", images)
                if nested is not None:
                    entries.extend(nested.entries)
                continue
            runs_list: list[Inline] = []
            nested_blocks: list[Block] = []
            sources = child.iter(include_text=True) if tag == "li" else iter([child])
            for part in sources:
                part_tag = part.tag or ""
                if part_tag in ("ul", "ol"):
                    nested = self.list_block(part, part_tag == "ol", images)
                    if nested is not None:
                        nested_blocks.append(nested)
                    continue
                if part_tag == "-text":
                    runs = [Inline("text", _text(part))]
                elif part.is_element_node:
                    runs = self.inline(part, images)
                else:
                    continue
                if nested_blocks and inline_text(tuple(runs)):
                    # Text after a nested list: an item of its own keeps the reading order.
                    self._add_entry(entries, runs_list, nested_blocks)
                    runs_list, nested_blocks = [], []
                runs_list.extend(runs)
            self._add_entry(entries, runs_list, nested_blocks)
        if not entries:
            return None
        start = 1
        if ordered:
            try:
                start = int((node.attributes.get("start") or "1").strip())
            except ValueError:
                start = 1
            if not 0 <= start <= MAX_LIST_START:
                start = 1
        return Block("list", "", self.line, tuple(e.text for e in entries), ordered,
                     start=start, entries=tuple(entries))

    @staticmethod
    def _add_entry(entries: list[ListItem], runs_list: list[Inline],
                   nested_blocks: list[Block]) -> None:
        runs = tuple(runs_list)
        text = inline_text(runs)
        if text:
            entries.append(ListItem(text, runs, tuple(nested_blocks)))
        else:  # an item with no text of its own: its nested items take its place
            for nested in nested_blocks:
                entries.extend(nested.entries)

    def table(self, node: LexborNode) -> list[Block]:
        images: list[Block] = []
        caption: list[Block] = []
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        stack = [c for c in node.iter() if c.tag in ("caption", "thead", "tbody", "tfoot", "tr")]
        for part in stack:
            if part.tag == "caption":
                caption.extend(self.container(part))
                continue
            trs = [part] if part.tag == "tr" else [r for r in part.iter() if r.tag == "tr"]
            for tr in trs:
                cells = tuple(
                    tuple(self.inline_children(cell, images))
                    for cell in tr.iter() if cell.tag in ("td", "th")
                )
                if cells:
                    rows.append(cells)
        if not any(inline_text(cell) for row in rows for cell in row):
            return [*caption, *images]
        text = " ".join(inline_text(cell) for row in rows for cell in row)
        return [*caption, Block("table", text, self.line, rows=tuple(rows)), *images]

    def image(self, node: LexborNode) -> list[Block]:
        attributes = node.attributes
        for size in (attributes.get("width"), attributes.get("height")):
            try:
                if size is not None and float(size.strip().removesuffix("px")) <= _PIXEL:
                    return []  # a tracking pixel
            except ValueError:
                pass
        src = resolve_url(attributes.get("src") or "", self.base)
        for lazy in LAZY_SOURCES:
            src = src or resolve_url(attributes.get(lazy) or "", self.base)
        if not src or src.lower().startswith("mailto:"):
            return []
        alt = " ".join(CONTROL.sub("", attributes.get("alt") or "").split())
        return [Block("image", alt, self.line, href=src)]

    # -- inline ---------------------------------------------------------------------------

    def inline_children(self, node: LexborNode, images: list[Block]) -> list[Inline]:
        runs: list[Inline] = []
        for child in node.iter(include_text=True):
            tag = child.tag or ""
            if tag == "-text":
                runs.append(Inline("text", _text(child)))
            elif child.is_element_node:
                runs.extend(self.inline(child, images))
        return runs

    def inline(self, node: LexborNode, images: list[Block]) -> list[Inline]:
        tag = node.tag or ""
        if tag == "br":
            return [Inline("break")]
        if tag == "img":
            images.extend(self.image(node))
            return []
        if tag in _CODE:
            return [Inline("code", _code_text(node))]
        if tag == "pre":
            return [Inline("text", " "), Inline("code", _code_text(node)),
                    Inline("text", " ")]
        children = tuple(self.inline_children(node, images))
        if tag in _EM:
            return [Inline("em", children=children)]
        if tag in _STRONG:
            return [Inline("strong", children=children)]
        if tag == "a":
            written = (node.attributes.get("href") or "").strip()
            href = resolve_url(written, self.base)
            # A link to the publisher's own computer (localhost): no reader can follow it, so
            # its text stays and the link goes. (Images there are fetched like any other.)
            if href and not local_place(href):
                return [Inline("link", href=href, children=children)]
            if written.startswith("#") and not any(
                    c.isalnum() for c in inline_text(children)):
                return []  # a heading's permalink ("¶", "#", "§"): an anchor of the original
            return list(children)
        if tag in _BLOCKS:  # a block inside text (a list item's paragraphs): keep words apart
            return [Inline("text", " "), *children, Inline("text", " ")]
        return list(children)


# Marks the wrapper of each item's HTML when many are parsed as one document; sanitising has
# removed every attribute but a few URL ones, so no item can forge it.
_WRAPPER = "data-feedsite-item"


def parse_sanitised(fragments: Sequence[str]) -> list[LexborNode] | None:
    """Sanitised fragments parsed as one document, each under its own wrapper, in order.

    Creating a lexbor document costs more than parsing a typical item, so a feed's items are
    parsed together. Sanitised HTML is a balanced tree, so nothing leaves its wrapper; if the
    wrappers still do not come out one per fragment, None (the caller parses one by one).
    """
    if not fragments:
        return []
    joined = "".join(f'<div {_WRAPPER}="{n}">{f}</div>' for n, f in enumerate(fragments))
    body = LexborHTMLParser(f"<body>{joined}</body>").body
    wrappers = list(body.iter()) if body is not None else []
    if len(wrappers) != len(fragments) or any(
            w.attributes.get(_WRAPPER) != str(n) for n, w in enumerate(wrappers)):
        return None
    return wrappers


def blocks_of(node: LexborNode, base: str, line: int) -> tuple[Block, ...]:
    """The blocks of one parsed item; `base` (the item's link) resolves relative URLs.

    Raises RecursionError for markup nested too deeply to walk.
    """
    return _no_skipped_levels(_Mapper(base, line).container(node))


def html_blocks(html: str, base: str, line: int) -> tuple[Block, ...]:
    """The blocks of an item's HTML content (sanitised here); see `blocks_of`."""
    clean = sanitise(html)
    if not clean.strip():
        return ()
    nodes = parse_sanitised([clean])
    if nodes is None:
        body = LexborHTMLParser(f"<body>{clean}</body>").body
        return blocks_of(body, base, line) if body is not None else ()
    return blocks_of(nodes[0], base, line)


def _no_skipped_levels(blocks: list[Block]) -> tuple[Block, ...]:
    """Headings that never go more than one level deeper than the one before (the page's
    title is level 1), as an outline needs: an item that starts with h3 starts at h2."""
    previous = 1
    fixed: list[Block] = []
    for block in blocks:
        if block.kind == "heading":
            level = min(block.level, previous + 1)
            if level != block.level:
                block = dataclasses.replace(block, level=level)
            previous = level
        fixed.append(block)
    return tuple(fixed)
