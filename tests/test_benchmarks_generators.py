"""The benchmark generators produce what they claim: feed text in the feed format, and sites
whose only broken links are the planted ones, judged by a small oracle independent of them."""

from __future__ import annotations

import posixpath
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

# benchmarks/ is a folder of scripts beside the package; make it importable from tests.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import check_peers, peers  # noqa: E402
from benchmarks.planted_site import KINDS, PlantedDefect, defect_count, github_slug  # noqa: E402
from benchmarks.synthetic_feed import generate, make_article  # noqa: E402

from feedsite.importer.parse import parse_article  # noqa: E402

# --- synthetic feed ------------------------------------------------------------------------


def test_article_content_depends_only_on_seed_and_index() -> None:
    small, large = make_article(7, 100, seed=3), make_article(7, 10_000, seed=3)
    assert (small.title, small.intro, small.sections) == (large.title, large.intro,
                                                          large.sections)
    assert small.file_name == "007_" + small.file_name[4:]
    assert large.file_name.startswith("0007_")  # width of the largest index, 9999
    assert make_article(7, 100, seed=4).text != small.text


def test_file_names_sort_in_feed_order_and_are_unique() -> None:
    names = [a.file_name for a in generate(120, seed=1)]
    assert names == sorted(names)
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("index", range(40))
def test_feed_text_parses_back_to_the_generated_structure(index: int) -> None:
    """The project's own parser reads each article as the generator built it."""
    article = make_article(index, 40, seed=1)
    parsed = parse_article(article.file_name, article.text, article.sha256)
    assert parsed.title == article.title
    assert parsed.sections == tuple(s.heading for s in article.sections)
    paragraphs = [b.text for b in parsed.blocks if b.kind == "paragraph"]
    expected = list(article.intro) + [
        block for s in article.sections for block in s.blocks if isinstance(block, str)
    ]
    assert paragraphs == expected
    lists = [b.items for b in parsed.blocks if b.kind == "list"]
    assert lists == [
        block.items for s in article.sections for block in s.blocks
        if not isinstance(block, str)
    ]


