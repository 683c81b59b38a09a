"""Benchmark: `feedsite check` against peer link checkers on sites with planted defects.

For each size: a synthetic feed is imported into a temp copy of the project, reading guides with
known broken links are added, and the site is built. Then every tool checks the same built site
in its offline/internal mode, in the same run: wall time (median of runs), the ratio to
`feedsite check`, how many planted defects each reported, and how many other things it
reported (on this site everything outside the planted defects is valid, so those are false
positives). Run from the repository root:

    .venv/bin/python -m benchmarks.check_peers --sizes 1000,5000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.import_build import (
    BenchmarkError,
    importer_command,
    parse_sizes,
    read_front_matter,
)
from benchmarks.peers import TOOLS, Tool, matches
from benchmarks.planted_site import (
    PlantedDefect,
    build_site,
    keep_guides_out_of_nav,
    locate_in_site,
    write_guides,
)
from benchmarks.project_copy import make_project
from benchmarks.synthetic_feed import write_feed
from benchmarks.timing import machine_note, median, run_timed, tail


@dataclass(frozen=True)
class PlantedSite:
    """A built synthetic site and its ground truth."""

    project: Path
    site: Path
    articles: int
    pages: int
    importer: str
    defects: tuple[PlantedDefect, ...]


@dataclass(frozen=True)
class ToolResult:
    """One tool on one site: timings and what it found, or why it did not run."""

    tool: str
    version: str
    runs: tuple[float, ...]
    found: tuple[int, ...]  # numbers of the planted defects it reported
    other_reports: int  # reports that match no planted defect
    unavailable: str = ""  # reason when the tool could not run
    examples: tuple[str, ...] = ()  # a few of the other reports, to judge them


def prepare_site(workdir: Path, size: int, seed: int, importer_mode: str) -> PlantedSite:
    """Import a synthetic feed, add the guides with planted defects, build the site."""
    project = make_project(workdir / "project")
    articles = write_feed(project / "feed", size, seed)
    cmd, label = importer_command(importer_mode)
    done = run_timed(cmd, cwd=project)
    if done.returncode != 0:
        raise BenchmarkError(f"{label} failed:\n{tail(done.stderr + done.stdout, 12)}")
    md_by_source = {}
    for page in (project / "docs" / "articles").glob("*.md"):
        source = read_front_matter(page).get("source")
        if isinstance(source, str):
            md_by_source[source] = page.relative_to(project / "docs").as_posix()
    defects = write_guides(project / "docs", articles, md_by_source, seed)
    keep_guides_out_of_nav(project / "mkdocs.yml")
    site = workdir / "site"
    build_site(project, site)
    # LinkChecker drops root privileges to `nobody`, which must be able to read the site.
    for folder in (workdir, site, project):
        folder.chmod(0o755)
    pages = sum(1 for _ in site.rglob("*.html"))
    return PlantedSite(project, site, size, pages, label, tuple(locate_in_site(site, defects)))


def run_tool(tool: Tool, planted: PlantedSite, runs: int, timeout: float,
             repeat_under: float) -> ToolResult:
    """Time `tool` on the site up to `runs` times; score the last run's output.

    A tool whose first run took longer than `repeat_under` seconds is not repeated: on 2 cores
    a 5,000-page site keeps the slow peers busy for many minutes a run.
    """
    reason = tool.unavailable()
    if reason:
        return ToolResult(tool.name, "", (), (), 0, unavailable=reason)
    scratch = Path(tempfile.mkdtemp(prefix=f"bench-{tool.name}-"))
    scratch.chmod(0o777)
    try:
        cmd = tool.command(planted.site, planted.project, scratch)
        times = []
        for _ in range(runs):
            done = run_timed(cmd, cwd=planted.project, timeout=timeout)
            if done.returncode is None:
                return ToolResult(tool.name, tool.version(), (), (), 0,
                                  unavailable=f"timed out after {timeout:.0f}s")
            if done.returncode not in tool.ok_exits:
                return ToolResult(tool.name, tool.version(), (), (), 0,
                                  unavailable=f"failed (exit {done.returncode}): "
                                  f"{tail(done.stderr or done.stdout, 1)}")
            times.append(done.seconds)
            if done.seconds > repeat_under:
                break
        try:
            reports = tool.parse(done, planted.site, scratch)
        except (ValueError, KeyError) as exc:
            return ToolResult(tool.name, tool.version(), tuple(times), (), 0,
                              unavailable=f"could not read its output ({exc}): "
                              f"{tail(done.stderr or done.stdout, 2)}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    found: set[int] = set()
    other = []
    for report in reports:
        hits = [d.number for d in planted.defects if matches(d, report)]
        found.update(hits)
        if not hits:
            other.append(report.describe())
    return ToolResult(tool.name, tool.version(), tuple(times), tuple(sorted(found)), len(other),
                      examples=tuple(sorted(set(other))[:5]))


def format_results(planted: PlantedSite, results: Sequence[ToolResult]) -> str:
    """A Markdown table for one site; ratios are against feedsite in this same run."""
    total = len(planted.defects)
    base = next((median(r.runs) for r in results if r.tool == "feedsite" and r.runs), None)
    lines = [
        f"{planted.articles:,} articles, {planted.pages:,} HTML pages, {total} planted defects "
        f"(importer: {planted.importer})",
        "",
        "| tool | version | wall s (median) | runs | vs feedsite | planted found | missed kinds "
        "| other reports |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r.unavailable:
            reason = " ".join(r.unavailable.split())[:200]  # one table row, whatever it says
            lines.append(f"| {r.tool} | {r.version or '-'} | - | - | - | - "
                         f"| not available: {reason} | - |")
            continue
        wall = median(r.runs)
        ratio = f"{wall / base:.2f}x" if base else "-"
        missed = sorted({d.kind for d in planted.defects if d.number not in r.found})
        lines.append(
            f"| {r.tool} | {r.version} | {wall:.2f} | {len(r.runs)} | {ratio} "
            f"| {len(r.found)}/{total} | {', '.join(missed) or 'none'} | {r.other_reports} |")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.check_peers",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=parse_sizes, default=[1000, 5000],
                        help="articles per synthetic site, comma-separated (default 1000,5000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per tool (default 3)")
    parser.add_argument("--tools", default=",".join(t.name for t in TOOLS),
                        help=f"comma-separated subset of {','.join(t.name for t in TOOLS)}")
    parser.add_argument("--importer", choices=("auto", "feedsite", "standin"), default="auto")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per tool run")
    parser.add_argument("--repeat-under", type=float, default=60.0, metavar="SECONDS",
                        help="repeat a tool only while one run takes less (default 60)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temp sites")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    known = {t.name: t for t in TOOLS}
    wanted = [name.strip() for name in args.tools.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in known]
    if unknown:
        print(f"check_peers: unknown tool(s) {', '.join(unknown)}; "
              f"choose from {', '.join(known)}", file=sys.stderr)
        return 2
    report: list[dict[str, object]] = []
    for size in args.sizes:
        workdir = Path(tempfile.mkdtemp(prefix=f"feedsite-peers-{size}-"))
        print(f"check_peers: building a {size}-article site in {workdir}", file=sys.stderr)
        try:
            planted = prepare_site(workdir, size, args.seed, args.importer)
            started = machine_note()
            results = []
            for name in wanted:
                print(f"check_peers: {size} articles: running {name}", file=sys.stderr)
                results.append(run_tool(known[name], planted, args.runs, args.timeout,
                                        args.repeat_under))
        except (BenchmarkError, RuntimeError, ValueError) as exc:
            print(f"check_peers: {exc}", file=sys.stderr)
            return 1
        finally:
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
        print(format_results(planted, results), flush=True)
        print(f"\nMachine: at start {started}; at end {machine_note()}.\n", flush=True)
        report.append({
            "articles": size, "pages": planted.pages, "importer": planted.importer,
            "defects": [asdict(d) for d in planted.defects],
            "results": [asdict(r) for r in results],
        })
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=os.fspath) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
