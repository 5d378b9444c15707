"""Render the linked catalog into Markdown pages through the Jinja templates in ``build_hooks/templates``."""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import vocab
from .link import Catalog, Entry
from .markdown_text import Markdown, escape_inline, escape_text, mark_markdown
from .fields import describe
from .oral_history import (
    captions_vtt,
    chapters_vtt,
    cite_chicago,
    cite_gbt7714,
    index_json,
    media_allowed,
    media_src,
    media_uri,
    public_segments,
)
from .schema import OralHistory, Site, timecode_seconds
from .validate import FOOTNOTE_REF, segment_anchor

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def street_uri(street: str) -> str:
    return f"sites/streets/{vocab.STREETS[street]}.md"


def kind_uri(kind: str) -> str:
    return f"sites/kinds/{kind}.md"


def listing_uris() -> list[str]:
    """Every page the pipeline writes besides entry pages, whatever the content: the sidebar nav may point at each."""
    return [
        "index.md",
        "sites/index.md",
        *(street_uri(s) for s in vocab.STREETS),
        *(kind_uri(k) for k in vocab.SITE_KINDS),
        "oral-history/index.md",
        "fields.md",
    ]


def make_environment(templates_dir: Path | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir or TEMPLATES_DIR),
        undefined=StrictUndefined,  # a typo in a template fails the build instead of printing nothing
        finalize=escape_text,
        autoescape=False,  # finalize=escape_text escapes for Markdown instead: see markdown_text.py
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = mark_markdown
    env.filters["inline"] = escape_inline
    env.filters["front_matter"] = _front_matter
    env.filters["display_name"] = narrator_display_name
    env.filters["url"] = _url
    env.filters["attr"] = lambda v: Markdown(html.escape(str(v), quote=True))  # inside an HTML attribute
    env.filters["fence"] = lambda v: Markdown(re.sub(r"\s+", " ", str(v)).strip())  # one line inside a code fence
    env.globals.update(
        vocab=vocab,
        street_uri=street_uri,
        kind_uri=kind_uri,
        segment_anchor=segment_anchor,
        cite=cite,
        seek=seek,
        citation_block=citation_block,
        timecode_seconds=timecode_seconds,
    )
    return env


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
    """A URL as a Markdown link destination: parentheses and spaces percent-encoded, nothing else touched."""
    return Markdown(value.replace(" ", "%20").replace("(", "%28").replace(")", "%29"))


def narrator_display_name(narrator) -> str:
    """The only way a narrator's name reaches a page: respects ``display`` (initials / anonymous)."""
    if narrator.display == "full":
        return narrator.name
    if narrator.display == "initials":
        return narrator.initials
    return "匿名受访者"


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


def citation_block(title: str, gbt: str, chicago: str, key: str, open: bool = False) -> Markdown:
    """Citations as plain <pre><code> blocks: Material adds its copy button to them (it targets "#<pre id> > code",
    so every <pre> has a unique id), and data-search-exclude keeps them out of the search index, where dozens of
    near-identical citations would crowd out the text."""
    e = functools.partial(html.escape, quote=True)
    return Markdown(
        f'<details class="quote oh-citation" data-search-exclude{" open" if open else ""}>\n'
        f"<summary>{e(title)}</summary>\n"
        f"<p>GB/T 7714-2015：</p>\n"
        f'<pre id="cite-{e(key)}-gbt"><code>{e(gbt)}</code></pre>\n'
        f"<p>Chicago：</p>\n"
        f'<pre id="cite-{e(key)}-chicago"><code>{e(chicago)}</code></pre>\n'
        f"</details>\n\n"
    )


@functools.lru_cache(maxsize=4096)
def _relative(from_dir: str, to_uri: str) -> str:
    return posixpath.relpath(to_uri, from_dir or ".")


def _field_dictionary() -> list[dict[str, Any]]:
    return [
        {"label": "红色遗址", "folder": "sites", "kind": "site", "fields": describe(Site)},
        {"label": "口述史", "folder": "oral-history", "kind": "oral-history", "fields": describe(OralHistory)},
    ]


# Entry pages of the previous build in this process (`mkdocs serve`): key → (settings, raw objects, page, files).
# Holding the raw objects keeps them alive, so an identity comparison can never match a recycled object.
_rendered: dict[tuple[str, str], tuple[tuple, tuple, str, dict]] = {}


def _same_objects(old: tuple, new: tuple) -> bool:
    return len(old) == len(new) and all(a is b for a, b in zip(old, new))


