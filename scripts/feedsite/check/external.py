"""`--external`: check http(s) links concurrently, politely (per-host limit, retries with
backoff, Retry-After) and remember successes in a cache file for a while."""

from __future__ import annotations

import email.utils
import json
import os
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from feedsite import __version__
from feedsite.check.policy import ExternalConfig

_USER_AGENT = f"feedsite-check/{__version__} (+link checker)"
# Servers that refuse HEAD answer these; the GET that follows gives the real answer.
_HEAD_REFUSED = frozenset({400, 403, 405, 501})
_CACHE_VERSION = 1


@dataclass(frozen=True)
class UrlStatus:
    """The outcome for one URL: ok, the last HTTP status (None when no answer) and why."""

    url: str
    ok: bool
    status: int | None
    detail: str
    cached: bool = False


class ExternalChecker:
    """Checks many URLs with a thread pool; `sleep` and `clock` are injectable for tests."""

    def __init__(
        self,
        config: ExternalConfig,
        cache_file: Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.cache_file = cache_file
        self.sleep = sleep
        self.clock = clock
        self._host_limits: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()

    def check(self, urls: Iterable[str]) -> dict[str, UrlStatus]:
        unique = list(dict.fromkeys(urls))
        cache = self._read_cache()
        results: dict[str, UrlStatus] = {}
        max_age = self.config.max_age_hours * 3600
        to_check = []
        for url in unique:
            entry = cache.get(url)
            if (
                entry
                and entry.get("ok")
                and self.clock() - float(entry.get("checked", 0)) < max_age
            ):
                results[url] = UrlStatus(url, True, entry.get("status"), "cached", cached=True)
            else:
                to_check.append(url)
        if to_check:
            with ThreadPoolExecutor(max_workers=max(1, self.config.workers)) as pool:
                for status in pool.map(self._check_one, to_check):
                    results[status.url] = status
        now = self.clock()
        for status in results.values():
            if status.ok and not status.cached:
                cache[status.url] = {"ok": True, "status": status.status, "checked": now}
            elif not status.ok:
                cache.pop(status.url, None)
        self._write_cache(cache)
        return results

    def _host_limit(self, url: str) -> threading.Semaphore:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            if host not in self._host_limits:
                self._host_limits[host] = threading.Semaphore(max(1, self.config.per_host))
            return self._host_limits[host]

    def _check_one(self, url: str) -> UrlStatus:
        with self._host_limit(url):
            return self._with_retries(url)

    def _with_retries(self, url: str) -> UrlStatus:
        result = UrlStatus(url, False, None, "not checked")
        for attempt in range(self.config.retries + 1):
            last = attempt == self.config.retries
            status, headers, detail = _fetch(url, "HEAD", self.config.timeout)
            if status in _HEAD_REFUSED:
                status, headers, detail = _fetch(url, "GET", self.config.timeout)
            if status is not None and 200 <= status < 400:
                return UrlStatus(url, True, status, detail)
            result = UrlStatus(url, False, status, detail)
            if status is not None and status not in (429, 408) and status < 500:
                return result  # 404 and friends will not change on a retry
            if last:
                break
            wait = self.config.backoff * (2**attempt)
            if status in (429, 503) and headers is not None:
                asked = retry_after_seconds(headers.get("Retry-After"), self.clock())
                if asked is not None:
                    if asked > self.config.max_retry_after:
                        return UrlStatus(
                            url,
                            False,
                            status,
                            f"{detail}; server asked to wait {asked:.0f}s (limit "
                            f"{self.config.max_retry_after:.0f}s)",
                        )
                    wait = max(wait, asked)
            self.sleep(wait)
        return result

    def _read_cache(self) -> dict[str, Any]:
        if self.cache_file is None or not self.cache_file.is_file():
            return {}
        try:
            data = json.loads(self.cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # a damaged cache only costs a re-check
        if not isinstance(data, dict) or data.get("version") != _CACHE_VERSION:
            return {}
        urls = data.get("urls")
        return dict(urls) if isinstance(urls, dict) else {}

    def _write_cache(self, cache: dict[str, Any]) -> None:
        if self.cache_file is None:
            return
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"version": _CACHE_VERSION, "urls": cache}, indent=1, sort_keys=True)
        handle, temp = tempfile.mkstemp(dir=self.cache_file.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temp, self.cache_file)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def _fetch(url: str, method: str, timeout: float) -> tuple[int | None, Message | None, str]:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            code = int(response.status)
            return code, response.headers, f"{code} {response.reason}"
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, f"{exc.code} {exc.reason}"
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            return None, None, f"timed out after {timeout:g}s"
        return None, None, f"cannot connect: {reason}"
    except TimeoutError:
        return None, None, f"timed out after {timeout:g}s"
    except (OSError, ValueError) as exc:
        return None, None, f"cannot connect: {exc}"


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Seconds a `Retry-After` header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - now)
