"""The map page: vendored Leaflet matches what the npm registry served, tile settings are checked, the page lists
every place (coordinates only from sources, the others as 位置待核实) and draws a map only when there is something
to draw. What only a browser shows is in tests/test_map_browser.py."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import markdown
import pytest
import yaml

from conftest import FIXTURE_CONTENT, ROOT, edit_entry
from heritage import ContentError, build
from heritage.outputs.geo import wgs84_to_gcj02
from heritage.pages.map_page import map_settings

TODAY = dt.date(2026, 11, 26)
VENDOR = ROOT / "docs" / "assets" / "vendor"
MAP_JS = ROOT / "docs" / "assets" / "javascripts" / "map.js"


class _IgnoreTagsLoader(yaml.SafeLoader):
    pass


_IgnoreTagsLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_IgnoreTagsLoader.add_constructor("!ENV", lambda loader, node: None)


def mkdocs_extra() -> dict:
    """mkdocs.yml's ``extra``, as the hook hands it to the pipeline."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTagsLoader)
    return config.get("extra") or {}


# --- vendored Leaflet --------------------------------------------------------------------------------------------------


def _leaflet_dir() -> Path:
    [folder] = [p for p in VENDOR.glob("leaflet-*") if p.is_dir()]
    return folder


def test_vendored_leaflet_matches_the_recorded_tarball_hashes():
    """Each committed file has the sha256 recorded from the npm tarball (npm pack leaflet@<version>), whose sha512
    integrity is recorded too: an edit of a vendored file, or a file added or removed, is noticed."""
    folder = _leaflet_dir()
    record = json.loads((folder / "vendor.json").read_text(encoding="utf-8"))
    assert folder.name == f"{record['name']}-{record['version']}"
    assert record["tarball"] == f"https://registry.npmjs.org/leaflet/-/leaflet-{record['version']}.tgz"
    algorithm, _, digest = record["integrity"].partition("-")
    assert algorithm == "sha512" and len(base64.b64decode(digest)) == 64
    for item in record["files"]:
        path = folder / item["to"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == item["sha256"], f"{path.relative_to(ROOT)} differs from the tarball"
        assert item["from"].startswith("package/")
    committed = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert committed == {item["to"] for item in record["files"]} | {"vendor.json"}
    assert "BSD 2-Clause" in (folder / "LICENSE").read_text(encoding="utf-8")


def test_map_script_loads_the_vendored_version():
    version = re.search(r'var LEAFLET = "(leaflet-[\d.]+)"', MAP_JS.read_text(encoding="utf-8")).group(1)
    assert version == _leaflet_dir().name
    assert (VENDOR / version / "leaflet.js").is_file() and (VENDOR / version / "leaflet.css").is_file()


def test_map_script_and_stylesheet_make_no_outside_request():
    """map.js loads Leaflet, its CSS and the GeoJSON from the site itself; the only absolute URL in it is the text
    of Leaflet's attribution link (a link, not a request)."""
    script = MAP_JS.read_text(encoding="utf-8")
    assert re.findall(r"https?://[^\s'\"]+", script) == ["https://leafletjs.com/"]
    assert "http" not in (ROOT / "docs" / "assets" / "stylesheets" / "map.css").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


# --- tile settings -----------------------------------------------------------------------------------------------------

GOOD = {"url": "https://t{s}.example.cn/{z}/{x}/{y}.png", "subdomains": "12", "attribution": "© 测试", "max_zoom": 17, "datum": "wgs84"}


def test_the_default_tiles_are_valid_and_mainland_reachable():
    tiles = map_settings(mkdocs_extra())
    assert tiles is not None and tiles.attribution
    assert tiles.datum == "gcj02" and tiles.hosts() == [f"webrd0{n}.is.autonavi.com" for n in "1234"]  # AMap: GCJ-02


@pytest.mark.parametrize(
    "change, field",
    [
        ({"datum": "bd09"}, "extra.map.tiles.datum"),
        ({"url": "http://t{s}.example.cn/{z}/{x}/{y}.png"}, "extra.map.tiles.url"),
        ({"url": "https://t{s}.example.cn/tiles.png"}, "extra.map.tiles.url"),
        ({"url": 'https://t{s}.example.cn/{z}/{x}/{y}.png"><script>'}, "extra.map.tiles.url"),
        ({"attribution": ""}, "extra.map.tiles.attribution"),
        ({"max_zoom": 30}, "extra.map.tiles.max_zoom"),
        ({"max_zoom": True}, "extra.map.tiles.max_zoom"),
        ({"subdomains": ["a", "b/evil"]}, "extra.map.tiles.subdomains"),
        ({"subdomains": ""}, "extra.map.tiles.subdomains"),
    ],
)
def test_wrong_tile_settings_stop_the_build_naming_the_setting(change, field):
    with pytest.raises(ContentError) as caught:
        map_settings({"map": {"tiles": {**GOOD, **change}}})
    assert [p.field for p in caught.value.problems] == [field]
    assert caught.value.problems[0].path == "mkdocs.yml"


def test_no_tile_url_means_no_map():
    assert map_settings({}) is None and map_settings({"map": {"tiles": {"url": ""}}}) is None
    page = build(FIXTURE_CONTENT, today=TODAY).pages["map.md"]
    assert 'class="hm-map"' not in page and "尚未配置地图底图" in page
    assert "导航：[高德地图]" in page  # the coordinates and navigation links are still there


# --- the page ------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_map() -> str:
    return build(FIXTURE_CONTENT, today=TODAY, extra=mkdocs_extra()).pages["map.md"]


def test_entries_with_a_sourced_location_are_on_the_map_with_navigation_links(fixture_map):
    page = fixture_map
    assert 'class="hm-map" data-geojson="../data/heritage.geojson"' in page and 'data-datum="gcj02"' in page
    assert 'data-subdomains="1,2,3,4"' in page and "hidden></div>" in page  # map.js shows it
    located = page.split("## 有坐标的地点（1）", 1)[1].split("## 位置待核实", 1)[0]
    assert "[甲村东江纵队司令部测试旧址](sites/alpha-hq.md)" in located
    assert "22\\.500000, 114\\.500000（WGS-84，来源：测试用书）" in located  # as stored, with its source
    g_lat, g_lng = wgs84_to_gcj02(22.5, 114.5)
    assert f"https://uri.amap.com/marker?position={g_lng:.6f},{g_lat:.6f}&" in located
    assert "https://api.map.baidu.com/marker?location=" in located and "coord_type=bd09ll" in located
    assert f"https://apis.map.qq.com/uri/v1/marker?marker=coord:{g_lat:.6f},{g_lng:.6f};" in located


def test_entries_without_a_location_are_listed_as_to_be_verified(fixture_map):
    pending = fixture_map.split("## 位置待核实（1）", 1)[1]
    assert "[丙港纪念亭测试条目](sites/gamma-memorial.md) · 大鹏街道 · 位置待核实" in pending
    assert "导航" not in pending  # no guessed point, hence nothing to navigate to


def test_the_map_lists_every_place_of_every_collection_with_a_location_field(fixture_map):
    listed = set(re.findall(r"\]\((sites/[a-z0-9-]+)\.md\)", fixture_map))
    assert listed == {"sites/alpha-hq", "sites/gamma-memorial"}  # every published site, drafts not in production


def test_shipped_content_has_no_coordinates_and_the_page_says_so():
    """Today no source gives coordinates: every shipped site is listed as 位置待核实, no map is drawn, nothing asks
    the tile host for anything."""
    result = build(ROOT / "content", extra=mkdocs_extra())
    page = result.pages["map.md"]
    sites = [e for e in result.catalog.collection("sites")]
    assert sites and all(e.model.location is None for e in sites)
    assert "目前还没有任何地点有经过核实的坐标" in page and 'class="hm-map"' not in page
    assert f"## 位置待核实（{len(sites)}）" in page and "## 有坐标的地点（0）" in page
    for entry in sites:
        assert f"]({entry.src_uri})" in page


def test_preview_lists_a_draft_with_coordinates_but_never_maps_or_exports_it(content):
    location = "location:\n  lat: 22.6\n  lng: 114.4\n  datum: WGS84\n  source: d\n"
    edit_entry(content, "sites/delta-draft.yml", "summary:", location + "sources:\n  - d\nsummary:")
    (content / "sources" / "d.yml").write_text(
        "status: draft\ntitle: 草稿来源\nkind: book\nexcerpts:\n  - text: 北纬22.6度，东经114.4度\n    at: 第1页\nupdated: 2026-11-26\n",
        encoding="utf-8",
    )
    result = build(content, today=TODAY, include_unpublished=True, extra=mkdocs_extra())
    page = result.pages["map.md"]
    draft = next(line for line in page.splitlines() if "delta-draft" in line)
    assert "**草稿**" in draft
    assert "未发布，不在地图和开放数据中" in page
    geojson = json.loads(result.files["data/heritage.geojson"])
    assert [f["id"] for f in geojson["features"]] == ["sites/alpha-hq", "sites/gamma-memorial"]


def test_the_map_and_data_pages_are_in_the_sidebar():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTagsLoader)
    nav = {value: label for item in config["nav"] if isinstance(item, dict) for label, value in item.items() if isinstance(value, str)}
    assert nav.get("map.md") == "地图" and nav.get("data.md") == "开放数据"
    assert "assets/javascripts/map.js" in config["extra_javascript"]


