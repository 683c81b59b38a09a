"""`feedsite index`: build the search index of a built site (needed after `zensical build`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from feedsite.project import default_site_dir
from feedsite.search.index import index_site


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "index",
        help="build the search index (Pagefind) of a built site",
        description="Index the article pages of a built site with Pagefind and publish the "
        "index in SITE/pagefind/. `mkdocs build` does this itself; run it after "
        "`zensical build`.",
    )
    parser.add_argument("--site", type=Path, default=None,
                        help="folder of the built site (default: site_dir of mkdocs.yml)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    site = args.site if args.site is not None else default_site_dir()
    result = index_site(site)
    if not args.quiet:
        print(
            f"feedsite index: {result.pages} page(s) indexed into {result.bundle_dir} "
            f"in {result.seconds:.1f} s",
            file=sys.stderr,
        )
    return 0
