"""The collections, declared once each: everything the pipeline does per collection follows from these declarations.

A ``Collection`` says where its entries live (``content/<name>/``), which model validates them, which template
renders their page, which listing pages and facets it has, and what it exports besides pages. Cross references are
not declared here but on the model's fields (``schema.ref("sites")``), so link checking, back-links and the preview
cache find them by themselves. The JSON Schema files, the field dictionary, ``make new``, the sidebar's listing
sections and the reserved ids are all derived from this registry. Recipe: ``ARCHITECTURE.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from heritage.collections import lessons, oral_history, routes
from heritage.collections.chronicle import Event, Person
from heritage.collections.listing import ListingFilter, decades
from heritage.core import vocab
from heritage.core.schema import EntryBase, OralHistory, Site
from heritage.pages import plaques, teaching, timeline
from heritage.text import pinyin

if TYPE_CHECKING:  # pragma: no cover
    from heritage.stages.export import ExportContext
    from heritage.stages.link import Entry
    from heritage.stages.render import Renderer


@dataclass(frozen=True)
class Facet:
    """A controlled field whose every value gets its own listing page, e.g. sites by street."""

    field: str  # model attribute, e.g. ``street``
    label: str  # Chinese, e.g. 按街道 (a sidebar section)
    folder: str  # URL segment under the collection, e.g. ``streets``
    values: dict[str, tuple[str, str]]  # value → (slug for the URL, Chinese label)
    description: dict[str, str] = field(default_factory=dict)  # value → a sentence for the page's intro

    def uri(self, collection: str, value: str) -> str:
        return f"{collection}/{self.folder}/{self.values[value][0]}.md"


@dataclass(frozen=True)
class Collection:
    name: str  # folder under content/, URL prefix, e.g. ``sites``
    label: str  # Chinese name, e.g. 红色遗址
    kind: str  # what editors type after ``make new KIND=``
    model: type[EntryBase]
    template: str  # entry page template in build_hooks/templates/
    schema_file: str  # file name in schemas/
    listing_template: str = "listing.md.j2"
    listing_intro: str = ""
    facets: tuple[Facet, ...] = ()
    kind_aliases: tuple[str, ...] = ()  # other words ``make new`` accepts
    # Extra template variables of an entry page / of the collection's listing page.
    page_context: Callable[[Renderer, Entry], dict[str, Any]] | None = None
    listing_context: Callable[[Renderer, list[Entry]], dict[str, Any]] | None = None
    filters: tuple[ListingFilter, ...] = ()  # client-side filters on the listing pages
    card_meta: Callable[[Entry], list[str]] | None = None  # short facts under an entry's title on listing cards
    schema_type: str = "CreativeWork"  # schema.org type of the entry page's JSON-LD
    jsonld: Callable[[Entry], dict[str, Any]] | None = None  # properties of that type beyond the common ones
    # Files besides the page (uri → text, bytes or a file to copy), within what the entry may publish.
    exports: Callable[[ExportContext, Entry], dict[str, Any]] | None = None
    # What of an entry may leave the site as open data (opendata.py): a copy of its model without what its page
    # does not show. None: the whole model, as its page shows it.
    public_data: Callable[[Entry], EntryBase] | None = None

    @property
    def listing_uri(self) -> str:
        return f"{self.name}/index.md"

    def listing_uris(self) -> list[str]:
        return [self.listing_uri, *(facet.uri(self.name, value) for facet in self.facets for value in facet.values)]

    def reserved_ids(self) -> frozenset[str]:
        """Ids an entry may not take: its page would collide with a listing page or folder."""
        return frozenset({"index", *(facet.folder for facet in self.facets)})

    def nav(self) -> dict[str, Any]:
        """The collection's sidebar section: its listing page and one sub-section per facet (never entries)."""
        if not self.facets:
            return {self.label: self.listing_uri}
        items: list[Any] = [self.listing_uri]
        for facet in self.facets:
            items.append({facet.label: [{label: facet.uri(self.name, value)} for value, (_, label) in facet.values.items()]})
        return {self.label: items}


