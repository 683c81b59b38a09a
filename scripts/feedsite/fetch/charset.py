"""A fetched XML feed whose server names its encoding but whose text does not: saved as UTF-8.

The copy in feed/ is read later without the HTTP headers, and XML that names no encoding is
UTF-8 by definition; a body in another encoding would then be guessed at (as Windows-1252),
which garbles Cyrillic, Greek or CJK text. So when the body has no byte-order mark, names no
encoding in its XML declaration and is not UTF-8, and the Content-Type header's charset
decodes it without error, the copy kept is that text encoded as UTF-8. A body that names its
own encoding is kept byte for byte: the document's word is the one the importer goes by.
"""

from __future__ import annotations

import codecs
from email.message import Message

from feedsite.importer.documents.json_feed import looks_like_json
from feedsite.importer.documents.xml_feed import DECLARES_ENCODING

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def header_charset(content_type: str) -> str | None:
    """The charset parameter of a Content-Type header, when it names a known codec."""
    message = Message()
    message["content-type"] = content_type
    charset = message.get_content_charset()
    if not charset:
        return None
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return None
    # As browsers do (the WHATWG Encoding Standard): these labels mean Windows-1252.
    return "cp1252" if name in ("ascii", "iso8859-1") else name


def as_saved(body: bytes, content_type: str) -> bytes:
    """The bytes to keep for a fetched feed document (see the module's note)."""
    if body.startswith(_BOMS) or looks_like_json(body) or DECLARES_ENCODING.match(body):
        return body
    try:
        body.decode("utf-8")
        return body
    except UnicodeDecodeError:
        pass
    charset = header_charset(content_type)
    if charset is None:
        return body
    try:
        return body.decode(charset).encode("utf-8")
    except UnicodeDecodeError:
        return body  # the header is wrong too: the importer warns about the guess it makes
