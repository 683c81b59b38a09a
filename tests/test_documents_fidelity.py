"""Fidelity of feed documents: every text block of an item's sanitised HTML reaches the built
page in order, character for character modulo whitespace (hypothesis over HTML fragments)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from feedsite.importer.documents import read_document
from feedsite.importer.documents.html_blocks import sanitise
from feedsite.importer.render import render_body
from test_render_escape import MARKDOWNISH, TEXT_CHARS, squash, text_and_tags, to_html

BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "figure",
    "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "hr", "dl", "dt", "dd",
    "address", "details", "summary", "center", "br", "img",
})
ENTITIES = ["&amp;", "&lt;", "&gt;", "&quot;", "&#42;", "&#x5F;", "&nbsp;", "&copy;", "&hellip;",
            "&lt;script&gt;alert(1)&lt;/script&gt;", "&amp;amp;", "&#96;&#96;&#96;"]
WHITESPACE = [" ", "  ", "\n", "\t", "\u00a0", "\r\n", " \n\n  "]
TEXT = st.one_of(
    st.sampled_from(MARKDOWNISH).map(escape),
    st.sampled_from(ENTITIES),
    st.sampled_from(WHITESPACE),
    st.text(TEXT_CHARS, min_size=1, max_size=8).map(escape),
)
INLINE_TAGS = ["em", "strong", "b", "i", "code", "span", "a", "kbd", "sup", "mark"]
BLOCK_CHOICES = ["p", "div", "h1", "h2", "h3", "h4", "h5", "blockquote", "pre", "section"]


def _element(tag: str, children: list[str]) -> str:
    inner = "".join(children)
    if tag == "a":
        return f'<a href="/page?a=1&amp;b=(2)">{inner}</a>'
    if tag in ("ul", "ol"):
        start = ' start="7"' if tag == "ol" and len(children) % 2 else ""
        return f"<{tag}{start}>" + "".join(f"<li>{c}</li>" for c in children) + f"</{tag}>"
    if tag == "table":
        return "<table>" + "".join(f"<tr><td>{c}</td><td>x</td></tr>" for c in children) + \
            "</table>"
    return f"<{tag}>{inner}</{tag}>"


INLINE = st.recursive(
    TEXT,
    lambda inner: st.builds(_element, st.sampled_from(INLINE_TAGS), st.lists(inner, max_size=4)),
    max_leaves=12,
)
EXTRAS = st.sampled_from([
    "<br>", '<img src="pic.png" alt="a *picture*">', "<script>alert(1)</script>",
    '<img src="p.gif" width="1" height="1">', "<hr>", "<!-- a comment -->",
])
FLOW = st.lists(st.one_of(INLINE, EXTRAS), min_size=1, max_size=5)
BLOCK = st.recursive(
    st.builds(_element, st.sampled_from(BLOCK_CHOICES), FLOW),
    lambda inner: st.builds(_element, st.sampled_from(["div", "blockquote", "ul", "ol", "table",
                                                       "li", "section"]),
                            st.lists(st.one_of(inner, INLINE), min_size=1, max_size=3)),
    max_leaves=6,
)
FRAGMENT = st.lists(st.one_of(BLOCK, INLINE), min_size=1, max_size=5).map("".join)


class _TextBlocks(HTMLParser):
    """The text of each block of HTML, cut wherever a block element starts or ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []

    def _cut(self) -> None:
        text = squash("".join(self._current))
        if text:
            self.blocks.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self._cut()

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self._cut()

    def handle_data(self, data: str) -> None:
        self._current.append(data)

    def close(self) -> None:
        super().close()
        self._cut()


def text_blocks(html: str) -> list[str]:
    parser = _TextBlocks()
    parser.feed(html)
    parser.close()
    return parser.blocks


def in_order(blocks: list[str], text: str) -> str | None:
    """The first block not found in `text` after the blocks before it (None: all found)."""
    position = 0
    for block in blocks:
        found = text.find(block, position)
        if found < 0:
            return block
        position = found + len(block)
    return None


