"""`feedsite import` hands its reading of the feed to the checker: the first check after an
import reads no feed file, reports exactly what a check that reads them does, and a feed
changed since the import (or other code) is read again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import feedsite.check.prefetch as prefetch
from conftest import TmpProject
from feedsite.check.cache import CACHE_DIR, code_versions, folder_key
from feedsite.check.handover import FILE_NAME, hand_over, handed_over
from feedsite.cli import run
from feedsite.importer import sync
from feedsite.importer.read import read_feed
from feedsite.importer.sync import Plan

ALPHA = "Alpha\n\nThe first text about follicles.\n\nA second paragraph.\n"
BETA = "Beta\n\nAnother article, with one paragraph.\n"


def _check(project: TmpProject, site: Path, capsys: pytest.CaptureFixture[str],
           *extra: str) -> list[dict[str, object]]:
    code = run(["check", "-f", str(project.config_file), "--site", str(site), "--format",
                "json", "--today", "2026-01-10", *extra])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    findings: list[dict[str, object]] = json.loads(out)["findings"]
    return findings


@pytest.fixture
def imported(project: TmpProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Two articles imported; returns a built site folder of one page (so findings differ
    with the feed: the articles have no pages there)."""
    project.write_feed("001_alpha.txt", ALPHA)
    project.write_feed("002_beta.txt", BETA)
    assert run(["import", "-q", "-f", str(project.config_file), "--today", "2026-01-10"]) == 0
    capsys.readouterr()
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        "<!doctype html><html lang=en><head><title>Home</title></head><body><main>"
        "<h1>Home</h1><p>Welcome.</p></main></body></html>", encoding="utf-8")
    return site


def test_the_first_check_after_an_import_reads_no_feed_file_and_reports_the_same(
    project: TmpProject, imported: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert (project.root / CACHE_DIR / FILE_NAME).is_file()
    fresh = _check(project, imported, capsys, "--no-cache")  # reads the feed itself
    assert any(f["rule"] == "feed-article-without-page" for f in fresh)
    reads: list[Path] = []
    real = prefetch.read_snapshot
    monkeypatch.setattr(prefetch, "read_snapshot", lambda feed: reads.append(feed) or real(feed))

    assert _check(project, imported, capsys) == fresh
    assert reads == []  # the importer's snapshot answered
    assert _check(project, imported, capsys) == fresh  # and then the checker's own records
    assert reads == []


def test_a_feed_changed_since_the_import_is_read_again(
    project: TmpProject, imported: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _check(project, imported, capsys, "--no-cache")
    project.write_feed("003_gamma.txt", "Gamma\n\nA third article.\n")
    (project.feed / "001_alpha.txt").unlink()
    reads: list[Path] = []
    real = prefetch.read_snapshot
    monkeypatch.setattr(prefetch, "read_snapshot", lambda feed: reads.append(feed) or real(feed))

    after = _check(project, imported, capsys)

    assert reads == [project.feed]
    assert after == _check(project, imported, capsys, "--no-cache") != before
    assert "003_gamma.txt" in json.dumps(after) and "001_alpha.txt" not in json.dumps(after)


def test_a_snapshot_made_by_other_code_or_of_another_feed_is_not_used(
    project: TmpProject, imported: Path
) -> None:
    key = folder_key(project.feed)
    cache_dir = project.root / CACHE_DIR
    version = code_versions()["feed"]
    snapshot = handed_over(cache_dir, key, version)
    assert snapshot is not None
    assert [a.source for a in snapshot.articles] == ["001_alpha.txt", "002_beta.txt"]
    assert handed_over(cache_dir, key, "made by other code") is None
    assert handed_over(cache_dir, folder_key(None), version) is None
    (cache_dir / FILE_NAME).write_bytes(b"\x80 not a pickle")
    assert handed_over(cache_dir, key, version) is None


def test_a_project_that_cannot_be_written_goes_without(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "a.txt").write_text(ALPHA, encoding="utf-8")
    blocked = tmp_path / "root"
    blocked.write_text("a file where the folder would go", encoding="utf-8")
    plan = Plan((), (), (), 0, feed=read_feed(feed, feed), feed_key=folder_key(feed))
    hand_over(blocked, plan)  # no error, nothing written
    assert blocked.is_file()


def test_a_feed_file_rewritten_in_place_is_read_again(
    project: TmpProject, imported: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (project.feed / "002_beta.txt").write_text(BETA.replace("one paragraph", "two words"),
                                               encoding="utf-8")
    reads: list[Path] = []
    real = prefetch.read_snapshot
    monkeypatch.setattr(prefetch, "read_snapshot", lambda feed: reads.append(feed) or real(feed))
    first = _check(project, imported, capsys)
    assert reads == [project.feed]
    assert first == _check(project, imported, capsys, "--no-cache")


def test_a_feed_file_changed_while_the_import_reads_is_read_again_by_the_check(
    project: TmpProject, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project.write_feed("001_alpha.txt", ALPHA)
    real_read_feed = sync.read_feed

    def read_then_edit(*args: object, **kwargs: object) -> object:
        read = real_read_feed(*args, **kwargs)  # type: ignore[arg-type]
        project.write_feed("001_alpha.txt", ALPHA + "\nAdded while the import ran.\n")
        return read

    monkeypatch.setattr(sync, "read_feed", read_then_edit)
    assert run(["import", "-q", "-f", str(project.config_file), "--today", "2026-01-10"]) == 0
    monkeypatch.undo()
    snapshot = handed_over(project.root / CACHE_DIR, folder_key(project.feed),
                           code_versions()["feed"])
    assert snapshot is None  # the key was taken before the reading: the edit shows
