"""Encodings: BOM, CRLF and CR, Windows-1252 and UTF-16 fallbacks, control characters."""

from __future__ import annotations

import codecs

import pytest

from conftest import TmpProject
from feedsite.cli import run
from feedsite.importer.decode import DecodeError, decode_feed_bytes
from feedsite.importer.read import read_feed

ARTICLE = "Café Prices\n\nIt costs £5 – “cheap”.\n\nWhy So?\n\nBecause.\n"


@pytest.mark.parametrize(
    "data",
    [
        ARTICLE.encode(),
        codecs.BOM_UTF8 + ARTICLE.encode(),
        ARTICLE.replace("\n", "\r\n").encode(),
        ARTICLE.replace("\n", "\r").encode(),
        codecs.BOM_UTF8 + ARTICLE.replace("\n", "\r\n").encode(),
    ],
    ids=["utf8", "bom", "crlf", "cr", "bom-crlf"],
)
def test_utf8_variants_decode_to_the_same_text_without_warnings(data: bytes) -> None:
    decoded = decode_feed_bytes(data)
    assert decoded.text == ARTICLE
    assert decoded.warnings == ()


def test_windows_1252_is_decoded_with_a_warning_naming_the_line() -> None:
    decoded = decode_feed_bytes(ARTICLE.encode("cp1252"))
    assert decoded.text == ARTICLE
    assert decoded.warnings == ((1, "not valid UTF-8; decoded as Windows-1252 (check the "
                                    "characters, then save the file as UTF-8 to silence this)"),)


def test_utf16_with_bom_is_decoded_with_a_warning() -> None:
    decoded = decode_feed_bytes(ARTICLE.encode("utf-16"))
    assert decoded.text == ARTICLE
    assert decoded.warnings == ((None, "decoded as UTF-16; save the file as UTF-8 to silence "
                                       "this"),)


def test_control_characters_are_removed_with_a_warning() -> None:
    decoded = decode_feed_bytes(b"Title\n\nA\x02B\x1bC\x7f.\n")
    assert decoded.text == "Title\n\nABC.\n"
    assert decoded.warnings == ((3, "removed 3 control character(s) that cannot be shown"),)


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(DecodeError) as caught:
        decode_feed_bytes(b"Title\n\nok\n\x00")
    assert caught.value.line == 4


def test_cp1252_file_is_imported_and_the_warning_does_not_fail_the_run(
    project: TmpProject, capsys: pytest.CaptureFixture[str],
) -> None:
    project.write_feed("001_cafe.txt", ARTICLE.replace("\n", "\r\n").encode("cp1252"))
    code = run(["import", "-q", "-f", str(project.config_file), "--today", "2026-01-10"])
    assert code == 0
    assert capsys.readouterr().err == (
        "feed/001_cafe.txt:1: warning: not valid UTF-8; decoded as Windows-1252 (check the "
        "characters, then save the file as UTF-8 to silence this)\n")
    page = (project.articles / "cafe-prices.md").read_text(encoding="utf-8")
    assert "It costs £5 – “cheap”." in page
    assert "\r" not in page


def test_feed_order_is_by_file_name(project: TmpProject) -> None:
    for name in ("010_c.txt", "002_b.txt", "001_a.txt"):
        project.write_feed(name, f"{name}\n\nText.\n")
    project.write_feed(".hidden.txt", "Hidden\n\nText.\n")
    project.write_feed("notes.md", "Not\n\nFeed.\n")
    read = read_feed(project.feed, project.root)
    assert [a.source for a in read.articles] == ["001_a.txt", "002_b.txt", "010_c.txt"]
