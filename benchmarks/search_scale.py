"""Benchmark: site search at 1,000 and 10,000 articles, feedsite's Pagefind against Material's lunr.

For each size it imports one synthetic feed, builds the site twice from the same docs/ (the
project as configured, with the Pagefind hook; and Material's own search: `plugins: [search]`,
Material's header and search partial, no feedsite search script), serves each with
`feedsite.hosting.server` (gzip, the real headers and CSP) and measures in Chromium, as a
reader: open an article page, press `/` and enter a one-word query as soon as it has loaded,
until the first result shows. Two queries: a word from article titles (a reader looking for one
topic; it matches a few per cent of the articles) and a word the synthetic feed puts in nearly
every article (its vocabulary is small: about 95% of articles match, the worst case for any
engine, whose cost grows with the matches it ranks).

    .venv/bin/python -m benchmarks.search_scale                  # 1,000 and 10,000 articles
    .venv/bin/python -m benchmarks.search_scale --sizes 1000 --runs 3

Figures per engine (median of --runs fresh browser contexts, so nothing is cached):
- first result: ms from the article page's navigation start to the first result on screen;
- search bytes: gzip-encoded bytes the server sent for the search (feedsite: pagefind/ and the
  search script; Material: search_index.json, the search worker and lunr files), and all bytes
  of the page view for context (Material also fetches sitemap.xml on every view);
- heap: used JS heap plus array buffers (Pagefind's WebAssembly memory and fetched chunks
  live there) of the page and of any search worker (Material's lunr runs in one; feedsite runs
  Pagefind on the page: its worker costs a start-up and brings nothing at these sizes), taken
  after the first result.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from benchmarks.chromium import CHROMIUM, CHROMIUM_ARGS
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
from feedsite.hosting.server import start_server
from feedsite.project import read_mkdocs_yml

OUR_SEARCH_FILES = ("partials/search.html", "partials/header.html")
OUR_SEARCH_CSS = "assets/stylesheets/search.css"
OUR_SEARCH_JS = "assets/javascripts/feedsite-search.js"
SEARCH_HOOK = "scripts/feedsite/search/mkdocs_hook.py"

# Runs in the page from its first byte: once the page has loaded, a reader presses `/` and the
# query arrives whole (an `input` event for feedsite, `keyup` for Material); the first result's
# time (ms since navigation start) is recorded. Acting inside the page keeps the harness's own
# round trips out of the figure.
_READER = """
((query) => {
  new MutationObserver((_, observer) => {
    if (document.querySelector(".md-search-result__item a, a.md-search-result__link")) {
      window.__firstResultMs = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true });
  window.addEventListener("load", () => setTimeout(() => {
    const key = (type, k) => new KeyboardEvent(type, { key: k, bubbles: true });
    document.body.dispatchEvent(key("keydown", "/"));
    const input = document.querySelector(".md-search__input");
    input.focus();
    input.value = query;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(key("keyup", query.slice(-1)));
    window.__typedMs = performance.now();
  }, 0));
})(QUERY_JSON);
"""


@dataclass(frozen=True)
class Query:
    """One query the reader types, and how the report names it."""

    label: str
    word: str


QUERIES = (
    Query("title word", "migraine"),  # a topic: in the titles (and only there) of ~7% of articles
    Query("word in ~95% of articles", "cholesterol"),  # in bodies everywhere: every match ranked
)


class BenchmarkError(RuntimeError):
    """A step failed; the message says which and shows the tool's last lines."""


@dataclass(frozen=True)
class Engine:
    """One way of searching the same content."""

    name: str
    config_name: str
    is_search_request: Callable[[str], bool]


FEEDSITE = Engine(
    "feedsite (Pagefind)", "mkdocs-bench.yml",
    lambda path: "/pagefind/" in path or path.endswith("/" + OUR_SEARCH_JS),
)
MATERIAL = Engine(
    "Material (lunr)", "mkdocs-lunr.yml",
    lambda path: path.endswith("/search/search_index.json") or "/workers/search." in path
    or "/lunr/" in path,
)


@dataclass(frozen=True)
class View:
    """One measured page view."""

    first_result_ms: float
    load_ms: float  # navigation start to the load event (part of first_result_ms)
    typed_ms: float  # navigation start to the query fully typed
    search_bytes: int
    page_view_bytes: int
    worker_heap: int
    page_heap: int


@dataclass(frozen=True)
class SizeFigures:
    size: int
    import_s: float
    build_s: dict[str, float]
    index_s: float
    index_bytes: dict[str, int]
    views: dict[tuple[str, str], list[View]]  # by (engine name, query word)
    matches: dict[str, int]  # article pages holding each query word


def _ok(cmd: Sequence[str], cwd: Path, what: str, timeout: float) -> float:
    done = run_timed(cmd, cwd, timeout)
    if done.returncode != 0:
        output = tail(done.stderr or done.stdout)
        raise BenchmarkError(f"{what} failed ({done.returncode}):\n{output}")
    return done.seconds


def _write_configs(project: Path) -> None:
    """Benchmark configs over the project's mkdocs.yml: ours as is, and Material's search.

    Both are non-strict: the benchmark measures speed, and a warning from work in progress
    elsewhere must not stop it.
    """
    base = read_mkdocs_yml(project / "mkdocs.yml")
    (project / FEEDSITE.config_name).write_text(
        yaml.safe_dump({"INHERIT": "mkdocs.yml", "strict": False}), encoding="utf-8")
    lunr = {
        "INHERIT": "mkdocs.yml",
        "strict": False,
        "plugins": ["search"],
        "hooks": [h for h in base.get("hooks") or [] if h != SEARCH_HOOK],
        "extra_css": [c for c in base.get("extra_css") or [] if c != OUR_SEARCH_CSS],
        "extra_javascript": [j for j in base.get("extra_javascript") or [] if j != OUR_SEARCH_JS],
        "theme": {"name": "material", "custom_dir": "overrides-lunr"},
    }
    (project / MATERIAL.config_name).write_text(yaml.safe_dump(lunr), encoding="utf-8")
    # The same overrides minus our search: Material's header and search partial come back.
    shutil.copytree(project / "overrides", project / "overrides-lunr")
    for rel in OUR_SEARCH_FILES:
        (project / "overrides-lunr" / rel).unlink(missing_ok=True)


def build_sites(size: int, seed: int, workdir: Path, timeout: float
                ) -> tuple[dict[str, Path], dict[str, float]]:
    """Import one synthetic feed, then build it with each engine; returns sites and seconds."""
    project = make_project(workdir / "project")
    write_feed(project / "feed", size, seed)
    print(f"[{size}] importing {size} articles", file=sys.stderr)
    import_s = _ok([str(BIN_DIR / "feedsite"), "import", "-q"], project, "feedsite import",
                   timeout)
    _write_configs(project)
    sites: dict[str, Path] = {}
    build_s: dict[str, float] = {}
    for engine in (FEEDSITE, MATERIAL):
        site = workdir / f"site-{engine.config_name.removesuffix('.yml')}"
        print(f"[{size}] mkdocs build: {engine.name}", file=sys.stderr)
        build_s[engine.name] = _ok(
            [str(BIN_DIR / "mkdocs"), "build", "--quiet", "-f", engine.config_name,
             "--site-dir", str(site)], project, f"mkdocs build ({engine.name})", timeout)
        sites[engine.name] = site
    return sites, {"import": import_s, **build_s}


def article_path(site: Path) -> str:
    """The URL path of the first article page (the same in both sites)."""
    for page in sorted((site / "articles").glob("*/index.html")):
        return page.parent.relative_to(site).as_posix() + "/"
    raise BenchmarkError(f"{site}: no article pages")


def pages_holding(site: Path, words: Sequence[str]) -> dict[str, int]:
    """How many article pages hold each word in their indexed text (case-folded).

    Only the part Pagefind reads, from `data-pagefind-body` to the end of the article: the
    links to neighbouring articles below it name other titles.
    """
    counts = dict.fromkeys(words, 0)
    for page in (site / "articles").glob("*/index.html"):
        html = page.read_text(encoding="utf-8").lower()
        start = html.find("data-pagefind-body")
        text = html[start:html.find("</article>", start)] if start >= 0 else ""
        for word in words:
            counts[word] += word in text
    return counts


def served_bytes(url: str) -> int:
    """What the server sends for `url` to a browser that accepts gzip (body bytes)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return len(response.read())


@contextmanager
def served(site: Path) -> Iterator[str]:
    server, base = start_server(site, port=0)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def worker_heaps(browser_cdp: Any, page: Any) -> int:
    """Used JS heap plus array buffers of every dedicated worker, via the browser's CDP."""
    replies: dict[str, list[dict[str, Any]]] = {}

    def on_message(event: dict[str, Any]) -> None:
        replies.setdefault(event["sessionId"], []).append(json.loads(event["message"]))

    browser_cdp.on("Target.receivedMessageFromTarget", on_message)
    total = 0
    targets = browser_cdp.send("Target.getTargets")["targetInfos"]
    for target in (t for t in targets if t["type"] == "worker"):
        session = browser_cdp.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": False}
        )["sessionId"]
        message = json.dumps({"id": 1, "method": "Runtime.getHeapUsage"})
        browser_cdp.send("Target.sendMessageToTarget", {"sessionId": session, "message": message})
        for _ in range(100):
            page.wait_for_timeout(20)  # lets Playwright deliver the reply event
            usage = [r["result"] for r in replies.get(session, []) if r.get("id") == 1]
            if usage:
                total += int(usage[0]["usedSize"]) + int(usage[0].get("backingStorageSize", 0))
                break
        browser_cdp.send("Target.detachFromTarget", {"sessionId": session})
    return total


