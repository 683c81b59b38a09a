"""Build throwaway feedsite projects (real mkdocs.yml, overrides and assets) for the site tests."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from feedsite.importer.robots import render_robots
from feedsite.search.config import BUNDLE_DIR
from feedsite.search.index import MANIFEST_FILE

REPO = Path(__file__).resolve().parents[1]
MKDOCS = [sys.executable, "-m", "mkdocs"]


@dataclass(frozen=True)
class DummyArticle:
    """What the importer would write for one article, reduced to what the templates read."""

    slug: str
    title: str
    description: str
    published: str = "2026-01-15"
    updated: str | None = None
    reviewed: str | None = None
    review_due: str | None = None
    paragraphs: tuple[str, ...] = ("A first paragraph about follicles.",)
    sections: tuple[str, ...] = ("What it is", "Who it helps?")
    extra: tuple[tuple[str, object], ...] = ()  # more front matter (publisher, topics, ...)


@dataclass(frozen=True)
class BuiltSite:
    """A built project: where its site is and what `mkdocs build` printed."""

    root: Path
    site: Path
    log: str


def article_markdown(article: DummyArticle, previous: DummyArticle | None,
                     following: DummyArticle | None) -> str:
    """Markdown with front matter in the shape the shared contract gives importer output."""
    meta: dict[str, object] = {
        "title": article.title,
        "description": article.description,
        "source": f"{article.slug}.txt",
        "source_sha256": "0" * 64,
        "published": article.published,
        "reading_time": 2,
        "words": 300,
    }
    for key in ("updated", "reviewed", "review_due"):
        if getattr(article, key):
            meta[key] = getattr(article, key)
    meta.update(article.extra)
    if previous is not None:
        meta["previous"] = {"title": previous.title, "url": f"articles/{previous.slug}.md"}
    if following is not None:
        meta["next"] = {"title": following.title, "url": f"articles/{following.slug}.md"}
    meta["generator"] = "feedsite"
    meta["checksum"] = "1" * 64
    # Dates stay unquoted, as the importer writes them, so YAML hands templates date objects.
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    front = front.replace(f"'{article.published}'", article.published)
    for value in (article.updated, article.reviewed, article.review_due):
        if value:
            front = front.replace(f"'{value}'", value)
    body = [f"# {escape_heading(article.title)}", "", *article.paragraphs]
    for number, section in enumerate(article.sections, start=1):
        body += ["", f"## {section}", "", f"Section {number} text about hair follicles."]
    return f"---\n{front}---\n\n" + "\n".join(body) + "\n"


def escape_heading(text: str) -> str:
    """Escape a title for inline Markdown so it shows as written (entities for HTML)."""
    entities = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    return "".join(
        entities.get(ch) or ("\\" + ch if ch in "\\`*_{}[]()#+-.!" else ch) for ch in text
    )


def dummy_articles(count: int) -> list[DummyArticle]:
    """`count` plain articles named article-001, article-002, ..."""
    return [
        DummyArticle(slug=f"article-{n:03d}", title=f"Article number {n:03d}",
                     description=f"Summary of article {n:03d}.")
        for n in range(1, count + 1)
    ]


def make_project(root: Path, articles: list[DummyArticle], site_url: str | None = None) -> Path:
    """Write a project beside the repository's real mkdocs.yml (inherited) and return its root.

    Importer hooks and watch folders are dropped: these tests render pages, not import feeds.
    """
    docs = root / "docs"
    (docs / "articles").mkdir(parents=True)
    shutil.copytree(REPO / "docs" / "assets", docs / "assets")
    shutil.copy2(REPO / "docs" / "sw.js", docs / "sw.js")  # offline reading (assets/ registers it)
    config: dict[str, object] = {
        "INHERIT": str(REPO / "mkdocs.yml"),
        "docs_dir": "docs",
        "site_dir": "site",
        "hooks": [],
        "watch": [],
        "theme": {"name": "material", "custom_dir": str(REPO / "overrides")},
    }
    if site_url is not None:
        config["site_url"] = site_url
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    # What `feedsite import` writes beside the pages (robots.txt needs the absolute site_url).
    robots = render_robots(site_url or "http://127.0.0.1:8000/")
    (docs / "robots.txt").write_text(robots, encoding="utf-8")
    listing = "\n".join(
        f"- [{escape_heading(a.title)}](articles/{a.slug}.md) — "
        f"{escape_heading(a.description)} · 2 min read"
        for a in articles
    )
    (docs / "index.md").write_text(
        "# Test library\n\nIntro.\n\n## Articles\n\n<!-- feedsite:articles:start -->\n"
        f"{listing}\n<!-- feedsite:articles:end -->\n",
        encoding="utf-8",
    )
    for index, article in enumerate(articles):
        previous = articles[index - 1] if index > 0 else None
        following = articles[index + 1] if index + 1 < len(articles) else None
        (docs / "articles" / f"{article.slug}.md").write_text(
            article_markdown(article, previous, following), encoding="utf-8"
        )
    return root


def build(root: Path, config_file: Path | None = None) -> BuiltSite:
    """Run `mkdocs build --strict` as a process; fail with its log when it fails."""
    site = root / "site-built"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [*MKDOCS, "build", "--strict", "-f", str(config_file or root / "mkdocs.yml"),
         "-d", str(site)],
        capture_output=True, text=True, env=env, cwd=root, check=False,
    )
    log = result.stdout + result.stderr
    if result.returncode != 0:
        raise AssertionError(f"mkdocs build failed:\n{log}")
    return BuiltSite(root=root, site=site, log=log)


def pagefind_fragments(site: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """The published search index's page records (Pagefind's fragment files, gzip-compressed
    JSON after a signature) by page URL, each with its file: those the manifest lists."""
    bundle = site / BUNDLE_DIR
    records: dict[str, tuple[Path, dict[str, Any]]] = {}
    for rel in (bundle / MANIFEST_FILE).read_text(encoding="utf-8").split():
        if rel.endswith(".pf_fragment"):
            raw = gzip.decompress((bundle / rel).read_bytes())
            assert raw.startswith(b"pagefind_dcd"), rel
            record = json.loads(raw[len(b"pagefind_dcd"):])
            records[record["url"]] = (bundle / rel, record)
    return records
