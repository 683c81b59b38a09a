"""Resolve a URL written in a page to a file of the built site, the way a browser would."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

from feedsite.local_urls import URL_SPACE

TargetKind = Literal[
    "internal", "external", "empty", "javascript", "mailto", "tel", "escapes", "other"
]

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Tabs and line breaks, which browsers remove from anywhere in a URL.
_BROWSER_DROPS = re.compile("[\t\n\r]")
# What may follow the host in a URL of the site's own origin ("" when the URL ends there).
_AFTER_HOST = ("", "/", "?", "#")


@dataclass(frozen=True)
class Target:
    """Where a URL points: the site file for internal URLs (site-relative, decoded)."""

    kind: TargetKind
    path: str = ""  # the file it resolves to, or the path it tried when missing/escaping
    fragment: str | None = None  # percent-decoded; None when the URL has no '#'
    exists: bool = False

    def describe(self) -> str:
        """Target as shown in reports: `path#fragment`."""
        if self.kind != "internal" and self.kind != "escapes":
            return ""
        return self.path + (f"#{self.fragment}" if self.fragment else "")


class Resolver:
    """Resolves URLs against one site's file list; build once, use for every page."""

    def __init__(
        self, files: frozenset[str], site_prefix: str = "/", site_origin: str = ""
    ) -> None:
        self.files = files
        self.dirs = frozenset(parent for path in files for parent in _parents(path))
        # The path the site is served under (from site_url), e.g. "/docs/"; absolute-path URLs
        # outside it leave the site.
        self.prefix = site_prefix if site_prefix.endswith("/") else site_prefix + "/"
        # "https://example.org": absolute URLs on the site's own origin are internal links.
        self.origin = site_origin.rstrip("/").lower()
        self._memo: dict[tuple[str, ...], Target] = {}

    def resolve(self, page: str, base_href: str, url: str) -> Target:
        """Resolve `url` written in site file `page` (with its `<base href>`, "" if none).

        Results are remembered under a key that drops what cannot change them: pages of a
        site link to the same targets from many folders (`../../assets/x.css`, `../other/`).
        """
        if "\t" in url or "\n" in url or "\r" in url:
            url = _BROWSER_DROPS.sub("", url)  # browsers remove tabs and line breaks
        if url[:1] == "#" and not base_href:
            # The commonest URL by far (every heading's permalink): the page itself.
            fragment = url[1:]
            fragment = unquote(fragment) if "%" in fragment else fragment
            return Target("internal", path=page, fragment=fragment, exists=page in self.files)
        key = memo_key(page, base_href, url)
        target = self._memo.get(key)
        if target is None:
            target = self._memo[key] = self._resolve(page, base_href, url)
        return target

    def _after_own_host(self, raw: str) -> str | None:
        """What follows the host in a URL of the site's own origin, written in full
        ("https://example.org/a/") or protocol-relative ("//example.org/a/"); else None."""
        if not self.origin:
            return None
        host = self.origin.partition("://")[2]
        for start in (self.origin, "//" + host):
            after = raw[len(start) :]
            if raw[: len(start)].lower() == start and after[:1] in _AFTER_HOST:
                return after
        return None

    def _resolve(self, page: str, base_href: str, url: str) -> Target:
        raw = url.strip(URL_SPACE)
        if "\\" in raw and not _SCHEME.match(raw):
            # In a web address's path browsers read a backslash as a slash ("sub\page.html",
            # "\\\\server\\share" as "//server/share"); the fragment keeps it.
            before, hash_sign, after = raw.partition("#")
            raw = before.replace("\\", "/") + hash_sign + after
        if not raw:
            return Target("empty")
        # Most URLs are relative paths or fragments: skip the scheme regex for them.
        if ":" in raw or raw.startswith("//"):
            kind = _scheme_kind(raw)
            rest = self._after_own_host(raw) if kind == "external" else None
            if rest is not None:
                # Browsers read "https://example.org?q" as "https://example.org/?q".
                raw = rest if rest[:1] == "/" else "/" + rest
            elif kind is not None:
                return Target(kind)
        base_dir, base_doc, base_kind = self._base(page, base_href)
        if base_kind != "internal":
            return Target(base_kind)
        without_fragment, hash_sign, fragment_raw = raw.partition("#")
        fragment = (
            (unquote(fragment_raw) if "%" in fragment_raw else fragment_raw) if hash_sign else None
        )
        path_part = without_fragment.split("?", 1)[0]
        if not path_part:
            # "#x" or "?q": the document itself (or the <base> document, as browsers do).
            return self._lookup(base_doc, fragment)
        if path_part.startswith("/"):
            if not (path_part + "/").startswith(self.prefix) and path_part != self.prefix[:-1]:
                return Target("escapes", path=path_part, fragment=fragment)
            joined = path_part[len(self.prefix) :]
            start: list[str] = []
        else:
            joined = path_part
            start = [s for s in base_dir.split("/") if s]
        segments = _join(start, joined)
        if segments is None:
            return Target("escapes", path=posixpath.join(base_dir, path_part), fragment=fragment)
        return self._lookup(segments, fragment)

    def _base(self, page: str, base_href: str) -> tuple[str, str, TargetKind]:
        """The directory and document relative URLs are resolved against."""
        page_dir = posixpath.dirname(page)
        if not base_href.strip(URL_SPACE):
            return page_dir, page, "internal"
        target = self.resolve(page, "", base_href)
        if target.kind != "internal":
            return "", "", target.kind
        # Like a browser: the base names a document, and relative URLs use its folder.
        return posixpath.dirname(target.path), target.path, "internal"

    def _lookup(self, where: str | list[str], fragment: str | None) -> Target:
        if isinstance(where, str):
            path = where
        else:
            trailing_slash = not where or where[-1] == ""
            segments = [unquote(s) if "%" in s else s for s in where if s]
            path = "/".join(segments)
            if trailing_slash:
                path = f"{path}/index.html" if path else "index.html"
        if path in self.files:
            return Target("internal", path=path, fragment=fragment, exists=True)
        if path in self.dirs or path == "":
            index = f"{path}/index.html" if path else "index.html"
            return Target("internal", path=index, fragment=fragment, exists=index in self.files)
        return Target("internal", path=path, fragment=fragment, exists=False)