def _facets(rows: list[dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """The choices of each filter on the record listing: (value, label), only values that occur."""
    def choices(key: str) -> list[tuple[str, str]]:
        return [(v, v) for v in sorted({row[key] for row in rows})]

    sites: dict[str, str] = {}
    for row in rows:
        sites.update(row["site_titles"])
    decades = sorted({d for row in rows for d in row["periods"]})
    return {
        "narrator": choices("narrator"),
        "place": choices("place"),
        "language": choices("language"),
        "period": [(d, f"{d} 年代") for d in decades],
        "site": sorted(sites.items(), key=lambda item: item[1]),
    }


def _example(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Renderer:
    def __init__(
        self,
        catalog: Catalog,
        env: Environment | None = None,
        *,
        site_url: str = "",
        media_dir: Path | None = None,
        synonyms: list[tuple[str, str]] | None = None,
    ):
        self.catalog = catalog
        self.env = env or make_environment()
        self.site_url = site_url.rstrip("/") + "/" if site_url else "/"
        self.media_dir = media_dir
        self.files: dict[str, str | Path] = {}  # outputs besides pages, filled while rendering
        self._entry_files: dict[str, str | Path] = {}
        # Templates edited during `mkdocs serve` must not be hidden by pages rendered with their old version.
        self.templates_stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in TEMPLATES_DIR.glob("*.j2")))
        # (full form, short form) pairs from the terminology list: a page that says 东江纵队 but never 东纵 should
        # still be found by someone searching for 东纵 (search matches whole words and prefixes, never synonyms).
        self.synonyms = synonyms or []

    def link(self, from_uri: str, to_uri: str) -> Markdown:
        """A relative Markdown link target between two pages (MkDocs resolves and checks ``.md`` links)."""
        return Markdown(_relative(posixpath.dirname(from_uri), to_uri))

    def render_all(self) -> dict[str, str]:
        pages: dict[str, str] = {}
        for entry in self.catalog.entries.values():
            pages[entry.src_uri] = self.render_entry(entry)
        sites = self.catalog.collection("sites")
        pages["index.md"] = self._render("home.md.j2", "index.md", sites=sites, oral_histories=self.catalog.collection("oral-history"))
        pages["sites/index.md"] = self._render(
            "site-listing.md.j2", "sites/index.md", title="红色遗址", intro="大鹏新区全部红色遗址，按所在街道排列。", sites=sites, group_by_street=True
        )
        for street in vocab.STREETS:
            uri = street_uri(street)
            pages[uri] = self._render(
                "site-listing.md.j2", uri, title=street, intro=f"位于{street}的红色遗址。",
                sites=[s for s in sites if s.model.street == street], group_by_street=False,
            )
        for kind, (label, description) in vocab.SITE_KINDS.items():
            uri = kind_uri(kind)
            pages[uri] = self._render(
                "site-listing.md.j2", uri, title=label, intro=f"{description}。",
                sites=[s for s in sites if s.model.kind == kind], group_by_street=True,
            )
        records = self.catalog.collection("oral-history")
        rows = [self._record_row(record) for record in records]
        pages["oral-history/index.md"] = self._render(
            "oral-history-listing.md.j2", "oral-history/index.md", records=records, rows=rows, facets=_facets(rows)
        )
        pages["fields.md"] = self._render("fields.md.j2", "fields.md", collections=_field_dictionary(), vocab_labels=vocab.value_labels(), example=_example)
        return pages

    def url_of(self, entry: Entry) -> str:
        """The stable public URL of an entry page (directory URLs), for citations and exports."""
        return f"{self.site_url}{entry.collection}/{entry.id}/"

    def render_entry(self, entry: Entry) -> str:
        """An entry's page, reused from the previous build of this process when nothing it shows has changed."""
        inputs = self._inputs_of(entry)
        cached = _rendered.get(entry.key)
        if cached is not None and cached[0] == inputs[0] and _same_objects(cached[1], inputs[1]):
            self.files.update(cached[3])
            return cached[2]
        self._entry_files = {}  # what this entry publishes besides its page (recording, WebVTT, JSON)
        page = self._render_entry(entry)
        self.files.update(self._entry_files)
        _rendered[entry.key] = (inputs[0], inputs[1], page, self._entry_files)
        return page

    def _inputs_of(self, entry: Entry) -> tuple[tuple, tuple]:
        """What an entry page is made of: settings, and the raw entries (as objects) whose data it shows.
        A RawEntry is a new object whenever its file changed, so identity is an exact test."""
        raws = [entry.raw]
        for collection in ("sites", "oral-history"):
            raws += [e.raw for e in self.catalog.related_to(entry, collection)]
        raws += [record.raw for record, _ in self.catalog.segments_about_site(entry)]
        return (self.site_url, tuple(self.synonyms), self.media_dir, self.templates_stamp), tuple(raws)

    def _render_entry(self, entry: Entry) -> str:
        if entry.collection == "sites":
            page = self._render("site.md.j2", entry.src_uri, entry=entry, e=entry.model, segments_about=self._segments_about(entry))
        else:
            page = self._render("oral-history.md.j2", entry.src_uri, entry=entry, e=entry.model, **self._oral_history(entry))
        cited_ids = set(FOOTNOTE_REF.findall(page))
        sources = entry.model.sources
        extra_terms = [short for full, short in self.synonyms if full in page and short not in page]
        if extra_terms:
            page += f"\n*相关检索词：{'、'.join(escape_inline(t) for t in extra_terms)}*\n"
        return page + self._render(
            "sources.md.j2",
            entry.src_uri,
            sources=sources,
            cited=[s for s in sources if s.id in cited_ids],
            uncited=[s for s in sources if s.id not in cited_ids],
        )

    def _record_row(self, record: Entry) -> dict[str, Any]:
        """One row of the record listing, with the values its filters use (raw HTML: hrefs are URL-relative)."""
        model = record.model
        sites = {s.id: s for s in self.catalog.related_to(record, "sites")}
        for segment in model.segments:
            for site_id in segment.sites:
                site = self.catalog.entries.get(("sites", site_id))
                if site is not None and not segment.redacted:
                    sites.setdefault(site_id, site)
        periods: list[str] = []
        label = ""
        if model.period:
            first = int(model.period.from_[:4])
            last = int(model.period.to[:4]) if model.period.to else first
            periods = [str(decade) for decade in range(first // 10 * 10, last // 10 * 10 + 1, 10)]
            label = f"{first}–{last}" if last != first else str(first)
        return {
            "href": f"{record.id}/",
            "title": model.title,
            "demo": model.demo,
            "status": model.status,
            "summary": model.summary,
            "segments": len(model.segments),
            "narrator": narrator_display_name(model.narrator),
            "place": model.place,
            "recorded": model.recorded,
            "language": model.language,
            "periods": periods,
            "period_label": label,
            "sites": [{"href": f"../sites/{s.id}/", "title": s.title} for s in sorted(sites.values(), key=lambda e: e.id)],
            "site_ids": sorted(sites),
            "site_titles": {s.id: s.title for s in sites.values()},
        }

    def _segments_about(self, site: Entry) -> list[dict[str, Any]]:
        found = []
        for record, index in self.catalog.segments_about_site(site):
            segment = record.model.segments[index]
            found.append({"record": record, "segment": segment, "anchor": segment_anchor(segment, index)})
        return found

    def _oral_history(self, entry: Entry) -> dict[str, Any]:
        """Player, citations and exports of one record, within what its consent allows."""
        record = entry.model
        narrator = narrator_display_name(record.narrator)
        url = self.url_of(entry)
        page_dir = f"{entry.collection}/{entry.id}"
        media = media_allowed(record)
        player = None
        if media:
            kind, ref = ("video", media["video"]) if "video" in media else ("audio", media["audio"])
            if media_uri(ref) is not None and self.media_dir is not None:
                self._entry_files[media_uri(ref)] = self.media_dir / ref
            self._entry_files[f"{page_dir}/chapters.vtt"] = chapters_vtt(record)
            self._entry_files[f"{page_dir}/captions.vtt"] = captions_vtt(record)
            player = {"kind": kind, "src": media_src(ref, page_dir), "remote": media_uri(ref) is None}
        self._entry_files[f"{page_dir}/index.json"] = index_json(record, entry.id, narrator, url)
        citations = {
            "gbt": cite_gbt7714(record, narrator, url),
            "chicago": cite_chicago(record, narrator, url),
            "segments": {
                item.anchor: {
                    "gbt": cite_gbt7714(record, narrator, f"{url}#{item.anchor}", item.segment),
                    "chicago": cite_chicago(record, narrator, f"{url}#{item.anchor}", item.segment),
                }
                for item in public_segments(record)
            },
        }
        return {"narrator_name": narrator, "player": player, "citations": citations, "record_url": url}

    def _render(self, template: str, uri: str, **context: Any) -> str:
        def link_to(target: Entry | str) -> Markdown:
            return self.link(uri, target if isinstance(target, str) else target.src_uri)

        return self.env.get_template(template).render(
            uri=uri, link_to=link_to, related=self.catalog.related_to, **context
        )
