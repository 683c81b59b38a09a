"""Reading grades for authors: measured offline, stored by the importer, warned about by
`feedsite check` at the hardest sentence's line, listed by `feedsite report`, never shown."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import TmpProject
from feedsite.cli import run
from feedsite.importer.frontmatter import split_page
from feedsite.importer.parse import parse_article
from feedsite.importer.readability import (
    Passage,
    hardest_sentences,
    measure,
    readability_meta,
    sentences_of,
    syllables,
)
from feedsite.importer.render import PageInfo, render_page

PLAIN = "The cat sat on the mat. We went to the shop. It was a good day for a walk."
DENSE = (
    "Pharmacological interventions necessitate comprehensive individualized evaluation "
    "considering comorbidities, contraindications and potential adverse interactions."
)
EASY_ARTICLE = """\
Sleep Well

Sleep helps you feel good. Go to bed at the same time each night.

Tips

Keep your room dark and cool. Put your phone away an hour before bed.
"""
HARD_ARTICLE = f"""\
Therapeutic Considerations

We look at the options here. They are many.

Evidence

{DENSE} Most people feel better.

Consequently, practitioners frequently recommend multidisciplinary
rehabilitation programmes incorporating physiotherapy, psychological
counselling and occupational therapy.

Summary

Ask your doctor. Take your time.
"""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection, or to download an NLTK corpus, fails the test."""

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("readability tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    import nltk

    monkeypatch.setattr(nltk, "download", refuse)


def test_grades_are_measured_without_any_download(no_network: None) -> None:
    syllables.cache_clear()
    figures = measure([Passage(1, PLAIN), Passage(3, DENSE)])
    assert figures.words == len(PLAIN.split()) + len(DENSE.split())
    assert figures.sentences == 4


def test_plain_text_scores_lower_than_dense_text() -> None:
    plain, dense = measure([Passage(1, PLAIN)]), measure([Passage(1, DENSE)])
    assert plain.grade < 5 < 12 < dense.grade
    assert plain.smog < dense.smog


def test_a_list_item_without_a_full_stop_still_ends_its_sentence() -> None:
    items = [Passage(n, f"Eat more green leafy vegetables every day number {n}") for n in range(5)]
    assert measure(items).sentences == 5
    assert measure([Passage(1, " ".join(p.text for p in items))]).sentences == 1


def test_short_fragments_are_not_sentences_as_in_textstat() -> None:
    assert sentences_of("Yes. No. This one is a real sentence.") == [
        "This one is a real sentence."
    ]


def test_hardest_sentences_come_first_with_their_lines() -> None:
    middle = "Regular physical activity improves cardiovascular health."
    passages = [Passage(3, PLAIN), Passage(7, f"{middle} {DENSE}"), Passage(9, "")]
    hardest = hardest_sentences(passages, 2)
    assert [(s.line, s.text) for s in hardest] == [(7, DENSE), (7, middle)]
    assert hardest[0].grade > hardest[1].grade


def test_a_long_dense_sentence_outweighs_a_short_one_with_a_long_word() -> None:
    short = "Physiotherapy supports recovery."
    long = ("People who have had an operation on their knee often find that gentle, regular "
            "physiotherapy exercises help them walk comfortably again within a few weeks.")
    hardest = hardest_sentences([Passage(1, short), Passage(2, long)], 1)
    assert [s.line for s in hardest] == [2]
    # Its own grade is lower; what it adds to the article's grade is higher.
    assert hardest_sentences([Passage(1, short)])[0].grade > hardest[0].grade


@given(st.lists(st.text(max_size=200), max_size=6))
def test_any_text_gives_finite_repeatable_figures(texts: list[str]) -> None:
    passages = [Passage(n, text) for n, text in enumerate(texts, 1)]
    first, again = measure(passages), measure(list(passages))
    assert first == again
    assert first.grade == first.grade and first.smog == first.smog  # not NaN
    assert len(hardest_sentences(passages)) <= 3


def test_importer_stores_both_grades_in_the_front_matter() -> None:
    article = parse_article("010_hard.txt", HARD_ARTICLE, "")
    info = PageInfo(dt.date(2026, 1, 2))
    page = split_page(render_page(article, info))
    assert page is not None
    assert page.meta["reading_grade"] == readability_meta(article)["reading_grade"]
    assert page.meta["smog_grade"] == readability_meta(article)["smog_grade"]
    assert page.meta["reading_grade"] > 8
    assert render_page(article, info) == render_page(article, info)


def _imported(project: TmpProject) -> None:
    project.write_feed("010_hard.txt", HARD_ARTICLE)
    project.write_feed("020_easy.txt", EASY_ARTICLE)
    assert run(["import", "-q", "-f", str(project.config_file), "--today", "2026-11-26"]) == 0


def test_report_lists_articles_hardest_first(
    project: TmpProject, capsys: pytest.CaptureFixture[str]
) -> None:
    _imported(project)
    capsys.readouterr()
    assert run(["report", "-f", str(project.config_file), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["target"] == 8
    titles = [a["title"] for a in data["articles"]]
    assert titles == ["Therapeutic Considerations", "Sleep Well"]
    grades = [a["grade"] for a in data["articles"]]
    assert grades[0] > 8 >= grades[1]

    assert run(["report", "-f", str(project.config_file)]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[1].split()[0] == f"{grades[0]:.1f}*"
    assert "Therapeutic Considerations (articles/" in text[1]
    assert text[-1].startswith("2 article(s) listed; 1 above grade 8 (marked *)")


def _built(project: TmpProject) -> Path:
    site = project.root / "site"
    # The pages are imported already; build them without the project's hooks.
    config = project.root / "build-only.yml"
    config.write_text("INHERIT: mkdocs.yml\nhooks: []\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
        capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        cwd=project.root, check=False,
    )
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.slow
def test_check_warns_at_the_hardest_sentence_and_readers_never_see_the_grade(
    project: TmpProject, capsys: pytest.CaptureFixture[str]
) -> None:
    _imported(project)
    site = _built(project)
    capsys.readouterr()
    code = run(["check", "-f", str(project.config_file), "--site", str(site),
                "--format", "json"])
    findings = [f for f in json.loads(capsys.readouterr().out)["findings"]
                if f["rule"] == "reading-grade"]
    assert code == 0  # a warning, not an error
    assert len(findings) == 1, findings
    (finding,) = findings
    md = project.articles / Path(finding["path"]).name
    lines = md.read_text(encoding="utf-8").splitlines()
    assert finding["path"].endswith(".md") and "therapeutic" in finding["path"]
    # The long, dense "Consequently, ..." sentence weighs most; the finding points at its line
    # (the importer joined its hard-wrapped feed lines into one).
    assert lines[finding["line"] - 1].startswith("Consequently, practitioners")
    assert finding["message"].count("line ") == 3
    assert "Pharmacological interventions" in finding["message"]
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "reading_grade" not in text and "smog" not in text.lower(), html


def test_configured_grade_silences_the_warning(
    project: TmpProject, capsys: pytest.CaptureFixture[str]
) -> None:
    _imported(project)
    site = _built(project)
    with (project.root / "pyproject.toml").open("a", encoding="utf-8") as settings:
        settings.write("\n[tool.feedsite.check]\nmax_reading_grade = 30\n")
    capsys.readouterr()
    run(["check", "-f", str(project.config_file), "--site", str(site), "--format", "json"])
    rules = {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert "reading-grade" not in rules


def test_a_bad_grade_setting_is_a_one_line_error(
    project: TmpProject, capsys: pytest.CaptureFixture[str]
) -> None:
    with (project.root / "pyproject.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n[tool.feedsite.check]\nmax_reading_grade = "easy"\n')
    assert run(["report", "-f", str(project.config_file)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "pyproject.toml [tool.feedsite.check]: max_reading_grade must be" in err


def test_markdown_passages_are_the_prose_with_their_lines() -> None:
    from feedsite.check.checks.readability import markdown_passages

    text = (
        "---\ntitle: x\n---\n\n# Title \\*here\\*\n\nFirst line of a\nwrapped *paragraph* "
        "with `code`.\n\n## A section\n\n- item one\n- item two\n\n<div>raw html</div>\n"
    )
    assert markdown_passages(text) == [
        Passage(7, "First line of a wrapped paragraph with code."),
        Passage(12, "item one"),
        Passage(13, "item two"),
    ]


def test_pages_without_recorded_grades_are_measured_from_their_markdown(
    project: TmpProject, capsys: pytest.CaptureFixture[str]
) -> None:
    _imported(project)
    for md in project.articles.glob("*.md"):
        kept = [line for line in md.read_text(encoding="utf-8").splitlines(keepends=True)
                if not line.startswith(("reading_grade:", "smog_grade:"))]
        md.write_text("".join(kept), encoding="utf-8")
    capsys.readouterr()
    assert run(["report", "-f", str(project.config_file), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [a["title"] for a in data["articles"]] == ["Therapeutic Considerations", "Sleep Well"]
    assert data["articles"][0]["grade"] > 8 >= data["articles"][1]["grade"]


def test_report_leaves_out_articles_in_another_language(
    project: TmpProject, capsys: pytest.CaptureFixture[str]
) -> None:
    _imported(project)
    for md in project.articles.glob("*.md"):
        if not md.read_text(encoding="utf-8").startswith('---\ntitle: "Therapeutic'):
            continue
        # As the importer writes a French item: a language and no English grades.
        kept = [line for line in md.read_text(encoding="utf-8").splitlines(keepends=True)
                if not line.startswith(("reading_grade:", "smog_grade:"))]
        kept.insert(1, 'language: "fr-ch"\n')
        md.write_text("".join(kept), encoding="utf-8")
    capsys.readouterr()
    assert run(["report", "-f", str(project.config_file), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [a["title"] for a in data["articles"]] == ["Sleep Well"]
