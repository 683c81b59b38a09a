"""Where `feedsite fetch` stores an item's images on this site, and which ones it has stored.

An image lives in `<articles folder>/media/` under a name made from its URL's digest, so the
importer finds it again without any record of the download, and a page links it as
`media/<name>` (it sits next to the article pages).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from feedsite.importer.models import Article, Block

MEDIA_FOLDER = "media"
# Image types a page may show, by the Content-Type the server sends.
IMAGE_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/avif": ".avif",
}
_STEM_CHARS = 24
# How a page links a stored image (render_markup.py writes `](media/<name>)`).
_SHOWN = re.compile(rb"\bmedia/([0-9a-f]{%d}\.[a-z]+)\b" % _STEM_CHARS)


def media_stem(url: str) -> str:
    """The file name (without suffix) an image URL is stored under."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:_STEM_CHARS]


def image_urls(blocks: Iterable[Block]) -> Iterator[str]:
    """Source URLs of the images among `blocks` (quotes included), in order."""
    stack = list(blocks)
    stack.reverse()
    while stack:
        block = stack.pop()
        if block.kind == "image":
            yield block.href
        stack.extend(reversed(block.children))


def stored_media(articles_dir: Path, articles: Iterable[Article]) -> dict[str, str]:
    """Image URL -> page-relative path (`media/x.png`) for the articles' images stored here."""
    folder = articles_dir / MEDIA_FOLDER
    if not folder.is_dir():
        return {}
    files = {p.stem: p.name for p in folder.iterdir()
             if p.is_file() and p.suffix in IMAGE_TYPES.values()}
    found: dict[str, str] = {}
    for article in articles:
        if article.item_id is None:
            continue
        for url in image_urls(article.blocks):
            name = files.get(media_stem(url))
            if name is not None:
                found[url] = f"{MEDIA_FOLDER}/{name}"
    return found


def unused_media(articles_dir: Path, pages: Iterable[bytes]) -> list[Path]:
    """Stored images that none of `pages` (every article page as it will be) shows: their
    items left the feed or dropped the image. Only files named as `feedsite fetch` names
    them are considered; anything else in the folder is the author's."""
    folder = articles_dir / MEDIA_FOLDER
    if not folder.is_dir():
        return []
    shown: set[str] = set()
    for raw in pages:
        if b"media/" in raw:  # a plain search first: this runs over every page on each import
            shown.update(match.decode("ascii") for match in _SHOWN.findall(raw))
    return sorted(
        path for path in folder.iterdir()
        if path.is_file() and path.suffix in IMAGE_TYPES.values() and path.name not in shown
        and len(path.stem) == _STEM_CHARS and all(c in "0123456789abcdef" for c in path.stem))
