"""URLs that only work on the author's own computer: `file:` and loopback hosts.

No reader can follow them. The checker reports them in pages (rule local-url); the importer
keeps the text of such a link in a feed item, not the link.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# localhost and its subdomains, 127.0.0.0/8, ::1, and 0.0.0.0 (which local servers bind).
_LOOPBACK = re.compile(r"^(?:localhost|.*\.localhost|127(?:\.\d+){3}|::1|0\.0\.0\.0)$")
_URL_SPACE = " \t\n\f\r"  # what browsers strip from both ends of a URL attribute


def local_place(url: str) -> str:
    """"a local file" or "localhost" for a URL no reader can reach; "" for any other."""
    raw = url.strip(_URL_SPACE)
    if raw[:5].lower() == "file:":
        return "a local file"
    if ":" not in raw and not raw.startswith("//"):
        return ""  # a relative path: its host is the page's
    try:
        host = urlsplit("https:" + raw if raw.startswith("//") else raw).hostname or ""
    except ValueError:
        return ""
    return "localhost" if _LOOPBACK.match(host) else ""
