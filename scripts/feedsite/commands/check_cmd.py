"""`feedsite check`: check the built site's links and sections, naming where authors wrote them."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from feedsite.atomic import write_atomically
from feedsite.check.cache import CACHE_DIR
from feedsite.check.load import canonical_url
from feedsite.check.policy import CheckConfig, project_config
from feedsite.check.report import FORMATS, render
from feedsite.check.resolve import site_origin, site_prefix
from feedsite.check.rules import RULES
from feedsite.check.run import CheckRequest, run_checks
from feedsite.check.site import SiteOptions
from feedsite.errors import UserError
from feedsite.project import Project, find_config_file, load_project

CACHE_NAME = CACHE_DIR / "external-links.json"


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "check",
        help="check the built site's links and sections",
        description=(
            "Check links, fragments, assets and sections of the built site. Findings name the "
            "Markdown source and line when the page came from docs/. Exit 0 clean, 1 errors "
            "found, 2 usage or configuration error."
        ),
    )
    parser.add_argument("--site", type=Path, help="built site folder (default: site_dir)")
    parser.add_argument("--docs", type=Path, help="Markdown sources (default: docs_dir)")
    parser.add_argument("--feed", type=Path, help="feed folder for parity (default: feed_dir)")
    parser.add_argument("-f", "--config-file", type=Path, help="mkdocs.yml (default: nearest one)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format")
    parser.add_argument("--output", type=Path, help="write the report here instead of stdout")
    parser.add_argument("--external", action="store_true", help="also check http(s) links")
    parser.add_argument(
        "--no-sources",
        action="store_true",
        help="check the HTML on its own: no Markdown mapping, source rules skipped",
    )
    parser.add_argument(
        "--site-url",
        help="URL the site is served at (default: site_url, else the home page's canonical link)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        help="processes in all (default: 2 on a machine with two or more cores, else 1)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="read every file afresh (no .cache/feedsite/ records of unchanged files)",
    )
    parser.add_argument(
        "--today", type=date.fromisoformat, help="date review_due is judged against (YYYY-MM-DD)"
    )
    parser.add_argument("--list-rules", action="store_true", help="list rules and exit")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.list_rules:
        for name, rule in sorted(RULES.items()):
            print(f"{name:<27} {rule.default.value:<8} {rule.summary}")
        return 0
    request = build_request(args)
    result = run_checks(request)
    report = render(args.format, result.findings, result.summary, color=_use_color(args))
    if args.output is not None:
        write_report(args.output, report)
    else:
        sys.stdout.write(report)
    return 1 if result.summary.errors else 0


def build_request(args: argparse.Namespace) -> CheckRequest:
    """Combine arguments with the project's settings; outside a project, check HTML alone."""
    project = _project(args)
    site_dir = args.site if args.site is not None else (project.site_dir if project else None)
    if site_dir is None:
        raise UserError("no site folder: pass --site DIR, or run inside a project with mkdocs.yml")
    site_dir = site_dir.resolve()
    if not site_dir.is_dir():
        raise UserError(
            f"{site_dir}: site folder not found; build it first (mkdocs build) or pass --site DIR"
        )
    with_sources = not args.no_sources
    docs_dir = _folder(args.docs, project.docs_dir if project else None, "docs", with_sources)
    feed_dir = _folder(args.feed, project.feed_dir if project else None, "feed", with_sources)
    mkdocs = project.mkdocs if project else {}
    config = project_config(project) if project else CheckConfig()
    site_url = _site_url(args, project, site_dir)
    root = project.root if project else Path.cwd()
    return CheckRequest(
        site=SiteOptions(
            site_dir=site_dir,
            docs_dir=docs_dir,
            use_directory_urls=bool(mkdocs.get("use_directory_urls", True)),
            site_prefix=site_prefix(site_url),
            site_origin=site_origin(site_url),
            jobs=args.jobs,
        ),
        config=config,
        today=args.today or date.today(),
        feed_dir=feed_dir,
        articles_rel=project.articles_rel if project else "articles",
        external=args.external,
        cache_file=root / CACHE_NAME,
        display_root=Path.cwd(),
        cache_dir=None if args.no_cache else root / CACHE_DIR,
    )


def _project(args: argparse.Namespace) -> Project | None:
    if args.config_file is not None:
        return load_project(args.config_file)
    if args.site is not None and find_config_file(Path.cwd()) is None:
        return None  # outside a project: check the given folder of HTML on its own
    return load_project()  # a broken mkdocs.yml is reported, never silently skipped


def _site_url(args: argparse.Namespace, project: Project | None, site_dir: Path) -> str:
    """Where the site is served: root-relative links ("/health/x/") are read against it."""
    if args.site_url:
        return str(args.site_url)
    if project is not None and project.site_url:
        return project.site_url
    return canonical_url(site_dir / "index.html")


def _folder(given: Path | None, default: Path | None, name: str, wanted: bool) -> Path | None:
    if not wanted:
        return None
    if given is not None:
        if not given.is_dir():
            raise UserError(f"{given}: {name} folder not found; pass an existing --{name} DIR")
        return given.resolve()
    return default if default is not None and default.is_dir() else None


def _use_color(args: argparse.Namespace) -> bool:
    return (
        args.format == "text"
        and args.output is None
        and "NO_COLOR" not in os.environ
        and sys.stdout.isatty()
    )


def write_report(path: Path, text: str) -> None:
    """Write the report whole or not at all, into a folder that must already exist."""
    folder = path.resolve().parent
    if not folder.is_dir():
        raise UserError(f"{path}: folder {folder} does not exist")
    write_atomically(path, text.encode("utf-8"))
