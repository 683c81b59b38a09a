"""URLs that only work on the author's own computer: `file:`, loopback hosts, Windows drive
paths (`C:\\photos\\cat.png`) and file shares (`\\\\server\\share`).

No reader can follow them. The checker reports them in pages (rule local-url); the importer
keeps the text of such a link in a feed item, not the link.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# localhost and its subdomains, 127.0.0.0/8, ::1, and 0.0.0.0 (which local servers bind).
_LOOPBACK = re.compile(r"^(?:localhost|.*\.localhost|127(?:\.\d+){3}|::1|0\.0\.0\.0)$")
# "C:\...", "c:/...", "C:%5C..." (a drive letter, then a slash of either kind).
_DRIVE = re.compile(r"^[A-Za-z]:(?:[\\/]|%5[Cc])")
URL_SPACE = " \t\n\f\r"  # what browsers strip from both ends of a URL attribute


def local_place(url: str) -> str:
    """"a local file" or "localhost" for a URL no reader can reach; "" for any other."""
    raw = url.strip(URL_SPACE)
    scheme = raw[:8].lower()
    if scheme.startswith("file:") or _DRIVE.match(raw):
        return "a local file"
    if raw.startswith("\\\\"):
        return "a file share on the author's network"
    if not scheme.startswith(("http:", "https:", "//")):
        return ""  # a relative path (the page's host), or a scheme with no host (data:, tel:)
    try:
        host = urlsplit("https:" + raw if raw.startswith("//") else raw).hostname or ""
    except ValueError:
        return ""
    return "localhost" if _LOOPBACK.match(host) else ""
