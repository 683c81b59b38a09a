"""Shared pytest fixtures: a throwaway feedsite project tree and the golden-file update switch."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests run beside browser builds under xdist, so per-example timing is meaningless:
# turn hypothesis' deadline off rather than flake.
settings.register_profile("feedsite", deadline=None)
settings.load_profile("feedsite")

REPO = Path(__file__).resolve().parents[1]
HOOK_FILE = Path("scripts/feedsite/mkdocs_hook.py")
MINIMAL_INDEX = """\
# Test Library

Introduction written by hand.

<!-- feedsite:articles:start -->
<!-- feedsite:articles:end -->

Closing words written by hand.
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite golden files from the current output instead of comparing")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    """Whether golden files should be rewritten (--update-goldens or FEEDSITE_UPDATE_GOLDENS=1)."""
    return bool(request.config.getoption("--update-goldens")) or (
        os.environ.get("FEEDSITE_UPDATE_GOLDENS") == "1"
    )


@pytest.fixture
def assert_golden(update_goldens: bool) -> Callable[[Path, str], None]:
    """Compare text with a golden file, or rewrite the file when updating goldens."""

    def check(golden: Path, actual: str) -> None:
        if update_goldens or not golden.exists():
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(actual, encoding="utf-8", newline="\n")
            if not update_goldens:
                pytest.fail(f"{golden} did not exist and was written; check it and rerun")
            return
        assert actual == golden.read_text(encoding="utf-8")

    return check


@dataclass(frozen=True)
class TmpProject:
    """A minimal feedsite project in a temp folder: the real mkdocs.yml, overrides, settings."""

    root: Path

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def feed(self) -> Path:
        return self.root / "feed"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def articles(self) -> Path:
        return self.docs / "articles"

    def write_feed(self, name: str, content: str | bytes) -> Path:
        path = self.feed / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")
        return path

    def pages(self) -> dict[str, str]:
        """Article pages by file name -> text."""
        return {p.name: p.read_text(encoding="utf-8") for p in sorted(self.articles.glob("*.md"))}


@pytest.fixture
def project(tmp_path: Path) -> TmpProject:
    """A fresh project with an empty feed and a home page holding only the managed markers."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy2(REPO / "pyproject.toml", root / "pyproject.toml")
    if (REPO / "overrides").is_dir():
        shutil.copytree(REPO / "overrides", root / "overrides")
    else:
        (root / "overrides").mkdir()
    (root / HOOK_FILE).parent.mkdir(parents=True)
    shutil.copy2(REPO / HOOK_FILE, root / HOOK_FILE)
    (root / "docs").mkdir()
    if (REPO / "docs" / "assets").is_dir():
        shutil.copytree(REPO / "docs" / "assets", root / "docs" / "assets")
    (root / "docs" / "index.md").write_text(MINIMAL_INDEX, encoding="utf-8")
    (root / "feed").mkdir()
    return TmpProject(root)
