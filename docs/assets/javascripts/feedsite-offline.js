/*
 * Offline reading: register the site's service worker (sw.js at the site root, found from this
 * script's own address, so the site works from any sub-path). Registered a little after the
 * page has loaded, when the browser is idle, so it never competes with the page or a search.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script || !window.isSecureContext) return;
  const root = new URL("../../", script.src); // assets/javascripts/ -> the site root
  const REGISTER_AFTER_MS = 3000;

  function register() {
    navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname })
      .catch(() => {}); // no offline copies then; the site itself works as before
  }

  // A few seconds after the page has loaded (a reader may search at once: that comes first),
  // then when the browser is idle. Pages opened before that are fetched again in the worker.
  window.addEventListener("load", () => {
    window.setTimeout(() => {
      if ("requestIdleCallback" in window) window.requestIdleCallback(register, { timeout: 5000 });
      else register();
    }, REGISTER_AFTER_MS);
  }, { once: true });
})();
