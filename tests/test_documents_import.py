"""`feedsite import` with feed documents: one page per item, identity by guid across title
changes, item changes synced, hand edits kept, and bad documents never stop other sources."""

from __future__ import annotations

import pytest

from conftest import TmpProject
from feedsite.cli import run
from feedsite.importer.documents.media import media_stem
from feedsite.importer.frontmatter import split_page


def feedsite_import(project: TmpProject, *args: str) -> int:
    return run(["import", "-f", str(project.config_file), "--today", "2026-01-10", "-q", *args])


def item(guid: str, title: str, body: str = "<p>Some text.</p>", extra: str = "") -> str:
    escaped = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (f"<item><title>{title}</title><guid>{guid}</guid>"
            f"<link>https://news.example.org/{guid}</link>{extra}"
            f"<description>{escaped}</description></item>")


def rss(*items: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            "<title>Local News</title><link>https://news.example.org/</link>"
            "<description>d</description>" + "".join(items) + "</channel></rss>\n")


def meta(project: TmpProject, name: str) -> dict[str, object]:
    page = split_page(project.pages()[name])
    assert page is not None
    return page.meta


@pytest.fixture(autouse=True)
def in_project(project: TmpProject, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)


def test_items_become_pages_with_provenance_and_item_dates(project: TmpProject) -> None:
    project.write_feed("news.xml", rss(
        item("a1", "Alpha news", "<p>See <a href='b2'>the beta story</a>.</p>",
             "<pubDate>Mon, 05 Oct 2026 09:00:00 +0000</pubDate>"
             "<dc:creator xmlns:dc='http://purl.org/dc/elements/1.1/'>Ann Lee</dc:creator>"
             "<category>Clinics</category>"),
        item("b2", "Beta news")))
    assert feedsite_import(project) == 0
    assert sorted(project.pages()) == ["alpha-news.md", "beta-news.md"]
    alpha = meta(project, "alpha-news.md")
    assert {k: alpha[k] for k in ("source", "item", "publisher", "original_url", "authors")} == {
        "source": "news.xml", "item": "a1", "publisher": "Local News",
        "original_url": "https://news.example.org/a1", "authors": ["Ann Lee"]}
    assert str(alpha["published"]) == "2026-10-05"
    assert str(meta(project, "beta-news.md")["published"]) == "2026-01-10"  # import date
    # A link to another item of the same feed leads to its page here.
    assert "See [the beta story](beta-news.md)." in project.pages()["alpha-news.md"]
    assert feedsite_import(project, "--check") == 0


def test_identity_survives_a_title_change_and_items_sync(project: TmpProject) -> None:
    project.write_feed("news.xml", rss(item("a1", "Alpha"), item("b2", "Beta"),
                                       item("c3", "Gamma")))
    assert feedsite_import(project) == 0
    before = project.pages()
    project.write_feed("news.xml", rss(
        item("a1", "Alpha renamed"),  # title changed: same page
        item("b2", "Beta", "<p>New text.</p>"),  # content changed
        item("d4", "Delta")))  # c3 removed, d4 added
    assert feedsite_import(project, "--dry-run") == 0
    assert project.pages() == before
    assert feedsite_import(project) == 0
    pages = project.pages()
    assert sorted(pages) == ["alpha.md", "beta.md", "delta.md"]
    assert meta(project, "alpha.md")["title"] == "Alpha renamed"
    assert "New text." in pages["beta.md"]
    assert str(meta(project, "beta.md")["updated"]) == "2026-01-10"
    assert feedsite_import(project) == 0
    assert project.pages() == pages  # a second run writes nothing


def test_hand_edits_to_item_pages_are_never_overwritten(project: TmpProject) -> None:
    project.write_feed("news.xml", rss(item("a1", "Alpha")))
    assert feedsite_import(project) == 0
    page = project.articles / "alpha.md"
    edited = page.read_text(encoding="utf-8").replace("Some text.", "My own words.")
    page.write_text(edited, encoding="utf-8")
    project.write_feed("news.xml", rss(item("a1", "Alpha", "<p>Changed upstream.</p>")))
    assert feedsite_import(project) == 1
    assert page.read_text(encoding="utf-8") == edited


def test_a_bad_document_is_rejected_and_other_sources_still_import(
    project: TmpProject, capsys: pytest.CaptureFixture[str],
) -> None:
    project.write_feed("news.xml", rss(item("a1", "Alpha")))
    assert feedsite_import(project) == 0
    capsys.readouterr()
    project.write_feed("news.xml", "<html><body>Gateway timeout</body></html>")
    project.write_feed("plain.txt", "Plain\n\nA plain-text article.\n")
    project.write_feed("notes.json", '{"hello": 1}')
    assert feedsite_import(project) == 1
    err = capsys.readouterr().err
    assert "feed/news.xml: error: is not an RSS, Atom or JSON feed" in err
    assert "feed/notes.json: error: is JSON but not a JSON Feed" in err
    assert "Traceback" not in err
    assert sorted(project.pages()) == ["alpha.md", "plain.md"]  # the old item page is kept


def test_a_rejected_item_keeps_its_page_and_the_others_keep_their_slugs(
    project: TmpProject, capsys: pytest.CaptureFixture[str],
) -> None:
    project.write_feed("news.xml", rss(item("a1", "Alpha"), item("b2", "Beta")))
    assert feedsite_import(project) == 0
    before = project.pages()
    project.write_feed("news.xml", rss(item("a1", "Alpha"),
                                       item("b2", "Beta", "<p>" + "word " * 250_000 + "</p>")))
    assert feedsite_import(project) == 1
    assert "feed/news.xml:1: error: item 2 ('b2') holds" in capsys.readouterr().err
    after = project.pages()
    assert sorted(after) == ["alpha.md", "beta.md"]  # no alpha-2.md: its slug stays its own
    assert after["beta.md"] == before["beta.md"]


def test_stored_images_leave_with_the_last_item_that_shows_them(project: TmpProject) -> None:
    shared, own = "https://news.example.org/shared.png", "https://news.example.org/own.png"
    media = project.articles / "media"
    media.mkdir(parents=True)
    stored = {url: media / f"{media_stem(url)}.png" for url in (shared, own)}
    for path in stored.values():
        path.write_bytes(b"\x89PNG\r\n\x1a\n")
    authors_file = media / "diagram.png"  # not named as `feedsite fetch` names images
    authors_file.write_bytes(b"\x89PNG\r\n\x1a\n")
    project.write_feed("news.xml", rss(
        item("a1", "Alpha", f'<p>A.</p><img src="{shared}" alt="s"><img src="{own}" alt="o">'),
        item("b2", "Beta", f'<p>B.</p><img src="{shared}" alt="s">')))
    assert feedsite_import(project) == 0
    assert f"(media/{stored[own].name})" in project.pages()["alpha.md"]
    project.write_feed("news.xml", rss(item("b2", "Beta", f'<p>B.</p><img src="{shared}">')))
    assert feedsite_import(project, "--check") == 1  # the image's removal is pending too
    assert stored[own].exists()
    assert feedsite_import(project) == 0
    assert sorted(project.pages()) == ["beta.md"]
    assert not stored[own].exists()
    assert stored[shared].exists() and authors_file.exists()
    assert feedsite_import(project, "--check") == 0
