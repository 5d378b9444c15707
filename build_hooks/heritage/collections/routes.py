"""Routes (content/routes/): ordered stops at sites, the travel between them, the total duration, what to teach at
each stop; GPX and GeoJSON downloads of the stops that have a sourced location.

A stop's position is its site's ``location``, which only a source may give (schema.Location). A stop whose site has
none is listed as 位置待核实 and left out of the downloads: nothing is ever guessed. Travel times are the editor's
estimates and are shown as such (预计), never as facts.

A route taken from a published list (e.g. the province's historical-cultural trails) gives its stops and their order
only: a stop may then leave ``minutes`` and ``travel`` out (shown as 待核实, and no total is computed), and a stop with
no entry on this site names ``place`` (the name as the source writes it) instead of ``site``: it is shown as 本站尚无条目
and never appears in the downloads. A stop may give both, when the source's name differs from the entry's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Optional
from xml.sax.saxutils import escape, quoteattr

from pydantic import BaseModel, Field, StrictBool

from heritage.core import vocab
from heritage.core.schema import EntryBase, Integer, Label, Reference, Text, _config, _range, ref
from heritage.outputs.opendata import dump_json

if TYPE_CHECKING:  # pragma: no cover
    from heritage.core.catalog import Catalog, ExportTarget, PageContext
    from heritage.core.entry import Entry

Minutes = Annotated[Integer, *_range(1, 480, "分钟数", "integer")]
Audience = Literal[tuple(vocab.AUDIENCES)]  # type: ignore[valid-type]
TRAVEL_MODES = {"walk": "步行", "bus": "公交", "car": "乘车", "boat": "乘船"}
UNLOCATED = "位置待核实"
UNKNOWN = "待核实"  # a stay or a leg that neither the source nor the editor gives
NO_ENTRY = "本站尚无条目"
SITE = Reference("sites")


class Travel(BaseModel):
    model_config = _config("前往下一站")

    mode: Optional[Literal[tuple(TRAVEL_MODES)]] = Field(  # type: ignore[valid-type]
        None, description="方式：walk 步行、bus 公交、car 乘车、boat 乘船；不填表示待核实"
    )
    minutes: Optional[Minutes] = Field(None, description="预计用时（分钟）：编者的估计，页面上标为“预计”；不填表示待核实", examples=[15])
    note: Optional[Text] = Field(None, description="说明，如集合地点、注意事项")


class Stop(BaseModel):
    model_config = _config("站点")

    site: Optional[ref("sites")] = Field(
        None, description="遗址条目编号（文件名）；本站尚无条目时不填，改填 place", examples=["tuyang-east-river-column-hq"]
    )
    place: Optional[Label] = Field(
        None,
        description="来源所写的地名：本站尚无条目时必填（页面标“本站尚无条目”，不进下载文件）；与条目名称不同时也可同时填写",
        examples=["土洋烈士纪念公园"],
    )
    minutes: Optional[Minutes] = Field(
        None, description="在这一站停留讲解的分钟数；来源未给出、编者也未估计时不填（页面标“待核实”）", examples=[30]
    )
    teach: Text = Field(description="在这一站讲什么（教学安排；史实以遗址条目及其出处为准）")
    travel: Optional[Travel] = Field(None, description="前往下一站；最后一站不填；方式和用时都不知道时也可不填（页面标“待核实”）")


class Route(EntryBase):
    model_config = _config("教学路线")

    demo: StrictBool = Field(False, description="演示路线（虚构，只演示格式）：页面顶部显示“演示数据”提示，正式发布时不包含")
    title: Label = Field(description="路线名称", examples=["土洋—沙鱼涌现场教学路线"])
    audience: list[Audience] = Field(default_factory=list, description="适用对象：party-members、students、public；不填表示不限")
    stops: list[Stop] = Field(min_length=2, description="按顺序的站点，至少两站")
    duration_minutes: Optional[Annotated[Integer, *_range(5, 1440, "总时长", "integer")]] = Field(
        None, description="总时长（分钟）；填写时须等于各站停留与路上用时之和；有任何一项待核实时不填"
    )

    TITLE_FIELD: ClassVar[str] = "title"

    def total_minutes(self) -> int | None:
        """The sum of every stay and leg, or None when any of them is not given (待核实): never a partial total."""
        parts: list[int | None] = []
        last = len(self.stops) - 1
        for index, stop in enumerate(self.stops):
            parts.append(stop.minutes)
            if index < last:
                parts.append(stop.travel.minutes if stop.travel else None)
        return None if any(p is None for p in parts) else sum(parts)  # type: ignore[arg-type]

    def cross_checks(self) -> list[tuple[tuple, str]]:
        problems: list[tuple[tuple, str]] = []
        last = len(self.stops) - 1
        seen: dict[str, int] = {}
        for index, stop in enumerate(self.stops):
            if stop.site is None and stop.place is None:
                problems.append((("stops", index), "请填写 site（遗址条目编号），本站尚无条目时填写 place（来源所写的地名）。"))
            if index == last and stop.travel is not None:
                problems.append((("stops", index, "travel"), "最后一站之后没有下一站：请删去 travel。"))
            if stop.site is not None:
                if stop.site in seen:
                    problems.append(
                        (("stops", index, "site"), f"遗址 “{stop.site}” 已是第 {seen[stop.site] + 1} 站，同一遗址不要重复列站。")
                    )
                seen.setdefault(stop.site, index)
        total = self.total_minutes()
        if self.duration_minutes is not None and total is None and not problems:
            problems.append(
                (
                    ("duration_minutes",),
                    f"总时长 {self.duration_minutes} 分钟算不出来：有的站停留时间或前往下一站的用时没有填写（待核实）。"
                    "请删去 duration_minutes，或填齐各站的 minutes 和 travel.minutes。",
                )
            )
        elif self.duration_minutes is not None and self.duration_minutes != total and not problems:
            problems.append(
                (
                    ("duration_minutes",),
                    f"总时长 {self.duration_minutes} 分钟与各站停留和路上用时之和 {total} 分钟不一致。请改正，或删去 duration_minutes 让页面自动合计。",
                )
            )
        return problems

    @property
    def is_demo(self) -> bool:  # a demonstration is left out of releases and open data (core/visibility.py)
        return self.demo


# --- page and downloads ----------------------------------------------------------------------------------------


def stops_of(catalog: Catalog, route: Route) -> list[dict[str, Any]]:
    """Each stop with its site entry (None when the build does not show the site: the page says 未发布, the downloads
    leave it out) and its sourced position, if any."""
    out = []
    elapsed: int | None = 0
    for index, stop in enumerate(route.stops):
        site = catalog.visibility.target(stop.site, SITE) if stop.site is not None else None
        location = site.model.location if site is not None else None
        name = site.title if site is not None else stop.place
        out.append(
            {
                "n": index + 1,
                "stop": stop,
                "site": site,
                "place": stop.place,
                "name": name,
                "no_entry": stop.site is None,  # the source names a place this site has no entry for
                "location": location,
                "arrive": elapsed,  # None once a stay or a leg before it is 待核实
            }
        )
        leg = stop.travel.minutes if stop.travel else None
        if index == len(route.stops) - 1:
            leg = 0
        elapsed = None if elapsed is None or stop.minutes is None or leg is None else elapsed + stop.minutes + leg
    return out


def page_context(renderer: PageContext, entry: Entry) -> dict[str, Any]:
    stops = stops_of(renderer.catalog, entry.model)
    located = [s for s in stops if s["location"] is not None]
    return {
        "stops": stops,
        "located": located,
        "total": entry.model.total_minutes(),
        "modes": TRAVEL_MODES,
        "audiences": vocab.AUDIENCES,
        "unlocated": UNLOCATED,
        "unknown": UNKNOWN,
        "no_entry": NO_ENTRY,
    }


def card_meta(entry: Entry) -> list[str]:
    model = entry.model
    total = model.total_minutes()
    duration = f"约 {total} 分钟" if total is not None else f"用时{UNKNOWN}"
    return [f"{len(model.stops)} 站", duration, *(["演示数据"] if model.demo else [])]


def geojson(route_entry: Entry, stops: list[dict[str, Any]]) -> str:
    """RFC 7946: one Point per located stop (lng, lat), in route order, with its number and name."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [s["location"].lng, s["location"].lat]},
            "properties": {"stop": s["n"], "name": s["site"].title, "site": s["site"].id, "minutes": s["stop"].minutes},
        }
        for s in stops
        if s["location"] is not None
    ]
    data = {"type": "FeatureCollection", "name": route_entry.title, "features": features}
    return dump_json(data)  # < > & escaped: the file stays data even if a browser is made to render it


