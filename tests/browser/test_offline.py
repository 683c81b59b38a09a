"""Offline reading: pages a reader opened stay readable without a connection; others say so;
online, every page is the one published now (network first, never a stale copy)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .checks import assert_quiet
from .reader import PageState, Reader
from .serving import RunningSite, serve
from .site_build import BuiltSite

CACHE = "feedsite-offline-v1"
PHONE = PageState("article", "light", "phone")

# Resolves once the service worker is active and has copied the page that registered it.
_COPIED = """
async () => {
  const registration = await navigator.serviceWorker.ready;
  for (let i = 0; i < 200; i++) {
    const cache = await caches.open("CACHE_NAME");
    if (registration.active && await cache.match(location.href.split("#")[0])) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
""".replace("CACHE_NAME", CACHE)


@pytest.fixture()
def own_site(built_site: BuiltSite, tmp_path: Path) -> Iterator[tuple[Path, RunningSite]]:
    """A copy of the built site on its own server, free to be changed by the test."""
    site = tmp_path / "site"
    shutil.copytree(built_site.site_dir, site)
    with serve(site) as running:
        yield site, running


def test_pages_read_before_stay_readable_offline(
    browser: Any, running_site: RunningSite, page_paths: dict[str, str]
) -> None:
    reader = Reader(browser, running_site.base_url, PHONE)
    try:
        reader.open(page_paths["article"])
        title = reader.page.locator("h1").first.inner_text()
        assert reader.page.evaluate(_COPIED), "the service worker did not copy the first page"
        reader.open(page_paths["home"])  # a second page, through the service worker now
        home_title = reader.page.locator("h1").first.inner_text()
        assert_quiet(reader)

        reader.context.set_offline(True)
        reader.open(page_paths["article"])
        assert reader.page.locator("h1").first.inner_text() == title
        reader.open(page_paths["home"])
        assert reader.page.locator("h1").first.inner_text() == home_title

        # A page never opened here: a notice, with the way back to what is available.
        response = reader.page.goto("a-z/", wait_until="load")
        assert response is not None and response.status == 503
        assert reader.page.locator("h1").inner_text() == "You are offline"
        offered = reader.page.locator("li a").evaluate_all("links => links.map(a => a.href)")
        assert running_site.base_url + page_paths["article"] in offered
        reader.screenshot("offline-notice")

        # Offline, the browser logs the notice's 503 as a failed load: that is the truth.
        reader.record.console_errors.clear()
        reader.context.set_offline(False)
        reader.open("a-z/")
        assert reader.page.locator("h1").first.inner_text() != "You are offline"
        assert_quiet(reader)
    finally:
        reader.close()


def test_online_readers_get_the_page_as_published_now(
    browser: Any, own_site: tuple[Path, RunningSite], page_paths: dict[str, str]
) -> None:
    site, running = own_site
    reader = Reader(browser, running.base_url, PHONE)
    try:
        reader.open(page_paths["article"])
        assert reader.page.evaluate(_COPIED)
        reader.open(page_paths["article"])  # now controlled: a copy is in the cache
        page_file = site / page_paths["article"] / "index.html"
        html = page_file.read_text(encoding="utf-8")
        page_file.write_text(html.replace("</h1>", " (revised)</h1>", 1), encoding="utf-8")

        reader.open(page_paths["article"])

        assert reader.page.locator("h1").first.inner_text().endswith("(revised)")
        assert_quiet(reader)
    finally:
        reader.close()
