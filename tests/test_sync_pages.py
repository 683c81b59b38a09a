"""Sync: add, update, remove, idempotence, hand-edit conflicts, dates, review keys, atomicity."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from conftest import TmpProject
from feedsite.importer.frontmatter import split_page
from feedsite.importer.sync import Plan, apply_plan, plan_import, today_from
from feedsite.project import load_project

DAY1 = dt.date(2026, 1, 10)
DAY2 = dt.date(2026, 2, 20)


def run_import(project: TmpProject, today: dt.date = DAY1, force: bool = False) -> Plan:
    plan = plan_import(load_project(project.config_file), today, force=force)
    apply_plan(plan)
    return plan


def meta(path: Path) -> dict[str, object]:
    page = split_page(path.read_text(encoding="utf-8"))
    assert page is not None
    return page.meta


def actions(plan: Plan) -> list[tuple[str, str]]:
    return [(c.action, c.path.name) for c in plan.changes]


@pytest.fixture
def two_articles(project: TmpProject) -> TmpProject:
    project.write_feed("001_a.txt", "Alpha Article\n\nAlpha intro.\n")
    project.write_feed("002_b.txt", "Beta Article\n\nBeta intro.\n\nA Section\n\nMore.\n")
    return project


def test_first_import_adds_pages_list_and_feeds(two_articles: TmpProject) -> None:
    plan = run_import(two_articles)
    assert actions(plan) == [
        ("add", "alpha-article.md"), ("add", "beta-article.md"), ("update", "index.md"),
        ("add", "index.md"), ("add", "feed.xml"), ("add", "atom.xml"), ("add", "feed.json"),
        ("add", "robots.txt"),
    ]
    assert not plan.failed
    alpha = meta(two_articles.articles / "alpha-article.md")
    assert alpha["published"] == DAY1 and "updated" not in alpha
    assert alpha["next"] == {"title": "Beta Article", "url": "articles/beta-article.md"}
    assert "previous" not in alpha
    assert meta(two_articles.articles / "beta-article.md")["previous"] == {
        "title": "Alpha Article", "url": "articles/alpha-article.md"}
    index = (two_articles.docs / "index.md").read_text(encoding="utf-8")
    assert index == (
        "# Test Library\n\nIntroduction written by hand.\n\n"
        "<!-- feedsite:articles:start -->\n"
        "Browse [all 2 articles, A to Z](a-z/index.md).\n\n"
        "## Newest articles\n\n"
        '<div class="fs-article-list" markdown>\n\n'
        "- [Beta Article](articles/beta-article.md)\n\n    Beta intro. · 1 min read\n\n"
        "- [Alpha Article](articles/alpha-article.md)\n\n    Alpha intro. · 1 min read\n\n"
        "</div>\n"
        "<!-- feedsite:articles:end -->\n\nClosing words written by hand.\n"
    )


def test_second_run_writes_nothing_and_keeps_bytes(two_articles: TmpProject) -> None:
    run_import(two_articles)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in two_articles.docs.rglob("*")
              if p.is_file()}
    plan = run_import(two_articles, today=DAY2)
    assert plan.changes == () and plan.unchanged == 2
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in two_articles.docs.rglob("*")
             if p.is_file()}
    assert after == before


def test_changed_source_updates_page_and_sets_updated_keeping_published(
    two_articles: TmpProject,
) -> None:
    run_import(two_articles)
    two_articles.write_feed("001_a.txt", "Alpha Renamed\n\nAlpha intro, revised.\n")
    plan = run_import(two_articles, today=DAY2)
    assert ("update", "alpha-article.md") in actions(plan)
    alpha = meta(two_articles.articles / "alpha-article.md")  # slug kept despite the new title
    assert (alpha["title"], alpha["published"], alpha["updated"]) == ("Alpha Renamed", DAY1, DAY2)
    # The neighbour's previous link follows the new title.
    assert meta(two_articles.articles / "beta-article.md")["previous"] == {
        "title": "Alpha Renamed", "url": "articles/alpha-article.md"}
    # A later run on another day keeps the updated date.
    assert run_import(two_articles, today=dt.date(2026, 3, 1)).changes == ()


def test_deleted_source_removes_its_page(two_articles: TmpProject) -> None:
    run_import(two_articles)
    (two_articles.feed / "001_a.txt").unlink()
    plan = run_import(two_articles)
    assert ("remove", "alpha-article.md") in actions(plan)
    assert sorted(two_articles.pages()) == ["beta-article.md"]
    assert "previous" not in meta(two_articles.articles / "beta-article.md")


def test_hand_edited_page_is_a_conflict_and_is_kept(two_articles: TmpProject) -> None:
    run_import(two_articles)
    page = two_articles.articles / "alpha-article.md"
    edited = page.read_text(encoding="utf-8").replace("Alpha intro.", "Alpha intro, by hand.")
    page.write_text(edited, encoding="utf-8")
    two_articles.write_feed("001_a.txt", "Alpha Article\n\nAlpha intro, new source.\n")
    plan = run_import(two_articles, today=DAY2)
    assert [(c.action, c.path.name) for c in plan.conflicts] == [("update", "alpha-article.md")]
    assert plan.failed
    assert page.read_text(encoding="utf-8") == edited
    forced = run_import(two_articles, today=DAY2, force=True)
    assert ("update", "alpha-article.md") in actions(forced)
    assert "new source" in page.read_text(encoding="utf-8")


def test_hand_edited_page_of_a_deleted_source_is_not_removed(two_articles: TmpProject) -> None:
    run_import(two_articles)
    page = two_articles.articles / "alpha-article.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMy note.\n", encoding="utf-8")
    (two_articles.feed / "001_a.txt").unlink()
    two_articles.write_feed("003_c.txt", "Alpha Article\n\nA new article, same title.\n")
    plan = run_import(two_articles)
    assert [(c.action, c.path.name) for c in plan.conflicts] == [("remove", "alpha-article.md")]
    assert page.read_text(encoding="utf-8").endswith("\nMy note.\n")
    # The kept page keeps its name: the new article with the same title goes elsewhere.
    assert meta(two_articles.articles / "alpha-article-2.md")["source"] == "003_c.txt"


def test_review_keys_are_preserved_and_are_not_an_edit(two_articles: TmpProject) -> None:
    run_import(two_articles)
    page = two_articles.articles / "alpha-article.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "\nchecksum:", "\nreviewed: 2026-01-20\nreview_due: 2027-01-20\nchecksum:", 1),
        encoding="utf-8")
    two_articles.write_feed("001_a.txt", "Alpha Article\n\nAlpha intro, changed.\n")
    plan = run_import(two_articles, today=DAY2)
    assert plan.conflicts == ()
    alpha = meta(page)
    assert (alpha["reviewed"], alpha["review_due"]) == (dt.date(2026, 1, 20), dt.date(2027, 1, 20))


def test_pages_the_importer_did_not_write_are_never_touched(project: TmpProject) -> None:
    project.articles.mkdir(parents=True)
    hand = project.articles / "about.md"
    hand.write_text("---\ntitle: About\nsource: 001_a.txt\n---\n\n# About\n", encoding="utf-8")
    project.write_feed("001_a.txt", "About\n\nIntro.\n")
    plan = run_import(project)
    assert ("add", "about-2.md") in actions(plan)
    assert hand.read_text(encoding="utf-8").startswith("---\ntitle: About\n")


def test_rejected_file_keeps_its_old_page(two_articles: TmpProject) -> None:
    run_import(two_articles)
    two_articles.write_feed("001_a.txt", "   \n")
    plan = run_import(two_articles)
    assert plan.failed and plan.rejected == 1
    assert (two_articles.articles / "alpha-article.md").exists()
    assert all(c.path.name != "alpha-article.md" for c in plan.changes)


def test_equal_titles_get_distinct_pages(project: TmpProject) -> None:
    project.write_feed("001_a.txt", "Same Title\n\nOne.\n")
    project.write_feed("002_b.txt", "Same Title\n\nTwo.\n")
    run_import(project)
    assert sorted(project.pages()) == ["same-title-2.md", "same-title.md"]
    assert meta(project.articles / "same-title-2.md")["source"] == "002_b.txt"


def test_missing_markers_are_an_error_but_pages_are_written(project: TmpProject) -> None:
    (project.docs / "index.md").write_text("# Home\n", encoding="utf-8")
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    plan = run_import(project)
    assert [str(p) for p in plan.problems] == [
        "docs/index.md: error: has no managed article list; add a line "
        "<!-- feedsite:articles:start --> and a line <!-- feedsite:articles:end --> where the "
        "list should go"
    ]
    assert (project.articles / "alpha.md").exists()
    assert (project.docs / "index.md").read_text(encoding="utf-8") == "# Home\n"


def test_interrupted_write_leaves_the_old_page_and_no_temp_file(
    two_articles: TmpProject, monkeypatch: pytest.MonkeyPatch,
) -> None:
    run_import(two_articles)
    page = two_articles.articles / "alpha-article.md"
    before = page.read_bytes()
    two_articles.write_feed("001_a.txt", "Alpha Article\n\nChanged.\n")

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        run_import(two_articles)
    assert page.read_bytes() == before
    assert sorted(p.name for p in two_articles.articles.iterdir()) == [
        "alpha-article.md", "beta-article.md"]


def test_today_comes_from_flag_then_source_date_epoch() -> None:
    assert today_from("2026-05-06", {}) == dt.date(2026, 5, 6)
    assert today_from(None, {"SOURCE_DATE_EPOCH": "1767225600"}) == dt.date(2026, 1, 1)


def test_robots_txt_names_the_absolute_sitemap_and_keeps_a_hand_written_one(
    two_articles: TmpProject,
) -> None:
    run_import(two_articles)
    robots = two_articles.docs / "robots.txt"
    site_url = load_project(two_articles.config_file).site_url
    assert f"Sitemap: {site_url.rstrip('/')}/sitemap.xml" in robots.read_text(encoding="utf-8")
    assert actions(run_import(two_articles)) == []
    robots.write_text("User-agent: *\nDisallow: /drafts/\n", encoding="utf-8")
    assert "robots.txt" not in [name for _, name in actions(run_import(two_articles))]
    assert robots.read_text(encoding="utf-8") == "User-agent: *\nDisallow: /drafts/\n"


def test_home_list_keeps_a_description_that_starts_like_a_numbered_list(
    project: TmpProject,
) -> None:
    project.write_feed("001_a.txt", "Year Zero\n\n1986. was the year it began.\n")
    run_import(project)
    index = (project.docs / "index.md").read_text(encoding="utf-8")
    assert "    1986&#46; was the year it began." in index