def memo_key(page: str, base_href: str, url: str) -> tuple[str, ...]:
    """What the target of `url` depends on: the page itself for fragments, queries and any
    `<base>`; nothing for absolute URLs; for relative paths only the folder the leading `../`
    climb to, and the rest of the URL."""
    raw = url.strip(URL_SPACE)
    if base_href or not raw or raw[0] in "#?":
        return ("page", page, base_href, raw)
    if raw[0] == "/" or (":" in raw and _SCHEME.match(raw)):
        return ("absolute", raw)
    folder = page.rpartition("/")[0]
    climb = 0
    while raw.startswith("../", climb * 3):
        climb += 1
    rest = raw[climb * 3 :] if climb else raw
    depth = folder.count("/") + 1 if folder else 0
    if ".." in rest or climb > depth:
        return ("folder", folder, raw)  # may climb above the root, which names the folder
    # The folder `climb` levels up: its first `depth - climb` segments.
    return ("from", folder.rsplit("/", climb)[0] if climb < depth else "", rest)


def _scheme_kind(raw: str) -> TargetKind | None:
    if raw.startswith("//"):
        return "external"
    match = _SCHEME.match(raw)
    if match is None:
        return None
    scheme = match.group(1).lower()
    if scheme in ("http", "https"):
        return "external"
    if scheme in ("javascript", "mailto", "tel"):
        return scheme  # type: ignore[return-value]
    return "other"


def _join(start: list[str], relative: str) -> list[str] | None:
    """Apply `relative` to directory segments; None when `..` climbs above the site root.

    The result keeps a trailing "" when the URL names a directory ("a/" or "a/..").
    """
    segments = list(start)
    parts = relative.split("/")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part in ("", "."):
            if last:
                segments.append("")
            continue
        if part == "..":
            if not segments:
                return None
            segments.pop()
            if last:
                segments.append("")
            continue
        segments.append(part)
    return segments


def _parents(path: str) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def site_origin(site_url: str) -> str:
    """Scheme and host of site_url ("https://example.org"), "" when unset."""
    parts = urlsplit(site_url) if site_url else None
    return f"{parts.scheme}://{parts.netloc}" if parts and parts.scheme and parts.netloc else ""


def site_prefix(site_url: str) -> str:
    """The URL path the site is served under, from mkdocs.yml's site_url ("/" when unset)."""
    path = urlsplit(site_url).path if site_url else "/"
    return path if path.endswith("/") else path + "/"
