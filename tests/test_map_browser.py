"""The map and data pages in Chromium at a phone's size, as a visitor would use them: the fixture site (one site with a
sourced location, one without) built by the real MkDocs with mkdocs.yml's default tiles (AMap, GCJ-02).

The tile host is never really contacted: tests answer its requests themselves (a blank tile) or refuse them (an
unreachable host), and record every request the page makes.
"""

from __future__ import annotations

import base64
import os
from urllib.parse import urlparse

import pytest

from conftest import serving
from heritage.outputs.geo import wgs84_to_gcj02
from heritage.pages.map_page import map_settings
from test_map import mkdocs_extra

pytestmark = [pytest.mark.browser, pytest.mark.site]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
# A 1×1 transparent PNG, served for every tile.
TILE = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
SITES = {"sites/alpha-hq/": "甲村东江纵队司令部测试旧址", "sites/gamma-memorial/": "丙港纪念亭测试条目"}


@pytest.fixture(scope="module")
def served(fixture_site):
    with serving(fixture_site) as url:
        yield url


TILE_HOSTS = set(map_settings(mkdocs_extra()).hosts())


def open_map(browser, base: str, *, tiles: str = "serve", javascript: bool = True):
    """The map page on a phone; tiles served blank, refused ("abort"), and every request recorded."""
    context = browser.new_context(**PHONE, java_script_enabled=javascript)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))

    def answer(route):
        if tiles == "serve":
            route.fulfill(status=200, content_type="image/png", body=TILE)
        else:
            route.abort("connectionrefused")

    context.route(lambda url: urlparse(url).hostname in TILE_HOSTS, answer)
    page = context.new_page()
    page.failed = []  # responses of the site itself that failed (a missing marker icon, stylesheet …) and script errors
    page.on("response", lambda r: page.failed.append(f"{r.status} {r.url}") if r.status >= 400 and "127.0.0.1" in r.url else None)
    page.on("pageerror", lambda error: page.failed.append(str(error)))
    response = page.goto(base + "map/")
    assert response.ok
    if javascript:
        page.wait_for_function("document.documentElement.dataset.hmReady !== undefined", timeout=15000)
    return context, page, requests


def listed(page) -> dict[str, str]:
    links = page.eval_on_selector_all(".hm-places li > a:first-child", "els => els.map(e => [e.getAttribute('href'), e.textContent])")
    return {href.replace("../", ""): text for href, text in links}


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_map_draws_the_sourced_site_in_the_datum_of_the_tiles(browser, served):
    context, page, requests = open_map(browser, served)
    try:
        assert page.evaluate("document.documentElement.dataset.hmReady") == "1"
        assert page.is_visible(".hm-map") and page.locator(".leaflet-tile-loaded").count() > 0
        markers = page.evaluate("window.heritageMap.markers.map(m => [m.id, m.lat, m.lng])")
        g_lat, g_lng = wgs84_to_gcj02(22.5, 114.5)  # the tiles are GCJ-02: so is the marker
        assert [m[0] for m in markers] == ["sites/alpha-hq"]
        assert markers[0][1:] == pytest.approx([g_lat, g_lng], abs=1e-9)
        assert "高德" in page.inner_text(".leaflet-control-attribution")  # the provider's attribution is shown
        assert listed(page) == SITES  # every place, the one without coordinates too
        assert no_horizontal_scroll(page)
        # the popup names the place and links to its page
        page.locator(".leaflet-marker-icon").first.click()
        link = page.locator(".leaflet-popup-content a")
        assert link.inner_text() == SITES["sites/alpha-hq/"] and link.get_attribute("href").endswith("/sites/alpha-hq/")
        outside = {urlparse(u).hostname for u in requests} - {"127.0.0.1"}
        assert outside and outside <= TILE_HOSTS, outside  # tiles were asked for, and nothing else outside
        assert any(u.endswith("/leaflet-1.9.4/images/marker-icon-2x.png") for u in requests)  # device_scale_factor 2
        assert page.failed == []
    finally:
        context.close()


