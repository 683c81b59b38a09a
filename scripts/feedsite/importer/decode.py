"""Turn a feed file's bytes into clean text: UTF-8 (BOM and CRLF handled), Windows-1252 fallback."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# Characters that cannot appear in a page or a reader feed (XML 1.0, YAML) and that no author
# types on purpose: C0 controls except tab and newline, DEL, C1 controls, and the two
# noncharacters U+FFFE/U+FFFF. Python-Markdown also uses STX/ETX as internal placeholders.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


class DecodeError(Exception):
    """The bytes are not text; the message says what is wrong and what to do."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class DecodedText:
    """The text of a feed file with `\\n` line ends, plus warnings (each with its line or None)."""

    text: str
    warnings: tuple[tuple[int | None, str], ...] = ()


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_feed_bytes(data: bytes) -> DecodedText:
    """Decode one feed file; raise DecodeError for binary data."""
    warnings: list[tuple[int | None, str]] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError(
                "starts with a UTF-16 byte-order mark but is not valid UTF-16; "
                "save the file as UTF-8 text"
            ) from exc
        warnings.append((None, "decoded as UTF-16; save the file as UTF-8 to silence this"))
    else:
        if b"\x00" in data:
            raise DecodeError(
                "looks like a binary file (it contains NUL bytes); feed files must be plain "
                "text: move it out of the feed folder or save it as UTF-8 text",
                _line_of(data, data.index(b"\x00")),
            )
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            # Windows-1252 is what word processors on Windows save as "plain text" (curly
            # quotes, £, €); its five unassigned bytes become U+FFFD rather than a rejection.
            text = data.decode("cp1252", errors="replace")
            warnings.append(
                (
                    _line_of(data, exc.start),
                    "not valid UTF-8; decoded as Windows-1252 "
                    "(check the characters, then save the file as UTF-8 to silence this)",
                )
            )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = CONTROL_CHARS.search(text)
    if first is not None:
        line = text.count("\n", 0, first.start()) + 1
        text, count = CONTROL_CHARS.subn("", text)
        warnings.append((line, f"removed {count} control character(s) that cannot be shown"))
    return DecodedText(text=text, warnings=tuple(warnings))
