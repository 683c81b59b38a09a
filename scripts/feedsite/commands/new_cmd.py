"""`feedsite new "Title"`: start a new feed article from a skeleton, never overwriting a file."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from feedsite.errors import UserError
from feedsite.importer.drafts import DRAFT_PREFIX
from feedsite.importer.read import feed_files
from feedsite.importer.skeleton import next_file_name, skeleton_text
from feedsite.project import load_project


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "new",
        help="start a new feed article from a skeleton",
        description="Write a skeleton article (title, introduction, one section) into the feed "
        "folder under the next free file name, and print its path. The article starts as a "
        "draft: `mkdocs serve` shows it, nothing publishes it until you delete `Draft:` from "
        "its first line.",
    )
    parser.add_argument("title", help="the article's title (one line)")
    parser.add_argument("-f", "--config-file", type=Path, default=None,
                        help="the project's mkdocs.yml (default: the nearest one above here)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    title = " ".join(str(args.title).split())
    if not title:
        raise UserError('the title is empty; pass it in quotes: feedsite new "My title"')
    if "\n" in str(args.title).strip() or "\r" in str(args.title):
        raise UserError("the title must be a single line")
    project = load_project(args.config_file)
    feed_dir = project.feed_dir
    feed_dir.mkdir(parents=True, exist_ok=True)
    name = next_file_name(title, (p.name for p in feed_files(feed_dir)))
    path = feed_dir / name
    try:
        # O_EXCL: refuse to overwrite, even if another process created the file meanwhile.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError as exc:
        raise UserError(f"{path}: already exists; not overwritten. Edit it, or pick another "
                        "title") from exc
    except OSError as exc:
        raise UserError(f"{path}: cannot create ({exc.strerror})") from exc
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(skeleton_text(title))
    try:
        shown = path.relative_to(Path.cwd())
    except ValueError:
        shown = path
    print(shown)
    print(f"{shown}: a draft: `mkdocs serve` shows it; delete {DRAFT_PREFIX!r} from its first "
          "line to publish it", file=sys.stderr)
    return 0
