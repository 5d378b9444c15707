/* 报告错误: the link at the foot of an entry page (overrides/partials/feedback.html, shown only when mkdocs.yml's
   extra.report names a repository or an e-mail) opens a new issue on GitHub or Gitee, or an e-mail, with the page's
   address. Here, when the reader follows it, the text they have selected on the page is quoted in it too, so a
   maintainer sees exactly which words are wrong. The link goes straight to GitHub, Gitee or the mail program: nothing
   passes through this site and nothing is stored.

   The selection is read as the pointer goes down on the link (a click elsewhere clears it before the click arrives),
   or at the click itself (keyboard). The URL is built with encodeURIComponent only and set as the link's href: no
   text of the page or the selection is ever inserted as HTML. Without JavaScript the link works as written, with the
   address alone. Written for older WebViews (WeChat): no arrow functions, no optional chaining. */
(function () {
  "use strict";

  var MAX_SELECTION = 500; // characters quoted; a longer selection is cut and marked with …
  var ASK = "哪里有误？应当怎样改正？如有依据，请注明资料名称、页码或网址。";

  // The selected text, tidied: no trailing spaces on a line, at most one empty line in a row, cut at MAX_SELECTION
  // characters (code points, so a character outside the BMP is never split).
  function selectedText() {
    var selection = window.getSelection ? window.getSelection() : null;
    var text = selection ? String(selection.toString()) : "";
    text = text
      .replace(/\r\n?/g, "\n")
      .replace(/[ \t\u00a0\u3000]+/g, " ")
      .replace(/ *\n */g, "\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
    var chars = Array.from ? Array.from(text) : text.split("");
    if (chars.length > MAX_SELECTION) text = chars.slice(0, MAX_SELECTION).join("").trim() + "…";
    return text;
  }

  // The page's public address: its canonical link (the site's address and the page's path), else where it is read.
  function pageAddress() {
    var canonical = document.querySelector('link[rel="canonical"]');
    var href = canonical ? canonical.getAttribute("href") : "";
    return href || String(window.location.href).split("#")[0];
  }

  // "a=1&b=2" → [["a", "1"], ["b", "2"]], decoded; order kept.
  function parseQuery(query) {
    var pairs = [];
    var parts = query ? query.split("&") : [];
    for (var i = 0; i < parts.length; i++) {
      if (!parts[i]) continue;
      var at = parts[i].indexOf("=");
      var name = at < 0 ? parts[i] : parts[i].slice(0, at);
      var value = at < 0 ? "" : parts[i].slice(at + 1);
      try {
        pairs.push([decodeURIComponent(name), decodeURIComponent(value.replace(/\+/g, " "))]);
      } catch (e) {
        pairs.push([name, value]);
      }
    }
    return pairs;
  }

  // The body of the report: the page's address, the selection quoted line by line (Markdown "> ", which GitHub and
  // Gitee show as a quotation and a mail reads as one), and the question. Mail wants CRLF line ends (RFC 6068).
  function reportBody(selection, newline) {
    var lines = ["页面：" + pageAddress(), ""];
    if (selection) {
      lines.push("选中的文字：");
      var quoted = selection.split("\n");
      for (var i = 0; i < quoted.length; i++) lines.push(quoted[i] ? "> " + quoted[i] : ">");
      lines.push("");
    }
    lines.push(ASK);
    return lines.join(newline);
  }

  // The link's URL with its body parameter (body on GitHub and in mail, description on Gitee) rewritten; every
  // other parameter (the title, the subject) kept as written by the theme. Every name and value is encoded again.
  function withSelection(original, selection) {
    var at = original.indexOf("?");
    var base = at < 0 ? original : original.slice(0, at);
    var pairs = parseQuery(at < 0 ? "" : original.slice(at + 1));
    var mail = /^mailto:/i.test(base);
    var key = mail ? "body" : /^https:\/\/gitee\.com\//i.test(base) ? "description" : "body";
    var body = reportBody(selection, mail ? "\r\n" : "\n");
    var found = false;
    for (var i = 0; i < pairs.length; i++) {
      if (pairs[i][0] === key) {
        pairs[i][1] = body;
        found = true;
      }
    }
    if (!found) pairs.push([key, body]);
    var query = [];
    for (var j = 0; j < pairs.length; j++) query.push(encodeURIComponent(pairs[j][0]) + "=" + encodeURIComponent(pairs[j][1]));
    return base + "?" + query.join("&");
  }

  function setUp(link) {
    var original = link.getAttribute("href") || "";
    if (!/^(https:\/\/(github|gitee)\.com\/|mailto:)/i.test(original)) return;
    var captured = "";
    function capture() {
      captured = selectedText();
      link.setAttribute("href", withSelection(original, captured));
    }
    // Before the pointer's default action clears the selection; also makes "open in new tab" carry it.
    link.addEventListener("pointerdown", capture);
    link.addEventListener("mousedown", capture);
    link.addEventListener("touchstart", capture, { passive: true });
    link.addEventListener("click", function () {
      var now = selectedText();
      link.setAttribute("href", withSelection(original, now || captured));
      captured = "";
      // Once followed, the link is as written again: a later "open in new tab" quotes only what is selected then.
      window.setTimeout(function () {
        link.setAttribute("href", original);
      }, 0);
    });
    // An issue form opens beside the page, so the reader keeps their place; mail opens the mail program.
    if (!/^mailto:/i.test(original)) {
      link.setAttribute("target", "_blank");
      link.setAttribute("rel", "noopener noreferrer");
    }
  }

  function init() {
    var links = document.querySelectorAll("p.hc-report a[href]");
    for (var i = 0; i < links.length; i++) setUp(links[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
