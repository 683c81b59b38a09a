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
import resource
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
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
from benchmarks.timing import Timed, machine_note, median, run_timed, tail


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
    cpu: tuple[float, ...] = ()  # CPU seconds (user + system, all its processes) per run


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


@dataclass
class _Running:
    """One tool's state while the tools take turns."""

    tool: Tool
    cmd: list[str]
    scratch: Path
    times: list[float]
    cpu: list[float] = field(default_factory=list)
    last: Timed | None = None
    result: ToolResult | None = None  # set once the tool is done (or failed)


def turn_off(pyproject: Path, rules: Sequence[str]) -> None:
    """Set the given feedsite rules to "off" in the project's [tool.feedsite.check] table."""
    if not rules:
        return
    text = pyproject.read_text(encoding="utf-8")
    entry = "severity = { " + ", ".join(f'"{rule}" = "off"' for rule in rules) + " }\n"
    header = "[tool.feedsite.check]\n"
    if header in text:
        if "\nseverity" in text.split(header, 1)[1].split("\n[", 1)[0]:
            raise BenchmarkError("--rule-off: the project already sets severities")
        text = text.replace(header, header + entry, 1)
    else:
        text = text.rstrip("\n") + "\n\n" + header + entry
    pyproject.write_text(text, encoding="utf-8")


def run_tools(tools: Sequence[Tool], planted: PlantedSite, runs: int, timeout: float,
              repeat_under: float) -> list[ToolResult]:
    """Time every tool up to `runs` times, taking turns (run 1 of each tool, then run 2 of
    each...), so load from other work on the machine falls on all of them alike; then score
    each tool's last output.

    A tool whose run took longer than `repeat_under` seconds is not repeated: on 2 cores a
    5,000-page site keeps the slow peers busy for many minutes a run.
    """
    states: list[_Running] = []
    for tool in tools:
        reason = tool.unavailable()
        if reason:
            states.append(_Running(tool, [], Path(), [],
                                   result=ToolResult(tool.name, "", (), (), 0,
                                                     unavailable=reason)))
            continue
        scratch = Path(tempfile.mkdtemp(prefix=f"bench-{tool.name}-"))
        scratch.chmod(0o777)
        states.append(_Running(tool, list(tool.command(planted.site, planted.project, scratch)),
                               scratch, []))
    try:
        for _ in range(runs):
            for state in states:
                if state.result is not None or (state.times and state.times[-1] > repeat_under):
                    continue
                print(f"check_peers: {planted.articles} articles: running {state.tool.name}",
                      file=sys.stderr)
                _run_once(state, planted, timeout)
        return [state.result or _score(state, planted) for state in states]
    finally:
        for state in states:
            if state.scratch != Path():
                shutil.rmtree(state.scratch, ignore_errors=True)


def _run_once(state: _Running, planted: PlantedSite, timeout: float) -> None:
    tool = state.tool
    before = _children_cpu()
    done = run_timed(state.cmd, cwd=planted.project, timeout=timeout)
    spent = _children_cpu() - before
    if done.returncode is None:
        state.result = ToolResult(tool.name, tool.version(), (), (), 0,
                                  unavailable=f"timed out after {timeout:.0f}s")
    elif done.returncode not in tool.ok_exits:
        state.result = ToolResult(tool.name, tool.version(), (), (), 0,
                                  unavailable=f"failed (exit {done.returncode}): "
                                  f"{tail(done.stderr or done.stdout, 1)}")
    else:
        state.times.append(done.seconds)
        state.cpu.append(spent)
        state.last = done


def _children_cpu() -> float:
    """CPU time of the finished child processes so far: unlike wall time, what other work on
    a busy machine does not inflate (much), and what a multi-threaded tool cannot hide."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _score(state: _Running, planted: PlantedSite) -> ToolResult:
    tool, times = state.tool, tuple(state.times)
    assert state.last is not None
    try:
        reports = tool.parse(state.last, planted.site, state.scratch)
    except (ValueError, KeyError) as exc:
        return ToolResult(tool.name, tool.version(), times, (), 0,
                          unavailable=f"could not read its output ({exc}): "
                          f"{tail(state.last.stderr or state.last.stdout, 2)}")
    found: set[int] = set()
    other = []
    for report in reports:
        hits = [d.number for d in planted.defects if matches(d, report)]
        found.update(hits)
        if not hits:
            other.append(report.describe())
    return ToolResult(tool.name, tool.version(), times, tuple(sorted(found)), len(other),
                      examples=tuple(sorted(set(other))[:5]), cpu=tuple(state.cpu))


def format_results(planted: PlantedSite, results: Sequence[ToolResult]) -> str:
    """A Markdown table for one site; ratios are against feedsite in this same run."""
    total = len(planted.defects)
    base = next((median(r.runs) for r in results if r.tool == "feedsite" and r.runs), None)
    base_cpu = next((median(r.cpu) for r in results if r.tool == "feedsite" and r.cpu), None)

    def cpu_ratio(result: ToolResult) -> str:
        return f"{median(result.cpu) / base_cpu:.2f}x" if base_cpu and result.cpu else "-"

    lines = [
        f"{planted.articles:,} articles, {planted.pages:,} HTML pages, {total} planted defects "
        f"(importer: {planted.importer})",
        "",
        "| tool | version | wall s (median) | runs | vs feedsite | planted found | missed kinds "
        "| other reports | first run s | CPU s (median) | CPU vs feedsite |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r.unavailable:
            reason = " ".join(r.unavailable.split())[:200]  # one table row, whatever it says
            lines.append(f"| {r.tool} | {r.version or '-'} | - | - | - | - "
                         f"| not available: {reason} | - | - | - | - |")
            continue
        wall = median(r.runs)
        ratio = f"{wall / base:.2f}x" if base else "-"
        missed = sorted({d.kind for d in planted.defects if d.number not in r.found})
        lines.append(
            f"| {r.tool} | {r.version} | {wall:.2f} | {len(r.runs)} | {ratio} "
            f"| {len(r.found)}/{total} | {', '.join(missed) or 'none'} | {r.other_reports} "
            f"| {r.runs[0]:.2f} | {median(r.cpu):.2f} | {cpu_ratio(r)} |")
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
    parser.add_argument("--rule-off", action="append", default=[], metavar="RULE",
                        help="diagnostic: turn a feedsite rule off in the site's project (its "
                        "check is then skipped), e.g. to time the link checks alone")
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
            turn_off(planted.project / "pyproject.toml", args.rule_off)
            started = machine_note()
            results = run_tools([known[name] for name in wanted], planted, args.runs,
                                args.timeout, args.repeat_under)
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
