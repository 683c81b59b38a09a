"""Reader feeds: valid RSS 2.0, Atom and JSON Feed 1.1 with absolute links, dates and order."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import xml.etree.ElementTree as ET

import feedparser
from hypothesis import given, settings
from hypothesis import strategies as st

from feedsite.importer.entry import Entry, page_url
from feedsite.importer.models import Article, Block
from feedsite.importer.reader_feeds import (
    Channel,
    article_html,
    newest_first,
    render_atom,
    render_json_feed,
    render_rss,
    rfc822,
    rfc3339,
)

CHANNEL = Channel("Health & <Library>", "Plain words.", "https://example.org/lib/")


def entry(slug: str, title: str, published: dt.date, updated: dt.date | None = None,
          number: int = 0) -> Entry:
    article = Article(f"{number:03d}_{slug}.txt", title, 1, (
        Block("paragraph", "Intro with <b>tags</b> & &amp;.", 3),
        Block("heading", "Is it safe?", 5),
        Block("list", "", 7, ("one", "two"), True),
    ), "0" * 64)
    return Entry(article, f"articles/{slug}.md", "Intro with <b>tags</b>.", 1, published, updated)


# On equal dates the later feed file is the newer one: New A (002) before New B (001).
ENTRIES = [
    entry("old", "Old", dt.date(2026, 1, 1), number=0),
    entry("new-a", "New A", dt.date(2026, 3, 1), dt.date(2026, 4, 2), number=2),
    entry("new-b", "New B", dt.date(2026, 3, 1), number=1),
]


def test_equal_dates_put_the_later_feed_file_first_in_any_folder() -> None:
    day = dt.date(2026, 5, 1)
    entries = [entry("a", "A", day, number=1), entry("b", "B", day, number=3),
               entry("c", "C", day, number=2)]
    entries[1] = Entry(dataclasses.replace(entries[1].article, source="sleep/003_b.txt"),
                       entries[1].page, entries[1].description, 1, day)
    assert [e.article.title for e in newest_first(entries, 2)] == ["B", "C"]


def test_dates_are_rfc822_and_rfc3339() -> None:
    assert rfc822(dt.date(2026, 11, 26)) == "Thu, 26 Nov 2026 00:00:00 +0000"
    assert rfc3339(dt.date(2026, 11, 26)) == "2026-11-26T00:00:00Z"


def test_page_urls_follow_use_directory_urls() -> None:
    assert page_url("articles/x.md") == "articles/x/"
    assert page_url("articles/x.md", use_directory_urls=False) == "articles/x.html"
    assert page_url("articles/日本.md") == "articles/%E6%97%A5%E6%9C%AC/"


def test_rss_parses_with_newest_first_and_absolute_links() -> None:
    parsed = feedparser.parse(render_rss(CHANNEL, ENTRIES))
    assert not parsed.bozo
    assert parsed.version == "rss20"
    assert parsed.feed.title == "Health & <Library>"
    assert [e.title for e in parsed.entries] == ["New A", "New B", "Old"]
    first = parsed.entries[0]
    assert first.link == "https://example.org/lib/articles/new-a/"
    assert first.id == first.link
    assert first.published == "Sun, 01 Mar 2026 00:00:00 +0000"
    assert first.summary == "Intro with &lt;b&gt;tags&lt;/b&gt;."
    assert first.content[0].value == article_html(ENTRIES[1].article)


def test_atom_parses_with_published_and_updated() -> None:
    parsed = feedparser.parse(render_atom(CHANNEL, ENTRIES))
    assert not parsed.bozo
    assert parsed.version == "atom10"
    first = parsed.entries[0]
    assert (first.published, first.updated) == ("2026-03-01T00:00:00Z", "2026-04-02T00:00:00Z")
    assert parsed.feed.updated == "2026-04-02T00:00:00Z"
    assert [e.id for e in parsed.entries] == [
        "https://example.org/lib/articles/new-a/", "https://example.org/lib/articles/new-b/",
        "https://example.org/lib/articles/old/"]


def test_json_feed_has_the_1_1_fields() -> None:
    feed = json.loads(render_json_feed(CHANNEL, ENTRIES))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "https://example.org/lib/feed.json"
    first = feed["items"][0]
    assert first["id"] == first["url"] == "https://example.org/lib/articles/new-a/"
    assert first["date_modified"] == "2026-04-02T00:00:00Z"
    assert "date_modified" not in feed["items"][1]
    assert first["content_html"] == (
        "<p>Intro with &lt;b&gt;tags&lt;/b&gt; &amp; &amp;amp;.</p>\n<h2>Is it safe?</h2>\n"
        "<ol><li>one</li><li>two</li></ol>")


def test_limit_keeps_the_newest() -> None:
    small = Channel("T", "", "https://e.org/", limit=1)
    assert [i["title"] for i in json.loads(render_json_feed(small, ENTRIES))["items"]] == ["New A"]


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")).filter(
    lambda c: c not in "\ufffe\uffff"), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(title=TEXT, body=TEXT)
def test_any_text_round_trips_through_the_xml_feeds(title: str, body: str) -> None:
    article = Article("a.txt", title, 1, (Block("paragraph", body, 3),), "0" * 64)
    item = Entry(article, "articles/a.md", body, 1, dt.date(2026, 1, 1))
    rss = ET.fromstring(render_rss(CHANNEL, [item]).encode())
    assert rss.findtext("channel/item/title") == title
    atom = ET.fromstring(render_atom(CHANNEL, [item]).encode())
    ns = "{http://www.w3.org/2005/Atom}"
    assert atom.findtext(f"{ns}entry/{ns}title") == title
    assert json.loads(render_json_feed(CHANNEL, [item]))["items"][0]["title"] == title


def test_feed_document_blocks_keep_their_markup_in_reader_feeds() -> None:
    from feedsite.importer.models import Block, Inline, ListItem
    from feedsite.importer.reader_feeds import article_html

    link = Inline("link", href="https://example.org/a?x=1&y=2", children=(Inline("text", "a <b>"),))
    bad = Inline("link", href="javascript:alert(1)", children=(Inline("text", "bad"),))
    article = Article(
        source="news.xml", title="T", title_line=1, source_sha256="0", item_id="1",
        blocks=(
            Block("heading", "Sub", 1, level=3, runs=(Inline("text", "Sub"),)),
            Block("paragraph", "x", 2, runs=(Inline("em", children=(Inline("text", "x"),)),
                                             Inline("text", " "), link, Inline("text", " "),
                                             bad)),
            Block("quote", "", 3, children=(Block("paragraph", "q & a", 3),)),
            Block("code", "if a < b: pass", 4),
            Block("list", "", 5, items=("one", "two"), ordered=True, start=3,
                  entries=(ListItem("one", (Inline("text", "one"),)),
                           ListItem("two", (Inline("strong", children=(Inline("text", "two"),)),),
                                    (Block("list", "", 6, items=("n",),
                                           entries=(ListItem("n", (Inline("text", "n"),)),)),)))),
            Block("table", "", 7, rows=(((Inline("text", "H"),),), ((Inline("text", "c"),),))),
            Block("image", "A chart", 8, href="https://cdn.example.org/c.png"),
        ),
    )
    assert article_html(article).split("\n") == [
        "<h3>Sub</h3>",
        '<p><em>x</em> <a href="https://example.org/a?x=1&amp;y=2">a &lt;b&gt;</a> bad</p>',
        "<blockquote><p>q &amp; a</p></blockquote>",
        "<pre><code>if a &lt; b: pass</code></pre>",
        '<ol start="3"><li>one</li><li><strong>two</strong><ul><li>n</li></ul></li></ol>',
        "<table><tr><th>H</th></tr><tr><td>c</td></tr></table>",
        '<p><a href="https://cdn.example.org/c.png">A chart</a></p>',
    ]
