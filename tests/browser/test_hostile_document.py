"""A hostile feed document's item, opened in Chromium: nothing runs, nothing leaves 127.0.0.1."""

from __future__ import annotations

import pytest

from .checks import assert_quiet
from .reader import Reader, states_where
from .site_build import BuiltSite

# Elements or attributes the item would create if any of its markup got through.
INJECTED = (
    "article script:not([type='application/ld+json']), article iframe, article form, "
    "article input, article button:not(.md-clipboard), article object, article embed, "
    "article svg[onload], article [onerror], article [onclick], article [onmouseover], "
    "article [style*='evil'], article img[src*='example.net'], "
    "article a[href^='javascript:' i], article a[href^='data:' i], article a[href^='vbscript:' i]"
)


@pytest.fixture
def document_path(built_site: BuiltSite) -> str:
    # No page would mean the import rejected the document: a failure, not a reason to skip.
    assert built_site.hostile_document_path is not None, (
        f"no page for the hostile feed document: {built_site.import_note}")
    return built_site.hostile_document_path


@pytest.mark.parametrize("state", states_where(page="article"))
def test_hostile_feed_item_is_inert(reader: Reader, document_path: str) -> None:
    reader.open(document_path)
    reader.page.wait_for_load_state("networkidle")

    text = reader.page.locator("article").inner_text()
    assert "Before the script. After the script." in text
    assert "<script>alert(11)</script>" in text  # escaped markup in the item stays text
    assert "iframe fallback text" not in text and "object fallback" not in text
    assert reader.page.locator(INJECTED).count() == 0
    # The image that is not stored here is a link to the original, never loaded.
    remote = reader.page.locator("article a.feedsite-remote-image")
    assert remote.count() == 1 and remote.get_attribute("href") == "https://hostile.example.net/x"
    assert reader.page.evaluate(
        "[...document.images].every(i => new URL(i.src).origin === location.origin)")
    reader.screenshot("hostile-document")
    assert_quiet(reader)  # no dialog, no request off 127.0.0.1, no CSP violation
