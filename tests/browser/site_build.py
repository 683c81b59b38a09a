"""Build a copy of the real project, plus one hostile feed article, into a temp folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from feedsite.project import load_project, read_mkdocs_yml

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
HOSTILE_FEED_NAME = "zzz_hostile_markup.txt"
HOSTILE_FEED_TEXT = (HERE / "hostile_article.txt").read_text(encoding="utf-8")
# A short article in a topic folder (feed/<topic>/), so the suite also sees a topic page and
# an article without review dates or a contents list.
SHORT_FEED_NAME = "sleep/zz_short_sleep.txt"
SHORT_ORIGINAL_URL = "https://example.org/sleep-and-health"
SHORT_FEED_TEXT = """\
Sleep and Your Health

Sleep helps your body and mind recover. Most adults need seven to nine hours a night.

Simple habits that help

Go to bed and get up at the same times each day. Keep your bedroom dark, quiet and cool.
"""
# A feed document whose one item tries every way to run code or call another host.
HOSTILE_DOCUMENT_NAME = "zzz_hostile_items.xml"
HOSTILE_DOCUMENT = HERE.parent / "fixtures" / "feeds" / "hostile_items.xml"
A11Y_CSS = "assets/stylesheets/a11y.css"
# Author-owned review dates added to the article under test, so its review line shows.
REVIEW_DATES = {"reviewed": "2026-10-01", "review_due": "2027-04-01"}

# Everything else in the repository is copied, so hooks or plugins that mkdocs.yml names
# anywhere in the tree are there too; these are outputs, tools and the test tree itself.
_NOT_COPIED_AT_TOP = {".git", ".venv", "site", "tests", "benchmarks", "build", "node_modules"}
_NOT_COPIED_ANYWHERE = shutil.ignore_patterns(
    "__pycache__", "*.egg-info", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis"
)


def _not_copied(folder: str, names: list[str]) -> set[str]:
    skipped = set(_NOT_COPIED_ANYWHERE(folder, names))
    if Path(folder) == REPO_ROOT:
        skipped |= _NOT_COPIED_AT_TOP & set(names)
    return skipped


@dataclass(frozen=True)
class BuiltSite:
    """A strict build of the project copy and the URL paths the suite visits."""

    root: Path
    site_dir: Path
    article_path: str
    article_meta: dict[str, object]  # the front matter the article page was built from
    hostile_path: str | None
    import_note: str
    a11y_css_added: bool
    short_path: str | None = None  # the short article in a topic folder
    hostile_document_path: str | None = None  # the hostile feed document's item


class BuildFailed(RuntimeError):
    """The project copy did not build; the message carries the tool's output."""


def build_site(workdir: Path) -> BuiltSite:
    """Copy the repo into `workdir`, import the feed plus a hostile article, build strictly."""
    root = workdir / "project"
    shutil.copytree(REPO_ROOT, root, ignore=_not_copied)
    (root / "feed").mkdir(exist_ok=True)
    (root / "feed" / HOSTILE_FEED_NAME).write_text(HOSTILE_FEED_TEXT, encoding="utf-8")
    shutil.copy2(HOSTILE_DOCUMENT, root / "feed" / HOSTILE_DOCUMENT_NAME)
    (root / "feed" / SHORT_FEED_NAME).parent.mkdir(exist_ok=True)
    (root / "feed" / SHORT_FEED_NAME).write_text(SHORT_FEED_TEXT, encoding="utf-8")
    import_note = _run_import(root)
    a11y_css_added = _ensure_a11y_css_listed(root / "mkdocs.yml")
    pages = _article_pages_by_source(root)
    real_sources = sorted(
        source for source in pages
        if source not in (HOSTILE_FEED_NAME, SHORT_FEED_NAME, HOSTILE_DOCUMENT_NAME)
    )
    if not real_sources:
        raise BuildFailed(f"{root}: no article page under docs/articles to test")
    article_md = pages[real_sources[0]]
    _add_front_matter(article_md, REVIEW_DATES)
    if SHORT_FEED_NAME in pages:
        # As a feed document's item would have: the original's address, linked and printed.
        _add_front_matter(pages[SHORT_FEED_NAME], {"original_url": SHORT_ORIGINAL_URL})
    site_dir = workdir / "site"
    _run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(site_dir),
        ],
        cwd=root,
        what="mkdocs build --strict",
    )
    hostile_md = pages.get(HOSTILE_FEED_NAME)
    return BuiltSite(
        root=root,
        site_dir=site_dir,
        article_path=_url_path(root, article_md),
        article_meta=_front_matter(article_md),
        hostile_path=_url_path(root, hostile_md) if hostile_md and not import_note else None,
        import_note=import_note,
        a11y_css_added=a11y_css_added,
        short_path=_url_path(root, pages[SHORT_FEED_NAME]) if SHORT_FEED_NAME in pages else None,
        hostile_document_path=(_url_path(root, pages[HOSTILE_DOCUMENT_NAME])
                               if HOSTILE_DOCUMENT_NAME in pages else None),
    )


