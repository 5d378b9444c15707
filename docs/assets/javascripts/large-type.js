/* 大字 (large type, 适老化): one switch in the header that enlarges text and touch targets on every page, in print
   too (docs/assets/stylesheets/large-type.css, keyed on <html class="hc-large">). The choice is kept in this
   browser's localStorage, for every page of the site; nothing is sent anywhere.

   Loaded synchronously from the header (overrides/partials/header.html), right after the switch and before the
   page's content is parsed: the stored choice is on <html> before the content is laid out, so a page never shows
   in small type first. The switch is hidden in the markup and shown here, so without JavaScript there is no button
   that does nothing. Written for older WebViews (WeChat): no arrow functions, no optional chaining. */
(function () {
  "use strict";

  var KEY = "heritage-large-type-v1";
  var LARGE = "hc-large";
  var root = document.documentElement;

  function stored() {
    try {
      return window.localStorage.getItem(KEY) === "1";
    } catch (e) {
      return false; // storage refused (private mode, file://): normal type
    }
  }

  function remember(on) {
    try {
      if (on) window.localStorage.setItem(KEY, "1");
      else window.localStorage.removeItem(KEY);
    } catch (e) {
      /* not remembered; this page still changes */
    }
  }

  function switches() {
    return document.querySelectorAll("button[data-hc-large-type]");
  }

  function apply(on) {
    if (on) root.classList.add(LARGE);
    else root.classList.remove(LARGE);
    var buttons = switches();
    for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
  }

  function wire(button) {
    if (button.getAttribute("data-hc-wired")) return;
    button.setAttribute("data-hc-wired", "1");
    button.hidden = false;
    button.addEventListener("click", function () {
      var on = !root.classList.contains(LARGE);
      remember(on);
      apply(on);
    });
  }

  function wireAll() {
    var buttons = switches();
    for (var i = 0; i < buttons.length; i++) wire(buttons[i]);
    apply(stored());
  }

  apply(stored()); // at once: before the rest of the page is parsed
  wireAll(); // the switch just before this script
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wireAll);

  // Switched in another tab or window of this site: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) apply(stored());
  });
})();
