"""The Markdown text inside raw HTML blocks that Python-Markdown's md_in_html extension parses
(`<ol markdown="1">`, `<li markdown="span">`, ...), so links written there are found in the
Markdown source like any other link.

markdown-it (which maps sources) knows nothing of md_in_html: it reads such an element as a
raw HTML block up to the next blank line. The tracker here follows the elements across those
blocks and blanks out everything that is not Markdown (tags, text of elements without the
attribute), keeping every other character where it was, so positions in the result are
positions in the file.
"""

from __future__ import annotations

import re

# Python-Markdown's block-level elements: only these open or close a md_in_html region.
# fmt: off
_BLOCK_LEVEL = frozenset((
    "address", "article", "aside", "blockquote", "body", "canvas", "colgroup", "dd", "details",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "group", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "iframe", "legend", "li",
    "main", "map", "math", "menu", "nav", "noscript", "object", "ol", "option", "output", "p",
    "pre", "progress", "script", "section", "style", "summary", "table", "tbody", "td",
    "textarea", "tfoot", "th", "thead", "tr", "ul", "video",
))
# fmt: on
# Elements whose content md_in_html never parses, whatever their attribute says.
_RAW = frozenset(("canvas", "math", "option", "pre", "script", "style", "textarea"))
_VOID = frozenset(("hr",))
# `markdown`, `markdown=1`, `markdown="span"`: the values that switch Markdown on.
_ON_VALUES = ("1", "block", "span", "markdown", "")
_TAG = re.compile(
    r"<!--.*?-->"
    r"|<(/?)([A-Za-z][A-Za-z0-9-]*)"
    r"((?:\s+[^\s/>\"'=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*/?>",
    re.DOTALL,
)
_MARKDOWN_ATTR = re.compile(
    r"""(?:^|\s)markdown(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?(?=\s|/|$)""",
    re.IGNORECASE,
)


class MarkdownInHtml:
    """Follows md_in_html elements through a file's raw HTML blocks, in file order."""

    def __init__(self) -> None:
        # Open block-level elements of the current region: (tag, whether Markdown is on).
        self._open: list[tuple[str, bool]] = []

    def markdown_text(self, block: str) -> str | None:
        """`block` with everything that is not md_in_html Markdown made spaces (line breaks
        kept), or None when none of it is."""
        if not self._open and "markdown" not in block.lower():
            return None  # the common raw HTML block: no region is open or opens here
        kept: list[str] = []
        found = False
        position = 0
        for match in _TAG.finditer(block):
            found |= self._keep(block[position : match.start()], kept)
            kept.append(_blank(match.group(0)))
            position = match.end()
            if match.group(2) is not None:
                self._tag(match.group(2).lower(), match.group(1) == "/", match.group(3))
        found |= self._keep(block[position:], kept)
        return "".join(kept) if found else None

    def _keep(self, text: str, kept: list[str]) -> bool:
        on = bool(self._open) and self._open[-1][1]
        kept.append(text if on else _blank(text))
        return on and text.strip() != ""

    def _tag(self, tag: str, closing: bool, attributes: str) -> None:
        if tag not in _BLOCK_LEVEL or tag in _VOID:
            return  # inline tags sit inside the Markdown text and change nothing
        if closing:
            # As md_in_html does: close the element and any unclosed children.
            for index in range(len(self._open) - 1, -1, -1):
                if self._open[index][0] == tag:
                    del self._open[index:]
                    break
            return
        parent_on = self._open[-1][1] if self._open else True
        if not self._open and "markdown" not in attributes.lower():
            return  # plain raw HTML outside any region: Markdown stays off, nothing to follow
        self._open.append((tag, parent_on and tag not in _RAW and _switches_on(attributes)))


def _switches_on(attributes: str) -> bool:
    match = _MARKDOWN_ATTR.search(attributes)
    if match is None:
        return False  # a child without the attribute is raw HTML again
    value = next((group for group in match.groups() if group is not None), "")
    return value.strip().lower() in _ON_VALUES


def _blank(text: str) -> str:
    """Spaces for every character but line breaks, so lines and columns stay put."""
    return re.sub(r"[^\n]", " ", text)
