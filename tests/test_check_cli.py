"""`feedsite check` run in-process: arguments, exit codes, report formats, colour, config."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from check_support import FIXTURES
from feedsite import cli
from feedsite.check.rules import RULES
from feedsite.cli import run

GOLDENS = Path(__file__).parent / "goldens" / "check"


@pytest.fixture
def scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The source_mapping fixture copied outside any project, as the working directory."""
    folder = tmp_path / "work"
    shutil.copytree(FIXTURES / "source_mapping", folder)
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_report_formats_match_goldens(
    scenario: Path,
    fmt: str,
    capsys: pytest.CaptureFixture[str],
    assert_golden: Callable[[Path, str], None],
) -> None:
    code = run(["check", "--site", "site", "--docs", "docs", "--format", fmt])
    out = capsys.readouterr().out
    assert_golden(GOLDENS / f"source_mapping.{'txt' if fmt == 'text' else fmt}", out)
    assert code == 1


def test_json_report_follows_the_documented_schema(
    scenario: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["check", "--site", "site", "--docs", "docs", "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert document["schema"] == "feedsite-check/1"
    assert set(document["summary"]) == {"pages", "errors", "warnings", "files", "skipped_rules"}
    fields = {"path", "line", "column", "rule", "severity", "message", "link", "target",
              "suggestion"}
    assert document["findings"]
    for finding in document["findings"]:
        assert set(finding) == fields
        assert finding["rule"] in RULES and finding["severity"] in ("error", "warning")
    assert document["summary"]["errors"] == len(document["findings"])


def test_sarif_results_point_at_their_rules(
    scenario: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["check", "--site", "site", "--docs", "docs", "--format", "sarif"])
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0"
    driver = log["runs"][0]["tool"]["driver"]
    for result in log["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_no_sources_names_html_files(scenario: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["check", "--site", "site", "--docs", "docs", "--no-sources"])
    out = capsys.readouterr().out
    assert code == 1
    assert "docs/" not in out
    assert out.startswith("site/index.html\n  4:17     error   link 'guide/#also-missing'")
    assert out.endswith(
        "Source rules skipped: no Markdown sources (--no-sources or no docs folder).\n"
    )


def test_clean_site_exits_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(FIXTURES / "directory_urls_ok" / "site", tmp_path / "site")
    assert run(["check", "--site", "site"]) == 0
    assert capsys.readouterr().out.startswith("No problems found in 2 pages.\n")


def test_missing_site_folder_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["check", "--site", "nowhere"]) == 2
    assert capsys.readouterr().err == (
        f"feedsite check: error: {tmp_path / 'nowhere'}: site folder not found; "
        "build it first (mkdocs build) or pass --site DIR\n"
    )


def test_outside_a_project_without_site_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["check"]) == 2
    assert capsys.readouterr().err == (
        "feedsite check: error: no mkdocs.yml found here or in any parent folder; "
        "run inside a feedsite project or pass --config-file\n"
    )


def test_bad_format_is_a_usage_error(scenario: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "--site", "site", "--format", "xml"]) == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_output_file_gets_the_report_and_stdout_stays_empty(
    scenario: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["check", "--site", "site", "--docs", "docs", "--output", "report.json",
                "--format", "json"])
    assert code == 1
    assert capsys.readouterr().out == ""
    assert json.loads((scenario / "report.json").read_text(encoding="utf-8"))["findings"]
    assert [p.name for p in scenario.iterdir() if p.name.endswith(".tmp")] == []


