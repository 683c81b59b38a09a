"""Reading feed documents: every format into Articles, provenance and dates, and bad input as
one clear message naming the file (and item), never a traceback."""

from __future__ import annotations

import datetime as dt
import types
from pathlib import Path

import pytest

from feedsite.importer.documents import read_document
from feedsite.importer.documents.html_blocks import html_blocks
from feedsite.importer.documents.item_article import item_digest
from feedsite.importer.documents.limits import MAX_DOCUMENT_BYTES, MAX_ITEM_CHARS
from feedsite.importer.documents.xml_feed import read_xml_feed
from feedsite.importer.models import Article, Block, Inline, ListItem
from feedsite.problems import Problem

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def read(path: Path) -> tuple[list[Article], list[str]]:
    articles, problems = read_document(path, path.name, f"feed/{path.name}")
    return articles, [str(p) for p in problems]


def by_title(articles: list[Article]) -> dict[str, Article]:
    return {a.title: a for a in articles}


def test_rss2_items_keep_identity_dates_topics_and_provenance() -> None:
    articles, problems = read(FEEDS / "news_rss2_content_encoded.xml")
    assert problems == []
    flu = articles[0]
    assert flu.key == "news_rss2_content_encoded.xml#riverside-news-1001"
    assert flu.published == dt.date(2026, 10, 5) and flu.updated is None
    assert flu.topics == ("Vaccination", "Winter health")
    assert flu.origin.publisher == "Riverside Health News"
    assert flu.origin.link == "https://news.example.org/2026/10/flu-clinics"
    assert flu.origin.authors == ("Priya Shah",)
    # An RSS author is "address (Name)": readers see the name, never the address.
    assert articles[1].origin.authors == ("Sam Okafor",)
    assert [b.kind for b in flu.blocks] == [
        "paragraph", "heading", "list", "heading", "table", "paragraph", "image", "quote",
        "paragraph"]
    assert [b.level for b in flu.blocks if b.kind == "heading"] == [2, 3]
    assert flu.sections == ("Who should come",)  # level-2 headings only
    nested = flu.blocks[2].entries[2]
    assert nested.text == "Anyone with a long-term condition, such as:"
    assert nested.blocks[0].items == ("asthma", "diabetes")
    # Relative links resolve against the item's link; the image too.
    links = [r for r in flu.blocks[5].runs if r.kind == "link"]
    assert [r.href for r in links] == ["https://news.example.org/2026/09/vaccines-explained",
                                       "https://www.example.com/flu"]
    assert flu.blocks[6] == Block("image", "The north clinic entrance", 9,
                                  href="https://news.example.org/images/clinic.jpg")
    vaccines = articles[1]
    assert vaccines.blocks[1].ordered and vaccines.blocks[1].start == 3
    assert vaccines.blocks[2].kind == "code"
    assert vaccines.blocks[2].text.startswith("antibody_level = 2 * exposure  # *not*")
    # Summary only: the description is the content.
    assert articles[2].blocks[0].text.endswith("Use the overflow car park on Mill Lane.")


def test_atom_xhtml_html_and_text_content() -> None:
    articles, problems = read(FEEDS / "blog_atom_xhtml.atom")
    naps, caffeine, screens = articles
    assert naps.title == "Naps & night sleep"  # type="html" title: markup dropped
    assert naps.published == dt.date(2026, 10, 20) and naps.updated == dt.date(2026, 11, 1)
    assert naps.origin.authors == ("Dr Mei Lin",)  # the feed's author, inherited
    assert naps.topics == ("Sleep",)
    assert naps.blocks[3].items == ("Set an alarm.", "Nap before 3 pm.")
    assert caffeine.published == dt.date(2026, 10, 10)  # only <updated>: it is the date
    assert [b.text for b in screens.blocks] == [
        "Screens in the bedroom keep the brain alert.",
        "Put the phone in another room an hour before bed."]
    assert problems == [
        "feed/blog_atom_xhtml.atom:31: warning: item 3 ('tag:sleep.example.net,2026:post-40') "
        "has no title; using 'Screens in the bedroom keep the brain alert.' from its text "
        "(give the item a title to choose one)"]


def test_rss1_rss091_and_json_feed() -> None:
    (rss1,), problems = read(FEEDS / "rss1_rdf.rss")
    assert problems == []
    assert rss1.item_id == "https://clinic.example.com/n/12"  # no guid: the link is the id
    assert rss1.published == dt.date(2026, 2, 20) and rss1.topics == ("Services",)
    (old,), _ = read(FEEDS / "rss091.xml")
    assert old.title == "Holiday opening hours" and old.published is None
    fibre, water, salt = read(FEEDS / "jsonfeed_11.json")[0]
    assert fibre.updated == dt.date(2026, 6, 3) and fibre.origin.authors == ("Ana Ruiz",)
    assert fibre.topics == ("Nutrition", "Gut health")
    assert water.item_id == "8" and water.origin.authors == ("Food Team",)
    assert [b.kind for b in water.blocks] == ["paragraph", "paragraph"]  # content_text
    assert salt.blocks[0].text == "Adults should eat no more than 6 g of salt a day."


