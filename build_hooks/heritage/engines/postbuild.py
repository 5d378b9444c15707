"""The step after any engine: every generated page made safe and searchable in the built HTML.

Whichever engine turned the pipeline's Markdown into themed HTML (MkDocs, ProperDocs, Zensical), this step reads
the built site and, for every page the pipeline made (``BuildResult.pages``; hand-written pages in docs/ are not
touched):

1. finds the page's content region: the inner HTML of the theme's ``<article class="md-content__inner
   md-typeset">``, without the theme's own chrome at its edges (Zensical's skip anchor, the tag links Material
   puts before the content and Zensical after it — each recognised only in a shape that cannot carry markup or a
   URL scheme; anything else stays in the region and is sanitised);
2. for an entry page, wraps the region as Pagefind's indexed body with its hidden block of filters and search-only
   names and pinyin (``search_index.wrap_page`` with ``record_for``);
3. passes the region through the allowlist (``text.sanitize.sanitize_page_html``);
4. hands each entry page to Pagefind's service as it is written (the indexer parses it on the other core while the
   next page is cleaned), then writes the index and the site's own search files (``search_index``).

A page the pipeline made but the engine did not write, or a page without the article, fails the build: the site
would otherwise publish an unsanitised or missing page. ``clean_content`` is the one implementation of steps 2–3;
the live preview (``mkdocs serve``) calls it on the HTML MkDocs made, the built site gets it here.

What the step needs of the pipeline's result is a ``Plan`` (the pages, the entry pages' search records, the Han
characters of the index): ``plan_for`` makes it from a ``BuildResult``; it is written as JSON when the engine ran in
a child process (``hooks.py`` writes it, ``cli.py`` reads it), so the pipeline runs once per build.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from heritage.core.paths import built_page, directory_url
from heritage.outputs.search_index import (
    IndexReport,
    SearchIndexError,
    SearchRecord,
    StreamingIndex,
    entry_glob,
    han_characters,
    index_site,
    record_for,
    wrap_page,
)
from heritage.text.sanitize import sanitize_page_html

ARTICLE_OPEN = '<article class="md-content__inner md-typeset">'
ARTICLE_CLOSE = "</article>"

# A tag link of the theme: relative, no scheme possible (no ":" or character reference before the fragment, not
# "//host"), text without markup. Material writes them before the content, Zensical after it.
_SAFE_HREF = r'(?![\\/]{2})[^"<>:#&\s\\]*(?:#[^"<>]*)?'
_TAG_LINKS = re.compile(
    rf'<nav class="md-tags"\s*>(?:\s*(?:<a href="{_SAFE_HREF}" class="md-tag">[^<>]*</a>|<span class="md-tag">[^<>]*</span>))*\s*</nav>'
)
_LEAD = re.compile(rf'\s*(?:<a id="__skip" tabindex="-1"></a>\s*)?(?:{_TAG_LINKS.pattern}\s*)?')
_TAGS_OPEN = '<nav class="md-tags"'


class PostbuildError(Exception):
    """The built site lacks a page or its article; the message is for editors (Chinese)."""


@dataclass
class Plan:
    """What the post-build step needs of a build: the generated pages (src_uris), each entry page's search record,
    the Han characters of the indexed pages (for the traditional-character map), and the entry-page glob."""

    pages: list[str]
    records: dict[str, SearchRecord]
    index_chars: set[str]
    glob: str | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "pages": self.pages,
                "records": {
                    uri: {
                        "url": r.url,
                        "title": r.title,
                        "aliases": list(r.aliases),
                        "filters": [list(f) for f in r.filters],
                        "terms": list(r.terms),
                        "demo": r.demo,
                        "reference": r.reference,
                    }
                    for uri, r in self.records.items()
                },
                "index_chars": "".join(sorted(self.index_chars)),
                "glob": self.glob,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Plan:
        data = json.loads(text)
        records = {
            uri: SearchRecord(
                url=r["url"],
                title=r["title"],
                aliases=tuple(r["aliases"]),
                filters=tuple((name, value) for name, value in r["filters"]),
                terms=tuple(r["terms"]),
                demo=bool(r["demo"]),
                reference=bool(r.get("reference", False)),
            )
            for uri, r in data["records"].items()
        }
        return cls(pages=list(data["pages"]), records=records, index_chars=set(data["index_chars"]), glob=data.get("glob"))


def plan_for(result, registry, dictionary: Iterable[str] = (), chars_cache: dict[str, tuple[str, set[str]]] | None = None) -> Plan:
    """The plan of a ``BuildResult``: every generated page; a search record for every entry page it has.
    ``chars_cache`` (the preview's, kept between rebuilds) spares recounting the characters of unchanged pages."""
    dictionary = list(dictionary)
    records: dict[str, SearchRecord] = {}
    index_chars: set[str] = set()
    seen: set[str] = set()
    for entry in result.catalog.entries.values():
        uri = entry.src_uri
        text = result.pages.get(uri)
        if text is None:
            continue
        records[uri] = record_for(entry, registry, directory_url(uri), text, dictionary)
        cached = chars_cache.get(uri) if chars_cache is not None else None
        if cached is None or cached[0] is not text:
            cached = (text, han_characters(text))
            if chars_cache is not None:
                chars_cache[uri] = cached
        index_chars.update(cached[1])
        seen.add(uri)
    if chars_cache is not None:
        for uri in set(chars_cache) - seen:
            del chars_cache[uri]
    return Plan(pages=list(result.pages), records=records, index_chars=index_chars, glob=entry_glob(registry.names()))


def clean_content(html: str, record: SearchRecord | None) -> str:
    """A generated page's content HTML as published: an entry page's wrapped for search, then the allowlist."""
    return sanitize_page_html(wrap_page(html, record) if record is not None else html)


def content_region(page_html: str) -> tuple[int, int]:
    """Where the page's content is in the built page (start, end offsets); raises ``ValueError`` without the article.
    The region runs from after the theme's leading chrome to before its trailing chrome, inside the first
    ``<article class="md-content__inner md-typeset">`` and its last ``</article>``: markup in the content can
    only widen the region, never hide part of itself from the sanitizer."""
    opened = page_html.find(ARTICLE_OPEN)
    closed = page_html.rfind(ARTICLE_CLOSE)
    if opened < 0 or closed < opened:
        raise ValueError("no article")
    start = opened + len(ARTICLE_OPEN)
    start = _LEAD.match(page_html, start, closed).end()
    end = _trail_start(page_html, start, closed)
    return start, max(start, end)


def _trail_start(text: str, start: int, end: int) -> int:
    """Where the trailing chrome begins: whitespace, and (Zensical) one tag-links block of the safe shape."""
    end = _rstrip(text, start, end)
    if text.endswith("</nav>", start, end):
        opened = text.rfind(_TAGS_OPEN, start, end)
        if opened >= 0 and _TAG_LINKS.fullmatch(text, opened, end):
            end = _rstrip(text, start, opened)
    return end


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def clean_page(page_html: str, record: SearchRecord | None) -> str:
    """A built page with its content region cleaned (``clean_content``); ``ValueError`` without the article."""
    start, end = content_region(page_html)
    return page_html[:start] + clean_content(page_html[start:end], record) + page_html[end:]


@dataclass
class PostbuildReport:
    pages: int  # generated pages cleaned
    entry_pages: int  # of which wrapped for search
    seconds: float  # cleaning and indexing together
    index: IndexReport | None = None
    files: dict[str, int] = field(default_factory=dict)


def postbuild(site_dir: Path, result, registry, *, dictionary: Iterable[str] = ()) -> PostbuildReport:
    """The post-build step for a ``BuildResult`` (see the module's docstring)."""
    return apply_plan(site_dir, plan_for(result, registry, dictionary))


def apply_plan(site_dir: Path, plan: Plan, *, binary: Path | None = None) -> PostbuildReport:
    """The post-build step over the site in ``site_dir``. Raises ``PostbuildError`` (missing pages or articles) or
    ``SearchIndexError`` (Pagefind); on either, the index is not written."""
    started = time.perf_counter()
    site_dir = Path(site_dir)
    missing: list[str] = []
    streaming: StreamingIndex | None = None
    try:
        if plan.records:
            streaming = StreamingIndex(binary)
        for uri in plan.pages:
            path = site_dir / built_page(uri)
            record = plan.records.get(uri)
            try:
                page = path.read_bytes().decode("utf-8")
                cleaned = clean_page(page, record)
            except FileNotFoundError:
                missing.append(f"{built_page(uri)}：引擎没有生成这个页面（来自 {uri}）。")
                continue
            except (ValueError, UnicodeDecodeError):
                missing.append(f'{built_page(uri)}：页面中找不到正文区域（<article class="md-content__inner md-typeset">）。')
                continue
            if cleaned != page:
                path.write_bytes(cleaned.encode("utf-8"))
            if streaming is not None and record is not None and not missing:
                streaming.add(record.url, cleaned)
        if missing:
            raise PostbuildError("构建后的网站缺少以下页面或其正文，无法完成安全检查和搜索索引：\n" + "\n".join(missing))
        if streaming is not None and streaming.pages_sent == len(plan.records):
            index = streaming.finish(site_dir, list(plan.records.values()), plan.index_chars)
        else:  # no entry page at all (an empty collection): Pagefind reads the built site
            if streaming is not None:
                streaming.abandon()
            index = index_site(site_dir, list(plan.records.values()), plan.index_chars, binary=binary, glob=plan.glob)
        streaming = None
    finally:
        if streaming is not None:
            streaming.abandon()
    return PostbuildReport(
        pages=len(plan.pages),
        entry_pages=len(plan.records),
        seconds=time.perf_counter() - started,
        index=index,
        files=index.files,
    )


__all__ = [
    "Plan",
    "PostbuildError",
    "PostbuildReport",
    "SearchIndexError",
    "apply_plan",
    "clean_content",
    "clean_page",
    "content_region",
    "plan_for",
    "postbuild",
]
