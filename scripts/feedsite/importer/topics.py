"""Topic names and slugs: a feed folder names a topic, and so (later) does an item category."""

from __future__ import annotations

from collections.abc import Mapping

from feedsite.importer.slug import slugify


def title_from_folder(folder: str) -> str:
    """"hair-loss" -> "Hair loss"; a name with capitals ("HIV_and_AIDS") keeps them."""
    words = folder.replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or folder
    return text[:1].upper() + text[1:] if text == text.lower() else text


def folder_topic(source: str, titles: Mapping[str, str]) -> str | None:
    """The topic of a feed file from its first folder (None for a file directly in feed/).

    `titles` (from `[tool.feedsite.topic_titles]`) may give a folder a nicer title.
    """
    folder, sep, _rest = source.partition("/")
    if not sep:
        return None
    title = titles.get(folder)
    return " ".join(title.split()) if isinstance(title, str) and title.strip() else (
        title_from_folder(folder))


def topic_slug(name: str) -> str:
    """The topic page's file name: the name slugified ("topic" when nothing is left)."""
    slug = slugify(name)
    # "index" would be the topics folder's own index page.
    return "topic" if not slug else (f"{slug}-topic" if slug == "index" else slug)


def topic_key(name: str) -> str:
    """What makes two topic names the same topic ("Hair loss" and "hair-loss")."""
    return topic_slug(name)
