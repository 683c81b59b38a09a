"""`feedsite import`: mirror feed/ into docs/ (pages, home-page list, reader feeds)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from feedsite.errors import UserError
from feedsite.importer.sync import Plan, apply_plan, plan_import, today_from
from feedsite.problems import shown_path
from feedsite.project import Project, load_project


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "import",
        help="turn the feed into Markdown pages in docs/",
        description="Mirror the feed folder into docs/: one page per article, the home page's "
        "article list and the reader feeds. Only changed files are written.",
    )
    parser.add_argument("-f", "--config-file", type=Path, default=None,
                        help="the project's mkdocs.yml (default: the nearest one above here)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 when docs/ is out of date with the feed")
    mode.add_argument("--dry-run", action="store_true",
                      help="print what would change, write nothing")
    parser.add_argument("--force", action="store_true",
                        help="overwrite or remove generated pages even if edited by hand")
    parser.add_argument("--today", metavar="YYYY-MM-DD", default=None,
                        help="the date to record as published/updated (default: "
                        "SOURCE_DATE_EPOCH if set, else today in UTC)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print only problems and conflicts")
    parser.set_defaults(func=run)


def _today(value: str | None) -> Any:
    try:
        return today_from(value)
    except ValueError as exc:
        if value:
            raise UserError(f"--today: expected a date as YYYY-MM-DD, got {value!r}") from exc
        raise UserError("SOURCE_DATE_EPOCH: expected whole seconds since 1970") from exc


def report(plan: Plan, project: Project, *, verb: str, quiet: bool,
           out: TextIO, err: TextIO) -> None:
    """Print problems, conflicts and the planned changes, then a summary line."""
    for problem in plan.problems:
        print(problem, file=err)
    for conflict in plan.conflicts:
        done, what = (("overwritten", "overwrite") if conflict.action == "update"
                      else ("removed", "remove"))
        print(
            f"{shown_path(conflict.path, project.root)}: conflict: edited by hand since the last "
            f"import, so it was not {done}; move the edit into the feed file, then run "
            f"`feedsite import --force` to {what} it",
            file=err,
        )
    if not quiet:
        for change in plan.changes:
            print(f"{verb}{change.action:<7} {shown_path(change.path, project.root)}", file=out)
    counts = {a: sum(c.action == a for c in plan.changes) for a in ("add", "update", "remove")}
    summary = (f"{plan.articles} article(s); files in docs/: {counts['add']} added, "
               f"{counts['update']} updated, {counts['remove']} removed; "
               f"{plan.unchanged} page(s) unchanged")
    if plan.rejected:
        summary += f"; {plan.rejected} file(s) rejected"
    if plan.conflicts:
        summary += f"; {len(plan.conflicts)} conflict(s)"
    if verb:
        summary += " (nothing written)"
    if not quiet or plan.failed:
        print(summary, file=out)


def run(args: argparse.Namespace) -> int:
    project = load_project(args.config_file)
    plan = plan_import(project, _today(args.today), force=args.force)
    writes = not (args.check or args.dry_run)
    if writes:
        apply_plan(plan)
    report(plan, project, verb="" if writes else "would ", quiet=args.quiet,
           out=sys.stdout, err=sys.stderr)
    if args.check and plan.changes:
        print("docs/ is out of date with the feed: run `feedsite import`", file=sys.stderr)
        return 1
    return 1 if plan.failed else 0
