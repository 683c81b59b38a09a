"""Read Markdown sources with a real Markdown parser (markdown-it-py token line maps) to find
where each link and heading is written, plus the page's YAML front matter with key lines."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import yaml

from feedsite.check.load import URL_ATTRS, element_links
from feedsite.check.md_in_html import MarkdownInHtml
from feedsite.check.positions import attrs_first
from feedsite.importer.frontmatter import read_dumped

_ATTR_LIST = re.compile(r"\s*\{:?[^{}]*\}\s*$")  # attr_list's trailing "{#id .class}"
_SPACE = re.compile(r"\s+")
# The start of a link reference definition line, up to its URL: "[label]: <".
_REFERENCE = re.compile(r" {0,3}\[[^\]]+\]:\s*<?")


@dataclass(frozen=True)
class MdLink:
    """A link or image URL as written in the Markdown, with its 1-based line and column."""

    url: str
    line: int
    column: int


@dataclass(frozen=True)
class MdHeading:
    level: int
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class MarkdownSource:
    """What the checker needs from one docs/*.md file."""

    path: str  # docs-relative
    links: tuple[MdLink, ...]
    headings: tuple[MdHeading, ...]
    meta: dict[str, Any] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)  # key -> line in the file
    meta_error: str = ""  # a YAML problem, already phrased for the author
    meta_error_line: int = 1


if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from feedsite.check.workers import Workers

_PARSERS: list[MarkdownIt] = []


def _parser() -> MarkdownIt:
    """markdown-it is imported on first use: only pages with findings are mapped to Markdown."""
    if not _PARSERS:
        from markdown_it import MarkdownIt

        parser = MarkdownIt("commonmark").enable("table")
        # markdown-it drops links it deems unsafe (javascript:, vbscript:, file:, most data:)
        # from its tokens; Python-Markdown keeps them, so accept every link to see them all.
        parser.validateLink = _any_link  # type: ignore[method-assign]
        _PARSERS.append(parser)
    return _PARSERS[0]


# Below this many files a side process costs more than it saves.
_POOL_THRESHOLD = 8


def parse_sources(
    docs_dir: Path, docs: list[str], workers: Workers | None
) -> list[tuple[str, MarkdownSource | None]]:
    """Read and parse many Markdown files (None for unreadable ones), sharing them with the
    side processes (Workers.share_out)."""
    if workers is None or len(docs) < _POOL_THRESHOLD:
        return [(doc, _read_source(docs_dir, doc)) for doc in docs]
    return list(zip(docs, workers.share_out(partial(_read_source, docs_dir), docs), strict=True))


def _read_source(docs_dir: Path, doc: str) -> MarkdownSource | None:
    try:
        text = (docs_dir / doc).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    return read_markdown(doc, text)


def _any_link(url: str) -> bool:
    return True


def read_markdown(path: str, text: str) -> MarkdownSource:
    """Parse one Markdown file (front matter, then body) into links and headings with lines."""
    meta, meta_lines, (meta_error, error_line), body_start = _front_matter(text)
    lines = text.split("\n")
    body = "\n".join(lines[body_start:])
    env: dict[str, Any] = {}  # the reference definitions, for links inside md_in_html
    tokens = _parser().parse(body, env)
    links: list[MdLink] = []
    headings: list[MdHeading] = []
    regions = MarkdownInHtml()
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        first = token.map[0] + body_start
        block_lines = lines[first : token.map[1] + body_start]
        if token.type == "inline":
            urls = [u for child in token.children or () for u in _child_urls(child)]
            links.extend(_locate(urls, block_lines, first, text=lines))
            previous = tokens[index - 1] if index else None
            if previous is not None and previous.type == "heading_open":
                plain = _plain_text(token)
                headings.append(
                    MdHeading(int(previous.tag[1]), plain, first + 1, _indent(lines[first]) + 1)
                )
        elif token.type == "html_block":
            found = _raw_html_links(block_lines, first)
            markdown = regions.markdown_text("\n".join(block_lines))
            if markdown is not None:
                markdown_links = _inline_links(markdown, first, lines, env)
                found = _in_block_order(found, markdown_links, first, len(block_lines))
            links.extend(found)
    return MarkdownSource(
        path, tuple(links), tuple(headings), meta, meta_lines, meta_error, error_line
    )


def _inline_links(markdown: str, first: int, lines: list[str], env: dict[str, Any]) -> list[MdLink]:
    """Links of the Markdown md_in_html parses inside a raw HTML block; `markdown` is the
    block with all else blanked out, so a URL found in it is where the file has it."""
    tokens = _parser().parseInline(markdown, env)
    urls = [u for token in tokens for child in token.children or () for u in _child_urls(child)]
    return _locate(urls, markdown.split("\n"), first, text=lines) if urls else []


def _in_block_order(
    raw: list[MdLink], markdown: list[MdLink], first: int, count: int
) -> list[MdLink]:
    """Raw HTML and Markdown links of the block of `count` lines from 0-based line `first`,
    merged in the order they are written. A reference link, found at its definition
    elsewhere, keeps its place after the Markdown link before it."""
    spot = (first + 1, 0)
    merged = [((link.line, link.column), 0, link) for link in raw]
    for link in markdown:
        if first < link.line <= first + count:
            spot = (link.line, link.column)
        merged.append((spot, 1, link))
    merged.sort(key=lambda entry: entry[:2])  # stable: equal spots keep their order
    return [entry[2] for entry in merged]


def _child_urls(child: Token) -> list[str]:
    if child.type == "link_open":
        return [str(child.attrs.get("href", ""))]
    if child.type == "image":
        return [str(child.attrs.get("src", ""))]
    if child.type == "html_inline":
        return [spot[0] for spot in _html_urls(child.content)]
    return []


def _locate(urls: list[str], block: list[str], first: int, text: list[str]) -> list[MdLink]:
    """Find each URL in the block's own text, in order; reference links fall back to the
    definition line elsewhere in the file, and failing that to the block's first line.

    The URL recorded is the text found in the file: what the author wrote, not markdown-it's
    percent-encoded form.
    """
    joined = "\n".join(block)
    cursor = 0
    found: list[MdLink] = []
    for url in urls:
        spot, written = _find(joined, url, cursor)
        if spot >= 0:
            cursor = spot + 1
            line = joined.count("\n", 0, spot)
            column = spot - (joined.rfind("\n", 0, spot) + 1)
            found.append(MdLink(written, first + line + 1, column + 1))
            continue
        definition = _definition(text, url)
        if definition is not None:
            found.append(definition)
        else:
            found.append(MdLink(url, first + 1, _indent(block[0]) + 1 if block else 1))
    return found


def _definition(lines: list[str], url: str) -> MdLink | None:
    """The `[label]: url` line that defines a reference link's URL."""
    for number, line in enumerate(lines):
        match = _REFERENCE.match(line)
        if match is None:
            continue
        spot, written = _find(line, url, match.end())
        if spot == match.end():
            return MdLink(written, number + 1, spot + 1)
    return None


def _find(text: str, url: str, start: int) -> tuple[int, str]:
    if not url:  # `[x]()` or `![x]()`: the spot is the empty parentheses' inside
        spot = text.find("]()", start)
        return (spot + 2 if spot >= 0 else -1), url
    # markdown-it percent-encodes URLs; authors usually wrote them decoded or entity-escaped.
    for candidate in dict.fromkeys((url, unquote(url), html.escape(url, quote=False))):
        if candidate:
            spot = text.find(candidate, start)
            if spot >= 0:
                return spot, candidate
    return -1, url


def _raw_html_links(block: list[str], first: int) -> list[MdLink]:
    return [MdLink(url, first + line, column) for url, line, column in _html_urls("\n".join(block))]


class _UrlCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        if tag in URL_ATTRS:  # the same URLs the loader takes from the built page
            for link in element_links(tag, attrs_first(attrs)):
                self.urls.append((link.url, line, column + 1))


def _html_urls(fragment: str) -> list[tuple[str, int, int]]:
    collector = _UrlCollector()
    collector.feed(fragment)
    collector.close()
    return collector.urls


def _plain_text(token: Token) -> str:
    parts = [
        child.content for child in token.children or () if child.type in ("text", "code_inline")
    ]
    return _SPACE.sub(" ", _ATTR_LIST.sub("", "".join(parts))).strip()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _front_matter(
    text: str,
) -> tuple[dict[str, Any], dict[str, int], tuple[str, int], int]:
    """YAML front matter as MkDocs reads it: a `---` first line up to `---` or `...`."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return {}, {}, ("", 1), 0
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        return {}, {}, ("", 1), 0
    block = "\n".join(lines[1:end])
    direct = read_dumped(block)
    if direct is not None:  # the importer's own front matter: one key a line, nested indented
        key_lines = {
            line.partition(":")[0]: number
            for number, line in enumerate(lines[1:end], start=2)
            if line[:1] != " "
        }
        return direct, key_lines, ("", 1), end + 1
    try:
        node = yaml.compose(block, Loader=yaml.SafeLoader)
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        return {}, {}, (f"invalid YAML front matter: {problem}", line), end + 1
    except ValueError as exc:  # a date such as 2024-02-30, which PyYAML cannot make
        return {}, {}, (f"invalid YAML front matter: {exc}", 2), end + 1
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return {}, {}, ("front matter is not a mapping of keys to values", 2), end + 1
    key_lines = {
        str(key.value): key.start_mark.line + 2
        for key, _value in node.value
        if isinstance(key, yaml.ScalarNode)
    }
    return data, key_lines, ("", 1), end + 1


# A backslash escape of ASCII punctuation, as CommonMark reads it.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape_markdown(text: str) -> str:
    """`text` with Markdown's backslash escapes undone ("a\\_b" is "a_b")."""
    return _ESCAPED.sub(r"\1", text) if "\\" in text else text


def resolve_in_docs(doc: str, url: str) -> tuple[str, str | None] | None:
    """Where a relative Markdown URL points in docs space: (docs-relative path, fragment).

    None for URLs with a scheme, absolute paths, or paths climbing out of docs.
    """
    if not url or re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", url) or url.startswith("/"):
        return None
    without_fragment, hash_sign, fragment = url.partition("#")
    path = unquote(without_fragment.split("?", 1)[0])
    if not path:
        return doc, (unquote(fragment) if hash_sign else None)
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(doc), path))
    if joined.startswith("..") or joined.startswith("/"):
        return None
    if path.endswith("/"):
        joined += "/"
    return joined, (unquote(fragment) if hash_sign else None)
