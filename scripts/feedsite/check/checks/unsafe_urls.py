"""Links that cannot work: empty href, javascript:, malformed mailto:/tel:/http(s), escaping
the root."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Element, Link, Problem, SourceSpot
from feedsite.check.site import Site
from feedsite.local_urls import URL_SPACE, local_place

RULES = (
    "empty-href",
    "malformed-refresh",
    "asset-missing",
    "placeholder-link",
    "javascript-url",
    "javascript-url-in-article",
    "malformed-mailto",
    "malformed-tel",
    "malformed-url",
    "local-url",
    "link-escapes-site",
)
_ADDRESS = re.compile(r"^[^@\s,;<>()\[\]\"]+@[^@\s,;<>()\[\]\"]+\.[^@\s,;<>()\[\]\".]+$")
# Digits with RFC 3966 visual separators, then pauses and waits (`,` and `;`) that phones dial
# as written, then `;name=value` parameters.
_PHONE = re.compile(r"^\+?[0-9().\-\s]*[0-9][0-9().\-\s,;*#]*(;[a-zA-Z\-]+=[^;]*)*$")
# An address with a web scheme, or protocol-relative (others are relative or other schemes).
WEB_URL = re.compile(r"(?i)(?:https?:|//)")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Characters no host name holds (the URL standard's forbidden host code points, less `%`).
_NOT_IN_HOST = re.compile(r"[\x00-\x20#/:<>?@\[\\\]^|\x7f]")


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    articles = context.articles_rel + "/"
    for page in site.pages.values():
        article: bool | None = None  # found out only for pages with a javascript: link
        for index, (link, target) in enumerate(
            zip(page.links, site.targets[page.path], strict=True)
        ):
            if link.kind == "img" and target.kind == "empty":
                continue  # a broken image, reported by the images check
            if link.attr == "invalid" or (
                target.kind == "empty" and link.kind not in RELOADS_WHEN_EMPTY
            ):
                yield _unusable(site, page.path, index, link, target.describe())
                continue
            if link.kind in ("a", "area") and link.url.strip(URL_SPACE) == "#":
                # Valid HTML (the top of the page, and script widgets use it), but written as a
                # Markdown link, a link left unfinished (markdownlint's MD042).
                spot, url = site.locate_link(page.path, index)
                if spot is None or not _markdown_link(site, spot):
                    continue
                yield Problem(
                    "placeholder-link",
                    page.path,
                    Element("link", index),
                    f"link '{url}' only goes to the top of this page: a placeholder left in?",
                    link=url,
                    target=target.describe(),
                    suggestion="link to the page or section meant, or remove the link",
                    source=spot,
                )
                continue
            in_html = _problem(link.url, target.kind, target.describe())
            if in_html is None:
                continue
            spot, url = site.locate_link(page.path, index)
            # Phrase it with the URL as the author wrote it; that text can differ from the
            # HTML's (entities, percent-encoding), so fall back to the HTML verdict.
            rule, message, suggestion = _problem(url, target.kind, target.describe()) or in_html
            if rule == "javascript-url":
                if article is None:
                    article = _is_article(context, page.path, articles)
                if article:
                    rule = "javascript-url-in-article"
                    message = (
                        f"javascript: URL '{url}' in an article: a script link in health content"
                    )
                    suggestion = "remove it; link to a page instead"
            yield Problem(
                rule,
                page.path,
                Element("link", index),
                message,
                link=url,
                target=target.describe(),
                suggestion=suggestion,
                source=spot,
            )


# What precedes a URL written as a Markdown link: "](" (or "](<"), or "[label]:".
_MARKDOWN_URL_START = re.compile(r"(?:\]\(\s*<?|^ {0,3}\[[^\]]+\]:\s*<?)$")


def _markdown_link(site: Site, spot: SourceSpot) -> bool:
    """Whether the URL at `spot` is written with Markdown's link syntax, not in raw HTML."""
    try:
        lines = site.read_doc(spot.path).split("\n")
    except OSError:
        return False
    if not 0 < spot.line <= len(lines):
        return False
    return _MARKDOWN_URL_START.search(lines[spot.line - 1][: spot.column - 1]) is not None


# Kinds of link an empty URL leaves on the page itself (a reload), not without a target.
RELOADS_WHEN_EMPTY = frozenset({"a", "area", "form"})


def refresh_problem(content: str) -> tuple[str, str]:
    """The message and suggestion for a meta refresh whose content browsers cannot read."""
    said = ("has no content" if not content.strip()
            else f"content '{content}' has no delay first")
    return (f"meta refresh {said}, so browsers do not redirect",
            'write content="0; url=new-page/"')


