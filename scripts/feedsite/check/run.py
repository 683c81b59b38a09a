"""Run the checker: load the site, run every check, apply the policy, return sorted findings."""

from __future__ import annotations

import gc
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from feedsite.check.cache import CheckCache
from feedsite.check.checks import CHECKS, SIDE_CHECKS, Check, CheckContext
from feedsite.check.checks.unsafe_urls import WEB_URL
from feedsite.check.forked import start_forked
from feedsite.check.models import Element, Finding, Positions, Problem, Severity, Summary
from feedsite.check.policy import CheckConfig, finding_for
from feedsite.check.prefetch import start as start_prefetch
from feedsite.check.rules import RULES
from feedsite.check.site import Site, SiteOptions, load_site
from feedsite.check.workers import Workers
from feedsite.local_urls import URL_SPACE, local_place

# Below this many pages a forked copy for the article checks costs more than it saves.
SIDE_CHECKS_THRESHOLD = 300


@dataclass(frozen=True)
class CheckRequest:
    """Everything one run needs; the CLI builds it from arguments and project settings."""

    site: SiteOptions
    config: CheckConfig
    today: date
    feed_dir: Path | None = None
    articles_rel: str = "articles"
    external: bool = False
    cache_file: Path | None = None
    display_root: Path | None = None  # paths in findings are shown relative to this
    cache_dir: Path | None = None  # where records of unchanged files are kept between runs


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    summary: Summary


def run_checks(request: CheckRequest) -> CheckResult:
    # The run makes hundreds of thousands of long-lived records and no garbage cycles worth
    # collecting; with the collector on, its full passes over them cost a sixth of the run.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(request)
    finally:
        if collecting:
            # What was made meanwhile is still in the youngest generation, which the next
            # collection would walk whole (a tenth of a second on a 5,000-page site): move
            # everything to the oldest generation at once, as surviving collections would
            # (unless the caller keeps objects frozen, which unfreezing would undo).
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _run(request: CheckRequest) -> CheckResult:
    workers = Workers(request.site.jobs)
    cache = CheckCache.load(request.cache_dir)
    try:
        # The side process reads the feed and front matter first, then helps with the pages.
        prefetch = start_prefetch(request.feed_dir, request.site.docs_dir, workers, cache)
        site = load_site(request.site, workers, cache)
        prefetched = prefetch()
        side_checks = bool(workers.count) and len(site.pages) >= SIDE_CHECKS_THRESHOLD
        if not side_checks:
            site.prepare_sources(workers)
    except BaseException:
        workers.close()
        raise
    # Before this process forks for the side checks, the pool's threads must have ended.
    workers.close(wait=side_checks)
    site.use_prefetched_front_matter(prefetched.front_matter)
    context = CheckContext(
        site=site,
        config=request.config,
        today=request.today,
        feed=prefetched.feed,
        articles_rel=request.articles_rel,
    )
    # Checks whose every rule is turned off are skipped: their findings would be dropped.
    checks: list[Check] = [check for check in CHECKS if not _all_off(check, request.config)]
    side: Callable[[], tuple[set[Finding], dict[str, Any], dict[str, Positions]]] | None = None
    there: list[Check] = [check for check in checks if check in SIDE_CHECKS]
    if side_checks and there:
        # A forked copy, which has the loaded site already, runs the SIDE_CHECKS.
        checks = [check for check in checks if check not in SIDE_CHECKS]
        # It also writes the loaded records, the slowest part of the cache to write, meanwhile.
        side = start_forked(partial(_side_findings, there, context, request),
                            then=cache.save_loaded)
    if side_checks:
        # This process alone, while the copy uses the other core.
        site.prepare_sources(None)
    problems: list[Problem] = []
    for check in checks:
        problems.extend(check(context))
    if request.external:
        problems.extend(external_problems(site, request))
    side_found: set[Finding] = set()
    if side is not None:
        side_found, parsed_sources, positions = side()
        site.use_positions(positions)
        cache.loaded_changed = False  # written by `save_loaded`, there or (as a fallback) here
        if parsed_sources and cache.file is not None:
            cache.sources.update(parsed_sources)
            cache.changed = True
    found = _policy_findings(site, problems, request) | side_found
    findings = tuple(sorted(found, key=lambda f: (f.path, f.line, f.column, f.rule, f.message)))
    cache.save()
    skipped = tuple(
        sorted(name for name, rule in RULES.items() if rule.needs_sources and not site.with_sources)
    )
    return CheckResult(findings, _summary(findings, len(site.pages), skipped))


def _all_off(check: Check, config: CheckConfig) -> bool:
    rules = getattr(sys.modules.get(check.__module__), "RULES", ())
    return bool(rules) and all(config.severity_of(rule) is Severity.OFF for rule in rules)


