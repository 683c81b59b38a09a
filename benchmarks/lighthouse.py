"""Benchmark: Lighthouse scores of the home, an article and the list pages, mobile and desktop.

The site is built strictly into a temp folder (or taken from --site), served gzip-compressed
with the project's own hosting server on 127.0.0.1 (the headers a real host sends, CSP
included), and audited by Lighthouse driving Debian's Chromium. Nothing is installed here;
once per machine, from the repository root:

    npm i -E --prefix benchmarks/.node lighthouse@12.2.3     # newer versions need Node 22

then:

    .venv/bin/python -m benchmarks.lighthouse [--runs 3] [--site site/] [--json-dir benchmarks/out]

It prints the four category scores per page and form factor (the median of --runs runs, as
Lighthouse's own guidance suggests: performance moves with the machine's load) and, below
them, every audit that did not pass in the median run, so a score under 100 says why.
Exit code 0 unless Lighthouse cannot run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.chromium import CHROMIUM, chrome_flags
from feedsite.hosting.server import start_server

REPO = Path(__file__).resolve().parents[1]
NODE_DIR = REPO / "benchmarks" / ".node"
LIGHTHOUSE_CLI = NODE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
INSTALL_HINT = "npm i -E --prefix benchmarks/.node lighthouse@12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FORM_FACTORS = ("mobile", "desktop")
CHROME_FLAGS = chrome_flags()


@dataclass(frozen=True)
class Audit:
    """One Lighthouse audit that did not pass, with what it measured."""

    audit_id: str
    title: str
    score: float
    display: str


@dataclass(frozen=True)
class Scores:
    """The four category scores (0-100) of one page in one form factor."""

    page: str
    form_factor: str
    categories: dict[str, int]
    failed: tuple[Audit, ...]


def parse_report(page: str, form_factor: str, report: dict[str, object]) -> Scores:
    """Scores and failed audits from a Lighthouse JSON report (the `lhr` object)."""
    categories = report["categories"]
    audits = report["audits"]
    if not isinstance(categories, dict) or not isinstance(audits, dict):
        raise ValueError("not a Lighthouse report: no categories or audits")
    scores = {name: round(float(categories[name]["score"] or 0) * 100) for name in CATEGORIES}
    failed = []
    for category in categories.values():
        for ref in category["auditRefs"]:
            audit = audits[ref["id"]]
            # Informative and not-applicable audits carry no score; weight 0 ones do not count.
            if audit.get("score") is None or ref.get("weight", 0) == 0:
                continue
            if float(audit["score"]) < 1:
                failed.append(
                    Audit(
                        ref["id"],
                        audit["title"],
                        float(audit["score"]),
                        str(audit.get("displayValue") or ""),
                    )
                )
    unique = {audit.audit_id: audit for audit in failed}
    return Scores(
        page, form_factor, scores, tuple(sorted(unique.values(), key=lambda a: a.audit_id))
    )


def median_run(runs: Sequence[Scores]) -> Scores:
    """Per-category medians of several runs, with the failed audits of the median run."""
    by_performance = sorted(runs, key=lambda r: r.categories["performance"])
    middle = by_performance[(len(runs) - 1) // 2]
    medians = {c: round(statistics.median(r.categories[c] for r in runs)) for c in CATEGORIES}
    return Scores(middle.page, middle.form_factor, medians, middle.failed)


def run_lighthouse(url: str, form_factor: str, out_json: Path) -> dict[str, object]:
    """Run the Lighthouse CLI once against `url` and return its parsed JSON report."""
    cmd = [
        "node",
        str(LIGHTHOUSE_CLI),
        url,
        "--output=json",
        f"--output-path={out_json}",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if form_factor == "desktop":
        cmd.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    if result.returncode != 0 or not out_json.is_file():
        raise RuntimeError(f"lighthouse failed for {url} ({form_factor}):\n{result.stderr}")
    report: dict[str, object] = json.loads(out_json.read_text(encoding="utf-8"))
    return report


def build_site(out_dir: Path) -> Path:
    """Build the project strictly into `out_dir`/site, as `scripts/dev build` does."""
    site = out_dir / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "-f",
            str(REPO / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        cwd=REPO,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return site


def article_path(site: Path) -> str:
    """The URL path of the first article page in the built site."""
    pages = sorted(site.glob("articles/*/index.html"))
    if not pages:
        raise SystemExit(f"{site}: no articles/*/index.html; run `feedsite import` first")
    return pages[0].parent.relative_to(site).as_posix() + "/"


def list_paths(site: Path) -> dict[str, str]:
    """URL paths of the generated list pages: the A-Z list and the first topic, when built."""
    paths: dict[str, str] = {}
    if (site / "a-z" / "index.html").is_file():
        paths["a-z"] = "a-z/"
    topics = sorted(p for p in site.glob("topics/*/index.html"))
    if topics:
        paths["topic"] = topics[0].parent.relative_to(site).as_posix() + "/"
    return paths


def format_table(results: Sequence[Scores]) -> str:
    header = f"{'page':<10} {'form':<8} " + " ".join(f"{c:>14}" for c in CATEGORIES)
    lines = [header, "-" * len(header)]
    for r in results:
        cells = " ".join(f"{r.categories[c]:>14}" for c in CATEGORIES)
        lines.append(f"{r.page:<10} {r.form_factor:<8} {cells}")
    for r in results:
        for audit in r.failed:
            shown = f" ({audit.display})" if audit.display else ""
            lines.append(
                f"  {r.page}/{r.form_factor}: {audit.audit_id} "
                f"score {audit.score:.2f}: {audit.title}{shown}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, help="a built site folder (default: build one)")
    parser.add_argument(
        "--json-dir",
        type=Path,
        default=REPO / "benchmarks" / "out",
        help="where the Lighthouse JSON reports go (default benchmarks/out)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per page and form factor")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not LIGHTHOUSE_CLI.is_file():
        print(f"lighthouse: not installed; run `{INSTALL_HINT}` first", file=sys.stderr)
        return 2
    if not CHROMIUM.is_file():
        print(f"lighthouse: no Chromium at {CHROMIUM}; set CHROME_PATH", file=sys.stderr)
        return 2
    args.json_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site.resolve() if args.site else build_site(Path(tmp))
        pages = {"home": "", "article": article_path(site), **list_paths(site)}
        server, base_url = start_server(site, port=0)
        try:
            results = []
            for form_factor in FORM_FACTORS:
                for name, path in pages.items():
                    runs = []
                    for run in range(1, args.runs + 1):
                        out_json = args.json_dir / f"lighthouse-{name}-{form_factor}-{run}.json"
                        report = run_lighthouse(base_url + path, form_factor, out_json)
                        runs.append(parse_report(name, form_factor, report))
                    results.append(median_run(runs))
        finally:
            server.shutdown()
            server.server_close()
    print(format_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
