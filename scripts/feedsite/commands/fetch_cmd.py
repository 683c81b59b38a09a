"""`feedsite fetch`: download the feeds listed in pyproject.toml into feed/, and their images."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from feedsite.fetch.feeds import fetch_feeds
from feedsite.fetch.images import fetch_images
from feedsite.fetch.sources import feed_sources
from feedsite.problems import shown_path
from feedsite.project import load_project

DEFAULT_TIMEOUT = 20.0


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "fetch",
        help="download the feed documents listed in pyproject.toml into feed/",
        description="Download each URL in [tool.feedsite] feeds into the feed folder (only when "
        "it changed: conditional GET), then the images their items show into the articles' "
        "media folder. A failed download keeps the last good copy. Nothing else ever fetches.",
    )
    parser.add_argument("-f", "--config-file", type=Path, default=None,
                        help="the project's mkdocs.yml (default: the nearest one above here)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"give up on a server after this long (default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--no-images", action="store_true",
                        help="fetch the feed documents only, not their items' images")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    project = load_project(args.config_file)
    sources = feed_sources(project.settings, shown_path(project.root / "pyproject.toml",
                                                        project.root))
    if not sources:
        print("no feeds to fetch: list their URLs under [tool.feedsite] feeds = [...] in "
              "pyproject.toml", file=sys.stderr)
        return 0
    failed = 0
    for result in fetch_feeds(sources, project.feed_dir, args.timeout):
        shown = shown_path(result.path, project.root)
        if result.outcome == "failed":
            failed += 1
            kept = (f"kept the last good copy {shown}" if result.path.is_file()
                    else f"{shown} not written")
            print(f"{result.source.url}: error: {result.detail}; {kept}; try again later or "
                  "fix the URL in pyproject.toml", file=sys.stderr)
        elif result.outcome == "unchanged":
            print(f"unchanged {shown} (not modified since the last fetch)")
        else:
            print(f"fetched   {shown} ({result.items} item(s))")
    images = [] if args.no_images else fetch_images(project.feed_dir, project.articles_dir,
                                                    args.timeout)
    for image in images:
        if image.outcome == "failed":
            print(f"{image.url}: warning: image not stored ({image.detail}); its pages link "
                  "to it instead", file=sys.stderr)
        elif image.outcome == "fetched" and image.path is not None:
            print(f"fetched   {shown_path(image.path, project.root)}")
    stored = sum(i.outcome != "failed" for i in images)
    print(f"{len(sources)} feed(s): {len(sources) - failed} fetched or unchanged, {failed} "
          f"failed; {stored} of {len(images)} image(s) stored; run `feedsite import` next")
    return 1 if failed else 0
