"""geo: datum conversions against values published by independent open-source implementations, and the
navigation links in the formats the providers document.

Reference values (none made up here; each is copied from the test suite or documented results of its project):

- wandergis/coordtransform, test/app.js (commit 242324636adb54f9d1ef571035dc61f0ac8f0e8c): the four transforms of
  (116.404, 39.915), given there as [lng, lat].
- googollee/eviltransform, python/test.py (commit 3416646abc64972e899118271bd98030224d9d6c): WGS-84 → GCJ-02 in
  Shanghai, Shenzhen and Beijing as (wgsLat, wgsLng, gcjLat, gcjLng); its inverse tests require the approximate
  inverse within 5 m and the exact one within 0.5 m of the WGS-84 point.
- hujiulong/gcoord, test/unit/crs/WGS84.spec.ts and GCJ02.spec.ts (commit 42ea29df479c739f9b39f9c8e939fb7ae39e5a3e):
  [123, 45] through WGS84→GCJ02, WGS84→BD09, GCJ02→WGS84 (its inverse is the exact one) and GCJ02→BD09, checked
  there with toBeCloseTo(…, 5), i.e. within 5e-6; [183, 45] (outside China) unchanged.
"""

from __future__ import annotations

import math
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from heritage.outputs.geo import (
    BAIDU_SOURCE,
    SOURCE,
    bd09_to_gcj02,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    gcj02_to_wgs84_exact,
    navigation_links,
    out_of_china,
    search_links,
    to_datum,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

# --- wandergis/coordtransform test/app.js: input (lng, lat) = (116.404, 39.915); results [lng, lat] -----------------
COORDTRANSFORM = {
    wgs84_to_gcj02: (116.41024449916938, 39.91640428150164),
    gcj02_to_wgs84: (116.39775550083061, 39.91359571849836),
    gcj02_to_bd09: (116.41036949371029, 39.92133699351021),
    bd09_to_gcj02: (116.39762729119315, 39.90865673957631),
}


@pytest.mark.parametrize("function", COORDTRANSFORM, ids=lambda f: f.__name__)
def test_coordtransform_reference_values(function):
    lng, lat = COORDTRANSFORM[function]
    assert function(39.915, 116.404) == pytest.approx((lat, lng), abs=1e-12)


# --- googollee/eviltransform python/test.py: (wgsLat, wgsLng, gcjLat, gcjLng) ------------------------------------------
EVILTRANSFORM = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # beijing
]


def _distance_m(lat_a, lng_a, lat_b, lng_b) -> float:
    """Great-circle distance in metres (the measure eviltransform's own inverse tests use)."""
    radians = math.pi / 180
    cos = math.cos(lat_a * radians) * math.cos(lat_b * radians) * math.cos((lng_a - lng_b) * radians)
    cos += math.sin(lat_a * radians) * math.sin(lat_b * radians)
    return math.acos(max(-1.0, min(1.0, cos))) * 6378137.0


@pytest.mark.parametrize("wgs_lat, wgs_lng, gcj_lat, gcj_lng", EVILTRANSFORM)
def test_eviltransform_reference_values(wgs_lat, wgs_lng, gcj_lat, gcj_lng):
    assert wgs84_to_gcj02(wgs_lat, wgs_lng) == pytest.approx((gcj_lat, gcj_lng), abs=5e-7)  # assertAlmostEqual(…, 6)
    assert _distance_m(*gcj02_to_wgs84(gcj_lat, gcj_lng), wgs_lat, wgs_lng) < 5
    assert _distance_m(*gcj02_to_wgs84_exact(gcj_lat, gcj_lng), wgs_lat, wgs_lng) < 0.5


# --- hujiulong/gcoord: [lng, lat] = [123, 45] ------------------------------------------------------------------------------
def test_gcoord_reference_values():
    assert wgs84_to_gcj02(45, 123) == pytest.approx((45.00197815, 123.00607541), abs=5e-6)
    assert wgs84_to_bd09(45, 123) == pytest.approx((45.0083293, 123.0124491), abs=5e-6)
    assert gcj02_to_wgs84_exact(45, 123) == pytest.approx((44.99804071, 122.99395597), abs=5e-6)
    assert gcj02_to_bd09(45, 123) == pytest.approx((45.00636899, 123.00636499), abs=5e-6)
    assert wgs84_to_gcj02(45, 183) == (45, 183)  # not in China
    assert gcj02_to_wgs84_exact(45, 183) == (45, 183)


def test_out_of_china_rule():
    assert not out_of_china(22.59, 114.47)  # Dapeng
    assert out_of_china(35.6812, 139.7671)  # Tokyo
    assert out_of_china(0, 0) and out_of_china(-33.86, 151.21)
    assert wgs84_to_gcj02(0, 0) == (0, 0) and gcj02_to_wgs84(0, 0) == (0, 0)


def test_round_trips_in_dapeng():
    lat, lng = 22.5, 114.5
    g = wgs84_to_gcj02(lat, lng)
    assert 200 < _distance_m(*g, lat, lng) < 800  # the shift is real and of the expected size here
    assert gcj02_to_wgs84_exact(*g) == pytest.approx((lat, lng), abs=1e-8)
    assert _distance_m(*gcj02_to_wgs84(*g), lat, lng) < 5
    assert bd09_to_gcj02(*gcj02_to_bd09(*g)) == pytest.approx(g, abs=1e-5)  # Baidu's inverse is approximate too


