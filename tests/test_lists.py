"""Lists that scale: topics from feed folders, A-Z and topic pages, the bounded home page."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import TmpProject
from feedsite.importer.entry import Entry
from feedsite.importer.frontmatter import split_page
from feedsite.importer.lists.collect import alphabetical, collect_topics, topic_links
from feedsite.importer.lists.markdown import home_region
from feedsite.importer.lists.plan import wanted_pages
from feedsite.importer.models import Article, Block
from feedsite.importer.read import read_feed
from feedsite.importer.sync import Plan, apply_plan, plan_import
from feedsite.importer.topics import folder_topic, title_from_folder
from feedsite.project import load_project

DAY = dt.date(2026, 3, 1)
_LINK = re.compile(r"\]\(([^)\s#]+\.md)(?:#[^)]*)?\)")


def run_import(project: TmpProject, force: bool = False) -> Plan:
    plan = plan_import(load_project(project.config_file), DAY, force=force)
    apply_plan(plan)
    return plan


def settings(project: TmpProject, lines: str) -> None:
    """Add keys to [tool.feedsite] in the project's pyproject.toml."""
    path = project.root / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("[tool.feedsite]\n", f"[tool.feedsite]\n{lines}\n", 1)
    path.write_text(text, encoding="utf-8")


def article_text(title: str, words: str = "Plain words about health.") -> str:
    return f"{title}\n\n{words}\n"


def front(path: Path) -> dict[str, object]:
    page = split_page(path.read_text(encoding="utf-8"))
    assert page is not None, path
    return page.meta


def make_article(title: str, topics: tuple[str, ...] = (), draft: bool = False) -> Article:
    return Article(source=f"{title}.txt", title=title, title_line=1,
                   blocks=(Block("paragraph", f"About {title}.", 3),), source_sha256="0" * 64,
                   topics=topics, draft=draft)


def entry(article: Article, published: dt.date = DAY) -> Entry:
    slug = article.title.lower().replace(" ", "-")
    return Entry(article, f"articles/{slug}.md", f"About {article.title}.", 1, published)


# --- topic names ---------------------------------------------------------------------------

@pytest.mark.parametrize(("folder", "title"), [
    ("hair-loss", "Hair loss"), ("heart_health", "Heart health"), ("HIV-and-AIDS", "HIV and AIDS"),
    ("sleep", "Sleep"),
])
def test_folder_names_become_topic_titles(folder: str, title: str) -> None:
    assert title_from_folder(folder) == title


def test_a_file_directly_in_the_feed_has_no_topic_and_settings_can_rename_one() -> None:
    assert folder_topic("001_a.txt", {}) is None
    assert folder_topic("hair-loss/001_a.txt", {}) == "Hair loss"
    assert folder_topic("hair-loss/deeper/001_a.txt", {}) == "Hair loss"
    assert folder_topic("hair-loss/001_a.txt", {"hair-loss": "Hair loss  and baldness"}) == (
        "Hair loss and baldness")


def test_reading_a_feed_with_folders_fills_article_topics(project: TmpProject) -> None:
    (project.feed / "hair-loss").mkdir()
    (project.feed / ".hidden").mkdir()
    project.write_feed("001_top.txt", article_text("Top level"))
    project.write_feed("hair-loss/001_a.txt", article_text("Alopecia basics"))
    project.write_feed(".hidden/001_x.txt", article_text("Never read"))
    read = read_feed(project.feed, project.root, {"hair-loss": "Hair loss and baldness"})
    assert [(a.source, a.topics) for a in read.articles] == [
        ("001_top.txt", ()), ("hair-loss/001_a.txt", ("Hair loss and baldness",))]


# --- pure list building ---------------------------------------------------------------------

