"""The feed URLs listed under `[tool.feedsite] feeds`, each with the file it is saved as."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from feedsite.errors import UserError
from feedsite.importer.documents import DOCUMENT_SUFFIXES
from feedsite.importer.slug import slugify

MAX_NAME_CHARS = 60


@dataclass(frozen=True)
class FeedSource:
    """A remote feed document and its file name in the feed folder."""

    url: str
    file: str


def default_file(url: str) -> str:
    """A stable file name from the URL: host and path as a slug, with a document suffix."""
    parts = urlsplit(url)
    stem = slugify(f"{parts.hostname or ''} {parts.path} {parts.query}")[:MAX_NAME_CHARS]
    suffix = ".json" if parts.path.lower().endswith(".json") else ".xml"
    return f"{stem.rstrip('-') or 'feed'}{suffix}"


def feed_sources(settings: dict[str, Any], where: str) -> list[FeedSource]:
    """Read `feeds = ["https://...", {url = "...", file = "news.xml"}]`; `where` names the file."""
    raw = settings.get("feeds", [])
    if not isinstance(raw, list):
        raise UserError(f"{where}: [tool.feedsite] feeds must be a list of URLs")
    found: list[FeedSource] = []
    for index, entry in enumerate(raw, 1):
        url, file = (entry, "") if isinstance(entry, str) else (
            (entry.get("url"), entry.get("file") or "") if isinstance(entry, dict) else (None, ""))
        if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
            raise UserError(f"{where}: feeds entry {index} must be an http(s) URL or a table "
                            "{ url = \"https://...\", file = \"name.xml\" }")
        if not isinstance(file, str):
            raise UserError(f"{where}: feeds entry {index}: file must be a file name")
        file = file or default_file(url)
        if "/" in file or "\\" in file or file.startswith(".") or \
                not file.endswith(tuple(DOCUMENT_SUFFIXES)):
            raise UserError(f"{where}: feeds entry {index}: file {file!r} must be a plain name "
                            f"ending in one of {', '.join(sorted(DOCUMENT_SUFFIXES))}")
        if any(s.file == file for s in found):
            raise UserError(f"{where}: feeds entries name the file {file!r} twice; give one "
                            "of them another file name")
        found.append(FeedSource(url, file))
    return found
