"""MkDocs hook: run `feedsite import` before every build, so `mkdocs serve` shows feed edits.

mkdocs.yml names this file under `hooks:` and watches `feed/` (`watch:`). The import lives in
the package; this file only calls it, so the site also builds without the hook once
`feedsite import` has run. Set FEEDSITE_IMPORT_HOOK=0 to skip it (e.g. to build docs/ as is).

Problems (conflicts, rejected feed files) are logged at INFO, not WARNING, on purpose:
mkdocs.yml sets `strict: true`, which turns every warning into a failed build, and under
`mkdocs serve` a failed rebuild leaves the server stuck until the next edit. The author still
sees the message in the serve log, the page keeps its previous content (nothing is lost), and
`feedsite import` or `feedsite import --check` (CI) exit 1 for the same problems.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from feedsite.errors import UserError
from feedsite.importer.sync import apply_plan, plan_import, today_from
from feedsite.problems import shown_path
from feedsite.project import load_project

log = logging.getLogger("mkdocs.plugins.feedsite")


def run_import(config_file: Path) -> list[str]:
    """Import the feed for the project of `config_file`; return the lines to log."""
    try:
        project = load_project(config_file)
        plan = plan_import(project, today_from(None), force=False)
    except (UserError, ValueError) as exc:
        return [f"feedsite import skipped: {exc}"]
    apply_plan(plan)
    lines = [f"feedsite import: {problem}" for problem in plan.problems]
    for conflict in plan.conflicts:
        lines.append(
            f"feedsite import: {shown_path(conflict.path, project.root)}: conflict: "
            "edited by hand since the last import, left as it is; run `feedsite import` for help"
        )
    if plan.changes:
        lines.append(f"feedsite import: {len(plan.changes)} file(s) written or removed in docs/")
    return lines


def on_pre_build(config: Any, **_: Any) -> None:
    if os.environ.get("FEEDSITE_IMPORT_HOOK", "1") == "0":
        return
    for line in run_import(Path(config.config_file_path)):
        log.info(line)