def test_feed_has_the_variety_it_promises() -> None:
    articles = list(generate(200, seed=1))
    texts = "".join(a.text for a in articles)
    assert all(3 <= len(a.sections) <= 9 for a in articles)
    assert any(not c.isascii() for c in texts)
    for snippet in ("<script>", "*", "_", "`", "[x](y)", "|", "\\", "&amp;", "{#id}"):
        assert snippet in texts, snippet
    sizes = sorted(len(a.text) for a in articles)
    assert sizes[-1] > 3 * sizes[len(sizes) // 2]  # a long tail, not one size


def test_github_slug_differs_from_markdown_ids_where_it_should() -> None:
    assert github_slug("Diet & Exercise") == "diet--exercise"
    assert github_slug("Café Culture and Caffeine") == "café-culture-and-caffeine"
    assert github_slug("Key Takeaways") == "key-takeaways"


# --- matching tool reports to planted defects -----------------------------------------------

DEFECT = PlantedDefect(3, "missing_fragment", "guides/guide-001.md", 38, "x", "articles/slug",
                       "no-such-section-00003")


@pytest.mark.parametrize(("report", "expected"), [
    (peers.Report("articles/slug/index.html#no-such-section-00003"), True),
    (peers.Report("articles/slug#no-such-section-00003"), True),
    (peers.Report("articles/slug/#no-such-section-00004"), False),
    (peers.Report("articles/slug-2/#no-such-section-00003"), False),
    (peers.Report("articles/slug/"), False),
    (peers.Report("elsewhere", source="guides/guide-001.md", line=38), True),
    (peers.Report("elsewhere", source="docs/guides/guide-001.md", line=38), True),
    (peers.Report("elsewhere", source="guides/guide-001.md", line=39), False),
])
def test_a_report_matches_only_its_defect(report: peers.Report, expected: bool) -> None:
    assert peers.matches(DEFECT, report) is expected


def test_site_relative_understands_each_tools_spelling(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for spelled in (f"file://{site}/a/caf%C3%A9/", f"{site}/a/café/", "site/a/café/",
                    "http://localhost:5123/a/caf%C3%A9/"):
        assert peers.site_relative(spelled, site) == "a/café/"
    assert peers.site_relative(f"file://{tmp_path}/outside.html", site) == "../outside.html"


# --- the planted site, judged by an independent oracle --------------------------------------


class _ContentLinks(HTMLParser):
    """Ids anywhere in a page; links and images inside Material's content <article>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, bool]] = []  # (url, carries data-planted)
        self._depth = 0  # >0 while inside the content article

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("id", "name" if tag == "a" else ""):
            if name and found.get(name):
                self.ids.add(str(found[name]))
        if tag == "article" and "md-content__inner" in (found.get("class") or ""):
            self._depth = 1
        elif self._depth and tag == "article":
            self._depth += 1
        url = found.get("href") if tag == "a" else found.get("src") if tag == "img" else None
        if self._depth and url is not None:
            self.links.append((url, "data-planted" in found))

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "article":
            self._depth -= 1


def _oracle(site: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(broken links, planted links) as (page, url) pairs, by browser URL rules."""
    pages = {p.relative_to(site).as_posix(): p for p in site.rglob("*.html")}
    parsed: dict[str, _ContentLinks] = {}
    for name, html in pages.items():
        parser = _ContentLinks()
        parser.feed(html.read_text(encoding="utf-8"))
        parsed[name] = parser
    broken, planted = set(), set()
    for name, page in parsed.items():
        base = "http://site/" + (name[: -len("index.html")] if name.endswith("index.html")
                                 else name)
        for url, is_planted in page.links:
            if is_planted:
                planted.add((name, url))
            absolute = urlsplit(urljoin(base, url))
            if absolute.netloc != "site":
                continue
            path = unquote(absolute.path).lstrip("/")
            target = posixpath.join(path, "index.html") if (not path or path.endswith("/")
                                                            or (site / path).is_dir()) else path
            exists = (site / target).is_file()
            fragment = unquote(absolute.fragment)
            ok = exists and (not fragment or fragment == "top"
                             or fragment in parsed.get(target, _ContentLinks()).ids)
            if not ok:
                broken.add((name, url))
    return broken, planted


@pytest.mark.slow
def test_planted_site_breaks_exactly_where_planted(tmp_path: Path) -> None:
    planted_site = check_peers.prepare_site(tmp_path, 60, seed=2, importer_mode="standin")
    broken, planted = _oracle(planted_site.site)
    assert len(planted) == len(planted_site.defects) == defect_count(60) == len(KINDS)
    assert broken == planted
    assert {d.kind for d in planted_site.defects} == set(KINDS)
    # Each defect's recorded source line holds its link as written.
    for defect in planted_site.defects:
        source = planted_site.project / "docs" / defect.source
        assert defect.written in source.read_text(encoding="utf-8").splitlines()[defect.line - 1]


@pytest.mark.slow
@pytest.mark.parametrize("tool", [peers.LYCHEE, peers.FEEDSITE_HTML], ids=lambda t: t.name)
def test_check_peers_runs_end_to_end_and_scores_a_tool(
        tool: peers.Tool, capsys: pytest.CaptureFixture[str]) -> None:
    if tool.unavailable():
        pytest.skip(f"{tool.name}: {tool.unavailable()}")
    code = check_peers.main(["--sizes", "30", "--runs", "1", "--tools", f"{tool.name},nosuch"])
    assert code == 2
    assert "unknown tool(s) nosuch" in capsys.readouterr().err
    assert check_peers.main(["--sizes", "30", "--runs", "1", "--tools", tool.name,
                             "--importer", "standin"]) == 0
    table = capsys.readouterr().out
    row = next(line for line in table.splitlines() if line.startswith(f"| {tool.name} "))
    cells = [cell.strip() for cell in row.split("|")]
    assert cells[6:9] == [f"{len(KINDS)}/{len(KINDS)}", "none", "0"], row
