"""The CLI dispatcher: exit codes for usage errors, and every command reachable."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedsite.cli import run
from feedsite.commands import COMMAND_MODULES


def test_no_command_and_unknown_command_are_usage_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run([]) == 2
    assert run(["bogus"]) == 2
    assert "invalid choice: 'bogus'" in capsys.readouterr().err


def test_an_unknown_option_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--nope"]) == 2
    assert capsys.readouterr().err.endswith(
        "feedsite: error: unrecognized arguments: --nope\n")


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    for name in COMMAND_MODULES:
        assert f"    {name} " in out


@pytest.mark.parametrize("name", list(COMMAND_MODULES))
def test_each_command_has_its_own_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run([name, "--help"]) == 0
    assert capsys.readouterr().out.startswith(f"usage: feedsite {name}")


def test_headers_defaults_to_the_projects_site_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nsite_dir: public\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(["headers"]) == 2
    assert f"{tmp_path.resolve() / 'public'}: no index.html here" in capsys.readouterr().err
