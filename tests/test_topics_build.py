"""Slow: a feed in topic folders imports, builds strictly with MkDocs and passes the checker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TmpProject
from feedsite.cli import run

pytestmark = pytest.mark.slow

TOPICS = {"hair-loss": ("Alopecia areata", "Hair transplants", "Thinning hair"),
          "sleep": ("Insomnia", "Naps in the day"), "": ("First aid kits",)}


def write_feed(project: TmpProject) -> None:
    number = 0
    for folder, titles in TOPICS.items():
        if folder:
            (project.feed / folder).mkdir()
        for title in titles:
            number += 1
            name = f"{folder}/{number:03d}.txt" if folder else f"{number:03d}.txt"
            project.write_feed(name, f"{title}\n\nA short text about {title.lower()}. It is "
                               "plain and clear.\n\nWhat to do\n\nAsk a nurse if unsure.\n")


def test_topic_folders_build_strict_and_every_list_page_is_linked(
    project: TmpProject, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace(
        "[tool.feedsite]\n", "[tool.feedsite]\nlist_page_size = 2\n", 1), encoding="utf-8")
    write_feed(project)
    assert run(["import", "-q", "-f", str(project.config_file), "--today", "2026-11-26"]) == 0
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=project.root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="topics/hair-loss/"' in home and 'href="topics/sleep/"' in home
    assert 'href="a-z/"' in home
    hair = (site / "topics" / "hair-loss" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../articles/alopecia-areata/"' in hair
    assert 'href="page-2/"' in hair  # three articles, two a page
    assert (site / "topics" / "hair-loss" / "page-2" / "index.html").is_file()
    assert (site / "a-z" / "page-3" / "index.html").is_file()
    article = (site / "articles" / "insomnia" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../topics/sleep/"' in article
    assert 'href="../naps-in-the-day/"' in article  # related, same topic
    capsys.readouterr()
    code = run(["check", "-f", str(project.config_file), "--site", str(site)])
    out = capsys.readouterr().out
    assert "orphan-page" not in out and " error" not in out, out
    assert code == 0, out
