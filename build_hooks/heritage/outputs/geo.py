"""Map datums used in mainland China, and links that open a place in AMap, Baidu Maps and Tencent Maps.

Coordinates are stored as WGS-84 (``schema.Location``), as GPS and open data use them. Chinese map providers
publish their maps in shifted datums: GCJ-02 (AMap/高德, Tencent/腾讯, and the tiles most mainland services serve)
and BD-09 (Baidu/百度, GCJ-02 shifted once more). A WGS-84 point drawn on a GCJ-02 map lands a few hundred metres
off, so every coordinate leaving this module for such a map is converted first.

The WGS-84 → GCJ-02 transform is the widely published one (Krasovsky ellipsoid constants, as in the open-source
``coordtransform`` and ``eviltransform`` projects); GCJ-02 → BD-09 is Baidu's published formula. Neither has an
exact inverse: ``gcj02_to_wgs84`` is the usual one-step approximation (a few metres off), ``gcj02_to_wgs84_exact``
iterates to within 1e-9 degrees. Points outside the rough bounding box of China are not shifted (GCJ-02 only
applies inside China). Functions take and return ``(lat, lng)``, the order of our schema; GeoJSON is the only
place where the order is (lng, lat). Reference values: tests/test_geo.py.

The WGS-84 → GCJ-02 transform is mirrored in ``docs/assets/javascripts/map.js`` (markers drawn on GCJ-02 tiles);
tests/test_map_browser.py checks that both give the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import quote, urlencode

# Krasovsky 1940: semi-major axis and first eccentricity squared, as used by the GCJ-02 transform.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0

DATUMS = ("wgs84", "gcj02")  # what tiles may be drawn in (mkdocs.yml extra.map.tiles.datum)


def out_of_china(lat: float, lng: float) -> bool:
    """The bounding box of the original transform (as in eviltransform): outside it GCJ-02 equals WGS-84."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _gcj_offset(lat: float, lng: float) -> tuple[float, float]:
    """The GCJ-02 shift (degrees of latitude, longitude) at a point."""
    d_lat = _transform_lat(lng - 105.0, lat - 35.0)
    d_lng = _transform_lng(lng - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return d_lat, d_lng


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    if out_of_china(lat, lng):
        return lat, lng
    d_lat, d_lng = _gcj_offset(lat, lng)
    return lat + d_lat, lng + d_lng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """One-step approximation (the shift taken at the GCJ-02 point): within a few metres in China."""
    if out_of_china(lat, lng):
        return lat, lng
    d_lat, d_lng = _gcj_offset(lat, lng)
    return lat - d_lat, lng - d_lng


def gcj02_to_wgs84_exact(lat: float, lng: float, tolerance: float = 1e-9) -> tuple[float, float]:
    """Fixed-point iteration on the forward transform: converges to ``tolerance`` degrees in a few steps."""
    if out_of_china(lat, lng):
        return lat, lng
    w_lat, w_lng = gcj02_to_wgs84(lat, lng)
    for _ in range(30):
        g_lat, g_lng = wgs84_to_gcj02(w_lat, w_lng)
        d_lat, d_lng = g_lat - lat, g_lng - lng
        w_lat, w_lng = w_lat - d_lat, w_lng - d_lng
        if abs(d_lat) < tolerance and abs(d_lng) < tolerance:
            break
    return w_lat, w_lng


def gcj02_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def bd09_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.sin(theta), z * math.cos(theta)


def wgs84_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lng))


def to_datum(lat: float, lng: float, datum: str) -> tuple[float, float]:
    """A stored (WGS-84) point in the datum of a map's tiles."""
    if datum == "wgs84":
        return lat, lng
    if datum == "gcj02":
        return wgs84_to_gcj02(lat, lng)
    raise ValueError(f"unknown datum {datum!r} (expected one of {', '.join(DATUMS)})")


# --- "导航": open the place in a map app ------------------------------------------------------------------------

# Who is calling, as each provider asks (their services work without it, but ask for it to be set).
SOURCE = "dapeng-red-heritage"
BAIDU_SOURCE = "webapp.dapeng.red-heritage"  # Baidu documents the form webapp.companyName.appName


CITY = "深圳"  # where a search by name is restricted to: every place of this site is in Dapeng New District, Shenzhen


@dataclass(frozen=True)
class NavigationLink:
    label: str  # 高德地图 / 百度地图 / 腾讯地图
    url: str
    search: str = ""  # for a search (no sourced coordinates): the place's name, shown in the label; "" for a point

    @property
    def text(self) -> str:
        """The link's full wording: a search never reads as a position."""
        if self.search:
            return f"在{self.label}中搜索“{self.search}”"
        return f"在{self.label}中打开"


