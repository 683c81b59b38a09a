"""The MkDocs hook: imports before each build, logs problems at INFO so strict builds pass."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import TmpProject
from feedsite import mkdocs_hook


def test_hook_imports_the_feed(project: TmpProject, caplog: pytest.LogCaptureFixture) -> None:
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.feedsite"):
        mkdocs_hook.on_pre_build(SimpleNamespace(config_file_path=str(project.config_file)))
    assert (project.articles / "alpha.md").exists()
    assert [r.getMessage() for r in caplog.records] == [
        "feedsite import: 6 file(s) written or removed in docs/"]
    assert {r.levelno for r in caplog.records} == {logging.INFO}


def test_hook_can_be_switched_off(project: TmpProject, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    monkeypatch.setenv("FEEDSITE_IMPORT_HOOK", "0")
    mkdocs_hook.on_pre_build(SimpleNamespace(config_file_path=str(project.config_file)))
    assert not project.articles.exists()


def test_hook_reports_conflicts_and_bad_files_without_overwriting(project: TmpProject) -> None:
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    mkdocs_hook.run_import(project.config_file)
    page = project.articles / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nBy hand.\n", encoding="utf-8")
    project.write_feed("001_a.txt", "Alpha\n\nChanged.\n")
    project.write_feed("002_b.txt", "")
    lines = mkdocs_hook.run_import(project.config_file)
    assert lines == [
        "feedsite import: feed/002_b.txt:1: error: is empty or holds only whitespace; write the "
        "title on the first line and the article below it, or delete the file",
        "feedsite import: docs/articles/alpha.md: conflict: edited by hand since the last "
        "import, left as it is; run `feedsite import` for help",
        "feedsite import: 4 file(s) written or removed in docs/",  # home list and feeds
    ]
    assert page.read_text(encoding="utf-8").endswith("\nBy hand.\n")


@pytest.mark.slow
def test_strict_build_with_the_hook_passes_despite_a_conflict(project: TmpProject,
                                                              tmp_path: Path) -> None:
    project.write_feed("001_a.txt", "Alpha\n\nIntro.\n")
    mkdocs_hook.run_import(project.config_file)
    page = project.articles / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nBy hand.\n", encoding="utf-8")
    project.write_feed("002_b.txt", "Beta\n\nNew article.\n")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("FEEDSITE_IMPORT_HOOK", None)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=project.root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert ("INFO    -  feedsite import: docs/articles/alpha.md: conflict: edited by hand "
            "since the last import") in result.stderr
    assert (tmp_path / "site" / "articles" / "beta" / "index.html").is_file()