def measure_view(browser: Any, base: str, path: str, engine: Engine, query: str,
                 timeout_s: float) -> View:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        urls: list[str] = []
        context.on("request", lambda request: urls.append(request.url))
        context.add_init_script(_READER.replace("QUERY_JSON", json.dumps(query)))
        page = context.new_page()
        page.goto(base + path, wait_until="load")
        page.wait_for_function("() => window.__firstResultMs !== undefined",
                               timeout=timeout_s * 1000)
        first_ms, typed_ms, load_ms = page.evaluate(
            "() => [window.__firstResultMs, window.__typedMs,"
            " performance.getEntriesByType('navigation')[0].loadEventEnd]")
        usage = context.new_cdp_session(page).send("Runtime.getHeapUsage")
        page_heap = int(usage["usedSize"]) + int(usage.get("backingStorageSize", 0))
        worker = worker_heaps(browser.new_browser_cdp_session(), page)
        local = [u for u in dict.fromkeys(urls) if urlsplit(u).hostname == "127.0.0.1"]
        sizes = {u: served_bytes(u) for u in local}
        search = sum(n for u, n in sizes.items() if engine.is_search_request(urlsplit(u).path))
        return View(float(first_ms), float(load_ms), float(typed_ms), search,
                    sum(sizes.values()), worker, page_heap)
    finally:
        context.close()