def external_problems(site: Site, request: CheckRequest) -> list[Problem]:
    """Check every http(s) link of the content once, then report each place it is written."""
    config = request.config.external
    reported_local = request.config.severity_of("local-url") is not Severity.OFF
    places: list[tuple[str, int, str]] = []  # (page, link index, absolute URL)
    for path, page in site.pages.items():
        for index, (link, target) in enumerate(zip(page.links, site.targets[path], strict=True)):
            if target.kind != "external" or not WEB_URL.match(link.url.strip(URL_SPACE)):
                continue  # (a relative URL under a <base> on another host is not fetched)
            if reported_local and local_place(link.url):
                continue  # reported as local-url: no use asking the network
            url = link.url.strip()
            url = "https:" + url if url.startswith("//") else url
            if config.include and not any(re.search(p, url) for p in config.include):
                continue
            if any(re.search(p, url) for p in config.exclude):
                continue
            if any(re.search(p, link.url) for p in request.config.ignore_urls):
                continue
            places.append((path, index, url.split("#", 1)[0]))
    from feedsite.check.external import ExternalChecker  # urllib/ssl only when asked for

    statuses = ExternalChecker(config, request.cache_file).check(url for _, _, url in places)
    problems = []
    for path, index, url in places:
        status = statuses[url]
        if status.ok:
            continue
        spot, written = site.locate_link(path, index)
        problems.append(
            Problem(
                "external-link",
                path,
                Element("link", index),
                f"external link '{written}' failed: {status.detail}",
                link=written,
                target=url,
                suggestion="fix or remove the link (or list it in ignore_urls)",
                source=spot,
            )
        )
    return problems


def _side_findings(
    checks: list[Check], context: CheckContext, request: CheckRequest
) -> tuple[set[Finding], dict[str, Any], dict[str, Positions]]:
    """Findings of `checks` (run in the forked copy), with the Markdown sources they parsed
    for the cache, which only the parent writes, and, without sources, the HTML positions of
    pages whose links look broken, which the parent's findings will ask for."""
    cache = context.site.cache
    # The entries as they were: a changed file parsed again here replaces its entry, so new
    # and replaced entries both go back (comparing names alone missed the replaced ones).
    known = dict(cache.sources) if cache is not None else {}
    problems = [problem for check in checks for problem in check(context)]
    found = _policy_findings(context.site, problems, request)
    parsed = (
        {doc: entry for doc, entry in cache.sources.items() if known.get(doc) is not entry}
        if cache is not None
        else {}
    )
    site = context.site
    # With sources, link findings point into the Markdown instead. Only pages whose links are
    # reported for sure: a mailto: link on every page must not make this copy read them all.
    positions = {} if site.with_sources else {
        page: site.positions(page) for page in site.pages if site.suspect(page, internal_only=True)}
    return found, parsed, positions


def _policy_findings(site: Site, problems: list[Problem], request: CheckRequest) -> set[Finding]:
    """The findings `problems` give under the request's policy (severities, ignores)."""
    config = request.config
    findings: set[Finding] = set()
    for problem in problems:
        if config.severity_of(problem.rule) is Severity.OFF:
            continue
        paths = (problem.page, *((problem.source.path,) if problem.source else ()))
        if config.is_ignored(problem, paths):
            continue
        if problem.source is not None:
            base = request.feed_dir if problem.source.root == "feed" else request.site.docs_dir
            assert base is not None
            where = _display(base / problem.source.path, request.display_root)
            line, column = problem.source.line, problem.source.column
        else:
            where = _display(request.site.site_dir / problem.page, request.display_root)
            line, column = html_position(site, problem.page, problem.element)
        findings.add(finding_for(config, problem, where, line, column))
    return findings


def html_position(site: Site, page: str, element: Element) -> tuple[int, int]:
    """Line and column in the HTML file of what a problem is about."""
    if element.kind == "link":
        return site.link_at(page, element.index)
    if element.kind == "asset":
        return site.asset_at(page, element.index)
    if element.kind == "template-link":
        return site.asset_at(page, element.index, anchors=True)
    if element.kind == "heading":
        return site.heading_at(page, element.index)
    if element.kind == "id":
        return site.id_at(page, element.name, element.index)
    if element.kind == "content":
        return site.content_line(page), 1
    if element.kind == "position":
        return element.index, element.column or 1
    return 1, 1


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            # abspath, not resolve: a symlinked page is named by its own path.
            return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _summary(findings: tuple[Finding, ...], pages: int, skipped: tuple[str, ...]) -> Summary:
    return Summary(
        pages=pages,
        errors=sum(1 for f in findings if f.severity is Severity.ERROR),
        warnings=sum(1 for f in findings if f.severity is Severity.WARNING),
        files=len({f.path for f in findings}),
        skipped_rules=skipped,
    )
