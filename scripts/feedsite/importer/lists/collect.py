"""Group articles for the lists (pure): A-Z order, topics, and each article's topic links.

Drafts never appear in a list, a topic or another article's related links.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from feedsite.importer.entry import Entry
from feedsite.importer.models import Article
from feedsite.importer.render import Neighbour
from feedsite.importer.topics import topic_key, topic_slug

TOPICS_DIR = "topics"
RELATED_LIMIT = 5


@dataclass(frozen=True)
class Topic:
    """One topic: the name shown, its page's slug and its published articles in A-Z order."""

    name: str
    slug: str
    entries: tuple[Entry, ...]

    @property
    def page(self) -> str:
        """The topic's first page, docs-relative."""
        return f"{TOPICS_DIR}/{self.slug}.md"


@dataclass(frozen=True)
class TopicLinks:
    """What an article page shows about its topics: the topic pages and related articles."""

    topics: tuple[Neighbour, ...] = ()
    related: tuple[Neighbour, ...] = ()


def title_key(title: str) -> tuple[str, str]:
    """Sort key for A-Z: accents and case ignored, so "Éczema" files under E."""
    decomposed = unicodedata.normalize("NFKD", title)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return (" ".join(plain.split()), title)


def alphabetical(entries: Sequence[Entry]) -> list[Entry]:
    """Published entries in A-Z order of title (ties by page path, so the order is total)."""
    return sorted((e for e in entries if not e.article.draft),
                  key=lambda e: (title_key(e.article.title), e.page))


def collect_topics(entries: Sequence[Entry]) -> list[Topic]:
    """Every topic with at least one published article, in A-Z order of name.

    Names that slugify alike ("Hair loss", "hair-loss") are one topic, shown as first spelled
    in feed order.
    """
    names: dict[str, str] = {}
    members: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.article.draft:
            continue
        for name in entry.article.topics:
            key = topic_key(name)
            names.setdefault(key, name)
            group = members.setdefault(key, [])
            if not group or group[-1] is not entry:
                group.append(entry)
    topics = [Topic(names[k], topic_slug(names[k]), tuple(alphabetical(v)))
              for k, v in members.items()]
    return sorted(topics, key=lambda t: (title_key(t.name), t.slug))


def topic_links(articles: Sequence[Article], page_of: Callable[[Article], str],
                limit: int = RELATED_LIMIT) -> dict[str, TopicLinks]:
    """Article key -> its topic pages and up to `limit` related articles.

    Related articles are an article's neighbours in A-Z order within its topics (next,
    previous, second next, ...), so adding one article changes only the few pages near it.
    """
    published = [a for a in articles if not a.draft]
    names: dict[str, str] = {}
    members: dict[str, list[Article]] = {}
    for article in published:
        for name in article.topics:
            key = topic_key(name)
            names.setdefault(key, name)
            group = members.setdefault(key, [])
            if not group or group[-1] is not article:
                group.append(article)
    position: dict[tuple[str, str], int] = {}
    for key, group in members.items():
        group.sort(key=lambda a: (title_key(a.title), page_of(a)))
        position.update(((key, a.key), i) for i, a in enumerate(group))
    links: dict[str, TopicLinks] = {}
    for article in articles:
        keys = list(dict.fromkeys(topic_key(n) for n in article.topics if topic_key(n) in names))
        if not keys:
            continue
        topics = tuple(Neighbour(names[k], f"{TOPICS_DIR}/{topic_slug(names[k])}.md")
                       for k in keys)
        related: list[Neighbour] = []
        seen = {article.key}
        for key in keys:
            group = members[key]
            here = position.get((key, article.key))
            for other in _around(group, here, limit):
                if len(related) >= limit:
                    break
                if other.key not in seen:
                    seen.add(other.key)
                    related.append(Neighbour(other.title, page_of(other)))
        links[article.key] = TopicLinks(topics, tuple(related))
    return links


def _around(group: list[Article], here: int | None, limit: int) -> list[Article]:
    """The group's articles nearest to position `here` (wrapping round), nearest first."""
    if here is None:  # a draft: published articles from the start of the topic
        return group[: limit + 1]
    size = len(group)
    order: list[int] = []
    for step in range(1, min(size, limit + 2)):
        for index in ((here + step) % size, (here - step) % size):
            if index != here and index not in order:
                order.append(index)
    return [group[i] for i in order]
