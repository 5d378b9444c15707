"""The map page (``map.md``): every entry of every collection that has a ``location`` field, listed as plain HTML,
with markers drawn by ``docs/assets/javascripts/map.js`` from the open-data GeoJSON.

Only coordinates with a source are ever shown: ``schema.Location`` requires one, and an entry without coordinates
is listed as "位置待核实", never placed by guess, with links that search the map apps for its name and address. The page works without JavaScript and without tiles: the lists
are the content, the map is an enhancement drawn only when at least one entry has coordinates.

The base map (tiles) is configured in mkdocs.yml ``extra.map.tiles`` (URL template, attribution, max zoom,
subdomains, datum); tiles are the only requests the site makes to another host, and only from this page. With
``datum: gcj02`` (AMap/高德 and most mainland tiles) markers are shifted to GCJ-02 before display, so they land where
the tiles draw the place. Without ``extra.map.tiles.url`` no map is drawn at all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from heritage.core.problems import ContentError, Problem
from heritage.outputs.geo import DATUMS, NavigationLink, navigation_links, search_links
from heritage.outputs.opendata import GEOJSON_URI, open_entries

if TYPE_CHECKING:  # pragma: no cover
    from heritage.core.catalog import PageContext, Registry
    from heritage.core.entry import Entry

MAP_URI = "map.md"
CONFIG = "mkdocs.yml"


@dataclass(frozen=True)
class TileSettings:
    url: str  # Leaflet URL template: {s} subdomain, {z}/{x}/{y}
    attribution: str
    max_zoom: int = 18
    subdomains: tuple[str, ...] = ()
    datum: str = "wgs84"  # the datum the tiles are drawn in: wgs84 | gcj02
    overlay: str = ""  # an optional second layer drawn on top (labels, e.g. Tianditu's cva_w)

    @property
    def subdomains_text(self) -> str:
        return ",".join(self.subdomains)

    def host_patterns(self) -> list[str]:
        """The tile hosts as a reader would want them named: one name per template, {s} shown as *."""
        return [urlparse(t.replace("{s}", "*")).hostname or "" for t in (self.url, self.overlay) if t]

    def hosts(self) -> list[str]:
        """Every host the tiles are fetched from (subdomains expanded): for a Content-Security-Policy."""
        hosts = []
        for template in filter(None, (self.url, self.overlay)):
            for sub in self.subdomains or ("",):
                host = urlparse(template.replace("{s}", sub)).hostname
                if host and host not in hosts:
                    hosts.append(host)
        return hosts


def _problem(key: str, message: str) -> Problem:
    return Problem(CONFIG, None, f"extra.map.tiles.{key}", message)


def tile_hosts(extra: Mapping[str, Any] | None) -> list[str]:
    """The map tile hosts set in the site configuration: the only other hosts the release policy allows (images)."""
    settings = map_settings(extra)
    return settings.hosts() if settings is not None else []


def map_settings(extra: Mapping[str, Any] | None) -> TileSettings | None:
    """``extra.map.tiles`` of mkdocs.yml, checked; ``ContentError`` naming the setting when it is wrong."""
    tiles = ((extra or {}).get("map") or {}).get("tiles") or {}
    if not isinstance(tiles, Mapping):
        raise ContentError([_problem("", "应为一组设置（url、attribution、max_zoom、subdomains、datum）。")])
    url = str(tiles.get("url") or "").strip()
    if not url:
        return None
    problems = []
    for key in ("url", "overlay"):
        value = str(tiles.get(key) or "").strip()
        if value and (not re.fullmatch(r"https://[^\s\"'<>\\]+", value) or not all(p in value for p in ("{x}", "{y}", "{z}"))):
            problems.append(_problem(key, f"应为 https:// 开头、含 {{x}}、{{y}}、{{z}} 的瓦片地址模板，现在是 “{value}”。"))
    attribution = str(tiles.get("attribution") or "").strip()
    if not attribution:
        problems.append(_problem("attribution", "使用底图必须注明来源（地图服务商要求显示版权和审图号），请填写 attribution。"))
    datum = str(tiles.get("datum") or "").strip().lower()
    if datum not in DATUMS:
        problems.append(
            _problem("datum", f"应为 wgs84 或 gcj02（底图使用的坐标系；高德、腾讯为 gcj02，天地图为 wgs84），现在是 “{datum}”。")
        )
    max_zoom = tiles.get("max_zoom", 18)
    if isinstance(max_zoom, bool) or not isinstance(max_zoom, int) or not 1 <= max_zoom <= 22:
        problems.append(_problem("max_zoom", f"应为 1 到 22 之间的整数，现在是 “{max_zoom}”。"))
    subdomains = tiles.get("subdomains") or ()
    if isinstance(subdomains, str):
        subdomains = tuple(subdomains)  # Leaflet's convention: "1234" is four one-letter subdomains
    subdomains = tuple(str(s).strip() for s in subdomains)
    if not all(re.fullmatch(r"[A-Za-z0-9-]+", s) for s in subdomains):
        problems.append(_problem("subdomains", '应为子域名列表（如 "1234" 或 [a, b, c]），只能含字母、数字和连字符。'))
    if "{s}" in url and not subdomains:
        problems.append(_problem("subdomains", "瓦片地址中有 {s}，请填写 subdomains。"))
    if problems:
        raise ContentError(problems)
    return TileSettings(
        url=url,
        attribution=attribution,
        max_zoom=max_zoom,
        subdomains=subdomains,
        datum=datum,
        overlay=str(tiles.get("overlay") or "").strip(),
    )


def mappable_collections(registry: Registry) -> list[str]:
    """Collections whose model has a ``location`` field: the map follows the models, not a list kept here."""
    return [c.name for c in registry if "location" in c.model.model_fields]


@dataclass
class MapItem:
    entry: Entry
    collection_label: str
    meta: list[str]
    lat: float | None = None
    lng: float | None = None
    source: str = ""  # the title of the source the coordinates come from
    links: list[NavigationLink] = field(default_factory=list)
    on_map: bool = False  # a marker is drawn for it (open data holds only what may be published)


def _meta(entry: Entry) -> list[str]:
    model = entry.model
    meta = [str(getattr(model, name)) for name in ("street", "community") if getattr(model, name, None)]
    address = getattr(model, "address", None)
    if address is not None:
        meta.append(address.text)
    return meta


def _address_text(entry: Entry) -> str:
    address = getattr(entry.model, "address", None)
    return address.text if address is not None else ""


def place_links(entry: Entry) -> list[NavigationLink]:
    """How a reader gets to a place in 高德/百度/腾讯地图: its sourced coordinates opened in each app (converted to
    the app's datum) or, without sourced coordinates, a search for its name and sourced address within Shenzhen —
    a search, labelled as one, never a position."""
    location = getattr(entry.model, "location", None)
    if location is not None:
        return navigation_links(location.lat, location.lng, entry.title, _address_text(entry))
    return search_links(entry.title, _address_text(entry))


def site_page_context(renderer: PageContext, entry: Entry) -> dict[str, Any]:
    """Template variables a place's own page needs from here: ``map_links`` (see ``place_links``)."""
    return {"map_links": place_links(entry)}


def map_context(renderer: PageContext) -> dict[str, Any]:
    """Template variables of map.md.j2."""
    catalog = renderer.catalog
    tiles = map_settings(renderer.extra)
    published = {e.key for e in open_entries(catalog)}
    located: list[MapItem] = []
    pending: list[MapItem] = []
    for name in mappable_collections(catalog.registry):
        label = catalog.registry[name].label
        for entry in catalog.collection(name):
            item = MapItem(entry, label, _meta(entry), links=place_links(entry))
            location = entry.model.location
            if location is None:
                pending.append(item)
                continue
            source = entry.source(location.source)
            item.lat, item.lng = location.lat, location.lng
            item.source = source.display_title if source is not None else location.source
            item.on_map = entry.key in published
            located.append(item)
    show_map = tiles is not None and any(item.on_map for item in located)
    return {
        "tiles": tiles,
        "show_map": show_map,
        "located": located,
        "pending": pending,
        "geojson": f"../{GEOJSON_URI}",  # map.md is served as map/: the data folder is one level up
        "tile_hosts": tiles.host_patterns() if tiles else [],
    }
