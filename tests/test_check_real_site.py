"""`feedsite check` on real builds: the repository's own site and a site from tricky feed
articles are clean; feed, page and front-matter drift is reported where the author fixes it."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from feedsite.cli import run
from feedsite.project import read_mkdocs_yml
from site_project import REPO, build

pytestmark = pytest.mark.slow

GOLDENS = Path(__file__).parent / "goldens" / "check"
TRICKY_FEED = {
    "010_tricky.txt": (
        'Café & Crème: Why "Quotes" <Matter> for #1 Hair *Care*\n\n'
        "Some introduction with [brackets], a_b_c underscores and `backticks`. "
        "Price: $5 & 10% off.\nA hard-wrapped second line.\n\n"
        "What It Is\n\n"
        "- First item with *stars*\n- Second item\n\n"
        "Résumé Of Results?\n\n"
        "Text with a URL https://example.org/path and <b>tags</b>.\n\n"
        "發展 and Ünïcödé\n\n"
        "A section with a non-Latin heading.\n"
    ),
    "020_plain.txt": (
        "Plain Article\n\nIntro paragraph.\n\nFirst Part\n\nFirst text.\n\n"
        "Second Part\n\nSecond text.\n"
    ),
}


def copy_project(destination: Path) -> Path:
    """A copy of the repository's project (config, docs, feed, templates, import hook)."""
    for name in ("docs", "feed", "overrides"):
        shutil.copytree(REPO / name, destination / name)
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(REPO / name, destination / name)
    # Reading grades are advice on the text, tested in test_readability.py; the sample article
    # reads above grade 8, which is not what these tests are about.
    with (destination / "pyproject.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n[tool.feedsite.check.severity]\nreading-grade = "off"\n')
    hooks = read_mkdocs_yml(REPO / "mkdocs.yml").get("hooks")
    for hook in hooks if isinstance(hooks, list) else []:
        (destination / str(hook)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / str(hook), destination / str(hook))
    return destination


def check(root: Path, site: Path, *args: str) -> int:
    return run(["check", "-f", str(root / "mkdocs.yml"), "--site", str(site), *args])


def html_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def test_repository_site_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_project(tmp_path)
    built = build(root)
    assert (built.site / "sitemap.xml").is_file() and (built.site / "404.html").is_file()
    code = check(root, built.site)
    assert capsys.readouterr().out == f"No problems found in {html_pages(built.site)} pages.\n"
    assert code == 0


@pytest.fixture
def tricky(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A project whose feed holds hard articles, imported and built (the hook imports)."""
    root = copy_project(tmp_path)
    for name, text in TRICKY_FEED.items():
        (root / "feed" / name).write_text(text, encoding="utf-8")
    built = build(root)
    monkeypatch.chdir(root)
    return root, built.site


def test_tricky_articles_are_clean(
    tricky: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, site = tricky
    assert len(list((root / "docs" / "articles").glob("*.md"))) == 3
    code = check(root, site)
    assert capsys.readouterr().out == f"No problems found in {html_pages(site)} pages.\n"
    assert code == 0


def test_feed_drift_is_reported(
    tricky: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    assert_golden: Callable[[Path, str], None],
) -> None:
    """The feed changed after the build: a new article, a removed one, reordered sections
    and an edited paragraph. Each is named with the file and line to look at."""
    root, site = tricky
    feed = root / "feed"
    (feed / "030_new.txt").write_text("New Article\n\nNot imported yet.\n", encoding="utf-8")
    (feed / "000_11d43863778f376e.txt").unlink()
    (feed / "020_plain.txt").write_text(
        "Plain Article\n\nIntro paragraph, edited.\n\nSecond Part\n\nSecond text.\n\n"
        "First Part\n\nFirst text.\n",
        encoding="utf-8",
    )
    code = check(root, site, "--today", "2026-11-26")
    assert_golden(GOLDENS / "feed_drift.txt", capsys.readouterr().out)
    assert code == 1


def test_front_matter_problems_are_reported_at_their_keys(
    tricky: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    assert_golden: Callable[[Path, str], None],
) -> None:
    root, site = tricky
    page = root / "docs" / "articles" / "plain-article.md"
    text = page.read_text(encoding="utf-8")
    # Edit whole key lines, whatever quoting the importer uses for their values.
    edits = {
        "title": 'title: "Plain Article, Renamed"',
        "reading_time": "reading_time: soon",
        "published": "published: 26/11/2026",
        "generator": "review_due: 2026-01-01\ngenerator: feedsite",
        "checksum": "",
    }
    for key, line in edits.items():
        text, count = re.subn(rf"^{key}: .*\n", line + "\n" if line else "", text, flags=re.M)
        assert count == 1, key
    page.write_text(text, encoding="utf-8")
    code = check(root, site, "--today", "2026-11-26")
    assert_golden(GOLDENS / "front_matter.txt", capsys.readouterr().out)
    assert code == 1


def test_small_project_findings_name_markdown_lines(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    assert_golden: Callable[[Path, str], None],
) -> None:
    """A real Material build with the tricky cases: wrong-case and GitHub-style fragments,
    duplicate headings (`_1`), attr_list ids, raw HTML links, an excluded page, a page outside
    the nav, an orphan, a skipped heading level and an empty section."""
    root = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "fixtures" / "check" / "build_links_project", root)
    built = build(root)
    monkeypatch.chdir(root)
    code = check(root, built.site)
    assert_golden(GOLDENS / "build_links_project.txt", capsys.readouterr().out)
    assert code == 1