def test_encodings_declared_and_misdeclared() -> None:
    (latin,), problems = read(FEEDS / "latin1_declared.xml")
    assert problems == [] and latin.origin.publisher == "Café Santé"
    assert latin.blocks[0].text == "Lavez-vous les mains à l'eau tiède, s'il vous plaît."
    (mis,), problems = read(FEEDS / "misdeclared_latin1_as_utf8.xml")
    assert mis.title == "Café opening" and mis.blocks[0].text == "The café sells fruit for £2."
    assert problems == [
        "feed/misdeclared_latin1_as_utf8.xml: warning: wrong encoding declared: document "
        "declared as utf-8, but parsed as windows-1252; save the document with the encoding "
        "its XML declaration names"]


def test_untitled_empty_and_duplicate_items_warn_by_name() -> None:
    articles, problems = read(FEEDS / "edge_cases.rss")
    assert [a.title for a in articles] == [
        "Hand washing for twenty seconds removes most germs from the…", "Nothing but a link"]
    link_only = articles[1].blocks[0]
    assert link_only.text == "Read this article on the original site."
    assert link_only.runs[1].href == "https://edge.example.org/link-only"
    assert problems == [
        "feed/edge_cases.rss:7: warning: item 1 ('edge-1') has no title; using 'Hand washing for "
        "twenty seconds removes most germs from the…' from its text (give the item a title to "
        "choose one)",
        "feed/edge_cases.rss:12: warning: item 2 ('edge-2') has no content; its page links to "
        "the original",
        "feed/edge_cases.rss:17: warning: item 3 ('edge-1') has the same id as item 1; only the "
        "first is imported (give each item its own guid or id)",
    ]


def test_hostile_markup_leaves_only_text() -> None:
    (hostile,), problems = read(FEEDS / "hostile_items.xml")
    assert problems == []
    assert hostile.title == '<script>alert("item title")</script>Hostile item'
    texts = [b.text for b in hostile.blocks]
    assert texts[0] == "Before the script. After the script."
    assert "javascript link data link mixed-case link vbscript link" in texts
    everything = " ".join(texts)
    for banned in ("alert(1)", "alert(2)", "iframe fallback", "object fallback", "Pay",
                   "background", "tracker.example.net"):
        assert banned not in everything
    # Markup-looking text survives as text; links are only ever http(s) or mailto.
    assert "[click](javascript:alert(13))" in everything
    hrefs = [r.href for b in hostile.blocks for r in b.runs if r.kind == "link"]
    assert hrefs == []
    # The one image left is the broken one; the pixel, data: and srcset-only images are gone.
    assert [b.href for b in hostile.blocks if b.kind == "image"] == [
        "https://hostile.example.net/x"]


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("page.xml", b"<!DOCTYPE html><html><body><p>Hello</p></body></html>",
     "feed/page.xml: error: is not an RSS, Atom or JSON feed"),
    ("notes.json", b'{"title": "not a feed"}',
     'feed/notes.json: error: is JSON but not a JSON Feed (no "version": '
     '"https://jsonfeed.org/version/1.1"); move it out of the feed folder, or make it a JSON Feed'),
    ("broken.json", b'{"version": "https://jsonfeed.org/version/1.1",\n "items": [}',
     "feed/broken.json:2: error: is not valid JSON (Expecting value, column 12); fix the JSON "
     "Feed there, or move the file out of the feed folder"),
    ("binary.rss", b"\x00\x01\x02\xff\xfe" * 50,
     "feed/binary.rss:2: error: is not an RSS, Atom or JSON feed"),
    ("empty.atom", b"", "feed/empty.atom: error: is not an RSS, Atom or JSON feed"),
    ("deep.json", b'{"a":' + b"[" * 100_000, "feed/deep.json: error: is JSON nested too deeply"),
])
def test_documents_that_are_not_feeds_are_rejected_in_one_line(
    tmp_path: Path, name: str, content: bytes, expected: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    articles, problems = read(path)
    assert articles == []
    assert len(problems) == 1 and problems[0].startswith(expected)
    assert "\n" not in problems[0]


def test_malformed_xml_imports_what_it_recovers_and_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>B</title>\n'
        "<item><title>First</title><guid>1</guid><description>One.</description></item>\n"
        "<item><title>Second &amp more</title><guid>2</guid><description>Two.</description>"
        "</item>\n</channel></rss>\n", encoding="utf-8")
    articles, problems = read(path)
    assert [a.title for a in articles] == ["First", "Second & more"]
    assert problems == [
        "feed/broken.xml:4: warning: malformed XML at line 4 (not well-formed "
        "(invalid token)); imported the 2 item(s) that could be recovered; fix the document "
        "there"]


