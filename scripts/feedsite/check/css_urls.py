"""The URLs CSS loads: `url(...)`, `@import "..."` and the images of `image-set(...)`, read
the way a browser tokenizes CSS, so a URL-like text inside a string or comment is not one."""

from __future__ import annotations

import re
from collections.abc import Iterator

from feedsite.check.text_places import blanked

_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)  # an unclosed one runs to the end
_STRING = r"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
# Left to right, a string is one token: "url(x)" inside `content: "..."` is text.
_TOKEN = re.compile(
    r"""(?<![\w-])url\(\s*(?:"(?P<dq>(?:[^"\\\n]|\\.)*)"|'(?P<sq>(?:[^'\\\n]|\\.)*)'"""
    r"""|(?P<bare>(?:[^()\s"'\\]|\\.)*))\s*\)"""
    r"""|@import\s+(?:"(?P<idq>(?:[^"\\\n]|\\.)*)"|'(?P<isq>(?:[^'\\\n]|\\.)*)')"""
    rf"""|(?<![\w-])(?:-webkit-)?image-set\((?P<set>(?:{_STRING}|[^()"']|\([^()]*\))*)\)"""
    rf"""|{_STRING}""",
    re.I | re.S,
)
_SET_STRING = re.compile(r"""(?:"(?P<dq>(?:[^"\\\n]|\\.)*)"|'(?P<sq>(?:[^'\\\n]|\\.)*)')""")
_FUNCTION = re.compile(r"[\w-]+\([^()]*\)")  # url(...) or type("image/avif") in an image-set
_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}\s?|.)", re.S)
_HEX = frozenset("0123456789abcdefABCDEF")
_GROUPS = ("dq", "sq", "bare", "idq", "isq")


def css_references(text: str) -> Iterator[tuple[str, int]]:
    """Each URL `text` (a stylesheet, a <style> block or a style attribute) loads, unescaped,
    with its offset in `text`; data: URIs and `#fragment` references (SVG filters) left out."""
    plain = _COMMENT.sub(blanked, text)  # blanked, so offsets still count lines
    for token in _TOKEN.finditer(plain):
        group = next((g for g in _GROUPS if token[g] is not None), None)
        if group is not None:
            yield from _kept(token[group], token.start(group))
        elif token["set"] is not None:
            start = token.start("set")
            for image in _TOKEN.finditer(token["set"]):  # url(...) inside image-set
                inner = next((g for g in _GROUPS if image[g] is not None), None)
                if inner is not None:
                    yield from _kept(image[inner], start + image.start(inner))
            # "x.png" 1x: the strings left once the functions (url, type) are blanked.
            for image in _SET_STRING.finditer(_FUNCTION.sub(blanked, token["set"])):
                inner = "dq" if image["dq"] is not None else "sq"
                yield from _kept(image[inner], start + image.start(inner))


def _kept(written: str, offset: int) -> Iterator[tuple[str, int]]:
    url = _ESCAPE.sub(_unescape, written).strip()
    if url and not url.startswith("#") and url[:5].lower() != "data:":
        yield url, offset


def _unescape(escape: re.Match[str]) -> str:
    """A CSS escape: `\\` and a character stands for it, `\\` and hex digits for a code point."""
    body = escape.group(1)
    if body[0] in _HEX:  # the pattern takes hex digits first, as many as there are
        code = int(body.strip(), 16)
        # As CSS says: zero, a surrogate or past the last code point is U+FFFD.
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return body