@dataclass(frozen=True)
class SitePage:
    """A page made from the whole catalog rather than one collection (the timeline, the A–Z index): rendered by
    ``template`` with ``context(renderer)``, listed in the sidebar under ``label``."""

    uri: str
    label: str
    template: str
    context: Callable[[Renderer], dict[str, Any]]


@dataclass(frozen=True)
class Registry:
    collections: tuple[Collection, ...]
    templates_dirs: tuple[Any, ...] = ()  # extra template folders searched before build_hooks/templates/
    pages: tuple[SitePage, ...] = ()  # pages across collections, after the collections in the sidebar

    def __iter__(self) -> Iterator[Collection]:
        return iter(self.collections)

    def __contains__(self, name: str) -> bool:
        return any(c.name == name for c in self.collections)

    def __getitem__(self, name: str) -> Collection:
        for collection in self.collections:
            if collection.name == name:
                return collection
        raise KeyError(name)

    def names(self) -> list[str]:
        return [c.name for c in self.collections]

    def by_kind(self, kind: str) -> Collection | None:
        return next((c for c in self.collections if kind in (c.kind, c.name, *c.kind_aliases)), None)

    def with_collection(self, collection: Collection, templates_dir: Any = None) -> Registry:
        """A registry with one more collection (tests add a throwaway one this way)."""
        extra = (*self.templates_dirs, templates_dir) if templates_dir is not None else self.templates_dirs
        return replace(self, collections=(*self.collections, collection), templates_dirs=extra)

    def listing_uris(self) -> list[str]:
        """Every page the pipeline writes besides entry pages, whatever the content."""
        return [
            "index.md",
            *(uri for c in self.collections for uri in c.listing_uris()),
            *(p.uri for p in self.pages),
            "fields.md",
            "map.md",
            "data.md",
        ]

    def nav(self) -> list[dict[str, Any]]:
        return [*(c.nav() for c in self.collections), *({p.label: p.uri} for p in self.pages)]

    def facet_uri(self, collection: str, field_name: str, value: str) -> str:
        """The listing page of one facet value, e.g. ("sites", "street", "葵涌街道") → sites/streets/kuichong.md."""
        facet = next(f for f in self[collection].facets if f.field == field_name)
        return facet.uri(collection, value)


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
    page_context=oral_history.site_page_context,
    filters=SITE_FILTERS,
    card_meta=_site_card_meta,
    schema_type="LandmarksOrHistoricalBuildings",
    jsonld=_site_jsonld,
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
    public_data=oral_history.public_data,
    filters=oral_history.LISTING_FILTERS,
    schema_type="CreativeWork",
)

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
)

TIMELINE = SitePage(timeline.TIMELINE_URI, "时间线", "timeline.md.j2", timeline.timeline_context)
A_TO_Z = SitePage(pinyin.AZ_URI, "条目索引 A–Z", "a-z.md.j2", pinyin.a_to_z_context)

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

# The lecturers' toolkit (teaching.py, plaques.py): every teaching point by period and theme, the lesson basket
# (filled in the browser by basket.js), the printable sheet of the sites' QR codes.
TEACHING = SitePage(teaching.TEACHING_URI, "教学资源", "teaching.md.j2", teaching.teaching_context)
BASKET = SitePage(teaching.BASKET_URI, "备课篮", "basket.md.j2", teaching.basket_context)
PLAQUES = SitePage(plaques.PLAQUES_URI, "遗址二维码牌", "plaques.md.j2", plaques.plaques_context)

REGISTRY = Registry((SITES, PEOPLE, EVENTS, ORAL_HISTORY, LESSONS, ROUTES), pages=(TIMELINE, A_TO_Z, TEACHING, BASKET, PLAQUES))
