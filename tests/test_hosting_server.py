"""`feedsite serve`'s server: security headers, gzip, cache policy, 404s, revalidation."""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import socket
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from feedsite.commands import serve_cmd
from feedsite.errors import UserError
from feedsite.hosting.policy import IMMUTABLE, REVALIDATE, policy_for_site
from feedsite.hosting.server import start_server

INLINE = "var palette = __md_get('palette');"
LONG_TEXT = "<p>Hair follicles cycle between growth and rest.</p>\n" * 200


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small built-site lookalike with the file kinds a Material build produces."""
    root = tmp_path_factory.mktemp("site")
    page = f"<!doctype html><html><head><script>{INLINE}</script></head><body>{LONG_TEXT}</body>"
    write(root, "index.html", page)
    write(root, "articles/hair/index.html", page.replace("Hair", "Scalp"))
    write(root, "404.html", "<!doctype html><title>Page not found</title><h1>Page not found</h1>")
    write(root, "assets/javascripts/bundle.a5f9d56c.min.js", "console.log(1);" * 40)
    write(root, "assets/stylesheets/site.css", "body{margin:0}" * 40)
    write(root, "feed.xml", "<rss version='2.0'><channel></channel></rss>")
    write(root, "tiny.txt", "ok")
    (root / "assets" / "images").mkdir()
    (root / "assets" / "images" / "favicon.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(600))
    return root


@pytest.fixture(scope="module")
def base(site: Path) -> Iterator[str]:
    server, url = start_server(site)
    yield url
    server.shutdown()
    server.server_close()


def fetch(base: str, path: str, method: str = "GET",
          headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One raw request: http.client sends the path exactly as given (no normalisation)."""
    where = urlsplit(base)
    conn = http.client.HTTPConnection(where.hostname or "", where.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def test_base_url_is_loopback_with_a_free_port(base: str) -> None:
    where = urlsplit(base)
    assert where.scheme == "http" and where.hostname == "127.0.0.1"
    assert where.port and where.port > 0 and where.path == "/"


def test_page_has_the_policy_headers(base: str, site: Path) -> None:
    status, headers, body = fetch(base, "/")
    assert status == 200
    assert body == (site / "index.html").read_bytes()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == REVALIDATE
    assert headers["Content-Security-Policy"] == policy_for_site(site).content_security_policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in headers  # plain http on 127.0.0.1


def test_gzip_when_accepted(base: str, site: Path) -> None:
    status, headers, body = fetch(base, "/articles/hair/", headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Vary"] == "Accept-Encoding"
    assert int(headers["Content-Length"]) == len(body)
    original = (site / "articles" / "hair" / "index.html").read_bytes()
    assert gzip.decompress(body) == original
    assert len(body) < len(original) / 4


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0", "br"])
def test_no_gzip_unless_accepted(base: str, site: Path, accept: str | None) -> None:
    _, headers, body = fetch(base, "/", headers={"Accept-Encoding": accept} if accept else {})
    assert "Content-Encoding" not in headers
    assert body == (site / "index.html").read_bytes()


@pytest.mark.parametrize("path", ["/tiny.txt", "/assets/images/favicon.png"])
def test_small_or_binary_files_are_sent_as_they_are(base: str, site: Path, path: str) -> None:
    _, headers, body = fetch(base, path, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in headers
    assert body == (site / path.lstrip("/")).read_bytes()


@pytest.mark.parametrize(
    ("path", "cache", "kind"),
    [
        ("/assets/javascripts/bundle.a5f9d56c.min.js", IMMUTABLE, "text/javascript; charset=utf-8"),
        ("/assets/stylesheets/site.css", REVALIDATE, "text/css; charset=utf-8"),
        ("/assets/images/favicon.png", REVALIDATE, "image/png"),
        ("/feed.xml", REVALIDATE, "application/rss+xml"),
        ("/articles/hair/", REVALIDATE, "text/html; charset=utf-8"),
    ],
)
def test_cache_policy_and_types(base: str, path: str, cache: str, kind: str) -> None:
    status, headers, _ = fetch(base, path)
    assert (status, headers["Cache-Control"], headers["Content-Type"]) == (200, cache, kind)


@pytest.mark.parametrize(
    "path", ["/no/such/page/", "/articles/gone/deep/er", "/../../etc/passwd", "/%2e%2e/etc/passwd"]
)
def test_misses_get_the_site_404_page(base: str, site: Path, path: str) -> None:
    status, headers, body = fetch(base, path)
    assert status == 404
    assert body == (site / "404.html").read_bytes()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == REVALIDATE
    assert "Content-Security-Policy" in headers


def test_folder_without_slash_redirects(base: str) -> None:
    status, headers, body = fetch(base, "/articles/hair?q=scalp")
    assert (status, headers["Location"], body) == (301, "/articles/hair/?q=scalp", b"")
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_head_sends_headers_only(base: str) -> None:
    _, get_headers, get_body = fetch(base, "/articles/hair/")
    status, headers, body = fetch(base, "/articles/hair/", method="HEAD")
    assert (status, body) == (200, b"")
    assert headers["Content-Length"] == str(len(get_body))
    assert headers["ETag"] == get_headers["ETag"]


@pytest.mark.parametrize("accept", [None, "gzip"])
def test_revalidation_answers_not_modified(base: str, accept: str | None) -> None:
    extra = {"Accept-Encoding": accept} if accept else {}
    _, first, _ = fetch(base, "/", headers=extra)
    status, headers, body = fetch(base, "/", headers={**extra, "If-None-Match": first["ETag"]})
    assert (status, body) == (304, b"")
    assert headers["ETag"] == first["ETag"]
    assert headers["Cache-Control"] == REVALIDATE


def test_gzip_and_plain_bodies_have_different_etags(base: str) -> None:
    _, plain, _ = fetch(base, "/")
    _, zipped, _ = fetch(base, "/", headers={"Accept-Encoding": "gzip"})
    assert plain["ETag"] != zipped["ETag"]


def test_a_changed_file_is_served_fresh(tmp_path: Path) -> None:
    write(tmp_path, "index.html", "<h1>first</h1>")
    server, url = start_server(tmp_path)
    try:
        _, first, body = fetch(url, "/")
        assert body == b"<h1>first</h1>"
        write(tmp_path, "index.html", "<h1>second version</h1>")
        _, second, body = fetch(url, "/")
        assert body == b"<h1>second version</h1>"
        assert first["ETag"] != second["ETag"]
    finally:
        server.shutdown()
        server.server_close()


def test_missing_404_page_still_answers_404(tmp_path: Path) -> None:
    write(tmp_path, "index.html", "<h1>home</h1>")
    server, url = start_server(tmp_path)
    try:
        status, headers, body = fetch(url, "/nope")
        assert (status, body, headers["Content-Length"]) == (404, b"", "0")
    finally:
        server.shutdown()
        server.server_close()


def test_unbuilt_site_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        start_server(tmp_path / "site")
    assert str(caught.value) == (
        f"{tmp_path / 'site'}: no index.html here; build the site first "
        "(mkdocs build --strict) and pass its folder with --site"
    )


def test_busy_port_is_a_user_error(base: str, site: Path) -> None:
    port = urlsplit(base).port
    with pytest.raises(UserError) as caught:
        start_server(site, port=port or 0)
    assert str(caught.value).startswith(f"cannot listen on 127.0.0.1:{port}: ")
    assert str(caught.value).endswith("; choose another --port")


def test_json_files_are_not_sniffed(base: str, site: Path) -> None:
    write(site, "search/search_index.json", json.dumps({"docs": ["x" * 400]}))
    status, headers, _ = fetch(base, "/search/search_index.json")
    assert (status, headers["Content-Type"], headers["Cache-Control"]) == (
        200, "application/json", REVALIDATE
    )


def test_serve_command_options_and_unbuilt_site(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser(prog="feedsite")
    serve_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["serve", "--site", str(tmp_path), "--port", "0"])
    assert (args.site, args.port, args.func) == (tmp_path, 0, serve_cmd.run)
    with pytest.raises(UserError) as caught:
        args.func(args)
    assert str(caught.value).startswith(f"{tmp_path}: no index.html here;")


def test_a_reader_leaving_mid_download_is_not_reported_as_an_error(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    write(site, "index.html", "<!doctype html><title>home</title>")
    # Incompressible and larger than the socket buffers: the server is still writing when
    # the connection is reset.
    (site / "big.bin").write_bytes(os.urandom(8 * 2**20))
    before = set(threading.enumerate())
    server, base = start_server(site)
    serving = set(threading.enumerate()) - before
    try:
        host, port = server.server_address[:2]
        with socket.create_connection((str(host), port)) as client:
            client.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
            client.recv(1024)  # the response has started
            # Close with a reset (linger 0), as a browser cancelling a download does.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # The server must still answer, and have said nothing about the reset.
        assert fetch(base, "/index.html")[0] == 200
        deadline = time.monotonic() + 10
        # Wait for the aborted response's thread to finish its failed write.
        while set(threading.enumerate()) - before - serving and time.monotonic() < deadline:
            time.sleep(0.05)
        # Only then has the failed write happened, and could have been reported.
        assert not set(threading.enumerate()) - before - serving, "the response never ended"
    finally:
        server.shutdown()
        server.server_close()
    assert "Traceback" not in capfd.readouterr().err
