"""Benchmark: importing one feed document of N items against the plain-text import of the
same text (N `*.txt` files), both timed as whole `feedsite import` processes.

    .venv/bin/python -m benchmarks.import_documents                 # 10,000 items, 1 run
    .venv/bin/python -m benchmarks.import_documents --items 1000 --runs 3

Each item's content:encoded is the HTML of the same synthetic article the plain-text file holds
(`synthetic_feed.py`): paragraphs, h2 sections and lists, text escaped. Articles keep their
first `--sections` sections (default 2), on both sides, so 10,000 items fit the importer's
32 MB limit for one document (a real feed is far smaller). Both imports start from an empty
mirror with no import cache. The goal: the document costs at most 2x the text.
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.import_build import reset_mirror
from benchmarks.project_copy import make_project
from benchmarks.synthetic_feed import (
    SyntheticArticle,
    SyntheticList,
    _file_text,
    generate,
)
from benchmarks.timing import median, run_timed

FEEDSITE = [sys.executable, "-c", "from feedsite.cli import main; main()"]


def item_html(article: SyntheticArticle) -> str:
    """The article's body as the HTML a CMS would publish."""
    parts = [f"<p>{html.escape(p)}</p>" for p in article.intro]
    for section in article.sections:
        parts.append(f"<h2>{html.escape(section.heading)}</h2>")
        for block in section.blocks:
            if isinstance(block, SyntheticList):
                tag = "ol" if block.marker == "1. " else "ul"
                items = "".join(f"<li>{html.escape(i)}</li>" for i in block.items)
                parts.append(f"<{tag}>{items}</{tag}>")
            else:
                parts.append(f"<p>{html.escape(block)}</p>")
    return "\n".join(parts)


def shortened(article: SyntheticArticle, sections: int) -> SyntheticArticle:
    """The article with its first `sections` sections, its text rewritten to match."""
    kept = article.sections[:sections]
    rng = random.Random(article.file_name)
    text = _file_text(article.title, article.intro, kept, rng)
    return dataclasses.replace(article, sections=kept, text=text)


def rss_document(articles: Sequence[SyntheticArticle]) -> str:
    items = []
    for index, article in enumerate(articles):
        body = item_html(article).replace("]]>", "]]]]><![CDATA[>")
        items.append(
            f"<item><title>{html.escape(article.title)}</title>"
            f"<link>https://news.example.org/{article.file_name[:-4]}</link>"
            f"<guid isPermaLink=\"false\">{article.file_name}</guid>"
            f"<pubDate>Mon, 05 Oct 2026 09:{index % 60:02d}:00 +0000</pubDate>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>")
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            "<channel><title>Benchmark News</title><link>https://news.example.org/</link>"
            "<description>Synthetic</description>\n" + "\n".join(items) + "\n</channel></rss>\n")


def time_import(project: Path, pristine: str, timeout: float) -> float:
    reset_mirror(project, pristine)
    done = run_timed([*FEEDSITE, "import", "-q", "--today", "2026-11-26"], project, timeout)
    if done.returncode != 0:
        raise SystemExit(f"{project}: feedsite import exited {done.returncode}:\n"
                         f"{done.stderr[-2000:]}")
    return done.seconds


def time_both(plain: Path, document: Path, runs: int, timeout: float) -> tuple[float, float]:
    """Median seconds of each import; runs alternate, so a busy machine slows both alike."""
    pristine = (plain / "docs" / "index.md").read_text(encoding="utf-8")
    plain_times, doc_times = [], []
    for _ in range(runs):
        plain_times.append(time_import(plain, pristine, timeout))
        doc_times.append(time_import(document, pristine, timeout))
    return median(plain_times), median(doc_times)


def pages(project: Path) -> int:
    return len(list((project / "docs" / "articles").glob("*.md")))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sections", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=3600.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="feedsite-docbench-") as tmp:
        articles = [shortened(a, args.sections) for a in generate(args.items, args.seed)]
        plain = make_project(Path(tmp) / "plain")
        for article in articles:
            (plain / "feed" / article.file_name).write_text(article.text, encoding="utf-8")
        document = make_project(Path(tmp) / "document")
        start = time.perf_counter()
        (document / "feed" / "news.xml").write_text(rss_document(articles), encoding="utf-8")
        print(f"wrote {args.items} items ({(document / 'feed' / 'news.xml').stat().st_size:,} "
              f"bytes) in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        plain_s, doc_s = time_both(plain, document, args.runs, args.timeout)
        plain_pages, doc_pages = pages(plain), pages(document)
    print(f"| input ({args.items:,} articles) | `feedsite import` (median of {args.runs}) "
          "| pages |")
    print("|---|---|---|")
    print(f"| {args.items:,} plain-text files | {plain_s:.2f} s | {plain_pages:,} |")
    print(f"| one RSS document, {args.items:,} items | {doc_s:.2f} s | {doc_pages:,} |")
    ratio = doc_s / plain_s
    print(f"\nratio document / plain text: {ratio:.2f}x (goal: at most 2x)")
    return 0 if ratio <= 2.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