def test_topics_merge_names_that_slugify_alike_and_leave_out_drafts() -> None:
    entries = [entry(make_article("B one", ("Hair loss",))),
               entry(make_article("A two", ("hair-loss", "Sleep"))),
               entry(make_article("C draft", ("Sleep", "Diet"), draft=True))]
    topics = collect_topics(entries)
    assert [(t.name, t.slug, [e.article.title for e in t.entries]) for t in topics] == [
        ("Hair loss", "hair-loss", ["A two", "B one"]), ("Sleep", "sleep", ["A two"])]


def test_a_to_z_ignores_case_and_accents() -> None:
    titles = ["zinc", "Éczema", "asthma", "Ear ache", "eczema"]
    ordered = alphabetical([entry(make_article(t)) for t in titles])
    assert [e.article.title for e in ordered] == ["asthma", "Ear ache", "eczema", "Éczema",
                                                  "zinc"]


def test_related_articles_change_only_near_a_new_article() -> None:
    def links(articles: list[Article]) -> dict[str, object]:
        return {k: v.related for k, v in topic_links(articles, lambda a: a.source).items()}

    articles = [make_article(f"Topic article {n:03d}", ("Sleep",)) for n in range(0, 80, 2)]
    before = links(articles)
    after = links([*articles, make_article("Topic article 041", ("Sleep",))])
    changed = [k for k in before if before[k] != after[k]]
    assert 0 < len(changed) <= 6
    assert all(len(v) == 5 for v in before.values())  # type: ignore[arg-type]
    assert all(k not in {n.url for n in v} for k, v in before.items())  # type: ignore[attr-defined]


def test_drafts_stay_out_of_every_list_and_reader_feed() -> None:
    shown = entry(make_article("Shown", ("Sleep",)))
    draft = entry(make_article("Hidden draft", ("Sleep", "Secret"), draft=True),
                  dt.date(2026, 4, 1))
    topics = collect_topics([shown, draft])
    pages = wanted_pages([shown, draft], topics, "Library")
    text = "".join(p.text() for p in pages) + home_region([shown], 1, topics)
    assert "Shown" in text and "Hidden draft" not in text and "Secret" not in text
    links = topic_links([shown.article, draft.article], lambda a: a.source)
    assert [n.title for n in links[shown.article.key].related] == []
    # Reader feeds: the import leaves drafts out (tests/test_new_article.py checks feed.json).


def test_home_region_is_bounded_and_says_when_there_is_nothing() -> None:
    assert home_region([], 0, []) == (
        "No articles yet: add a file to the feed folder and run `feedsite import`.\n")
    many = [entry(make_article(f"Article {n:04d}")) for n in range(10)]
    small = home_region(many, 10, [])
    large = home_region(many, 10_000, [])
    assert small.count("min read") == large.count("min read") == 10
    assert len(large) - len(small) == len("10,000") - len("10")
    assert "## Topics" not in small


# --- the import writes them -----------------------------------------------------------------

def test_topic_folders_give_topic_pages_links_and_related(project: TmpProject) -> None:
    for folder in ("hair-loss", "sleep"):
        (project.feed / folder).mkdir()
    project.write_feed("hair-loss/001.txt", article_text("Alopecia areata"))
    project.write_feed("hair-loss/002.txt", article_text("Hair transplants"))
    project.write_feed("sleep/001.txt", article_text("Insomnia"))
    project.write_feed("009.txt", article_text("No topic at all"))
    plan = run_import(project)
    assert not plan.failed
    topics = project.docs / "topics"
    assert sorted(p.relative_to(topics).as_posix() for p in topics.rglob("*.md")) == [
        "hair-loss.md", "index.md", "sleep.md"]
    alopecia = front(project.articles / "alopecia-areata.md")
    assert alopecia["topics"] == [{"title": "Hair loss", "url": "topics/hair-loss.md"}]
    assert alopecia["related"] == [{"title": "Hair transplants",
                                    "url": "articles/hair-transplants.md"}]
    assert "topics" not in front(project.articles / "no-topic-at-all.md")
    hair = (topics / "hair-loss.md").read_text(encoding="utf-8")
    assert "[Alopecia areata](../articles/alopecia-areata.md)" in hair
    assert "Insomnia" not in hair
    home = (project.docs / "index.md").read_text(encoding="utf-8")
    assert "[Hair loss](topics/hair-loss.md) (2)" in home
    assert "[Sleep](topics/sleep.md) (1)" in home
    assert run_import(project).changes == ()


