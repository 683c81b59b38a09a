"""`feedsite report`: the articles listed by reading grade, hardest first, for their editors."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from feedsite.check.checks.readability import as_number, markdown_passages
from feedsite.check.policy import project_config
from feedsite.check.site import front_matter_of
from feedsite.importer.readability import is_english, measure
from feedsite.project import Project, load_project


@dataclass(frozen=True)
class GradedArticle:
    """One article page's reading figures (from its front matter, else measured)."""

    path: str  # docs-relative Markdown file
    title: str
    grade: float  # Flesch-Kincaid US school grade
    smog: float
    words: int


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "report",
        help="list the articles by reading grade, hardest first",
        description=(
            "List every article page with its reading grade (Flesch-Kincaid; SMOG beside it), "
            "hardest first, and count those above the grade `feedsite check` warns at "
            "(max_reading_grade, default 8). Readers never see these figures."
        ),
    )
    parser.add_argument("-f", "--config-file", type=Path, help="mkdocs.yml (default: nearest one)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--limit", type=int, default=0, help="show only the N hardest (0: all)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    project = load_project(args.config_file)
    target = project_config(project).max_reading_grade
    articles = graded_articles(project)
    shown = articles[: args.limit] if args.limit > 0 else articles
    if args.format == "json":
        data = {"target": target, "articles": [asdict(a) for a in shown]}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    sys.stdout.write(render_text(shown, target, total=len(articles)))
    return 0


def graded_articles(project: Project) -> list[GradedArticle]:
    """Every article page under the articles folder, hardest first (then by path)."""
    found: list[GradedArticle] = []
    for md in sorted(project.articles_dir.rglob("*.md")):
        doc = md.relative_to(project.docs_dir).as_posix()
        meta, _invalid = front_matter_of(project.docs_dir, doc)
        if meta is None or meta.get("generator") != "feedsite":
            continue
        if not is_english(meta.get("language")):
            continue  # no English grade for it, as in `feedsite check`
        grade, smog = as_number(meta.get("reading_grade")), as_number(meta.get("smog_grade"))
        words = meta.get("words")
        if grade is None or smog is None or not isinstance(words, int):
            # A page written before grades were recorded, or edited by hand: measure it.
            figures = measure(markdown_passages(md.read_text(encoding="utf-8", errors="replace")))
            grade, smog, words = figures.grade, figures.smog, figures.words
        found.append(GradedArticle(doc, str(meta.get("title") or doc), grade, smog, words))
    return sorted(found, key=lambda a: (-a.grade, a.path))


def render_text(articles: list[GradedArticle], target: float, total: int) -> str:
    """A plain table: grade, SMOG, words, title and file, then how many exceed the target."""
    lines = [f"{'grade':>5}  {'SMOG':>5}  {'words':>6}  article"]
    for a in articles:
        mark = "*" if a.grade > target else " "
        lines.append(f"{a.grade:>5.1f}{mark} {a.smog:>5.1f}  {a.words:>6}  {a.title} ({a.path})")
    above = sum(1 for a in articles if a.grade > target)
    listed = f"{len(articles)} of {total}" if len(articles) != total else f"{total}"
    lines.append(
        f"{listed} article(s) listed; {above} above grade {target:g} (marked *). "
        "`feedsite check` names the hardest sentences of each."
    )
    return "\n".join(lines) + "\n"