def test_size_limits_reject_the_document_or_the_item(tmp_path: Path) -> None:
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB without writing them
    assert MAX_DOCUMENT_BYTES < 50 * 1024 * 1024
    assert read(huge) == ([], [
        "feed/huge.xml: error: is 50.0 MB, over the 32 MB limit for a feed document; split it "
        "into several documents or fetch fewer items"])
    big_item = tmp_path / "big.xml"
    text = "word " * (MAX_ITEM_CHARS // 5 * 5)  # 5 MB of text
    big_item.write_text(
        '<rss version="2.0"><channel><title>B</title>'
        "<item><title>Small</title><guid>s</guid><description>Fine.</description></item>\n"
        f"<item><title>Huge</title><guid>h</guid><description>{text}</description></item>"
        "</channel></rss>", encoding="utf-8")
    articles, problems = read(big_item)
    assert [a.title for a in articles] == ["Small"]
    assert problems == [
        "feed/big.xml:2: error: item 2 ('h') holds 5.0 MB of text, over the 1 MB limit for one "
        "item; shorten it at the source"]


def test_empty_feed_and_unreadable_markup(tmp_path: Path) -> None:
    empty = tmp_path / "empty.rss"
    empty.write_text('<rss version="2.0"><channel><title>E</title></channel></rss>',
                     encoding="utf-8")
    assert read(empty) == ([], ["feed/empty.rss: warning: is a feed with no items; no pages "
                                "come from it"])
    deep = tmp_path / "deep.json"
    deep.write_text('{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "d", '
                    '"title": "Deep", "content_html": "' + "<div>" * 5000 + 'x"}]}',
                    encoding="utf-8")
    assert read(deep) == ([], [
        "feed/deep.json:1: error: item 1 ('d') has HTML nested too deeply to read; fix its "
        "markup at the source"])


def test_problems_are_records_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("not xml at all", encoding="utf-8")
    _articles, problems = read_document(path, "x.xml", "feed/x.xml")
    assert problems[0] == Problem("feed/x.xml", problems[0].line, "error", problems[0].message)


def test_html_mapping_of_inline_markup_and_lists() -> None:
    blocks = html_blocks(
        '<p>a <b>b <i>c</i></b> <code>d</code> <a href="e">f</a><br>g</p>'
        "<ul><li>one<ul><li>two</li></ul>three</li></ul>", "https://ex.org/x/", 4)
    assert blocks[0].runs == (
        Inline("text", "a "),
        Inline("strong", children=(Inline("text", "b "), Inline("em", children=(
            Inline("text", "c"),)))),
        Inline("text", " "), Inline("code", "d"), Inline("text", " "),
        Inline("link", href="https://ex.org/x/e", children=(Inline("text", "f"),)),
        Inline("break"), Inline("text", "g"))
    assert blocks[0].text == "a b c d f g"
    # Text after a nested list becomes the next item, so the reading order holds.
    assert blocks[1].entries == (
        ListItem("one", (Inline("text", "one"),), (Block(
            "list", "", 4, ("two",), entries=(ListItem("two", (Inline("text", "two"),)),)),)),
        ListItem("three", (Inline("text", "three"),)),
    )


def test_a_document_naming_another_file_is_not_read_as_that_file(tmp_path: Path) -> None:
    target = tmp_path / "secret.xml"
    target.write_text('<rss version="2.0"><channel><title>Secret</title><item><title>S</title>'
                      "<guid>s</guid><description>x</description></item></channel></rss>",
                      encoding="utf-8")
    path = tmp_path / "pointer.xml"
    path.write_bytes(str(target).encode())
    articles, problems = read(path)
    assert articles == []
    assert problems[0].startswith("feed/pointer.xml")
    assert "error: is not an RSS, Atom or JSON feed" in problems[0]


def test_heading_levels_never_skip_one() -> None:
    blocks = html_blocks("<h3>a</h3><p>x</p><h5>b</h5><p>y</p><h1>c</h1><h4>d</h4>", "", 1)
    assert [b.level for b in blocks if b.kind == "heading"] == [2, 3, 2, 3]


def test_html_entities_undefined_in_xml_are_recovered_with_a_warning() -> None:
    articles, problems = read(FEEDS / "illformed_undefined_entities.xml")
    assert [a.item_id for a in articles] == ["surgery-77", "surgery-76"]
    assert articles[0].blocks[0].text == (
        "Phone lines open at 8 am. Book online for a café-style drop-in — no appointment "
        "needed.")
    assert problems == [
        "feed/illformed_undefined_entities.xml:12: warning: malformed XML at line 12 (undefined "
        "entity); imported the 2 item(s) that could be recovered; fix the document there"]


def test_items_parsed_together_read_as_each_alone(tmp_path: Path) -> None:
    """The importer parses a document's items as one HTML document; no item's markup, however
    broken, may spill into the next."""
    fragments = ["<p>a<div>b</p>c", "</div></div></p>d", "<table><tr><td>e", "<ul><li>f",
                 "<pre>g", "<!-- h", "<div data-feedsite-item='9'>i</div>", "<p>j</p>"]
    items = "".join(
        f"<item><title>T{n}</title><guid>g{n}</guid><link>https://ex.org/{n}</link>"
        f"<description><![CDATA[{html}]]></description></item>"
        for n, html in enumerate(fragments))
    path = tmp_path / "many.xml"
    path.write_text(f'<rss version="2.0"><channel><title>M</title>{items}</channel></rss>',
                    encoding="utf-8")
    articles, problems = read(path)
    assert problems == ["feed/many.xml:1: warning: item 6 ('g5') has no content; its page "
                        "links to the original"]
    for article, html in zip(articles, fragments, strict=True):
        alone = html_blocks(html, article.origin.link, 1)
        if alone:
            assert article.blocks == alone, html


def links_and_images(article: Article) -> list[str]:
    found: list[str] = []
    for block in article.blocks:
        found += [r.href for r in block.runs if r.kind == "link"]
        found += [block.href] if block.kind == "image" else []
    return found


def test_atom_xml_base_resolves_relative_urls_in_content(tmp_path: Path) -> None:
    """Relative URLs in Atom content resolve against the xml:base in effect (feed, entry or
    content element, each relative to the one around it), not against the entry's link."""
    path = tmp_path / "based.atom"
    path.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/">\n'
        "<title>Based</title><id>tag:b</id><updated>2026-01-01T00:00:00Z</updated>\n"
        '<entry xml:base="posts/2026/"><id>tag:b,1</id><title>One</title>'
        '<link href="one.html"/><updated>2026-01-01T00:00:00Z</updated>\n'
        '<content type="html" xml:base="media/">&lt;p&gt;&lt;a href="a.html"&gt;A&lt;/a&gt;'
        '&lt;img src="/i.png" alt="i"&gt;&lt;/p&gt;</content></entry>\n'
        "<entry><id>tag:b,2</id><title>Two</title><updated>2026-01-01T00:00:00Z</updated>\n"
        '<link href="https://elsewhere.example.com/two"/><content type="xhtml">'
        '<div xmlns="http://www.w3.org/1999/xhtml"><a href="b.html">B</a></div></content>'
        "</entry>\n</feed>\n", encoding="utf-8")
    (one, two), problems = read(path)
    assert problems == []
    assert one.origin.link == "https://blog.example.org/posts/2026/one.html"
    assert links_and_images(one) == ["https://blog.example.org/posts/2026/media/a.html",
                                     "https://blog.example.org/i.png"]
    assert links_and_images(two) == ["https://blog.example.org/b.html"]


