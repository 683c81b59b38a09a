"""Plant known link defects in hand-written guide pages of a synthetic project, then build it.

The articles come from the importer (feed text is escaped, so articles carry no links of their
own); reading guides link to them as an editor would: page links, section links, `#top`, and,
on their own list-item lines, the planted defects. Each planted link carries
`data-planted="N"` (via attr_list or raw HTML) so its resolved target is read back from the
built HTML: the ground truth follows what MkDocs actually wrote, not a guess about it.
"""

from __future__ import annotations

import posixpath
import random
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown.extensions.toc import slugify as markdown_slugify
from selectolax.lexbor import LexborHTMLParser

from benchmarks.synthetic_feed import SyntheticArticle
from benchmarks.timing import BIN_DIR, tail, tool_env

GUIDES_DIR = "guides"
ARTICLES_PER_GUIDE = 25
KINDS: tuple[str, ...] = (
    "missing_page",          # [x](../articles/no-such-article-N.md): a .md that is no page
    "missing_directory",     # [x](../../articles/retired-article-N/): directory URL, no index
    "missing_fragment",      # a real page, a heading id it does not have
    "fragment_case",         # a real id with capitals: ids are case-sensitive in browsers
    "github_slug_fragment",  # the id GitHub would give the heading, not the one MkDocs gives
    "same_page_fragment",    # [x](#notes-N) on a page without that id
    "missing_image",         # ![x](../img/chart-N.png)
    "raw_html_link",         # <a href> in raw HTML, which MkDocs never validates
    "percent_encoded_page",  # ../../articles/caf%C3%A9-N/: non-ASCII path, missing
    "escapes_site_root",     # ../../../outside-N.html climbs above the site root
)
# Headings of letters and spaces only: their id is predictable, so links to them are valid.
_PLAIN_HEADING = re.compile(r"^[A-Za-z ]+$")


@dataclass(frozen=True)
class PlantedDefect:
    """One broken link put into the Markdown, with where it is and where it points."""

    number: int
    kind: str
    source: str  # docs-relative Markdown file
    line: int  # 1-based line of the link in that file
    written: str  # the URL as written in the Markdown
    token: str  # text unique to this defect that its resolved target path contains
    fragment: str | None  # the broken fragment, None when the path itself is missing
    page: str = ""  # site-relative HTML file holding the link (after the build)
    target: str = ""  # resolved site-relative URL of the link (after the build)


