"""The catalog of one build, and the declarations it is made from.

``Catalog``: every entry this build shows, with its links both ways, and the registry it was built with.
The declarations: the types ``collections/registry.py`` fills in, one ``Collection`` each.

A ``Collection`` says where its entries live (``content/<name>/``), which model validates them, which template
renders their page, which listing pages, facets and client-side filters it has, and what it exports besides pages.
A ``SitePage`` is a page made from the whole catalog. The ``Registry`` holds them all. Nothing here names a
collection: the declarations are in ``heritage.collections.registry``; functions a declaration points to receive the
renderer and export context as two small protocols (``PageContext``, ``ExportTarget``), so collection modules
import nothing from the stages above them (``stages/render.py`` and ``stages/export.py`` satisfy them structurally).
They refer to each other (a collection's functions receive the catalog, which holds the registry of collections):
one module, so the types can name each other without a circle of imports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from heritage.core.entry import Entry, Mention, PartLink
from heritage.core.problems import Problem
from heritage.core.schema import EntryBase
from heritage.core.visibility import Visibility


@dataclass(frozen=True)
class ListingFilter:
    """A filter on a listing page, applied in the browser (docs/assets/javascripts/records.js): each entry's values
    for ``key`` as (value, Chinese label) pairs. Without JavaScript the listing is a plain list of every entry."""

    key: str  # a word: the select's data-filter and the key in each card's data-facets JSON
    label: str  # Chinese, shown beside the select
    values: Callable[[Entry], list[tuple[str, str]]]
    # The values are ids of entries of this collection (e.g. "sites"): the listing shows only those this build
    # shows, labelled with their titles, never the id of a draft or an embargoed entry.
    refers_to: str | None = None


def decades(start: object, end: object = None) -> list[tuple[str, str]]:
    """Decade buckets ("1940", "1940 年代") that a period from ``start`` to ``end`` (YYYY[-MM[-DD]]) touches."""
    if start is None:
        return []
    first = int(str(start)[:4])
    last = int(str(end)[:4]) if end is not None else first
    return [(str(d), f"{d} 年代") for d in range(first // 10 * 10, max(first, last) // 10 * 10 + 1, 10)]


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
    page_context: Callable[[PageContext, Entry], dict[str, Any]] | None = None
    listing_context: Callable[[PageContext, list[Entry]], dict[str, Any]] | None = None
    filters: tuple[ListingFilter, ...] = ()  # client-side filters on the listing pages
    card_meta: Callable[[Entry], list[str]] | None = None  # short facts under an entry's title on listing cards
    schema_type: str = "CreativeWork"  # schema.org type of the entry page's JSON-LD
    jsonld: Callable[[Entry], dict[str, Any]] | None = None  # properties of that type beyond the common ones
    # Files besides the page (uri → text, bytes or a file to copy), within what the entry may publish.
    exports: Callable[[ExportTarget, Entry], dict[str, Any]] | None = None
    # What of an entry may leave the site as open data (opendata.py): a copy of its model without what its page
    # does not show. None: the whole model, as its page shows it.
    public_data: Callable[[Entry], EntryBase] | None = None
    # Its rules across entries, run over every entry of the build (drafts included): e.g. a narrator's protected name
    # appears in no other entry. (Rules within one entry are the model's ``cross_checks``.)
    entry_checks: Callable[[list[Entry]], list[Problem]] | None = None
    # Its entries are places with a printed QR plaque: listed on the plaque sheet (pages/plaques.py).
    plaques: bool = False
    # How its pages are cited (outputs/citations.py): (Site, Entry) → [the page's Record, its parts' …], shown by
    # its own template (citation_section). None: as a web page, in a section render.py adds after the sources.
    citations: Callable[[Any, Entry], list[Any]] | None = None

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
    """A page made from the whole catalog rather than one collection (the timeline, the A–Z index, the map, the open
    data page, the field dictionary): rendered by ``template`` with ``context(renderer)``."""

    uri: str
    label: str
    template: str
    context: Callable[[PageContext], dict[str, Any]]
    # Listed in the sidebar after the collections and among the home page's ways in. False: placed by mkdocs.yml's
    # own nav (the map, the open data page) or reached from the editors' pages (the field dictionary).
    in_nav: bool = True


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
        """Every page the pipeline may write besides entry pages: a build writes a collection's listing page and facet
        pages only where they have something to show (``Renderer._listings``), so this is an upper bound."""
        return [
            "index.md",
            *(uri for c in self.collections for uri in c.listing_uris()),
            *(p.uri for p in self.pages),
        ]

    def nav(self, pages: Container[str] | None = None) -> list[dict[str, Any]]:
        """The sidebar's sections: each collection's (its listing page and facet pages) and the site pages.

        ``pages``: the pages a build made. Then only what it made is listed: a collection with no page (no published
        entry, nothing to say) has no section, a facet value with no page no item: no menu item leads to an empty
        page. None: every section the registry can make."""

        def made(uri: str) -> bool:
            return pages is None or uri in pages

        sections: list[dict[str, Any]] = []
        for collection in self.collections:
            if not made(collection.listing_uri):
                continue
            section = collection.nav()
            items = next(iter(section.values()))
            if isinstance(items, list):
                kept: list[Any] = []
                for item in items:
                    if isinstance(item, dict):  # a facet's sub-section: {label: [{value label: uri}, …]}
                        label, values = next(iter(item.items()))
                        values = [v for v in values if made(next(iter(v.values())))]
                        if values:
                            kept.append({label: values})
                    else:
                        kept.append(item)
                section = {collection.label: kept if len(kept) > 1 else kept[0]}
            sections.append(section)
        return [*sections, *({p.label: p.uri} for p in self.pages if p.in_nav and made(p.uri))]

    def facet_uri(self, collection: str, field_name: str, value: str) -> str:
        """The listing page of one facet value, e.g. ("sites", "street", "葵涌街道") → sites/streets/kuichong.md."""
        facet = next(f for f in self[collection].facets if f.field == field_name)
        return facet.uri(collection, value)


@dataclass
class Catalog:
    """Everything this build publishes, with links resolved both ways."""

    entries: dict[tuple[str, str], Entry]
    registry: Registry  # the collections this build was made with
    related: dict[tuple[str, str], dict[str, list[Entry]]] = field(default_factory=dict)
    mentions: dict[tuple[str, str], list[Mention]] = field(default_factory=dict)  # target key → where it is named
    part_links: list[PartLink] = field(default_factory=list)
    visibility: Visibility = field(default_factory=Visibility)  # what this build shows (entries are exactly that)
    _parts_from: dict[tuple[str, str], list[PartLink]] = field(init=False, repr=False)
    _parts_to: dict[tuple[str, str], list[PartLink]] = field(init=False, repr=False)
    _mentioned_by: dict[tuple[str, str], list[Entry]] = field(init=False, repr=False)  # source key → what it names

    def __post_init__(self) -> None:
        self._parts_from, self._parts_to = defaultdict(list), defaultdict(list)
        for part_link in self.part_links:
            self._parts_from[part_link.source.key].append(part_link)
            self._parts_to[part_link.target.key].append(part_link)
        self._mentioned_by = defaultdict(list)
        for target_key, mentions in self.mentions.items():
            for mention in mentions:
                self._mentioned_by[mention.source.key].append(self.entries[target_key])

    def collection(self, name: str) -> list[Entry]:
        return sorted((e for e in self.entries.values() if e.collection == name), key=lambda e: e.id)

    def related_to(self, entry: Entry, collection: str) -> list[Entry]:
        return self.related.get(entry.key, {}).get(collection, [])

    def mentions_of(self, entry: Entry) -> list[Mention]:
        return self.mentions.get(entry.key, [])

    def part_links_from(self, entry: Entry) -> list[PartLink]:
        """Items of other entries this entry names (e.g. the segments a person's page lists), in the order written."""
        return self._parts_from.get(entry.key, [])

    def part_links_to(self, entry: Entry) -> list[PartLink]:
        """Entries naming an item of this one (e.g. the people and events a segment is about)."""
        return self._parts_to.get(entry.key, [])

    def neighbours(self, entry: Entry) -> list[Entry]:
        """Every entry whose data an entry's page may show: related entries both ways, entries that mention it and
        entries it mentions (a route shows its stops' names), entries whose items it names and that name its items
        (a lesson shows a segment's title and timecodes). The preview re-renders a page when any of them changed."""
        found = [e for entries in self.related.get(entry.key, {}).values() for e in entries]
        found += [m.source for m in self.mentions_of(entry)]
        found += self._mentioned_by.get(entry.key, [])
        found += [p.target for p in self.part_links_from(entry)] + [p.source for p in self.part_links_to(entry)]
        return found


# --- what a collection's functions may use of the stage that calls them ---------------------------------------------


class PageContext(Protocol):
    """What page-context functions read: the catalog of this build and how pages link to each other."""

    catalog: Catalog
    registry: Registry
    site_url: str  # ends with "/"
    extra: Mapping[str, Any]  # the site configuration's `extra` (map tiles, open-data licence)

    def link(self, from_uri: str, to_uri: str) -> str:
        """A relative link from one page's source URI to another's."""
        ...


class ExportTarget(Protocol):
    """What export functions read: the public address and the recordings they may publish."""

    site_url: str  # ends with "/"
    extra: Mapping[str, Any]

    def media_file(self, ref: str) -> bytes:
        """A recording of content/media/, stripped of every metadata tag."""
        ...