def test_relative_rss_item_links_resolve_against_the_channel_link(tmp_path: Path) -> None:
    path = tmp_path / "relative.rss"
    path.write_text(
        '<rss version="2.0"><channel><title>R</title><link>https://ex.org/blog/</link>\n'
        "<item><title>A</title><link>/posts/a/</link><guid>a</guid>"
        '<description>&lt;a href="b/"&gt;b&lt;/a&gt;</description></item>\n'
        "<item><title>B</title><guid>b-1</guid><description>No link.</description></item>\n"
        "</channel></rss>\n", encoding="utf-8")
    (a, b), problems = read(path)
    assert problems == []
    assert a.origin.link == "https://ex.org/posts/a/"
    assert links_and_images(a) == ["https://ex.org/posts/a/b/"]
    assert b.origin.link == ""  # a guid is not made into a link


def test_an_item_without_title_or_text_is_not_named_after_the_placeholder(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bare.rss"
    path.write_text(
        '<rss version="2.0"><channel><title>Bare</title>\n'
        "<item><guid>g1</guid><link>https://ex.org/1</link></item>\n"
        "<item><title>&lt;b&gt;Bold&lt;/b&gt; &amp;amp; plain</title></item>\n"
        "</channel></rss>\n", encoding="utf-8")
    (first, second), problems = read(path)
    assert first.title == "Untitled item 1"
    assert first.blocks[0].text == "Read this article on the original site."
    assert second.title == "Bold & plain"
    # Messages name an item by its title as readers see it, not by its markup.
    assert problems[:2] == [
        "feed/bare.rss:2: warning: item 1 ('g1') has no title; using 'Untitled item 1' "
        "(give the item a title to choose one)",
        "feed/bare.rss:2: warning: item 1 ('g1') has no content; its page links to the "
        "original"]
    assert "item 2 ('Bold & plain') has no id and no link" in problems[2]


def test_escaped_names_and_titles_are_decoded_once(tmp_path: Path) -> None:
    """WordPress wraps escaped category names in CDATA; many JSON Feeds put HTML-escaped
    titles in fields the spec calls plain text (kottke.org, pxlnv.com). Readers decode them."""
    rss_path = tmp_path / "wordpress.rss"
    rss_path.write_text(
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        "<title><![CDATA[News &amp; Views]]></title>\n<item><title>T</title><guid>1</guid>"
        "<category><![CDATA[News &amp; Events]]></category><category>R&amp;D</category>"
        "<category>Q&amp;As;</category><dc:creator><![CDATA[Tom &amp; Jerry]]></dc:creator>"
        "<description>x</description></item></channel></rss>\n", encoding="utf-8")
    (wordpress,), problems = read(rss_path)
    assert problems == []
    assert wordpress.topics == ("News & Events", "R&D", "Q&As;")  # "&As;" is no reference
    assert wordpress.origin.publisher == "News & Views"
    assert wordpress.origin.authors == ("Tom & Jerry",)
    json_path = tmp_path / "kottke.json"
    json_path.write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Kottke&#8217;s",\n'
        '"home_page_url": "https://k.example.org/blog/", "items": [{"id": "1", '
        '"url": "/2026/one", "title": "Don&#8217;t &lt;panic&gt;", "tags": ["A &amp; B"], '
        '"authors": [{"name": "Ann &amp; Bo"}], "content_text": "Tom &amp; Jerry stays."}]}',
        encoding="utf-8")
    (kottke,), problems = read(json_path)
    assert problems == []
    assert kottke.title == "Don’t <panic>" and kottke.topics == ("A & B",)
    assert kottke.origin.publisher == "Kottke’s" and kottke.origin.authors == ("Ann & Bo",)
    assert kottke.origin.link == "https://k.example.org/2026/one"
    assert kottke.blocks[0].text == "Tom &amp; Jerry stays."  # content_text is the text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32", "utf-8-sig"])
