"""Lay out a throw-away copy of the feedsite project (config, templates, hand-written docs)."""

from __future__ import annotations

import shutil
from pathlib import Path

from feedsite.project import read_mkdocs_yml

REPO_ROOT = Path(__file__).resolve().parent.parent


def _hook_files(config_file: Path) -> list[str]:
    """Relative paths of the `hooks:` scripts mkdocs.yml names (they must come along)."""
    hooks = read_mkdocs_yml(config_file).get("hooks")
    return [str(h) for h in hooks] if isinstance(hooks, list) else []


def make_project(dest: Path, source_root: Path = REPO_ROOT) -> Path:
    """Copy mkdocs.yml, pyproject.toml, overrides/ and docs/ (without generated articles).

    Generated outputs (docs/articles/*, reader feeds) are left out so the importer starts from
    an empty mirror; `feed/` is created empty for the caller to fill.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(source_root / name, dest / name)
    for hook in _hook_files(source_root / "mkdocs.yml"):
        target = dest / hook
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source_root / hook, target)
    if (source_root / "overrides").is_dir():
        shutil.copytree(source_root / "overrides", dest / "overrides")
    generated = {"articles", "feed.xml", "atom.xml", "feed.json"}
    shutil.copytree(
        source_root / "docs", dest / "docs",
        ignore=lambda folder, names: [n for n in names if n in generated]
        if Path(folder) == source_root / "docs" else [],
    )
    (dest / "docs" / "articles").mkdir()
    (dest / "feed").mkdir()
    return dest
