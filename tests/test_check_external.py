"""`--external`: real HTTP servers on 127.0.0.1 answer 200, 404, 405-on-HEAD, 429 with
Retry-After, redirects, 503 then 200, and too slowly; the checker's verdicts and waits."""

from __future__ import annotations

import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from check_support import TODAY
from feedsite.check.external import ExternalChecker, retry_after_seconds
from feedsite.check.models import Severity
from feedsite.check.policy import CheckConfig, ExternalConfig
from feedsite.check.run import CheckRequest, run_checks
from feedsite.check.site import SiteOptions
from feedsite.cli import run


class Recorder:
    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0


class Handler(BaseHTTPRequestHandler):
    recorder: Recorder

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_HEAD(self) -> None:
        self.answer(head=True)

    def do_GET(self) -> None:
        self.answer(head=False)

    def answer(self, head: bool) -> None:
        recorder = self.recorder
        path = self.path.split("?", 1)[0]
        with recorder.lock:
            recorder.hits[f"{self.command} {path}"] += 1
            count = recorder.hits[f"{self.command} {path}"]
        self.route(path, head, count)

    def busy(self) -> None:
        """Count requests being worked on at once; done before replying, so a client that
        already has its answer is never counted as still in flight."""
        recorder = self.recorder
        with recorder.lock:
            recorder.in_flight += 1
            recorder.most_in_flight = max(recorder.most_in_flight, recorder.in_flight)
        time.sleep(0.15)
        with recorder.lock:
            recorder.in_flight -= 1

    def route(self, path: str, head: bool, count: int) -> None:
        if path == "/ok":
            self.reply(200)
        elif path == "/missing":
            self.reply(404)
        elif path == "/no-head":
            self.reply(405 if head else 200)
        elif path == "/rate-limited":
            self.reply(429 if count == 1 else 200, {"Retry-After": "2"})
        elif path == "/rate-limited-long":
            self.reply(429, {"Retry-After": "3600"})
        elif path == "/flaky":
            self.reply(503 if count == 1 else 200)
        elif path == "/moved":
            self.reply(301, {"Location": "/ok"})
        elif path == "/moved-to-missing":
            self.reply(302, {"Location": "/missing"})
        elif path == "/slow":
            time.sleep(1.5)
            self.reply(200)
        elif path == "/busy":
            self.busy()
            self.reply(200)
        else:
            self.reply(500)

    def reply(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def server() -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder()
    handler = type("BoundHandler", (Handler,), {"recorder": recorder})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", recorder
    finally:
        httpd.shutdown()
        httpd.server_close()


class FakeSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def checker(tmp_path: Path, sleep: FakeSleep, **settings: float) -> ExternalChecker:
    # Generous timeouts: a loaded CI machine must not turn a 200 into a timeout.
    config = ExternalConfig(**{"timeout": 5.0, "retries": 2, "backoff": 0.1, **settings})
    return ExternalChecker(config, tmp_path / "cache.json", sleep=sleep)


def test_verdicts_for_each_kind_of_answer(server: tuple[str, Recorder], tmp_path: Path) -> None:
    base, recorder = server
    sleep = FakeSleep()
    paths = ["/ok", "/missing", "/no-head", "/moved", "/moved-to-missing", "/flaky"]
    results = checker(tmp_path, sleep, workers=1).check(base + p for p in paths)
    verdicts = {p: (results[base + p].ok, results[base + p].detail) for p in paths}
    assert verdicts == {
        "/ok": (True, "200 OK"),
        "/missing": (False, "404 Not Found"),
        "/no-head": (True, "200 OK"),
        "/moved": (True, "200 OK"),
        "/moved-to-missing": (False, "404 Not Found"),
        "/flaky": (True, "200 OK"),
    }
    assert recorder.hits["HEAD /missing"] == 1  # a 404 is final: no retries
    assert recorder.hits["HEAD /flaky"] == 2
    assert sleep.waits == [0.1]  # one backoff, for the 503


def test_retry_after_is_honoured(server: tuple[str, Recorder], tmp_path: Path) -> None:
    base, recorder = server
    sleep = FakeSleep()
    result = checker(tmp_path, sleep).check([base + "/rate-limited"])[base + "/rate-limited"]
    assert (result.ok, sleep.waits, recorder.hits["HEAD /rate-limited"]) == (True, [2.0], 2)


def test_retry_after_beyond_the_limit_gives_up(
    server: tuple[str, Recorder], tmp_path: Path
) -> None:
    base, _ = server
    sleep = FakeSleep()
    url = base + "/rate-limited-long"
    result = checker(tmp_path, sleep, max_retry_after=60).check([url])[url]
    assert not result.ok
    assert result.detail == "429 Too Many Requests; server asked to wait 3600s (limit 60s)"
    assert sleep.waits == []


def test_timeout_is_reported_after_retries(server: tuple[str, Recorder], tmp_path: Path) -> None:
    base, _ = server
    sleep = FakeSleep()
    url = base + "/slow"
    result = checker(tmp_path, sleep, timeout=0.2, retries=1).check([url])[url]
    assert (result.ok, result.status, result.detail) == (False, None, "timed out after 0.2s")
    assert sleep.waits == [0.1]  # one retry, after the first timeout


def test_connection_refused_is_reported(tmp_path: Path) -> None:
    url = "http://127.0.0.1:9/nothing-listens"
    result = checker(tmp_path, FakeSleep(), retries=0).check([url])[url]
    assert not result.ok and result.detail.startswith("cannot connect: ")


def test_per_host_limit_caps_parallel_requests(
    server: tuple[str, Recorder], tmp_path: Path
) -> None:
    base, recorder = server
    urls = [f"{base}/busy?n={n}" for n in range(8)]
    results = checker(tmp_path, FakeSleep(), workers=8, per_host=2).check(urls)
    assert all(r.ok for r in results.values())
    assert recorder.most_in_flight == 2


def test_cache_skips_fresh_successes_and_expires(
    server: tuple[str, Recorder], tmp_path: Path
) -> None:
    base, recorder = server
    now = [1_000_000.0]
    config = ExternalConfig(timeout=5, retries=0, max_age_hours=1)
    cache = tmp_path / "cache" / "links.json"

    def check_now(urls: list[str]) -> None:
        ExternalChecker(config, cache, sleep=FakeSleep(), clock=lambda: now[0]).check(urls)

    check_now([base + "/ok", base + "/missing"])
    check_now([base + "/ok", base + "/missing"])
    assert (recorder.hits["HEAD /ok"], recorder.hits["HEAD /missing"]) == (1, 2)
    now[0] += 3601
    check_now([base + "/ok"])
    assert recorder.hits["HEAD /ok"] == 2


def test_damaged_cache_file_is_ignored(server: tuple[str, Recorder], tmp_path: Path) -> None:
    base, _ = server
    (tmp_path / "cache.json").write_text("{not json", encoding="utf-8")
    result = checker(tmp_path, FakeSleep()).check([base + "/ok"])[base + "/ok"]
    assert result.ok


def test_retry_after_forms() -> None:
    assert retry_after_seconds("120", 0) == 120.0
    assert retry_after_seconds("Thu, 01 Jan 1970 00:01:40 GMT", 40.0) == 60.0
    assert retry_after_seconds("soon", 0) is None
    assert retry_after_seconds(None, 0) is None


def test_cli_external_reports_where_broken_links_are_written(
    server: tuple[str, Recorder],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base, recorder = server
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        "<main><h1>Links</h1>\n"
        f'<p><a href="{base}/ok">ok</a> <a href="{base}/ok#part">same page</a>\n'
        f'<a href="{base}/missing">missing</a></p></main>\n',
        encoding="utf-8",
    )
    shutil.rmtree(tmp_path / ".cache", ignore_errors=True)
    # The test server on 127.0.0.1 stands in for another site: links to the author's own
    # computer (local-url), an error otherwise, are turned off here.
    (tmp_path / "mkdocs.yml").write_text(
        'site_name: Links\nextra:\n  feedsite_check:\n    severity: {local-url: "off"}\n',
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(["check", "--site", "site"]) == 0  # external links are off by default
    assert not recorder.hits
    assert run(["check", "--site", "site", "--external"]) == 1
    out = capsys.readouterr().out
    assert f"  3:1      error   external link '{base}/missing' failed: 404 Not Found" in out
    assert recorder.hits["HEAD /ok"] == 1  # checked once although linked twice
    assert (tmp_path / ".cache" / "feedsite" / "external-links.json").is_file()


def test_include_and_exclude_patterns_pick_the_links_to_check(
    server: tuple[str, Recorder], tmp_path: Path
) -> None:
    base, recorder = server
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        f'<main><h1>Links</h1><a href="{base}/missing?a">checked</a>\n'
        f'<a href="{base}/missing?skip">excluded</a>\n'
        '<a href="https://example.org/missing">not included</a></main>',
        encoding="utf-8",
    )
    external = ExternalConfig(timeout=5, include=(r"^http://127\.0\.0\.1",), exclude=("skip",))
    result = run_checks(
        CheckRequest(
            site=SiteOptions(site_dir=site, jobs=1),
            config=CheckConfig(severity={"local-url": Severity.OFF}, external=external),
            today=TODAY,
            external=True,
            cache_file=tmp_path / "cache.json",
            display_root=tmp_path,
        )
    )
    assert [(f.line, f.rule, f.link) for f in result.findings] == [
        (1, "external-link", f"{base}/missing?a")
    ]
    assert recorder.hits["HEAD /missing"] == 1


def test_links_to_the_authors_computer_are_not_fetched_when_reported_as_such(
    server: tuple[str, Recorder], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base, recorder = server
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        f'<main><h1>Links</h1><p><a href="{base}/ok">the preview</a>\n'
        '<a href="\\\\fileserver\\share\\a.html">the share</a></p></main>\n',
        encoding="utf-8",
    )
    (tmp_path / "mkdocs.yml").write_text("site_name: Links\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(["check", "--site", "site", "--external"]) == 1
    out = capsys.readouterr().out
    assert out.count("local-url") == 2 and "external-link" not in out
    assert not recorder.hits  # the local-url finding says it all; no request is made
