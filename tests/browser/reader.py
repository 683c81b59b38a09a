"""A reader's browser tab on the served site, recording every request, error and dialog."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:  # imported lazily so the suite can skip cleanly where Playwright is missing
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Dialog, Page, Request

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
SCHEMES = {"light": "light", "dark": "dark"}
LOCAL_HOST = "127.0.0.1"

# Material shows this while its search worker is still loading the index.
SEARCH_INITIALISING = "Initializing search"

# Reports CSP violations from the page's own event, which names the blocked resource and the
# directive; the console message Chromium also prints is caught by the console listener.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__feedsiteCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || "?"}:${e.lineNumber}`);
});
"""

# Times one keystroke from its `input` event to the first rendering of results for the whole
# query, inside the page so no round trip to Python is counted.
_TIME_LAST_KEYSTROKE = """
([query, expectedPath]) => { window.__feedsiteSearchTiming = new Promise((resolve) => {
  const input = document.querySelector(".md-search__input");
  const output = document.querySelector(".md-search-result");
  // Material lowercases the query it puts in each result link's `h` parameter.
  const wanted = "h=" + encodeURIComponent(query.toLowerCase());
  let typedAt = null;
  // Before the page's own listeners (capture, on the window): with the index loaded, a
  // search can finish in the microtasks between two listeners of the same keystroke.
  window.addEventListener("input", (event) => {
    if (typedAt === null && event.target === input && input.value === query) {
      typedAt = performance.now();
    }
  }, true);
  const rendered = () => [...output.querySelectorAll("a.md-search-result__link")].some(
    (a) => a.href.includes(wanted) && a.href.includes(expectedPath));
  const observer = new MutationObserver(() => {
    if (typedAt !== null && rendered()) {
      observer.disconnect();
      resolve(performance.now() - typedAt);
    }
  });
  observer.observe(output, { childList: true, subtree: true, characterData: true });
  setTimeout(() => { observer.disconnect(); resolve(-1); }, 5000);
}); }
"""


# True once the results on screen are those of the whole query, or say that nothing matched.
_RESULTS_FOR_QUERY = """
(query) => {
  const wanted = "h=" + encodeURIComponent(query.toLowerCase());
  const links = [...document.querySelectorAll(".md-search-result a.md-search-result__link")];
  const meta = document.querySelector(".md-search-result__meta").textContent;
  return links.some((a) => a.href.includes(wanted)) || /no matching/i.test(meta);
}
"""


# Infinite animations (spinners) never finish, so only those with an end are awaited.
_FINITE_ANIMATIONS_FINISHED = """
() => Promise.all(document.getAnimations()
  .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
  .map((a) => a.finished.catch(() => null)))
"""


@dataclass(frozen=True)
class PageState:
    """One combination the suite checks: which page, colour scheme and screen size."""

    page: str
    scheme: str
    viewport: str

    @property
    def name(self) -> str:
        return f"{self.page}-{self.scheme}-{self.viewport}"

    @property
    def is_phone(self) -> bool:
        return self.viewport == "phone"


STATES = [
    PageState(page, scheme, viewport)
    for page in ("home", "article")
    for scheme in SCHEMES
    for viewport in VIEWPORTS
]


def states_where(**wanted: str) -> list[Any]:
    """pytest params for the STATES matching `wanted` (e.g. viewport="phone"), named by state."""
    import pytest

    return [
        pytest.param(s, id=s.name)
        for s in STATES
        if all(getattr(s, key) == value for key, value in wanted.items())
    ]


