"""Checker configuration and severity policy, read from `[tool.feedsite.check]` in
pyproject.toml and `extra.feedsite_check` in mkdocs.yml (mkdocs.yml wins key by key, and
entry by entry inside the `severity` and `external` tables).

Keys (all optional)::

    severity = { orphan-page = "error", javascript-url = "off" }  # error | warning | off
    ignore_urls = ["^https://example\\.org/"]   # regexes matched against the link as written
    ignore_files = ["drafts/*"]                 # globs on docs- or site-relative paths
    required_sections = ["Potential and Limitations"]
    max_description_length = 160
    max_reading_grade = 8                       # US school grade an article may read at
    orphan_exempt = ["tags/index.html"]         # site-relative globs never reported as orphans
    [tool.feedsite.check.external]
    timeout = 10, retries = 2, per_host = 4, workers = 16, max_age_hours = 24,
    include = [], exclude = [], max_retry_after = 60
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from feedsite.check.models import Finding, Problem, Severity
from feedsite.check.rules import RULES
from feedsite.errors import UserError

if TYPE_CHECKING:
    from feedsite.project import Project

_ORPHAN_EXEMPT = ("index.html", "404.html", "search.html", "search/index.html")


@dataclass(frozen=True)
class ExternalConfig:
    """Settings of the `--external` HTTP checker."""

    timeout: float = 10.0
    retries: int = 2
    per_host: int = 4
    workers: int = 16
    max_age_hours: float = 24.0
    max_retry_after: float = 60.0
    backoff: float = 0.5
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckConfig:
    """The merged, validated configuration."""

    severity: dict[str, Severity] = field(default_factory=dict)
    ignore_urls: tuple[str, ...] = ()
    ignore_files: tuple[str, ...] = ()
    required_sections: tuple[str, ...] = ()
    max_description_length: int = 160
    max_reading_grade: float = 8.0
    orphan_exempt: tuple[str, ...] = _ORPHAN_EXEMPT
    external: ExternalConfig = field(default_factory=ExternalConfig)

    def severity_of(self, rule: str) -> Severity:
        return self.severity.get(rule, RULES[rule].default)

    def is_ignored(self, problem: Problem, paths: tuple[str, ...]) -> bool:
        if problem.link and any(re.search(p, problem.link) for p in self.ignore_urls):
            return True
        return any(fnmatch.fnmatchcase(path, glob) for path in paths for glob in self.ignore_files)


def finding_for(
    config: CheckConfig, problem: Problem, path: str, line: int, column: int
) -> Finding:
    """Give a problem the severity the policy assigns to its rule."""
    return Finding(
        path=path,
        line=line,
        column=column,
        rule=problem.rule,
        severity=config.severity_of(problem.rule),
        message=problem.message,
        link=problem.link,
        target=problem.target,
        suggestion=problem.suggestion,
    )


def load_config(tables: list[tuple[str, Any]]) -> CheckConfig:
    """Merge config tables in order (later wins) and validate; `tables` pairs a name for
    error messages ("pyproject.toml [tool.feedsite.check]") with the raw table (or None)."""
    merged: dict[str, tuple[str, Any]] = {}
    for where, table in tables:
        if table is None:
            continue
        if not isinstance(table, dict):
            raise UserError(f"{where}: must be a table of settings")
        for key, value in table.items():
            earlier = merged.get(str(key))
            if earlier is not None and isinstance(earlier[1], dict) and isinstance(value, dict):
                # Tables (severity, external) merge rule by rule; later files win per entry.
                value = {**earlier[1], **value}
            merged[str(key)] = (where, value)
    known = {
        "severity",
        "ignore_urls",
        "ignore_files",
        "required_sections",
        "max_description_length",
        "max_reading_grade",
        "orphan_exempt",
        "external",
    }
    for key, (where, _value) in merged.items():
        if key not in known:
            raise UserError(f"{where}: unknown setting {key!r}; known: {', '.join(sorted(known))}")
    severity: dict[str, Severity] = {}
    if "severity" in merged:
        where, value = merged["severity"]
        if not isinstance(value, dict):
            raise UserError(f"{where}: severity must map rule names to error, warning or off")
        for rule, level in value.items():
            if rule not in RULES:
                raise UserError(f"{where}: severity: unknown rule {rule!r}")
            if level not in ("error", "warning", "off"):
                raise UserError(
                    f'{where}: severity.{rule} = {level!r}: use "error", "warning" or "off"'
                )
            severity[rule] = Severity(level)
    ignore_urls = _strings(merged, "ignore_urls")
    for pattern in ignore_urls:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise UserError(
                f"{merged['ignore_urls'][0]}: ignore_urls: bad regex {pattern!r}: {exc}"
            ) from exc
    max_len = merged.get("max_description_length", ("", 160))
    if not isinstance(max_len[1], int) or isinstance(max_len[1], bool) or max_len[1] < 1:
        raise UserError(f"{max_len[0]}: max_description_length must be a positive integer")
    grade = merged.get("max_reading_grade", ("", 8.0))
    if isinstance(grade[1], bool) or not isinstance(grade[1], int | float) or grade[1] < 0:
        raise UserError(f"{grade[0]}: max_reading_grade must be a non-negative number, e.g. 8")
    return CheckConfig(
        severity=severity,
        ignore_urls=ignore_urls,
        ignore_files=_strings(merged, "ignore_files"),
        required_sections=_strings(merged, "required_sections"),
        max_description_length=max_len[1],
        max_reading_grade=float(grade[1]),
        orphan_exempt=_ORPHAN_EXEMPT + _strings(merged, "orphan_exempt"),
        external=_external(merged.get("external")),
    )


def _strings(merged: dict[str, tuple[str, Any]], key: str) -> tuple[str, ...]:
    if key not in merged:
        return ()
    where, value = merged[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f"{where}: {key} must be a list of strings")
    return tuple(value)


def _external(entry: tuple[str, Any] | None) -> ExternalConfig:
    if entry is None:
        return ExternalConfig()
    where, value = entry
    if not isinstance(value, dict):
        raise UserError(f"{where}: external must be a table")
    defaults = ExternalConfig()
    values: dict[str, Any] = {}
    for key, raw in value.items():
        if key in ("include", "exclude"):
            if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
                raise UserError(f"{where}: external.{key} must be a list of regexes")
            for pattern in raw:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise UserError(
                        f"{where}: external.{key}: bad regex {pattern!r}: {exc}"
                    ) from exc
            values[key] = tuple(raw)
        elif hasattr(defaults, key):
            kind = type(getattr(defaults, key))
            if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
                raise UserError(f"{where}: external.{key} must be a non-negative number")
            values[key] = kind(raw)
        else:
            raise UserError(f"{where}: external: unknown setting {key!r}")
    return ExternalConfig(**values)


def project_config(project: Project) -> CheckConfig:
    """The checker configuration of a project: `[tool.feedsite.check]` in pyproject.toml, then
    `extra.feedsite_check` in mkdocs.yml (later entries win)."""
    extra = project.mkdocs.get("extra")
    return load_config(
        [
            (
                f"{project.root / 'pyproject.toml'} [tool.feedsite.check]",
                project.settings.get("check"),
            ),
            (
                f"{project.config_file} extra.feedsite_check",
                extra.get("feedsite_check") if isinstance(extra, dict) else None,
            ),
        ]
    )
