"""The checker's fast paths give the very report of the plain path: records of unchanged files
reused from the cache, pages shared with a side process (--jobs), memoised URL resolution,
article checks run in a forked copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import feedsite.check.prefetch as prefetch
import feedsite.check.run as check_run
from check_support import FIXTURES, TODAY, scenario_config
from feedsite.check.cache import FILE_NAME, LOADED_FILE_NAME, CheckCache, stat_key
from feedsite.check.forked import fork_available, start_forked
from feedsite.check.load import _POOL_THRESHOLD
from feedsite.check.report import text
from feedsite.check.resolve import Resolver
from feedsite.check.run import CheckRequest, run_checks
from feedsite.check.site import SiteOptions
from feedsite.check.workers import Workers, _by_futures
from feedsite.cli import run
from feedsite.errors import UserError


def _report(folder: Path, cache: Path | None = None, jobs: int | None = 1) -> str:
    docs, feed = folder / "docs", folder / "feed"
    result = run_checks(
        CheckRequest(
            site=SiteOptions(
                site_dir=folder / "site", docs_dir=docs if docs.is_dir() else None, jobs=jobs
            ),
            config=scenario_config(folder),
            today=TODAY,
            feed_dir=feed if feed.is_dir() else None,
            display_root=folder,
            cache_dir=cache,
        )
    )
    return text.render(result.findings, result.summary)


@pytest.mark.parametrize("scenario", ["article_rules", "source_mapping", "theme_asset_once"])
def test_cached_runs_report_exactly_what_a_fresh_run_does(scenario: str, tmp_path: Path) -> None:
    folder = tmp_path / scenario
    shutil.copytree(FIXTURES / scenario, folder)
    cache = tmp_path / "cache"
    fresh = _report(folder)
    assert _report(folder, cache) == fresh  # cold: fills the cache
    assert (cache / LOADED_FILE_NAME).is_file()
    assert _report(folder, cache) == fresh  # warm: every record reused
    # A rebuild rewrites pages with the same bytes (new times): reused by digest.
    for page in (folder / "site").rglob("*.html"):
        os.utime(page, ns=(1, 1))
    assert _report(folder, cache) == fresh


def test_a_warm_single_process_run_reads_no_feed_and_leaves_the_cache_file_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "article_rules"
    shutil.copytree(FIXTURES / "article_rules", folder)
    cache = tmp_path / "cache"
    fresh = _report(folder, cache, jobs=1)  # cold: fills the cache
    written = {name: (cache / name).stat().st_mtime_ns for name in (FILE_NAME, LOADED_FILE_NAME)}
    reads: list[Path] = []
    real_read = prefetch.read_snapshot
    monkeypatch.setattr(prefetch, "read_snapshot",
                        lambda feed: reads.append(feed) or real_read(feed))

    assert _report(folder, cache, jobs=1) == fresh

    assert reads == []  # the feed came from the cache
    # Nothing new to save:
    assert {name: (cache / name).stat().st_mtime_ns for name in written} == written


def test_a_changed_page_or_source_is_read_again(tmp_path: Path) -> None:
    folder = tmp_path / "source_mapping"
    shutil.copytree(FIXTURES / "source_mapping", folder)
    cache = tmp_path / "cache"
    before = _report(folder, cache)
    assert "img/missing.png" in before
    page = folder / "site" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("img/missing.png", "img/gone.png"))
    doc = folder / "docs" / "index.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("img/missing.png", "img/gone.png"))
    after = _report(folder, cache)
    assert "img/gone.png" in after and "img/missing.png" not in after
    assert after == _report(folder)


def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    folder = tmp_path / "article_rules"
    shutil.copytree(FIXTURES / "article_rules", folder)
    cache = tmp_path / "cache"
    cache.mkdir()
    for name in (FILE_NAME, LOADED_FILE_NAME):
        (cache / name).write_bytes(b"not a pickle at all")
    assert _report(folder, cache) == _report(folder)
    for name in (FILE_NAME, LOADED_FILE_NAME):
        assert (cache / name).read_bytes() != b"not a pickle at all"


def _many_pages(site: Path, count: int) -> None:
    """`count` pages in a ring, each with a good and a broken link and a template asset."""
    for number in range(count):
        folder = site / f"p{number}"
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(
            "<!doctype html><html><head>"
            '<link rel="stylesheet" href="../assets/missing.css"></head><body><main>'
            f'<h1 id="p{number}">Page {number}</h1>'
            f'<p><a href="../p{(number + 1) % count}/#p{(number + 1) % count}">next</a> '
            f'<a href="../p{number}/#nope">broken</a></p></main></body></html>',
            encoding="utf-8",
        )


def test_pages_shared_with_a_side_process_give_the_same_report(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    _many_pages(folder / "site", _POOL_THRESHOLD + 20)
    one = _report(folder, jobs=1)
    assert one.count("fragment-missing") == _POOL_THRESHOLD + 20
    assert one.count("asset-missing") == 1 and f"on {_POOL_THRESHOLD + 20} pages" in one
    assert _report(folder, jobs=2) == one
    assert _report(folder, jobs=3) == one
    assert _report(folder, jobs=None) == one


def test_jobs_below_one_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(FIXTURES / "tel_pauses" / "site", tmp_path / "site")
    with pytest.raises(UserError, match="--jobs 0"):
        _report(tmp_path, jobs=0)
    assert run(["check", "--site", str(tmp_path / "site"), "--jobs", "0"]) == 2
    assert "--jobs 0" in capsys.readouterr().err


FILES = frozenset(
    {"index.html", "a/index.html", "a/b/index.html", "a/b/c.html", "x/index.html", "x/y.png"}
)
SEGMENT = st.sampled_from(["..", ".", "a", "b", "x", "c.html", "y.png", "", "%2e%2e"])


@given(
    page=st.sampled_from([*sorted(FILES - {"x/y.png"}), "a/b/deep/index.html"]),
    url=st.lists(SEGMENT, max_size=6).map("/".join),
    suffix=st.sampled_from(["", "#f", "?q#f", "/"]),
)
def test_memoised_resolution_equals_a_fresh_resolver(page: str, url: str, suffix: str) -> None:
    shared = Resolver(FILES)
    # Warm the memo from other pages first, as a run does.
    for other in sorted(FILES - {"x/y.png"}):
        shared.resolve(other, "", url + suffix)
    assert shared.resolve(page, "", url + suffix) == Resolver(FILES).resolve(page, "", url + suffix)


def test_one_usable_core_means_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert Workers(None).count == 0 and Workers(None).pool() is None
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert Workers(None).count == 1
    assert Workers(1).count == 0 and Workers(4).count == 3


@pytest.mark.parametrize("scenario", ["article_rules", "source_mapping"])
def test_article_checks_in_a_forked_copy_give_the_same_report(
    scenario: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / scenario
    shutil.copytree(FIXTURES / scenario, folder)
    one = _report(folder, jobs=1)
    plain_cache = tmp_path / "plain"
    assert _report(folder, plain_cache, jobs=1) == one
    forks: list[int] = []  # the process each forked piece of work ran in

    def counted(work: Callable[[], object], then: Callable[[], None] | None = None
                ) -> Callable[[], object]:
        # start_forked falls back to running the work here when the copy fails, with the
        # same result: the process id shows where it really ran.
        result = start_forked(lambda: (os.getpid(), work()), then=then)

        def unwrap() -> object:
            pid, value = result()
            forks.append(pid)
            return value

        return unwrap

    monkeypatch.setattr(check_run, "SIDE_CHECKS_THRESHOLD", 0)
    monkeypatch.setattr(check_run, "start_forked", counted)
    assert _report(folder, jobs=2) == one
    assert len(forks) == 1
    cache = tmp_path / "cache"
    assert _report(folder, cache, jobs=2) == one  # fills the cache, the copy's sources too
    assert set(CheckCache.load(cache).sources) == set(CheckCache.load(plain_cache).sources)
    # The copy wrote the page records while this process ran its checks.
    assert CheckCache.load(cache).pages.keys() == CheckCache.load(plain_cache).pages.keys()
    assert CheckCache.load(cache).pages
    assert _report(folder, cache, jobs=2) == one
    assert _report(folder, jobs=1) == one  # the small site alone: no copy
    assert len(forks) == 3 and os.getpid() not in forks


def test_a_source_parsed_again_in_the_forked_copy_reaches_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "article_rules"
    shutil.copytree(FIXTURES / "article_rules", folder)
    # Parity off: it runs in this process and would parse the page here first.
    with (folder / "config.toml").open("a", encoding="utf-8") as config:
        config.write('severity = { feed-article-without-page = "off", page-without-feed-article'
                     ' = "off", duplicate-article-page = "off", section-mismatch = "off",'
                     ' paragraph-missing = "off" }\n')
    monkeypatch.setattr(check_run, "SIDE_CHECKS_THRESHOLD", 0)
    cache = tmp_path / "cache"
    _report(folder, cache, jobs=2)
    before = CheckCache.load(cache).sources
    doc = "articles/bad.md"  # read by the article checks, which the copy runs
    assert doc in before
    edited = folder / "docs" / doc
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _report(folder, cache, jobs=2)
    # The copy parsed the edited file again (a new size); its new record is the one kept.
    after = CheckCache.load(cache).sources
    assert after[doc][0] != before[doc][0]
    assert after[doc][0] == stat_key(str(edited))


def _fails() -> int:
    raise UserError("from the work")


def test_forked_work_returns_its_value_and_raises_its_error() -> None:
    if fork_available():
        assert start_forked(os.getpid)() != os.getpid()  # it ran in the copy
    assert start_forked(lambda: [1, "two"])() == [1, "two"]
    with pytest.raises(UserError, match="from the work"):
        start_forked(_fails)()  # the copy failed: the work ran here and raised


def test_forked_then_runs_once_after_the_work_where_the_work_ran(tmp_path: Path) -> None:
    ran = tmp_path / "then.txt"

    def then() -> None:
        with ran.open("a", encoding="utf-8") as stream:
            stream.write(f"{os.getpid()}\n")

    assert start_forked(lambda: 7, then=then)() == 7
    # Calling the result waited for the copy to end, so `then` is done, where the work ran.
    written = ran.read_text(encoding="utf-8").split()
    assert len(written) == 1
    assert (written[0] != str(os.getpid())) == fork_available()
    ran.unlink()
    with pytest.raises(UserError, match="from the work"):
        start_forked(_fails, then=then)()
    assert not ran.exists()  # the work failed (in the copy, then here): nothing after it
    assert start_forked(lambda: 8, then=None)() == 8


def _done_by(item: int) -> tuple[int, int]:
    time.sleep(0.003)  # long enough that both processes get a share, even on a busy machine
    return item, os.getpid()


def test_shared_out_work_comes_back_in_order_from_both_ends() -> None:
    workers = Workers(2)
    try:
        pool = workers.pool()
        assert pool is not None and pool.submit(os.getpid).result() != os.getpid()  # it is up
        done = workers.share_out(_done_by, list(range(100)))
        assert [item for item, _pid in done] == list(range(100))
        pids = [pid for _item, pid in done]
        here = os.getpid()
        assert here in pids and len(set(pids)) == 2  # this process and the side one
        # The side process took a run from the front, this one the rest from the back.
        first_here = pids.index(here)
        assert first_here > 0 and all(pid == here for pid in pids[first_here:])
        # The same workers share out again (each round starts afresh).
        assert [item for item, _pid in workers.share_out(_done_by, [7, 8, 9])] == [7, 8, 9]
    finally:
        workers.close(wait=True)


def test_shared_out_work_without_fork_uses_one_task_per_item() -> None:
    workers = Workers(2)
    try:
        pool = workers.pool()
        assert pool is not None
        done = _by_futures(pool, _done_by, list(range(30)))
        assert [item for item, _pid in done] == list(range(30))
    finally:
        workers.close(wait=True)
    assert Workers(1).share_out(_done_by, [1, 2]) == [(1, os.getpid()), (2, os.getpid())]


def test_shared_out_work_does_not_wait_for_a_side_process_busy_elsewhere() -> None:
    workers = Workers(2)
    try:
        pool = workers.pool()
        assert pool is not None
        busy = pool.submit(time.sleep, 1.0)  # the side process reads the feed, say
        started = time.monotonic()
        done = workers.share_out(_done_by, list(range(20)))
        waited = time.monotonic() - started
        assert [pid for _item, pid in done] == [os.getpid()] * 20  # all done here
        assert not busy.done() and waited < 0.9  # without waiting for the busy process
        busy.result()
        # Its share_out task, started late, took nothing from the next round either.
        assert [item for item, _pid in workers.share_out(_done_by, [1, 2])] == [1, 2]
    finally:
        workers.close(wait=True)


def _fails_at_three(item: int) -> int:
    if item == 3:
        raise ValueError("item three")
    return item


def test_an_error_in_shared_out_work_is_raised_and_the_next_round_is_whole() -> None:
    workers = Workers(2)
    try:
        with pytest.raises(ValueError, match="item three"):
            workers.share_out(_fails_at_three, list(range(10)))
        assert workers.share_out(_done_by, list(range(10)))[9][0] == 9
    finally:
        workers.close(wait=True)


def _big(item: int) -> bytes:
    time.sleep(0.002)
    return bytes([item]) * 200_000  # more than a pipe holds


def _big_but_three_in_here(item: int) -> bytes:
    if item == 3 and os.getpid() == _PARENT:
        time.sleep(0.05)  # the side process meanwhile takes items and sends their results
        raise ValueError("item three")
    return _big(item)


_PARENT = os.getpid()


def test_shared_out_results_larger_than_a_pipe_come_back_whole_even_after_an_error() -> None:
    workers = Workers(2)
    try:
        found = workers.share_out(_big, list(range(12)))
        assert [result[:1] for result in found] == [bytes([item]) for item in range(12)]
        assert all(len(result) == 200_000 for result in found)
        # This process fails (its first item, from the back) while the side one still sends
        # large results: the error comes through, and the pool still shuts down.
        with pytest.raises(ValueError, match="item three"):
            workers.share_out(_big_but_three_in_here, [*range(4, 12), 3])
    finally:
        closing = threading.Thread(target=workers.close, kwargs={"wait": True}, daemon=True)
        closing.start()
        closing.join(timeout=20)
    assert not closing.is_alive()  # a side process stuck on a full pipe would hold it


_ORPHAN_SCRIPT = """
import os, signal, sys, time
from feedsite.check.workers import Workers
pool = Workers(2).pool()
print(pool.submit(os.getpid).result(), flush=True)
pool.submit(time.sleep, 60)
os.kill(os.getpid(), signal.SIGKILL)  # killed outright: no shutdown, no exit handlers
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's")
def test_a_side_process_ends_when_its_parent_is_killed() -> None:
    done = subprocess.run([sys.executable, "-c", _ORPHAN_SCRIPT], capture_output=True,
                          text=True, timeout=60, check=False)
    side = int(done.stdout.split()[0])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(side):
        time.sleep(0.05)
    assert not _alive(side)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")
