"""Benchmark: the whole pipeline (import, no-op import, build, search index) on synthetic feeds.

Each size gets a fresh copy of the project in a temp folder with a generated feed, its articles
spread over topic folders (`--topics`). Every step is timed as a whole process (what an author
waits for) with its peak resident memory; Hugo's build of the same Markdown is the speed anchor,
and `--zensical` adds `zensical build`. Run from the repository root:

    .venv/bin/python -m benchmarks.import_build --sizes 1000,10000
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from benchmarks.project_copy import make_project
from benchmarks.synthetic_feed import TOPICS, SyntheticArticle, write_feed
from benchmarks.timing import BIN_DIR, human_bytes, machine_note, median, tail, tool_env, tree_bytes

# The article whose page size is compared across sizes: it has both neighbours at every N >= 3,
# and its content depends only on the seed.
PROBE_INDEX = 1
HUGO = shutil.which("hugo") or "/usr/bin/hugo"
GENERATED = ("articles", "a-z", "topics", "feed.xml", "atom.xml", "feed.json")


class BenchmarkError(Exception):
    """A tool failed; the message says which, with the end of its output."""


@dataclass(frozen=True)
class Run:
    """One process: wall seconds, peak resident memory (of it and its waited-for children)."""

    seconds: float
    peak_kb: int
    returncode: int | None
    output: str = field(default="", repr=False)


@dataclass(frozen=True)
class BuildFigures:
    """What one feed size measured (seconds and peak KB per step; None: step not run)."""

    articles: int
    topics: int
    importer: str
    steps: dict[str, list[tuple[float, int]]]  # step -> [(seconds, peak KB), ...]
    site_bytes: int
    search_bytes: int
    article_page_bytes: int
    article_page: str
    home_page_bytes: int
    list_page_bytes: int  # the first A-Z page
    zensical: str  # "" not run, "ok", or why it failed
    failed: dict[str, str] = field(default_factory=dict)  # optional step -> end of its output


def run_measured(cmd: Sequence[str], cwd: Path, timeout: float) -> Run:
    """Run `cmd`, returning wall time and peak RSS from wait4 (the whole process tree's max)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=tool_env(), stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    killed = code < 0 and seconds >= timeout
    return Run(seconds, int(usage.ru_maxrss), None if killed else code, text)


def _ok(cmd: Sequence[str], cwd: Path, what: str, timeout: float) -> Run:
    done = run_measured(cmd, cwd, timeout)
    if done.returncode != 0:
        raise BenchmarkError(f"{what} failed (exit {done.returncode}):\n{tail(done.output, 12)}")
    return done


def importer_command(mode: str) -> tuple[list[str], str]:
    """The import command and its label; "auto" uses the real CLI once it is implemented."""
    real = [str(BIN_DIR / "feedsite"), "import", "-q"]
    standin = [sys.executable, str(Path(__file__).with_name("standin_import.py"))]
    if mode == "standin":
        return standin, "stand-in"
    probe = run_measured([*real[:2], "--help"], Path.cwd(), 60)
    ready = probe.returncode == 0 and "not implemented" not in probe.output.lower()
    if mode == "feedsite" or ready:
        if not ready:
            raise BenchmarkError(f"`feedsite import --help` is not ready:\n{tail(probe.output)}")
        return real, "feedsite import"
    return standin, "stand-in"


def has_index_command() -> bool:
    probe = run_measured([str(BIN_DIR / "feedsite"), "index", "--help"], Path.cwd(), 60)
    return probe.returncode == 0


def topic_folder(title: str) -> str:
    """The synthetic article's topic folder: the first topic its title names."""
    for topic in TOPICS:
        if topic.lower() in title.lower():
            return re.sub(r"[^a-z0-9]+", "-", topic.lower()).strip("-")
    return "general"


def spread_into_topics(feed: Path, articles: Sequence[SyntheticArticle]) -> dict[str, str]:
    """Move each article into its topic's folder; returns file name -> source path."""
    sources = {}
    for article in articles:
        folder = topic_folder(article.title)
        (feed / folder).mkdir(exist_ok=True)
        (feed / article.file_name).rename(feed / folder / article.file_name)
        sources[article.file_name] = f"{folder}/{article.file_name}"
    return sources


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


def reset_mirror(project: Path, pristine_index: str) -> None:
    """Back to an empty mirror and no import cache, so a timed import does the full work."""
    docs = project / "docs"
    for name in GENERATED:
        target = docs / name
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
    (docs / "articles").mkdir()
    (docs / "index.md").write_text(pristine_index, encoding="utf-8")
    shutil.rmtree(project / ".cache", ignore_errors=True)


def hugo_site(project: Path, dest: Path) -> Path:
    """A minimal Hugo site whose content is the project's docs/ Markdown, front matter and all."""
    content = dest / "content"
    shutil.copytree(project / "docs", content,
                    ignore=shutil.ignore_patterns("assets", "*.xml", "*.json", "*.txt"))
    # index.md would make a folder a leaf bundle (its other pages mere resources).
    for index in content.rglob("index.md"):
        index.rename(index.with_name("_index.md"))
    layouts = dest / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = ("<!doctype html><html><head><title>{{ .Title }}</title></head>"
            "<body><main>{{ .Content }}</main></body></html>\n")
    for name in ("single.html", "list.html"):
        (layouts / name).write_text(page, encoding="utf-8")
    (dest / "hugo.toml").write_text(
        'baseURL = "http://127.0.0.1/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
        "[markup.goldmark.renderer]\nunsafe = true\n", encoding="utf-8")
    return dest


def measure(size: int, runs: int, mode: str, seed: int, topics: bool, zensical: bool,
            workdir: Path, timeout: float) -> BuildFigures:
    """Generate a feed of `size` articles in `workdir`, then run every step."""
    project = make_project(workdir / "project")
    feed = write_feed(project / "feed", size, seed)
    sources = (spread_into_topics(project / "feed", feed) if topics
               else {a.file_name: a.file_name for a in feed})
    cmd, label = importer_command(mode)
    pristine_index = (project / "docs" / "index.md").read_text(encoding="utf-8")
    steps: dict[str, list[tuple[float, int]]] = {}

    def step(name: str, command: Sequence[str], cwd: Path = project) -> Run:
        done = _ok(command, cwd, f"{name} ({size} articles)", timeout)
        steps.setdefault(name, []).append((done.seconds, done.peak_kb))
        return done

    for _ in range(runs):
        reset_mirror(project, pristine_index)
        step("import", cmd)
    step("first re-import", cmd)  # may re-hash files written moments ago ("racy")
    for _ in range(runs):
        step("no-op import", cmd)
    site = workdir / "site"
    for _ in range(runs):
        step("mkdocs build", [str(BIN_DIR / "mkdocs"), "build", "--quiet", "--site-dir",
                              str(site)])
    failed: dict[str, str] = {}
    if has_index_command():
        try:  # another helper's command: its failure is reported, not fatal
            for _ in range(runs):
                step("feedsite index", [str(BIN_DIR / "feedsite"), "index", "-q", "--site",
                                        str(site)])
        except BenchmarkError as exc:
            failed["feedsite index"] = tail(str(exc), 2)
    if Path(HUGO).is_file():
        hugo = hugo_site(project, workdir / "hugo")
        for _ in range(runs):
            step("hugo build", [HUGO, "--quiet", "--destination", str(workdir / "hugo-public")],
                 hugo)
    zensical_note = ""
    if zensical:
        done = run_measured([str(BIN_DIR / "zensical"), "build", "--clean", "-f",
                             str(project / "mkdocs.yml")], project, timeout)
        steps["zensical build"] = [(done.seconds, done.peak_kb)]
        zensical_note = "ok" if done.returncode == 0 else tail(done.output, 3)
    probe = feed[min(PROBE_INDEX, size - 1)]
    page = page_html_for_source(project, site, sources[probe.file_name])
    search = site / "pagefind"
    return BuildFigures(
        articles=size, topics=len({s.split("/")[0] for s in sources.values() if "/" in s}),
        importer=label, steps=steps, site_bytes=tree_bytes(site),
        search_bytes=tree_bytes(search) if search.is_dir() else 0,
        article_page_bytes=page.stat().st_size, article_page=page.relative_to(site).as_posix(),
        home_page_bytes=(site / "index.html").stat().st_size,
        list_page_bytes=(site / "a-z" / "index.html").stat().st_size
        if (site / "a-z" / "index.html").is_file() else 0,
        zensical=zensical_note, failed=failed,
    )


def _secs(figures: BuildFigures, name: str) -> float | None:
    runs = figures.steps.get(name)
    return median([s for s, _kb in runs]) if runs else None


def _peak(figures: BuildFigures, name: str) -> int | None:
    runs = figures.steps.get(name)
    return max(kb for _s, kb in runs) if runs else None


def format_table(rows: Sequence[BuildFigures]) -> str:
    """Markdown tables: seconds and peak memory per step, per-article cost ratios, page sizes."""
    names = [n for n in ("import", "first re-import", "no-op import", "mkdocs build",
                         "feedsite index", "hugo build", "zensical build")
             if any(n in r.steps for r in rows)]
    head = "| articles | " + " | ".join(f"{n} s (peak MB)" for n in names) + " |"
    lines = [head, "|---" * (len(names) + 1) + "|"]
    for r in rows:
        cells = []
        for name in names:
            secs, peak = _secs(r, name), _peak(r, name)
            cells.append("—" if secs is None or peak is None
                         else f"{secs:.2f} ({peak / 1024:.0f})")
        lines.append(f"| {r.articles:,} | " + " | ".join(cells) + " |")
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        lines += ["", f"Per-article cost at {large.articles:,} / at {small.articles:,} "
                  "(1.00 = linear):", ""]
        for name in names:
            a, b = _secs(small, name), _secs(large, name)
            if a and b and name not in ("first re-import", "no-op import"):
                ratio = (b / large.articles) / (a / small.articles)
                lines.append(f"- {name}: {1000 * a / small.articles:.2f} -> "
                             f"{1000 * b / large.articles:.2f} ms/article, ratio {ratio:.2f}")
        mk, hugo = _secs(large, "mkdocs build"), _secs(large, "hugo build")
        if mk and hugo:
            lines.append(f"- mkdocs build / hugo build at {large.articles:,}: {mk / hugo:.1f}×")
    lines += ["", "| articles | topics | importer | site | search index | home page "
              "| A-Z page 1 | article page | zensical |", "|---" * 9 + "|"]
    for r in rows:
        lines.append(
            f"| {r.articles:,} | {r.topics} | {r.importer} | {human_bytes(r.site_bytes)} "
            f"| {human_bytes(r.search_bytes)} | {human_bytes(r.home_page_bytes)} "
            f"| {human_bytes(r.list_page_bytes)} | {human_bytes(r.article_page_bytes)} "
            f"| {r.zensical.splitlines()[-1] if r.zensical else '—'} |")
    for r in rows:
        for name, why in r.failed.items():
            lines.append(f"\n{name} failed at {r.articles:,} articles: {why}")
    if len(rows) > 1:
        for what, sizes in (("Article page", [r.article_page_bytes for r in rows]),
                            ("Home page", [r.home_page_bytes for r in rows])):
            verdict = "flat" if max(sizes) <= 1.02 * min(sizes) + 64 else "GROWS with the feed"
            lines.append(f"\n{what}: {verdict} ({', '.join(f'{s:,} B' for s in sizes)}).")
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
    parser.add_argument("--sizes", type=parse_sizes, default=[1000, 10000],
                        help="feed sizes, comma-separated (default 1000,10000)")
    parser.add_argument("--runs", type=int, default=None,
                        help="runs per step (default: 3 up to 1,000 articles, 1 above)")
    parser.add_argument("--importer", choices=("auto", "feedsite", "standin"), default="auto",
                        help="auto: the real `feedsite import` once implemented, else a stand-in")
    parser.add_argument("--no-topics", dest="topics", action="store_false",
                        help="keep every article directly in feed/ (default: topic folders)")
    parser.add_argument("--zensical", action="store_true", help="also time `zensical build`")
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
            rows.append(measure(size, runs, args.importer, args.seed, args.topics,
                                args.zensical, workdir, args.timeout))
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
