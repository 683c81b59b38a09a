"""Find the HTML line and column of a page's content links, headings and ids.

The loader reads pages with a fast C parser that knows no positions; this position-aware pass
(stdlib html.parser, which reports line and offset) runs only for pages with findings.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from feedsite.check.load import URL_ATTRS, element_links, is_dialog
from feedsite.check.models import Positions

# Where the content area starts, most specific first: Material's article, <main>, the MkDocs
# theme's <div role="main">, then <body>. Mirrors load.content_node.
_CONTENT_STARTS = (
    ("article", re.compile(r"<article\b[^>]*?\bmd-content__inner\b", re.IGNORECASE)),
    ("main", re.compile(r"<main\b", re.IGNORECASE)),
    ("div", re.compile(r"<div\b[^>]*?\brole\s*=\s*[\"']?main\b", re.IGNORECASE)),
    ("body", re.compile(r"<body\b", re.IGNORECASE)),
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_ASSET_TAGS = frozenset(tag for tag in URL_ATTRS if tag not in ("a", "area"))
_SPACE = re.compile(r"\s+")
_CHUNK = 16384


def _content_start(text: str) -> tuple[str, int]:
    for tag, pattern in _CONTENT_STARTS:
        match = pattern.search(text)
        if match:
            return tag, match.start()
    return "", 0


def find_positions(text: str) -> Positions:
    """Positions of everything the loader extracts from the content area of `text`."""
    root_tag, start = _content_start(text)
    parser = _PositionParser(root_tag, text, start)
    parser.run()
    return Positions(
        content_line=parser.line_offset + 1,
        links=tuple(parser.links),
        headings=tuple(parser.headings),
        ids=tuple(parser.ids),
    )


class _PositionParser(HTMLParser):
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
        # The open dialog (load.py leaves dialogs out of the outline): its tag, and how many
        # elements of that tag are open inside it, itself included.
        self.dialog_tag = ""
        self.dialog_depth = 0
        self.links: list[tuple[str, int, int]] = []
        self.ids: list[tuple[str, int, int]] = []
        self.headings: list[tuple[str, int, int]] = []
        self._heading: tuple[str, int, int] | None = None
        self._heading_text: list[str] = []

    def run(self) -> None:
        for offset in range(self.start, len(self.text), _CHUNK):
            self.feed(self.text[offset : offset + _CHUNK])
            if self.done:
                return
        self.close()
        self._end_heading()

    def _where(self) -> tuple[int, int]:
        line, offset = self.getpos()
        column = offset + self.first_column if line == 1 else offset
        return line + self.line_offset, column + 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == self.root_tag:
            self.depth += 1
        attributes = attrs_first(attrs)
        line, column = self._where()
        element_id = attributes.get("id") or (attributes.get("name") if tag == "a" else "")
        if element_id:
            self.ids.append((element_id, line, column))
        if tag in ("pre", "code"):
            self.code_depth += 1
        elif tag in URL_ATTRS and not self.code_depth:
            for link in element_links(tag, attributes):
                self.links.append((link.url, line, column))
        if self.dialog_depth:
            self.dialog_depth += tag == self.dialog_tag
            return
        if is_dialog(tag, attributes):
            self.dialog_tag, self.dialog_depth = tag, 1
        elif tag in _HEADINGS and self._heading is None:
            self._heading = (tag, line, column)
            self._heading_text = []

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        if self.dialog_depth and tag == self.dialog_tag:
            self.dialog_depth -= 1
        if tag in ("pre", "code") and self.code_depth:
            self.code_depth -= 1
        if self._heading is not None and tag == self._heading[0]:
            self._end_heading()
        if tag == self.root_tag:
            self.depth -= 1
            if self.depth <= 0:
                self._end_heading()
                self.done = True

    def handle_data(self, data: str) -> None:
        if self._heading is not None and not self.done:
            self._heading_text.append(data)

    def _end_heading(self) -> None:
        if self._heading is None:
            return
        _tag, line, column = self._heading
        text = _SPACE.sub(" ", "".join(self._heading_text)).strip()
        self.headings.append((text, line, column))
        self._heading = None


def attrs_first(attrs: list[tuple[str, str | None]]) -> dict[str, str | None]:
    """Attributes as a mapping; browsers keep the first of duplicated attributes."""
    attributes: dict[str, str | None] = {}
    for name, value in attrs:
        attributes.setdefault(name, value)
    return attributes


def find_asset_positions(text: str, anchors: bool = False) -> tuple[tuple[str, int, int], ...]:
    """(url, line, column) of the assets outside the content area, in document order, as
    `Page.assets` lists them; with `anchors`, of its <a> and <area> links instead, as
    `Page.template_links` lists them."""
    root_tag, start = _content_start(text)
    if not root_tag:
        return ()  # the whole document is the content area
    parser = _AssetParser(root_tag, start, text)
    parser.feed(text)
    parser.close()
    return tuple(parser.anchors if anchors else parser.assets)


class _AssetParser(HTMLParser):
    """Collects asset URLs of the whole document, skipping the content area's element."""

    def __init__(self, root_tag: str, start: int, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root_tag = root_tag
        line = text.count("\n", 0, start) + 1
        self.root_at = (line, start - (text.rfind("\n", 0, start) + 1))
        self.depth = 0
        self.assets: list[tuple[str, int, int]] = []
        self.anchors: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        if self.depth or (line, offset) == self.root_at:
            self.depth += tag == self.root_tag
            return
        if tag in _ASSET_TAGS:
            for link in element_links(tag, attrs_first(attrs)):
                self.assets.append((link.url, line, offset + 1))
        elif tag in ("a", "area"):
            for link in element_links(tag, attrs_first(attrs)):
                self.anchors.append((link.url, line, offset + 1))

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == self.root_tag:
            self.depth -= 1
