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
from feedsite.importer.models import Article, Block, Inline

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


def _text(value: str) -> str:
    return html.escape(value, quote=False)


def _safe_href(href: str) -> str:
    """Only web and mail links reach a feed reader; anything else is dropped (text stays)."""
    return href if href.split(":", 1)[0].lower() in ("http", "https", "mailto") else ""


def _runs_html(runs: tuple[Inline, ...]) -> str:
    parts: list[str] = []
    for run in runs:
        if run.kind == "text":
            parts.append(_text(run.text))
        elif run.kind == "code":
            parts.append(f"<code>{_text(run.text)}</code>")
        elif run.kind == "break":
            parts.append("<br>")
        elif run.kind in ("em", "strong"):
            parts.append(f"<{run.kind}>{_runs_html(run.children)}</{run.kind}>")
        else:  # a link
            inner, href = _runs_html(run.children), _safe_href(run.href)
            parts.append(f"<a href={quoteattr(href)}>{inner}</a>" if href else inner)
    return "".join(parts)


def _inline_html(block: Block) -> str:
    """A block's text: its marked-up runs (feed documents) or its plain text."""
    return _runs_html(block.runs) if block.runs else _text(block.text)


def _list_html(block: Block) -> str:
    tag = "ol" if block.ordered else "ul"
    start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
    if block.entries:
        items = "".join(
            f"<li>{_runs_html(e.runs) if e.runs else _text(e.text)}"
            f"{''.join(_list_html(b) for b in e.blocks)}</li>"
            for e in block.entries
        )
    else:
        items = "".join(f"<li>{_text(item)}</li>" for item in block.items)
    return f"<{tag}{start}>{items}</{tag}>"


def _block_html(block: Block) -> str:
    if block.kind == "heading":
        level = min(max(block.level, 2), 4)
        return f"<h{level}>{_inline_html(block)}</h{level}>"
    if block.kind == "list":
        return _list_html(block)
    if block.kind == "quote":
        return f"<blockquote>{''.join(_block_html(b) for b in block.children)}</blockquote>"
    if block.kind == "code":
        return f"<pre><code>{_text(block.text)}</code></pre>"
    if block.kind == "table":
        rows = []
        for number, row in enumerate(block.rows):
            cell = "th" if number == 0 else "td"
            rows.append("<tr>" + "".join(f"<{cell}>{_runs_html(c)}</{cell}>" for c in row)
                        + "</tr>")
        return f"<table>{''.join(rows)}</table>"
    if block.kind == "image":
        # As on the page: the alt text, linked to the image, never an image from another host.
        label, href = _text(block.text or "image"), _safe_href(block.href)
        return f"<p><a href={quoteattr(href)}>{label}</a></p>" if href else f"<p>{label}</p>"
    return f"<p>{_inline_html(block)}</p>"


def article_html(article: Article) -> str:
    """The article body as HTML, every text escaped, every block kind of the model kept."""
    return "\n".join(_block_html(block) for block in article.blocks)


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
