"""The import cache: a no-op import reads nothing, yet any real change is still seen.

The cache trusts a file whose size, mtime and inode are unchanged and whose mtime is well
before the cache was written; these tests prove that by changing a feed file's bytes behind
its back (same size, mtime put back), which only the cache would miss.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from conftest import TmpProject
from feedsite.cli import run
from feedsite.importer.cache import CACHE_FILE, RACY_NS

ALPHA = "Alpha\n\nThe first text.\n"
ALPHA_SAME_SIZE = "Alpha\n\nThe other text.\n"  # same length, different words
HOUR_NS = 3600 * 1_000_000_000


def feedsite_import(project: TmpProject, capsys: pytest.CaptureFixture[str]) -> str:
    code = run(["import", "-f", str(project.config_file), "--today", "2026-01-10"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def age_everything(project: TmpProject, by_ns: int = HOUR_NS) -> None:
    """Set every file's mtime into the past, as if written long before the next import."""
    then = time.time_ns() - by_ns
    for path in [*project.feed.rglob("*"), *project.docs.rglob("*")]:
        if path.is_file():
            os.utime(path, ns=(then, then))


def swap_bytes_keeping_stat(path: Path, text: str) -> None:
    """Rewrite the file in place (same inode) with same-size text and put its mtime back."""
    st = path.stat()
    assert len(text.encode()) == st.st_size
    with open(path, "r+b") as handle:
        handle.write(text.encode())
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def docs_bytes(project: TmpProject) -> dict[str, bytes]:
    return {p.relative_to(project.docs).as_posix(): p.read_bytes()
            for p in sorted(project.docs.rglob("*")) if p.is_file()}


@pytest.fixture
def imported(project: TmpProject, capsys: pytest.CaptureFixture[str]) -> TmpProject:
    """One article imported, everything aged, then a clean run that records the cache."""
    project.write_feed("001_a.txt", ALPHA)
    feedsite_import(project, capsys)
    age_everything(project)
    feedsite_import(project, capsys)
    assert (project.root / CACHE_FILE).is_file()
    return project


def test_an_unchanged_stat_is_trusted_without_reading(imported: TmpProject,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    swap_bytes_keeping_stat(imported.feed / "001_a.txt", ALPHA_SAME_SIZE)
    out = feedsite_import(imported, capsys)
    assert out.endswith("0 added, 0 updated, 0 removed; 1 page(s) unchanged\n")
    assert "The first text." in (imported.articles / "alpha.md").read_text(encoding="utf-8")
    # Without the cache the same files give the real answer.
    (imported.root / CACHE_FILE).unlink()
    out = feedsite_import(imported, capsys)
    assert "update  docs/articles/alpha.md\n" in out
    assert "The other text." in (imported.articles / "alpha.md").read_text(encoding="utf-8")


def test_a_racy_file_is_hashed_again(imported: TmpProject,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    # Written just before the cache (within the clock's resolution): the stat cannot be trusted.
    cache_written = (imported.root / CACHE_FILE).stat().st_mtime_ns
    feed = imported.feed / "001_a.txt"
    feed.write_text(ALPHA_SAME_SIZE, encoding="utf-8")
    stamp = cache_written - RACY_NS // 2
    os.utime(feed, ns=(stamp, stamp))
    data = json.loads((imported.root / CACHE_FILE).read_text(encoding="utf-8"))
    name = str(feed)
    data["files"][name][1] = stamp  # as if the cache had recorded this very mtime
    data["files"][name][2] = feed.stat().st_ino
    (imported.root / CACHE_FILE).write_text(json.dumps(data), encoding="utf-8")
    os.utime(imported.root / CACHE_FILE, ns=(cache_written, cache_written))
    assert "update  docs/articles/alpha.md\n" in feedsite_import(imported, capsys)


def test_a_file_dated_in_the_future_is_always_hashed(project: TmpProject,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    # Clock skew: a file from a machine whose clock runs an hour ahead.
    feed = project.write_feed("001_a.txt", ALPHA)
    future = time.time_ns() + HOUR_NS
    os.utime(feed, ns=(future, future))
    feedsite_import(project, capsys)
    age_everything(project)
    os.utime(feed, ns=(future, future))
    feedsite_import(project, capsys)
    swap_bytes_keeping_stat(feed, ALPHA_SAME_SIZE)
    assert "update  docs/articles/alpha.md\n" in feedsite_import(project, capsys)


def test_a_corrupt_cache_is_ignored_and_replaced(imported: TmpProject,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    expected = feedsite_import(imported, capsys)
    for garbage in (b"\x00\xffnot json", b'{"format": 1}', b"[1, 2]", b'{"format": 1, "key": '
                    b'{}, "files": {"x": 1}}'):
        (imported.root / CACHE_FILE).write_bytes(garbage)
        assert feedsite_import(imported, capsys) == expected
    assert json.loads((imported.root / CACHE_FILE).read_bytes())["format"] == 1


def test_deleting_the_cache_gives_the_same_output(project: TmpProject,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (project.feed / "sleep").mkdir()
    project.write_feed("001_a.txt", ALPHA)
    project.write_feed("sleep/002_b.txt", "Beta\n\nSleep text.\n")
    feedsite_import(project, capsys)
    age_everything(project)
    first = feedsite_import(project, capsys)
    cached = feedsite_import(project, capsys)
    tree = docs_bytes(project)
    (project.root / CACHE_FILE).unlink()
    assert feedsite_import(project, capsys) == cached == first
    assert docs_bytes(project) == tree


def test_an_edit_while_the_import_runs_is_seen_next_time(project: TmpProject) -> None:
    import datetime as dt

    from feedsite.importer.sync import apply_plan, plan_import
    from feedsite.project import load_project

    feed = project.write_feed("001_a.txt", ALPHA)
    loaded = load_project(project.config_file)
    day = dt.date(2026, 1, 10)
    plan = plan_import(loaded, day)
    feed.write_text("Alpha\n\nEdited during the import.\n", encoding="utf-8")
    apply_plan(plan)
    again = plan_import(loaded, day)
    assert [c.path.name for c in again.changes if c.path.parent == loaded.articles_dir] == [
        "alpha.md"]


def test_changes_anywhere_in_docs_or_settings_miss_the_cache(
    imported: TmpProject, capsys: pytest.CaptureFixture[str],
) -> None:
    # A hand-written page now takes the slug the article wants: the full import must decide.
    (imported.articles / "notes.md").write_text("# Notes\n", encoding="utf-8")
    pyproject = imported.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace(
        "[tool.feedsite]\n", "[tool.feedsite]\nhome_limit = 1\n", 1), encoding="utf-8")
    index = imported.docs / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("Closing", "Final"),
                     encoding="utf-8")
    out = feedsite_import(imported, capsys)
    assert out.endswith("0 added, 0 updated, 0 removed; 1 page(s) unchanged\n")
    assert "Final words" in index.read_text(encoding="utf-8")
