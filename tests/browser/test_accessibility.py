"""axe-core finds nothing to fix on each page state, with search results and the drawer open."""

from __future__ import annotations

import pytest

from .checks import assert_quiet
from .reader import Reader, states_where


def test_page_has_no_axe_violations(reader: Reader, page_paths: dict[str, str]) -> None:
    reader.open_state_page(page_paths)
    reader.wait_for_search_index()

    reader.screenshot("page")
    violations = reader.axe_violations()
    assert not violations, violations
    assert_quiet(reader)


def test_search_dialog_showing_results_has_no_axe_violations(
    reader: Reader, page_paths: dict[str, str]
) -> None:
    reader.open_state_page(page_paths)

    reader.type_query("follicle")

    assert reader.result_links(), "the search showed no results to check"
    reader.screenshot("search-open")
    violations = reader.axe_violations()
    assert not violations, violations
    assert_quiet(reader)


# The drawer is how narrow screens reach the navigation, so only phone states have one.
@pytest.mark.parametrize("state", states_where(viewport="phone"))
def test_open_navigation_drawer_has_no_axe_violations(
    reader: Reader, page_paths: dict[str, str]
) -> None:
    reader.open_state_page(page_paths)

    reader.open_drawer()

    reader.screenshot("drawer-open")
    violations = reader.axe_violations()
    assert not violations, violations
    assert_quiet(reader)
