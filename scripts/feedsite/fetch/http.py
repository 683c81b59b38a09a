"""One bounded HTTP GET: a timeout, a size limit, few redirects, conditional headers."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import IO, Any

from feedsite import __version__

MAX_REDIRECTS = 5
USER_AGENT = f"feedsite/{__version__} (+feed mirror)"
_CHUNK = 64 * 1024


class FetchError(Exception):
    """The download failed; the message says how, in words for the person running the fetch."""


@dataclass(frozen=True)
class Response:
    """What a GET brought back: the body (None for 304 Not Modified) and the useful headers."""

    url: str  # after redirects
    status: int
    body: bytes | None
    headers: dict[str, str] = field(default_factory=dict)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows at most MAX_REDIRECTS redirects, and only to http(s) URLs."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
        headers: http.client.HTTPMessage, newurl: str,
    ) -> urllib.request.Request | None:
        if not newurl.lower().startswith(("http://", "https://")):
            raise FetchError(f"redirected to {newurl}, which is not an http(s) URL")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_Redirects)


def _read_limited(handle: Any, limit: int) -> bytes:
    length = handle.headers.get("Content-Length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise FetchError(f"is {int(length):,} bytes, over the {limit:,}-byte limit")
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = handle.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise FetchError(f"is over the {limit:,}-byte limit")
        chunks.append(chunk)


def get(url: str, *, limit: int, timeout: float, etag: str = "",
        last_modified: str = "") -> Response:
    """GET `url`; raise FetchError for anything but a 2xx answer or a 304 to our conditions."""
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError("is not an http(s) URL")
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with _OPENER.open(request, timeout=timeout) as handle:
            body = _read_limited(handle, limit)
            kept = {k.lower(): v for k, v in handle.headers.items()}
            return Response(handle.geturl(), handle.status, body, kept)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Response(url, 304, None, {k.lower(): v for k, v in exc.headers.items()})
        if exc.code in (301, 302, 303, 307, 308):
            raise FetchError(f"redirected more than {MAX_REDIRECTS} times") from exc
        raise FetchError(f"answered HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise FetchError(f"did not answer within {timeout:g} s") from exc
        if isinstance(reason, FetchError):
            raise reason from exc
        raise FetchError(f"cannot be reached ({reason})") from exc
    except TimeoutError as exc:
        raise FetchError(f"did not answer within {timeout:g} s") from exc
    except (OSError, ValueError, http.client.HTTPException) as exc:  # reset, bad URL, ...
        raise FetchError(f"failed ({exc.__class__.__name__}: {exc})") from exc
