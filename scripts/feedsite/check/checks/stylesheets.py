"""Files the site's stylesheets load that do not exist: `url(...)` (background images, fonts,
cursors) and `@import` in every `.css` file of the site, read against the stylesheet's own
folder as browsers do. A finding names the stylesheet's line: in docs/ when the file was
copied from there (`extra_css`), else in the built site."""

from __future__ import annotations

from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.checks.targets import case_hint
from feedsite.check.checks.unsafe_urls import elsewhere_problem
from feedsite.check.css_urls import css_references
from feedsite.check.models import Element, Problem, SourceSpot
from feedsite.check.text_places import line_column

RULES = ("asset-missing", "link-escapes-site", "local-url", "malformed-url")
def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    for path in sorted(f for f in site.files if f.endswith(".css")):
        try:
            text = (site.options.site_dir / path).read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
        for url, offset in css_references(text):
            target = site.resolver.resolve(path, "", url)
            if target.kind == "internal" and not target.exists:
                rule = "asset-missing"
                message = f"stylesheet url '{url}': no file at {target.path}"
                suggestion = case_hint(site, target.path) or (
                    "add the file, or correct the path (it is read from the stylesheet's folder)")
            elif target.kind == "escapes":
                rule = "link-escapes-site"
                message = (f"stylesheet url '{url}' leads outside the site root (to "
                           f"{target.describe()})")
                suggestion = "point it at a file inside the site"
            elif target.kind in ("external", "other") and (
                fault := elsewhere_problem(url, target.kind)
            ):
                rule, said, suggestion = fault
                message = "stylesheet url " + said.removeprefix("link ")
            else:
                continue
            line, column = line_column(text, offset)
            doc = path if path in site.docs_files else None
            yield Problem(
                rule,
                path,
                Element("position", line, column=column),
                message,
                link=url,
                target=target.describe(),
                suggestion=suggestion,
                source=SourceSpot(doc, line, column) if doc is not None else None,
            )
