"""Render the marked-up blocks of feed documents (inline runs, nested lists, quotes, code,
tables, images) as Markdown, through the same escaping as plain text.

Text always goes through `escape.py`, so no character of an item is ever read as Markdown or
HTML. Emphasis, strong and inline code are written as the bare tags `<em>`, `<strong>` and
`<code>` generated here (never copied from the item): Python-Markdown's `*`/`_` rules depend on
the neighbouring characters and whitespace, while a tag means the same thing everywhere and
its content stays escaped text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote

from feedsite.importer.escape import escape_inline, escape_start
from feedsite.importer.models import Block, Inline

# Python-Markdown joins a list to the list right before it (even an ordered one to a bullet
# list, turning both into one loose list); an HTML comment between them keeps them apart.
LIST_SEPARATOR = "<!-- -->"
# The class of the link that stands in for an image that is not stored on this site.
REMOTE_IMAGE_CLASS = "feedsite-remote-image"
_SPACE = re.compile(r"\s+")
# URL characters kept as they are inside `(...)`; everything else is percent-encoded, so
# nothing in a URL can end the link, start a code span or split a table cell.
_URL_SAFE = "/:?#@!$&'*+,;=%~-._"
_TAGS = {"em": "em", "strong": "strong"}


@dataclass(frozen=True)
class LocalTargets:
    """Where a document's links and images point on this site: URL -> page-relative path."""

    pages: Mapping[str, str] = field(default_factory=dict)  # other items' pages: "x.md"
    media: Mapping[str, str] = field(default_factory=dict)  # stored images: "media/ab.png"

    @cached_property
    def fingerprint(self) -> str:
        """A short digest of both maps: one document's articles share one LocalTargets, so
        this is worked out once per document, not once per article (serve's render memo)."""
        text = repr((sorted(self.pages.items()), sorted(self.media.items())))
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def markdown_url(url: str) -> str:
    """`url` made safe inside a Markdown link's parentheses."""
    return quote(url, safe=_URL_SAFE)


def page_link(url: str, local: LocalTargets) -> str:
    """A link's target: another item's page when it is one, else the URL itself."""
    return local.pages.get(url.split("#", 1)[0]) or markdown_url(url)


class _Runs:
    """Renders inline runs to one line of Markdown, tracking whether text starts the block."""

    def __init__(self, local: LocalTargets) -> None:
        self.local = local
        self.parts: list[str] = []
        self.at_start = True

    def render(self, runs: tuple[Inline, ...], in_link: bool = False) -> None:
        for run in runs:
            if run.kind == "text":
                self._text(run.text)
            elif run.kind == "break":
                if not self.at_start:
                    self.parts.append("<br> ")
            elif run.kind == "code":
                text = " ".join(run.text.split())
                if text:
                    self.parts.append(f"<code>{escape_inline(text)}</code>")
                    self.at_start = False
            elif run.kind == "link" and not in_link:
                self._link(run)
            elif run.kind in _TAGS:
                inner = _Runs(self.local)
                inner.at_start = False
                inner.render(run.children, in_link)
                text = "".join(inner.parts)
                if text.strip():
                    tag = _TAGS[run.kind]
                    lead = " " if text[0] == " " and not self.at_start else ""
                    tail = " " if text[-1] == " " else ""
                    self.parts.append(f"{lead}<{tag}>{text.strip()}</{tag}>{tail}")
                    self.at_start = False
                elif text and not self.at_start:
                    self.parts.append(" ")
            else:  # a link inside a link: its text only
                self.render(run.children, in_link)

    def _text(self, text: str) -> None:
        text = _SPACE.sub(" ", text)
        if self.at_start:
            text = text.lstrip()
            if not text:
                return
            self.parts.append(escape_start(text))
            self.at_start = False
        else:
            self.parts.append(escape_inline(text))

    def _link(self, run: Inline) -> None:
        inner = _Runs(self.local)
        inner.at_start = False
        inner.render(run.children, in_link=True)
        text = "".join(inner.parts)
        if not text.strip():
            if text and not self.at_start:
                self.parts.append(" ")
            return
        lead = " " if text[0] == " " and not self.at_start else ""
        tail = " " if text[-1] == " " else ""
        target = page_link(run.href, self.local)
        self.parts.append(f"{lead}[{text.strip()}]({target}){tail}")
        self.at_start = False