def test_json_feeds_in_any_json_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "wide.json"
    path.write_bytes(
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Wide", "items": [{"id": '
        '"w1", "title": "Größe", "date_published": "Mon, 05 Oct 2026 09:00:00 +0000", '
        '"content_html": "<p>Ünïcode</p>"}]}'.encode(encoding))
    (wide,), problems = read(path)
    assert problems == []
    assert wide.title == "Größe" and wide.blocks[0].text == "Ünïcode"
    assert wide.published == dt.date(2026, 10, 5)  # an RSS-style date is still a date


def test_a_document_in_an_undeclared_legacy_encoding_says_so(tmp_path: Path) -> None:
    path = tmp_path / "koi8.xml"
    path.write_bytes('<rss version="2.0"><channel><title>Новости</title><item><title>Привет'
                     "</title><guid>1</guid><description>Текст.</description></item>"
                     "</channel></rss>".encode("koi8-r"))
    _articles, problems = read(path)
    assert problems == [
        "feed/koi8.xml: warning: is not UTF-8 and names no encoding, so it was read as "
        "windows-1252, which may be wrong; save it as UTF-8, or name its encoding in the XML "
        'declaration (<?xml version="1.0" encoding="..."?>)']
    declared = tmp_path / "declared.xml"
    declared.write_bytes(b'<?xml version="1.0" encoding="koi8-r"?>\n' + path.read_bytes())
    (article,), problems = read(declared)
    assert problems == [] and article.title == "Привет"


def test_line_breaks_inside_code_are_kept() -> None:
    """Blogger-style code: lines separated by <br> inside <pre> (or <code>)."""
    blocks = html_blocks("<pre>def f():<br />    return 1 &lt; 2<br></pre>"
                         "<p>Run <code>make<br>install</code>.</p>", "", 1)
    assert blocks[0] == Block("code", "def f():\n    return 1 < 2", 1)
    assert blocks[1].runs[1] == Inline("code", "make\ninstall")


def test_rss_text_without_markup_keeps_its_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "podcast.rss"
    path.write_text(
        '<rss version="2.0"><channel><title>P</title>\n'
        "<item><title>Ep 1</title><guid>1</guid><description>We talk about sleep.\n"
        "A wrapped line.\n\nShow notes &amp;amp; links: 5 &lt; 6\n \nThanks.</description></item>\n"
        "<item><title>Ep 2</title><guid>2</guid><description>&lt;p&gt;One.\n\nStill one."
        "&lt;/p&gt;</description></item>\n</channel></rss>\n", encoding="utf-8")
    (plain, marked_up), problems = read(path)
    assert problems == []
    assert [b.text for b in plain.blocks] == [
        "We talk about sleep. A wrapped line.", "Show notes & links: 5 < 6", "Thanks."]
    assert [b.text for b in marked_up.blocks] == ["One. Still one."]  # HTML: tags decide


