"""The direct reader of the importer's own front matter must read exactly what PyYAML reads,
or step aside: whatever the text, `read_dumped` gives PyYAML's value or None."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from feedsite.importer.frontmatter import _Loader, dump_yaml, load_yaml, read_dumped, split_page

_keys = st.one_of(
    st.sampled_from(["title", "source", "on", "yes", "No", "null", "y", "published", "a-b"]),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True),
    st.text(max_size=6),
)
_floats = st.one_of(st.floats(), st.floats(min_value=0, max_value=30).map(lambda f: round(f, 1)))
_scalars = st.one_of(
    st.text(), st.integers(), _floats, st.booleans(), st.none(),
    st.dates(min_value=dt.date(1, 1, 1)),
)  # fmt: skip
_json_values = st.recursive(
    st.one_of(st.text(), st.integers(), _floats, st.booleans(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)
_values = st.one_of(
    _scalars,
    st.lists(_json_values, max_size=3),
    st.dictionaries(_keys, _scalars, max_size=3),
)
_metas = st.dictionaries(_keys, _values, min_size=1, max_size=6)


def _pyyaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)
    except (yaml.YAMLError, ValueError):  # PyYAML raises ValueError on a date like 2026-13-01
        return "unreadable"


def _same_as_pyyaml(text: str) -> None:
    direct = read_dumped(text)
    if direct is not None:
        assert direct == _pyyaml(text)
        # Floats compare equal to ints; the types must match too (1.0 is not 1).
        assert repr(direct) == repr(_pyyaml(text))


@given(_metas)
@example({"previous": {"title": "A: B", "url": "a.md"}, "hardest": [{"grade": 9.9}]})
def test_written_front_matter_reads_as_pyyaml_reads_it(meta: dict[str, Any]) -> None:
    _same_as_pyyaml(dump_yaml(meta))
    _same_as_pyyaml("\n" + dump_yaml(meta).rstrip("\n"))  # as the checker slices it


# What the importer writes: plain keys, text, whole numbers, one-decimal grades, dates, flags,
# lists of such records, one level of nesting. All of it must take the direct path.
_plain_keys = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda key: key not in ("y", "n", "yes", "no", "on", "off", "true", "false", "null")
)
_plain_text = st.text(st.characters(exclude_categories=("Cs",)))
_plain_scalars = st.one_of(
    _plain_text, st.integers(), st.integers(0, 300).map(lambda n: n / 10), st.booleans(),
    st.none(), st.dates(min_value=dt.date(1000, 1, 1)),
)  # fmt: skip
_plain_metas = st.dictionaries(
    _plain_keys,
    st.one_of(
        _plain_scalars,
        st.lists(st.dictionaries(st.sampled_from(["grade", "text"]), _plain_scalars.filter(
            lambda v: not isinstance(v, dt.date)), max_size=2), max_size=3),
        st.dictionaries(_plain_keys, _plain_scalars, min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=6,
)


@given(_plain_metas)
def test_the_importers_front_matter_takes_the_direct_path(meta: dict[str, Any]) -> None:
    text = dump_yaml(meta)
    assert read_dumped(text) is not None, text
    _same_as_pyyaml(text)


@given(_metas, st.integers(min_value=0), st.text(max_size=3))
def test_changed_front_matter_reads_as_pyyaml_reads_it(
    meta: dict[str, Any], at: int, inserted: str
) -> None:
    text = dump_yaml(meta)
    at %= len(text) + 1
    _same_as_pyyaml(text[:at] + inserted + text[at:])
    _same_as_pyyaml(text[:at] + text[at + 1 :])


def test_the_importers_usual_front_matter_is_read_directly() -> None:
    meta = {
        "title": "Stem cells: what's \"new\"", "source": "a.txt", "published": dt.date(2026, 1, 2),
        "reading_time": 4, "reading_grade": 8.6, "draft": False, "image": None,
        "hardest_sentences": [{"grade": 9.9, "text": "A \\ B — ü"}],
        "previous": {"title": "Prev", "url": "articles/prev.md"},
    }  # fmt: skip
    text = dump_yaml(meta)
    assert read_dumped(text) == meta
    assert load_yaml(text) == meta


def test_anything_else_is_left_to_pyyaml() -> None:
    for text in (
        "a: 1e-05\n",  # a string to YAML 1.1
        "on: 1\n",  # the key is true to YAML 1.1
        'a: "x\\ud800"\n',  # libyaml rejects the escape
        "a:\nb: 1\n",  # a is null
        "a: 1 # note\n",
        "a: 1\na: 2\n",
        "a: [1.5, \"\x85\"]\n",  # YAML reads the raw NEL as a line break
        'a: "x"\rb: 1\n',
        "- 1\n",
        "a" * 1025 + ": 1\n",  # longer than PyYAML reads as a key
        'a: {"' + "k" * 1023 + '": 1}\n',
        "a: " + "[" * 400 + "]" * 400 + "\n",  # too deep to judge here: PyYAML decides
        "a: 012\n",  # octal to YAML 1.1
        "a: 1:20\n",  # sexagesimal
        "a: ~\n",
        "a: .inf\n",
        "a: 1_000\n",
        "Yes: 1\n",
        "a: &x 1\n",
        "a: !!str 1\n",
        "a: 2024-02-30\n",
    ):
        assert read_dumped(text) is None, text
    assert load_yaml("a: 1e-05\n") == {"a": "1e-05"}
    assert load_yaml("a:\nb: 1\n") == {"a": None, "b": 1}


def test_front_matter_pyyaml_cannot_read_makes_no_page() -> None:
    # An impossible date is a ValueError in PyYAML, too deep a list a ScannerError.
    assert split_page("---\npublished: 2024-02-30\n---\nbody\n") is None
    assert split_page("---\na: " + "[" * 100_000 + "]" * 100_000 + "\n---\nbody\n") is None
