"""The render stage: the linked catalog → Markdown pages, through the Jinja templates in ``build_hooks/templates``.

Escaping is on by default: the environment autoescapes, and ``finalize`` turns every value that is not marked as
Markdown into text that shows exactly as written (HTML- and Markdown-escaped, see ``markdown_text.py``). Only the
validated ``body``, our own helpers and macro output are marked; forgetting a filter makes text inert, never live.
Which template renders which page, and which listing pages exist, comes from the registry.
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, pass_context

from heritage.collections.oral_history import segment_anchor
from heritage.core import dates, vocab
from heritage.core.cache import BuildCache, same_objects
from heritage.core.catalog import Catalog, Collection
from heritage.core.entry import Entry
from heritage.core.paths import TEMPLATES_DIR, directory_url
from heritage.core.schema import Reference, timecode_seconds
from heritage.outputs import citations
from heritage.pages.plaques import QR_FILE, print_block
from heritage.pages.timeline import chronology, date_markdown, dated_markdown, is_weak, lifespan, page_disputes, period_of
from heritage.stages.validate import FOOTNOTE_REF
from heritage.text.markdown_text import Markdown, escape_attribute, escape_inline, escape_text, mark_markdown


def make_environment(templates_dirs: tuple[Path, ...] = ()) -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in (*templates_dirs, TEMPLATES_DIR)]),
        undefined=StrictUndefined,  # a typo in a template fails the build instead of printing nothing
        autoescape=True,  # anything not marked as Markdown is escaped: see markdown_text.py
        finalize=escape_text,  # … for Markdown as well as HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = _not_folded(mark_markdown)
    env.filters["inline"] = _not_folded(escape_inline)
    env.filters["front_matter"] = _not_folded(_front_matter)
    env.filters["url"] = _not_folded(_url)
    env.filters["attr"] = _not_folded(escape_attribute)  # inside an HTML attribute
    env.filters["hdate"] = dates.display  # an EDTF date as a historian writes it: 1944-23 → 1944年秋 (plain text)
    env.globals.update(
        vocab=vocab,
        segment_anchor=segment_anchor,
        cite=cite,
        seek=seek,
        citation_block=citation_block,
        page_disputes=page_disputes,  # an entry's disputes and its dated facts' other dates (timeline.py)
        chronology=chronology,
        date_markdown=date_markdown,
        dated_markdown=dated_markdown,
        lifespan=lifespan,
        period_of=period_of,
        is_weak=is_weak,  # whether a source of an entry is marked weak
    )
    return env


def _not_folded(function):
    """A filter that returns ``Markdown``, never evaluated at compile time. Jinja folds a filter applied to a
    constant into the template and escapes the result with ``markupsafe.escape``, which turns ``Markdown`` into
    plain ``Markup`` (treated as unknown, hence made inert); a filter that takes the context is never folded."""

    @pass_context
    def filter_(_context, value, *args, **kwargs):
        return function(value, *args, **kwargs)

    filter_.__name__ = function.__name__
    return filter_


def _front_matter(data: dict[str, Any]) -> Markdown:
    """YAML front matter, serialised (never templated) so no value can break out of it.

    Each value is written as JSON, which YAML reads as it is; ``yaml.safe_dump`` was a tenth of our build time.
    ``title`` and ``description`` are HTML-escaped here because MkDocs' theme environment does not autoescape:
    Material writes them as they are into ``<title>``, ``<meta>`` and the header.
    """
    lines = ["---"]
    for key, value in data.items():
        if value in (None, [], {}):
            continue
        if key in ("title", "description"):
            value = html.escape(str(value), quote=True)
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return Markdown("\n".join(lines) + "\n---\n")


def _url(value: str) -> Markdown:
    """A URL as a Markdown link destination: parentheses, spaces and angle brackets percent-encoded, nothing else
    touched (the schema accepts http(s) URLs only, checked before they get here)."""
    return Markdown(quote(str(value), safe="/:@!$&'*+,;=?#%~-._"))


def path_url(path: str) -> Markdown:
    """A file path (e.g. an image under docs/) as a link destination: every character outside the unreserved set
    percent-encoded, so no name can end the link or add Markdown of its own."""
    return Markdown(quote(path, safe="/-._~"))


# Small pieces used hundreds of times per page are Python functions: a Jinja macro call costs ten times more.


def cite(source_id: str) -> Markdown:
    """A footnote reference to a declared source (ids are slugs: nothing to escape)."""
    return Markdown(f"[^{source_id}]")


def seek(segment, anchor: str) -> Markdown:
    """A segment's time range as a link. The data-* attributes are for docs/assets/javascripts/oral-history.js:
    with a player it seeks (and the address becomes #t=HH:MM:SS); without JavaScript it jumps to the segment."""
    start, end = timecode_seconds(segment.start), timecode_seconds(segment.end)
    return Markdown(
        f'[{segment.start}–{segment.end}](#{anchor}){{ .oh-seek data-start="{start}" data-end="{end}" data-segment="{anchor}" }}'
    )


def citation_block(
    title: str, gbt: str, chicago: str, key: str, open: bool = False, files: tuple[tuple[str, str], ...] = (), coins: str = ""
) -> Markdown:
    """Citations as plain <pre><code> blocks: Material adds its copy button to them (it targets "#<pre id> > code",
    so every <pre> has a unique id), and data-pagefind-ignore keeps them out of the search index, where dozens of
    near-identical citations would crowd out the text. ``files``: (label, href) of the RIS, BibTeX and CSL-JSON
    files; ``coins``: the COinS span (citations.coins_span, escaped there) that Zotero's browser connector reads."""
    e = functools.partial(html.escape, quote=True)
    links = " · ".join(f'<a href="{e(href)}">{e(label)}</a>' for label, href in files)
    return Markdown(
        f'<details class="quote oh-citation" data-pagefind-ignore{" open" if open else ""}>\n'
        f"<summary>{e(title)}</summary>\n" + (f"{coins}\n" if coins else "") + "<p>GB/T 7714-2015：</p>\n"
        f'<pre id="cite-{e(key)}-gbt"><code>{e(gbt)}</code></pre>\n'
        f"<p>Chicago：</p>\n"
        f'<pre id="cite-{e(key)}-chicago"><code>{e(chicago)}</code></pre>\n'
        + (f"<p>导入文献管理软件（Zotero、EndNote、NoteExpress 等）：{links}</p>\n" if links else "")
        + "</details>\n\n"
    )


# Hand-written pages in docs/ that the home page links to.
HAND_WRITTEN_PAGES = frozenset({"about.md", "contribute.md", "tags.md"})
# Listing templates with something useful to say when the build publishes no entry of their collection: the oral
# history listing then explains how to contribute recordings (a consent-form template, an interview checklist).
# Any other collection without an entry has no listing page at all (Renderer._listings).
LISTINGS_USEFUL_WHEN_EMPTY = frozenset({"oral-history-listing.md.j2"})
FEATURED_COUNT = 6


def featured_sites(sites: list[Entry]) -> list[Entry]:
    """Up to six places for the home page: the highest protection level first, then those with a picture."""

    def rank(site: Entry) -> tuple:
        levels = [vocab.PROTECTION_LEVELS.index(p.level) for p in site.model.protection]
        return (min(levels, default=len(vocab.PROTECTION_LEVELS)), not site.model.images, site.id)

    return sorted(sites, key=rank)[:FEATURED_COUNT]


def _with_front_matter(page: str, extra: dict[str, Any]) -> str:
    """Add keys to a rendered page's front matter, serialised as JSON (a value can never end the front matter: JSON
    writes a newline inside a string as \\n)."""
    lines = [f"{key}: {_inert_json(value)}" for key, value in extra.items() if value]
    if not lines or not page.startswith("---\n"):
        return page
    end = page.index("\n---\n", 3)
    return page[:end] + "\n" + "\n".join(lines) + page[end:]


def _inert_json(value: Any) -> str:
    """JSON whose text holds no < > &: the same data once parsed (YAML reads \\u003c as <), and no markup in the
    page source whatever a value says."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _first_image(entry: Entry) -> str | None:
    """The path (under the site root) of an entry's first image, for share cards."""
    images = getattr(entry.model, "images", None)
    return images[0].src if images else None


def base_path(site_url: str) -> str:
    """The path the site is served under, from its address: ``https://example.org/red/`` → ``/red/``; ``/`` when
    there is none."""
    path = urlsplit(site_url).path if site_url else ""
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def html_url(base: str, from_uri: str, path: str) -> Markdown:
    """The URL of ``path`` (a page's directory URL or a file, from the site's root) for raw HTML on page
    ``from_uri``: ``<a href>``, ``<img src>``, ``<audio src>``, ``<track src>``. Every character outside the
    unreserved set is percent-encoded.

    No engine rewrites raw HTML the same way: MkDocs leaves it as written, so browsers resolve a relative URL against
    the page's directory URL (``sites/x.md`` is served as ``sites/x/``), while Zensical resolves it against the
    Markdown file (``sites/``). The two agree only on an ``index.md`` page, whose directory URL is its file's folder:
    there the URL is relative (a copy of the site served under another path, like the offline package, still
    works); on any other page it is root-relative, with the site's base path (from ``site_url``)."""
    folder = posixpath.dirname(from_uri)
    if directory_url(from_uri) == (folder + "/" if folder else ""):
        relative = posixpath.relpath(path or ".", folder or ".")
        target = "./" if relative == "." else relative + ("/" if path.endswith("/") else "")
    else:
        target = base + path
    return Markdown(quote(target, safe="/-._~"))


@functools.lru_cache(maxsize=4096)
def _relative(from_dir: str, to_uri: str) -> str:
    return posixpath.relpath(to_uri, from_dir or ".")


class Renderer:
    def __init__(
        self,
        catalog: Catalog,
        env: Environment | None = None,
        *,
        site_url: str = "",
        synonyms: list[tuple[str, str]] | None = None,
        cache: BuildCache | None = None,
        extra: Mapping[str, Any] | None = None,
        site_name: str | None = None,
    ):
        self.catalog = catalog
        self.extra = dict(extra or {})  # mkdocs.yml `extra`: map tiles, open-data licence (map_page, opendata)
        self.registry = catalog.registry
        templates_dirs = tuple(Path(d) for d in self.registry.templates_dirs)
        self.env = env or make_environment(templates_dirs)
        self.site_url = site_url.rstrip("/") + "/" if site_url else "/"
        self.base_path = base_path(self.site_url)  # root-relative URLs in raw HTML start with it (html_url)
        # The site's name and publisher in every citation (None: this project's mkdocs.yml).
        self.cite_site = citations.site_for(site_name, self.site_url, self.extra)
        self.cache = cache
        # Templates edited during `mkdocs serve` must not be hidden by pages rendered with their old version.
        self.templates_stamp = tuple(
            sorted((str(p), p.stat().st_mtime_ns) for d in (*templates_dirs, TEMPLATES_DIR) for p in d.glob("*.j2"))
        )
        # (full form, short form) pairs from the terminology list: a page that says 东江纵队 but never 东纵 should
        # still be found by someone searching for 东纵 (search matches whole words and prefixes, never synonyms).
        self.synonyms = synonyms or []

    def link(self, from_uri: str, to_uri: str) -> Markdown:
        """A relative Markdown link target between two pages (MkDocs resolves and checks ``.md`` links)."""
        return Markdown(_relative(posixpath.dirname(from_uri), to_uri))

    def page_href(self, from_uri: str, target: Entry | str) -> Markdown:
        """The URL of a page (an entry, or a page's source URI) in raw HTML on page ``from_uri`` (html_url)."""
        return html_url(self.base_path, from_uri, directory_url(target if isinstance(target, str) else target.src_uri))

    def file_href(self, from_uri: str, path: str) -> Markdown:
        """The URL of a file (its path from the site's root) in raw HTML on page ``from_uri`` (html_url)."""
        return html_url(self.base_path, from_uri, path)

    def render_all(self) -> dict[str, str]:
        pages: dict[str, str] = {}
        for entry in self.catalog.entries.values():
            pages[entry.src_uri] = self.render_entry(entry)
        for collection in self.registry:
            pages.update(self._listings(collection))
        for page in self.registry.pages:
            pages[page.uri] = self._render(page.template, page.uri, **page.context(self))
        pages["index.md"] = self._home(set(pages))
        return pages

    def _home(self, generated: set[str]) -> str:
        """The home page: the collection in a few sentences, a few featured places (never one link per entry),
        and every way in that this build has (a page is linked only if it exists)."""
        sites = self.catalog.collection("sites")
        # (collection, real entries, demonstration entries): fictional entries are never counted as content.
        counts = []
        for c in self.registry:
            shown = self.catalog.collection(c.name)
            demo = sum(1 for e in shown if e.model.is_demo)
            counts.append((c, len(shown) - demo, demo))
        available = generated | HAND_WRITTEN_PAGES
        return self._render(
            "home.md.j2",
            "index.md",
            sites=sites,
            counts=[(c, n, d) for c, n, d in counts if n or d],
            # Collections whose listing page this build made without an entry (it says how to contribute).
            invitations=[c for c, n, d in counts if not n + d and c.listing_uri in generated],
            featured=featured_sites(sites),
            has_page=available.__contains__,
            site_pages=[p for p in self.registry.pages if p.in_nav and p.uri in available],
            image_url=functools.partial(self.file_href, "index.md"),
        )

    def _listings(self, collection: Collection) -> dict[str, str]:
        """The collection's listing page and one page per value of each facet (declared in the registry), only where
        there is something to show: no empty doors. A collection without an entry in this build has no page (so no
        menu item, home link or sitemap URL) unless its listing template has something useful to say without one
        (LISTINGS_USEFUL_WHEN_EMPTY); a facet value without an entry has no page."""
        entries = self.catalog.collection(collection.name)
        pages: dict[str, str] = {}
        if not entries and collection.listing_template not in LISTINGS_USEFUL_WHEN_EMPTY:
            return pages
        pages[collection.listing_uri] = self._listing(
            collection, collection.listing_uri, collection.label, collection.listing_intro, entries
        )
        for facet in collection.facets:
            for value, (_, label) in facet.values.items():
                here = [e for e in entries if getattr(e.model, facet.field) == value]
                if here:
                    uri = facet.uri(collection.name, value)
                    pages[uri] = self._listing(collection, uri, label, facet.description.get(value, ""), here)
        return pages

    def _listing(self, collection: Collection, uri: str, title: str, intro: str, entries: list[Entry]) -> str:
        extra = collection.listing_context(self, entries) if collection.listing_context else {}
        cards, filters = self._cards(collection, uri, entries)
        return self._render(
            collection.listing_template,
            uri,
            collection=collection,
            title=title,
            intro=intro,
            entries=entries,
            cards=cards,
            filters=filters,
            **extra,
        )

    def _cards(self, collection: Collection, uri: str, entries: list[Entry]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Listing cards (href, title, facts, summary, filter values as JSON) and the filters' choices, only values
        that occur. The values of a "site" filter are ids: only the sites this build shows, labelled with their names."""
        cards = []
        choices: dict[str, dict[str, str]] = {f.key: {} for f in collection.filters}
        for entry in entries:
            facets = {}
            for listing_filter in collection.filters:
                pairs = listing_filter.values(entry)
                if listing_filter.refers_to:  # entry ids: only entries this build shows, by their titles
                    reference = Reference(listing_filter.refers_to)
                    targets = [(value, self.catalog.visibility.target(value, reference)) for value, _ in pairs]
                    pairs = [(value, target.title) for value, target in targets if target is not None]
                facets[listing_filter.key] = [value for value, _ in pairs]
                for value, label in pairs:
                    choices[listing_filter.key][value] = label
            cards.append(
                {
                    "entry": entry,
                    "href": self.page_href(uri, entry),
                    "meta": collection.card_meta(entry) if collection.card_meta else [],
                    "facets": json.dumps(facets, ensure_ascii=False, separators=(",", ":")),
                }
            )
        filters = [
            {"key": f.key, "label": f.label, "choices": sorted(choices[f.key].items(), key=lambda item: item[1])}
            for f in collection.filters
            if len(choices[f.key]) > 1
        ]
        return cards, filters

    def render_entry(self, entry: Entry) -> str:
        """An entry's page, reused from the previous build of this process when nothing it shows has changed."""
        if self.cache is None:
            return self._render_entry(entry)
        settings, raws = self._inputs_of(entry)
        cached = self.cache.pages.get(entry.key)
        if cached is not None and cached[0] == settings and same_objects(cached[1], raws):
            return cached[2]
        page = self._render_entry(entry)
        self.cache.pages[entry.key] = (settings, raws, page)
        return page

    def _inputs_of(self, entry: Entry) -> tuple[tuple, tuple]:
        """What an entry page is made of: settings, and the raw entries (as objects) whose data it shows.
        A RawEntry is a new object whenever its file changed, so identity is an exact test."""
        raws = (entry.raw, *(e.raw for e in self.catalog.neighbours(entry)))
        return (self.site_url, self.cite_site, tuple(self.synonyms), self.templates_stamp), raws

    def related_groups(self, entry: Entry, exclude: list[str] = ()) -> list[tuple[str, list[Entry]]]:
        """(collection label, entries) of every collection related to this entry, except those the template
        shows in its own way: a new collection's back-links appear on every page without a template edit."""
        groups = []
        for collection in self.registry:
            if collection.name not in exclude:
                found = self.catalog.related_to(entry, collection.name)
                if found:
                    groups.append((collection.label, found))
        return groups

    def citations_of(self, entry: Entry) -> citations.PageCitations:
        """The page's citation and its parts' (none for a draft, a demonstration or a source: citations.citable)."""
        collection = self.registry[entry.collection]
        return citations.page_citations(citations.records_for(self.catalog, collection, self.cite_site, entry))

    def _render_entry(self, entry: Entry) -> str:
        collection = self.registry[entry.collection]
        extra = collection.page_context(self, entry) if collection.page_context else {}
        cited = self.citations_of(entry)
        page = self._render(collection.template, entry.src_uri, entry=entry, e=entry.model, citations=cited, **extra)
        # Highwire citation_* tags for the head (overrides/main.html), as inert JSON like the JSON-LD.
        page = _with_front_matter(page, {"jsonld": self._jsonld(entry), "image": _first_image(entry), "citation": cited.highwire})
        cited_ids = set(FOOTNOTE_REF.findall(page))
        sources = entry.sources
        extra_terms = [short for full, short in self.synonyms if full in page and short not in page]
        if extra_terms:
            page += f"\n*相关检索词：{'、'.join(escape_inline(t) for t in extra_terms)}*\n"
        if not entry.model.NEEDS_SOURCES:  # a source's own page: its excerpts and citing entries are its sources
            return page + print_block(self.site_url, entry, self.file_href(entry.src_uri, f"{entry.url}{QR_FILE}"))
        return (
            page
            + self._render(
                "sources.md.j2",
                entry.src_uri,
                sources=sources,
                cited=[s for s in sources if s.id in cited_ids],
                uncited=[s for s in sources if s.id not in cited_ids],
            )
            # how to cite this page, after its sources; a collection with its own kind of citation (oral history)
            # places it in its template
            + (
                str(self._citation_section(entry.src_uri, "\n## 引用与下载\n\n", "引用本页", cited.record, open=True))
                if cited.record is not None and collection.citations is None
                else ""
            )
            # the handout's QR code back to this page (plaques.py, print.css)
            + print_block(self.site_url, entry, self.file_href(entry.src_uri, f"{entry.url}{QR_FILE}"))
        )

    def _jsonld(self, entry: Entry) -> dict[str, Any] | None:
        """schema.org data of an entry page (the type is declared in the registry). Demonstration records get none:
        nothing fictional is offered to search engines as data."""
        model = entry.model
        if model.is_demo:
            return None
        collection = self.registry[entry.collection]
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": collection.schema_type,
            "name": entry.title,
            "description": model.summary,
            "inLanguage": "zh-CN",
            "dateModified": model.updated.isoformat(),
        }
        if self.site_url.startswith("http"):
            data["url"] = f"{self.site_url}{entry.url}"
        if model.aliases:
            data["alternateName"] = list(model.aliases)
        if model.tags:
            data["keywords"] = list(model.tags)
        citations = [{"@type": "CreativeWork", "name": s.display_title, **({"url": s.url} if s.url else {})} for s in entry.sources]
        if citations:
            data["citation"] = citations
        if collection.jsonld is not None:
            data.update(collection.jsonld(entry))
        return data

    def _citation_section(self, uri: str, heading: str, title: str, view: citations.View, open: bool = False) -> Markdown:
        """A citation block of page ``uri``: GB/T and Chicago text, COinS, links to the files beside the page."""
        files = tuple((label, str(self.file_href(uri, path))) for label, path in view.files)
        # Markdown(heading) first: a plain str added to Markdown is escaped (the heading would read "\#\#").
        return Markdown(heading) + citation_block(title, view.gbt, view.chicago, view.key, open, files=files, coins=view.coins)

    def _render(self, template: str, uri: str, **context: Any) -> str:
        def link_to(target: Entry | str) -> Markdown:
            return self.link(uri, target if isinstance(target, str) else target.src_uri)

        def citation_section(title: str, view: citations.View, open: bool = False) -> Markdown:
            return self._citation_section(uri, "", title, view, open)

        def file_link(path: str) -> Markdown:
            return path_url(self.link(uri, path))

        return self.env.get_template(template).render(
            uri=uri,
            link_to=link_to,
            file_link=file_link,
            page_href=functools.partial(self.page_href, uri),  # pages and files linked from raw HTML (html_url)
            file_href=functools.partial(self.file_href, uri),
            citation_section=citation_section,  # a record's citation block (citations.View), links from this page
            related=self.catalog.related_to,
            related_groups=self.related_groups,
            part_links_to=self.catalog.part_links_to,  # who names one segment of a record (link.PartLink)
            registry=self.registry,
            **context,
        )
