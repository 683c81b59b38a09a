"""A small static server for a built site that sends the headers a real host should send.

It applies `hosting.policy` (CSP and other security headers, cache rules, content types), gzips
text when the client accepts it, answers conditional requests, and serves the site's 404.html
for misses. `start_server` runs it in a background thread for tests and the browser suite.
"""

from __future__ import annotations

import gzip
import hashlib
import posixpath
import sys
import threading
from dataclasses import dataclass
from email.utils import formatdate
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from feedsite.errors import UserError
from feedsite.hosting.policy import HostPolicy, content_type, is_compressible, policy_for_site

# Below this size gzip's header costs more than it saves.
MIN_GZIP_BYTES = 256


@dataclass(frozen=True)
class Representation:
    """The bytes sent for one file, and the validator that names exactly those bytes."""

    body: bytes
    etag: str
    gzipped: bool


@lru_cache(maxsize=512)
def _load(path: str, mtime_ns: int, size: int, want_gzip: bool) -> Representation:
    # Keyed on mtime and size, so a rebuilt site is picked up without restarting.
    raw = Path(path).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()[:32]
    if want_gzip and len(raw) >= MIN_GZIP_BYTES:
        # mtime=0 keeps the compressed bytes, and so the ETag, stable across runs.
        return Representation(gzip.compress(raw, compresslevel=6, mtime=0),
                              f'"{digest}-gz"', True)
    return Representation(raw, f'"{digest}"', False)


def accepts_gzip(header: str | None) -> bool:
    """True when an Accept-Encoding header allows gzip (a q=0 entry refuses it)."""
    for part in (header or "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            q = params.strip().lower()
            return not (q.startswith("q=") and float(q[2:] or 0) == 0)
    return False


def resolve(site_dir: Path, url_path: str) -> tuple[Path | None, bool]:
    """Map a URL path to a file in the site: (file or None, needs a trailing-slash redirect).

    Paths that would leave the site folder (`..`, symlinks out) are treated as missing.
    """
    clean = posixpath.normpath("/" + unquote(url_path))
    if "\x00" in clean:
        return None, False
    candidate = (site_dir / clean.lstrip("/")).resolve()
    if candidate != site_dir and site_dir not in candidate.parents:
        return None, False
    if candidate.is_dir():
        if not url_path.endswith("/"):
            return None, (candidate / "index.html").is_file()
        candidate = candidate / "index.html"
    return (candidate if candidate.is_file() else None), False


def make_handler(site_dir: Path, policy: HostPolicy, quiet: bool) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to one built site and its policy."""
    root = site_dir.resolve()

    class SiteHandler(BaseHTTPRequestHandler):
        server_version = "feedsite"
        sys_version = ""
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes: with Nagle's algorithm the body waits for the
        # client's delayed ACK of the headers (about 40 ms on Linux) on every keep-alive response.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            self._respond(send_body=True)

        def do_HEAD(self) -> None:
            self._respond(send_body=False)

        def log_message(self, format: str, *args: object) -> None:
            if not quiet:
                sys.stderr.write(f"{self.address_string()} - {format % args}\n")

        def _respond(self, send_body: bool) -> None:
            parts = urlsplit(self.path)
            target, redirect = resolve(root, parts.path)
            if redirect:
                location = parts.path + "/" + (f"?{parts.query}" if parts.query else "")
                self._send_empty(HTTPStatus.MOVED_PERMANENTLY, [("Location", location)])
                return
            status = HTTPStatus.OK
            if target is None:
                status = HTTPStatus.NOT_FOUND
                target = root / "404.html"
                if not target.is_file():
                    self._send_empty(status, [])
                    return
            rel = target.relative_to(root).as_posix()
            kind = content_type(rel)
            compressible = is_compressible(kind)
            stat = target.stat()
            rep = _load(str(target), stat.st_mtime_ns, stat.st_size,
                        compressible and accepts_gzip(self.headers.get("Accept-Encoding")))
            headers = policy.headers_for(rel)  # a new list each call
            headers.append(("ETag", rep.etag))
            headers.append(("Last-Modified", formatdate(stat.st_mtime, usegmt=True)))
            if compressible:
                headers.append(("Vary", "Accept-Encoding"))
            if rep.gzipped:
                headers.append(("Content-Encoding", "gzip"))
            if status == HTTPStatus.OK and rep.etag in _etags(self.headers.get("If-None-Match")):
                self._send_empty(HTTPStatus.NOT_MODIFIED,
                                 [h for h in headers if h[0] != "Content-Type"])
                return
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(rep.body)))
            self.end_headers()
            if send_body:
                self.wfile.write(rep.body)

        def _send_empty(self, status: HTTPStatus, headers: list[tuple[str, str]]) -> None:
            self.send_response(status)
            names = {name for name, _ in headers}
            for name, value in headers:
                self.send_header(name, value)
            for name, value in policy.security_headers():
                if name not in names:
                    self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return SiteHandler


def _etags(header: str | None) -> set[str]:
    """The entity tags of an If-None-Match header (weak ones compared by their opaque part)."""
    return {tag.strip().removeprefix("W/") for tag in (header or "").split(",") if tag.strip()}


def check_site_dir(site_dir: Path) -> Path:
    """The resolved site folder, or a UserError saying how to build it."""
    if not (site_dir / "index.html").is_file():
        raise UserError(
            f"{site_dir}: no index.html here; build the site first "
            "(mkdocs build --strict) and pass its folder with --site"
        )
    return site_dir.resolve()


class SiteServer(ThreadingHTTPServer):
    """The standard threading server, minus a traceback each time a reader goes away early."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A closed tab or a cancelled fetch ends the connection mid-response: not a fault.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def make_server(site_dir: Path, port: int = 0, host: str = "127.0.0.1",
                quiet: bool = True) -> ThreadingHTTPServer:
    """A bound (not yet running) server for a built site; port 0 picks a free port."""
    root = check_site_dir(site_dir)
    handler = make_handler(root, policy_for_site(root), quiet)
    try:
        server = SiteServer((host, port), handler)
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror}; "
                        "choose another --port") from exc
    return server


def base_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}/"


def start_server(site_dir: Path, port: int = 0,
                 host: str = "127.0.0.1") -> tuple[ThreadingHTTPServer, str]:
    """Serve a built site from a background thread; returns (server, base URL ending in /).

    Stop it with `server.shutdown(); server.server_close()` (a pytest fixture's teardown).
    """
    server = make_server(site_dir, port=port, host=host, quiet=True)
    thread = threading.Thread(target=server.serve_forever, name="feedsite-serve", daemon=True)
    thread.start()
    return server, base_url(server)