def _run_import(root: Path) -> str:
    """Run `feedsite import` in the copy; return "" on success, else why it could not run."""
    docs_backup = root.parent / "docs-before-import"
    shutil.copytree(root / "docs", docs_backup)
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from feedsite.cli import main; main()", "import"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=_tool_env(),
    )
    if result.returncode == 0:
        return ""
    # A failed import must not leave a half-imported docs/ behind: build what the repo holds.
    shutil.rmtree(root / "docs")
    shutil.copytree(docs_backup, root / "docs")
    lines = (result.stderr or result.stdout).strip().splitlines()
    return f"`feedsite import` exited {result.returncode}: {lines[-1] if lines else 'no output'}"


def _ensure_a11y_css_listed(config_file: Path) -> bool:
    """List a11y.css in the copy's extra_css when mkdocs.yml does not yet; True if added."""
    config = read_mkdocs_yml(config_file)
    extra_css = config.get("extra_css") or []
    if A11Y_CSS in extra_css:
        return False
    text = config_file.read_text(encoding="utf-8")
    if "extra_css" not in config:
        text = text.rstrip("\n") + f"\n\nextra_css:\n  - {A11Y_CSS}\n"
    else:
        # A block list is the only style this project uses for extra_css.
        text = text.replace("extra_css:\n", f"extra_css:\n  - {A11Y_CSS}\n", 1)
    config_file.write_text(text, encoding="utf-8")
    if A11Y_CSS not in (read_mkdocs_yml(config_file).get("extra_css") or []):
        raise BuildFailed(f"{config_file}: could not add {A11Y_CSS} to extra_css")
    return True


def _article_pages_by_source(root: Path) -> dict[str, Path]:
    """Map each article's `source` feed name to its Markdown file."""
    project = load_project(config_file=root / "mkdocs.yml")
    return {
        str(_front_matter(md).get("source") or md.name): md
        for md in sorted(project.articles_dir.rglob("*.md"))
    }


def _url_path(root: Path, md: Path) -> str:
    """The page's URL path relative to the site root, e.g. "articles/slug/"."""
    project = load_project(config_file=root / "mkdocs.yml")
    rel = md.relative_to(project.docs_dir).with_suffix("").as_posix()
    directory_urls = project.mkdocs.get("use_directory_urls", True) is not False
    return f"{rel}/" if directory_urls else f"{rel}.html"


def _add_front_matter(md: Path, values: dict[str, str]) -> None:
    """Add keys to a page's YAML front matter, as an author would by hand."""
    text = md.read_text(encoding="utf-8")
    if not text.startswith("---\n") or "\n---" not in text[3:]:
        raise BuildFailed(f"{md}: no front matter to add {sorted(values)} to")
    end = text.index("\n---", 3)
    added = "".join(f"\n{key}: {value}" for key, value in values.items())
    md.write_text(text[:end] + added + text[end:], encoding="utf-8")


def _front_matter(md: Path) -> dict[str, object]:
    text = md.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    block, _, _ = text[4:].partition("\n---")
    data = yaml.safe_load(block)
    return data if isinstance(data, dict) else {}


def _run(cmd: list[str], *, cwd: Path, what: str) -> None:
    result = subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, timeout=300, env=_tool_env()
    )
    if result.returncode != 0:
        raise BuildFailed(f"{what} failed (exit {result.returncode}):\n{result.stderr}")


def _tool_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
