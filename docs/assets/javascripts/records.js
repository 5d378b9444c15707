/* Oral-history records: the listing's filters, and today's date in citations.
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

  // The record listing: each row carries data-* values; each select keeps the rows that match it.
  function setUpFilters() {
    var form = document.querySelector(".oh-filter");
    if (!form) return;
    var table = document.getElementById(form.getAttribute("data-target"));
    if (!table) return;
    var rows = table.querySelectorAll("tbody tr");
    var selects = form.querySelectorAll("select[data-filter]");
    var count = form.querySelector(".oh-filter-count");

    function apply() {
      var shown = 0;
      for (var r = 0; r < rows.length; r++) {
        var visible = true;
        for (var s = 0; s < selects.length; s++) {
          var wanted = selects[s].value;
          if (!wanted) continue;
          var values = (rows[r].getAttribute("data-" + selects[s].getAttribute("data-filter")) || "").split("|");
          if (values.indexOf(wanted) < 0) visible = false;
        }
        rows[r].hidden = !visible;
        if (visible) shown++;
      }
      if (count) count.textContent = "显示 " + shown + " / " + rows.length + " 条";
    }

    for (var s = 0; s < selects.length; s++) selects[s].addEventListener("change", apply);
    form.hidden = false; // the filters only appear where the script runs
    apply();
  }

  function init() {
    fillCitationDates();
    setUpFilters();
    document.documentElement.setAttribute("data-records-ready", "1");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
