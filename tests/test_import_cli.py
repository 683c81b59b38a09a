"""`feedsite import` run in-process: exit codes, --check, --dry-run, --force and exact messages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import TmpProject
from feedsite.cli import run


def feedsite_import(project: TmpProject, *args: str) -> int:
    return run(["import", "-f", str(project.config_file), "--today", "2026-01-10", *args])


@pytest.fixture(autouse=True)
def in_project(project: TmpProject, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)


def test_import_prints_the_plan_and_exits_0(project: TmpProject,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    assert feedsite_import(project) == 0
    out, err = capsys.readouterr()
    assert out == (
        "add     docs/articles/alpha.md\n"
        "update  docs/index.md\n"
        "add     docs/a-z/index.md\n"
        "add     docs/feed.xml\n"
        "add     docs/atom.xml\n"
        "add     docs/feed.json\n"
        "add     docs/robots.txt\n"
        "1 article(s); files in docs/: 6 added, 1 updated, 0 removed; 0 page(s) unchanged\n"
    )
    assert err == ""


def test_check_exits_1_when_out_of_date_and_writes_nothing(
    project: TmpProject, capsys: pytest.CaptureFixture[str],
) -> None:
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    assert feedsite_import(project, "--check", "-q") == 1
    assert not project.articles.exists()
    assert capsys.readouterr().err == "docs/ is out of date with the feed: run `feedsite import`\n"
    assert feedsite_import(project, "-q") == 0
    assert feedsite_import(project, "--check") == 0
    assert capsys.readouterr().out.endswith(
        "1 article(s); files in docs/: 0 added, 0 updated, 0 removed; 1 page(s) unchanged"
        " (nothing written)\n")


def test_dry_run_prints_the_plan_and_writes_nothing(
    project: TmpProject, capsys: pytest.CaptureFixture[str],
) -> None:
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    index_before = (project.docs / "index.md").read_bytes()
    assert feedsite_import(project, "--dry-run") == 0
    assert capsys.readouterr().out.startswith("would add     docs/articles/alpha.md\n")
    assert not project.articles.exists()
    assert (project.docs / "index.md").read_bytes() == index_before


def test_conflict_message_names_the_file(project: TmpProject,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    feedsite_import(project)
    page = project.articles / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nExtra.\n", encoding="utf-8")
    project.write_feed("001_a.txt", "Alpha\n\nIntro changed.\n")
    capsys.readouterr()
    assert feedsite_import(project, "-q") == 1
    out, err = capsys.readouterr()
    assert err == (
        "docs/articles/alpha.md: conflict: edited by hand since the last import, so the feed's "
        "new version was not written and the site shows the hand edit; choose `feedsite import "
        "--force docs/articles/alpha.md` to take the feed's version (the hand edit is lost) or "
        "`feedsite import --keep docs/articles/alpha.md` to keep the page as it is (the "
        "importer stops updating it)\n"
    )
    assert out.endswith("; 1 conflict(s)\n")
    assert feedsite_import(project, "-q", "--force") == 0


BAD_INPUTS = [
    ("empty.txt", b"",
     "feed/empty.txt:1: error: is empty or holds only whitespace; write the title on the first "
     "line and the article below it, or delete the file"),
    ("blank.txt", b" \r\n\t\r\n",
     "feed/blank.txt:1: error: is empty or holds only whitespace; write the title on the first "
     "line and the article below it, or delete the file"),
    ("title.txt", b"\nJust A Title\n\n",
     "feed/title.txt:2: error: has a title but no body; add the article text below the title, "
     "separated by a blank line"),
    ("binary.txt", b"PK\x03\x04\n\x00\x00\x01",
     "feed/binary.txt:2: error: looks like a binary file (it contains NUL bytes); feed files "
     "must be plain text: move it out of the feed folder or save it as UTF-8 text"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_INPUTS)
def test_bad_input_is_one_line_and_good_articles_still_import(
    project: TmpProject, capsys: pytest.CaptureFixture[str], name: str, content: bytes,
    message: str,
) -> None:
    project.write_feed("001_good.txt", "Good\n\nFine text.\n")
    project.write_feed(name, content)
    assert feedsite_import(project, "-q") == 1
    out, err = capsys.readouterr()
    assert err == message + "\n"
    assert out == ("1 article(s); files in docs/: 6 added, 1 updated, 0 removed; "
                   "0 page(s) unchanged; 1 file(s) rejected\n")
    assert sorted(project.pages()) == ["good.md"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read files without read permission")
def test_unreadable_file_is_reported(project: TmpProject,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    path.chmod(0)
    try:
        assert feedsite_import(project, "-q") == 1
    finally:
        path.chmod(0o644)
    assert capsys.readouterr().err == (
        "feed/001_a.txt: error: cannot be read (Permission denied); fix its permissions or "
        "remove it\n")


def test_unreadable_file_is_reported_even_as_root(
    project: TmpProject, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    real = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "001_a.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    assert feedsite_import(project, "-q") == 1
    assert capsys.readouterr().err == (
        "feed/001_a.txt: error: cannot be read (Permission denied); fix its permissions or "
        "remove it\n")


def test_bad_today_is_a_usage_error(project: TmpProject,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["import", "-f", str(project.config_file), "--today", "26/11/2026"]) == 2
    assert capsys.readouterr().err == (
        "feedsite import: error: --today: expected a date as YYYY-MM-DD, got '26/11/2026'\n")


def test_missing_feed_folder_is_a_usage_error_and_nothing_is_removed(
    project: TmpProject, capsys: pytest.CaptureFixture[str],
) -> None:
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    assert feedsite_import(project, "-q") == 0
    (project.feed / "001_a.txt").unlink()
    project.feed.rmdir()
    assert feedsite_import(project, "-q") == 2
    assert capsys.readouterr().err == (
        "feedsite import: error: feed: feed folder not found; create it, or set feed_dir under "
        "[tool.feedsite] in pyproject.toml\n")
    assert sorted(project.pages()) == ["alpha.md"]
