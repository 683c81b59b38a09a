"""Page rendering: the seed article's golden Markdown, front matter, description and checksum."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedsite.importer.decode import decode_feed_bytes
from feedsite.importer.facts import describe, reading_minutes
from feedsite.importer.frontmatter import is_generated, is_hand_edited, split_page
from feedsite.importer.models import Article, Block
from feedsite.importer.parse import parse_article
from feedsite.importer.render import Neighbour, PageInfo, render_page

REPO = Path(__file__).resolve().parents[1]
GOLDENS = Path(__file__).parent / "goldens" / "import"
SEED = "000_11d43863778f376e.txt"


def seed_article() -> Article:
    data = (REPO / "feed" / SEED).read_bytes()
    return parse_article(SEED, decode_feed_bytes(data).text, hashlib.sha256(data).hexdigest())


def test_seed_article_matches_golden(assert_golden: Callable[[Path, str], None]) -> None:
    info = PageInfo(
        published=dt.date(2026, 11, 26),
        next=Neighbour("Another: article", "articles/another-article.md"),
    )
    assert_golden(GOLDENS / "seed_article.md", render_page(seed_article(), info))


def test_front_matter_holds_the_contract_keys() -> None:
    article = seed_article()
    info = PageInfo(dt.date(2026, 1, 2), dt.date(2026, 3, 4),
                    Neighbour("Prev", "articles/prev.md"), None,
                    (("reviewed", dt.date(2026, 2, 1)),))
    page = split_page(render_page(article, info))
    assert page is not None
    meta = page.meta
    assert list(meta) == ["title", "description", "source", "source_sha256", "published",
                          "updated", "reviewed", "reading_time", "words", "reading_grade",
                          "smog_grade", "hardest_sentences", "previous", "generator", "checksum"]
    assert meta["title"] == article.title
    assert meta["source"] == SEED
    assert meta["source_sha256"] == article.source_sha256
    assert (meta["published"], meta["updated"]) == (dt.date(2026, 1, 2), dt.date(2026, 3, 4))
    assert meta["previous"] == {"title": "Prev", "url": "articles/prev.md"}
    assert meta["reading_time"] == reading_minutes(meta["words"])
    assert is_generated(page) and not is_hand_edited(page)


def test_editing_the_body_or_generated_keys_is_a_hand_edit_but_review_keys_are_not() -> None:
    text = render_page(seed_article(), PageInfo(dt.date(2026, 1, 2)))
    edited_body = split_page(text.replace("Hair loss is", "Hair fall is", 1).replace(
        "Hair loss is", "Hair fall is"))
    assert edited_body is not None and is_hand_edited(edited_body)
    assert "\nreading_time: 3\n" in text
    edited_key = split_page(text.replace("reading_time: 3", "reading_time: 9"))
    assert edited_key is not None and is_hand_edited(edited_key)
    reviewed = split_page(text.replace(
        "\nchecksum:", "\nreviewed: 2026-05-01\nreview_due: 2027-05-01\nchecksum:", 1))
    assert reviewed is not None and reviewed.meta["review_due"] == dt.date(2027, 5, 1)
    assert reviewed is not None and not is_hand_edited(reviewed)


def _article(first: str) -> Article:
    return Article("a.txt", "T", 1, (Block("paragraph", first, 3),), "0" * 64)


@pytest.mark.parametrize(
    ("first", "description"),
    [
        ("One. Two. Three.", "One. Two. Three."),
        ("A" * 100 + ". " + "B" * 70 + ".", "A" * 100 + "."),
        ("Is it safe? Mostly! " + "X" * 150, "Is it safe? Mostly!"),
        ("In 1986. was a year. Then more.", "In 1986. was a year. Then more."),
        (("word " * 60).strip(), ("word " * 32).strip() + "…"),
    ],
)
def test_description_takes_whole_first_sentences(first: str, description: str) -> None:
    assert describe(_article(first)) == description


@given(st.text(min_size=1, max_size=500).filter(str.strip))
def test_description_is_short_and_comes_from_the_text(text: str) -> None:
    description = describe(_article(" ".join(text.split())))
    assert 0 < len(description) <= 160
    assert description.rstrip("…").split()[0] in text


@given(title=st.text(st.characters(blacklist_categories=["Cs"]), min_size=1)
       .filter(str.strip))
def test_any_title_survives_the_front_matter_round_trip(title: str) -> None:
    article = Article("a.txt", title.strip(), 1, (Block("paragraph", "Body.", 3),), "0" * 64)
    page = split_page(render_page(article, PageInfo(dt.date(2026, 1, 1))))
    assert page is not None
    assert page.meta["title"] == title.strip()
    assert not is_hand_edited(page)