# --- getting there without coordinates: a search, never a position ------------------------------------------------------

SEARCH_HOSTS = {
    "高德地图": ("uri.amap.com", "/search", "keyword", "city"),
    "百度地图": ("api.map.baidu.com", "/place/search", "query", "region"),
    "腾讯地图": ("apis.map.qq.com", "/uri/v1/search", "keyword", "region"),
}


def _links_in(markdown: str) -> list[tuple[str, str]]:
    """(link text, destination) of every map-app link in a piece of a page's Markdown."""
    text = r"(?:\\.|[^\]\\])*"  # escaped characters (\] among them) stay inside the link text
    return re.findall(rf"\[({text}(?:高德|百度|腾讯)地图{text})\]\((https://[^)\s]+)\)", markdown)


def _assert_search_links(markdown: str, name: str, query: str) -> None:
    links = _links_in(markdown)
    assert len(links) == 3, links
    for (text, url), (app, (host, path, key, city_key)) in zip(links, SEARCH_HOSTS.items(), strict=True):
        parsed = urlparse(url)
        assert (parsed.scheme, parsed.netloc, parsed.path) == ("https", host, path), url
        params = parse_qs(parsed.query, keep_blank_values=True)
        assert params[key] == [query] and params[city_key] == ["深圳"], url  # exactly the name (+ address), one value
        assert not parsed.fragment and "marker" not in url and "position" not in params and "location" not in params
        assert text.startswith(f"在{app}中搜索“") and "打开" not in text
        if re.fullmatch(r"\w+", name):  # a plain name reads as it is (a hostile one is escaped: checked by its query)
            assert text == f"在{app}中搜索“{name}”"


