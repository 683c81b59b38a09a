"""The fetch cache beside the feed documents: each URL's validators for conditional GETs."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from feedsite.atomic import write_atomically

# A hidden file, so the importer never reads it as a feed document.
CACHE_NAME = ".feedsite-fetch.json"


@dataclass(frozen=True)
class Validators:
    """What the server said about the copy we have, to ask "has it changed?" next time."""

    etag: str = ""
    last_modified: str = ""


def load_cache(feed_dir: Path) -> dict[str, Validators]:
    """URL -> validators; an unreadable cache is an empty one (the next fetch is just full)."""
    try:
        data = json.loads((feed_dir / CACHE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        url: Validators(str(v.get("etag") or ""), str(v.get("last_modified") or ""))
        for url, v in data.items() if isinstance(url, str) and isinstance(v, dict)
    }


def save_cache(feed_dir: Path, cache: dict[str, Validators]) -> None:
    text = json.dumps({url: asdict(v) for url, v in sorted(cache.items())}, indent=2)
    write_atomically(feed_dir / CACHE_NAME, (text + "\n").encode("utf-8"))
