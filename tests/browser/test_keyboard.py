"""Keyboard readers get a skip link, a visible focus ring and the search shortcut."""

from __future__ import annotations

from typing import Any

import pytest

from .checks import assert_quiet
from .reader import Reader

# Enough Tab presses to pass the header, search, navigation and into the content.
TAB_STOPS = 12


# Describes the focused element and the outline of what shows its focus: Material hides some
# inputs (palette toggles) and draws their focus ring on the label that follows them.
_FOCUSED = """
() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const hidden = box.width < 1 || box.height < 1 || getComputedStyle(el).opacity === "0";
  const shown = hidden && el.nextElementSibling?.tagName === "LABEL" ? el.nextElementSibling : el;
  const css = getComputedStyle(shown);
  return { tag: el.tagName, skip: el.matches("a.md-skip"), cls: String(el.className),
           text: (el.textContent || "").trim().slice(0, 60), href: el.getAttribute("href") || "",
           outline: css.outlineStyle, width: css.outlineWidth };
}
"""


def _focused(reader: Reader) -> dict[str, Any]:
    info: dict[str, Any] = reader.page.evaluate(_FOCUSED)
    return info


def test_skip_link_is_first_and_jumps_to_the_content(
    reader: Reader, page_paths: dict[str, str]
) -> None:
    reader.open_state_page(page_paths)

    reader.page.keyboard.press("Tab")
    focused = _focused(reader)
    assert focused["skip"], focused
    assert reader.page.locator("a.md-skip").is_visible()
    reader.screenshot("skip-link")
    violations = reader.axe_violations()
    assert not violations, violations
    target = focused["href"]
    assert target.startswith("#"), focused
    reader.page.keyboard.press("Enter")

    reader.page.wait_for_function("(hash) => location.hash === hash", arg=target)
    assert reader.page.locator(f"[id='{target[1:]}']").is_visible()
    assert reader.page.evaluate(
        "(id) => { const r = document.getElementById(id).getBoundingClientRect();"
        " return r.top >= 0 && r.top < innerHeight; }",
        target[1:],
    )
    assert_quiet(reader)


def test_every_focused_element_shows_an_outline(reader: Reader, page_paths: dict[str, str]) -> None:
    reader.open_state_page(page_paths)

    seen = []
    for _ in range(TAB_STOPS):
        reader.page.keyboard.press("Tab")
        focused = _focused(reader)
        if focused["tag"] == "BODY":
            break
        seen.append(focused)
    reader.screenshot("focus-ring")

    assert seen, "Tab moved focus nowhere"
    unmarked = [f for f in seen if f["outline"] == "none" or f["width"] in ("0px", "")]
    assert unmarked == [], unmarked
    assert_quiet(reader)


@pytest.mark.parametrize("shortcut", ["/", "s"])
def test_search_opens_with_its_shortcut_and_closes_with_escape(
    reader: Reader, page_paths: dict[str, str], shortcut: str
) -> None:
    reader.open_state_page(page_paths)

    reader.page.locator("body").press(shortcut)
    reader.page.wait_for_function("document.activeElement?.matches('.md-search__input')")
    assert reader.search_is_open()
    assert reader.page.locator(".md-search__input").input_value() == ""
    reader.page.keyboard.press("Escape")

    reader.page.wait_for_function("!document.getElementById('__search').checked")
    assert not reader.page.evaluate("document.activeElement?.matches('.md-search__input')")
    assert_quiet(reader)
