"""A minimal stand-in for `feedsite import`, used only while the real importer is unavailable.

It writes contract-shaped pages (front matter, `# Title`, escaped paragraphs, sections and the
home page's managed list) so the benchmark harness can be developed and smoke-tested. Figures
measured with it are labelled "stand-in" and are not the project's figures.
Run inside a project: `python PATH/TO/benchmarks/standin_import.py`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
import unicodedata
from pathlib import Path

import yaml

START, END = "<!-- feedsite:articles:start -->", "<!-- feedsite:articles:end -->"
_ESCAPE = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$])")
_LIST_ITEM = re.compile(r"^(?:[-*]|\d+\.) ")


def escape(text: str) -> str:
    """Text -> Markdown that renders as exactly that text."""
    return _ESCAPE.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-") or "article"


def _is_heading(lines: list[str]) -> bool:
    line = lines[0].strip()
    return len(lines) == 1 and len(line) <= 80 and line[-1] not in ".!:" and not line.isdigit()


def render_body(text: str) -> tuple[str, str, list[str], int]:
    """Feed text -> (title, Markdown body, intro paragraphs, word count)."""
    blocks = [b.strip("\n").splitlines() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    title = blocks[0][0].strip()
    out, intro, seen_heading = [f"# {escape(title)}"], [], False
    for lines in blocks[1:]:
        if _LIST_ITEM.match(lines[0]):
            out.append("\n".join(
                ("1. " if lines[0][0].isdigit() else "- ") + escape(_LIST_ITEM.sub("", ln))
                for ln in lines))
        elif _is_heading(lines):
            seen_heading = True
            out.append(f"## {escape(lines[0].strip())}")
        else:
            paragraph = " ".join(ln.strip() for ln in lines)
            if not seen_heading:
                intro.append(paragraph)
            out.append(escape(paragraph))
    return title, "\n\n".join(out) + "\n", intro, len(text.split())


def main(root: Path) -> int:
    feed, articles = root / "feed", root / "docs" / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    today = dt.date.today().isoformat()
    pages: list[tuple[str, dict[str, object], str]] = []
    used: set[str] = set()
    for path in sorted(feed.glob("*.txt")):
        raw = path.read_bytes()
        title, body, intro, words = render_body(raw.decode("utf-8"))
        slug, n = slugify(title), 2
        while slug in used:
            slug, n = f"{slugify(title)}-{n}", n + 1
        used.add(slug)
        description = (intro[0] if intro else title)[:157]
        meta: dict[str, object] = {
            "title": title, "description": description, "source": path.name,
            "source_sha256": hashlib.sha256(raw).hexdigest(), "published": today,
            "reading_time": max(1, round(words / 200)), "words": words,
        }
        pages.append((slug, meta, body))
    for i, (slug, meta, body) in enumerate(pages):
        if i > 0:
            meta["previous"] = {"title": pages[i - 1][1]["title"],
                                "url": f"articles/{pages[i - 1][0]}.md"}
        if i + 1 < len(pages):
            meta["next"] = {"title": pages[i + 1][1]["title"],
                            "url": f"articles/{pages[i + 1][0]}.md"}
        meta["generator"] = "feedsite"
        meta["checksum"] = hashlib.sha256(body.encode()).hexdigest()
        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
        (articles / f"{slug}.md").write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    # Placeholders for the reader feeds, which the templates link to from every page.
    (root / "docs" / "feed.xml").write_text('<rss version="2.0"><channel/></rss>\n')
    (root / "docs" / "atom.xml").write_text('<feed xmlns="http://www.w3.org/2005/Atom"/>\n')
    (root / "docs" / "feed.json").write_text('{"version": "https://jsonfeed.org/version/1.1"}\n')
    index = root / "docs" / "index.md"
    text = index.read_text(encoding="utf-8")
    listing = "\n".join(
        f"- [{escape(str(m['title']))}](articles/{s}.md) — {escape(str(m['description']))}"
        f" · {m['reading_time']} min read" for s, m, _ in pages)
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    index.write_text(f"{head}{START}\n{listing}\n{END}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path.cwd()))
