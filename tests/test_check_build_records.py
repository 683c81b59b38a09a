"""`mkdocs build` records each page it writes for the first `feedsite check` after it: the
check then parses none of those pages, reports exactly what a check that parses them does, and
parses afresh any page whose file is no longer what the build wrote."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import feedsite.check.load as load
import feedsite.check.prefetch as prefetch
from check_support import TODAY
from conftest import TmpProject
from feedsite.check import build_records
from feedsite.check.build_records import PageRecorder
from feedsite.check.cache import CACHE_DIR, LOADED_FILE_NAME, CheckCache, page_digest
from feedsite.check.load import page_from_bytes
from feedsite.check.policy import CheckConfig
from feedsite.check.report import text
from feedsite.check.run import CheckRequest, run_checks
from feedsite.check.site import SiteOptions
from feedsite.cli import run


def _page(number: int, count: int) -> str:
    """One of `count` pages in a ring, with a good link, a broken one and a missing asset;
    non-ASCII text and a lone surrogate too (MkDocs writes that as a character reference)."""
    return (
        "<!doctype html><html><head>"
        '<link rel="stylesheet" href="../assets/missing.css"></head><body><main>'
        f'<h1 id="p{number}">Page {number}: café \ud800</h1>'
        f'<p><a href="../p{(number + 1) % count}/#p{(number + 1) % count}">next</a> '
        f'<a href="../p{number}/#nope">broken</a></p></main></body></html>'
    )


def _write_site(site: Path, count: int) -> dict[str, str]:
    """The pages as a build renders them (by site path), written as MkDocs writes them."""
    outputs = {f"p{n}/index.html": _page(n, count) for n in range(count)}
    for path, output in outputs.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(output.encode("utf-8", errors="xmlcharrefreplace"))
    return outputs


def _report(site: Path, cache_dir: Path | None) -> str:
    result = run_checks(CheckRequest(site=SiteOptions(site_dir=site, jobs=1),
                                     config=CheckConfig(), today=TODAY, cache_dir=cache_dir))
    return text.render(result.findings, result.summary)


def _counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real = load.parse_page
    monkeypatch.setattr(load, "parse_page",
                        lambda path, *rest: parsed.append(path) or real(path, *rest))
    return parsed


def _record_all(root: Path, outputs: dict[str, str]) -> None:
    """What a build's hook does with the pages it writes."""
    recorder = PageRecorder(root)
    recorder.start()
    for path, output in outputs.items():
        recorder.add(path, output)
    recorder.finish()
    recorder.wait()


@pytest.mark.parametrize("count", [3, build_records._BATCH * 2 + 5])  # here; a side process
def test_recorded_pages_are_the_pages_the_checker_would_read(tmp_path: Path, count: int) -> None:
    outputs = _write_site(tmp_path / "site", count)
    _record_all(tmp_path, outputs)

    pages = CheckCache.load(tmp_path / CACHE_DIR).pages
    assert pages.keys() == outputs.keys()
    for path in outputs:
        data = (tmp_path / "site" / path).read_bytes()
        _stat, digest, page = pages[path]
        assert digest == page_digest(data)
        assert page == page_from_bytes(path, data)


def test_the_first_check_after_a_build_parses_only_what_changed_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    outputs = _write_site(site, 5)
    fresh = _report(site, None)
    assert "#nope" in fresh
    _record_all(tmp_path, outputs)
    # After the build, something rewrites one page (another tool, an edit).
    changed = site / "p1" / "index.html"
    changed.write_bytes(_page(1, 5).replace('"../p1/#nope"', '"../p1/#gone"')
                        .encode("utf-8", errors="xmlcharrefreplace"))
    parsed = _counting_parses(monkeypatch)

    first = _report(site, tmp_path / CACHE_DIR)

    assert parsed == ["p1/index.html"]
    monkeypatch.undo()
    assert first == _report(site, None) != fresh
    assert "#gone" in first


def test_a_build_with_the_hook_records_its_pages_and_the_check_reuses_them(
    project: TmpProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project.write_feed("001_alpha.txt", "Alpha\n\nThe first text about follicles.\n")
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project.config_file),
         "-d", str(site)],
        cwd=project.root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    recorded = CheckCache.load(project.root / CACHE_DIR).pages
    built = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    # Every page MkDocs renders from Markdown; the theme's 404 page is not one.
    assert "index.html" in recorded and "404.html" not in recorded
    assert set(recorded) == built - {"404.html"}

    def check(*extra: str) -> str:
        assert run(["check", "-f", str(project.config_file), "--site", str(site),
                    "--format", "json", "--today", "2026-01-10", *extra]) in (0, 1)
        return capsys.readouterr().out

    fresh = check("--no-cache")
    parsed = _counting_parses(monkeypatch)
    reads: list[Path] = []
    real_read = prefetch.read_snapshot
    monkeypatch.setattr(prefetch, "read_snapshot",
                        lambda feed: reads.append(feed) or real_read(feed))
    assert check() == fresh
    assert parsed == ["404.html"]
    assert reads == []  # the build's import handed its reading of the feed over too

    # With the import switched off (as `scripts/dev check` builds), pages are still recorded.
    (project.root / CACHE_DIR / LOADED_FILE_NAME).unlink()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project.config_file),
         "-d", str(site)],
        cwd=project.root, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "FEEDSITE_IMPORT_HOOK": "0"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert set(CheckCache.load(project.root / CACHE_DIR).pages) == built - {"404.html"}


def test_serving_records_nothing(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from feedsite.preview.session import Session

    page = SimpleNamespace(file=SimpleNamespace(dest_uri="index.html"))
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))

    def build_one_page(session: Session) -> None:
        session.start_recording(config)
        session.page_written(_page(0, 1), page)
        session.finish_recording()
        session.close()

    build_one_page(Session("serve"))
    assert CheckCache.load(tmp_path / CACHE_DIR).pages == {}
    build_one_page(Session("build"))  # the same steps record when building
    assert CheckCache.load(tmp_path / CACHE_DIR).pages.keys() == {"index.html"}


def test_a_build_keeps_the_checkers_other_records(tmp_path: Path) -> None:
    cache = CheckCache.load(tmp_path / CACHE_DIR)
    cache.pages["old/index.html"] = ((1, 2, 3), b"digest", page_from_bytes("old/index.html", b"x"))
    cache.front_matter = ((("/a.md", 1, 2, 3),), {"a.md": ({"title": "A"}, False)})
    cache.loaded_changed = True
    cache.save()
    _record_all(tmp_path, {"p0/index.html": _page(0, 1)})
    kept = CheckCache.load(tmp_path / CACHE_DIR)
    assert set(kept.pages) == {"old/index.html", "p0/index.html"}
    assert kept.front_matter == cache.front_matter


def test_one_core_records_nothing_and_the_build_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_records, "usable_cores", lambda: 1)  # a side process would compete
    _record_all(tmp_path, {f"p{n}/index.html": _page(n, 100) for n in range(100)})
    assert CheckCache.load(tmp_path / CACHE_DIR).pages == {}
