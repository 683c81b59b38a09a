"""`feedsite new`: file naming that fits the feed, a skeleton that imports, no overwriting."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from conftest import TmpProject
from feedsite.cli import run
from feedsite.importer.decode import decode_feed_bytes
from feedsite.importer.parse import parse_article
from feedsite.importer.skeleton import next_file_name


def hex16(title: str) -> str:
    return hashlib.sha256(title.encode()).hexdigest()[:16]


def test_next_file_name_follows_the_feed_numbering() -> None:
    names = ["000_11d43863778f376e.txt", "007_0123456789abcdef.txt", "notes.txt"]
    assert next_file_name("Is it safe?", names) == f"008_{hex16('Is it safe?')}.txt"
    assert next_file_name("X", []) == f"000_{hex16('X')}.txt"
    assert next_file_name("X", ["0099_0123456789abcdef.txt"]) == f"0100_{hex16('X')}.txt"


def test_new_writes_a_skeleton_that_imports_and_prints_its_path(
    project: TmpProject, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(project.root)
    project.write_feed("004_0123456789abcdef.txt", "Old\n\nText.\n")
    assert run(["new", "Is Coffee Good for You?"]) == 0
    expected = Path("feed") / f"005_{hex16('Is Coffee Good for You?')}.txt"
    out, err = capsys.readouterr()
    assert out == f"{expected}\n"
    assert err == (f"{expected}: a draft: `mkdocs serve` shows it; delete 'Draft:' from its "
                   "first line to publish it\n")
    article = parse_article("x.txt", decode_feed_bytes(expected.read_bytes()).text, "0")
    assert article.title == "Is Coffee Good for You?"
    assert article.draft
    assert [b.kind for b in article.blocks] == ["paragraph", "heading", "paragraph", "list"]
    assert run(["import", "-q", "--today", "2026-01-10"]) == 0
    # A draft: no page, and the home page does not name it.
    assert not (project.articles / "is-coffee-good-for-you.md").exists()
    assert "Is Coffee Good" not in (project.docs / "index.md").read_text(encoding="utf-8")
    assert "Is Coffee Good" not in (project.docs / "feed.json").read_text(encoding="utf-8")
    # Deleting the marker publishes it.
    expected.write_text(expected.read_text(encoding="utf-8").replace("Draft: ", "", 1),
                        encoding="utf-8")
    assert run(["import", "-q", "--today", "2026-01-10"]) == 0
    assert (project.articles / "is-coffee-good-for-you.md").exists()
    assert "Is Coffee Good" in (project.docs / "index.md").read_text(encoding="utf-8")
    assert "Is Coffee Good" in (project.docs / "feed.json").read_text(encoding="utf-8")


def test_new_refuses_to_overwrite(project: TmpProject, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    target = project.feed / f"000_{hex16('Taken')}.txt"
    real_open = os.open

    def create_race(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        # Another process creates the file between choosing the name and writing it.
        Path(path).write_text("Someone else's words\n", encoding="utf-8")
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", create_race)
    assert run(["new", "Taken"]) == 2
    assert capsys.readouterr().err == (
        f"feedsite new: error: {target}: already exists; not overwritten. Edit it, or pick "
        "another title\n")
    assert target.read_text(encoding="utf-8") == "Someone else's words\n"


@pytest.mark.parametrize("title", ["", "   "])
def test_new_needs_a_title(project: TmpProject, capsys: pytest.CaptureFixture[str],
                           monkeypatch: pytest.MonkeyPatch, title: str) -> None:
    monkeypatch.chdir(project.root)
    assert run(["new", title]) == 2
    assert capsys.readouterr().err == (
        'feedsite new: error: the title is empty; pass it in quotes: feedsite new "My title"\n')
    assert list(project.feed.iterdir()) == []
