/*
 * feedsite search: Pagefind's JS API behind Material's search markup (partials/search.html).
 *
 * The index (SITE/pagefind/, built from the HTML by `feedsite index` or the MkDocs hook) is
 * split into chunks; Pagefind fetches only those a query needs. This file
 * opens and closes the dialog (header icon, `/` or `s`, Escape), shows results while typing
 * (title, matching section, excerpt with the terms marked), keeps the query in `?q=` so it can
 * be shared, and marks the terms on the page a result opens (`?h=term`). Every URL is built
 * from the page's own base, so the site works from any sub-path.
 */
(() => {
  "use strict";

  const root = document.querySelector("[data-fs-search]");
  const toggle = document.getElementById("__search");
  if (!root || !toggle) return;

  const input = root.querySelector(".md-search__input");
  const form = root.querySelector("form");
  const meta = root.querySelector(".md-search-result__meta");
  const list = root.querySelector(".md-search-result__list");
  const text = root.dataset;
  const base = new URL(text.fsBase || "./", document.baseURI);
  const MAX_PAGES = 10; // result pages shown; the count line still says how many matched
  const MAX_SECTIONS = 3; // sections listed under each page
  const HIGHLIGHT_PARAM = "h";
  const SHARE_PARAM = "q";

  let script = null; // Promise of Pagefind's script, options set: the same size at any feed size
  let engine = null; // Promise of the same module once it loads the index (first sign of search)
  let searchId = 0;
  let running = null; // Promise of the search under way: one at a time, the newest query next
  let returnFocus = null;

  function pagefindScript() {
    if (script === null) {
      script = import(new URL("pagefind/pagefind.js", base).href).then(async (module) => {
        await module.options({
          baseUrl: base.pathname,
          highlightParam: HIGHLIGHT_PARAM,
          excerptLength: 24,
          // On the page, not in Pagefind's worker: starting the worker cost about 100 ms before
          // the first result here, and a search itself takes milliseconds.
          noWorker: true,
        });
        return module;
      });
      script.catch(() => { script = null; }); // let a later attempt try again
    }
    return script;
  }

  function pagefind() {
    if (engine === null) {
      engine = pagefindScript().then((module) => {
        module.init(); // fetches the entry file, the index's page list and the WebAssembly
        return module;
      });
      engine.catch(() => { engine = null; });
    }
    return engine;
  }

  // Pagefind's script (13 KB compressed, then revalidated) loads while the page does, so a
  // reader who searches at once waits for the index only. Nothing that grows with the feed
  // loads before the reader shows an intent to search.
  pagefindScript().catch(() => {});

  // -- opening and closing -----------------------------------------------------------------

  const isOpen = () => toggle.checked;

  // The toggle changes by a click, as in Material: its scroll lock on phones follows the
  // change event, which calls open() or close() again to finish the job.
  function open() {
    if (!isOpen()) {
      returnFocus = document.activeElement !== input ? document.activeElement : null;
      toggle.click();
      return;
    }
    pagefind().catch(() => {});
    if (document.activeElement !== input) input.focus();
    input.select();
  }

  function close() {
    if (isOpen()) {
      toggle.click();
      return;
    }
    if (document.activeElement === input || root.contains(document.activeElement)) {
      const back = returnFocus;
      if (back && back !== document.body && document.contains(back)) back.focus();
      else input.blur();
      if (root.contains(document.activeElement)) document.activeElement.blur();
    }
    returnFocus = null;
    shareQuery("");
  }

  // The header icon and the overlay are labels for the toggle: they click it too.
  toggle.addEventListener("change", () => (isOpen() ? open() : close()));
  input.addEventListener("focus", () => { if (!isOpen()) open(); });
  // A pointer on its way to the search box: start loading the engine a moment earlier.
  root.addEventListener("pointerenter", () => { pagefind().catch(() => {}); }, { once: true });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = list.querySelector("a");
    if (first) first.click();
  });
  form.addEventListener("reset", () => {
    window.setTimeout(() => { run(""); input.focus(); }, 0);
  });

  function isTyping(element) {
    if (!element) return false;
    const tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (isOpen() && event.key === "Escape") {
      event.preventDefault();
      close();
      return;
    }
    if (!isOpen() && (event.key === "/" || event.key === "s") && !isTyping(event.target)) {
      event.preventDefault();
      open();
      return;
    }
    if (isOpen() && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      const links = [...list.querySelectorAll("a")];
      if (links.length === 0) return;
      const at = links.indexOf(document.activeElement);
      let next;
      if (event.key === "ArrowDown") next = at < 0 ? 0 : Math.min(at + 1, links.length - 1);
      else next = at <= 0 ? -1 : at - 1;
      event.preventDefault();
      if (next < 0) input.focus();
      else links[next].focus();
    }
  }, true);

  // -- searching ---------------------------------------------------------------------------

  input.addEventListener("input", () => {
    run(input.value);
    shareQuery(input.value.trim());
  });

  async function run(raw) {
    const query = raw.trim();
    const id = ++searchId;
    if (query === "") {
      list.replaceChildren();
      meta.textContent = text.fsPlaceholder;
      return;
    }
    let module;
    try {
      if (engine === null) meta.textContent = text.fsLoading;
      module = await pagefind();
    } catch (error) {
      meta.textContent = text.fsFailed;
      return;
    }
    // No fixed debounce (Pagefind's waits before every search, also a reader's only one):
    // a query starts at once unless a search is under way; queries typed meanwhile wait for
    // it, and only the newest of them runs.
    while (running !== null) {
      await running.catch(() => {});
      if (id !== searchId) return; // a newer query replaced this one
    }
    running = module.search(query);
    let found;
    try {
      found = await running;
    } catch (error) {
      if (id === searchId) meta.textContent = text.fsFailed;
      return;
    } finally {
      running = null;
    }
    if (id !== searchId) return;
    const total = found.results.length;
    const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (total === 0) {
      setCount(0);
      list.replaceChildren();
      return;
    }
    // Each result's text is its own small download. The first is fetched alone: beside nine
    // others it arrived 50-90 ms later here. The rest start once it is shown, all at once,
    // and each appears as soon as it and those above it have arrived.
    let first;
    try {
      first = await found.results[0].data();
    } catch (error) {
      if (id === searchId) meta.textContent = text.fsFailed; // offline, and the text not kept
      return;
    }
    if (id !== searchId) return;
    setCount(total);
    list.replaceChildren(resultItem(first, terms));
    // A text that cannot be fetched (offline, not kept) costs its one result, not the rest.
    const pending = found.results.slice(1, MAX_PAGES)
      .map((result) => result.data().catch(() => null));
    for (const data of pending) {
      const page = await data;
      if (id !== searchId) return;
      if (page !== null) list.append(resultItem(page, terms));
    }
  }

  function setCount(total) {
    meta.textContent = total === 0 ? text.fsNone
      : total === 1 ? text.fsOne
      : text.fsOther.replace("#", String(total));
  }

  function resultItem(page, terms) {
    const title = page.meta.title || page.url;
    const sections = (page.sub_results || []).slice(0, MAX_SECTIONS);
    const item = element("li", "md-search-result__item");
    const best = sections[0] || { url: page.url, title, excerpt: page.excerpt };
    const head = element("article", "md-search-result__article md-typeset");
    head.append(element("div", "md-search-result__icon md-icon"));
    head.append(marked(element("h1"), title, terms));
    if (best.title && best.title !== title) {
      head.append(marked(element("p", "fs-search-result__section"), best.title, terms));
    }
    head.append(excerpt(best.excerpt || page.excerpt));
    item.append(link(best.url, head));
    for (const section of sections.slice(1)) {
      const body = element("article", "md-search-result__article md-typeset");
      body.append(marked(element("h2"), section.title, terms));
      body.append(excerpt(section.excerpt));
      item.append(link(section.url, body));
    }
    return item;
  }

  function link(href, content) {
    const a = element("a", "md-search-result__link");
    a.href = href;
    a.append(content);
    return a;
  }

  function element(tag, className) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  // Pagefind's excerpts are page text with <mark> around the terms. Only the text and the
  // marks are kept, so no markup from an article can reach the results.
  function excerpt(html) {
    const p = element("p", "md-search-result__teaser");
    const parsed = new DOMParser().parseFromString(`<p>${html || ""}</p>`, "text/html");
    for (const node of parsed.body.firstChild.childNodes) {
      if (node.nodeName === "MARK") p.append(marked(element("mark"), node.textContent, []));
      else p.append(document.createTextNode(node.textContent));
    }
    return p;
  }

  // Titles and headings come without marks: mark the words that start with a query term.
  function marked(node, value, terms) {
    if (terms.length === 0) {
      node.textContent = value;
      return node;
    }
    for (const word of value.split(/(\s+)/)) {
      const bare = word.toLowerCase().replace(/^[^\p{L}\p{N}]+/u, "");
      if (terms.some((term) => bare.startsWith(term))) {
        const mark = element("mark");
        mark.textContent = word;
        node.append(mark);
      } else {
        node.append(document.createTextNode(word));
      }
    }
    return node;
  }

  // -- sharing and arriving ----------------------------------------------------------------

  function shareQuery(query) {
    const url = new URL(window.location.href);
    if (query) url.searchParams.set(SHARE_PARAM, query);
    else url.searchParams.delete(SHARE_PARAM);
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url);
  }

  const params = new URLSearchParams(window.location.search);
  const shared = params.get(SHARE_PARAM);
  if (shared) {
    input.value = shared;
    open();
    run(shared);
  }
  if (params.getAll(HIGHLIGHT_PARAM).some(Boolean)) {
    // Arrived from a result: mark the terms in the article (Pagefind's own highlighter).
    import(new URL("pagefind/pagefind-highlight.js", base).href).then((module) => {
      new module.default({
        highlightParam: HIGHLIGHT_PARAM,
        addStyles: false, // styled by search.css: an injected <style> would break the CSP
        markOptions: {
          className: "fs-search-highlight",
          exclude: ["[data-pagefind-ignore]", "[data-pagefind-ignore] *"],
        },
      });
    }).catch(() => {});
  }
})();