def gpx(route_entry: Entry, stops: list[dict[str, Any]]) -> str:
    """GPX 1.1: a route (<rte>) of the located stops, each a <rtept> with its name."""
    lines = []
    for s in stops:
        if s["location"] is None:
            continue
        lat, lon = quoteattr(f"{s['location'].lat:.6f}"), quoteattr(f"{s['location'].lng:.6f}")
        lines.append(f"  <rtept lat={lat} lon={lon}><name>{s['n']}. {escape(s['site'].title)}</name></rtept>\n")
    points = "".join(lines)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="dapeng-heritage" xmlns="http://www.topografix.com/GPX/1/1">\n'
        f" <rte>\n  <name>{escape(route_entry.title)}</name>\n{points} </rte>\n</gpx>\n"
    )


def export_routes(catalog: Catalog, context: ExportTarget) -> dict[str, Any]:
    """routes/<id>/route.gpx and route.geojson for every route with at least one located stop."""
    files: dict[str, Any] = {}
    for entry in catalog.collection("routes"):
        stops = stops_of(catalog, entry.model)
        if any(s["location"] is not None for s in stops):
            files[f"routes/{entry.id}/route.gpx"] = gpx(entry, stops)
            files[f"routes/{entry.id}/route.geojson"] = geojson(entry, stops)
    return files
