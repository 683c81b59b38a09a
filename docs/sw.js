/*
 * feedsite offline reading: a service worker that keeps a copy of what a reader has opened.
 *
 * Network first, always: while the site answers, readers get the page as published now (and
 * authors previewing with `mkdocs serve` see every edit). Each successful same-origin GET is
 * copied into the cache; when the network fails, the copy is served. A page never opened on
 * this device gets a short notice listing the pages that are available offline. Nothing is
 * fetched ahead: the cache holds only what the reader's own visits brought in (and search index
 * chunks their searches used), and the oldest pages go past MAX_PAGES.
 *
 * It sits at the site root (sw.js) so its scope is the whole site, from any sub-path;
 * assets/javascripts/feedsite-offline.js registers it once the page has loaded.
 */
"use strict";

const CACHE = "feedsite-offline-v1";
const MAX_PAGES = 200; // article and list pages kept; assets and index chunks are kept too
const SKIPPED = /\/livereload\b/; // mkdocs serve's long poll: never cached, never answered here

self.addEventListener("install", () => self.skipWaiting());

// No clients.claim(): the page that registered keeps loading straight from the network (its
// search included); only the reader's next pages go through here. That first page is copied
// now, so it too can be read offline.
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("feedsite-offline-") && name !== CACHE)
      .map((name) => caches.delete(name)));
    const cache = await caches.open(CACHE);
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    await Promise.all(windows.map(async (client) => {
      const url = new URL(client.url);
      if (url.origin !== self.location.origin || await cache.match(cacheKey(url.href))) return;
      try {
        const response = await fetch(url.href, { credentials: "same-origin" });
        if (response.ok) await cache.put(cacheKey(url.href), response);
      } catch (error) {
        // Offline already, or the page is gone: nothing to copy.
      }
    }));
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || SKIPPED.test(url.pathname)) {
    return; // the browser handles it as if there were no service worker
  }
  event.respondWith(networkFirst(request, event));
});

// One entry per address: a query string (?q=, Pagefind's ?ts=) names the same file here.
function cacheKey(url) {
  const key = new URL(url);
  key.search = "";
  key.hash = "";
  return key.href;
}

async function networkFirst(request, event) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
      const copy = response.clone();
      event.waitUntil(remember(request, copy));
    }
    return response;
  } catch (error) {
    const cache = await caches.open(CACHE);
    const kept = await cache.match(cacheKey(request.url));
    if (kept) return kept;
    if (request.mode === "navigate") return offlineNotice(cache);
    throw error;
  }
}

async function remember(request, response) {
  const cache = await caches.open(CACHE);
  const key = cacheKey(request.url);
  const known = await cache.match(key);
  // A fingerprinted asset or index chunk never changes under its name: one copy will do.
  if (known && (response.headers.get("Cache-Control") || "").includes("immutable")) return;
  await cache.put(key, response);
  if (!known && request.mode === "navigate") await trimPages(cache); // only a new page adds
}

async function trimPages(cache) {
  const pages = (await cache.keys()).filter((key) => isPage(key.url));
  // Keys come back in insertion order: the first are the oldest.
  for (const old of pages.slice(0, Math.max(0, pages.length - MAX_PAGES))) {
    await cache.delete(old);
  }
}

function isPage(url) {
  const path = new URL(url).pathname;
  return path.endsWith("/") || path.endsWith(".html");
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);

async function offlineNotice(cache) {
  const scope = new URL(self.registration.scope);
  const pages = (await cache.keys()).filter((key) => isPage(key.url)).reverse(); // newest first
  const items = (await Promise.all(pages.map(async (key) => {
    const kept = await cache.match(key);
    // The page's own <title> is escaped HTML text already ([^<] keeps any tag out).
    const title = kept ? (await kept.text()).match(/<title>([^<]*)<\/title>/i) : null;
    const path = decodeURIComponent(new URL(key.url).pathname.slice(scope.pathname.length));
    return `<li><a href="${escapeHtml(key.url)}">${title ? title[1].trim() : escapeHtml(path || "Home")}</a></li>`;
  }))).join("");
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offline</title><link rel="icon" href="data:,"></head>
<body style="font: 1.1rem/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>You are offline</h1>
<p>This page has not been opened on this device yet, so it cannot be shown until you are back
online.</p>
${items ? `<p>Pages you have opened before are available:</p><ul>${items}</ul>` : ""}
</body></html>`;
  return new Response(body, {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      // The notice holds no script; its inline style and empty icon are allowed, nothing else.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    },
  });
}
