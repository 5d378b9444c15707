/* Oral-history pages: a.oh-seek links seek the .oh-player audio, the playing segment is highlighted, #t=… and
 * #<segment-id> deep links work. No-op without that markup. No ?. ?? or arrows: old WebViews (WeChat). */
(function () {
  "use strict";
  var page = null; // {audio, segments (by start), byId, current, pending}

  // "01:02:03", "2:03", "123" or "123.5" -> seconds (NaN otherwise)
  function parseTime(text) {
    var m = /^(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d+)?)$/.exec(text);
    if (!m) return NaN;
    return m[2] ? +m[1] * 3600 + +m[2] * 60 + +m[3] : (m[1] ? +m[1] * 60 : 0) + +m[3];
  }

  function formatTime(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    return [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60]
      .map(function (n) { return (n < 10 ? "0" : "") + n; }).join(":");
  }

  function closest(el, selector) {
    for (; el && el.nodeType === 1; el = el.parentNode) {
      if ((el.matches || el.webkitMatchesSelector).call(el, selector)) return el;
    }
    return null;
  }

  function segmentAt(t) {
    for (var i = 0; i < page.segments.length; i++) {
      var s = page.segments[i];
      if (s.start <= t && t < s.end) return s;
    }
    return null;
  }

  // Highlight the segment playing at time t (none if t is outside every segment).
  function mark(t) {
    var seg = segmentAt(t);
    if (seg === page.current) return;
    page.current = seg;
    page.segments.forEach(function (s) {
      var on = s === seg;
      if (s.heading) s.heading.classList.toggle("oh-current", on);
      s.rows.forEach(function (row) { row.classList.toggle("oh-current", on); });
      s.links.forEach(function (a) {
        if (on) a.setAttribute("aria-current", "true");
        else a.removeAttribute("aria-current");
      });
    });
  }

  function reveal(seg) {
    if (seg && seg.heading) seg.heading.scrollIntoView(true);
  }

  // Seek now, and again on loadedmetadata if not loaded yet (phones may ignore preload).
  function seek(t, play) {
    var audio = page.audio;
    page.pending = audio.readyState >= 1 ? null : t;
    try { audio.currentTime = t; } catch (e) { /* old engines refuse before metadata */ }
    if (play) {
      var p = audio.play();
      if (p && p.then) p.then(null, function () { /* blocked: the user can press play */ });
    }
  }

  // #t=… seeks, marks and scrolls; #<segment-id> seeks and marks (the browser scrolls). Never plays.
  function applyHash() {
    if (!page) return;
    var hash = location.hash.slice(1), seg, t, list = page.segments;
    try { hash = decodeURIComponent(hash); } catch (e) { /* malformed %-escape */ }
    if (hash.indexOf("t=") === 0) {
      t = parseTime(hash.slice(2).split(",")[0].replace(/^npt:/, ""));
      if (isNaN(t)) return;
      seg = segmentAt(t) || (list.length && t >= list[list.length - 1].end ? list[list.length - 1] : list[0]);
      reveal(seg);
    } else if (Object.prototype.hasOwnProperty.call(page.byId, hash)) {
      t = page.byId[hash].start;
    } else {
      return;
    }
    if (page.audio) seek(t, false);
    mark(t);
  }

  function onClick(e) {
    if (!page || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    var link = closest(e.target, "a.oh-seek");
    if (!link) return;
    var seg = page.byId[link.getAttribute("data-segment")];
    var t = parseFloat(link.getAttribute("data-start"));
    if (isNaN(t) && seg) t = seg.start;
    e.preventDefault();
    if (page.audio && !isNaN(t)) {
      seek(t, true);
      mark(t);
      try { history.replaceState(history.state, "", "#t=" + formatTime(t)); } catch (err) { /* file: URLs */ }
    }
    reveal(seg || segmentAt(t));
  }

  function onTime() {
    if (page && page.audio === this) mark(page.pending !== null ? page.pending : this.currentTime);
  }

  function init() {
    page = null;
    var links = document.querySelectorAll("a.oh-seek");
    var player = document.querySelector(".oh-player");
    var audio = player && player.querySelector("audio, video"); // a record publishes audio or video
    if (links.length || audio) {
      var byId = {}, segments = [];
      Array.prototype.forEach.call(links, function (a) {
        var id = a.getAttribute("data-segment"), seg = byId[id];
        if (!id) return;
        if (!seg) {
          seg = byId[id] = { start: parseFloat(a.getAttribute("data-start")), end: parseFloat(a.getAttribute("data-end")),
            heading: document.getElementById(id), rows: [], links: [] };
          if (!isNaN(seg.start)) segments.push(seg);
        }
        var row = closest(a, "tr");
        if (row) { seg.rows.push(row); seg.links.push(a); } // index links only
      });
      segments.sort(function (a, b) { return a.start - b.start; });
      segments.forEach(function (s, i) {
        if (isNaN(s.end)) s.end = i + 1 < segments.length ? segments[i + 1].start : Infinity;
        if (s.heading) s.heading.classList.add("oh-segment", audio ? "oh-segment--player" : "oh-segment");
      });
      var state = page = { audio: audio || null, segments: segments, byId: byId, current: null, pending: null };
      if (player) {
        if (!player.hasAttribute("role")) player.setAttribute("role", "region");
        player.setAttribute("aria-label", "录音播放器");
      }
      if (audio) {
        audio.addEventListener("loadedmetadata", function () {
          if (state.pending === null) return;
          audio.currentTime = state.pending;
          state.pending = null;
        });
        audio.addEventListener("timeupdate", onTime);
        audio.addEventListener("seeked", onTime);
      }
      applyHash();
    }
    document.documentElement.dataset.ohReady = "1";
  }

  document.addEventListener("click", onClick, true);
  window.addEventListener("hashchange", applyHash);
  // Material's instant navigation (if enabled) announces each new page on document$.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
