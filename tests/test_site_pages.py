"""The built site as readers and search engines see it: article pages, home, head metadata, 404."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from site_project import BuiltSite, DummyArticle, build, make_project

pytestmark = pytest.mark.slow

SITE_URL = "https://example.org/health/"
TRICKY_TITLE = 'Why "</script><script>alert(1)</script>" & ünïcödé — 发 matters'
ARTICLES = [
    DummyArticle(slug="hair-basics", title="Hair follicles: the basics",
                 description="What a follicle is, and why it rests.",
                 published="2026-01-15", reviewed="2026-02-01", review_due="2027-02-01"),
    DummyArticle(slug="tricky", title=TRICKY_TITLE,
                 description='A "quoted" <b>description</b> & more.',
                 published="2026-03-02", updated="2026-04-30"),
    DummyArticle(slug="plain", title="Plain article", description="Nothing special.",
                 published="2026-05-09"),
    # Like a feed document's item: its own publisher, original link and authors, a topic and
    # related articles, and enough sections for a contents list.
    DummyArticle(slug="long", title="Hair loss: a long guide", description="Everything.",
                 published="2026-06-01",
                 sections=("Causes", "Symptoms &amp; signs &lt;b&gt;", "Treatment",
                           "Living with it"),
                 extra=(("publisher", "Example Health <News>"),
                        ("original_url", "https://news.example.com/hair?id=1&x=2"),
                        ("authors", ["Ada Lovelace", "Mary Seacole"]),
                        ("topics", [{"title": "Hair & scalp", "url": "topics/hair.md"}]),
                        ("related", [{"title": "Plain article", "url": "articles/plain.md"},
                                     {"title": "Hair follicles: the basics",
                                      "url": "articles/hair-basics.md"}]))),
]
TOPIC_PAGE = "topics/hair.md"
A_Z_PAGE = "a-z/index.md"
NOTICE_TITLE = "Information, not medical advice"
NOTICE_SHORT = "Information only, not a substitute for advice from a qualified professional."
FEEDS = {
    "application/rss+xml": "feed.xml",
    "application/atom+xml": "atom.xml",
    "application/feed+json": "feed.json",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = make_project(tmp_path_factory.mktemp("site"), ARTICLES, site_url=SITE_URL)
    topic = root / "docs" / TOPIC_PAGE
    topic.parent.mkdir(parents=True)
    topic.write_text("# Hair & scalp\n\n- [Hair loss](../articles/long.md)\n", encoding="utf-8")
    # The A-Z list `feedsite import` writes, which "All articles" leads to.
    a_z = root / "docs" / A_Z_PAGE
    a_z.parent.mkdir(parents=True)
    a_z.write_text("# All articles A–Z\n\n- [Plain article](../articles/plain.md)\n",
                   encoding="utf-8")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["not_in_nav"] = "/articles/**\n/topics/**\n/a-z/**\n"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return build(root)


def page_path(site: Path, url_path: str) -> Path:
    """The built file for a site-relative URL path such as "articles/x/"."""
    return site / url_path / "index.html" if url_path.endswith("/") or not url_path else (
        site / url_path
    )


def load(built: BuiltSite, url_path: str) -> HTMLParser:
    return HTMLParser(page_path(built.site, url_path).read_text(encoding="utf-8"))


def article(built: BuiltSite, slug: str) -> HTMLParser:
    return load(built, f"articles/{slug}/")


def only(tree: HTMLParser | Node, selector: str) -> Node:
    found = tree.css(selector)
    assert len(found) == 1, f"expected one {selector!r}, found {len(found)}"
    return found[0]


def words(node: Node) -> str:
    return " ".join(node.text(separator=" ").split())


def next_element(node: Node) -> Node | None:
    """The next sibling element, skipping text and comments as CSS `+` does."""
    sibling = node.next
    while sibling is not None and (sibling.tag or "-").startswith("-"):
        sibling = sibling.next
    return sibling


def json_ld(tree: HTMLParser) -> dict[str, object]:
    data = json.loads(only(tree, 'script[type="application/ld+json"]').text())
    assert isinstance(data, dict)
    return data


def all_html(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_strict_build_prints_no_warnings(built: BuiltSite) -> None:
    assert "WARNING" not in built.log, built.log


def test_meta_line_follows_the_title(built: BuiltSite) -> None:
    tree = article(built, "tricky")
    h1 = only(tree, "article h1")
    meta = next_element(h1)
    assert meta is not None and meta.tag == "ul" and "fs-meta" in (meta.attributes["class"] or "")
    items = [words(li) for li in meta.css("li")]
    assert items == ["2 min read", "First published 2 March 2026", "Updated 30 April 2026"]
    assert [t.attributes["datetime"] for t in meta.css("time")] == ["2026-03-02", "2026-04-30"]


def test_meta_line_has_no_updated_entry_before_a_change(built: BuiltSite) -> None:
    items = [words(li) for li in article(built, "plain").css(".fs-meta li")]
    assert items == ["2 min read", "First published 9 May 2026"]


def test_review_dates_shown_only_when_set(built: BuiltSite) -> None:
    review = only(article(built, "hair-basics"), ".fs-review")
    assert words(review) == (
        "Page last reviewed: 1 February 2026 Next review due: 1 February 2027"
    )
    assert [t.attributes["datetime"] for t in review.css("time")] == ["2026-02-01", "2027-02-01"]
    assert article(built, "plain").css(".fs-review") == []


def test_every_page_says_information_not_advice_exactly_once(built: BuiltSite) -> None:
    for item in ARTICLES:
        tree = article(built, item.slug)
        notice = only(tree, 'article .fs-about .fs-notice[role="note"]')
        assert words(notice).startswith(NOTICE_TITLE)
        assert "does not replace advice from a doctor" in words(notice)
        body = words(only(tree, "body"))
        assert body.count(NOTICE_TITLE) == 1 and NOTICE_SHORT not in body
    home = load(built, "")
    assert home.css(".fs-notice") == []
    assert words(only(home, "footer .md-copyright")) == NOTICE_SHORT
    assert words(only(home, "body")).count(NOTICE_SHORT) == 1


def test_contents_list_under_the_meta_line_from_three_sections(built: BuiltSite) -> None:
    tree = article(built, "long")
    contents = next_element(only(tree, "article .fs-meta"))
    assert contents is not None and contents.tag == "nav"
    assert contents.attributes["aria-labelledby"] == "fs-contents-title"
    assert words(only(contents, "#fs-contents-title")) == "Contents"
    links = [(a.attributes["href"], words(a)) for a in contents.css("li a")]
    sections = [(f"#{h.attributes['id']}", words(h).rstrip("¶").strip())
                for h in tree.css("article h2")]
    assert links == sections and len(links) == 4
    assert links[1][1] == "Symptoms & signs <b>" and contents.css("b") == []
    # Two sections: the list would only repeat what a glance shows.
    assert article(built, "plain").css(".fs-contents") == []


def test_provenance_names_the_publisher_in_words(built: BuiltSite) -> None:
    plain = only(article(built, "plain"), "article .fs-provenance")
    assert words(plain) == "From Feedsite Health Library"
    assert plain.css("a") == []
    item = only(article(built, "long"), "article .fs-provenance")
    assert words(item) == "From Example Health <News> by Ada Lovelace, Mary Seacole"
    link = only(item, "a")
    assert link.attributes["href"] == "https://news.example.com/hair?id=1&x=2"
    assert words(link) == "Example Health <News>"
    assert "external" in (link.attributes["rel"] or "")


def test_no_feed_file_name_in_what_readers_see(built: BuiltSite) -> None:
    for item in ARTICLES:
        tree = article(built, item.slug)
        assert f"{item.slug}.txt" not in words(only(tree, "body"))
        assert only(tree, 'meta[name="feedsite-source"]').attributes["content"] == (
            f"{item.slug}.txt"
        )


def test_related_topics_and_all_articles_lead_on(built: BuiltSite) -> None:
    page = built.site / "articles" / "long" / "index.html"
    more = only(HTMLParser(page.read_text(encoding="utf-8")), "article nav.fs-more")
    assert words(only(more, ".fs-more__title")) == "Related"
    related = [(a.attributes["href"], words(a)) for a in more.css(".fs-more__list a")]
    assert related == [("../plain/", "Plain article"),
                       ("../hair-basics/", "Hair follicles: the basics")]
    topics = [(a.attributes["href"], words(a)) for a in more.css(".fs-more__topics a")]
    assert topics == [("../../topics/hair/", "Hair & scalp")]
    (everything,) = more.css(".fs-more__all a")
    assert (words(everything), everything.attributes["href"]) == ("All articles", "../../a-z/")
    for href in [h for h, _ in related + topics] + [everything.attributes["href"] or ""]:
        assert (page.parent / href / "index.html").resolve().is_file(), href
    # An article with neither still offers the way on to every article.
    plain = only(article(built, "plain"), "article nav.fs-more")
    assert words(plain) == "More articles All articles"


def test_one_column_no_navigation_sidebar_toc_only_on_articles(built: BuiltSite) -> None:
    for url_path in ["", "articles/long/", "articles/plain/", TOPIC_PAGE[:-3] + "/", "a-z/"]:
        tree = load(built, url_path)
        primary = only(tree, ".md-sidebar--primary")
        assert "hidden" in primary.attributes, url_path
        toc = only(tree, ".md-sidebar--secondary")
        assert ("hidden" in toc.attributes) == (not url_path.startswith("articles/")), url_path


def test_print_stylesheet_and_site_colours_in_every_head(built: BuiltSite) -> None:
    for path in all_html(built.site):
        tree = HTMLParser(path.read_text(encoding="utf-8"))
        (sheet,) = [n for n in tree.css("head link[rel=stylesheet]")
                    if (n.attributes["href"] or "").endswith("print.css")]
        assert sheet.attributes["media"] == "print"
        href = sheet.attributes["href"] or ""
        # 404.html links root-relative (it is served at any depth); the rest relatively.
        base = built.site if href.startswith("/") else path.parent
        assert (base / href.removeprefix(urlsplit(SITE_URL).path)).resolve().is_file(), path
        style = only(tree, "head style").text()
        assert "--md-primary-fg-color:#00796b" in style, path


def test_title_text_is_never_markup(built: BuiltSite) -> None:
    html = page_path(built.site, "articles/tricky/").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    tree = HTMLParser(html)
    assert only(tree, "title").text() == f"{TRICKY_TITLE} - Feedsite Health Library"
    assert words(only(tree, '[data-md-component="header-topic"]')) == " ".join(
        TRICKY_TITLE.split()
    )
    assert only(tree, "article h1").text(deep=False) == TRICKY_TITLE
    assert only(tree, 'meta[name="description"]').attributes["content"] == (
        'A "quoted" <b>description</b> & more.'
    )


def test_article_json_ld_is_a_medical_web_page(built: BuiltSite) -> None:
    data = json_ld(article(built, "tricky"))
    assert data == {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "headline": TRICKY_TITLE,
        "name": TRICKY_TITLE,
        "description": 'A "quoted" <b>description</b> & more.',
        "url": SITE_URL + "articles/tricky/",
        "inLanguage": "en",
        "datePublished": "2026-03-02",
        "dateModified": "2026-04-30",
        "isPartOf": {"@type": "WebSite", "name": "Feedsite Health Library", "url": SITE_URL},
        "publisher": {"@type": "Organization", "name": "Feedsite Health Library",
                      "url": SITE_URL},
    }


def test_json_ld_last_reviewed_and_unchanged_modified_date(built: BuiltSite) -> None:
    reviewed = json_ld(article(built, "hair-basics"))
    assert reviewed["lastReviewed"] == "2026-02-01"
    assert reviewed["dateModified"] == reviewed["datePublished"] == "2026-01-15"
    assert "lastReviewed" not in json_ld(article(built, "plain"))


def test_home_json_ld_is_a_website_with_search(built: BuiltSite) -> None:
    data = json_ld(load(built, ""))
    assert data["@type"] == "WebSite"
    assert data["url"] == SITE_URL
    action = data["potentialAction"]
    assert isinstance(action, dict)
    assert action["target"] == {
        "@type": "EntryPoint", "urlTemplate": SITE_URL + "?q={search_term_string}"
    }


@pytest.mark.parametrize(
    ("url_path", "title", "description", "og_type"),
    [
        ("articles/tricky/", TRICKY_TITLE, 'A "quoted" <b>description</b> & more.', "article"),
        ("", "Feedsite Health Library",
         "Plain-language articles on health topics, imported from the feedsite article feed.",
         "website"),
    ],
)
def test_canonical_open_graph_and_twitter(
    built: BuiltSite, url_path: str, title: str, description: str, og_type: str
) -> None:
    tree = load(built, url_path)

    def meta(selector: str) -> str | None:
        return only(tree, selector).attributes["content"]

    canonical = only(tree, 'link[rel="canonical"]').attributes["href"]
    assert canonical == SITE_URL + url_path
    assert meta('meta[property="og:url"]') == canonical
    assert meta('meta[property="og:type"]') == og_type
    assert meta('meta[property="og:title"]') == meta('meta[name="twitter:title"]') == title
    assert meta('meta[name="description"]') == description
    assert meta('meta[property="og:description"]') == description
    assert meta('meta[name="twitter:description"]') == description
    assert meta('meta[name="twitter:card"]') == "summary"


def test_every_page_links_the_three_reader_feeds(built: BuiltSite) -> None:
    for path in all_html(built.site):
        rel = path.relative_to(built.site).as_posix()
        page_url = urljoin(SITE_URL, rel)
        tree = HTMLParser(path.read_text(encoding="utf-8"))
        found = {
            node.attributes["type"]: urljoin(page_url, node.attributes["href"] or "")
            for node in tree.css('head link[rel~="alternate"]')
        }
        expected = {kind: SITE_URL + name for kind, name in FEEDS.items()}
        assert found == expected, rel


def footer_links(tree: HTMLParser) -> dict[str, tuple[str, str]]:
    return {
        rel: (node.attributes["href"] or "", words(only(node, ".md-ellipsis")))
        for rel in ("prev", "next")
        for node in tree.css(f'footer a[rel="{rel}"]')
    }


def test_previous_and_next_follow_the_front_matter(built: BuiltSite) -> None:
    middle = article(built, "tricky")
    links = footer_links(middle)
    assert links == {
        "prev": ("../hair-basics/", "Hair follicles: the basics"),
        "next": ("../plain/", "Plain article"),
    }
    here = built.site / "articles" / "tricky" / "index.html"
    for href, _ in links.values():
        assert (here.parent / href / "index.html").resolve().is_file()
    head = {n.attributes["rel"]: n.attributes["href"] for n in middle.css("head link[rel]")
            if n.attributes["rel"] in ("prev", "next")}
    assert head == {"prev": "../hair-basics/", "next": "../plain/"}
    assert set(footer_links(article(built, "hair-basics"))) == {"next"}
    assert set(footer_links(article(built, "long"))) == {"prev"}


def test_not_found_page_works_from_any_depth(built: BuiltSite) -> None:
    tree = load(built, "404.html")
    assert only(tree, "article h1").text() == "Page not found"
    assert only(tree, 'meta[name="robots"]').attributes["content"] == "noindex"
    form = only(tree, 'form[role="search"]')
    assert form.attributes["action"] == "/health/"
    assert only(form, 'input[type="search"]').attributes["name"] == "q"
    assert words(only(form, "label")) == "Search the articles"
    home = [a for a in tree.css("article a") if words(a) == "Go to the home page"]
    assert [a.attributes["href"] for a in home] == ["/health/"]
    # Served at /health/a/b/c, only root-relative or absolute references still resolve.
    for node in tree.css("link[href], script[src], img[src], a[href]"):
        ref = node.attributes.get("href") or node.attributes.get("src") or ""
        if ref.startswith(("#", "javascript:")):
            continue
        assert ref.startswith(("/", "https://example.org/")), ref


def test_no_reference_to_another_host(built: BuiltSite) -> None:
    own_host = urlsplit(SITE_URL).netloc
    offenders: list[str] = []
    for path in all_html(built.site):
        tree = HTMLParser(path.read_text(encoding="utf-8"))
        for node in tree.css("script[src], link[href], img[src], iframe[src], source[src]"):
            ref = node.attributes.get("src") or node.attributes.get("href") or ""
            host = urlsplit(ref).netloc
            if host and host != own_host:
                offenders.append(f"{path.name}: <{node.tag}> {ref}")
        for anchor in tree.css("a[href]"):
            host = urlsplit(anchor.attributes["href"] or "").netloc
            # A deliberate link to where the article was first published, for readers.
            if "fs-provenance__link" in (anchor.attributes.get("class") or ""):
                continue
            if host and host != own_host:
                offenders.append(f"{path.name}: <a> {anchor.attributes['href']}")
    for sheet in sorted(built.site.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8")
        for marker in ("url(http", "url('http", 'url("http', "@import"):
            if marker in text:
                offenders.append(f"{sheet.name}: {marker}")
    assert offenders == []


def test_robots_points_to_the_absolute_sitemap(built: BuiltSite) -> None:
    lines = (built.site / "robots.txt").read_text(encoding="utf-8").split()
    assert "Sitemap:" in lines
    assert lines[lines.index("Sitemap:") + 1] == SITE_URL + "sitemap.xml"


def test_sitemap_lists_home_and_every_article(built: BuiltSite) -> None:
    tree = HTMLParser((built.site / "sitemap.xml").read_text(encoding="utf-8"))
    locs = sorted(node.text().strip() for node in tree.css("loc"))
    assert locs == sorted([SITE_URL, SITE_URL + TOPIC_PAGE[:-3] + "/", SITE_URL + "a-z/"]
                          + [f"{SITE_URL}articles/{a.slug}/" for a in ARTICLES])


def test_home_lists_articles_under_the_styled_heading(built: BuiltSite) -> None:
    tree = load(built, "")
    heading = only(tree, "h2#articles")
    listing = next_element(heading)
    assert listing is not None and listing.tag == "ul"
    hrefs = [only(li, "a").attributes["href"] for li in listing.css("li")]
    assert hrefs == [f"articles/{a.slug}/" for a in ARTICLES]
    css = (built.site / "assets" / "stylesheets" / "site.css").read_text(encoding="utf-8")
    assert "#articles + ul" in css