def _unusable(site: Site, page: str, index: int, link: Link, described: str) -> Problem:
    """A refresh browsers cannot read, or an asset (script, video, frame...) with no URL."""
    spot, url = site.locate_link(page, index)
    if link.attr == "invalid":
        message, suggestion = refresh_problem(url)
        return Problem(
            "malformed-refresh", page, Element("link", index), message,
            link=url, suggestion=suggestion, source=spot,
        )  # fmt: skip
    return Problem(
        "asset-missing", page, Element("link", index),
        f"{link.kind} {link.attr} is empty: there is nothing to load",
        link=url, target=described, suggestion="give it the file's URL, or remove it",
        source=spot,
    )  # fmt: skip


def _problem(url: str, kind: str, described: str) -> tuple[str, str, str] | None:
    if kind == "empty":
        return "empty-href", "link with an empty URL goes nowhere", "give the link a target"
    if kind == "javascript":
        return (
            "javascript-url",
            f"javascript: URL '{url}' does nothing for readers without scripts",
            "link to a page or use a button",
        )
    if kind == "escapes":
        return (
            "link-escapes-site",
            f"link '{url}' leads outside the site root (to {described})",
            "link to a page inside the site",
        )
    if kind == "mailto" and not _valid_mailto(url):
        return (
            "malformed-mailto",
            f"mailto link '{url}' has no valid e-mail address",
            "write mailto:name@example.org",
        )
    if kind == "tel" and not _valid_tel(url):
        return (
            "malformed-tel",
            f"tel link '{url}' is not a phone number",
            "write tel:+15555550123 (digits, optional leading +)",
        )
    if kind == "external" or kind == "other":
        return elsewhere_problem(url, kind)
    return None


# Sites link the same few addresses from many pages: each is judged once.
@functools.lru_cache(maxsize=4096)
def elsewhere_problem(url: str, kind: str) -> tuple[str, str, str] | None:
    """A link that leaves the site but cannot be followed: malformed, or on localhost."""
    # A relative URL under a <base href> on another host is external too, and fine.
    if kind == "external" and WEB_URL.match(url.strip(URL_SPACE)) and (
        reason := _web_url_fault(url)
    ):
        return (
            "malformed-url",
            f"link '{url}' is not a valid web address: {reason}",
            "write it as https://host/path",
        )
    if where := local_place(url):
        return (
            "local-url",
            f"link '{url}' leads to {where}: it works only on the author's computer",
            "link to the published page or file instead (a path inside the site, or https://)",
        )
    return None


def _web_url_fault(url: str) -> str:
    """Why an http(s) or `//host` URL cannot be followed ("" when it can)."""
    # Browsers read a backslash as a slash in a web address ("https://host\\path").
    raw = url.strip(URL_SPACE).replace("\\", "/")
    try:
        parts = urlsplit("https:" + raw if raw.startswith("//") else raw)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - reading it is what raises for a bad port
    except ValueError as exc:
        said = str(exc)
        if "IPv6" in said:
            return "its [IPv6] address is not valid or not closed"
        if "ort" in said:  # "Port out of range", "Port could not be cast to integer value"
            return "its port is not a number from 0 to 65535"
        return said
    if not host:
        return "no host name"
    if parts.netloc.startswith("[") or host.replace(".", "").isdigit():
        return ""  # an IP address: urlsplit has checked the brackets
    if _NOT_IN_HOST.search(host) or ".." in host or host.startswith("."):
        return f"'{host}' is not a host name"
    return ""


def _valid_mailto(url: str) -> bool:
    addresses, _, query = url.strip().split(":", 1)[1].partition("?")
    if _BAD_ESCAPE.search(addresses):
        return False  # "%ZZ" decodes to nothing: no mail program can read the address
    recipients = [unquote(a).strip() for a in addresses.split(",") if a.strip()]
    if not recipients:
        # RFC 6068 lets the address be left out: "mailto:?subject=…&body=…" opens a message
        # for the reader to address (a "share by e-mail" link). With nothing at all, or only
        # an empty `to=`, the link is a mistake.
        fields = [field.partition("=") for field in query.split("&")]
        to = [unquote(value).strip() for name, _, value in fields if name.lower() == "to"]
        listed = [address.strip() for value in to for address in value.split(",")]
        if any(listed):
            return all(_ADDRESS.match(address) for address in listed if address)
        return any(value for name, _, value in fields if name)
    return all(_ADDRESS.match(address) and "%" not in address for address in recipients)


def _valid_tel(url: str) -> bool:
    number = unquote(url.strip().split(":", 1)[1])
    return bool(number) and bool(_PHONE.match(number))


def _is_article(context: CheckContext, page: str, articles_folder: str) -> bool:
    """Articles are the importer's pages: under the articles folder, or marked as generated."""
    if page.startswith(articles_folder):
        return True
    meta = context.site.front_matter(page) if context.site.with_sources else None
    return meta is not None and meta.get("generator") == "feedsite"