def test_lazy_loaded_images_and_heading_permalinks() -> None:
    """Lazy-loading plugins put a placeholder in src and the image in data-src; static site
    generators end headings with a permalink ("¶", "#") to an anchor of the original page."""
    blocks = html_blocks(
        '<h2>Why it matters<a class="headerlink" href="#why">¶</a></h2>'
        '<p>Note<a href="#fn1">1</a>.<img src="data:image/gif;base64,R0lGOD" '
        'data-src="/img/lazy.jpg" alt="Lazy"><img data-lazy-src="javascript:alert(1)"></p>',
        "https://ex.org/post/", 1)
    assert blocks[0] == Block("heading", "Why it matters", 1, level=2,
                              runs=(Inline("text", "Why it matters"),))
    assert blocks[1].text == "Note1."  # a footnote's number is text, not a permalink
    assert blocks[2:] == (Block("image", "Lazy", 1, href="https://ex.org/img/lazy.jpg"),)


def test_items_without_ids_that_share_a_link_are_all_imported(tmp_path: Path) -> None:
    """Some feeds link every item to one page and give no guid; the link alone cannot tell
    the items apart, but no item may be lost for it (an exact repeat still is one item)."""
    items = "".join(
        f"<item><title>{title}</title><link>https://ex.org/notices</link>"
        f"<description>{text}</description></item>\n"
        for title, text in (("Closed Monday", "Bank holiday."), ("New hours", "From 8 am."),
                            ("Closed Monday", "Bank holiday.")))
    path = tmp_path / "notices.rss"
    path.write_text(f'<rss version="2.0"><channel><title>N</title>\n{items}</channel></rss>\n',
                    encoding="utf-8")
    articles, problems = read(path)
    assert [a.title for a in articles] == ["Closed Monday", "New hours"]
    assert len({a.item_id for a in articles}) == 2
    assert all(a.item_id.startswith("https://ex.org/notices#sha256:") for a in articles)
    assert all(a.origin.link == "https://ex.org/notices" for a in articles)
    assert [p.split(": warning: ")[1].split(" (give")[0] for p in problems] == [
        *(f"item {n} ('{title}') has no id and shares its link with other items; it is told "
          "apart by its title and text, so its page may move when they change"
          for n, title in ((1, "Closed Monday"), (2, "New hours"), (3, "Closed Monday"))),
        "item 3 ('Closed Monday') has the same id as item 1; only the first is imported"]


def test_rss_tags_left_unescaped_beside_cdata_html(tmp_path: Path) -> None:
    """A Feedburner feed (Rome's issue137-rss.xml) puts a bare <img/> before a CDATA section
    of HTML: feedparser reads it as XHTML and escapes the CDATA, but RSS text is HTML."""
    path = tmp_path / "mixed.rss"
    path.write_text(
        '<rss version="2.0"><channel><title>M</title><item><title>Mixed</title><guid>m</guid>'
        '<description><img src="https://ex.org/t.jpg" alt="Thumb" /><![CDATA[<p>MOE will be '
        '<a href="https://ex.org/p">building</a> 5 &lt; 6 schools &amp; more.</p>]]>'
        "</description></item></channel></rss>", encoding="utf-8")
    (mixed,), problems = read(path)
    assert problems == []
    assert [b.kind for b in mixed.blocks] == ["image", "paragraph"]
    assert mixed.blocks[1].text == "MOE will be building 5 < 6 schools & more."
    assert mixed.blocks[1].runs[1].href == "https://ex.org/p"
    atom = tmp_path / "xhtml.atom"
    atom.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>a</id>'
        '<title>A</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        "<p>Write &lt;p&gt; for a paragraph.</p></div></content></entry></feed>",
        encoding="utf-8")
    (exact,), _problems = read(atom)
    assert exact.blocks[0].text == "Write <p> for a paragraph."  # Atom XHTML means its text


def test_item_lines_skip_items_quoted_in_cdata_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "about-rss.xml"
    path.write_text(
        '<rss version="2.0"><channel><title>R</title>\n'
        "<!-- <item> in a comment -->\n"
        "<item><title>Writing RSS</title><guid>1</guid><description><![CDATA[<p>Each\n"
        "<item> holds a story; Atom calls it an\n<entry>.</p>]]></description></item>\n"
        "<item><guid>2</guid><description>No title here.</description></item>\n"
        "</channel></rss>\n", encoding="utf-8")
    _articles, problems = read(path)
    assert problems == ["feed/about-rss.xml:6: warning: item 2 ('2') has no title; using "
                        "'No title here.' from its text (give the item a title to choose one)"]


