"""Open data: every published entry of every collection as JSON and CSV, the places as GeoJSON, and a Frictionless
``datapackage.json`` describing the files — all under ``data/``, made in the export stage.

What may leave the site is exactly what the pages may show:

- the entries the build's visibility filter shows to open data (``Visibility.for_open_data``): published, not
  demonstration records (``demo: true``), not under embargo, whatever the build includes (``make serve`` previews
  drafts: they are still never exported);
- each entry through its collection's ``public_data`` (registry): an oral-history record without its withheld
  segments, with the narrator named only as ``visibility.narrator_name`` allows and only the recordings consent
  covers. A collection without ``public_data`` publishes its whole model, as its page does;
- in every reference field of every collection (``link.reference_paths``), only references that filter shows:
  an id can say what an unpublished entry or a withheld segment is about.

The fields are derived from each collection's model (``schema.ordered_fields``), never listed here: a new collection
appears in the files, the CSV header, the data package and the data page without touching this module. Nested
mappings become dotted CSV columns (``address.text``); lists (tags, sources, segments …) are one CSV cell holding a
JSON array (Table Schema type ``array``).

Every file is data, never markup or formulas: JSON escapes ``<``, ``>`` and ``&`` (so no file can be read as HTML);
CSV is UTF-8 with a byte-order mark (Excel then reads Chinese correctly), quoted per RFC 4180 (CRLF line ends), and
text cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return — OWASP's
list — or their full-width forms) get a leading apostrophe. GeoJSON follows RFC 7946: WGS-84, [longitude, latitude].
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from heritage.core.schema import EntryBase, ordered_fields
from heritage.pages.fields import _description, _unwrap

if TYPE_CHECKING:  # pragma: no cover
    from heritage.core.catalog import Catalog, Collection, ExportTarget, PageContext, Registry
    from heritage.core.entry import Entry
    from heritage.core.visibility import Visibility

DATA_DIR = "data"
DATA_PAGE_URI = "data.md"
GEOJSON_URI = f"{DATA_DIR}/heritage.geojson"
DATAPACKAGE_URI = f"{DATA_DIR}/datapackage.json"
PACKAGE_NAME = "dapeng-red-heritage"
PACKAGE_TITLE = "大鹏红色教育资源开放数据"

# OWASP "CSV Injection": cells starting with these are run as formulas by spreadsheets. Full-width forms too: some
# spreadsheet input methods turn them into the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


# --- what is published ----------------------------------------------------------------------------------------------


def open_visibility(catalog: Catalog) -> Visibility:
    return catalog.visibility.for_open_data()


def open_entries(catalog: Catalog, collection: str | None = None) -> list[Entry]:
    """The entries of the catalog (of one collection) that open data may hold."""
    visibility = open_visibility(catalog)
    names = [collection] if collection else catalog.registry.names()
    return [entry for name in names for entry in catalog.collection(name) if visibility.entry(entry)]


def public_model(collection: Collection, entry: Entry) -> EntryBase:
    return collection.public_data(entry) if collection.public_data else entry.model


def record(collection: Collection, entry: Entry, site_url: str, visibility: Visibility) -> dict[str, Any]:
    """One entry as open data: its id and page URL, then its public fields in the order editors read them, without
    the references ``visibility`` (``open_visibility(catalog)``) may not show (drafts, demonstration records,
    withheld segments …), as pages leave them out."""
    model = public_model(collection, entry)
    dumped = visibility.public_references(model.model_dump(mode="json", by_alias=True), type(model))
    data: dict[str, Any] = {"id": entry.id, page_key(type(model)): f"{site_url}{entry.url}"}
    for name, info in ordered_fields(type(model)):
        data[info.alias or name] = dumped[info.alias or name]
    return data


# --- the fields, from the model -------------------------------------------------------------------------------------


@dataclass
class Column:
    name: str  # CSV header, e.g. ``address.text``
    keys: tuple[str, ...]  # where the value sits in a JSON record
    type: str  # Table Schema type: string, number, integer, boolean, date, array
    description: str
    required: bool = False
    enum: list[str] = field(default_factory=list)
    items: list[tuple[str, str]] = field(default_factory=list)  # for lists of mappings: (key, description) of an item

    def value(self, data: Mapping[str, Any]) -> Any:
        value: Any = data
        for key in self.keys:
            if not isinstance(value, Mapping):
                return None
            value = value.get(key)
        return value

    def table_schema(self) -> dict[str, Any]:
        spec: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = self.enum
        if constraints:
            spec["constraints"] = constraints
        return spec


ID_COLUMN = Column("id", ("id",), "string", "条目编号（即文件名），也是网址的一部分", required=True)
URL_COLUMN = Column("url", ("url",), "string", "条目页面的网址", required=True)


def _scalar_type(core: Any) -> tuple[str, list[str]]:
    if typing.get_origin(core) is Literal:
        return "string", [str(v) for v in typing.get_args(core)]
    if core is bool:
        return "boolean", []
    if core is int:
        return "integer", []
    if core is float:
        return "number", []
    if core is dt.date:
        return "date", []
    return "string", []


def page_key(model: type[BaseModel]) -> str:
    """The column of the entry page's address: ``url``, or ``page_url`` when the model has a ``url`` of its own (a
    source: where it was read)."""
    return "page_url" if any((info.alias or name) == "url" for name, info in model.model_fields.items()) else "url"


def columns(model: type[BaseModel]) -> list[Column]:
    """Every CSV column of a collection, derived from its model: id and url, then each field in editors' order."""
    key = page_key(model)
    page = URL_COLUMN if key == "url" else Column(key, (key,), "string", URL_COLUMN.description, required=True)
    return [ID_COLUMN, page, *_columns(model, (), top=True)]


