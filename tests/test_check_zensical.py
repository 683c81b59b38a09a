"""Slow: `feedsite check` on the real project built by Zensical, as on an MkDocs build: no link,
asset or fragment finding on the clean site, and planted defects named at their Markdown line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from feedsite.cli import run
from site_project import REPO

pytestmark = pytest.mark.slow

pytest.importorskip(
    "zensical", reason="zensical is not installed: `pip install zensical` to run these tests"
)

# Rules that judge the prose rather than the build: the real articles may legitimately earn them.
CONTENT_RULES = {"reading-grade", "review-overdue", "description-too-long"}


def zensical_project(root: Path) -> Path:
    """The repository's project (config, docs, feed, templates), imported and built by
    Zensical, which ignores MkDocs hooks: the import runs as its own step, as CI does."""
    for name in ("docs", "feed", "overrides"):
        shutil.copytree(REPO / name, root / name)
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(REPO / name, root / name)
    assert run(["import", "-q", "-f", str(root / "mkdocs.yml"), "--today", "2026-11-26"]) == 0
    build(root)
    return root


def build(root: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--clean", "-f", str(root / "mkdocs.yml")],
        cwd=root, env={**os.environ, "NO_COLOR": "1"}, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def findings(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, object]]]:
    code = run(
        ["check", "-f", str(root / "mkdocs.yml"), "--site", str(root / "site"),
         "--today", "2026-11-26", "--format", "json", "--no-cache"]
    )  # fmt: skip
    return code, json.loads(capsys.readouterr().out)["findings"]


def test_zensical_build_of_the_real_project_checks_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = zensical_project(tmp_path)
    pages = sum(1 for _ in (root / "site").rglob("*.html"))
    assert pages >= 4  # home, A-Z, an article, 404 at least
    code, found = findings(root, capsys)
    false_positives = [f for f in found if f["rule"] not in CONTENT_RULES]
    assert false_positives == []
    assert code == 0


def test_defects_in_a_zensical_build_are_named_at_their_markdown_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = zensical_project(tmp_path)
    home = root / "docs" / "index.md"
    article = sorted((root / "docs" / "articles").glob("*.md"))[0]
    lines = home.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines += [
        "",
        f"A [broken section link](articles/{article.name}#no-such-section) and",
        "a [missing page](articles/no-such-article.md).",
    ]
    home.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The planted links make the builder warn; strict mode would stop the build there.
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nstrict: true\n" in text
    config.write_text(text.replace("\nstrict: true\n", "\nstrict: false\n"), encoding="utf-8")
    build(root)
    code, found = findings(root, capsys)
    planted = sorted(
        (
            Path(str(f["path"])).resolve().relative_to(root.resolve()).as_posix(),
            int(str(f["line"])),
            str(f["rule"]),
        )
        for f in found
        if f["rule"] not in CONTENT_RULES
    )
    assert planted == [
        ("docs/index.md", len(lines) - 1, "fragment-missing"),
        ("docs/index.md", len(lines), "link-to-markdown"),
    ]
    assert code == 1
