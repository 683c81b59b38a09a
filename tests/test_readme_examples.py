"""The README's feed-format examples import to exactly the structure the README says they do."""

from __future__ import annotations

import re
from pathlib import Path

from feedsite.importer.decode import decode_feed_bytes
from feedsite.importer.parse import parse_article

README = Path(__file__).resolve().parents[1] / "README.md"

# For each ```text example of the feed-format section, in order: the README's sentence that
# describes it, and that description as data (title, then (kind, text or items) per block).
CLAIMS = [
    (
        'gives the title, an introduction paragraph, a section "What Causes It?" with a '
        "paragraph (the two\nlines joined), a two-item list, and a paragraph starting \"1986.\".",
        "Is Hair Loss Reversible?",
        [
            ("paragraph", "Many kinds of hair loss can be slowed, and some reversed. This "
             "article explains which."),
            ("heading", "What Causes It?"),
            ("paragraph", "Hair grows in cycles. When follicles shrink, hairs grow thinner."),
            ("list", ("Genetics", "Stress")),
            ("paragraph", "1986. was the year the first topical treatment was approved."),
        ],
    ),
]


def feed_format_examples() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Writing articles: the feed format", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```text\n(.*?)```", section, flags=re.DOTALL)


def test_every_feed_format_example_has_its_claim_checked() -> None:
    assert len(feed_format_examples()) == len(CLAIMS)
    readme = README.read_text(encoding="utf-8")
    for sentence, _title, _blocks in CLAIMS:
        assert sentence in readme


def test_feed_format_examples_import_as_the_readme_says() -> None:
    for example, (_sentence, title, blocks) in zip(feed_format_examples(), CLAIMS, strict=True):
        article = parse_article("example.txt", decode_feed_bytes(example.encode()).text, "0")
        assert article.title == title
        found = [(b.kind, b.items if b.kind == "list" else b.text) for b in article.blocks]
        assert found == blocks
