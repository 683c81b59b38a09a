"""Download the configured feed documents into the feed folder, keeping the last good copy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from feedsite.atomic import write_atomically
from feedsite.fetch.cache import Validators, load_cache, save_cache
from feedsite.fetch.charset import as_saved
from feedsite.fetch.http import FetchError, get
from feedsite.fetch.sources import FeedSource
from feedsite.importer.documents.items import NotAFeed
from feedsite.importer.documents.json_feed import looks_like_json, read_json_feed
from feedsite.importer.documents.limits import MAX_DOCUMENT_BYTES
from feedsite.importer.documents.xml_feed import read_xml_feed

Outcome = Literal["fetched", "unchanged", "failed"]


@dataclass(frozen=True)
class FeedFetch:
    """What happened to one feed URL; `detail` is the reason when it failed."""

    source: FeedSource
    path: Path
    outcome: Outcome
    items: int = 0
    detail: str = ""


def _items_in(body: bytes) -> int:
    """How many items the downloaded document holds; raise NotAFeed when it is no feed."""
    feed = read_json_feed(body) if looks_like_json(body) else read_xml_feed(body)
    return len(feed.items)


def fetch_feed(source: FeedSource, feed_dir: Path, cache: dict[str, Validators],
               timeout: float, limit: int = MAX_DOCUMENT_BYTES) -> FeedFetch:
    """Fetch one feed; the file in the feed folder changes only when a valid feed arrives."""
    path = feed_dir / source.file
    known = cache.get(source.url, Validators()) if path.is_file() else Validators()
    try:
        response = get(source.url, limit=limit, timeout=timeout, etag=known.etag,
                       last_modified=known.last_modified)
    except FetchError as exc:
        return FeedFetch(source, path, "failed", detail=str(exc))
    if response.body is None:
        return FeedFetch(source, path, "unchanged")
    body = as_saved(response.body, response.headers.get("content-type", ""))
    try:
        items = _items_in(body)
    except NotAFeed as exc:
        return FeedFetch(source, path, "failed", detail=f"sent a document that {exc.message}")
    if not path.is_file() or path.read_bytes() != body:
        write_atomically(path, body)
    cache[source.url] = Validators(response.headers.get("etag", ""),
                                   response.headers.get("last-modified", ""))
    return FeedFetch(source, path, "fetched", items=items)


def fetch_feeds(sources: list[FeedSource], feed_dir: Path, timeout: float,
                limit: int = MAX_DOCUMENT_BYTES) -> list[FeedFetch]:
    """Fetch every feed (one failure never stops the others) and save the validators."""
    feed_dir.mkdir(parents=True, exist_ok=True)
    cache = load_cache(feed_dir)
    results = [fetch_feed(source, feed_dir, cache, timeout, limit) for source in sources]
    save_cache(feed_dir, cache)
    return results