@dataclass
class Recorder:
    """What the tab did that a reader should never see or pay for."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not _is_local(url)]


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    # data: and blob: URLs never leave the browser.
    return parts.scheme in ("data", "blob") or parts.hostname == LOCAL_HOST


class Reader:
    """One fresh browser context (no shared storage) showing one page state."""

    def __init__(self, browser: Browser, base_url: str, state: PageState) -> None:
        self.state = state
        self.record = Recorder()
        self.context: BrowserContext = browser.new_context(
            base_url=base_url,
            viewport=VIEWPORTS[state.viewport],  # type: ignore[arg-type]
            color_scheme=SCHEMES[state.scheme],  # type: ignore[arg-type]
            is_mobile=state.is_phone,
            has_touch=state.is_phone,
            service_workers="allow",
        )
        self.context.set_default_timeout(10_000)
        # Context level, so requests from workers and service workers are counted too.
        self.context.on("request", self._on_request)
        self.context.expose_binding("__feedsiteCspViolation", self._on_csp_violation)
        self.context.add_init_script(_CSP_LISTENER)
        self.page: Page = self.context.new_page()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.record.console_errors.append(f"{exc}"))
        self.page.on("dialog", self._on_dialog)

    def _on_request(self, request: Request) -> None:
        self.record.requests.append(request.url)

    def _on_csp_violation(self, _source: Any, message: str) -> None:
        self.record.csp_violations.append(message)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.record.console_errors.append(f"{message.text} ({message.location})")

    def _on_dialog(self, dialog: Dialog) -> None:
        self.record.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()

    # -- navigation -------------------------------------------------------------------------

    def open(self, path: str) -> None:
        self.page.goto(path, wait_until="load")

    def open_state_page(self, paths: dict[str, str]) -> None:
        self.open(paths[self.state.page])

    # -- search -----------------------------------------------------------------------------

    def wait_for_search_index(self) -> None:
        self.page.wait_for_function(
            "(text) => { const m = document.querySelector('.md-search-result__meta');"
            " return m !== null && m.textContent.trim() !== '' && !m.textContent.includes(text); }",
            arg=SEARCH_INITIALISING,
        )

    def open_search(self) -> None:
        """Open search as this reader would (tap the icon on a phone, else the `/` key)."""
        if self.state.is_phone:
            self.page.locator("label.md-header__button[for='__search']").tap()
        else:
            self.page.locator("body").press("/")
        self.page.wait_for_function("document.activeElement?.matches('.md-search__input')")

    def search_is_open(self) -> bool:
        return bool(self.page.evaluate("document.getElementById('__search').checked"))

    def type_query_timed(self, query: str, expected_path: str) -> float:
        """Type `query` and return ms from its last keystroke to results that link there."""
        self.wait_for_search_index()
        self.open_search()
        box = self.page.locator(".md-search__input")
        box.press_sequentially(query[:-1])
        # The timer is stored, not awaited, so the last keystroke can be typed while it waits.
        self.page.evaluate(_TIME_LAST_KEYSTROKE, [query, expected_path])
        box.press_sequentially(query[-1])
        return float(self.page.evaluate("window.__feedsiteSearchTiming"))

    def type_query(self, query: str) -> str:
        """Type `query` into the open search box; return the result count line it settles on."""
        self.wait_for_search_index()
        if not self.search_is_open():
            self.open_search()
        self.page.locator(".md-search__input").fill("")
        self.page.locator(".md-search__input").press_sequentially(query)
        meta = self.page.locator(".md-search-result__meta")
        self.page.wait_for_function(_RESULTS_FOR_QUERY, arg=query)
        return re.sub(r"\s+", " ", meta.inner_text()).strip()

    def result_links(self) -> list[str]:
        links: list[str] = self.page.eval_on_selector_all(
            "a.md-search-result__link", "(links) => links.map((a) => a.href)"
        )
        return links

    # -- mobile navigation ------------------------------------------------------------------

    def open_drawer(self) -> None:
        self.page.locator("label.md-header__button[for='__drawer']").click()
        self.page.wait_for_function("document.getElementById('__drawer').checked")
        self.settle()

    # -- evidence ---------------------------------------------------------------------------

    def settle(self) -> None:
        """Wait for running CSS transitions, so colours and positions are the final ones."""
        self.page.evaluate(_FINITE_ANIMATIONS_FINISHED)

    def axe_violations(self) -> str:
        """axe-core's report for the page as it is now; empty when nothing is violated."""
        from axe_playwright_python.sync_playwright import Axe

        self.settle()
        result = Axe().run(self.page)
        return "" if result.violations_count == 0 else result.generate_report()

    def screenshot(self, step: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.state.name}-{step}.png"
        self.settle()
        self.page.screenshot(path=str(path), full_page=False)
        return path
