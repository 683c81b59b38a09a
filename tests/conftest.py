"""Shared pytest fixtures: a throwaway feedsite project tree and the golden-file update switch."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from feedsite.project import read_mkdocs_yml

# Property tests run beside browser builds under xdist, so per-example timing is meaningless:
# turn hypothesis' deadline off rather than flake.
settings.register_profile("feedsite", deadline=None)
settings.load_profile("feedsite")

REPO = Path(__file__).resolve().parents[1]
BROWSER_SUITE = "tests/browser/"
MINIMAL_INDEX = """\
# Test Library

Introduction written by hand.

<!-- feedsite:articles:start -->
<!-- feedsite:articles:end -->

Closing words written by hand.
"""


@pytest.hookimpl(optionalhook=True)  # xdist's hook: fine without xdist installed
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`scripts/dev test` runs `pytest -n 2 --dist loadscope`: each module's tests run on one
    worker, so a module-scoped built site is built once; the browser suite's modules share a
    session-scoped site, so they are kept together too. (xdist's `loadgroup` marks do not
    reach its scheduler under pytest 9, hence this.)"""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedSiteScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(BROWSER_SUITE):
                return BROWSER_SUITE
            return nodeid.split("::", 1)[0]  # the module, classes included

    return SharedSiteScheduling(config, log)


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


def hook_files() -> list[Path]:
    """The `hooks:` scripts the real mkdocs.yml names (a project copy needs them all)."""
    hooks = read_mkdocs_yml(REPO / "mkdocs.yml").get("hooks")
    return [Path(str(h)) for h in hooks] if isinstance(hooks, list) else []


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
    return make_project(tmp_path)


def make_project(base: Path) -> TmpProject:
    """The `project` fixture's project, in `base/project` (for module-scoped fixtures)."""
    root = base / "project"
    root.mkdir()
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy2(REPO / "pyproject.toml", root / "pyproject.toml")
    if (REPO / "overrides").is_dir():
        shutil.copytree(REPO / "overrides", root / "overrides")
    else:
        (root / "overrides").mkdir()
    for hook in hook_files():
        (root / hook).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / hook, root / hook)
    (root / "docs").mkdir()
    if (REPO / "docs" / "assets").is_dir():
        shutil.copytree(REPO / "docs" / "assets", root / "docs" / "assets")
    if (REPO / "docs" / "sw.js").is_file():
        shutil.copy2(REPO / "docs" / "sw.js", root / "docs" / "sw.js")
    (root / "docs" / "index.md").write_text(MINIMAL_INDEX, encoding="utf-8")
    (root / "feed").mkdir()
    return TmpProject(root)
