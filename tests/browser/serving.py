"""Serve a built site on 127.0.0.1 with the project's hosting server, headers and all."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from feedsite.hosting.server import start_server


@dataclass(frozen=True)
class RunningSite:
    """Where the site answers, and the Content-Security-Policy its home page came with."""

    base_url: str
    csp: str | None


@contextmanager
def serve(site_dir: Path) -> Iterator[RunningSite]:
    """Serve `site_dir` on a free 127.0.0.1 port for the duration of the block."""
    # The same server and headers `feedsite serve` uses, so the browser proves the real CSP.
    server, base_url = start_server(site_dir, port=0)
    try:
        with urllib.request.urlopen(base_url, timeout=10) as response:
            csp = response.headers.get("Content-Security-Policy")
        yield RunningSite(base_url=base_url, csp=csp)
    finally:
        server.shutdown()
        server.server_close()