def test_a_feed_without_folders_has_no_topic_pages_or_heading(project: TmpProject) -> None:
    project.write_feed("001.txt", article_text("Only article"))
    run_import(project)
    assert not (project.docs / "topics").exists()
    home = (project.docs / "index.md").read_text(encoding="utf-8")
    assert "Topics" not in home and "topic" not in home.lower()
    assert (project.docs / "a-z" / "index.md").is_file()


def _reach(docs: Path, start: str) -> dict[str, int]:
    """Docs-relative page -> fewest clicks from `start`, following Markdown links."""
    depth = {start: 0}
    frontier = [start]
    while frontier:
        following = []
        for page in frontier:
            text = (docs / page).read_text(encoding="utf-8")
            for target in _LINK.findall(text):
                path = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
                if path not in depth and (docs / path).is_file():
                    depth[path] = depth[page] + 1
                    following.append(path)
        frontier = following
    return depth


def test_every_article_is_within_three_clicks_of_home(project: TmpProject) -> None:
    settings(project, "list_page_size = 2\nhome_limit = 3")
    (project.feed / "sleep").mkdir()
    for n in range(23):
        name = f"sleep/{n:03d}.txt" if n % 2 else f"{n:03d}.txt"
        project.write_feed(name, article_text(f"Article {n:03d} on health"))
    run_import(project)
    a_z = sorted(p.name for p in (project.docs / "a-z").glob("*.md"))
    assert a_z == ["index.md", *sorted(f"page-{n}.md" for n in range(2, 13))]
    depth = _reach(project.docs, "index.md")
    articles = [f"articles/{p.name}" for p in project.articles.glob("*.md")]
    assert len(articles) == 23
    assert max(depth[a] for a in articles) <= 3
    home = (project.docs / "index.md").read_text(encoding="utf-8")
    assert home.count("min read") == 3
    # Topic pages are paginated the same way, page 2 in the topic's own folder.
    assert (project.docs / "topics" / "sleep" / "page-2.md").is_file()
    for page in [*project.docs.glob("a-z/**/*.md"), *project.docs.glob("topics/**/*.md"),
                 project.docs / "index.md"]:
        folder = page.parent
        for target in _LINK.findall(page.read_text(encoding="utf-8")):
            assert (folder / target).resolve().is_file(), (page, target)
    last = (project.docs / "a-z" / "page-12.md").read_text(encoding="utf-8")
    assert "[← Previous page](page-11.md)" in last and "Next page" not in last


def test_stale_list_pages_go_and_hand_edits_are_kept(project: TmpProject) -> None:
    (project.feed / "sleep").mkdir()
    project.write_feed("sleep/001.txt", article_text("Insomnia"))
    project.write_feed("002.txt", article_text("Asthma"))
    run_import(project)
    sleep = project.docs / "topics" / "sleep.md"
    sleep.write_text(sleep.read_text(encoding="utf-8") + "\nMy note.\n", encoding="utf-8")
    (project.feed / "sleep" / "001.txt").unlink()
    plan = run_import(project)
    assert [(c.path.name, c.action) for c in plan.conflicts] == [("sleep.md", "remove")]
    assert sleep.read_text(encoding="utf-8").endswith("My note.\n")
    assert not (project.docs / "topics" / "index.md").exists()
    plan = run_import(project, force=True)
    assert not sleep.exists() and plan.conflicts == ()


