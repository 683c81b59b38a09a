"""`feedsite import`: mirror feed/ into docs/ (pages, home-page list, reader feeds)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from feedsite.check.handover import hand_over
from feedsite.errors import UserError
from feedsite.importer.resolve import conflict_message, find_pages, keep_page, kept_message
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
    parser.add_argument("--force", nargs="*", metavar="PAGE", default=None,
                        help="take the feed's version of these pages even though they were "
                        "edited by hand (their hand edits are lost); with no PAGE, of every page")
    parser.add_argument("--keep", action="append", metavar="PAGE", default=[],
                        help="keep this hand-edited page as it is for good: the importer stops "
                        "updating it and lists it as the page says (repeat for more pages)")
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
        print(conflict_message(conflict.path, conflict.action, project), file=err)
    for page in plan.kept:
        print(kept_message(page, project), file=out)
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


def _force(args: argparse.Namespace, project: Project) -> bool | frozenset[Path]:
    if args.force is None:
        return False
    return True if not args.force else find_pages(project, args.force, lists=True)


def run(args: argparse.Namespace) -> int:
    project = load_project(args.config_file)
    force = _force(args, project)
    writes = not (args.check or args.dry_run)
    if args.keep:
        if not writes:
            raise UserError("--keep changes pages; it cannot go with --check or --dry-run")
        for path in sorted(find_pages(project, args.keep)):
            shown = shown_path(path, project.root)
            if keep_page(path, project):
                print(f"{shown}: now hand-maintained: the importer leaves it as it is and "
                      "lists it as it reads", file=sys.stdout)
            else:
                print(f"{shown}: already hand-maintained", file=sys.stdout)
    plan = plan_import(project, _today(args.today), force=force)
    if writes:
        apply_plan(plan)
        hand_over(project.root, plan)  # the first check then reads no feed file
    report(plan, project, verb="" if writes else "would ", quiet=args.quiet,
           out=sys.stdout, err=sys.stderr)
    if args.check and plan.changes:
        print("docs/ is out of date with the feed: run `feedsite import`", file=sys.stderr)
        return 1
    return 1 if plan.failed else 0
