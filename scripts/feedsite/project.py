"""Locate a feedsite project and read its settings from mkdocs.yml and pyproject.toml."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from feedsite.errors import UserError


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that reads mkdocs.yml's `!!python/name:` and `!ENV` tags as plain values."""


# libyaml's parser when PyYAML has it: every command reads mkdocs.yml first, which the
# pure-Python one takes 16 ms for, and libyaml 1 ms. The pure one still words the errors:
# it quotes the line and names the character (a tab, most often).
_FastLoader: Any = (
    type("_FastTolerantLoader", (yaml.CSafeLoader,), {}) if hasattr(yaml, "CSafeLoader")
    else _TolerantLoader
)

def _construct_unknown(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if suffix == "!ENV":
        return _construct_env(loader, node)
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


def _construct_env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """Resolve `!ENV VAR` / `!ENV [VAR, OTHER, default]` the way MkDocs does."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        values = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = values[:-1], (values[-1] if len(values) > 1 else None)
        if len(values) == 1:
            names = values
    for name in names:
        value = os.environ.get(str(name))
        if value is not None:
            return yaml.safe_load(value) if value else value
    return default


_TolerantLoader.add_multi_constructor("", _construct_unknown)
_FastLoader.add_multi_constructor("", _construct_unknown)


@dataclass(frozen=True)
class Project:
    """Where things live, resolved to absolute paths, plus the raw settings tables."""

    root: Path
    config_file: Path
    docs_dir: Path
    site_dir: Path
    feed_dir: Path
    articles_dir: Path
    site_url: str
    site_name: str
    mkdocs: dict[str, Any] = field(repr=False)
    settings: dict[str, Any] = field(repr=False)

    @property
    def articles_rel(self) -> str:
        """The articles folder relative to docs_dir, with forward slashes ("articles")."""
        return self.articles_dir.relative_to(self.docs_dir).as_posix()


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    """Parse mkdocs.yml; a syntax error becomes a UserError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        try:
            data = yaml.load(text, Loader=_FastLoader)
        except (yaml.YAMLError, ValueError):
            data = yaml.load(text, Loader=_TolerantLoader)  # raises again, in better words
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise UserError(f"{where}: invalid YAML: {exc}") from exc
    except ValueError as exc:  # a date such as 2024-02-30
        raise UserError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise UserError(f"{path}: expected a mapping of settings at the top level")
    return data


def read_settings(root: Path) -> dict[str, Any]:
    """The [tool.feedsite] table of pyproject.toml beside mkdocs.yml ({} when absent)."""
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return {}
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{pyproject}: invalid TOML: {exc}") from exc
    table = data.get("tool", {}).get("feedsite", {})
    if not isinstance(table, dict):
        raise UserError(f"{pyproject}: [tool.feedsite] must be a table")
    return table


def find_config_file(start: Path) -> Path | None:
    """The nearest mkdocs.yml at or above `start`, or None."""
    for folder in (start, *start.parents):
        for name in ("mkdocs.yml", "mkdocs.yaml"):
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def load_project(config_file: Path | None = None, start: Path | None = None) -> Project:
    """Build a Project from an explicit mkdocs.yml, or the nearest one above `start`."""
    if config_file is None:
        config_file = find_config_file((start or Path.cwd()).resolve())
        if config_file is None:
            raise UserError(
                "no mkdocs.yml found here or in any parent folder; "
                "run inside a feedsite project or pass --config-file"
            )
    config_file = config_file.resolve()
    root = config_file.parent
    mk = read_mkdocs_yml(config_file)
    settings = read_settings(root)
    docs_dir = (root / str(mk.get("docs_dir", "docs"))).resolve()
    site_dir = (root / str(mk.get("site_dir", "site"))).resolve()
    feed_dir = (root / str(settings.get("feed_dir", "feed"))).resolve()
    articles_dir = (docs_dir / str(settings.get("articles_dir", "articles"))).resolve()
    if docs_dir not in (articles_dir, *articles_dir.parents):
        raise UserError(f"{root / 'pyproject.toml'}: articles_dir must stay inside docs_dir")
    return Project(
        root=root,
        config_file=config_file,
        docs_dir=docs_dir,
        site_dir=site_dir,
        feed_dir=feed_dir,
        articles_dir=articles_dir,
        site_url=str(mk.get("site_url") or ""),
        site_name=str(mk.get("site_name") or ""),
        mkdocs=mk,
        settings=settings,
    )


def default_site_dir() -> Path:
    """site_dir of the nearest project's mkdocs.yml, else ./site (for commands run anywhere)."""
    config_file = find_config_file(Path.cwd().resolve())
    if config_file is None:
        return Path("site")
    return load_project(config_file).site_dir