def github_slug(text: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def _numbered(number: int) -> str:
    # Zero-padded so one defect's token is never a prefix of another's.
    return f"{number:05d}"


@dataclass(frozen=True)
class _Target:
    """An article page as the guides link to it."""

    md: str  # docs-relative Markdown path, "articles/slug.md"
    title: str
    plain_ids: tuple[str, ...]  # ids of headings made of letters and spaces only
    github_pairs: tuple[tuple[str, str], ...]  # (GitHub slug, MkDocs id) where they differ

    @property
    def site_dir(self) -> str:
        """Site path of the built page without the trailing slash ("articles/slug")."""
        return posixpath.splitext(self.md)[0]


def _targets(articles: Sequence[SyntheticArticle], md_by_source: dict[str, str]) -> list[_Target]:
    targets = []
    for article in articles:
        headings = [s.heading for s in article.sections]
        # A repeated heading's later copies get `_1` ids; link only to unambiguous ones.
        unique = [h for h in headings if headings.count(h) == 1]
        plain = tuple(markdown_slugify(h, "-") for h in unique if _PLAIN_HEADING.match(h))
        pairs = tuple(
            (github_slug(h), markdown_slugify(h, "-")) for h in unique
            if github_slug(h) != markdown_slugify(h, "-")
        )
        targets.append(_Target(md_by_source[article.file_name], article.title, plain, pairs))
    return targets


def _link_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _defect_markdown(kind: str, number: int, target: _Target | None) -> tuple[str, str, str,
                                                                               str | None]:
    """(Markdown line, URL as written, token, fragment) for one planted defect."""
    n = _numbered(number)
    attr = f'{{: data-planted="{number}" }}'
    if kind == "missing_page":
        url = f"../articles/no-such-article-{n}.md"
        return f"- Archived: [an older article]({url}){attr}", url, f"no-such-article-{n}", None
    if kind == "missing_directory":
        url = f"../../articles/retired-article-{n}/"
        return f"- Retired: [a withdrawn page]({url}){attr}", url, f"retired-article-{n}", None
    if kind == "percent_encoded_page":
        url = f"../../articles/caf%C3%A9-{n}/"
        return f"- Café notes: [caffeine]({url}){attr}", url, f"café-{n}", None
    if kind == "missing_image":
        url = f"../img/chart-{n}.png"
        return f"- Chart: ![Chart {n}]({url}){attr}", url, f"chart-{n}", None
    if kind == "raw_html_link":
        url = f"../../articles/withdrawn-{n}/"
        line = f'- Withdrawn: <a href="{url}" data-planted="{number}">an old summary</a>'
        return line, url, f"withdrawn-{n}", None
    if kind == "escapes_site_root":
        url = f"../../../outside-{n}.html"
        return f"- Elsewhere: [outside]({url}){attr}", url, f"outside-{n}", None
    if kind == "same_page_fragment":
        url = f"#notes-{n}"
        return f"- See [the notes below]({url}){attr}", url, "", f"notes-{n}"
    assert target is not None, kind
    if kind == "missing_fragment":
        fragment = f"no-such-section-{n}"
    elif kind == "fragment_case":
        fragment = "-".join(w.capitalize() for w in target.plain_ids[0].split("-"))
    elif kind == "github_slug_fragment":
        fragment = target.github_pairs[0][0]
    else:
        raise ValueError(f"unknown defect kind {kind!r}")
    url = f"../{target.md}#{fragment}"
    line = f"- Section of [{_link_text(target.title)}]({url}){attr}"
    return line, url, target.site_dir, fragment


def _pick(pool: list[_Target], wanted: str) -> _Target:
    """Take an article not used by another defect, with the headings this kind needs."""
    for i, target in enumerate(pool):
        if (wanted == "fragment_case" and target.plain_ids) or (
            wanted == "github_slug_fragment" and target.github_pairs
        ) or wanted == "missing_fragment":
            return pool.pop(i)
    raise ValueError(f"no article left for a {wanted} defect; use a larger feed")


def defect_count(articles: int) -> int:
    """Planted defects for a site of this size: every kind at least once, about 1 in 10."""
    return max(len(KINDS), articles // 10)


def write_guides(docs: Path, articles: Sequence[SyntheticArticle], md_by_source: dict[str, str],
                 seed: int) -> list[PlantedDefect]:
    """Write docs/guides/*.md linking to every article, with the planted defects."""
    rng = random.Random(f"feedsite-bench-guides:{seed}")
    targets = _targets(articles, md_by_source)
    guides = max(2, -(-len(targets) // ARTICLES_PER_GUIDE))
    pool = targets[:]
    rng.shuffle(pool)
    lines_by_guide: list[list[str]] = []
    for g in range(guides):
        lines = [f"# Reading guide {g + 1}", "",
                 "Articles picked by the editors, with links to the sections that matter.",
                 "", "## Related articles", ""]
        for i, linked in enumerate(targets[g::guides]):
            link = f"- [{_link_text(linked.title)}](../{linked.md})"
            if i % 3 == 0 and linked.plain_ids:
                link += f", especially [this section](../{linked.md}#{linked.plain_ids[-1]})"
            lines.append(link)
        lines += ["", "Back to [the top of this guide](#top).", "", "## Notes", ""]
        lines_by_guide.append(lines)
    defects = []
    for number in range(1, defect_count(len(targets)) + 1):
        kind = KINDS[(number - 1) % len(KINDS)]
        needs_article = kind in ("missing_fragment", "fragment_case", "github_slug_fragment")
        target = _pick(pool, kind) if needs_article else None
        guide = (number - 1) % guides
        text, url, token, fragment = _defect_markdown(kind, number, target)
        lines = lines_by_guide[guide]
        lines.append(text)
        source = f"{GUIDES_DIR}/guide-{guide + 1:03d}.md"
        if kind == "same_page_fragment":
            token = f"{GUIDES_DIR}/guide-{guide + 1:03d}"
        defects.append(PlantedDefect(number, kind, source, len(lines), url, token, fragment))
    folder = docs / GUIDES_DIR
    folder.mkdir(exist_ok=True)
    for g, lines in enumerate(lines_by_guide):
        (folder / f"guide-{g + 1:03d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    index = docs / "index.md"
    links = "\n".join(f"- [Reading guide {g + 1}]({GUIDES_DIR}/guide-{g + 1:03d}.md)"
                      for g in range(guides))
    index.write_text(index.read_text(encoding="utf-8").rstrip("\n")
                     + f"\n\n## Reading guides\n\n{links}\n", encoding="utf-8")
    return defects


def keep_guides_out_of_nav(config_file: Path) -> None:
    """Add guides/ to `not_in_nav` so MkDocs does not warn about pages outside the nav."""
    text = config_file.read_text(encoding="utf-8")
    marker = "not_in_nav: |\n"
    if marker not in text:
        raise ValueError(f"{config_file}: expected a `not_in_nav: |` block to extend")
    config_file.write_text(text.replace(marker, f"{marker}  /{GUIDES_DIR}/**\n", 1),
                           encoding="utf-8")


def build_site(project: Path, site: Path) -> None:
    """`mkdocs build` without strict: the planted defects make MkDocs warn, by design."""
    done = subprocess.run(
        [str(BIN_DIR / "mkdocs"), "build", "--no-strict", "--quiet", "--site-dir", str(site)],
        cwd=project, env=tool_env(), capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{tail(done.stderr, 12)}")


def page_url(page: str) -> str:
    """Site-relative URL path of an HTML file ("a/index.html" -> "a/")."""
    return page[: -len("index.html")] if page.endswith("index.html") else page


def resolve(page: str, url: str) -> str:
    """A relative URL from `page` -> site-relative path + fragment, percent-decoded.

    Paths climbing above the root keep their `../` so a checker can call them escapes.
    """
    parts = urlsplit(url)
    base = posixpath.dirname(page_url(page) + "x")
    joined = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else (
        page_url(page))
    if parts.path.endswith("/") and not joined.endswith("/"):
        joined += "/"
    if joined == ".":
        joined = ""
    return joined + (f"#{unquote(parts.fragment)}" if parts.fragment else "")


def locate_in_site(site: Path, defects: Sequence[PlantedDefect]) -> list[PlantedDefect]:
    """Fill in each defect's HTML page and resolved target from the built site."""
    by_number: dict[int, PlantedDefect] = {d.number: d for d in defects}
    located: dict[int, PlantedDefect] = {}
    for html in sorted((site / GUIDES_DIR).rglob("index.html")):
        page = html.relative_to(site).as_posix()
        tree = LexborHTMLParser(html.read_text(encoding="utf-8"))
        for node in tree.css("[data-planted]"):
            number = int(node.attributes.get("data-planted") or 0)
            url = node.attributes.get("href") or node.attributes.get("src") or ""
            located[number] = replace(by_number[number], page=page, target=resolve(page, url))
    missing = sorted(set(by_number) - set(located))
    if missing:
        raise RuntimeError(f"planted defects not found in the built site: {missing[:10]}")
    return [located[n] for n in sorted(located)]

