"""Character references left in fields that are plain text.

Generators escape names and titles for HTML and then put them where plain text belongs: a
WordPress category arrives as `<![CDATA[News &amp; Events]]>`, and many JSON Feeds carry
titles such as "Don&#8217;t panic". Feed readers decode them; so does the importer. A known
reference (`&amp;`, `&#8217;`) is decoded once; anything else stays as written.
"""

from __future__ import annotations

import html
import re

_REFERENCE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def decode_references(text: str) -> str:
    """`text` with the character references it holds decoded."""
    return html.unescape(text) if _REFERENCE.search(text) else text