def measure_size(size: int, runs: int, seed: int, workdir: Path, timeout: float,
                 browser: Any) -> SizeFigures:
    sites, times = build_sites(size, seed, workdir, timeout)
    ours = sites[FEEDSITE.name]
    print(f"[{size}] feedsite index (again, timed alone)", file=sys.stderr)
    index_s = _ok([str(BIN_DIR / "feedsite"), "index", "-q", "--site", str(ours)], workdir,
                  "feedsite index", timeout)
    index_bytes = {
        FEEDSITE.name: tree_bytes(ours / "pagefind"),
        MATERIAL.name: (sites[MATERIAL.name] / "search" / "search_index.json").stat().st_size,
    }
    path = article_path(ours)
    matches = pages_holding(ours, [q.word for q in QUERIES])
    views: dict[tuple[str, str], list[View]] = {}
    engines = (FEEDSITE, MATERIAL)
    # A word no article holds (a small feed may lack the topic) shows no result to wait for.
    words = [q.word for q in QUERIES if matches[q.word]]
    if not words:
        raise BenchmarkError(f"{size} articles: no article holds any query word "
                             f"({', '.join(q.word for q in QUERIES)})")
    with ExitStack() as stack:
        bases = {e.name: stack.enter_context(served(sites[e.name])) for e in engines}
        # One unmeasured view per engine first: a browser's first page views also pay for its
        # own start-up. Then the engines take turns, first one then the other, so neither
        # always meets the machine in the same state.
        for engine in engines:
            measure_view(browser, bases[engine.name], path, engine, words[0], timeout)
        for run in range(runs):
            print(f"[{size}] view {run + 1}/{runs} of each engine and word", file=sys.stderr)
            for engine in engines if run % 2 == 0 else engines[::-1]:
                for word in words:
                    views.setdefault((engine.name, word), []).append(
                        measure_view(browser, bases[engine.name], path, engine, word, timeout))
    return SizeFigures(size, times["import"], {k: v for k, v in times.items() if k != "import"},
                       index_s, index_bytes, views, matches)


def _measured(fig: SizeFigures) -> list[Query]:
    return [q for q in QUERIES if (FEEDSITE.name, q.word) in fig.views]


def _med(views: list[View], field: str) -> float:
    return median([float(getattr(v, field)) for v in views])


