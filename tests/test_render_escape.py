"""Escaping: Markdown built with mkdocs.yml's own extensions shows every source character as is."""

from __future__ import annotations

from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from feedsite.importer.escape import escape_block, escape_inline
from feedsite.importer.models import Article, Block
from feedsite.importer.render import render_body

REPO = Path(__file__).resolve().parents[1]

# Syntax of Markdown and of the extensions MkDocs projects commonly enable, so hypothesis
# combines them far more often than random unicode would.
MARKDOWNISH = [
    "*", "**", "_", "__", "`", "```", "~~~", "[x](y)", "![i](p.png)", "[x]: /u", "<script>",
    "</script>", "<b>", "<div markdown>", "</div>", "#", "## ", "1986.", "1.", "3)", "|", "\\",
    "\\*", "&amp;", "&", "&#42;", "&copy;", "{#id}", "{: .c}", "{", "}", "    ", "\t", "[^1]",
    "[^1]:", "+", "-", "- ", "+ ", "* ", "<!--", "-->", ":::", "!!!", "!!! note", "???",
    "???+ tip", "==", "~~", "^^", "^", "~", "++ctrl++", ":x:", ":smile:", "--8<--", "---",
    "***", "> ", ">", "<", "<http://a.b>", "http://a.b", "www.a.b", "a@b.c", "$x$", "$$",
    "/// note", "|:-|", "[[x]]", "{{ x }}", "{% x %}", "\u00a0", "\u2028", "\u200b", " ", "  ",
    "é", "日本", "🙂", "\ufeff", "'", '"', "...", "--", "(c)", "<<", ">>", "%",
]
TEXT_CHARS = st.characters(
    blacklist_categories=["Cs"],
    blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13"
    "\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f\ufffe\uffff\n\r",
).filter(lambda c: not 0x80 <= ord(c) <= 0x9F)
PIECES = st.one_of(st.sampled_from(MARKDOWNISH), st.text(TEXT_CHARS, min_size=1, max_size=6))
# A block's text as the parser hands it over: one line, trimmed, not empty.
LINE = st.lists(PIECES, min_size=1, max_size=12).map(lambda ps: "".join(ps).strip()).filter(bool)


@cache
def site_markdown_config() -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The extension list and settings MkDocs itself uses for this project (built-ins included)."""
    config = load_config(str(REPO / "mkdocs.yml"))
    return tuple(config["markdown_extensions"]), dict(config["mdx_configs"])


def to_html(source: str) -> str:
    extensions, configs = site_markdown_config()
    html: str = markdown.Markdown(extensions=list(extensions),
                                  extension_configs=configs).convert(source)
    return html


class _TextAndTags(HTMLParser):
    """Collects the visible text and the tag names, leaving out TOC permalink anchors."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip or ("class", "headerlink") in attrs:
            self._skip += 1
            return
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append("!--")


def text_and_tags(html: str) -> tuple[str, set[str]]:
    parser = _TextAndTags()
    parser.feed(html)
    parser.close()
    return "".join(parser.text), set(parser.tags)


def squash(text: str) -> str:
    return "".join(text.split())


def article(*blocks: Block) -> Article:
    return Article("a.txt", "Title", 1, blocks, "0" * 64)


def test_the_extension_list_comes_from_mkdocs_yml() -> None:
    extensions, _ = site_markdown_config()
    assert "attr_list" in extensions and "tables" in extensions  # mkdocs.yml and a built-in


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=LINE, kind=st.sampled_from(["paragraph", "heading", "list", "ordered"]))
@example(text="1986. was a year", kind="paragraph")
@example(text="&amp; stays &amp;", kind="paragraph")
@example(text="Title {#custom-id}", kind="heading")
@example(text="!!! note", kind="paragraph")
@example(text="??? tip", kind="list")
@example(text="- [ ] task", kind="ordered")
@example(text="| a | b |", kind="paragraph")
@example(text="C# and F#", kind="heading")
def test_every_character_reaches_the_html(text: str, kind: str) -> None:
    if kind in ("list", "ordered"):
        block = Block("list", "", 3, (text, text), kind == "ordered")
        expected = "Title" + text + text
        allowed = {"h1", "ol" if kind == "ordered" else "ul", "li"}
    else:
        block = Block("heading" if kind == "heading" else "paragraph", text, 3)
        expected = "Title" + text
        allowed = {"h1", "h2" if kind == "heading" else "p"}
    shown, tags = text_and_tags(to_html(render_body(article(block))))
    assert squash(shown) == squash(expected)
    assert tags <= allowed  # nothing became markup: no emphasis, links, scripts, code, tables


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["paragraph", "heading", "list"]), LINE),
                min_size=1, max_size=6))
def test_whole_articles_keep_every_block_in_order(parts: list[tuple[str, str]]) -> None:
    blocks = tuple(
        Block("list", "", n, (text,)) if kind == "list"
        else Block("heading" if kind == "heading" else "paragraph", text, n)
        for n, (kind, text) in enumerate(parts, start=3)
    )
    parser = _TextAndTags()
    parser.feed(to_html(render_body(article(*blocks))))
    parser.close()
    assert squash("".join(parser.text)) == squash("Title" + "".join(t for _kind, t in parts))
    # Each block stays its own element: adjacent lists are not merged into one.
    counts = {tag: parser.tags.count(tag) for tag in ("h2", "p", "ul", "li")}
    assert counts == {"h2": sum(k == "heading" for k, _ in parts),
                      "p": sum(k == "paragraph" for k, _ in parts),
                      "ul": sum(k == "list" for k, _ in parts),
                      "li": sum(k == "list" for k, _ in parts)}


@pytest.mark.parametrize(
    ("source", "escaped"),
    [
        ("plain words, stay: plain", "plain words, stay: plain"),
        ("a *b* _c_", "a &#42;b&#42; &#95;c&#95;"),
        ("&amp;", "&#38;amp;"),
        ("x {#id}", "x &#123;&#35;id&#125;"),
        ("see:here", "see&#58;here"),
    ],
)
def test_escape_inline_examples(source: str, escaped: str) -> None:
    assert escape_inline(source) == escaped


@pytest.mark.parametrize(
    ("source", "escaped"),
    [
        ("1986. A year", "1986&#46; A year"),
        ("3) three", "3&#41; three"),
        ("- dash", "&#45; dash"),
        ("+ plus", "&#43; plus"),
        ("!!! note", "&#33;!! note"),
        ("??? tip", "&#63;?? tip"),
        (": term", "&#58; term"),
        ("Normal start", "Normal start"),
    ],
)
def test_escape_block_examples(source: str, escaped: str) -> None:
    assert escape_block(source) == escaped
