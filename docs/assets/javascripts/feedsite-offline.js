/*
 * Offline reading: register the site's service worker (sw.js at the site root, found from this
 * script's own address, so the site works from any sub-path). Registered when the page has
 * loaded and the browser is idle, so it never competes with the page or its first search.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script || !window.isSecureContext) return;
  const root = new URL("../../", script.src); // assets/javascripts/ -> the site root

  function register() {
    navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname })
      .catch(() => {}); // no offline copies then; the site itself works as before
  }

  window.addEventListener("load", () => {
    if ("requestIdleCallback" in window) window.requestIdleCallback(register, { timeout: 5000 });
    else window.setTimeout(register, 1000);
  }, { once: true });
})();
