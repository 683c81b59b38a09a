"""Conflicts guide instead of block: one message with both choices, listings that follow the
published page, and per-page `--force PAGE` / `--keep PAGE`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import TmpProject
from feedsite.cli import run


def feedsite_import(project: TmpProject, *args: str) -> int:
    return run(["import", "-f", str(project.config_file), "--today", "2026-01-10", *args])


@pytest.fixture(autouse=True)
def in_project(project: TmpProject, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)


def hand_edit(page: Path, text: str) -> None:
    page.write_text(page.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


@pytest.fixture
def two_conflicts(project: TmpProject) -> tuple[Path, Path]:
    """Alpha and Beta imported, edited by hand, then changed in the feed."""
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    project.write_feed("002_b.txt", "Beta\n\nIntro.\n")
    assert feedsite_import(project, "-q") == 0
    alpha, beta = project.articles / "alpha.md", project.articles / "beta.md"
    hand_edit(alpha, "Alpha by hand.")
    hand_edit(beta, "Beta by hand.")
    project.write_feed("001_a.txt", "Alpha\n\nAlpha from the feed.\n")
    project.write_feed("002_b.txt", "Beta\n\nBeta from the feed.\n")
    return alpha, beta


def feed_items(project: TmpProject) -> dict[str, str]:
    items = json.loads((project.docs / "feed.json").read_text(encoding="utf-8"))["items"]
    return {item["title"]: item["content_html"] for item in items}


def test_a_conflict_names_the_page_and_both_choices(
    project: TmpProject, two_conflicts: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
) -> None:
    assert feedsite_import(project, "-q") == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        "docs/articles/alpha.md: conflict: edited by hand since the last import, so the feed's "
        "new version was not written and the site shows the hand edit; choose `feedsite import "
        "--force docs/articles/alpha.md` to take the feed's version (the hand edit is lost) or "
        "`feedsite import --keep docs/articles/alpha.md` to keep the page as it is (the "
        "importer stops updating it)")
    # Listings follow what is published: the page, not the feed text it does not show.
    items = feed_items(project)
    assert "Alpha by hand." in items["Alpha"] and "from the feed" not in items["Alpha"]


def test_force_page_takes_the_feed_version_of_that_page_only(
    project: TmpProject, two_conflicts: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
) -> None:
    alpha, beta = two_conflicts
    assert feedsite_import(project, "-q", "--force", "docs/articles/alpha.md") == 1
    assert "Alpha by hand." not in alpha.read_text(encoding="utf-8")
    assert "Beta by hand." in beta.read_text(encoding="utf-8")
    assert "docs/articles/beta.md: conflict" in capsys.readouterr().err
    items = feed_items(project)
    assert "Alpha from the feed." in items["Alpha"]
    assert "Beta by hand." in items["Beta"]
    assert feedsite_import(project, "-q", "--force", "beta") == 0  # a slug works too
    assert "Beta by hand." not in beta.read_text(encoding="utf-8")


def test_keep_page_hands_it_to_the_author_for_good(
    project: TmpProject, two_conflicts: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
) -> None:
    alpha, _beta = two_conflicts
    assert feedsite_import(project, "-q", "--keep", "docs/articles/alpha.md",
                           "--force", "docs/articles/beta.md") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ("docs/articles/alpha.md: now hand-maintained: the importer "
                                   "leaves it as it is and lists it as it reads")
    kept = alpha.read_text(encoding="utf-8")
    assert kept.startswith("---\nhand_maintained: true\n")
    assert kept.endswith("\nAlpha by hand.\n")
    # Every later run says so, leaves the page alone and lists it as the page reads.
    project.write_feed("001_a.txt", "Alpha\n\nChanged again.\n")
    assert feedsite_import(project) == 0
    out = capsys.readouterr().out
    assert ("docs/articles/alpha.md: hand-maintained (hand_maintained: true), so it is not "
            "updated from feed/001_a.txt; delete that line and run `feedsite import --force "
            "docs/articles/alpha.md` to take the feed's version again") in out.splitlines()
    assert alpha.read_text(encoding="utf-8") == kept
    assert "Alpha by hand." in feed_items(project)["Alpha"]
    assert feedsite_import(project, "--check", "-q") == 0


def test_unknown_page_is_a_usage_error(project: TmpProject, two_conflicts: tuple[Path, Path],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert feedsite_import(project, "--force", "docs/articles/nope.md") == 2
    assert capsys.readouterr().err == (
        "feedsite import: error: docs/articles/nope.md: no such article page in docs/articles; "
        "name the page as the conflict message shows it, e.g. docs/articles/<slug>.md\n")
    assert feedsite_import(project, "--keep", "alpha", "--check") == 2


def test_a_hand_edited_list_page_is_resolved_with_the_command_its_message_names(
    project: TmpProject, capsys: pytest.CaptureFixture[str],
) -> None:
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    assert feedsite_import(project, "-q") == 0
    a_z = project.docs / "a-z" / "index.md"
    hand_edit(a_z, "A note by hand.")
    project.write_feed("002_b.txt", "Beta\n\nIntro.\n")  # the list changes
    alpha = project.articles / "alpha.md"
    hand_edit(alpha, "Alpha by hand.")
    project.write_feed("001_a.txt", "Alpha\n\nAlpha from the feed.\n")
    capsys.readouterr()

    assert feedsite_import(project, "-q") == 1

    err = capsys.readouterr().err
    message = next(line for line in err.splitlines() if line.startswith("docs/a-z/index.md"))
    assert message == (
        "docs/a-z/index.md: conflict: a generated list page edited by hand since the last "
        "import, so the new list was not written and the site shows the hand edit; run "
        "`feedsite import --force docs/a-z/index.md` to make it from the feed again (the hand "
        "edit is lost); to change what lists say, edit the articles in feed/ instead")
    # The command it names works, and overwrites that page only.
    assert feedsite_import(project, "-q", "--force", "docs/a-z/index.md") == 1
    assert "A note by hand." not in a_z.read_text(encoding="utf-8")
    assert "Beta" in a_z.read_text(encoding="utf-8")
    assert "Alpha by hand." in alpha.read_text(encoding="utf-8")
    # A list page cannot be kept: it is made from the whole feed.
    assert feedsite_import(project, "-q", "--keep", "docs/a-z/index.md") == 2