def report(figures: list[SizeFigures]) -> str:
    lines = [f"Search at scale ({machine_note()}; medians)", ""]
    lines += ["| articles | query (articles holding it) | engine | first result "
              "| (page loaded, query typed) | search bytes | page-view bytes | worker heap "
              "| page heap | index on disk | build |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for fig in figures:
        for query in _measured(fig):
            share = f"{query.word!r} ({fig.matches[query.word]:,})"
            for engine in (FEEDSITE, MATERIAL):
                views = fig.views[(engine.name, query.word)]
                lines.append(
                    f"| {fig.size:,} | {share} | {engine.name} "
                    f"| {_med(views, 'first_result_ms'):.0f} ms "
                    f"| {_med(views, 'load_ms'):.0f} ms, {_med(views, 'typed_ms'):.0f} ms "
                    f"| {human_bytes(_med(views, 'search_bytes'))} "
                    f"| {human_bytes(_med(views, 'page_view_bytes'))} "
                    f"| {human_bytes(_med(views, 'worker_heap'))} "
                    f"| {human_bytes(_med(views, 'page_heap'))} "
                    f"| {human_bytes(fig.index_bytes[engine.name])} "
                    f"| {fig.build_s[engine.name]:.1f} s |")
    lines += ["", "Ratios (Material lunr / feedsite Pagefind, same run):", ""]
    for fig in figures:
        for query in _measured(fig):
            ours = fig.views[(FEEDSITE.name, query.word)]
            theirs = fig.views[(MATERIAL.name, query.word)]
            ratio = {f: _med(theirs, f) / max(_med(ours, f), 1e-9)
                     for f in ("first_result_ms", "search_bytes")}
            heap = (_med(ours, "worker_heap") + _med(ours, "page_heap")) / 2**20
            their_heap = (_med(theirs, "worker_heap") + _med(theirs, "page_heap")) / 2**20
            after = [(_med(v, "first_result_ms") - _med(v, "typed_ms")) for v in (ours, theirs)]
            lines.append(
                f"- {fig.size:,} articles, {query.label} {query.word!r}: first result "
                f"{ratio['first_result_ms']:.1f}x sooner ({after[0]:.0f} ms against "
                f"{after[1]:.0f} ms after the query), {ratio['search_bytes']:.1f}x fewer "
                f"search bytes, {their_heap / heap:.1f}x less heap; "
                f"search heap (worker + page) {heap:.1f} MB")
        lines.append(f"- {fig.size:,} articles: feedsite index alone {fig.index_s:.1f} s "
                     f"({fig.index_s / fig.size * 1000:.2f} ms/article)")
    lines += ["", "Goals: 1,000 articles first result <= 500 ms; 10,000: <= 1,000 ms, "
              "<= 400 KB for the first query, search heap < 30 MB."]
    for fig in figures:
        for query in _measured(fig):
            ours = fig.views[(FEEDSITE.name, query.word)]
            first, sent = _med(ours, "first_result_ms"), _med(ours, "search_bytes")
            heap = _med(ours, "worker_heap") + _med(ours, "page_heap")
            budget = 500.0 if fig.size <= 1000 else 1000.0
            verdict = "met" if first <= budget and (fig.size <= 1000 or (
                sent <= 400 * 1024 and heap < 30 * 2**20)) else "NOT met"
            lines.append(f"- {fig.size:,}, {query.label} {query.word!r}: {verdict} "
                         f"({first:.0f} ms, {human_bytes(sent)}, {human_bytes(heap)})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3, help="page views per engine and size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per step")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures")
    parser.add_argument("--keep", action="store_true", help="keep the temp projects")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    from playwright.sync_api import sync_playwright

    figures: list[SizeFigures] = []
    workroot = Path(tempfile.mkdtemp(prefix="feedsite-search-bench-"))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                for size in sizes:
                    started = time.perf_counter()
                    figures.append(measure_size(size, args.runs, args.seed,
                                                workroot / str(size), args.timeout, browser))
                    print(f"[{size}] done in {time.perf_counter() - started:.0f} s",
                          file=sys.stderr)
            finally:
                browser.close()
    except BenchmarkError as exc:
        print(f"search_scale: {exc}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(workroot, ignore_errors=True)
        else:
            print(f"kept {workroot}", file=sys.stderr)
    print(report(figures))
    if args.json:
        raw = [{"size": f.size, "import_s": f.import_s, "build_s": f.build_s,
                "index_s": f.index_s, "index_bytes": f.index_bytes,
                "matches": f.matches,
                "views": {f"{engine} | {word}": [v.__dict__ for v in vs]
                          for (engine, word), vs in f.views.items()}}
               for f in figures]
        args.json.write_text(json.dumps(raw, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