def _columns(model: type[BaseModel], prefix: tuple[str, ...], top: bool) -> list[Column]:
    found: list[Column] = []
    for name, info in ordered_fields(model):
        keys = (*prefix, info.alias or name)
        core, is_list, metadata = _unwrap(info.annotation)
        description = _description(info)
        nested = isinstance(core, type) and issubclass(core, BaseModel)
        if is_list:
            items = [(i.alias or n, _description(i)) for n, i in ordered_fields(core)] if nested else []
            found.append(Column(".".join(keys), keys, "array", description, required=top and info.is_required(), items=items))
        elif nested:
            found.extend(_columns(core, keys, top=False))
        else:
            kind, enum = _scalar_type(core)
            found.append(Column(".".join(keys), keys, kind, description, required=top and info.is_required(), enum=enum))
    return found


# --- the files --------------------------------------------------------------------------------------------------------


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # the C encoder: indenting is 5x slower


def dump_json(data: Any, items: str | None = None) -> str:
    """JSON that stays data wherever it is opened: < > & escaped (as \\u003c …), which JSON parsers read back.
    A list (or the list under key ``items``) is written one element per line: readable, diffable, fast to write."""
    if isinstance(data, list):
        text = "[\n" + ",\n".join(_compact(item) for item in data) + "\n]" if data else "[]"
    elif items is not None:
        head = _compact({k: v for k, v in data.items() if k != items})[:-1]
        rows = ",\n".join(_compact(item) for item in data[items])
        separator = "," if head != "{" else ""
        text = f'{head}{separator}"{items}":[\n{rows}\n]}}' if data[items] else _compact(data)
    else:
        text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)  # numbers are ours (typed fields), never formulas
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(rows: list[dict[str, Any]], cols: list[Column]) -> str:
    """UTF-8 with BOM (for Excel), RFC 4180: CRLF line ends, fields quoted when they hold , " CR or LF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.name for c in cols])
    for row in rows:
        writer.writerow([csv_cell(c.value(row)) for c in cols])
    return "\ufeff" + buffer.getvalue()


def geojson(catalog: Catalog, site_url: str) -> dict[str, Any]:
    """RFC 7946: a Feature per published entry of every collection with a ``location`` field; [lng, lat] in WGS-84;
    ``geometry: null`` for an entry whose location is not yet known (never a guessed point)."""
    features = []
    for collection in catalog.registry:
        if "location" not in collection.model.model_fields:
            continue
        for entry in open_entries(catalog, collection.name):
            model = public_model(collection, entry)
            location = model.location
            geometry = None
            source = ""
            if location is not None:
                geometry = {"type": "Point", "coordinates": [location.lng, location.lat]}
                found = entry.source(location.source)
                source = found.display_title if found is not None else location.source
            features.append(
                {
                    "type": "Feature",
                    "id": f"{entry.collection}/{entry.id}",
                    "geometry": geometry,
                    "properties": {
                        "collection": entry.collection,
                        "collection_label": collection.label,
                        "id": entry.id,
                        "title": entry.title,
                        "summary": model.summary,
                        "url": f"{site_url}{entry.url}",
                        "path": entry.url,
                        "location_source": source,
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


def license_settings(extra: Mapping[str, Any] | None) -> dict[str, str]:
    """The data licence as the maintainers set it: mkdocs.yml ``extra.open_data.license`` / ``license_url``, else the
    site's content licence (``extra.site.license``). Empty when neither is set: nothing is granted on the owners'
    behalf, and the data page says the licence is yet to be set."""
    extra = extra or {}
    own = extra.get("open_data") or {}
    site = extra.get("site") or {}
    for settings, origin in ((own, "open_data"), (site, "site")):
        name = str(settings.get("license") or "").strip()
        if name:
            return {"name": name, "url": str(settings.get("license_url") or "").strip(), "origin": origin}
    return {"name": "", "url": "", "origin": ""}


@dataclass
class DataFile:
    uri: str  # under data/
    format: str  # CSV, JSON, GeoJSON
    label: str
    count: int | None  # entries in the file
    description: str

    @property
    def name(self) -> str:
        return self.uri.rsplit("/", 1)[-1]


def files_of(catalog: Catalog) -> list[DataFile]:
    """The files of the data folder, in the order the data page lists them."""
    found = []
    for collection in catalog.registry:
        count = len(open_entries(catalog, collection.name))
        found.append(DataFile(f"{DATA_DIR}/{collection.name}.csv", "CSV", collection.label, count, "表格，可用 Excel、WPS 打开"))
        found.append(DataFile(f"{DATA_DIR}/{collection.name}.json", "JSON", collection.label, count, "完整的结构化数据"))
    places = [c for c in catalog.registry if "location" in c.model.model_fields]
    if places:
        count = sum(len(open_entries(catalog, c.name)) for c in places)
        label = "、".join(c.label for c in places)
        found.append(DataFile(GEOJSON_URI, "GeoJSON", label, count, "地理数据（WGS-84，经度在前）；尚无坐标的条目 geometry 为 null"))
    found.append(DataFile(DATAPACKAGE_URI, "JSON", "数据包说明", None, "Frictionless Data 数据包描述：各文件及字段"))
    return found


def datapackage(catalog: Catalog, site_url: str, extra: Mapping[str, Any] | None) -> dict[str, Any]:
    """A Frictionless Data Package (https://specs.frictionlessdata.io/data-package/) describing the files."""
    resources = []
    for collection in catalog.registry:
        resources.append(
            {
                "name": collection.name,
                "title": collection.label,
                "path": f"{collection.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": "UTF-8（带 BOM）；列表字段为 JSON 数组；以 = + - @ 开头的文字前加了一个 '，以免被电子表格当作公式。",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True},
                "schema": {"fields": [c.table_schema() for c in columns(collection.model)], "primaryKey": "id"},
            }
        )
        resources.append(
            {
                "name": f"{collection.name}-json",
                "title": collection.label,
                "path": f"{collection.name}.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
            }
        )
    if any("location" in c.model.model_fields for c in catalog.registry):
        resources.append(
            {
                "name": "heritage-geojson",
                "title": "地点（GeoJSON）",
                "path": GEOJSON_URI.rsplit("/", 1)[-1],
                "format": "geojson",
                "mediatype": "application/geo+json",
                "encoding": "utf-8",
            }
        )
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "homepage": site_url,
        "resources": resources,
    }
    licence = license_settings(extra)
    if licence["name"]:
        package["licenses"] = [{"title": licence["name"], **({"path": licence["url"]} if licence["url"] else {})}]
    else:
        package["description"] = "数据许可尚未由网站维护者设定；在设定之前，使用数据前请联系维护者。"
    return package


