"""Reader feeds of the imported articles: RSS 2.0, Atom, JSON Feed 1.1 (pure: entries -> text)."""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from feedsite.importer.entry import Entry, page_url
from feedsite.importer.models import Article

RSS_FILE = "feed.xml"
ATOM_FILE = "atom.xml"
JSON_FILE = "feed.json"
DEFAULT_LIMIT = 100
_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Channel:
    """What the feeds say about the site; `site_url` ends with "/"."""

    title: str
    description: str
    site_url: str
    language: str = "en"
    author: str = ""
    use_directory_urls: bool = True
    limit: int = DEFAULT_LIMIT


def newest_first(entries: Sequence[Entry], limit: int) -> list[Entry]:
    """Newest published first, at most `limit` entries.

    On equal dates (a whole feed imported on one day) the later file name comes first: feed
    files are numbered in the order they were written (`feedsite new`), in any topic folder.
    """
    order = sorted(range(len(entries)), reverse=True,
                   key=lambda i: entries[i].article.source.rsplit("/", 1)[-1])
    order.sort(key=lambda i: -entries[i].published.toordinal())
    return [entries[i] for i in order[:limit]]


def article_html(article: Article) -> str:
    """The article body as HTML, every text escaped (the title is the feed item's title)."""
    parts: list[str] = []
    for block in article.blocks:
        if block.kind == "heading":
            parts.append(f"<h2>{html.escape(block.text, quote=False)}</h2>")
        elif block.kind == "list":
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{html.escape(i, quote=False)}</li>" for i in block.items)
            parts.append(f"<{tag}>{items}</{tag}>")
        else:
            parts.append(f"<p>{html.escape(block.text, quote=False)}</p>")
    return "\n".join(parts)


def entry_html(entry: Entry) -> str:
    """The item's content: the page's own HTML when the page is the source, else the article's."""
    return entry.html if entry.html is not None else article_html(entry.article)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def rfc822(day: dt.date) -> str:
    return format_datetime(_midnight(day))


def rfc3339(day: dt.date) -> str:
    return _midnight(day).strftime("%Y-%m-%dT%H:%M:%SZ")


def _latest(entries: Sequence[Entry]) -> dt.date:
    return max((e.last_changed for e in entries), default=_EPOCH)


def _url(channel: Channel, entry: Entry) -> str:
    return channel.site_url + page_url(entry.page, channel.use_directory_urls)


def render_rss(channel: Channel, entries: Sequence[Entry]) -> str:
    items = newest_first(entries, channel.limit)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        "<channel>",
        f"<title>{escape(channel.title)}</title>",
        f"<link>{escape(channel.site_url)}</link>",
        f"<description>{escape(channel.description or channel.title)}</description>",
        f"<language>{escape(channel.language)}</language>",
        f"<atom:link href={quoteattr(channel.site_url + RSS_FILE)} rel=\"self\" "
        'type="application/rss+xml"/>',
        f"<lastBuildDate>{rfc822(_latest(items))}</lastBuildDate>",
        "<generator>feedsite</generator>",
    ]
    for entry in items:
        url = escape(_url(channel, entry))
        lines += [
            "<item>",
            f"<title>{escape(entry.article.title)}</title>",
            f"<link>{url}</link>",
            f'<guid isPermaLink="true">{url}</guid>',
            f"<pubDate>{rfc822(entry.published)}</pubDate>",
            f"<description>{escape(html.escape(entry.description, quote=False))}</description>",
            f"<content:encoded>{escape(entry_html(entry))}</content:encoded>",
            "</item>",
        ]
    lines += ["</channel>", "</rss>"]
    return "\n".join(lines) + "\n"


def render_atom(channel: Channel, entries: Sequence[Entry]) -> str:
    items = newest_first(entries, channel.limit)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(channel.language)}>',
        f"<title>{escape(channel.title)}</title>",
        f"<subtitle>{escape(channel.description or channel.title)}</subtitle>",
        f"<id>{escape(channel.site_url)}</id>",
        f'<link href={quoteattr(channel.site_url)} rel="alternate" type="text/html"/>',
        f'<link href={quoteattr(channel.site_url + ATOM_FILE)} rel="self" '
        'type="application/atom+xml"/>',
        f"<updated>{rfc3339(_latest(items))}</updated>",
        f"<author><name>{escape(channel.author or channel.title)}</name></author>",
        "<generator>feedsite</generator>",
    ]
    for entry in items:
        url = _url(channel, entry)
        lines += [
            "<entry>",
            f"<title>{escape(entry.article.title)}</title>",
            f"<id>{escape(url)}</id>",
            f'<link href={quoteattr(url)} rel="alternate" type="text/html"/>',
            f"<published>{rfc3339(entry.published)}</published>",
            f"<updated>{rfc3339(entry.last_changed)}</updated>",
            f'<summary type="html">{escape(html.escape(entry.description, quote=False))}'
            "</summary>",
            f'<content type="html">{escape(entry_html(entry))}</content>',
            "</entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def render_json_feed(channel: Channel, entries: Sequence[Entry]) -> str:
    items = []
    for entry in newest_first(entries, channel.limit):
        url = _url(channel, entry)
        item: dict[str, object] = {
            "id": url,
            "url": url,
            "title": entry.article.title,
            "summary": entry.description,
            "content_html": entry_html(entry),
            "date_published": rfc3339(entry.published),
        }
        if entry.updated is not None:
            item["date_modified"] = rfc3339(entry.updated)
        items.append(item)
    feed: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": channel.title,
        "home_page_url": channel.site_url,
        "feed_url": channel.site_url + JSON_FILE,
        "description": channel.description or channel.title,
        "language": channel.language,
        "items": items,
    }
    if channel.author:
        feed["authors"] = [{"name": channel.author}]
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"


def render_reader_feeds(channel: Channel, entries: Sequence[Entry]) -> dict[str, str]:
    """File name in docs/ -> text, for all three feeds."""
    return {
        RSS_FILE: render_rss(channel, entries),
        ATOM_FILE: render_atom(channel, entries),
        JSON_FILE: render_json_feed(channel, entries),
    }
