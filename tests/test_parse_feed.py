"""The feed format: title, blocks, the heading rule, lists, wrapped lines and source lines."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedsite.importer.models import Block
from feedsite.importer.parse import ParseError, is_heading_text, parse_article


def parse(text: str) -> tuple[str, tuple[Block, ...]]:
    article = parse_article("a.txt", text, "0" * 64)
    return article.title, article.blocks


def test_title_is_first_non_blank_line_and_blocks_keep_their_lines() -> None:
    text = "\n\n  My Title  \n\nFirst line of intro\nwrapped here.\n\nWhat It Is\n\nBody.\n"
    article = parse_article("a.txt", text, "f" * 64)
    assert (article.title, article.title_line) == ("My Title", 3)
    assert article.blocks == (
        Block("paragraph", "First line of intro wrapped here.", 5),
        Block("heading", "What It Is", 8),
        Block("paragraph", "Body.", 10),
    )
    assert article.source == "a.txt"
    assert article.source_sha256 == "f" * 64


def test_lines_right_after_the_title_start_the_first_paragraph() -> None:
    assert parse("Title\nIntro goes on.\n")[1] == (Block("paragraph", "Intro goes on.", 2),)


def test_whitespace_only_lines_separate_blocks() -> None:
    assert parse("T\n\nOne.\n \t \nTwo.\n")[1] == (
        Block("paragraph", "One.", 3), Block("paragraph", "Two.", 5))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Is it safe?", True),
        ("Stop smoking now!", True),
        ("The Mechanism of Action", True),
        ("Vitamin D (calciferol)", True),
        ("2024 Guidelines", True),
        ("Änderungen im Überblick", True),
        ("心脏健康", True),
        ('What "normal" means', True),
        ("This is a sentence.", False),
        ('He said "stop."', False),
        ("First, the basics,", False),
        ("Note:", False),
        ("and then it continued", False),
        ("iPhone apps for health", False),
        ("2024", False),
        ("3.5%", False),
        ("***", False),
        ("Wait for it…", False),
        (" ".join(["Word"] * 15), True),
        (" ".join(["Word"] * 16), False),
        ("W" * 120, True),
        ("W" * 121, False),
    ],
)
def test_heading_rule(line: str, expected: bool) -> None:
    assert is_heading_text(line) is expected
    kind = parse(f"Title\n\n{line}\n\nBody.\n")[1][0].kind
    assert kind == ("heading" if expected else "paragraph")


def test_a_short_block_of_two_lines_is_a_paragraph() -> None:
    assert parse("T\n\nShort Line\nAnother Short Line\n")[1] == (
        Block("paragraph", "Short Line Another Short Line", 3),)


def test_list_items_with_dash_star_and_numbers() -> None:
    blocks = parse("T\n\n- one\n* two\n  continued\n\n1. first\n12. twelfth\n")[1]
    assert blocks == (
        Block("list", "", 3, ("one", "two continued"), False),
        Block("list", "", 7, ("first", "twelfth"), True),
    )


def test_paragraph_then_list_in_one_block() -> None:
    assert parse("T\n\nYou need:\n- water\n- rest\n")[1] == (
        Block("paragraph", "You need:", 3),
        Block("list", "", 4, ("water", "rest"), False),
    )


def test_switching_bullets_and_numbers_starts_a_new_list() -> None:
    assert parse("T\n\n- a\n1. b\n")[1] == (
        Block("list", "", 3, ("a",), False), Block("list", "", 4, ("b",), True))


@pytest.mark.parametrize("line", ["1986. A good year.", "-not a list", "*emphasis*", "100. x"])
def test_lines_that_only_look_like_lists_stay_text(line: str) -> None:
    blocks = parse(f"T\n\n{line}\n")[1]
    assert [b.kind for b in blocks] != ["list"]
    assert line in (blocks[0].text,)


def test_empty_article_is_rejected_with_line() -> None:
    with pytest.raises(ParseError) as caught:
        parse(" \n\t\n")
    assert (caught.value.line, caught.value.message) == (
        1,
        "is empty or holds only whitespace; write the title on the first line and the article "
        "below it, or delete the file",
    )


def test_title_without_body_is_rejected_at_the_title_line() -> None:
    with pytest.raises(ParseError) as caught:
        parse("\n\nLonely Title\n\n \n")
    assert (caught.value.line, caught.value.message) == (
        3,
        "has a title but no body; add the article text below the title, separated by a blank "
        "line",
    )


_LINE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40)


@given(st.lists(st.lists(_LINE, min_size=1, max_size=4), min_size=1, max_size=6))
def test_every_word_of_the_source_is_in_the_article_in_order(groups: list[list[str]]) -> None:
    text = "Title\n\n" + "\n\n".join("\n".join(g) for g in groups) + "\n"
    if not any(line.strip() for group in groups for line in group):
        return
    article = parse_article("a.txt", text, "0" * 64)
    parsed_words: list[str] = []
    for block in article.blocks:
        for piece in block.items if block.kind == "list" else (block.text,):
            parsed_words.extend(piece.split())
    # List markers are structure, not text: drop them from the expectation.
    expected: list[str] = []
    for group in groups:
        for line in group:
            words = line.split()
            if len(words) > 1 and re.fullmatch(r"[-*]|[0-9]{1,2}\.", words[0]):
                words = words[1:]
            expected.extend(words)
    assert parsed_words == expected

