"""Our template helpers (overrides/partials/feedsite/macros.html), rendered with Jinja2 like MkDocs.

They avoid Python str/dict/date methods so Zensical's minijinja renders them too
(tests/test_zensical_build.py covers that engine through a real build).
"""

from __future__ import annotations

import datetime as dt
import functools
import json

import jinja2
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
# MkDocs' own environment: no autoescaping, plus its `url` filter (identity is enough here).
ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(REPO / "overrides"), autoescape=False)
ENV.filters["url"] = lambda value: value


@functools.cache
def macro_call(expression: str) -> jinja2.Template:
    """A template that renders one macro call, e.g. `fs.human(value)` (compiled once)."""
    return ENV.from_string(
        '{% import "partials/feedsite/macros.html" as fs with context %}{{ ' + expression + " }}"
    )


def call(expression: str, **context: object) -> str:
    """Render one macro call with `context` as template variables."""
    return macro_call(expression).render(**context)


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_human_date_reads_day_month_year_for_date_objects_and_iso_text(day: dt.date) -> None:
    expected = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    assert call("fs.human(value)", value=day) == expected
    assert call("fs.human(value)", value=day.isoformat()) == expected


@given(st.text().filter(lambda text: not _looks_like_iso_date(text)))
def test_human_shows_any_other_text_as_written(text: str) -> None:
    assert call("fs.human(value)", value=text) == text


def _looks_like_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def test_time_element_escapes_what_it_shows() -> None:
    assert call("fs.time(value)", value='<b>"soon"</b>') == (
        '<time datetime="&lt;b&gt;&#34;soon&#34;&lt;/b&gt;">'
        "&lt;b&gt;&#34;soon&#34;&lt;/b&gt;</time>"
    )
    assert call("fs.time(value)", value=dt.date(2026, 3, 2)) == (
        '<time datetime="2026-03-02">2 March 2026</time>'
    )


json_values = st.one_of(st.none(), st.text(), st.integers(), st.booleans())


@given(st.lists(st.tuples(st.text(), json_values), unique_by=lambda pair: pair[0]))
def test_json_object_keeps_every_pair_but_the_none_ones(pairs: list[tuple[str, object]]) -> None:
    rendered = call("fs.json_object(pairs)", pairs=[list(pair) for pair in pairs])
    assert json.loads(rendered) == {key: value for key, value in pairs if value is not None}
    # Safe inside <script>: no character that could close the element or start markup.
    assert not {"<", ">", "&"} & set(rendered)


def test_page_href_maps_markdown_paths_like_mkdocs() -> None:
    def href(path: str, directory_urls: bool = True) -> str:
        return call("fs.page_href(path)", path=path,
                    config={"use_directory_urls": directory_urls})

    assert href("articles/x.md") == "articles/x/"
    assert href("index.md") == "./"
    assert href("README.md") == "./"
    assert href("guide/index.md") == "guide/"
    assert href("guide/README.md") == "guide/"
    assert href("articles/x.md", directory_urls=False) == "articles/x.html"
