"""Pages load only from 127.0.0.1, log no errors and satisfy the server's CSP header."""

from __future__ import annotations

import pytest

from .checks import assert_quiet
from .reader import Reader
from .serving import RunningSite


def test_reading_and_searching_stays_on_localhost(
    reader: Reader, page_paths: dict[str, str]
) -> None:
    reader.open_state_page(page_paths)
    reader.type_query("follicle")
    reader.page.keyboard.press("Escape")
    reader.page.mouse.wheel(0, 4000)
    reader.page.wait_for_load_state("networkidle")

    # Index chunks are fetched by the search script: proof that its traffic is counted too.
    assert any("/pagefind/index/" in url for url in reader.record.requests)
    # Nothing whose size grows with the feed is downloaded by a page view.
    assert not [url for url in reader.record.requests if url.endswith("sitemap.xml")]
    assert_quiet(reader)


def test_a_page_view_without_search_loads_no_part_of_the_index(
    reader: Reader, page_paths: dict[str, str]
) -> None:
    reader.open_state_page(page_paths)
    reader.page.wait_for_load_state("networkidle")

    pagefind = sorted({url.rsplit("/pagefind/", 1)[1] for url in reader.record.requests
                       if "/pagefind/" in url})
    # Pagefind's script loads with the page (the same size at any feed size); its entry file,
    # page list, WebAssembly and chunks wait for a sign that the reader wants to search.
    assert pagefind == ["pagefind.js"], pagefind
    assert_quiet(reader)


def test_server_sends_a_content_security_policy(running_site: RunningSite) -> None:
    assert running_site.csp, "the hosting server sent no Content-Security-Policy header"
    assert "default-src" in running_site.csp, running_site.csp


# Adds an inline script the way an injection would and resolves with the directive that
# blocked it ("" if none did within 3 s).
_INJECT_INLINE_SCRIPT = """
() => new Promise((resolve) => {
  document.addEventListener("securitypolicyviolation", (e) => resolve(e.violatedDirective),
                            { once: true });
  setTimeout(() => resolve(""), 3000);
  const script = document.createElement("script");
  script.textContent = "window.__feedsiteInjectedRan = true";
  document.body.append(script);
})
"""


def test_csp_violations_would_be_caught(
    desktop_reader: Reader, running_site: RunningSite, page_paths: dict[str, str]
) -> None:
    """The zero-violation checks mean something only if a real violation is noticed."""
    if not running_site.csp or "'unsafe-inline'" in running_site.csp:
        pytest.skip(f"the policy does not forbid inline script: {running_site.csp!r}")
    desktop_reader.open(page_paths["article"])

    page = desktop_reader.page
    directive = page.evaluate(_INJECT_INLINE_SCRIPT)

    assert directive.startswith("script-src"), directive
    assert page.evaluate("window.__feedsiteInjectedRan === undefined"), "the inline script ran"
    # The recorder every other test relies on heard of it too (its binding call is async).
    for _ in range(30):
        if desktop_reader.record.csp_violations:
            break
        page.wait_for_timeout(100)
    assert desktop_reader.record.csp_violations, "the violation did not reach the recorder"
    # Chromium also reports it as a console error, which every test's console check catches.
    assert any(
        "Content Security Policy" in error for error in desktop_reader.record.console_errors
    ), desktop_reader.record.console_errors
