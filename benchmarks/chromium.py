"""The Chromium the browser suite (tests/browser/conftest.py) and every browser benchmark drive:
Debian's (CHROME_PATH, Lighthouse's own variable, names another), headless, with no background
traffic and no host but 127.0.0.1: a page that asked for another host would fail to reach it."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def chrome_flags() -> str:
    """The same flags as one command-line string (Lighthouse's --chrome-flags)."""
    return " ".join(
        f'{name}="{value}"' if " " in value else arg
        for arg in CHROMIUM_ARGS
        for name, _, value in [arg.partition("=")]
    )
