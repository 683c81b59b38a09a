"""The README's feed-document examples do what the README says they do."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

from feedsite.fetch.sources import feed_sources
from feedsite.importer.documents import read_document
from feedsite.importer.slug import slugify

README = Path(__file__).resolve().parents[1] / "README.md"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## Feed documents: RSS, Atom and JSON Feed", 1)[1].split("\n## ", 1)[0]


def test_the_rss_example_imports_as_described(tmp_path: Path) -> None:
    (example,) = re.findall(r"```xml\n(.*?)```", section(), flags=re.DOTALL)
    path = tmp_path / "news.xml"
    path.write_text(example, encoding="utf-8")
    (article,), problems = read_document(path, "news.xml", "feed/news.xml")
    assert problems == []
    assert f"docs/articles/{slugify(article.title)}.md" in section()
    assert f'`item: "{article.item_id}"`' in section()
    assert article.published == dt.date(2026, 10, 5) and "`published: 2026-10-05`" in section()
    assert article.topics == ("Vaccination",) and 'the topic "Vaccination"' in section()
    assert [b.kind for b in article.blocks] == ["paragraph", "heading", "list"]


def test_the_feeds_setting_example_names_its_files() -> None:
    (example,) = re.findall(r"```toml\n(.*?)```", section(), flags=re.DOTALL)
    settings = tomllib.loads(example)["tool"]["feedsite"]
    sources = feed_sources(settings, "pyproject.toml")
    assert [s.file for s in sources] == ["news-example-org-feed-xml.xml", "food.json"]
    assert f"# saved as feed/{sources[0].file}" in example
