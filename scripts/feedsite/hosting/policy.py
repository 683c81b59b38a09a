"""What a host must send with each file of a built site: security, cache and type headers.

One source of truth for `feedsite serve`, the generated `_headers` file for static hosts and
the browser suite. The Content-Security-Policy is computed from the built pages themselves:
Material ships small inline scripts, so their exact sha256 hashes are allowed and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from feedsite.search.config import BUNDLE_DIR

# Material fingerprints its bundles (`bundle.a5f9d56c.min.js`): a new build gets a new name,
# so these may be cached for a year. Everything else is revalidated on each visit.
FINGERPRINTED = re.compile(r"^assets/(?:.+/)?[^/]+\.[0-9a-f]{8,}\.min\.(?:js|css)(?:\.map)?$")
# Pagefind names its index chunks by content hash too: the many small files of its index,
# fragment and filter folders, and one meta file. Its loader and entry file keep their names.
SEARCH_CHUNK_DIRS = tuple(f"{BUNDLE_DIR}/{kind}" for kind in ("index", "fragment", "filter"))
_SEARCH_CHUNK = re.compile(
    rf"^{BUNDLE_DIR}/(?:(?:index|fragment|filter)/[^/]+\.pf_(?:index|fragment|filter)"
    rf"|pagefind\.[^/]+\.pf_meta)$"
)
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

# Browsers run these <script> types; JSON data blocks (Material's __config, JSON-LD) they do not.
_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Permissions-Policy",
     "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
     "accelerometer=(), gyroscope=(), magnetometer=()"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
# Only meaningful over HTTPS, so the local server leaves it out and `_headers` carries it.
HSTS = ("Strict-Transport-Security", "max-age=31536000")

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
    ".gz": "application/gzip",
}
# Reader feeds get their registered types so feed readers and browsers recognise them.
_FEED_TYPES = {
    "feed.xml": "application/rss+xml",
    "atom.xml": "application/atom+xml",
    "feed.json": "application/feed+json",
}


@dataclass(frozen=True)
class InlineCode:
    """Hashes ('sha256-...') of the inline code the built pages contain, sorted and unique."""

    scripts: tuple[str, ...]
    styles: tuple[str, ...]
    style_attributes: tuple[str, ...]


@dataclass(frozen=True)
class HostPolicy:
    """The headers for one built site; `headers_for` answers for any file in it."""

    content_security_policy: str
    fingerprinted: tuple[str, ...]  # site-relative paths that may be cached forever
    # Search chunk folders present (every file in them may be cached forever), for `_headers`.
    search_chunk_dirs: tuple[str, ...] = ()

    def security_headers(self, https: bool = False) -> list[tuple[str, str]]:
        headers = [("Content-Security-Policy", self.content_security_policy),
                   *SECURITY_HEADERS]
        if https:
            headers.append(HSTS)
        return headers

    def headers_for(self, rel_path: str) -> list[tuple[str, str]]:
        """Content-Type, Cache-Control and security headers for a site-relative path."""
        return [
            ("Content-Type", content_type(rel_path)),
            ("Cache-Control", cache_control(rel_path)),
            *self.security_headers(),
        ]


def sha256_source(text: str) -> str:
    """A CSP hash source for inline code, hashed as the browser sees it (LF line ends)."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(normalised.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


class _InlineCodeCollector(HTMLParser):
    """Collects the text of inline <script> and <style> elements and style attributes."""

    def __init__(self) -> None:
        self.scripts: set[str] = set()
        self.styles: set[str] = set()
        self.style_attributes: set[str] = set()
        super().__init__(convert_charrefs=False)

    def reset(self) -> None:
        """Forget the page being parsed (the hashes found so far are kept)."""
        super().reset()
        self._open: str | None = None  # "script" or "style" while inside inline code
        self._chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        style = values.get("style")
        if style:
            self.style_attributes.add(sha256_source(style))
        if tag == "script" and values.get("src") is None:
            kind = (values.get("type") or "").strip().lower()
            if kind in _SCRIPT_TYPES:
                self._open, self._chunks = "script", []
        elif tag == "style":
            self._open, self._chunks = "style", []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._chunks.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open:
            target = self.scripts if tag == "script" else self.styles
            target.add(sha256_source("".join(self._chunks)))
            self._open = None


def scan_inline_code(pages: Iterable[Path]) -> InlineCode:
    """Hash every inline script, style element and style attribute in the given HTML files."""
    collector = _InlineCodeCollector()
    for page in pages:
        collector.reset()
        collector.feed(page.read_text(encoding="utf-8", errors="replace"))
        collector.close()
    return InlineCode(
        scripts=tuple(sorted(collector.scripts)),
        styles=tuple(sorted(collector.styles)),
        style_attributes=tuple(sorted(collector.style_attributes)),
    )