def test_places_without_coordinates_get_search_links_on_the_map_page(fixture_map):
    pending = fixture_map.split("## 位置待核实（1）", 1)[1]
    _assert_search_links(pending, "丙港纪念亭测试条目", "丙港纪念亭测试条目")
    assert "在高德地图中搜索“丙港纪念亭测试条目”" in pending and "不是本站核实的位置" in pending
    assert "hm-map" not in pending and "坐标" not in pending.split("搜索：", 1)[1]  # no pin, no number


def _site_pages_with_map_links():
    """The registry with the site pages' map links (map_page.site_page_context) added to their page context."""
    from heritage.collections import registry
    from heritage.pages.map_page import site_page_context

    old = registry.SITES.page_context

    def context(renderer, entry):
        return {**(old(renderer, entry) if old else {}), **site_page_context(renderer, entry)}

    sites = dataclasses.replace(registry.SITES, page_context=context)
    collections = [sites if c.name == "sites" else c for c in registry.REGISTRY]
    return registry.Registry(tuple(collections), pages=tuple(registry.REGISTRY.pages))


def test_a_site_page_without_coordinates_offers_three_searches_for_its_name_and_address(content):
    result = build(content, today=TODAY, registry=_site_pages_with_map_links())
    page = result.pages["sites/gamma-memorial.md"]
    row = next(line for line in page.splitlines() if line.startswith("| 地图搜索 |"))
    _assert_search_links(row, "丙港纪念亭测试条目", "丙港纪念亭测试条目")
    assert "按名称搜索" in row and "不是本站核实的位置" in row and "位置待核实" in page


def test_a_located_site_page_keeps_its_coordinate_links(content):
    page = build(content, today=TODAY, registry=_site_pages_with_map_links()).pages["sites/alpha-hq.md"]
    row = next(line for line in page.splitlines() if line.startswith("| 导航 |"))
    g_lat, g_lng = wgs84_to_gcj02(22.5, 114.5)
    assert f"https://uri.amap.com/marker?position={g_lng:.6f},{g_lat:.6f}&" in row
    assert "https://api.map.baidu.com/marker?location=" in row and "https://apis.map.qq.com/uri/v1/marker?marker=coord:" in row
    assert "[在高德地图中打开](" in row and "搜索" not in row
    assert "| 地图搜索 |" not in page


HOSTILE_NAME = "丙港\"纪念&亭'#x=1 | < ) ] javascript:alert(1)"
HOSTILE_ADDRESS = "丙港路1号&city=北京#top"


def test_hostile_names_and_addresses_stay_inside_the_search_parameter(content):
    edit_entry(content, "sites/gamma-memorial.yml", "name: 丙港纪念亭测试条目", f"name: {json.dumps(HOSTILE_NAME, ensure_ascii=False)}")
    edit_entry(
        content,
        "sites/gamma-memorial.yml",
        "summary:",
        f"address:\n  text: {json.dumps(HOSTILE_ADDRESS, ensure_ascii=False)}\n  source: g\nsummary:",
    )
    result = build(content, today=TODAY, registry=_site_pages_with_map_links(), extra=mkdocs_extra())
    query = f"{HOSTILE_NAME} {HOSTILE_ADDRESS}"
    page = result.pages["sites/gamma-memorial.md"]
    row = next(line for line in page.splitlines() if line.startswith("| 地图搜索 |"))
    _assert_search_links(row, HOSTILE_NAME, query)
    assert "按名称和地址搜索" in row
    for _text, url in _links_in(row):
        assert not any(c in url for c in "\"'<>#() ]") and "javascript:" not in url
    pending = result.pages["map.md"].split("## 位置待核实（1）", 1)[1]
    _assert_search_links(pending, HOSTILE_NAME, query)
    # as HTML (Python-Markdown's table, as the engines render it): one cell, three links, each query intact
    html = markdown.markdown(f"| a | b |\n| --- | --- |\n{row}", extensions=["tables"])
    assert html.count("<td>") == 2 and "<script" not in html
    hrefs = [h.replace("&amp;", "&") for h in re.findall(r'<a href="([^"]+)"', html)]
    assert [parse_qs(urlparse(h).query).get("keyword", parse_qs(urlparse(h).query).get("query")) for h in hrefs] == [[query]] * 3