def _coord(value: float) -> str:
    return f"{value:.6f}"  # Baidu accepts at most 6 decimals; ~0.1 m


def _param(text: str) -> str:
    """A free-text value inside Tencent's ``marker=key:value;key:value`` syntax: its separators made harmless."""
    return text.replace(";", "；").replace(":", "：").replace("|", "｜")


def navigation_links(lat: float, lng: float, name: str, address: str = "") -> list[NavigationLink]:
    """Links that open a WGS-84 point in the three map apps most used in mainland China, each in its own datum
    and in the format its provider documents (each URL percent-encodes every value, so a name is only text):

    - AMap (GCJ-02), https://lbs.amap.com/api/uri-api/guide/mobile-web/point —
      ``https://uri.amap.com/marker?position=lng,lat&name=…&src=…&coordinate=gaode&callnative=1``
      (``callnative=1`` opens the app on a phone when it is installed).
    - Baidu (BD-09), https://lbsyun.baidu.com/index.php?title=uri/api/web ("标注") —
      ``https://api.map.baidu.com/marker?location=lat,lng&title=…&content=…&output=html&coord_type=bd09ll&src=…``
      (``src`` is documented as webapp.companyName.appName).
    - Tencent (GCJ-02), https://lbs.qq.com/webApi/uriV1/uriGuide/uriWebMarker —
      ``https://apis.map.qq.com/uri/v1/marker?marker=coord:lat,lng;title:…;addr:…&referer=…``
      (``coord_type`` omitted: its default, 2, is Tencent's GCJ-02).
    """
    address = address or name
    g_lat, g_lng = wgs84_to_gcj02(lat, lng)
    b_lat, b_lng = gcj02_to_bd09(g_lat, g_lng)
    amap = "https://uri.amap.com/marker?" + urlencode(
        {"position": f"{_coord(g_lng)},{_coord(g_lat)}", "name": name, "src": SOURCE, "coordinate": "gaode", "callnative": "1"},
        quote_via=quote,
        safe=",",
    )
    baidu = "https://api.map.baidu.com/marker?" + urlencode(
        {
            "location": f"{_coord(b_lat)},{_coord(b_lng)}",
            "title": name,
            "content": address,
            "output": "html",
            "coord_type": "bd09ll",
            "src": BAIDU_SOURCE,
        },
        quote_via=quote,
        safe=",",
    )
    marker = f"coord:{_coord(g_lat)},{_coord(g_lng)};title:{_param(name)};addr:{_param(address)}"
    tencent = "https://apis.map.qq.com/uri/v1/marker?" + urlencode({"marker": marker, "referer": SOURCE}, quote_via=quote, safe=",:;")
    return [NavigationLink("高德地图", amap), NavigationLink("百度地图", baidu), NavigationLink("腾讯地图", tencent)]


def search_query(name: str, address: str = "") -> str:
    """What a search for a place without sourced coordinates looks for: its name, then its sourced address."""
    return " ".join(part.strip() for part in (name, address) if part and part.strip())


def search_links(name: str, address: str = "", city: str = CITY) -> list[NavigationLink]:
    """Links that SEARCH the three map apps for a place by its name (and sourced address), within ``city``: for a
    place no source gives coordinates for. The app finds what it finds; no position is given or implied. Every
    value is percent-encoded (nothing left "safe"), so a name is one parameter whatever it contains:

    - AMap, https://lbs.amap.com/api/uri-api/guide/mobile-web/search —
      ``https://uri.amap.com/search?keyword=…&city=…&src=…&callnative=1``
    - Baidu, https://lbsyun.baidu.com/index.php?title=uri/api/web ("地点检索") —
      ``https://api.map.baidu.com/place/search?query=…&region=…&output=html&src=…``
    - Tencent, https://lbs.qq.com/webApi/uriV1/uriGuide/uriWebSearch —
      ``https://apis.map.qq.com/uri/v1/search?keyword=…&region=…&referer=…``
    """
    query = search_query(name, address)

    def encode(params: dict[str, str]) -> str:
        return urlencode(params, quote_via=quote, safe="")

    amap = "https://uri.amap.com/search?" + encode({"keyword": query, "city": city, "src": SOURCE, "callnative": "1"})
    baidu = "https://api.map.baidu.com/place/search?" + encode({"query": query, "region": city, "output": "html", "src": BAIDU_SOURCE})
    tencent = "https://apis.map.qq.com/uri/v1/search?" + encode({"keyword": query, "region": city, "referer": SOURCE})
    name = name.strip() or query
    return [NavigationLink("高德地图", amap, name), NavigationLink("百度地图", baidu, name), NavigationLink("腾讯地图", tencent, name)]
