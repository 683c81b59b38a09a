"""Files the site's stylesheets load that do not exist: `url(...)` (background images, fonts,
cursors) and `@import` in every `.css` file of the site, read against the stylesheet's own
folder as browsers do. A finding names the stylesheet's line: in docs/ when the file was
copied from there (`extra_css`), else in the built site."""

from __future__ import annotations

import re
from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.checks.targets import case_hint
from feedsite.check.checks.unsafe_urls import elsewhere_problem
from feedsite.check.models import Element, Problem, SourceSpot
from feedsite.check.text_places import blanked, line_column

RULES = ("asset-missing", "link-escapes-site", "local-url", "malformed-url")
_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)  # an unclosed one runs to the end
# url("…"), url('…') or url(…); and @import "…" (the url() form is matched by the first).
_REFERENCE = re.compile(
    r"""\burl\(\s*(?:"(?P<dq>(?:[^"\\\n]|\\.)*)"|'(?P<sq>(?:[^'\\\n]|\\.)*)'|(?P<bare>[^)\s"']*))\s*\)"""
    r"""|@import\s+(?:"(?P<idq>[^"\n]*)"|'(?P<isq>[^'\n]*)')""",
    re.I,
)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}\s?|.)")
_HEX = frozenset("0123456789abcdefABCDEF")


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    for path in sorted(f for f in site.files if f.endswith(".css")):
        try:
            text = (site.options.site_dir / path).read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
        for url, offset in _references(text):
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


def _references(text: str) -> Iterator[tuple[str, int]]:
    """Each URL a stylesheet loads (data: URIs and `#fragment` references to SVG filters left
    out), with its offset in the text."""
    # Comments are blanked rather than removed, so offsets still count lines.
    plain = _COMMENT.sub(blanked, text)
    for match in _REFERENCE.finditer(plain):
        group = next(g for g in ("dq", "sq", "bare", "idq", "isq") if match[g] is not None)
        url = _CSS_ESCAPE.sub(_unescape, match[group]).strip()
        if not url or url.startswith("#") or url[:5].lower() == "data:":
            continue
        yield url, match.start(group)


def _unescape(escape: re.Match[str]) -> str:
    """A CSS escape: `\\` and a character stands for it, `\\` and hex digits for a code point."""
    body = escape.group(1)
    if body[0] in _HEX:  # the pattern takes hex digits first, as many as there are
        code = int(body.strip(), 16)
        # As CSS says: zero, a surrogate or past the last code point is U+FFFD.
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return body
