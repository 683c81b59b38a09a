"""`feedsite serve`: serve a built site on 127.0.0.1 with the headers a real host should send."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from feedsite.hosting.server import base_url, make_server
from feedsite.project import default_site_dir


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "serve",
        help="serve a built site with security, cache and gzip headers (like a real host)",
        description="Serve a built site (mkdocs build output) on 127.0.0.1 with the "
        "Content-Security-Policy, cache and gzip behaviour of a production host.",
    )
    parser.add_argument("--site", type=Path, default=None,
                        help="folder of the built site (default: site_dir of mkdocs.yml)")
    parser.add_argument("--port", type=int, default=8001,
                        help="port to listen on; 0 picks a free one (default: 8001)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.site is None:
        args.site = default_site_dir()
    server = make_server(args.site, port=args.port, quiet=False)
    print(f"feedsite serve: serving {args.site} at {base_url(server)} (Ctrl+C stops)",
          file=sys.stderr)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0
