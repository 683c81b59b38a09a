"""Slugs: readable, transliterated, capped, unique for equal titles and stable across retitles."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedsite.importer.slug import MAX_SLUG_CHARS, assign_slugs, base_slug, slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Regrowth and Restoration: The Science", "regrowth-and-restoration-the-science"),
        ("Is it safe?", "is-it-safe"),
        ("Crème brûlée & Œuvre", "creme-brulee-oeuvre"),
        ("Straße für Ärzte", "strasse-fur-arzte"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c", "a-b-c"),
        ("Ελληνικά άρθρα", "ελληνικά-άρθρα"),
        ("हिन्दी स्वास्थ्य", "हिन्दी-स्वास्थ्य"),
        ("日本語の記事", "日本語の記事"),
        ("snake_case and x²", "snake-case-and-x2"),
        ("  ---  ", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_long_titles_are_cut_at_a_word() -> None:
    slug = slugify("word " * 40)
    assert len(slug) <= MAX_SLUG_CHARS
    assert slug == "-".join(["word"] * 16)


def test_titles_without_letters_fall_back_to_the_file_name() -> None:
    assert base_slug("!!! ???", "007_abc.txt") == "007-abc"
    assert base_slug("Index", "index.txt") == "article"
    assert base_slug("README", "004_x.txt") == "004-x"


def test_equal_titles_get_numbered_slugs_in_feed_order() -> None:
    slugs = assign_slugs([("a.txt", "Same"), ("b.txt", "Same"), ("c.txt", "same!")], {}, [])
    assert slugs == {"a.txt": "same", "b.txt": "same-2", "c.txt": "same-3"}


def test_existing_pages_keep_their_slug_when_the_title_changes() -> None:
    slugs = assign_slugs([("a.txt", "New Title"), ("b.txt", "Old Title")],
                         {"a.txt": "old-title"}, [])
    assert slugs == {"a.txt": "old-title", "b.txt": "old-title-2"}


def test_hand_written_pages_block_their_slug() -> None:
    assert assign_slugs([("a.txt", "About")], {}, ["about"]) == {"a.txt": "about-2"}


SAFE = st.text(st.characters(blacklist_categories=["Cs"]), max_size=300)


@given(st.lists(SAFE, min_size=1, max_size=8))
def test_slugs_are_always_plain_unique_names(titles: list[str]) -> None:
    articles = [(f"{n:03d}_x.txt", t) for n, t in enumerate(titles)]
    slugs = assign_slugs(articles, {}, [])
    values = list(slugs.values())
    assert len({v.casefold() for v in values}) == len(values)
    for slug in values:
        assert slug and len(slug) <= MAX_SLUG_CHARS
        assert "/" not in slug and "\\" not in slug and not slug.startswith(".")
        assert slug == slug.casefold() and slug == slug.strip("-")
        assert all(c == "-" or c.isalnum() or unicodedata.category(c).startswith("M")
                   for c in slug)
    assert assign_slugs(articles, {}, []) == slugs  # deterministic