def export_open_data(catalog: Catalog, context: ExportTarget) -> dict[str, str]:
    """uri → text of every open-data file (called by ``export.export_all``)."""
    files: dict[str, str] = {}
    visibility = open_visibility(catalog)
    for collection in catalog.registry:
        rows = [record(collection, entry, context.site_url, visibility) for entry in open_entries(catalog, collection.name)]
        files[f"{DATA_DIR}/{collection.name}.json"] = dump_json(rows)
        files[f"{DATA_DIR}/{collection.name}.csv"] = to_csv(rows, columns(collection.model))
    if any("location" in c.model.model_fields for c in catalog.registry):
        files[GEOJSON_URI] = dump_json(geojson(catalog, context.site_url), items="features")
    files[DATAPACKAGE_URI] = dump_json(datapackage(catalog, context.site_url, context.extra))
    return files


# --- the data page ----------------------------------------------------------------------------------------------------


def data_page_context(renderer: PageContext) -> dict[str, Any]:
    """The open data page as a registry page (``SitePage``)."""
    return data_context(renderer.catalog, renderer.registry, renderer.extra)


def data_context(catalog: Catalog, registry: Registry, extra: Mapping[str, Any] | None) -> dict[str, Any]:
    """Template variables of data.md.j2."""
    return {
        "files": files_of(catalog),
        "collections": [
            {"label": c.label, "name": c.name, "count": len(open_entries(catalog, c.name)), "columns": columns(c.model)} for c in registry
        ],
        "licence": license_settings(extra),
        "has_places": any("location" in c.model.model_fields for c in registry),
    }
