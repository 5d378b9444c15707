/* The lesson basket (备课篮): "加入备课篮" on an entry page, on each of its teaching points and discussion questions,
   and on each oral-history segment; the basket page (basket.md, <div class="hb-basket">) lists what was gathered,
   lets the lecturer title, reorder and remove items, and prints it as a handout: the lecturer's title, each item
   with its reliable sources one short line each (weak ones counted, not printed; a page's sources once, however
   many of its items are gathered), and its address and QR code only when the site has a public (https) address —
   never a local one such as the offline package's 127.0.0.1.

   Kept in this browser's localStorage: no server, no account. Without JavaScript nothing of this appears (every
   button is inserted here). Page text is only ever inserted with textContent, never as HTML. Written for older
   WebViews (WeChat): no arrow functions, no optional chaining, no nullish coalescing. */
(function () {
  "use strict";

  var KEY = "heritage-basket-v1";
  var TITLE_KEY = "heritage-basket-title-v1";
  var MAX_TITLE = 80;
  var MAX_SOURCE_LINE = 60;
  var WEAK_MARK = "来源较弱"; // how a weak source's citation ends (templates/_macros.md.j2: citation)
  var MAX_ITEMS = 200;
  var MAX_TEXT = 4000;
  var TEACHING_ID = "现场教学要点";
  var KIND_LABELS = { entry: "条目", point: "教学要点", question: "讨论题", segment: "口述片段" };

  function load() {
    try {
      var items = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(items) ? items.filter(function (i) { return i && typeof i.key === "string"; }) : [];
    } catch (e) {
      return [];
    }
  }

  function save(items) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(items.slice(0, MAX_ITEMS)));
      return true;
    } catch (e) {
      window.alert("无法保存备课篮：浏览器禁止了本地存储（隐私模式？）。");
      return false;
    }
  }

  // --- addresses and sources ----------------------------------------------------------------------------------

  // A public address: https, and not this computer or a private network (the offline package is served from
  // 127.0.0.1; a lecturer's laptop may be on 192.168.x): such an address means nothing on paper.
  function isPublic(url) {
    var match = /^https:\/\/([^\/?#]+)(?:[\/?#]|$)/i.exec(typeof url === "string" ? url : "");
    if (!match) return false;
    var host = match[1].replace(/:\d+$/, "").toLowerCase();
    return !(
      host === "localhost" ||
      /\.localhost$|\.local$/.test(host) ||
      host.charAt(0) === "[" ||
      /^(127|10|0)\./.test(host) ||
      /^192\.168\./.test(host) ||
      /^169\.254\./.test(host) ||
      /^172\.(1[6-9]|2\d|3[01])\./.test(host) ||
      host.indexOf(".") === -1
    );
  }

  // A source as one short line: its citation up to the first full stop outside 《》 (publisher, title, author,
  // date: no web address, access date, note or review remarks), with the web site's host name when it has one.
  // Works on the footnote's text as stored (also by earlier versions of this script).
  function shortSource(full) {
    var s = String(full || "");
    var depth = 0;
    var end = s.length;
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      if (c === "《") depth += 1;
      else if (c === "》" && depth > 0) depth -= 1;
      else if (c === "。" && depth === 0) {
        end = i;
        break;
      }
    }
    var line = s.slice(0, end).replace(/https?:\/\/\S+/g, "").replace(/\s+/g, " ").trim();
    var host = /https?:\/\/([^\/\s?#（）]+)/.exec(s);
    if (host && line.indexOf(host[1]) === -1) line += (line ? " · " : "") + host[1].replace(/^www\./, "");
    if (line.length > MAX_SOURCE_LINE) line = line.slice(0, MAX_SOURCE_LINE - 1) + "…";
    return { line: line, weak: s.indexOf(WEAK_MARK) !== -1 };
  }

  // --- the handout's title -----------------------------------------------------------------------------------

  function localDate() {
    var d = new Date();
    return d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日";
  }

  function defaultTitle() {
    return "备课讲义（" + localDate() + "）";
  }

  function storedTitle() {
    try {
      return (window.localStorage.getItem(TITLE_KEY) || "").replace(/\s+/g, " ").trim().slice(0, MAX_TITLE);
    } catch (e) {
      return "";
    }
  }

  function handoutTitle() {
    return storedTitle() || defaultTitle();
  }

  function saveTitle(value) {
    var title = String(value || "").replace(/\s+/g, " ").trim().slice(0, MAX_TITLE);
    try {
      if (title && title !== defaultTitle()) window.localStorage.setItem(TITLE_KEY, title);
      else window.localStorage.removeItem(TITLE_KEY);
    } catch (e) {
      /* private mode: the title still prints, it is only not remembered */
    }
  }

  function text(node) {
    return node ? (node.textContent || "").replace(/\s+/g, " ").trim().slice(0, MAX_TEXT) : "";
  }

  // A heading's own words: without its permalink (¶) or anything else we inserted.
  function headingText(node) {
    if (!node) return "";
    var copy = node.cloneNode(true);
    var extra = copy.querySelectorAll(".headerlink, .hb-add");
    for (var i = 0; i < extra.length; i++) extra[i].parentNode.removeChild(extra[i]);
    return text(copy);
  }

  function has(key) {
    var items = load();
    for (var i = 0; i < items.length; i++) {
      if (items[i].key === key) return true;
    }
    return false;
  }

  function toggle(item) {
    var items = load();
    var kept = items.filter(function (i) { return i.key !== item.key; });
    if (kept.length === items.length) {
      if (items.length >= MAX_ITEMS) {
        window.alert("备课篮已满（" + MAX_ITEMS + " 项），请先删除一些。");
        return;
      }
      kept.push(item);
    }
    save(kept);
    refreshButtons();
  }

  // --- what a page offers ------------------------------------------------------------------------------------

  function article() {
    return document.querySelector("article.md-content__inner");
  }

  // Sources of the page: the footnotes (each fact's source), without the back-links.
  function pageSources(root) {
    var out = [];
    var notes = root.querySelectorAll(".footnote > ol > li");
    for (var i = 0; i < notes.length; i++) {
      var copy = notes[i].cloneNode(true);
      var back = copy.querySelectorAll(".footnote-backref");
      for (var j = 0; j < back.length; j++) back[j].parentNode.removeChild(back[j]);
      out.push(text(copy));
    }
    return out;
  }

  function pageInfo(root) {
    var h1 = root.querySelector("h1");
    // A demonstration entry (fictional: an oral-history record, lesson or route with demo: true) carries
    // data-demo="true" on its banner (templates/_macros.md.j2: demo_banner), whatever the banner's words.
    var demo = !!root.querySelector('[data-demo="true"]');
    var description = document.querySelector('meta[name="description"]');
    var canonical = document.querySelector('link[rel="canonical"]');
    var href = canonical ? canonical.getAttribute("href") || "" : "";
    var qr = root.querySelector(".hb-print-qr img");
    return {
      title: headingText(h1),
      url: window.location.pathname,
      // The public address (a release build's canonical link), printed in the handout; never a local one.
      canonical: isPublic(href) ? href : "",
      qr: qr ? window.location.pathname + "qr.svg" : "",
      summary: description ? (description.getAttribute("content") || "").slice(0, MAX_TEXT) : "",
      sources: pageSources(root),
      demo: demo,
    };
  }

  function button(item, small) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "hb-add" + (small ? " hb-add--small" : "");
    b.setAttribute("data-key", item.key);
    b.addEventListener("click", function (event) {
      event.preventDefault();
      event.stopPropagation();
      toggle(item);
    });
    return b;
  }

  function refreshButtons() {
    var buttons = document.querySelectorAll("button.hb-add");
    for (var i = 0; i < buttons.length; i++) {
      var on = has(buttons[i].getAttribute("data-key"));
      buttons[i].textContent = on ? "✓ 已加入备课篮" : "加入备课篮";
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  function item(page, kind, key, title, body, extra) {
    var out = {
      key: page.url + "|" + key,
      kind: kind,
      title: title,
      text: body,
      page: page.title,
      url: page.url + (extra && extra.hash ? "#" + extra.hash : ""),
      sources: page.sources,
      canonical: page.canonical,
      qr: page.qr,
      demo: page.demo,
      time: extra && extra.time ? extra.time : "",
      cite: extra && extra.cite ? extra.cite : "",
      added: new Date().toISOString().slice(0, 10),
    };
    return out;
  }

  function decorateEntry(root) {
    var page = pageInfo(root);
    var h1 = root.querySelector("h1");
    if (!h1 || !page.title) return;
    var entryButton = button(item(page, "entry", "entry", page.title, page.summary, null), false);
    h1.parentNode.insertBefore(entryButton, h1.nextSibling);

    // Teaching points (ol) and questions (ul) of the teaching section, up to the next ## heading.
    var heading = document.getElementById(TEACHING_ID);
    var index = 0;
    for (var node = heading ? heading.nextElementSibling : null; node && node.tagName !== "H2"; node = node.nextElementSibling) {
      if (node.tagName !== "OL" && node.tagName !== "UL") continue;
      var kind = node.tagName === "OL" ? "point" : "question";
      var lis = node.children;
      for (var i = 0; i < lis.length; i++) {
        var words = text(lis[i]);
        index += 1;
        lis[i].appendChild(document.createTextNode(" "));
        lis[i].appendChild(button(item(page, kind, kind + "-" + index + "-" + words.slice(0, 40), words, words, { hash: TEACHING_ID }), true));
      }
    }

    // Oral-history segments: a ## heading whose next paragraph starts with its time range (a.oh-seek).
    var headings = root.querySelectorAll("h2[id]");
    for (var k = 0; k < headings.length; k++) {
      var h2 = headings[k];
      var next = h2.nextElementSibling;
      var seekLink = next && next.tagName === "P" ? next.querySelector("a.oh-seek") : null;
      if (!seekLink) continue;
      var synopsis = next.nextElementSibling && next.nextElementSibling.tagName === "P" ? text(next.nextElementSibling) : "";
      var citation = document.getElementById("cite-" + h2.id + "-gbt");
      var title = headingText(h2);
      var segment = item(page, "segment", "segment-" + h2.id, title, synopsis, {
        hash: h2.id,
        time: text(seekLink),
        cite: citation ? text(citation) : "",
      });
      h2.parentNode.insertBefore(button(segment, true), next);
    }
    refreshButtons();
  }

  // --- the basket page ---------------------------------------------------------------------------------------

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  function safeUrl(url) {
    // Only paths of this site ("/…", never "//host"): what pageInfo stored.
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" && url.charAt(1) !== "\\" ? url : "";
  }

  function move(from, to) {
    var items = load();
    if (to < 0 || to >= items.length) return;
    var moved = items.splice(from, 1)[0];
    items.splice(to, 0, moved);
    save(items);
    renderBasket();
  }

  function removeAt(index) {
    var items = load();
    items.splice(index, 1);
    save(items);
    renderBasket();
  }

  function tool(label, title, action) {
    var b = el("button", "hb-tool", label);
    b.type = "button";
    b.setAttribute("title", title);
    b.setAttribute("aria-label", title);
    b.addEventListener("click", action);
    return b;
  }

  function renderBasket() {
    var box = document.querySelector(".hb-basket");
    if (!box) return;
    var items = load();
    while (box.firstChild) box.removeChild(box.firstChild);

    var field = el("p", "hb-title-field");
    var label = el("label", "", "讲义标题 ");
    var input = el("input", "hb-title-input");
    input.type = "text";
    input.maxLength = MAX_TITLE;
    input.value = handoutTitle();
    input.setAttribute("placeholder", defaultTitle());
    label.appendChild(input);
    field.appendChild(label);
    box.appendChild(field);
    var heading = el("h1", "hb-handout-title", handoutTitle());
    box.appendChild(heading);
    input.addEventListener("input", function () {
      saveTitle(input.value);
      heading.textContent = input.value.replace(/\s+/g, " ").trim().slice(0, MAX_TITLE) || defaultTitle();
    });
    input.addEventListener("change", function () {
      if (!input.value.trim()) input.value = defaultTitle();
    });

    var bar = el("p", "hb-tools");
    bar.appendChild(el("span", "hb-count", "共 " + items.length + " 项"));
    if (items.length) {
      bar.appendChild(tool("打印讲义", "打印讲义（或另存为 PDF）", function () { window.print(); }));
      bar.appendChild(
        tool("清空", "清空备课篮", function () {
          if (window.confirm("确定清空备课篮？")) {
            save([]);
            renderBasket();
          }
        })
      );
    }
    box.appendChild(bar);

    if (!items.length) {
      box.appendChild(el("p", "hb-basket-empty", "备课篮是空的。在遗址、口述史等条目页面上点“加入备课篮”即可收集。"));
      return;
    }
    box.appendChild(el("p", "hb-handout-note", "共 " + items.length + " 项 · " + localDate() + " 整理自大鹏红色教育资源网站；每项注明出处，事实请以原条目为准。"));
    var sourcesOf = {}; // page path → the number of the item under which its sources are printed

    var list = el("ol", "hb-list");
    items.forEach(function (it, index) {
      var li = el("li", "hb-item");
      var heading = el("h2", "hb-item__title");
      var link = el("a", "", it.title || it.page || "（无标题）");
      var url = safeUrl(it.url);
      if (url) link.setAttribute("href", url);
      heading.appendChild(link);
      li.appendChild(heading);

      var meta = (KIND_LABELS[it.kind] || "条目") + (it.kind !== "entry" && it.page ? " · 出自《" + it.page + "》" : "");
      if (it.time) meta += " · " + it.time;
      if (it.demo) meta += " · 演示数据，请勿引用";
      li.appendChild(el("p", "hb-item__meta", meta));
      if (it.text && it.text !== it.title) li.appendChild(el("p", "hb-item__text", it.text));

      if (it.cite) {
        li.appendChild(el("p", "hb-item__cite", "引用：" + it.cite));
      }
      var pagePath = url.split("#")[0];
      if (it.sources && it.sources.length && pagePath && sourcesOf[pagePath]) {
        li.appendChild(el("p", "hb-item__label", "资料来源：同第 " + sourcesOf[pagePath] + " 项"));
      } else if (it.sources && it.sources.length) {
        if (pagePath) sourcesOf[pagePath] = index + 1;
        var reliable = [];
        var weak = 0;
        it.sources.slice(0, 100).forEach(function (s) {
          var brief = shortSource(s);
          if (brief.weak) weak += 1;
          else if (brief.line) reliable.push(brief.line);
        });
        li.appendChild(el("p", "hb-item__label", "资料来源"));
        if (reliable.length) {
          var sources = el("ol", "hb-item__sources");
          reliable.forEach(function (line) {
            sources.appendChild(el("li", "", line));
          });
          li.appendChild(sources);
        }
        if (weak) li.appendChild(el("p", "hb-item__weak", (reliable.length ? "另有 " : "") + weak + " 条较弱来源见网页"));
      }
      // The address on paper only when it is public: the stored canonical link, or this page's own origin.
      var address = isPublic(it.canonical) ? it.canonical : url && isPublic(window.location.origin + "/") ? window.location.origin + url : "";
      if (address) li.appendChild(el("p", "hb-item__url", "网址：" + address));
      var qr = address ? safeUrl(it.qr) : "";
      if (qr) {
        var img = el("img", "hb-item__qr");
        img.setAttribute("src", qr);
        img.setAttribute("alt", "此项网络版的二维码");
        li.insertBefore(img, li.firstChild);
      }

      var tools = el("p", "hb-tools");
      tools.appendChild(tool("↑", "上移", function () { move(index, index - 1); }));
      tools.appendChild(tool("↓", "下移", function () { move(index, index + 1); }));
      tools.appendChild(tool("删除", "从备课篮删除", function () { removeAt(index); }));
      li.appendChild(tools);
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function start() {
    var root = article();
    if (root && document.querySelector(".hb-print-qr")) decorateEntry(root);
    renderBasket();
    // The saved PDF's name and the print dialog's header: the handout's title, not the page's.
    var pageTitle = document.title;
    window.addEventListener("beforeprint", function () {
      if (document.querySelector(".hb-list")) document.title = handoutTitle();
    });
    window.addEventListener("afterprint", function () {
      document.title = pageTitle;
    });
    window.addEventListener("storage", function (event) {
      if (event.key === KEY || event.key === TITLE_KEY) {
        refreshButtons();
        renderBasket();
      }
    });
    document.documentElement.setAttribute("data-basket-ready", "1");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