def test_podcast_episodes_without_ids_are_known_by_their_enclosure(tmp_path: Path) -> None:
    """Radio Suisse Romande's podcast (Rome's rsr.xml): 15 episodes, no guid, every <link>
    the show's page; only the first was imported. Each episode's audio file tells it apart."""
    episodes = "".join(
        f"<item><title>Episode {n}</title><link>https://radio.example.ch/show</link>"
        f'<enclosure url="https://radio.example.ch/media/{n}.mp3" type="audio/mpeg" '
        f'length="1"/><description>Show {n}.</description></item>\n' for n in (1, 2))
    path = tmp_path / "podcast.rss"
    path.write_text(
        f'<rss version="2.0"><channel><title>Show</title>\n{episodes}'
        "<item><title>Trailer</title><enclosure url='https://radio.example.ch/media/t.mp3' "
        "type='audio/mpeg' length='1'/><description>Soon.</description></item>\n"
        "</channel></rss>\n", encoding="utf-8")
    articles, problems = read(path)
    assert problems == []
    assert [a.item_id for a in articles] == [
        "https://radio.example.ch/media/1.mp3", "https://radio.example.ch/media/2.mp3",
        "https://radio.example.ch/media/t.mp3"]
    assert [a.origin.link for a in articles] == ["https://radio.example.ch/show"] * 2 + [""]
    json_path = tmp_path / "podcast.json"
    json_path.write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "items": [{"title": "Ep", '
        '"content_text": "Show.", "attachments": [{"url": "https://radio.example.ch/e.mp3", '
        '"mime_type": "audio/mpeg"}]}]}', encoding="utf-8")
    (episode,), problems = read(json_path)
    assert problems == [] and episode.item_id == "https://radio.example.ch/e.mp3"


def test_dates_that_cannot_be_read_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "dates.rss"
    path.write_text(
        '<rss version="2.0"><channel><title>D</title>\n'
        "<item><title>German</title><guid>de</guid><pubDate>Mo, 05 Okt 2026 09:00:00 +0200"
        "</pubDate><description>x</description></item>\n"
        "<item><title>Fine</title><guid>ok</guid><pubDate>Mon, 05 Oct 2026 09:00:00 +0200"
        "</pubDate><description>x</description></item>\n</channel></rss>\n", encoding="utf-8")
    (german, fine), problems = read(path)
    assert german.published is None and fine.published == dt.date(2026, 10, 5)
    assert problems == [
        "feed/dates.rss:2: warning: item 1 ('de') has a date that cannot be read ('Mo, 05 Okt "
        "2026 09:00:00 +0200'); the import date is used instead; write it as, for example, "
        "'Mon, 05 Oct 2026 09:00:00 +0000'"]


def test_plain_text_content_has_paragraphs_but_never_headings(tmp_path: Path) -> None:
    # As in a video site's Atom feed: a plain-text description whose short lines are text.
    path = tmp_path / "videos.atom"
    path.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Videos</title><id>v</id>\n'
        "<entry><id>v1</id><title>Apologize</title><updated>2026-01-02T00:00:00Z</updated>\n"
        '<content type="text">Video made by: http://www.example.com/maker\n\nLyrics:\n\n'
        "- first verse\n- chorus\n\nThe end of the song.</content></entry>\n</feed>\n",
        encoding="utf-8")
    (video,), problems = read(path)
    assert problems == []
    assert [(b.kind, b.text) for b in video.blocks] == [
        ("paragraph", "Video made by: http://www.example.com/maker"),
        ("paragraph", "Lyrics:"),
        ("list", ""),
        ("paragraph", "The end of the song."),
    ]
    assert video.blocks[2].items == ("first verse", "chorus")
    assert video.sections == ()


def test_category_terms_that_are_addresses_are_not_topics(tmp_path: Path) -> None:
    path = tmp_path / "kinds.atom"
    path.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Videos</title><id>v</id>\n'
        "<entry><id>v1</id><title>Panda</title><updated>2026-01-02T00:00:00Z</updated>\n"
        '<category scheme="http://schemas.google.com/g/2005#kind"'
        ' term="http://gdata.youtube.com/schemas/2007#video"/>\n'
        '<category scheme="http://example.com/categories.cat" term="Comedy" label="Comedy"/>\n'
        '<category term="tag:example.com,2026:kind#clip"/>\n'
        '<category term="Health: what works"/>\n'
        '<content type="html">&lt;p&gt;A sneeze.&lt;/p&gt;</content></entry>\n</feed>\n',
        encoding="utf-8")
    (panda,), problems = read(path)
    assert problems == []
    assert panda.topics == ("Comedy", "Health: what works")


def test_the_declared_language_of_each_item(tmp_path: Path) -> None:
    atom = tmp_path / "mixed.atom"
    atom.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>T</title><id>f</id>\n'
        '<entry><id>1</id><title>Eins</title><updated>2026-01-02T00:00:00Z</updated>'
        '<content type="html">&lt;p&gt;Schlaf.&lt;/p&gt;</content></entry>\n'
        '<entry xml:lang="pt-BR"><id>2</id><title>Dois</title><updated>2026-01-02T00:00:00Z'
        '</updated><content type="html">&lt;p&gt;Sono.&lt;/p&gt;</content></entry>\n</feed>\n',
        encoding="utf-8")
    german, portuguese = read(atom)[0]
    assert (german.language, portuguese.language) == ("de", "pt-br")
    json_feed = tmp_path / "feed.json"
    json_feed.write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "title": "T", "language": "en-GB",'
        ' "items": [{"id": "1", "content_text": "Hi."},'
        ' {"id": "2", "content_text": "Hola.", "language": "es"},'
        ' {"id": "3", "content_text": "?", "language": "not a language!"}]}',
        encoding="utf-8")
    articles, _ = read(json_feed)
    assert [a.language for a in articles] == ["en-gb", "es", "en-gb"]
    undeclared = tmp_path / "plain.rss"
    undeclared.write_text('<rss version="2.0"><channel><title>T</title><item><guid>1</guid>'
                          "<title>A</title><description>Text.</description></item>"
                          "</channel></rss>", encoding="utf-8")
    assert read(undeclared)[0][0].language == ""


