"""Session fixtures for the browser suite: one build, one server, one Chromium."""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from benchmarks.chromium import CHROMIUM, CHROMIUM_ARGS

from .reader import ARTIFACTS, STATES, PageState, Reader
from .serving import RunningSite, serve
from .site_build import BuiltSite, build_site


def _missing_browser_tools() -> str:
    """Why the suite cannot drive a browser here, or "" when it can."""
    for module in ("playwright", "axe_playwright_python"):
        if importlib.util.find_spec(module) is None:
            return f"Python package {module!r} is not installed (pip install -e '.[test]')"
    if not CHROMIUM.is_file():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium chromium-driver)"
    return ""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    ours = [item for item in items if here in Path(str(item.path)).parents]
    reason = _missing_browser_tools() if ours else ""
    # CI sets this so a machine without Chromium fails loudly instead of skipping the suite.
    if reason and os.environ.get("FEEDSITE_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"FEEDSITE_REQUIRE_BROWSER=1 but {reason}")
    for item in ours:
        item.add_marker(pytest.mark.browser)
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"browser suite skipped: {reason}"))
    if ours and not reason:
        _clear_old_screenshots(config)


def _clear_old_screenshots(config: pytest.Config) -> None:
    """Start with no screenshots, so none left from older runs mislead a reader."""
    # Under xdist every worker collects; one clears, long before any test (after the build)
    # saves a screenshot.
    worker = getattr(config, "workerinput", {}).get("workerid", "gw0")
    if worker == "gw0":
        shutil.rmtree(ARTIFACTS, ignore_errors=True)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_site(tmp_path_factory.mktemp("browser-site"))


@pytest.fixture(scope="session")
def running_site(built_site: BuiltSite) -> Iterator[RunningSite]:
    with serve(built_site.site_dir) as running:
        yield running


@pytest.fixture(scope="session")
def page_paths(built_site: BuiltSite) -> dict[str, str]:
    """URL paths (relative to the site root) of the pages named in PageState.page."""
    return {"home": "", "article": built_site.article_path}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


# Tests that need only some states parametrize `state` themselves, which overrides this.
@pytest.fixture(params=STATES, ids=lambda state: state.name)
def state(request: pytest.FixtureRequest) -> PageState:
    param: PageState = request.param
    return param


@pytest.fixture
def reader(browser: Any, running_site: RunningSite, state: PageState) -> Iterator[Reader]:
    tab = Reader(browser, running_site.base_url, state)
    yield tab
    tab.close()


@pytest.fixture
def desktop_reader(browser: Any, running_site: RunningSite) -> Iterator[Reader]:
    """A light-scheme desktop tab, for checks that do not depend on the page state."""
    tab = Reader(browser, running_site.base_url, PageState("article", "light", "desktop"))
    yield tab
    tab.close()
