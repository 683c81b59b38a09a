"""Point a feed document's links at this site: other items' pages and stored images."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from feedsite.importer.documents.media import stored_media
from feedsite.importer.models import Article
from feedsite.importer.render_markup import LocalTargets


def local_targets(articles: Sequence[Article], slugs: Mapping[str, str],
                  articles_dir: Path) -> Callable[[Article], LocalTargets]:
    """For each article, its LocalTargets: links to items of the same document become links
    to their pages (`slug.md`, the pages share a folder), stored images their files."""
    media = stored_media(articles_dir, articles)
    pages: dict[str, dict[str, str]] = {}
    for article in articles:
        if article.item_id is not None and article.origin.link:
            url = article.origin.link.split("#", 1)[0]
            pages.setdefault(article.source, {}).setdefault(url, f"{slugs[article.key]}.md")
    by_source = {source: LocalTargets(links, media) for source, links in pages.items()}
    plain = LocalTargets({}, media)
    return lambda article: by_source.get(article.source, plain)
