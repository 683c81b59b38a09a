"""The serve loop's render memo: a page is made again exactly when something it shows changed."""

from __future__ import annotations

import datetime as dt

from feedsite.importer.memo import ImportMemo
from feedsite.importer.models import Article, Block
from feedsite.importer.render import PageInfo
from feedsite.importer.render_markup import LocalTargets


def article(title: str) -> Article:
    return Article(source="news.xml", title=title, title_line=1,
                   blocks=(Block("paragraph", "Text.", 2),), source_sha256="ab", item_id=title)


def test_a_page_is_made_again_only_when_what_it_shows_changed() -> None:
    memo = ImportMemo()
    made: list[str] = []

    def render(info: PageInfo) -> None:
        memo.render(article("One"), info, lambda: (made.append("one") or {}, b"page"))
        memo.next_run()

    siblings = {f"https://news.example.org/{n}": f"item-{n}.md" for n in range(1000)}
    info = PageInfo(dt.date(2026, 1, 2), local=LocalTargets(dict(siblings), {}))
    render(info)
    render(PageInfo(dt.date(2026, 1, 2), local=LocalTargets(dict(siblings), {})))  # equal maps
    assert made == ["one"]
    # A sibling renamed: its link on this page may change, so the page is made again.
    renamed = {**siblings, "https://news.example.org/7": "item-7-renamed.md"}
    render(PageInfo(dt.date(2026, 1, 2), local=LocalTargets(renamed, {})))
    assert made == ["one", "one"]
    render(PageInfo(dt.date(2026, 1, 3), local=LocalTargets(renamed, {})))  # a new date
    assert made == ["one", "one", "one"]