def repaired_by_feedparser(text: str) -> bool:
    """Whether feedparser reads `text` as UTF-8 that was decoded as Latin-1 and repairs it.

    feedparser does this on purpose for real feeds (the whole field must be Latin-1 characters
    spelling valid UTF-8, which only mojibake does); such text is not what the item says.
    """
    try:
        return text.encode("iso-8859-1").decode("utf-8") != text
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False


def feed_document(fragment: str, cdata: bool) -> str:
    if cdata:
        content = "<![CDATA[" + fragment.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    else:
        content = escape(fragment)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>T</title><link>https://ex.org/</link><description>d</description>"
        "<item><title>Item</title><link>https://ex.org/a/item</link><guid>g</guid>"
        f"<content:encoded>{content}</content:encoded></item></channel></rss>\n"
    )


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(fragment=FRAGMENT, cdata=st.booleans())
@example(fragment="<p>*a* _b_ `c` [d](e) # f</p><ul><li>1986. x</li></ul>", cdata=True)
@example(fragment="<p>a<em> b </em>c</p><pre>```\n  ~~~ x</pre>", cdata=False)
@example(fragment="<blockquote><pre>x</pre><ol><li>- y</li></ol></blockquote>", cdata=True)
@example(fragment="<table><tr><td>a|b</td><td><code>c|d</code></td></tr></table>", cdata=True)
@example(fragment="<p>]]&gt; and ]]> text</p>", cdata=True)
def test_every_sanitised_text_block_reaches_the_page_in_order(
    fragment: str, cdata: bool, tmp_path: Path,
) -> None:
    assume(not repaired_by_feedparser(fragment))
    path = tmp_path / "feed.xml"
    path.write_text(feed_document(fragment, cdata), encoding="utf-8")
    articles, problems = read_document(path, "feed.xml", "feed/feed.xml")
    assert [p for p in problems if p.severity == "error"] == []
    expected = text_blocks(sanitise(fragment))
    if not expected:
        return  # nothing survives sanitising: the page says the item has no text
    assert len(articles) == 1
    shown, tags = text_and_tags(to_html(render_body(articles[0])))
    missing = in_order(expected, squash(shown))
    assert missing is None, f"block {missing!r} of {expected} not in order in {squash(shown)!r}"
    assert not tags & {"script", "iframe", "img", "form", "style", "object", "embed"}


def rendered_html(fragment: str, tmp_path: Path) -> str:
    path = tmp_path / "feed.xml"
    path.write_text(feed_document(fragment, cdata=True), encoding="utf-8")
    (article,), _problems = read_document(path, "feed.xml", "feed/feed.xml")
    return to_html(render_body(article))


def test_ordered_lists_keep_their_first_number_inside_quotes_and_lists(tmp_path: Path) -> None:
    """Python-Markdown numbers every Markdown list from 1; a list numbered from elsewhere
    inside a quote, or holding (or held by) another list, must keep its number too."""
    html = rendered_html(
        '<blockquote><p>Steps, continued:</p><ol start="4"><li>Rinse.</li><li>Dry.</li></ol>'
        '<blockquote><ol start="9"><li>Deeper.</li></ol></blockquote>'
        "<pre>&lt;/blockquote&gt; stays code</pre></blockquote>"
        '<ol start="3"><li>Three<ul><li>sub-point</li></ul></li><li>Four</li></ol>'
        '<ol><li>One<ol start="5"><li>Five</li></ol></li></ol>'
        '<blockquote><ol><li>From one.</li></ol></blockquote>', tmp_path)
    starts = [m.group(1) or "1" for m in re.finditer(r"<ol(?: start=\"(\d+)\")?>", html)]
    assert starts == ["4", "9", "3", "1", "5", "1"]
    assert 'markdown="' not in html
    assert html.count("<blockquote>") == 3
    shown, _tags = text_and_tags(html)
    assert squash(shown).endswith(squash(
        "Steps, continued: Rinse. Dry. Deeper. </blockquote> stays code Three sub-point Four "
        "One Five From one."))