def test_colour_only_on_a_terminal_and_never_with_no_color(
    scenario: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    run(["check", "--site", "site", "--docs", "docs"])
    assert "\033[" not in capsys.readouterr().out  # captured output is not a terminal
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    run(["check", "--site", "site", "--docs", "docs"])
    assert "\033[31merror  \033[0m" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    run(["check", "--site", "site", "--docs", "docs"])
    assert "\033[" not in capsys.readouterr().out


def test_list_rules_names_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "--list-rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == sorted(RULES)


def write_project(root: Path, pyproject_check: str = "", mkdocs_extra: str = "") -> Path:
    (root / "docs").mkdir(parents=True)
    shutil.copytree(FIXTURES / "config_severity_and_ignores" / "site", root / "site")
    (root / "mkdocs.yml").write_text(
        f"site_name: T\nsite_url: https://example.org/\n{mkdocs_extra}", encoding="utf-8"
    )
    (root / "pyproject.toml").write_text(
        f"[tool.feedsite.check]\n{pyproject_check}", encoding="utf-8"
    )
    return root


def test_unknown_rule_in_config_is_a_usage_error_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_project(tmp_path, 'severity = { "orphan-pages" = "error" }\n')
    monkeypatch.chdir(root)
    assert run(["check"]) == 2
    assert capsys.readouterr().err == (
        f"feedsite check: error: {root / 'pyproject.toml'} [tool.feedsite.check]: severity: "
        "unknown rule 'orphan-pages'\n"
    )


def test_bad_severity_value_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_project(tmp_path, 'severity = { "orphan-page" = "fatal" }\n')
    monkeypatch.chdir(root)
    assert run(["check"]) == 2
    assert capsys.readouterr().err.endswith(
        "severity.orphan-page = 'fatal': use \"error\", \"warning\" or \"off\"\n"
    )


def test_mkdocs_yml_settings_override_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_project(
        tmp_path,
        'severity = { "orphan-page" = "error", "link-target-missing" = "off" }\n',
        "extra:\n  feedsite_check:\n    severity:\n      orphan-page: 'off'\n",
    )
    monkeypatch.chdir(root)
    assert run(["check"]) == 0  # orphan off (mkdocs.yml wins); missing link off (pyproject)
    out = capsys.readouterr().out
    assert "orphan-page" not in out and "link-target-missing" not in out
    assert "javascript-url" in out


def test_standalone_site_is_read_at_its_canonical_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Outside a project, root-relative links follow the home page's canonical URL, as
    MkDocs writes site_url there; --site-url overrides it."""
    site = tmp_path / "site"
    (site / "sub").mkdir(parents=True)
    (site / "index.html").write_text(
        '<html><head><link rel="canonical" href="https://example.org/health/"></head><body>'
        '<main><h1>Home</h1><p><a href="/health/sub/">in the site</a>\n'
        '<a href="/elsewhere/">outside it</a></p></main></body></html>',
        encoding="utf-8",
    )
    (site / "sub" / "index.html").write_text(
        '<main><h1>Sub</h1><p><a href="../">home</a></p></main>', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert run(["check", "--site", "site"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(
        "site/index.html\n"
        "  2:1      error   link '/elsewhere/' leads outside the site root (to /elsewhere/)  "
        "link-escapes-site\n"
    )
    assert "/health/sub/" not in out
    assert run(["check", "--site", "site", "--site-url", "https://example.org/"]) == 1
    out = capsys.readouterr().out
    assert "link '/health/sub/': no page or file at health/sub/index.html" in out


def test_broken_mkdocs_yml_is_reported_even_with_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_project(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    monkeypatch.chdir(root)
    assert run(["check", "--site", "site"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"feedsite check: error: {root / 'mkdocs.yml'}:2: invalid YAML: ")


@pytest.mark.parametrize(("argv", "frozen"), [(["check", "--list-rules"], 1), (["--version"], 0)])
def test_check_leaves_its_objects_out_of_the_collection_at_exit(
    argv: list[str], frozen: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The console script freezes what a check leaves before exiting (the interpreter's final
    collection would walk it all for nothing); other commands exit as usual."""
    calls: list[None] = []
    monkeypatch.setattr(cli.gc, "freeze", lambda: calls.append(None))
    monkeypatch.setattr(sys, "argv", ["feedsite", *argv])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 0
    assert len(calls) == frozen
