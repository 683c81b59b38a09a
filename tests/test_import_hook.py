"""The MkDocs hook: imports before each build; conflicts and bad files are WARNINGs that strict
mode does not count, so builds still pass; drafts never reach a built site."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import TmpProject
from feedsite import mkdocs_hook
from feedsite.importer.resolve import conflict_message
from feedsite.preview import session
from feedsite.project import load_project

LOGGER = "mkdocs.plugins.feedsite"


def build_config(project: TmpProject) -> SimpleNamespace:
    return SimpleNamespace(config_file_path=str(project.config_file))


def messages(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.name == LOGGER]


def test_hook_imports_the_feed(project: TmpProject, caplog: pytest.LogCaptureFixture) -> None:
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    mkdocs_hook.on_startup(command="build")
    with caplog.at_level(logging.INFO, logger=LOGGER):
        mkdocs_hook.on_pre_build(build_config(project))
    assert (project.articles / "alpha.md").exists()
    [(level, message)] = messages(caplog)
    assert level == "INFO"
    # The page, the home page's list, the A-Z page, three reader feeds and robots.txt.
    assert message == "feedsite import: 7 file(s) written or removed in docs/"


def test_hook_can_be_switched_off(project: TmpProject, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    monkeypatch.setenv("FEEDSITE_IMPORT_HOOK", "0")
    mkdocs_hook.on_startup(command="build")
    mkdocs_hook.on_pre_build(build_config(project))
    assert not project.articles.exists()


def test_conflicts_and_bad_files_are_warnings_and_listings_follow_the_page(
    project: TmpProject, caplog: pytest.LogCaptureFixture,
) -> None:
    mkdocs_hook.on_startup(command="build")
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    mkdocs_hook.run_import(project.config_file)
    page = project.articles / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nWritten by hand.\n", encoding="utf-8")
    project.write_feed("001_a.txt", "Alpha\n\nChanged in the feed.\n")
    project.write_feed("002_b.txt", "")
    with caplog.at_level(logging.INFO, logger=LOGGER):
        mkdocs_hook.run_import(project.config_file)
    found = messages(caplog)
    conflict = conflict_message(page, "update", load_project(project.config_file))
    assert found[:2] == [
        ("WARNING", "feedsite import: feed/002_b.txt:1: error: is empty or holds only "
         "whitespace; write the title on the first line and the article below it, or delete "
         "the file"),
        ("WARNING", f"feedsite import: {conflict}"),
    ]
    assert conflict.startswith("docs/articles/alpha.md: conflict: edited by hand")
    assert "`feedsite import --force docs/articles/alpha.md`" in conflict
    assert "`feedsite import --keep docs/articles/alpha.md`" in conflict
    # Strict mode does not count these warnings.
    assert all(getattr(r, "feedsite_advisory", False) for r in caplog.records
               if r.levelno >= logging.WARNING)
    assert page.read_text(encoding="utf-8").endswith("\nWritten by hand.\n")
    # The reader feed says what the published page says, not the new feed text.
    [item] = json.loads((project.docs / "feed.json").read_text(encoding="utf-8"))["items"]
    assert "Written by hand." in item["content_html"]
    assert "Changed in the feed" not in item["content_html"]


def mkdocs_build(project: TmpProject, site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("FEEDSITE_IMPORT_HOOK", None)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site), *args],
        cwd=project.root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


@pytest.mark.slow
def test_strict_build_passes_despite_a_conflict_and_leaves_drafts_out(
    project: TmpProject, tmp_path: Path,
) -> None:
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    mkdocs_hook.on_startup(command="build")
    mkdocs_hook.run_import(project.config_file)
    page = project.articles / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nBy hand.\n", encoding="utf-8")
    project.write_feed("001_a.txt", "Alpha\n\nChanged.\n")
    project.write_feed("002_b.txt", "Beta\n\nNew article.\n")
    project.write_feed("003_c.txt", "Draft: Gamma\n\nNot ready yet.\n")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert ("WARNING -  feedsite import: docs/articles/alpha.md: conflict: edited by hand "
            "since the last import") in result.stderr
    assert (tmp_path / "site" / "articles" / "beta" / "index.html").is_file()
    assert "By hand." in (tmp_path / "site" / "articles" / "alpha" / "index.html").read_text(
        encoding="utf-8")
    assert not (tmp_path / "site" / "articles" / "gamma").exists()
    assert not (project.articles / "gamma.md").exists()
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Beta" in home and "Gamma" not in home


def test_session_outside_serve_adds_no_drafts_or_notes(project: TmpProject) -> None:
    project.write_feed("001_a.txt", "Draft: Alpha\n\nIntro.\n")
    current = session.start("build")
    current.import_feed(project.config_file)
    assert current.notes["articles/alpha.md"].kind == "draft"
    assert current.page_content("<h1>Alpha</h1>", SimpleNamespace()) == "<h1>Alpha</h1>"
