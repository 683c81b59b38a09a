"""Reading feed documents: every format into Articles, provenance and dates, and bad input as
one clear message naming the file (and item), never a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from feedsite.importer.documents import read_document
from feedsite.importer.documents.html_blocks import html_blocks
from feedsite.importer.documents.limits import MAX_DOCUMENT_BYTES, MAX_ITEM_CHARS
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