def test_the_javascript_transform_equals_geo_py(browser, served):
    """map.js mirrors geo.wgs84_to_gcj02; points from eviltransform's test suite, Dapeng, and outside China."""
    context, page, _ = open_map(browser, served)
    try:
        points = [(31.1774276, 121.5272106), (22.543847, 113.912316), (39.911954, 116.377817), (22.5, 114.5), (35.68, 139.77), (0, 0)]
        for lat, lng in points:
            got = page.evaluate(f"window.heritageMap.wgs84ToGcj02({lat}, {lng})")
            assert got == pytest.approx(list(wgs84_to_gcj02(lat, lng)), abs=1e-12), (lat, lng)
    finally:
        context.close()


def test_every_site_is_listed_when_the_tiles_cannot_load(browser, served):
    context, page, requests = open_map(browser, served, tiles="abort")
    try:
        page.wait_for_function("document.documentElement.dataset.hmTiles === 'failed'", timeout=15000)
        assert "底图暂时无法加载" in page.inner_text(".hm-note")
        assert listed(page) == SITES
        assert page.locator(".hm-places a[href^='https://uri.amap.com/marker']").count() == 1  # navigation still works
        assert no_horizontal_scroll(page)
        assert {urlparse(u).hostname for u in requests} - {"127.0.0.1"} <= TILE_HOSTS
    finally:
        context.close()


def test_without_javascript_the_page_is_the_plain_list(browser, served):
    context, page, requests = open_map(browser, served, javascript=False)
    try:
        assert listed(page) == SITES
        assert not page.is_visible(".hm-map")  # hidden: nothing empty where a map would be
        assert "位置待核实" in page.inner_text(".hm-places")
        assert no_horizontal_scroll(page)
        assert {urlparse(u).hostname for u in requests} == {"127.0.0.1"}  # no tiles without the map
    finally:
        context.close()


def test_other_pages_do_not_load_leaflet(browser, served):
    context = browser.new_context(**PHONE)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    try:
        for path in ("", "sites/alpha-hq/", "data/"):
            page.goto(served + path)
            page.wait_for_load_state("networkidle")
        assert not [u for u in requests if "leaflet" in u or "map.css" in u]
        assert {urlparse(u).hostname for u in requests} == {"127.0.0.1"}
    finally:
        context.close()


def test_the_data_page_on_a_phone(browser, served):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(served + "data/")
        assert no_horizontal_scroll(page)  # the field tables scroll inside their own box
        hrefs = page.eval_on_selector_all(
            "article a[href$='.csv'], article a[href$='.json'], article a[href$='.geojson']", "els => els.map(e => e.href)"
        )
        assert any(h.endswith("/data/sites.csv") for h in hrefs) and any(h.endswith("/data/heritage.geojson") for h in hrefs)
        for href in hrefs:
            response = page.request.get(href)
            assert response.ok, href
        csv_bytes = page.request.get(served + "data/sites.csv").body()
        assert csv_bytes.startswith(b"\xef\xbb\xbf") and "甲村东江纵队司令部测试旧址".encode() in csv_bytes
    finally:
        context.close()


def test_page_weight_of_the_map(browser, served):
    """Printed for the record (HERITAGE_TIMING=1): what a phone downloads for the map page, tiles excluded."""
    context, page, _ = open_map(browser, served)
    try:
        page.wait_for_load_state("networkidle")
        sizes = page.evaluate(
            """performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
                .filter(e => e.name.startsWith(location.origin))
                .map(e => [e.name.replace(location.origin, ''), e.encodedBodySize])"""
        )
        total = sum(size for _, size in sizes)
        leaflet = sum(size for name, size in sizes if "leaflet" in name)
        if os.environ.get("HERITAGE_TIMING"):
            print(f"\nmap page: {total / 1024:.0f} KB from the site (uncompressed by this test server), Leaflet {leaflet / 1024:.0f} KB")
        assert leaflet > 0
    finally:
        context.close()