def test_embedded_media_leaves_a_note_and_a_repeated_title_goes(tmp_path: Path) -> None:
    path = tmp_path / "blog.rss"
    path.write_text(
        '<rss version="2.0"><channel><title>Blog</title><link>https://blog.example.org/</link>\n'
        "<item><title>Stretching  at work</title><guid>1</guid><description><![CDATA["
        "<h1>Stretching at Work</h1><p>Three stretches.</p><h2>Watch</h2>"
        '<iframe src="https://video.example.net/embed/42"></iframe>'
        "<h2>Read</h2><p>Hold each for <video src=\"v.mp4\">no video</video> ten seconds.</p>"
        "]]></description></item>\n</channel></rss>\n", encoding="utf-8")
    (item,), problems = read(path)
    assert problems == []
    note = "(A video or other embedded media of the original is not shown here.)"
    assert [(b.kind, b.text) for b in item.blocks] == [
        ("paragraph", "Three stretches."),
        ("heading", "Watch"),
        ("paragraph", note),
        ("heading", "Read"),
        ("paragraph", f"Hold each for {note} ten seconds."),
    ]
    assert "video.example.net" not in repr(item) and "v.mp4" not in repr(item)


def test_the_reader_stays_a_function_once_its_module_has_loaded() -> None:
    import feedsite.importer.documents as documents

    read(FEEDS / "rss091.xml")  # loads the reader's module, on first use only
    # A module named like the function would replace it on the package at that moment.
    assert not isinstance(documents.read_document, types.ModuleType)
    assert documents.read_document(FEEDS / "rss091.xml", "rss091.xml", "feed/rss091.xml")[0]


def test_links_to_the_publishers_own_computer_keep_their_text_only(tmp_path: Path) -> None:
    """A feed generated on a laptop links localhost: readers could never follow those, so the
    text stays and the links (source link included) do not; the checker would report them.
    An image there is kept: `feedsite fetch` downloads it like any other."""
    path = tmp_path / "laptop.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Dev</title>'
        "<link>http://localhost:4000/</link><description>d</description>"
        "<item><title>Preview</title><guid>p1</guid><link>http://localhost:4000/p1/</link>"
        "<description>&lt;p&gt;See &lt;a href=\"http://127.0.0.1:4000/notes/\"&gt;the notes"
        "&lt;/a&gt;, &lt;a href=\"/about/\"&gt;about us&lt;/a&gt; and "
        "&lt;a href=\"https://www.nhs.uk/\"&gt;the NHS&lt;/a&gt;.&lt;/p&gt;"
        "&lt;p&gt;&lt;img src=\"http://[::1]:4000/chart.png\" alt=\"A chart\"&gt;&lt;/p&gt;"
        "</description></item></channel></rss>\n", encoding="utf-8")
    (article,), _problems = read(path)
    assert article.origin.link == ""
    assert links_and_images(article) == ["https://www.nhs.uk/", "http://[::1]:4000/chart.png"]
    assert article.blocks[0].text == "See the notes, about us and the NHS."


def test_a_change_only_to_the_language_or_the_base_is_a_change_to_the_page(
    tmp_path: Path,
) -> None:
    """Both change what the page shows (its lang, where its links lead), so both change the
    hash the render cache and `updated` go by; an item with neither keeps its old hash."""
    def source_hash(feed_attrs: str) -> str:
        path = tmp_path / "a.atom"
        path.write_text(
            f'<feed xmlns="http://www.w3.org/2005/Atom" {feed_attrs}><title>T</title><id>f</id>'
            '<entry><id>1</id><title>One</title><updated>2026-01-02T00:00:00Z</updated>'
            '<content type="html">&lt;a href="x.html"&gt;X&lt;/a&gt;</content></entry></feed>',
            encoding="utf-8")
        (article,), _problems = read(path)
        return article.source_sha256

    plain = source_hash("")
    hashes = {plain, source_hash('xml:lang="de"'), source_hash('xml:lang="fr"'),
              source_hash('xml:base="https://a.example.org/"'),
              source_hash('xml:base="https://b.example.org/"')}
    assert len(hashes) == 5
    path = tmp_path / "a.atom"
    (raw_item,) = read_xml_feed(path.read_bytes().replace(b'xml:base="https://b.example.org/"',
                                                          b"")).items
    assert plain == item_digest(raw_item, "T")  # an item with neither: the hash as before