def content_security_policy(code: InlineCode, webassembly: bool = False) -> str:
    """A strict policy: same-origin files, the hashed inline code, data: icons, no framing.

    `webassembly` allows compiling WebAssembly ('wasm-unsafe-eval': Pagefind's search runs as
    WebAssembly); it allows no JavaScript eval.
    """
    script_src = ["script-src 'self'"]
    if webassembly:
        script_src.append("'wasm-unsafe-eval'")
    directives = [
        "default-src 'none'",
        " ".join([*script_src, *code.scripts]),
        " ".join(["style-src 'self'", *code.styles]),
    ]
    if code.style_attributes:
        # Hashes only apply to attributes together with 'unsafe-hashes' (CSP level 3).
        directives.append(" ".join(["style-src-attr 'unsafe-hashes'", *code.style_attributes]))
    directives += [
        "img-src 'self' data:",  # Material's icons are data: SVGs in its stylesheet
        "font-src 'self'",
        "connect-src 'self'",  # the search fetches its index chunks
        "worker-src 'self'",  # a search worker, if one runs (Pagefind can use one)
        "manifest-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def policy_for_site(site_dir: Path) -> HostPolicy:
    """Read a built site once and derive its headers."""
    files = sorted(p for p in site_dir.rglob("*") if p.is_file())
    rel = [p.relative_to(site_dir).as_posix() for p in files]
    code = scan_inline_code(p for p in files if p.suffix == ".html")
    return HostPolicy(
        content_security_policy=content_security_policy(code, uses_webassembly(rel)),
        # Files in search chunk folders are covered by one rule per folder instead.
        fingerprinted=tuple(
            r for r in rel if is_fingerprinted(r) and r.rpartition("/")[0] not in SEARCH_CHUNK_DIRS
        ),
        search_chunk_dirs=tuple(
            d for d in SEARCH_CHUNK_DIRS if any(r.startswith(d + "/") for r in rel)
        ),
    )


def uses_webassembly(rel_paths: Iterable[str]) -> bool:
    """True when the site ships a Pagefind search bundle, whose search runs as WebAssembly.

    A bundle in any folder counts: a site may be published inside another one's folder.
    """
    rels = list(rel_paths)
    loader = f"{BUNDLE_DIR}/pagefind.js"
    bundles = {
        rel[: -len("pagefind.js")] for rel in rels if rel == loader or rel.endswith("/" + loader)
    }
    return any(
        rel.endswith(".pagefind") and rel.rpartition("/")[0] + "/" in bundles
        and rel.rpartition("/")[2].startswith("wasm.")
        for rel in rels
    )


def is_fingerprinted(rel_path: str) -> bool:
    return (FINGERPRINTED.match(rel_path) or _SEARCH_CHUNK.match(rel_path)) is not None


def cache_control(rel_path: str) -> str:
    """Cache fingerprinted assets forever; revalidate HTML, data and unversioned files."""
    return IMMUTABLE if is_fingerprinted(rel_path) else REVALIDATE


def content_type(rel_path: str) -> str:
    name = rel_path.rsplit("/", 1)[-1]
    if name == rel_path and name in _FEED_TYPES:
        return _FEED_TYPES[name]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def is_compressible(content_type_value: str) -> bool:
    """Text formats shrink well with gzip; images and archives are already compressed."""
    kind = content_type_value.split(";", 1)[0].strip()
    return (
        kind.startswith("text/")
        or kind in {"application/json", "application/xml", "image/svg+xml",
                    "application/manifest+json"}
        or kind.endswith(("+xml", "+json"))
    )


def render_headers_file(policy: HostPolicy) -> str:
    """A `_headers` file (Netlify, Cloudflare Pages) for a site published at the host root.

    Cache-Control is set only for fingerprinted files: those hosts join repeated headers from
    overlapping rules, and their default for everything else is already "revalidate".
    """
    lines = ["# Generated by `feedsite headers` from the built site; rebuild, do not edit.", "/*"]
    lines += [f"  {name}: {value}" for name, value in policy.security_headers(https=True)]
    for rel in policy.fingerprinted:
        lines += [f"/{rel}", f"  Cache-Control: {IMMUTABLE}"]
    # One rule per search chunk folder, not one per file: a large site has thousands.
    for folder in policy.search_chunk_dirs:
        lines += [f"/{folder}/*", f"  Cache-Control: {IMMUTABLE}"]
    return "\n".join(lines) + "\n"
