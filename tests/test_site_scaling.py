"""An article page's HTML must not grow with the number of articles (none are in the nav)."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_project import build, dummy_articles, make_project

pytestmark = pytest.mark.slow


def article_page_size(root: Path, count: int, slug: str) -> int:
    built = build(make_project(root, dummy_articles(count)))
    return (built.site / "articles" / slug / "index.html").stat().st_size


def test_article_page_size_does_not_depend_on_article_count(tmp_path: Path) -> None:
    # article-002 has the same neighbours in both feeds, so only the nav could differ.
    small = article_page_size(tmp_path / "small", 3, "article-002")
    large = article_page_size(tmp_path / "large", 60, "article-002")
    assert abs(large - small) <= 8, (small, large)


def test_home_page_grows_with_the_list_only(tmp_path: Path) -> None:
    # The control: the home page lists every article, so it does grow; the test above would
    # pass vacuously if the builds did not contain the articles at all.
    small = build(make_project(tmp_path / "small", dummy_articles(3)))
    large = build(make_project(tmp_path / "large", dummy_articles(60)))
    assert len(list((large.site / "articles").iterdir())) == 60
    small_home = (small.site / "index.html").stat().st_size
    large_home = (large.site / "index.html").stat().st_size
    assert large_home > small_home + 57 * 50
