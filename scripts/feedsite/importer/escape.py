"""Escape feed text so Markdown (with every extension mkdocs.yml enables) shows it literally.

Characters that Markdown or an extension could read as syntax become HTML numeric character
references (`*` -> `&#42;`). Unlike backslash escapes, which each extension honours for its
own set of characters, a character reference is never syntax to any block or inline
processor, and the browser shows the character itself, so the text of the built page equals
the source text. Characters that only mean something at the start of a block (`-`, `+`,
`!!!`, `???`, `1986.`) are escaped only there, which keeps generated pages readable.
"""

from __future__ import annotations

import re

# Meaningful anywhere in a line: emphasis, code, links, footnotes, raw HTML and entities,
# backslash escapes, attribute lists, tables, headings' closing hashes, tildes (fences,
# strikethrough), caret/mark/keys (`^^`, `==`, `++`), `$` (math).
_ALWAYS = frozenset("\\`*_{}[]<>&|#~^=+$")
# Meaningful only as the first character of a block: list and rule markers, admonitions
# (`!!!`), details (`???`), definition lists and `:::` fences, `///` blocks, snippets.
_AT_START = frozenset("-+!?:%/")
# `1986. ` or `3) ` at the start of a block would begin an ordered list.
_NUMBER_MARKER = re.compile(r"^(\d+)([.)])")
# `:name:` emoji shortcodes and `://` autolinks need a colon followed by a non-space character.
_COLON_BEFORE_TEXT = re.compile(r":(?=\S)")
# A regex finds the few special characters in C; str.translate walks every character.
_ALWAYS_RE = re.compile("[" + re.escape("".join(sorted(_ALWAYS))) + "]")


def _ref(char: str) -> str:
    return f"&#{ord(char)};"


def escape_inline(text: str) -> str:
    """Escape one line of text for use inside a paragraph, heading, list item or link text."""
    out = _ALWAYS_RE.sub(lambda m: _ref(m.group()), text)
    return _COLON_BEFORE_TEXT.sub("&#58;", out)


def escape_block(text: str) -> str:
    """Escape one line of text that starts a block (paragraph, heading text, list item)."""
    return escape_start(text.strip())


def escape_start(text: str) -> str:
    """Escape text that starts a block, as it is (`escape_block` without the trimming)."""
    number = _NUMBER_MARKER.match(text)
    if number is not None:
        digits, mark = number.groups()
        return digits + _ref(mark) + escape_inline(text[number.end() :])
    if text and text[0] in _AT_START:
        return _ref(text[0]) + escape_inline(text[1:])
    return escape_inline(text)