def render_runs(runs: tuple[Inline, ...], local: LocalTargets) -> str:
    """Inline runs as one line of escaped Markdown, trimmed."""
    if all(run.kind == "text" for run in runs):  # most paragraphs: text without markup
        return escape_start(" ".join("".join(run.text for run in runs).split()))
    renderer = _Runs(local)
    renderer.render(runs)
    return "".join(renderer.parts).strip()


def numbered_from_elsewhere(block: Block) -> bool:
    """Whether a list or quote holds an ordered list that starts at another number than 1:
    Python-Markdown numbers every Markdown list from 1, so such a list is written as HTML."""
    if block.kind == "list":
        return (block.ordered and block.start != 1) or any(
            numbered_from_elsewhere(nested) for entry in block.entries for nested in entry.blocks)
    if block.kind == "quote":
        return any(numbered_from_elsewhere(child) for child in block.children)
    return False


def _render_html_list(block: Block, local: LocalTargets) -> list[str]:
    """A list written with md_in_html, so its own start number holds; an item with nested
    lists holds them as Markdown blocks. The tags are ours; the text stays escaped."""
    tag = "ol" if block.ordered else "ul"
    start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
    lines = [f'<{tag}{start} markdown="1">']
    for entry in block.entries:
        text = render_runs(entry.runs, local)
        if not entry.blocks:
            lines.append(f'<li markdown="span">{text}</li>')
            continue
        lines += ['<li markdown="block">', text]
        for nested in entry.blocks:
            lines += ["", *_render_list(nested, local)]
        lines += ["", "</li>"]
    lines.append(f"</{tag}>")
    return lines


def _render_list(block: Block, local: LocalTargets, indent: str = "") -> list[str]:
    if not indent and numbered_from_elsewhere(block):
        return _render_html_list(block, local)
    lines: list[str] = []
    for number, entry in enumerate(block.entries, block.start):
        marker = f"{number}." if block.ordered else "-"
        lines.append(f"{indent}{marker} {render_runs(entry.runs, local)}")
        for nested in entry.blocks:
            lines.extend(_render_list(nested, local, indent + "    "))
    return lines


def _render_quote(block: Block, local: LocalTargets) -> str:
    rendered = [render_markup_block(child, local) for child in block.children]
    inner = join_blocks(rendered, [child.kind == "list" for child in block.children])
    if numbered_from_elsewhere(block):
        # A list numbered from elsewhere is HTML, which a `>` quote would show as text.
        return f'<blockquote markdown="1">\n{inner}\n</blockquote>'
    return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))


def _render_code(text: str) -> str:
    longest = max((len(m) for m in re.findall("`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{text}\n{fence}"


def _render_table(block: Block, local: LocalTargets) -> str:
    width = max(len(row) for row in block.rows)
    lines = []
    for index, row in enumerate(block.rows):
        cells = [render_runs(cell, local) for cell in row]
        cells += [""] * (width - len(cells))
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            lines.append("|" + " --- |" * width)
    return "\n".join(lines)


def _render_image(block: Block, local: LocalTargets) -> str:
    stored = local.media.get(block.href)
    if stored is not None:
        return f"![{escape_inline(block.text)}]({markdown_url(stored)})"
    label = f"Image: {block.text}" if block.text else "Image"
    return (f"[{escape_inline(label)}]({markdown_url(block.href)})"
            f"{{: .{REMOTE_IMAGE_CLASS} }}")


def render_markup_block(block: Block, local: LocalTargets) -> str:
    """One block of a feed document's item as Markdown."""
    if block.kind == "heading":
        return "#" * block.level + " " + render_runs(block.runs, local)
    if block.kind == "list":
        return "\n".join(_render_list(block, local))
    if block.kind == "quote":
        return _render_quote(block, local)
    if block.kind == "code":
        return _render_code(block.text)
    if block.kind == "table":
        return _render_table(block, local)
    if block.kind == "image":
        return _render_image(block, local)
    return render_runs(block.runs, local)


def join_blocks(rendered: list[str], is_list: list[bool]) -> str:
    """Blocks separated by blank lines, with a comment between two lists in a row."""
    parts: list[str] = []
    for index, text in enumerate(rendered):
        if index and is_list[index] and is_list[index - 1]:
            parts.append(LIST_SEPARATOR)
        parts.append(text)
    return "\n\n".join(parts)
