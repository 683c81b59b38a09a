"""Benchmark: time `feedsite import` and `mkdocs build` on synthetic feeds of N articles.

Each size gets a fresh copy of the project in a temp folder with a generated feed. Import and
build are timed as whole processes (what an author waits for), median of R runs; each import
run starts from an empty docs/articles/. Run from the repository root:

    .venv/bin/python -m benchmarks.import_build --sizes 100,1000,10000
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from benchmarks.project_copy import make_project
from benchmarks.synthetic_feed import write_feed
from benchmarks.timing import (
    BIN_DIR,
    human_bytes,
    machine_note,
    median,
    run_timed,
    tail,
    tree_bytes,
)

# The article whose page size is compared across sizes: it has both neighbours at every N >= 3,
# and its content depends only on the seed.
PROBE_INDEX = 1


class BenchmarkError(Exception):
    """A tool failed; the message says which, with the end of its output."""


@dataclass(frozen=True)
class BuildFigures:
    """What one feed size measured."""

    articles: int
    importer: str
    import_runs: tuple[float, ...]
    reimport_runs: tuple[float, ...]
    build_runs: tuple[float, ...]
    site_bytes: int
    search_index_bytes: int
    article_page_bytes: int
    article_page: str
    home_page_bytes: int


def importer_command(mode: str) -> tuple[list[str], str]:
    """The import command and its label; "auto" uses the real CLI once it is implemented."""
    real = [str(BIN_DIR / "feedsite"), "import"]
    standin = [sys.executable, str(Path(__file__).with_name("standin_import.py"))]
    if mode == "standin":
        return standin, "stand-in"
    probe = run_timed([*real, "--help"], cwd=Path.cwd(), timeout=60)
    ready = probe.returncode == 0 and "not implemented" not in probe.stdout.lower()
    if mode == "feedsite" or ready:
        if not ready:
            raise BenchmarkError(f"`feedsite import --help` is not ready:\n{tail(probe.stdout)}")
        return real, "feedsite import"
    return standin, "stand-in"


def read_front_matter(page: Path) -> dict[str, object]:
    text = page.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    data = yaml.safe_load(text[4:].split("\n---", 1)[0])
    return data if isinstance(data, dict) else {}


def page_html_for_source(project: Path, site: Path, source: str) -> Path:
    """The built HTML page of the feed file `source`, found through the pages' front matter."""
    for page in sorted((project / "docs" / "articles").glob("*.md")):
        if read_front_matter(page).get("source") == source:
            return site / "articles" / page.stem / "index.html"
    raise BenchmarkError(f"no page in docs/articles has `source: {source}`")


def _reset_mirror(project: Path, pristine_index: str) -> None:
    """Back to an empty mirror so every timed import does the full work."""
    articles = project / "docs" / "articles"
    shutil.rmtree(articles)
    articles.mkdir()
    for generated in ("feed.xml", "atom.xml", "feed.json"):
        (project / "docs" / generated).unlink(missing_ok=True)
    (project / "docs" / "index.md").write_text(pristine_index, encoding="utf-8")


def _timed_ok(cmd: Sequence[str], cwd: Path, what: str, timeout: float) -> float:
    done = run_timed(cmd, cwd=cwd, timeout=timeout)
    if done.returncode != 0:
        raise BenchmarkError(
            f"{what} failed (exit {done.returncode}):\n{tail(done.stderr + done.stdout, 12)}")
    return done.seconds


def measure(size: int, runs: int, mode: str, seed: int, workdir: Path,
            timeout: float) -> BuildFigures:
    """Generate a feed of `size` articles in `workdir`, then time import and build."""
    project = make_project(workdir / "project")
    feed = write_feed(project / "feed", size, seed)
    cmd, label = importer_command(mode)
    pristine_index = (project / "docs" / "index.md").read_text(encoding="utf-8")
    import_runs = []
    for _ in range(runs):
        _reset_mirror(project, pristine_index)
        import_runs.append(_timed_ok(cmd, project, f"{label} ({size} articles)", timeout))
    reimport_runs = [
        _timed_ok(cmd, project, f"{label} re-run ({size} articles)", timeout) for _ in range(runs)
    ]
    site = workdir / "site"
    build = [str(BIN_DIR / "mkdocs"), "build", "--quiet", "--site-dir", str(site)]
    build_runs = [
        _timed_ok(build, project, f"mkdocs build ({size} articles)", timeout) for _ in range(runs)
    ]
    probe = feed[min(PROBE_INDEX, size - 1)]
    page = page_html_for_source(project, site, probe.file_name)
    return BuildFigures(
        articles=size, importer=label, import_runs=tuple(import_runs),
        reimport_runs=tuple(reimport_runs), build_runs=tuple(build_runs),
        site_bytes=tree_bytes(site),
        search_index_bytes=(site / "search" / "search_index.json").stat().st_size,
        article_page_bytes=page.stat().st_size, article_page=page.relative_to(site).as_posix(),
        home_page_bytes=(site / "index.html").stat().st_size,
    )


def format_table(rows: Sequence[BuildFigures]) -> str:
    """A Markdown table of the figures (medians), one row per feed size."""
    head = ("| articles | importer | runs | import s | import ms/article | re-import s "
            "| build s | build ms/article | site | search_index.json | article page | home page |")
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for r in rows:
        imp, build = median(r.import_runs), median(r.build_runs)
        lines.append(
            f"| {r.articles:,} | {r.importer} | {len(r.build_runs)} | {imp:.2f} "
            f"| {1000 * imp / r.articles:.2f} | {median(r.reimport_runs):.2f} | {build:.2f} "
            f"| {1000 * build / r.articles:.2f} | {human_bytes(r.site_bytes)} "
            f"| {human_bytes(r.search_index_bytes)} | {human_bytes(r.article_page_bytes)} "
            f"| {human_bytes(r.home_page_bytes)} |")
    if len(rows) > 1:
        sizes = [r.article_page_bytes for r in rows]
        verdict = "flat" if max(sizes) <= 1.02 * min(sizes) else "GROWS with the feed"
        lines += ["", f"Article page `{rows[0].article_page}`: {verdict} "
                  f"({', '.join(f'{s:,} B' for s in sizes)})."]
    return "\n".join(lines)


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--sizes: expected numbers like 100,1000: {text}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("--sizes: every size must be at least 1")
    return sizes


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_build",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=parse_sizes, default=[100, 1000, 10000],
                        help="feed sizes, comma-separated (default 100,1000,10000)")
    parser.add_argument("--runs", type=int, default=None,
                        help="runs per size (default: 3 up to 1,000 articles, 1 above)")
    parser.add_argument("--importer", choices=("auto", "feedsite", "standin"), default="auto",
                        help="auto: the real `feedsite import` once implemented, else a stand-in")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per process")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temp projects")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    rows: list[BuildFigures] = []
    started = machine_note()
    for size in args.sizes:
        runs = args.runs or (3 if size <= 1000 else 1)
        workdir = Path(tempfile.mkdtemp(prefix=f"feedsite-bench-{size}-"))
        print(f"import_build: {size} articles, {runs} run(s) in {workdir}", file=sys.stderr)
        try:
            rows.append(measure(size, runs, args.importer, args.seed, workdir, args.timeout))
        except BenchmarkError as exc:
            print(f"import_build: {exc}", file=sys.stderr)
            return 1
        finally:
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
    print(format_table(rows))
    print(f"\nMachine: at start {started}; at end {machine_note()}.")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
