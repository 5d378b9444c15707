/* Listing filters (every collection), and today's date in oral-history citations.
   No dependencies; does nothing on pages without the markup. Avoids ?. and ?? for older WebViews (WeChat). */
(function () {
  "use strict";

  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  // GB/T 7714 asks for the date the reader cited the source: fill it in where the page says [引用日期].
  function fillCitationDates() {
    var codes = document.querySelectorAll(".oh-citation code");
    for (var i = 0; i < codes.length; i++) {
      codes[i].textContent = codes[i].textContent.replace("[引用日期]", "[" + today() + "]");
    }
  }

  // Listing pages: each card carries its filter values as JSON in data-facets; each select keeps the cards whose
  // values include its choice (all selects together: AND).
  function setUpFilters() {
    var forms = document.querySelectorAll(".hc-filter");
    for (var f = 0; f < forms.length; f++) setUpFilter(forms[f]);
  }

  function setUpFilter(form) {
    var list = document.getElementById(form.getAttribute("data-target"));
    if (!list) return;
    var cards = list.querySelectorAll("[data-facets]");
    var facets = [];
    for (var c = 0; c < cards.length; c++) {
      try { facets.push(JSON.parse(cards[c].getAttribute("data-facets")) || {}); } catch (e) { facets.push({}); }
    }
    var selects = form.querySelectorAll("select[data-filter]");
    var count = form.querySelector(".hc-filter-count");

    function apply() {
      var shown = 0;
      for (var c = 0; c < cards.length; c++) {
        var visible = true;
        for (var s = 0; s < selects.length; s++) {
          var wanted = selects[s].value;
          if (!wanted) continue;
          var values = facets[c][selects[s].getAttribute("data-filter")] || [];
          if (values.indexOf(wanted) < 0) visible = false;
        }
        cards[c].hidden = !visible;
        if (visible) shown++;
      }
      if (count) count.textContent = "显示 " + shown + " / " + cards.length + " 条";
    }

    for (var s = 0; s < selects.length; s++) selects[s].addEventListener("change", apply);
    form.hidden = false; // the filters only appear where the script runs
    apply();
  }

  // Accessibility fixes to the theme's own markup: the search dialog gets a name, and a table that scrolls
  // sideways on a phone can be reached and scrolled with the keyboard.
  function fixThemeAccessibility() {
    var dialogs = document.querySelectorAll(".md-search[role='dialog']");
    for (var d = 0; d < dialogs.length; d++) {
      if (!dialogs[d].getAttribute("aria-label")) dialogs[d].setAttribute("aria-label", "搜索");
    }
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var w = 0; w < wraps.length; w++) {
      if (wraps[w].scrollWidth > wraps[w].clientWidth) {
        wraps[w].setAttribute("tabindex", "0");
        wraps[w].setAttribute("role", "region");
        wraps[w].setAttribute("aria-label", "表格（可左右滚动）");
      }
    }
  }

  function init() {
    fillCitationDates();
    setUpFilters();
    fixThemeAccessibility();
    document.documentElement.setAttribute("data-records-ready", "1");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
