"""Article pages (front matter `generator: feedsite`): front matter the importer writes is present
and valid, the H1 is the title, an introduction comes first, required sections exist, reviews
are not overdue."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Element, Page, Problem, SourceSpot
from feedsite.check.site import Site

RULES = (
    "front-matter",
    "title-mismatch",
    "missing-introduction",
    "description-too-long",
    "required-section",
    "review-overdue",
)
_REQUIRED = (
    "title",
    "description",
    "source",
    "source_sha256",
    "published",
    "reading_time",
    "words",
    "generator",
    "checksum",
)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SPACE = re.compile(r"\s+")


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    if not site.with_sources:
        return
    articles_folder = context.articles_rel + "/"
    for path, page in site.pages.items():
        meta = site.front_matter(path)
        if site.front_matter_is_invalid(path):
            doc = site.docs.get(path, "")
            source = site.source(path)
            if doc.startswith(articles_folder) and source is not None:
                yield Problem(
                    "front-matter",
                    path,
                    Element("file"),
                    source.meta_error or "front matter is not valid YAML",
                    suggestion="run `feedsite import` to rewrite the page",
                    source=SourceSpot(doc, source.meta_error_line, 1),
                )
            continue
        if meta is None or meta.get("generator") != "feedsite":
            continue
        yield from _article(context, page, meta)


def _article(context: CheckContext, page: Page, meta: dict[str, Any]) -> Iterator[Problem]:
    site = context.site

    def problem(rule: str, key: str, message: str, suggestion: str = "") -> Problem:
        return Problem(
            rule,
            page.path,
            Element("content"),
            message,
            suggestion=suggestion,
            source=site.key_spot(page.path, key),
        )

    for key, message in _front_matter_errors(site, meta):
        yield problem("front-matter", key, message, "run `feedsite import` to rewrite the page")
    description = meta.get("description")
    limit = context.config.max_description_length
    if isinstance(description, str) and len(description) > limit:
        yield problem(
            "description-too-long",
            "description",
            f"description is {len(description)} characters; the limit is {limit}",
            "shorten it to the first sentence or two",
        )
    review_due = _as_date(meta.get("review_due"))
    if review_due is not None and review_due < context.today:
        yield problem(
            "review-overdue",
            "review_due",
            f"review was due on {review_due.isoformat()}",
            "review the article, then update reviewed and review_due",
        )
    h1s = [i for i, h in enumerate(page.headings) if h.level == 1]
    title = meta.get("title")
    if h1s and isinstance(title, str) and _norm(page.headings[h1s[0]].text) != _norm(title):
        heading = page.headings[h1s[0]]
        yield Problem(
            "title-mismatch",
            page.path,
            Element("heading", h1s[0]),
            f"H1 '{heading.text}' differs from the front matter title '{title}'",
            suggestion="make the H1 and title the same",
            source=site.heading_spot(page.path, h1s[0]),
        )
    if "item" not in meta:
        # An item of a feed document is laid out by its publisher: a first section such as
        # "Abstract" straight after the title is theirs, and no author here can change it.
        yield from _introduction(site, page)
    sections = {_norm(h.text) for h in page.headings if h.level == 2}
    for required in context.config.required_sections:
        if _norm(required) not in sections:
            yield problem(
                "required-section",
                "title",
                f"article has no '{required}' section",
                "add the section to the feed article and import again",
            )


def _introduction(site: Site, page: Page) -> Iterator[Problem]:
    blocks = page.blocks
    first_h1 = next(
        (i for i, (kind, _d, level, _h) in enumerate(blocks) if kind == "heading" and level == 1),
        -1,
    )
    first_section = next(
        (i for i, (kind, _d, level, _h) in enumerate(blocks)
         if kind == "heading" and level > 1 and i > first_h1),
        None,
    )  # fmt: skip
    if first_section is None:
        return
    # Paragraphs only: templates may add a list of facts (reading time, dates) under the title.
    if any(kind == "paragraph" for kind, *_rest in blocks[first_h1 + 1 : first_section]):
        return
    _kind, _digest, _level, index = blocks[first_section]
    heading = page.headings[index]
    yield Problem(
        "missing-introduction",
        page.path,
        Element("heading", index),
        f"section '{heading.text}' comes straight after the title; articles open with an "
        "introduction",
        suggestion="add an introductory paragraph before the first section",
        source=site.heading_spot(page.path, index),
    )


def _front_matter_errors(site: Site, meta: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for key in _REQUIRED:
        if key not in meta:
            yield "title", f"front matter lacks '{key}'"
    for key in ("title", "description", "source", "checksum"):
        value = meta.get(key)
        if key in meta and (not isinstance(value, str) or not value.strip()):
            yield key, f"'{key}' must be non-empty text"
    source = meta.get("source")
    if isinstance(source, str) and (source.startswith("/") or ".." in source.split("/")):
        yield "source", f"source '{source}' must be relative to the feed folder"
    sha = meta.get("source_sha256")
    if "source_sha256" in meta and (not isinstance(sha, str) or not _SHA256.match(sha)):
        yield "source_sha256", "source_sha256 must be 64 lower-case hex digits"
    for key in ("published", "updated", "reviewed", "review_due"):
        if key in meta and _as_date(meta[key]) is None:
            yield key, f"'{key}' must be a date written YYYY-MM-DD, not {meta[key]!r}"
    published, updated = _as_date(meta.get("published")), _as_date(meta.get("updated"))
    if published and updated and updated < published:
        yield "updated", f"updated {updated} is before published {published}"
    for key, least in (("reading_time", 1), ("words", 0)):
        value = meta.get(key)
        if key in meta and (not isinstance(value, int) or isinstance(value, bool) or value < least):
            yield key, f"'{key}' must be a whole number of at least {least}, not {value!r}"
    for key in ("previous", "next"):
        if key in meta:
            yield from _neighbour_errors(site, key, meta[key])


def _neighbour_errors(site: Site, key: str, value: Any) -> Iterator[tuple[str, str]]:
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("title"), str)
        or not isinstance(value.get("url"), str)
    ):
        yield key, f"'{key}' must be a mapping with text 'title' and 'url'"
        return
    url = value["url"]
    if url not in site.docs_files:
        yield key, f"{key}.url '{url}' is not a file in docs/"


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
