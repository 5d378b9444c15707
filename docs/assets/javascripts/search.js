/* Site search: Pagefind's chunked index (site/pagefind/, built by build_hooks/heritage/outputs/search_index.py) behind
 * Material's header search box, with Material's markup, keyboard shortcuts and Chinese strings.
 *
 * Nothing is downloaded until the reader opens the search box; then only the chunks a query needs.
 * What it adds to Pagefind, for what Chinese readers type:
 *   - traditional characters are read as simplified (search/t2s.json, built from the characters in the index);
 *   - a run of Han characters that Pagefind splits into several words must appear as it was typed on the page
 *     (袁庚 does not find a page where 袁 and 庚 stand apart);
 *   - order: exact title or alias first (search/names/<bucket>.json), then real entries, then source pages
 *     (search/reference.json), then demonstration records; within each, pages whose title or alias has what was typed before pages that only mention it, the
 *     name that goes on least after it first; then Pagefind's order;
 *   - filters (栏目, 街道, 类别, 时期) are Pagefind filters.
 * Every text from the index is inserted as text; excerpts keep only Pagefind's <mark>.
 */
(() => {
  "use strict";

  const PAGE_SIZE = 10;
  const DEMO_FILTER = "资料";
  const DEMO_VALUE = "演示数据";
  const HIDDEN_FILTERS = new Set([DEMO_FILTER]);
  const FILTER_ORDER = ["栏目", "街道", "类别", "时期"];
  const NAME_BUCKETS = 256;
  const HAN_RUNS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g; // for String.match
  const HAS_HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

  const config = readConfig();
  const siteRoot = new URL(String(config.base || ".").replace(/\/?$/, "/"), location.href);
  const features = config.features || [];

  highlightOnThisPage();

  const root = document.querySelector("[data-hc-search]");
  const toggle = document.getElementById("__search");
  if (!root || !toggle) return;
  const form = root.querySelector("form");
  const input = root.querySelector(".md-search__input");
  const meta = root.querySelector(".md-search-result__meta");
  const list = root.querySelector(".md-search-result__list");
  const filterBar = root.querySelector(".hc-search-filters");
  const scrollwrap = root.querySelector(".md-search__scrollwrap");
  const strings = {
    placeholder: root.dataset.placeholder || "",
    none: root.dataset.none || "",
    one: root.dataset.one || "",
    other: root.dataset.other || "",
    loading: root.dataset.loading || "",
    failed: root.dataset.failed || "",
  };

  // --- loading, on first use only ------------------------------------------------------------------------------

  let pagefind = null;
  function loadPagefind() {
    if (!pagefind) {
      prefetchIndexFiles();
      pagefind = (async () => {
        const module = await import(new URL("pagefind/pagefind.js", siteRoot).href);
        await module.options({
          baseUrl: siteRoot.pathname,
          excerptLength: 36,
          // Matches in the entry's own names count most; the dictionary words a page mentions, least.
          ranking: { metaWeights: { title: 5.0, names: 4.0, pinyin: 4.0, mentions: 1.0 } },
        });
        await module.init();
        return module;
      })();
      pagefind.catch(() => (pagefind = null));
    }
    return pagefind;
  }

  // Pagefind asks for its entry file, then its metadata and WebAssembly, one after the other: ask for the last two
  // as soon as the entry file is known, while pagefind.js and its worker start (the browser's cache joins the
  // requests). Saves a round trip on a slow network.
  function prefetchIndexFiles() {
    const bundle = new URL("pagefind/", siteRoot);
    fetch(new URL("pagefind-entry.json", bundle))
      .then((response) => response.json())
      .then((entry) => {
        const language = entry.languages[document.documentElement.lang] || Object.values(entry.languages)[0];
        if (!language) return;
        fetch(new URL(`pagefind.${language.hash}.pf_meta`, bundle));
        fetch(new URL(`wasm.${language.wasm || "unknown"}.pagefind`, bundle));
      })
      .catch(() => {});
  }

  const cache = new Map();
  function fetchJSON(path) {
    if (!cache.has(path)) {
      cache.set(
        path,
        fetch(new URL(path, siteRoot)).then((response) => (response.ok ? response.json() : {}), () => ({})),
      );
    }
    return cache.get(path);
  }
  const traditional = () => fetchJSON("search/t2s.json");

  let demoIds = null; // result ids of demonstration records (a filter-only search would cost far more CPU)
  function loadDemoIds() {
    if (!demoIds) demoIds = fetchJSON("search/demo.json").then((ids) => new Set(Array.isArray(ids) ? ids : []));
    return demoIds;
  }
  let referenceIds = null; // result ids of source pages: after the entries, before demonstration records
  function loadReferenceIds() {
    if (!referenceIds) referenceIds = fetchJSON("search/reference.json").then((ids) => new Set(Array.isArray(ids) ? ids : []));
    return referenceIds;
  }

  // --- the query as the index reads it -------------------------------------------------------------------------

  // The same as name_key() and name_bucket() in build_hooks/heritage/outputs/search_index.py.
  function nameKey(text) {
    return text.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  }
  function nameBucket(key) {
    let hash = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(key)) {
      hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    }
    return (hash % NAME_BUCKETS).toString(16).padStart(2, "0");
  }

  async function normalize(raw) {
    let text = raw.normalize("NFKC").replace(/\s+/g, " ").trim();
    if (HAS_HAN.test(text)) {
      const map = await traditional();
      text = Array.from(text, (ch) => map[ch] || ch).join("");
    }
    text = text.toLowerCase();
    // What must be on a page for it to be a result: each run of Han characters as typed (Pagefind looks a run up
    // as several words, which may stand apart: 袁庚 must not find 袁…庚), and each other word. Pagefind also falls
    // back to shorter prefixes when a word is found nowhere (00042 → 00): such pages are not results either.
    const runs = text.match(HAN_RUNS) || [];
    const words = fold(text.replace(HAN_RUNS, " ")).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const latin = words.filter((w) => w.length > 1);
    // Typed in several parts without a space (1943年12月2日: a number, 年, a number …), the whole is what the reader
    // means: pages that have it as typed come first among those that have its parts anywhere (see showMore).
    const phrase = !text.includes(" ") && runs.length + words.length > 1 ? squeeze(text) : "";
    return { text, key: nameKey(text), runs, words, phrase, highlight: [...runs, ...latin], lookup: lookup(text) };
  }

  // Text as compared for a phrase: folded, without spaces and Pagefind's word boundaries.
  function squeeze(text) {
    return fold(text).replace(/[\s\u200b]+/g, "");
  }

  // What Pagefind is asked for. It splits a run of Han characters into words as the browser's segmenter does (东江纵队
  // → 东江 纵 队); single characters are the costliest words to look up (a long list of pages, and every word that
  // starts with them). Where a run has a word of two characters or more, only those are asked for: the pages found
  // include every page with the whole run, and matches() keeps only those.
  function lookup(text) {
    if (typeof Intl.Segmenter !== "function") return text;
    const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
    return text.replace(HAN_RUNS, (run) => {
      const pieces = Array.from(segmenter.segment(run), (s) => s.segment).filter((piece) => HAS_HAN.test(piece));
      const long = pieces.filter((piece) => piece.length > 1);
      return ` ${(long.length ? long : pieces).join(" ")} `;
    });
  }

  // Lower case without diacritics, as Pagefind compares Latin letters (pinyin with tone marks: yuán → yuan).
  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function matches(data, query) {
    const meta = data.meta || {};
    const content = String(data.content || "");
    const han = content.replace(/[\s\u200b]+/g, "");
    const terms = [meta.title || "", ...["names", "mentions"].flatMap((field) => String(meta[field] || "").split(" "))];
    const latin = fold([content, meta.title, meta.names, meta.pinyin, meta.mentions].filter(Boolean).join(" "));
    return (
      query.runs.every((run) => han.includes(run) || terms.some((term) => term.includes(run))) &&
      query.words.every((word) => latin.includes(word))
    );
  }

  // How near the page's own names (title, aliases) are to what was typed: the fewest characters a name goes on after
  // it, Infinity when no name has it. Chinese names end with what they name: 临时委员会 finds 中共广东省临时委员会 (0,
  // the committee itself) before 中共广东省临时委员会和东江纵队成立80周年纪念活动 (an event about it). The names
  // metadata holds each name and its endings (search_index.search_block); dictionary words the page only mentions
  // are not its names.
  function nameDistance(data, query) {
    const meta = data.meta || {};
    let best = Infinity;
    if (!query.key) return best;
    for (const name of [meta.title || "", ...String(meta.names || "").split(" ")]) {
      const key = nameKey(name);
      const at = key.lastIndexOf(query.key);
      if (at >= 0) best = Math.min(best, key.length - at - query.key.length);
    }
    return best;
  }

  // --- searching -------------------------------------------------------------------------------------------------

  let generation = 0;
  let state = null;
  const selected = {}; // filter → value

  async function run() {
    const current = ++generation;
    const raw = input.value;
    if (!raw.trim()) {
      state = null;
      list.replaceChildren();
      list.removeAttribute("aria-busy");
      setMeta(strings.placeholder);
      return;
    }
    setMeta(strings.loading);
    list.setAttribute("aria-busy", "true");
    let pf;
    let query;
    try {
      [pf, query] = await Promise.all([loadPagefind(), normalize(raw)]);
    } catch (error) {
      if (current === generation) setMeta(strings.failed);
      throw error;
    }
    if (current !== generation || !query.text) return;
    const filters = {};
    for (const [name, value] of Object.entries(selected)) if (value) filters[name] = value;
    const [search, exact, demo, reference] = await Promise.all([
      pf.search(query.lookup, { filters }),
      query.key ? fetchJSON(`search/names/${nameBucket(query.key)}.json`).then((names) => names[query.key] || []) : [],
      loadDemoIds(),
      loadReferenceIds(),
    ]);
    if (current !== generation) return;
    const first = new Set(exact);
    const ranked = search.results
      .map((result, index) => ({ result, index }))
      .sort(
        (a, b) =>
          first.has(b.result.id) - first.has(a.result.id) ||
          demo.has(a.result.id) - demo.has(b.result.id) ||
          reference.has(a.result.id) - reference.has(b.result.id) ||
          a.index - b.index,
      )
      .map(({ result }) => result);
    state = { query, ranked, first, demo, reference, next: 0, shown: 0, rejected: 0, current, loading: false };
    list.replaceChildren();
    await showMore(state);
    if (state && state.current === current) updateFilters(pf, query.text, filters, search.filters);
  }

  function showCount(total) {
    setMeta(total === 0 ? strings.none : total === 1 ? strings.one : strings.other.replace("#", String(total)));
  }

  async function showMore(s) {
    if (s.loading) return;
    if (s.next >= s.ranked.length) {
      finish(s);
      return;
    }
    s.loading = true;
    let added = 0;
    while (added < PAGE_SIZE && s.next < s.ranked.length) {
      if (s.shown === 0 && s.rejected >= PAGE_SIZE) {
        // A whole page of candidates and none has the query: Pagefind fell back to shorter prefixes (the query is
        // found nowhere). The rest are more of the same; do not download them.
        s.next = s.ranked.length;
        s.rejected = s.ranked.length;
        break;
      }
      const batch = s.ranked.slice(s.next, s.next + (PAGE_SIZE - added));
      s.next += batch.length;
      // All of the batch is requested at once and shown once it is all in, in the order of the whole list (exact
      // names first, real entries before demonstration records), and within that: pages whose own name has what was
      // typed, nearest first (nameDistance), before pages that only mention it; for a phrase, pages with it as typed
      // before pages with its parts apart. Their data is in the page's fragment, so this orders each batch (Pagefind
      // ranks matches in names high: they are seldom past the first).
      const pending = batch.map((result) => result.data());
      const found = [];
      for (const [index, result] of batch.entries()) {
        const data = await pending[index];
        if (s !== state) return;
        if (matches(data, s.query)) found.push({ result, data });
        else s.rejected += 1;
      }
      const rank = ({ result, data }) => [
        s.first.has(result.id) ? 0 : 1,
        s.demo.has(result.id) ? 1 : 0,
        s.reference.has(result.id) ? 1 : 0,
        nameDistance(data, s.query),
        s.query.phrase && !squeeze(String(data.content || "")).includes(s.query.phrase) ? 1 : 0,
      ];
      const keyed = found.map((item, index) => ({ item, index, key: rank(item) }));
      keyed.sort((a, b) => compareKeys(a.key, b.key) || a.index - b.index);
      for (const { item } of keyed) list.append(renderResult(item.data, s.query));
      added += found.length;
      s.shown += found.length;
    }
    s.loading = false;
    finish(s);
  }

  function compareKeys(a, b) {
    for (const [i, value] of a.entries()) if (value !== b[i]) return value < b[i] ? -1 : 1;
    return 0;
  }

  function finish(s) {
    // Results not yet checked are counted as results: a page that has every word of the query but not as typed is
    // rare (counting every one exactly would mean downloading every page's text).
    showCount(s.ranked.length - s.rejected);
    list.removeAttribute("aria-busy");
    observeEnd(s);
  }

  // More results when the reader scrolls to the end of the list.
  let observer = null;
  function observeEnd(s) {
    if (observer) observer.disconnect();
    if (s.next >= s.ranked.length || !("IntersectionObserver" in window) || !list.lastElementChild) return;
    observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && s === state) showMore(s);
      },
      { root: scrollwrap },
    );
    observer.observe(list.lastElementChild);
  }

  function setMeta(text) {
    meta.textContent = text;
  }

  // --- results, in Material's markup ---------------------------------------------------------------------------

  function element(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  }

  // Pagefind's excerpt (HTML-escaped text) read as text, with what the reader typed marked: each run of Han
  // characters whole (Pagefind would mark the words it looked up) and each other word.
  function excerptNodes(excerpt, query) {
    const template = document.createElement("template");
    template.innerHTML = excerpt || "";
    const text = template.content.textContent.replace(/\u200b/g, ""); // Pagefind's word boundaries
    const pattern = highlightPattern(query);
    if (!pattern) return [document.createTextNode(text)];
    const nodes = [];
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      nodes.push(document.createTextNode(text.slice(last, match.index)), element("mark", {}, [match[0]]));
      last = match.index + match[0].length;
    }
    nodes.push(document.createTextNode(text.slice(last)));
    return nodes;
  }

  function highlightPattern(query) {
    const terms = [...new Set(query.highlight)].sort((a, b) => b.length - a.length);
    if (!terms.length) return null;
    return new RegExp(terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "giu");
  }

  function resultHref(url, query) {
    const target = new URL(url, location.href);
    if (features.includes("search.highlight")) {
      if (query.highlight.length) target.searchParams.set("h", query.highlight.join(" "));
    }
    return target.href;
  }

  function renderResult(data, query) {
    const filters = data.filters || {};
    const tags = [];
    for (const name of FILTER_ORDER) {
      for (const value of filters[name] || []) if (name !== "时期") tags.push(element("span", { class: "md-tag" }, [value]));
    }
    if ((filters[DEMO_FILTER] || []).includes(DEMO_VALUE)) {
      tags.push(element("span", { class: "md-tag hc-search-demo" }, [DEMO_VALUE]));
    }
    const title = (data.meta && data.meta.title) || data.url;
    const article = element("article", { class: "md-search-result__article md-typeset" }, [
      element("div", { class: "md-search-result__icon md-icon" }),
      element("h1", {}, [title]),
      element("p", {}, excerptNodes(data.excerpt, query)),
      ...(tags.length ? [element("nav", { class: "md-tags" }, tags)] : []),
    ]);
    const item = element("li", { class: "md-search-result__item" }, [
      element("a", { href: resultHref(data.url, query), class: "md-search-result__link", tabindex: "-1" }, [article]),
    ]);
    // The best-matching sections (e.g. the segment of a recording where it is said), as Material shows them; not one
    // whose excerpt repeats the result's own (the section that excerpt was cut from: the same passage twice).
    const pattern = highlightPattern(query);
    const typed = (excerpt) => pattern && excerptNodes(excerpt, query).some((node) => node.nodeName === "MARK");
    const sections = (data.sub_results || [])
      .filter((sub) => sub.url.includes("#") && sub.title !== title && typed(sub.excerpt) && !samePassage(sub.excerpt, data.excerpt))
      .slice(0, 2);
    for (const sub of sections) {
      item.append(
        element("a", { href: resultHref(sub.url, query), class: "md-search-result__link", tabindex: "-1" }, [
          element("article", { class: "md-search-result__article md-typeset" }, [
            element("h2", {}, [sub.title || title]),
            element("p", {}, excerptNodes(sub.excerpt, query)),
          ]),
        ]),
      );
    }
    return item;
  }

  // Two excerpts of the same passage: Pagefind cuts a page's excerpt and its section's from the same words, the
  // section's sometimes shifted to start at its heading. Shared text at least half as long as the shorter excerpt;
  // a sentence a page repeats in another section (a lesson quotes an entry) is shorter than that.
  function samePassage(a, b) {
    const plain = (excerpt) => {
      const template = document.createElement("template");
      template.innerHTML = excerpt || "";
      return template.content.textContent.replace(/[\s\u200b]+/g, "");
    };
    const [x, y] = [plain(a), plain(b)];
    if (!x || !y) return false;
    // The longest common substring, one row of the table at a time.
    let longest = 0;
    let previous = new Array(y.length + 1).fill(0);
    for (let i = 1; i <= x.length; i++) {
      const row = new Array(y.length + 1).fill(0);
      for (let j = 1; j <= y.length; j++) {
        if (x[i - 1] === y[j - 1]) longest = Math.max(longest, (row[j] = previous[j - 1] + 1));
      }
      previous = row;
    }
    return longest * 2 >= Math.min(x.length, y.length);
  }

  // --- filters ---------------------------------------------------------------------------------------------------

  let filtersLoaded = null;
  function updateFilters(pf, text, filters, counts) {
    if (!filterBar) return;
    if (!filtersLoaded) {
      // Every filter's values: a few small files, fetched once the first results are on screen; then the counts
      // for this query (the search that showed them knew only the filters it used).
      filtersLoaded = pf
        .filters()
        .then(buildFilters)
        .then(() => pf.search(text, { filters }))
        .then((search) => showFilterCounts(search.filters))
        .catch(() => (filtersLoaded = null));
      return;
    }
    filtersLoaded.then(() => showFilterCounts(counts));
  }

  function showFilterCounts(counts) {
    for (const select of filterBar.querySelectorAll("select")) {
      const name = select.dataset.filter;
      for (const option of select.options) {
        if (!option.value) continue;
        const count = (counts[name] || {})[option.value] || 0;
        option.textContent = `${option.value}（${count}）`;
        option.disabled = count === 0 && select.value !== option.value;
      }
    }
  }

  function buildFilters(all) {
    const names = Object.keys(all)
      .filter((name) => !HIDDEN_FILTERS.has(name))
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, "zh"));
    filterBar.replaceChildren();
    for (const name of names) {
      const values = Object.keys(all[name]).sort((a, b) => a.localeCompare(b, "zh"));
      if (values.length < 2) continue;
      const select = element("select", { "data-filter": name, "aria-label": name }, [
        element("option", { value: "" }, [`${name}：全部`]),
        ...values.map((value) => element("option", { value }, [`${value}（${all[name][value]}）`])),
      ]);
      select.value = selected[name] || "";
      select.addEventListener("change", () => {
        selected[name] = select.value;
        run();
      });
      filterBar.append(select);
    }
    filterBar.hidden = !filterBar.childElementCount;
  }

  function rank(name) {
    const index = FILTER_ORDER.indexOf(name);
    return index < 0 ? FILTER_ORDER.length : index;
  }

  // --- opening, closing and the keyboard, as in Material -------------------------------------------------------

  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    loadPagefind().catch(() => setMeta(strings.failed));
    traditional();
    loadDemoIds();
  }

  function close() {
    if (toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
    input.blur();
  }

  input.addEventListener("focus", open);
  input.addEventListener("pointerdown", open);
  // On a phone the box opens from the magnifier in the header: start loading as the finger lands on it.
  for (const label of document.querySelectorAll("label.md-header__button[for='__search']")) {
    label.addEventListener("pointerdown", () => loadPagefind().catch(() => {}), { once: true });
  }
  toggle.addEventListener("change", () => {
    if (toggle.checked && document.activeElement !== input) setTimeout(() => input.focus(), 50);
  });

  let timer = 0;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(() => run().catch((error) => console.error(error)), 60);
  }
  input.addEventListener("input", (event) => {
    if (!event.isComposing) schedule();
  });
  input.addEventListener("compositionend", schedule);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => setTimeout(() => run(), 0));

  function links() {
    return Array.from(list.querySelectorAll(".md-search-result__link"));
  }

  function editable(target) {
    return (
      target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) &&
      !(target instanceof HTMLInputElement && /^(checkbox|radio)$/.test(target.type))
    );
  }

  document.addEventListener("keydown", (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey || event.isComposing) return;
    if (!toggle.checked) {
      if (!editable(event.target) && ["/", "s", "S", "f", "F"].includes(event.key)) {
        event.preventDefault();
        open();
        input.focus();
        input.select();
      }
      return;
    }
    const all = links();
    const position = all.indexOf(document.activeElement);
    switch (event.key) {
      case "Escape":
        event.preventDefault();
        close();
        break;
      case "ArrowDown":
      case "ArrowUp": {
        if (!all.length) return;
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        const next = position < 0 ? (step > 0 ? 0 : all.length - 1) : position + step;
        if (next < 0) input.focus();
        else all[Math.min(next, all.length - 1)].focus();
        break;
      }
      case "Enter":
        if (document.activeElement === input && all.length) {
          event.preventDefault();
          all[0].click();
        }
        break;
      default:
        // Typing while a result has the focus goes on in the search box, as in Material.
        if (position >= 0 && event.key.length === 1) input.focus();
    }
  });

  // --- helpers -----------------------------------------------------------------------------------------------------

  function readConfig() {
    try {
      return JSON.parse(document.getElementById("__config").textContent);
    } catch {
      return {};
    }
  }

  // search.highlight: marks what was searched for on the page a result opened (?h=…), as Material does.
  function highlightOnThisPage() {
    const terms = new URL(location.href).searchParams
      .getAll("h")
      .flatMap((value) => value.split(/\s+/))
      .filter((term) => term.length > 0);
    const article = document.querySelector("article.md-content__inner");
    if (!terms.length || !article) return;
    const pattern = new RegExp(terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "giu");
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    const texts = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest("script, style, mark, [hidden]")) texts.push(node);
    }
    for (const node of texts) {
      const text = node.textContent;
      pattern.lastIndex = 0;
      if (!pattern.test(text)) continue;
      pattern.lastIndex = 0;
      const parts = [];
      let last = 0;
      for (const match of text.matchAll(pattern)) {
        parts.push(document.createTextNode(text.slice(last, match.index)));
        parts.push(element("mark", { "data-md-highlight": "" }, [match[0]]));
        last = match.index + match[0].length;
      }
      parts.push(document.createTextNode(text.slice(last)));
      node.replaceWith(...parts);
    }
  }
})();
