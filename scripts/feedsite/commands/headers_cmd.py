"""`feedsite headers`: write a `_headers` file (Netlify, Cloudflare Pages) into a built site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from feedsite.atomic import write_atomically
from feedsite.hosting.policy import policy_for_site, render_headers_file
from feedsite.hosting.server import check_site_dir
from feedsite.project import default_site_dir


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "headers",
        help="write the host headers file (_headers) for a built site",
        description="Compute the Content-Security-Policy and cache rules from a built site "
        "and write them as a _headers file for Netlify or Cloudflare Pages.",
    )
    parser.add_argument("--site", type=Path, default=None,
                        help="folder of the built site (default: site_dir of mkdocs.yml)")
    parser.add_argument("--output", type=Path, default=None,
                        help="file to write (default: SITE/_headers; - prints it)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    site = check_site_dir(args.site if args.site is not None else default_site_dir())
    text = render_headers_file(policy_for_site(site))
    if str(args.output) == "-":
        sys.stdout.write(text)
        return 0
    target = args.output or site / "_headers"
    write_atomically(target, text.encode("utf-8"))
    print(f"feedsite headers: wrote {target}", file=sys.stderr)
    return 0
