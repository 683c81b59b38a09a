"""`feedsite check` on a real build: leftover skeleton text is an error once published (a
warning in a draft); drafts and hand-maintained pages are not parity failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TmpProject
from feedsite.cli import run
from feedsite.importer.skeleton import skeleton_text

pytestmark = pytest.mark.slow


def test_check_knows_drafts_kept_pages_and_skeleton_text(
    project: TmpProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(project.root)
    project.write_feed("001_a.txt", "Alpha\n\nAlpha introduction.\n\nSection\n\nBody.\n")
    project.write_feed("002_b.txt", "Beta\n\nBeta introduction.\n\nSection\n\nBody.\n")
    assert run(["import", "-q"]) == 0
    beta = project.articles / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("Body.", "Rewritten by hand."),
                    encoding="utf-8")
    assert run(["import", "-q", "--keep", "beta"]) == 0
    assert run(["new", "Gamma"]) == 0  # a draft, placeholders and all
    # Published with the placeholders still in: the check must catch it.
    project.write_feed("004_d.txt", skeleton_text("Delta").replace("Draft: ", "", 1))
    assert run(["import", "-q"]) == 0
    capsys.readouterr()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=project.root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert built.returncode == 0, built.stderr
    assert run(["check", "--site", str(tmp_path / "site"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    found = {(f["rule"], f["severity"], f["path"], f["line"]) for f in report["findings"]
             if f["rule"].startswith(("skeleton", "feed-article", "section-", "paragraph-"))}
    gamma = next(p.name for p in project.feed.iterdir()
                 if p.read_text(encoding="utf-8").startswith("Draft: Gamma\n"))
    assert found == {
        ("skeleton-text", "error", "feed/004_d.txt", 3),
        ("skeleton-text", "error", "feed/004_d.txt", 1),  # the placeholder section heading
        ("skeleton-text", "error", "feed/004_d.txt", 7),
        ("skeleton-text", "error", "feed/004_d.txt", 9),
        ("skeleton-text-in-draft", "warning", f"feed/{gamma}", 1),
        ("skeleton-text-in-draft", "warning", f"feed/{gamma}", 3),
        ("skeleton-text-in-draft", "warning", f"feed/{gamma}", 7),
        ("skeleton-text-in-draft", "warning", f"feed/{gamma}", 9),
    }