def test_to_datum():
    assert to_datum(22.5, 114.5, "wgs84") == (22.5, 114.5)
    assert to_datum(22.5, 114.5, "gcj02") == wgs84_to_gcj02(22.5, 114.5)
    with pytest.raises(ValueError):
        to_datum(22.5, 114.5, "bd09")


# --- navigation links -----------------------------------------------------------------------------------------------------


def _links(name="甲村旧址", address="大鹏新区葵涌街道1号"):
    return {link.label: urlparse(link.url) for link in navigation_links(22.5, 114.5, name, address)}


def test_navigation_links_follow_each_providers_documented_format():
    links = _links()
    g_lat, g_lng = wgs84_to_gcj02(22.5, 114.5)
    b_lat, b_lng = wgs84_to_bd09(22.5, 114.5)

    amap = links["高德地图"]
    assert (amap.scheme, amap.netloc, amap.path) == ("https", "uri.amap.com", "/marker")
    query = parse_qs(amap.query)
    assert query["position"] == [f"{g_lng:.6f},{g_lat:.6f}"]  # lon,lat in GCJ-02
    assert query["coordinate"] == ["gaode"] and query["name"] == ["甲村旧址"] and query["callnative"] == ["1"]

    baidu = links["百度地图"]
    assert (baidu.scheme, baidu.netloc, baidu.path) == ("https", "api.map.baidu.com", "/marker")
    query = parse_qs(baidu.query)
    assert query["location"] == [f"{b_lat:.6f},{b_lng:.6f}"]  # lat,lng in BD-09
    assert query["coord_type"] == ["bd09ll"] and query["output"] == ["html"]
    assert query["title"] == ["甲村旧址"] and query["content"] == ["大鹏新区葵涌街道1号"] and query["src"][0].startswith("webapp.")

    tencent = links["腾讯地图"]
    assert (tencent.scheme, tencent.netloc, tencent.path) == ("https", "apis.map.qq.com", "/uri/v1/marker")
    query = parse_qs(tencent.query)
    assert query["marker"] == [f"coord:{g_lat:.6f},{g_lng:.6f};title:甲村旧址;addr:大鹏新区葵涌街道1号"]  # lat,lng in GCJ-02
    assert query["referer"] and "coord_type" not in query


def test_hostile_names_stay_one_parameter():
    hostile = 'x&callnative=0#"><script>alert(1)</script>;coord:0,0|title:y'
    for label, url in _links(hostile, hostile).items():
        assert "<" not in url.geturl() and '"' not in url.geturl() and " " not in url.geturl() and not url.fragment, label
        query = parse_qs(url.query)
        if label == "高德地图":
            assert query["name"] == [hostile] and query["callnative"] == ["1"]
        if label == "百度地图":
            assert query["title"] == [hostile]
        if label == "腾讯地图":
            [marker] = query["marker"]
            assert marker.startswith("coord:22.49") and marker.count(";") == 2 and marker.count("coord:") == 1
            assert "|" not in marker and unquote(marker).count("title:") == 1


# --- searches, for places without sourced coordinates ------------------------------------------------------------------


def test_search_links_search_each_app_for_the_name_and_address_within_shenzhen():
    links = search_links("甲村旧址", "大鹏新区葵涌街道1号")
    assert [link.label for link in links] == ["高德地图", "百度地图", "腾讯地图"]
    assert [link.text for link in links] == [f"在{app}中搜索“甲村旧址”" for app in ("高德地图", "百度地图", "腾讯地图")]
    amap, baidu, tencent = (urlparse(link.url) for link in links)
    assert (amap.netloc, amap.path) == ("uri.amap.com", "/search")
    assert parse_qs(amap.query) == {"keyword": ["甲村旧址 大鹏新区葵涌街道1号"], "city": ["深圳"], "src": [SOURCE], "callnative": ["1"]}
    assert (baidu.netloc, baidu.path) == ("api.map.baidu.com", "/place/search")
    assert parse_qs(baidu.query) == {
        "query": ["甲村旧址 大鹏新区葵涌街道1号"],
        "region": ["深圳"],
        "output": ["html"],
        "src": [BAIDU_SOURCE],
    }
    assert (tencent.netloc, tencent.path) == ("apis.map.qq.com", "/uri/v1/search")
    assert parse_qs(tencent.query) == {"keyword": ["甲村旧址 大鹏新区葵涌街道1号"], "region": ["深圳"], "referer": [SOURCE]}
    assert parse_qs(urlparse(search_links("甲村旧址")[0].url).query)["keyword"] == ["甲村旧址"]  # no address: the name alone


def test_coordinate_links_read_as_opening_a_point():
    assert [link.text for link in navigation_links(22.5, 114.5, "甲村旧址")] == ["在高德地图中打开", "在百度地图中打开", "在腾讯地图中打开"]


@pytest.mark.parametrize("hostile", ['x"&city=北京#frag', "<img src=x onerror=alert(1)>", "javascript:alert(1)", "a b%20c+d;e|f"])
def test_hostile_names_stay_inside_the_search_parameter(hostile):
    for link in search_links(hostile, hostile):
        url = urlparse(link.url)
        assert not url.fragment and not any(c in link.url for c in "\"'<> #|;")
        assert link.url.startswith("https://") and "javascript:" not in link.url
        query = parse_qs(url.query, keep_blank_values=True)
        key = "query" if link.label == "百度地图" else "keyword"
        assert query[key] == [f"{hostile} {hostile}"] and len(query) in (3, 4), link.url
        assert query.get("city", query.get("region")) == ["深圳"]