def test_a_hand_written_page_where_a_list_goes_is_an_error(project: TmpProject) -> None:
    project.write_feed("001.txt", article_text("Asthma"))
    (project.docs / "a-z").mkdir()
    mine = project.docs / "a-z" / "index.md"
    mine.write_text("# My own A-Z\n", encoding="utf-8")
    plan = run_import(project)
    assert [str(p) for p in plan.problems] == [
        "docs/a-z/index.md: error: is a hand-written page where feedsite import writes a "
        "generated list; rename or move it, then run `feedsite import` again"]
    assert mine.read_text(encoding="utf-8") == "# My own A-Z\n"


def test_list_pages_stay_out_of_search_and_are_not_article_pages(project: TmpProject) -> None:
    project.write_feed("001.txt", article_text("Asthma"))
    run_import(project)
    meta = front(project.docs / "a-z" / "index.md")
    assert meta["generator"] == "feedsite-list" and meta["search"] == {"exclude": True}


def test_drafts_in_the_feed_stay_off_the_lists(project: TmpProject) -> None:
    (project.feed / "sleep").mkdir()
    (project.feed / "naps").mkdir()
    project.write_feed("sleep/001.txt", article_text("Insomnia"))
    project.write_feed("sleep/002.txt", article_text("Draft: About naps"))
    project.write_feed("naps/001.txt", article_text("Draft: Power naps"))
    run_import(project)
    lists = [p.read_text(encoding="utf-8") for p in project.docs.rglob("*")
             if p.is_file() and "articles" not in p.parts and "assets" not in p.parts]
    assert any("Insomnia" in text for text in lists)
    assert not any("naps" in text.lower() for text in lists)
    assert not (project.docs / "topics" / "naps.md").exists()


def test_moving_a_file_into_a_topic_folder_keeps_its_page_and_dates(project: TmpProject) -> None:
    project.write_feed("001.txt", article_text("Insomnia"))
    assert not run_import(project).failed
    before = front(project.articles / "insomnia.md")
    (project.feed / "sleep").mkdir()
    (project.feed / "001.txt").rename(project.feed / "sleep" / "001.txt")
    later = plan_import(load_project(project.config_file), dt.date(2026, 5, 1))
    apply_plan(later)
    assert [(c.action, c.path.name) for c in later.changes if c.path.parent == project.articles
            ] == [("update", "insomnia.md")]
    after = front(project.articles / "insomnia.md")
    assert after["published"] == before["published"] and "updated" not in after
    assert after["source"] == "sleep/001.txt"
    assert after["topics"] == [{"title": "Sleep", "url": "topics/sleep.md"}]


GOLDENS = Path(__file__).parent / "goldens" / "lists"


def test_generated_list_markdown_matches_the_goldens(
    project: TmpProject, assert_golden: Callable[[Path, str], None],
) -> None:
    settings(project, "list_page_size = 2")
    (project.feed / "hair-loss").mkdir()
    for name, title in (("hair-loss/001.txt", "Alopecia: *what* [it] is"),
                        ("hair-loss/002.txt", "Hair transplants"),
                        ("hair-loss/003.txt", "Éczema of the scalp"),
                        ("004.txt", "Zinc & hair")):
        project.write_feed(name, article_text(title, f"All about {title}. Short and plain."))
    run_import(project)
    for page in ("index.md", "a-z/index.md", "a-z/page-2.md", "topics/index.md",
                 "topics/hair-loss.md", "topics/hair-loss/page-2.md"):
        golden = GOLDENS / page.replace("/", "__")
        assert_golden(golden, (project.docs / page).read_text(encoding="utf-8"))


def test_a_bad_list_setting_is_named_and_the_default_used(project: TmpProject) -> None:
    settings(project, 'home_limit = "ten"')
    project.write_feed("001.txt", article_text("Asthma"))
    plan = run_import(project)
    assert [str(p) for p in plan.problems] == [
        "pyproject.toml: warning: [tool.feedsite] home_limit must be a whole number above 0, "
        "not 'ten'; using 10"]
    assert (project.docs / "index.md").read_text(encoding="utf-8").count("min read") == 1
