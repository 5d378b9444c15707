"""The collections, declared once each: everything the pipeline does per collection follows from these declarations.

A ``Collection`` says where its entries live (``content/<name>/``), which model validates them, which template
renders their page, which listing pages and facets it has, and what it exports besides pages. Cross references are
not declared here but on the model's fields (``schema.ref("sites")``), so link checking, back-links and the preview
cache find them by themselves. The JSON Schema files, the field dictionary, ``make new``, the sidebar's listing
sections and the reserved ids are all derived from this registry. Recipe: ``ARCHITECTURE.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from heritage.collections import lessons, oral_history, routes, sources
from heritage.collections.chronicle import Event, Person, schema_org_life_date, schema_org_span
from heritage.collections.oral_history import OralHistory
from heritage.collections.sites import Site
from heritage.core import vocab
from heritage.core.catalog import Collection, Facet, ListingFilter, Registry, SitePage, decades
from heritage.outputs import opendata
from heritage.pages import fields, map_page, plaques, teaching, timeline
from heritage.text import pinyin

if TYPE_CHECKING:  # pragma: no cover
    from heritage.core.catalog import PageContext
    from heritage.core.entry import Entry


# --- the collections -----------------------------------------------------------------------------------------

STREET_FACET = Facet(
    field="street",
    label="按街道",
    folder="streets",
    values={street: (slug, street) for street, slug in vocab.STREETS.items()},
    description={street: f"位于{street}的红色遗址。" for street in vocab.STREETS},
)
KIND_FACET = Facet(
    field="kind",
    label="按类别",
    folder="kinds",
    values={kind: (kind, label) for kind, (label, _) in vocab.SITE_KINDS.items()},
    description={kind: f"{description}。" for kind, (_, description) in vocab.SITE_KINDS.items()},
)


def _site_period(entry: Entry) -> list[tuple[str, str]]:
    period = entry.model.period
    return decades(period.from_, period.to) if period else []


def _site_page_context(renderer: PageContext, entry: Entry) -> dict[str, Any]:
    """A site's page: the oral-history segments about it, and how to get there (map-app links: by sourced
    coordinates, else a search for its name and address — never a position of our own)."""
    return {**oral_history.site_page_context(renderer, entry), **map_page.site_page_context(renderer, entry)}


SITE_FILTERS = (
    ListingFilter("street", "所在街道", lambda e: [(e.model.street, e.model.street)]),
    ListingFilter("kind", "类别", lambda e: [(e.model.kind, vocab.SITE_KINDS[e.model.kind][0])]),
    ListingFilter("period", "年代", _site_period),
    ListingFilter("level", "保护级别", lambda e: [(p.level, p.level) for p in e.model.protection]),
    ListingFilter("tag", "标签", lambda e: [(t, t) for t in e.model.tags]),
)


def _site_jsonld(entry: Entry) -> dict[str, Any]:
    """LandmarksOrHistoricalBuildings: the address and, only where a source gives them, the coordinates."""
    model = entry.model
    data: dict[str, Any] = {
        "address": {
            "@type": "PostalAddress",
            "addressCountry": "CN",
            "addressRegion": "广东省",
            "addressLocality": "深圳市",
            **({"streetAddress": model.address.text} if model.address else {}),
        }
    }
    if model.location is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": model.location.lat, "longitude": model.location.lng}
    return data


def _site_card_meta(entry: Entry) -> list[str]:
    model = entry.model
    street = model.street + ("（推断）" if model.street_inferred else "")
    levels = sorted((p.level for p in model.protection), key=vocab.PROTECTION_LEVELS.index)
    return [vocab.SITE_KINDS[model.kind][0], street, *levels[:1]]  # the highest level a source gives


SITES = Collection(
    name="sites",
    label="红色遗址",
    kind="site",
    model=Site,
    template="site.md.j2",
    schema_file="site.schema.json",
    listing_template="site-listing.md.j2",
    listing_intro="本站收录的大鹏新区红色遗址。",
    facets=(STREET_FACET, KIND_FACET),
    page_context=_site_page_context,
    filters=SITE_FILTERS,
    card_meta=_site_card_meta,
    schema_type="LandmarksOrHistoricalBuildings",
    jsonld=_site_jsonld,
    plaques=True,
)

ORAL_HISTORY = Collection(
    name="oral-history",
    label="口述史",
    kind="oral-history",
    kind_aliases=("oral",),
    model=OralHistory,
    template="oral-history.md.j2",
    schema_file="oral-history.schema.json",
    listing_template="oral-history-listing.md.j2",
    page_context=oral_history.page_context,
    card_meta=oral_history.card_meta,
    exports=oral_history.exports,
    citations=oral_history.citation_records,  # an interview, and each public segment (its template shows them)
    public_data=oral_history.public_data,
    entry_checks=oral_history.entry_checks,
    filters=oral_history.LISTING_FILTERS,
    schema_type="CreativeWork",
)


def _place(text: str) -> dict[str, str]:
    """A place as its source writes it: a name only, never coordinates (none is sourced on these entries)."""
    return {"@type": "Place", "name": text}


def _person_jsonld(entry: Entry) -> dict[str, Any]:
    """Person: birthDate/deathDate and birthPlace/deathPlace from the first source's account (schema_org_date says
    which dates are left out)."""
    data: dict[str, Any] = {}
    for life, date_key, place_key in ((entry.model.born, "birthDate", "birthPlace"), (entry.model.died, "deathDate", "deathPlace")):
        if life is None:
            continue
        if (iso := schema_org_life_date(life.date)) is not None:
            data[date_key] = iso
        if life.place:
            data[place_key] = _place(life.place)
    return data


def _event_jsonld(entry: Entry) -> dict[str, Any]:
    """Event: startDate (and endDate for a span) from the sourced date, location from the sourced place text."""
    start, end = schema_org_span(entry.model.when.date)
    data: dict[str, Any] = {}
    if start is not None:
        data["startDate"] = start
    if end is not None:
        data["endDate"] = end
    if entry.model.place is not None:
        data["location"] = _place(entry.model.place.text)
    return data


PEOPLE = Collection(
    name="people",
    label="人物",
    kind="person",
    kind_aliases=("people",),
    model=Person,
    template="person.md.j2",
    schema_file="person.schema.json",
    listing_template="person-listing.md.j2",
    listing_intro="与大鹏红色历史有关的人物，按姓名拼音排列。每条事实都注明来源，资料说法不一之处如实并列。",
    page_context=timeline.entry_page_context,
    listing_context=pinyin.people_listing_context,
    schema_type="Person",
    jsonld=_person_jsonld,
)

EVENTS = Collection(
    name="events",
    label="事件",
    kind="event",
    model=Event,
    template="event.md.j2",
    schema_file="event.schema.json",
    listing_template="event-listing.md.j2",
    listing_intro="与大鹏有关的革命历史事件，按时期和时间先后排列；发生时间说法不一的，并列各说。",
    page_context=timeline.entry_page_context,
    listing_context=timeline.events_listing_context,
    schema_type="Event",
    jsonld=_event_jsonld,
)

TIMELINE = SitePage(timeline.TIMELINE_URI, "时间线", "timeline.md.j2", timeline.timeline_context)
A_TO_Z = SitePage(pinyin.AZ_URI, "条目索引 A–Z", "a-z.md.j2", pinyin.a_to_z_context)
MAP = SitePage(map_page.MAP_URI, "地图", "map.md.j2", map_page.map_context, in_nav=False)  # placed by mkdocs.yml's nav
DATA = SitePage(opendata.DATA_PAGE_URI, "开放数据", "data.md.j2", opendata.data_page_context, in_nav=False)  # likewise
FIELDS = SitePage(fields.FIELDS_URI, "字段说明", "fields.md.j2", fields.fields_context, in_nav=False)  # for editors

LESSONS = Collection(
    name="lessons",
    label="教案",
    kind="lesson",
    kind_aliases=("lessons",),
    model=lessons.Lesson,
    template="lesson.md.j2",
    schema_file="lesson.schema.json",
    listing_intro="供现场教学和专题党课使用的教案：每份教案把遗址、人物、事件和口述片段组织成有时间安排的教学流程，史实出处见所链接的条目。",
    page_context=lessons.page_context,
    card_meta=lessons.card_meta,
)

ROUTES = Collection(
    name="routes",
    label="教学路线",
    kind="route",
    kind_aliases=("routes",),
    model=routes.Route,
    template="route.md.j2",
    schema_file="route.schema.json",
    listing_intro="串联多处遗址的现场教学路线：各站讲什么、停留多久、路上预计用时；有可靠来源坐标的站点可下载 GPX 和 GeoJSON。",
    page_context=routes.page_context,
    card_meta=routes.card_meta,
)

SOURCES = Collection(
    name=sources.SOURCES,
    label="资料来源",
    kind="source",
    kind_aliases=("sources",),
    model=sources.Source,
    template="source.md.j2",
    schema_file="source.schema.json",
    listing_intro="本站引用的全部资料：每份资料注明发布者、日期和读到它的网址，列出本站依据的摘录和引用它的条目。",
    page_context=sources.source_page_context,
    card_meta=sources.source_card_meta,
    filters=(ListingFilter("kind", "类别", sources.source_kind),),
)

# The lecturers' toolkit (teaching.py, plaques.py): every teaching point by period and theme, the lesson basket
# (filled in the browser by basket.js), the printable sheet of the sites' QR codes.
TEACHING = SitePage(teaching.TEACHING_URI, "教学资源", "teaching.md.j2", teaching.teaching_context)
BASKET = SitePage(teaching.BASKET_URI, "备课篮", "basket.md.j2", teaching.basket_context)
PLAQUES = SitePage(plaques.PLAQUES_URI, "遗址二维码牌", "plaques.md.j2", plaques.plaques_context)

REGISTRY = Registry(
    (SITES, PEOPLE, EVENTS, ORAL_HISTORY, LESSONS, ROUTES, SOURCES), pages=(TIMELINE, A_TO_Z, TEACHING, BASKET, PLAQUES, MAP, DATA, FIELDS)
)
