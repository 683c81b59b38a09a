"""`feedsite fetch` against real HTTP servers on 127.0.0.1: conditional GET, failures that keep
the last good copy, limits, redirects, and item images stored under docs/."""

from __future__ import annotations

import contextlib
import json
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import TmpProject
from feedsite.cli import run
from feedsite.fetch.cache import CACHE_NAME
from feedsite.fetch.charset import header_charset
from feedsite.fetch.feeds import fetch_feeds
from feedsite.fetch.sources import FeedSource, default_file
from feedsite.importer.documents.media import media_stem


def png_bytes() -> bytes:
    """A real 4x4 red PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Server:
    """A local HTTP server whose answers each test sets; it records what it was asked."""

    base: str
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]]


@pytest.fixture
def server() -> Iterator[Server]:
    routes: dict[str, Route] = {}
    requests: list[tuple[str, dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = routes.get(self.path, Route(404, b"not found"))
            time.sleep(route.delay)
            etag = route.headers.get("ETag")
            if etag is not None and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (timeout tests)
                self.wfile.write(route.body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}", routes, requests)
    finally:
        httpd.shutdown()
        httpd.server_close()


def rss(*items: str, title: str = "Local News") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://news.example.org/</link><description>d"
        "</description>" + "".join(items) + "</channel></rss>"
    ).encode()


def item(guid: str, title: str, html: str = "<p>Some text.</p>") -> str:
    escaped = html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (f"<item><title>{title}</title><guid>{guid}</guid>"
            f"<link>https://news.example.org/{guid}</link>"
            f"<description>{escaped}</description></item>")


def configure(project: TmpProject, *urls: str) -> None:
    pyproject = project.root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    listed = ", ".join(json.dumps(u) for u in urls)
    pyproject.write_text(text.replace("[tool.feedsite]\n", f"[tool.feedsite]\nfeeds = [{listed}]\n",
                                      1), encoding="utf-8")


def fetch(project: TmpProject, *args: str) -> int:
    return run(["fetch", "-f", str(project.config_file), *args])


def test_fetch_writes_the_feed_and_a_second_fetch_asks_if_it_changed(
    project: TmpProject, server: Server, capsys: pytest.CaptureFixture[str],
) -> None:
    server.routes["/feed.xml"] = Route(
        body=rss(item("a", "Alpha")),
        headers={"ETag": '"v1"', "Content-Type": "application/rss+xml"},
    )
    configure(project, f"{server.base}/feed.xml")
    name = default_file(f"{server.base}/feed.xml")
    assert name == "127-0-0-1-feed-xml.xml"
    assert fetch(project) == 0
    out = capsys.readouterr().out
    assert f"fetched   feed/{name} (1 item(s))\n" in out
    assert (project.feed / name).read_bytes() == rss(item("a", "Alpha"))
    cache = json.loads((project.feed / CACHE_NAME).read_text(encoding="utf-8"))
    assert cache[f"{server.base}/feed.xml"]["etag"] == '"v1"'

    assert fetch(project) == 0
    assert f"unchanged feed/{name} (not modified since the last fetch)\n" in capsys.readouterr().out
    assert server.requests[-1][1].get("if-none-match") == '"v1"'


def test_a_failed_fetch_keeps_the_last_good_copy_and_exits_1(
    project: TmpProject, server: Server, capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"{server.base}/feed.xml"
    server.routes["/feed.xml"] = Route(body=rss(item("a", "Alpha")))
    configure(project, url)
    assert fetch(project) == 0
    name = default_file(url)
    good = (project.feed / name).read_bytes()
    for route, reason in [
        (Route(500, b"oops"), "answered HTTP 500 Internal Server Error"),
        (Route(body=b"<html><body>Maintenance</body></html>"),
         "sent a document that is not an RSS, Atom or JSON feed"),
    ]:
        server.routes["/feed.xml"] = route
        capsys.readouterr()
        assert fetch(project) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"{url}: error: {reason}")
        assert f"; kept the last good copy feed/{name}; try again later" in err
        assert (project.feed / name).read_bytes() == good
        assert len(err.splitlines()) == 1


def test_a_slow_server_times_out_with_a_clear_message(
    project: TmpProject, server: Server, capsys: pytest.CaptureFixture[str],
) -> None:
    server.routes["/slow.xml"] = Route(body=rss(), delay=1.5)
    configure(project, f"{server.base}/slow.xml")
    assert fetch(project, "--timeout", "0.3") == 1
    err = capsys.readouterr().err
    assert f"{server.base}/slow.xml: error: did not answer within 0.3 s; " \
           "feed/127-0-0-1-slow-xml.xml not written" in err


def test_size_limit_and_redirect_limit(tmp_path: Path, server: Server) -> None:
    server.routes["/big.xml"] = Route(body=rss(item("a", "A" * 5000)))
    server.routes["/moved.xml"] = Route(301, headers={"Location": "/big.xml"})
    server.routes["/loop"] = Route(302, headers={"Location": "/loop"})
    server.routes["/ftp"] = Route(302, headers={"Location": "ftp://127.0.0.1/x"})
    sources = [FeedSource(f"{server.base}/big.xml", "big.xml"),
               FeedSource(f"{server.base}/moved.xml", "moved.xml"),
               FeedSource(f"{server.base}/loop", "loop.xml"),
               FeedSource(f"{server.base}/ftp", "ftp.xml")]
    small = fetch_feeds(sources[:1], tmp_path, timeout=5, limit=1000)
    assert small[0].outcome == "failed" and "over the 1,000-byte limit" in small[0].detail
    results = fetch_feeds(sources, tmp_path, timeout=5)
    assert [r.outcome for r in results] == ["fetched", "fetched", "failed", "failed"]
    assert (tmp_path / "moved.xml").read_bytes() == (tmp_path / "big.xml").read_bytes()
    assert results[2].detail == "redirected more than 5 times"
    assert results[3].detail == "redirected to ftp://127.0.0.1/x, which is not an http(s) URL"
    assert not (tmp_path / "loop.xml").exists()


def test_item_images_are_stored_once_and_pages_use_them(
    project: TmpProject, server: Server, capsys: pytest.CaptureFixture[str],
) -> None:
    png = png_bytes()
    html = (f'<p>Look:</p><p><img src="{server.base}/img/a.png" alt="A red square"></p>'
            f'<p><img src="{server.base}/img/evil.svg" alt="Vector"></p>'
            f'<p><img src="{server.base}/img/lies.png" alt="Not an image"></p>')
    server.routes["/feed.xml"] = Route(body=rss(item("a", "Alpha", html)))
    server.routes["/img/a.png"] = Route(body=png, headers={"Content-Type": "image/png"})
    server.routes["/img/evil.svg"] = Route(body=b"<svg onload='alert(1)'/>",
                                           headers={"Content-Type": "image/svg+xml"})
    server.routes["/img/lies.png"] = Route(body=b"<html>", headers={"Content-Type": "image/png"})
    configure(project, f"{server.base}/feed.xml")
    assert fetch(project) == 0
    captured = capsys.readouterr()
    stored = project.articles / "media" / f"{media_stem(server.base + '/img/a.png')}.png"
    assert stored.read_bytes() == png
    assert f"{server.base}/img/evil.svg: warning: image not stored (is not a PNG, JPEG, GIF, " \
           "WebP or AVIF image (image/svg+xml)); its pages link to it instead" in captured.err
    assert "1 of 3 image(s) stored" in captured.out
    asked = len(server.requests)
    assert fetch(project) == 0
    assert [p for p, _h in server.requests[asked:]].count("/img/a.png") == 0  # cached

    assert run(["import", "-f", str(project.config_file), "--today", "2026-01-10", "-q"]) == 0
    page = project.pages()["alpha.md"]
    assert f"![A red square](media/{stored.name})" in page
    assert f"[Image: Vector]({server.base}/img/evil.svg){{: .feedsite-remote-image }}" in page
    assert f'remote_images: ["{server.base}/img/evil.svg", "{server.base}/img/lies.png"]' in page


def test_a_feed_in_an_encoding_only_its_server_names_is_kept_as_utf8(
    project: TmpProject, server: Server, capsys: pytest.CaptureFixture[str],
) -> None:
    # No encoding in the XML declaration, Windows-1251 bytes: only the HTTP header says so,
    # and the copy in feed/ is read without it later.
    title, text = "Выпадение волос", "Лечение стволовыми клетками."
    document = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Новости</title>'
                "<link>https://news.example.org/</link><description>d</description>"
                + item("ru", title, f"<p>{text}</p>") + "</channel></rss>").encode("cp1251")
    named = f"{server.base}/named.xml"
    unnamed = f"{server.base}/unnamed.xml"
    declared = f"{server.base}/declared.xml"
    own_word = document.replace(b'<?xml version="1.0"?>',
                                b'<?xml version="1.0" encoding="windows-1251"?>')
    server.routes["/named.xml"] = Route(
        body=document, headers={"Content-Type": "application/rss+xml; charset=Windows-1251"})
    server.routes["/unnamed.xml"] = Route(
        body=document.replace(b"<guid>ru", b"<guid>ru2"),
        headers={"Content-Type": "application/rss+xml"})
    server.routes["/declared.xml"] = Route(
        body=own_word.replace(b"<guid>ru", b"<guid>ru3"),
        headers={"Content-Type": "text/xml; charset=utf-8"})  # wrong: the document's word wins
    configure(project, named, unnamed, declared)
    assert fetch(project) == 0
    assert (project.feed / default_file(named)).read_bytes() == document.decode(
        "cp1251").encode("utf-8")
    # Nothing names the encoding: kept as sent (the importer warns about its guess).
    assert (project.feed / default_file(unnamed)).read_bytes() == document.replace(
        b"<guid>ru", b"<guid>ru2")
    assert (project.feed / default_file(declared)).read_bytes() == own_word.replace(
        b"<guid>ru", b"<guid>ru3")
    capsys.readouterr()

    assert run(["import", "-f", str(project.config_file), "--today", "2026-01-10", "-q"]) == 0
    err = capsys.readouterr().err  # a warning, not an error
    assert f"feed/{default_file(unnamed)}: warning: is not UTF-8 and names no encoding" in err
    assert default_file(named) not in err and default_file(declared) not in err
    pages = project.pages()
    readable = [page for page in pages.values() if title in page and text in page]
    assert len(readable) == 2, sorted(pages)  # from the header's word and the document's


@pytest.mark.parametrize(("content_type", "codec"), [
    ("application/rss+xml; charset=Windows-1251", "cp1251"),
    ('text/xml; charset="KOI8-R"', "koi8-r"),
    ("text/xml; charset=ISO-8859-1", "cp1252"),  # as browsers read it
    ("text/xml; charset=us-ascii", "cp1252"),
    ("application/rss+xml", None),
    ("text/xml; charset=no-such-codec", None),
    ("", None),
])
def test_the_charset_a_server_names(content_type: str, codec: str | None) -> None:
    assert header_charset(content_type) == codec


def test_no_feeds_configured_and_bad_settings(
    project: TmpProject, capsys: pytest.CaptureFixture[str],
) -> None:
    assert fetch(project) == 0
    assert "no feeds to fetch" in capsys.readouterr().err
    configure(project, "ftp://example.org/feed.xml")
    assert fetch(project) == 2
    assert capsys.readouterr().err == (
        "feedsite fetch: error: pyproject.toml: feeds entry 1 must be an http(s) URL or a table "
        '{ url = "https://...", file = "name.xml" }\n')
