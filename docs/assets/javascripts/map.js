/* The map page (build_hooks/templates/map.md.j2): markers from the open-data GeoJSON on the tiles configured in
   mkdocs.yml (extra.map.tiles), drawn with the vendored Leaflet. Does nothing on pages without <div class="hm-map">.

   The list of places on the page is the content; this only adds the map, and loads Leaflet (CSS, script) only where
   there is one. If anything fails — Leaflet, the GeoJSON, the tiles — the list stays as it is and a note says so.
   Values from the data reach the page as text (textContent, DOM attributes), never as HTML; the only HTML handed
   to Leaflet (the attribution) is escaped first. No ?. or ?? (older WebViews inside WeChat). */
(function () {
  "use strict";

  var LEAFLET = "leaflet-1.9.4"; // docs/assets/vendor/<this>/ (tests/test_map.py checks that it exists)
  var script = document.currentScript;
  var scriptUrl = script ? script.src : location.href;

  // --- WGS-84 → GCJ-02: the same transform as build_hooks/heritage/outputs/geo.py (tests/test_map_browser.py compares) ---
  var A = 6378245.0;
  var EE = 0.00669342162296594323;
  var PI = Math.PI;

  function outOfChina(lat, lng) {
    return !(lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271);
  }

  function transformLat(x, y) {
    var ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    ret += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    ret += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
    ret += (160.0 * Math.sin(y / 12.0 * PI) + 320 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
    return ret;
  }

  function transformLng(x, y) {
    var ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    ret += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    ret += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
    ret += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
    return ret;
  }

  function wgs84ToGcj02(lat, lng) {
    if (outOfChina(lat, lng)) return [lat, lng];
    var dLat = transformLat(lng - 105.0, lat - 35.0);
    var dLng = transformLng(lng - 105.0, lat - 35.0);
    var radLat = lat / 180.0 * PI;
    var magic = 1 - EE * Math.pow(Math.sin(radLat), 2);
    var sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * PI);
    dLng = (dLng * 180.0) / (A / sqrtMagic * Math.cos(radLat) * PI);
    return [lat + dLat, lng + dLng];
  }

  function toDatum(lat, lng, datum) {
    return datum === "gcj02" ? wgs84ToGcj02(lat, lng) : [lat, lng];
  }

  // --- loading -------------------------------------------------------------------------------------------------
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.L) return resolve();
      var element = document.createElement("script");
      element.src = src;
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function loadStylesheet(href) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement("link");
      element.rel = "stylesheet";
      element.href = href;
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function note(container, text) {
    var element = container.previousElementSibling;
    if (!element || element.className !== "hm-note") {
      element = document.createElement("p");
      element.className = "hm-note";
      element.setAttribute("role", "status");
      container.parentNode.insertBefore(element, container);
    }
    element.textContent = text;
  }

  // An entry's page, from the path the GeoJSON gives ("sites/alpha-hq/"): only that shape is accepted.
  var PATH = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*\/$/;

  function popup(properties, siteRoot) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    var path = String(properties.path || "");
    if (PATH.test(path)) {
      var link = document.createElement("a");
      link.href = new URL(path, siteRoot).href;
      link.textContent = String(properties.title || "");
      title.appendChild(link);
    } else {
      title.textContent = String(properties.title || "");
    }
    box.appendChild(title);
    if (properties.location_source) {
      var source = document.createElement("div");
      source.className = "hm-popup-source";
      source.textContent = "坐标来源：" + properties.location_source;
      box.appendChild(source);
    }
    return box;
  }

  function draw(container, data, vendor) {
    var L = window.L;
    var datum = container.getAttribute("data-datum") || "wgs84";
    var subdomains = (container.getAttribute("data-subdomains") || "").split(",").filter(Boolean);
    var maxZoom = parseInt(container.getAttribute("data-max-zoom"), 10) || 18;
    var geojsonUrl = new URL(container.getAttribute("data-geojson"), location.href);
    var siteRoot = new URL("../", geojsonUrl); // data/heritage.geojson sits one folder below the site root
    var layout = container.parentNode;

    container.hidden = false;
    if (layout && layout.classList) layout.classList.add("hm-ready");
    L.Icon.Default.imagePath = vendor + "images/";
    var map = L.map(container, { scrollWheelZoom: false, maxZoom: maxZoom });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com/">Leaflet</a>');

    var options = { maxZoom: maxZoom, attribution: escapeHtml(container.getAttribute("data-attribution") || "") };
    if (subdomains.length) options.subdomains = subdomains;
    var tiles = L.tileLayer(container.getAttribute("data-tiles"), options).addTo(map);
    var overlay = container.getAttribute("data-overlay");
    if (overlay) L.tileLayer(overlay, subdomains.length ? { maxZoom: maxZoom, subdomains: subdomains } : { maxZoom: maxZoom }).addTo(map);

    var loaded = 0;
    var warned = false;
    tiles.on("tileload", function () { loaded++; });
    tiles.on("tileerror", function () {
      if (loaded || warned) return;
      warned = true;
      note(container, "地图底图暂时无法加载；下面的列表列出了全部地点。");
      document.documentElement.setAttribute("data-hm-tiles", "failed");
    });

    var markers = [];
    var features = (data && data.features) || [];
    for (var i = 0; i < features.length; i++) {
      var feature = features[i];
      var geometry = feature && feature.geometry;
      if (!geometry || geometry.type !== "Point" || !geometry.coordinates) continue;
      var lng = Number(geometry.coordinates[0]);
      var lat = Number(geometry.coordinates[1]);
      if (!isFinite(lat) || !isFinite(lng)) continue;
      var properties = feature.properties || {};
      var shown = toDatum(lat, lng, datum);
      var title = String(properties.title || "");
      var marker = L.marker(shown, { title: title, alt: title, keyboard: true }).bindPopup(popup(properties, siteRoot));
      marker.addTo(map);
      markers.push({ id: String(feature.id || ""), lat: shown[0], lng: shown[1], marker: marker });
    }
    if (markers.length) {
      map.fitBounds(L.latLngBounds(markers.map(function (m) { return [m.lat, m.lng]; })), { maxZoom: 15, padding: [32, 32] });
    } else {
      map.setView(toDatum(22.59, 114.47, datum), 11); // Dapeng New District
    }
    window.heritageMap = { map: map, markers: markers, wgs84ToGcj02: wgs84ToGcj02, toDatum: toDatum };
    document.documentElement.setAttribute("data-hm-ready", "1");
  }

  function init() {
    var container = document.querySelector(".hm-map[data-geojson][data-tiles]");
    if (!container || container.getAttribute("data-hm-started")) return;
    container.setAttribute("data-hm-started", "1");
    var vendor = new URL("../vendor/" + LEAFLET + "/", scriptUrl).href;
    Promise.all([
      loadStylesheet(vendor + "leaflet.css"),
      loadStylesheet(new URL("../stylesheets/map.css", scriptUrl).href),
      loadScript(vendor + "leaflet.js"),
      fetchJson(new URL(container.getAttribute("data-geojson"), location.href).href),
    ])
      .then(function (results) { draw(container, results[3], vendor); })
      .catch(function () {
        note(container, "地图暂时无法显示；下面的列表列出了全部地点。");
        document.documentElement.setAttribute("data-hm-ready", "failed");
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
