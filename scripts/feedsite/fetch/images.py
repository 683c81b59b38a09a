"""Download the images that feed document items show into the articles' media folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from feedsite.atomic import write_atomically
from feedsite.fetch.http import FetchError, get
from feedsite.importer.documents import DOCUMENT_SUFFIXES, read_document
from feedsite.importer.documents.media import IMAGE_TYPES, MEDIA_FOLDER, image_urls, media_stem
from feedsite.importer.read import feed_files

# An article image larger than this is not worth making every reader download.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
# The first bytes of each allowed type: the body must be the type it claims (never SVG/HTML).
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"WEBP", 8, "image/webp"),
    (b"ftypavif", 4, "image/avif"),
)

ImageOutcome = Literal["fetched", "stored", "failed"]


@dataclass(frozen=True)
class ImageFetch:
    url: str
    outcome: ImageOutcome
    path: Path | None = None
    detail: str = ""


def sniff(body: bytes) -> str | None:
    """The image type the bytes really are, if an allowed one."""
    for magic, offset, kind in _MAGIC:
        if body[offset : offset + len(magic)] == magic:
            return kind
    return None


def wanted_images(feed_dir: Path) -> list[str]:
    """Image URLs of every item of every feed document, in feed order, each once."""
    urls: dict[str, None] = {}
    for path in feed_files(feed_dir):
        if path.suffix not in DOCUMENT_SUFFIXES:
            continue
        articles, _problems = read_document(path, path.name, path.name)
        for article in articles:
            urls.update(dict.fromkeys(image_urls(article.blocks)))
    return list(urls)


def fetch_image(url: str, media_dir: Path, timeout: float,
                limit: int = MAX_IMAGE_BYTES) -> ImageFetch:
    stem = media_stem(url)
    for suffix in IMAGE_TYPES.values():
        if (media_dir / f"{stem}{suffix}").is_file():
            return ImageFetch(url, "stored", media_dir / f"{stem}{suffix}")
    try:
        response = get(url, limit=limit, timeout=timeout)
    except FetchError as exc:
        return ImageFetch(url, "failed", detail=str(exc))
    body = response.body or b""
    declared = response.headers.get("content-type", "").split(";")[0].strip().lower()
    kind = sniff(body)
    if kind is None or not declared.startswith("image/"):
        shown = declared or "no Content-Type"
        return ImageFetch(url, "failed", detail=(
            f"is not a PNG, JPEG, GIF, WebP or AVIF image ({shown})"))
    path = media_dir / f"{stem}{IMAGE_TYPES[kind]}"
    write_atomically(path, body)
    return ImageFetch(url, "fetched", path)


def fetch_images(feed_dir: Path, articles_dir: Path, timeout: float,
                 limit: int = MAX_IMAGE_BYTES) -> list[ImageFetch]:
    """Fetch every item image not stored yet (stored ones are the cache)."""
    media_dir = articles_dir / MEDIA_FOLDER
    return [fetch_image(url, media_dir, timeout, limit) for url in wanted_images(feed_dir)]
