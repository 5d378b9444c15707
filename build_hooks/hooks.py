"""The thin MkDocs adapter: the only module that imports mkdocs.

It runs the plain pipeline (``heritage.build``) and hands MkDocs the pages and files it returns, in memory. Which
entries are included: ``mkdocs build`` publishes ``status: published`` only; ``mkdocs serve`` previews drafts and
entries under review too, each with a banner, so editors see their work before it is published. Set
HERITAGE_PREVIEW=0 to make ``serve`` show exactly what ``build`` would. HERITAGE_DEMO=0 leaves demonstration
records (``demo: true``) out.

It also owns what must hold whatever the content: the sidebar's collection sections come from the registry; the
HTML of every generated page passes an allowlist sanitizer; no file from outside the project is published.

Search (``heritage.outputs.search_index``): each entry page's article is marked as the indexed body, with its filters and
search-only names and pinyin. ``mkdocs build`` hands each entry page to Pagefind's service as it is rendered (the
indexer works on the second core meanwhile) and writes the index at the end; ``make serve`` indexes the built HTML
in the background after each rebuild, so a saved edit shows at once. A failed index fails the build.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import time
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel

from heritage import ContentError, build, format_report
from heritage.collections.registry import REGISTRY
from heritage.core.cache import BuildCache
from heritage.outputs.page_cache import write_if_changed
from heritage.outputs.search_index import (
    BackgroundIndexer,
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

log = logging.getLogger("mkdocs.plugins.heritage")

_command = "build"
_dirty = False
# The one cache of this process: `mkdocs serve` rebuilds after every edit and reuses what did not change.
# A one-shot build would gain nothing from it.
_cache: BuildCache | None = None
_generated: set[str] = set()  # src_uris of the pages the pipeline made in this build
_search: dict[str, SearchRecord] = {}  # src_uri of each entry page → what the search index needs of it
_index_chars: set[str] = set()  # Han characters of the entry pages (the index): for the traditional-character map
_page_chars: dict[str, tuple[str, set[str]]] = {}  # serve: each entry page's characters, kept while its text is unchanged
_indexer: BackgroundIndexer | None = None
_streaming: StreamingIndex | None = None  # build: entry pages handed to Pagefind as they are rendered


def on_startup(command: str, dirty: bool) -> None:
    global _command, _dirty, _cache
    _command, _dirty = command, dirty
    _cache = BuildCache() if command == "serve" else None


def _content_dir(config) -> Path:
    configured = os.environ.get("HERITAGE_CONTENT_DIR")
    return Path(configured) if configured else Path(config.config_file_path).parent / "content"


def _preview(config) -> bool:
    return _command == "serve" and os.environ.get("HERITAGE_PREVIEW", "1") != "0"


def on_config(config):
    # The sidebar's collection sections (listing pages and facets, never entries) follow from the registry,
    # inserted after the home page: a new collection needs no edit of mkdocs.yml.
    nav = list(config.nav or [])
    declared = {next(iter(item)) for item in nav if isinstance(item, dict)}
    sections = [section for section in REGISTRY.nav() if next(iter(section)) not in declared]
    config.nav = nav[:1] + sections + nav[1:]
    if _preview(config):
        log.info("预览模式：草稿和待审核条目也会显示（带横幅）；正式构建只包含已发布条目。")
    elif "127.0.0.1" in (config.site_url or "") or "localhost" in (config.site_url or ""):
        log.info(
            "[提示] 未设置 SITE_URL：站点地图、规范链接和引用中的固定链接将指向本地预览地址。正式发布请用 SITE_URL=https://正式域名/ make build。"
        )
    return config


def on_files(files: Files, config) -> Files:
    started = time.perf_counter()
    _refuse_files_from_outside(files, config)
    # Python's cyclic garbage collector rescans every live object again and again while tens of thousands are
    # created: with it paused, our pipeline stays linear (10,000 entries: 18 s → 13 s). Nothing it makes is cyclic
    # garbage worth collecting mid-run.
    gc.disable()
    try:
        result = build(
            _content_dir(config),
            include_unpublished=_preview(config),
            site_url=config.site_url or "",
            include_demo=os.environ.get("HERITAGE_DEMO", "1") != "0",
            cache=_cache,
            extra=dict(config.extra),  # map tiles, open-data licence (mkdocs.yml `extra`)
        )
    except ContentError as exc:
        # Abort prints the message without a traceback: editors see only the list of problems.
        raise Abort("\n" + format_report(exc.problems) + "\n构建已停止。") from None
    finally:
        gc.enable()
    if _command == "build":
        # A one-shot build keeps all of this until it exits: move it out of the collector's sight, so MkDocs'
        # own work on thousands of pages is not slowed by rescanning it. (Not in serve: it would never be freed.)
        gc.freeze()
    _record_timing("pipeline_seconds", time.perf_counter() - started)
    # Reported, not fatal: an embargoed record or a link to a draft is expected, but nobody should miss it.
    # (INFO, because ``--strict`` turns WARNING into failure and these must not block a release.)
    for warning in result.warnings:
        log.info(warning.format())
    listings = set(REGISTRY.listing_uris())
    texts = {**result.pages, **{uri: s for uri, s in result.files.items() if isinstance(s, str)}}
    # A dirty build (`make serve`) rebuilds only pages whose file changed: back generated pages by files.
    backed = write_if_changed(Path(config.config_file_path).parent / ".cache" / "pages", texts, _cache.written) if _dirty and _cache else {}
    hand_written = {f.src_uri for f in files}  # a generated page may not silently replace a file in docs/
    _generated.clear()
    _generated.update(result.pages)
    for uri, text in texts.items():
        if uri in hand_written:
            raise Abort(f"docs/{uri} 与自动生成的页面同名，请删除或改名 docs/{uri}。")
        # Entry pages are deliberately outside the sidebar (see mkdocs.yml): say so, so MkDocs does not list
        # thousands of "not included in the nav" pages on every build.
        inclusion = InclusionLevel.UNDEFINED if uri in listings or uri not in result.pages else InclusionLevel.NOT_IN_NAV
        if uri in backed:
            files.append(File.generated(config, uri, abs_src_path=str(backed[uri]), inclusion=inclusion))
        else:
            files.append(File.generated(config, uri, content=text, inclusion=inclusion))
    # Recordings (only those consent covers), already stripped of every metadata tag.
    for uri, data in result.files.items():
        if isinstance(data, bytes):
            files.append(File.generated(config, uri, content=data))
    _collect_search_records(result, files, config)
    return files


def _collect_search_records(result, files: Files, config) -> None:
    """What the index needs of every entry page (all of them: a dirty rebuild renders only some, Pagefind reads all)."""
    started = time.perf_counter()
    dictionary = _search_dictionary(_content_dir(config) / "search-dictionary.txt")
    _search.clear()
    _index_chars.clear()
    seen: set[str] = set()
    for entry in result.catalog.entries.values():
        uri = entry.src_uri
        text = result.pages.get(uri)
        file = files.get_file_from_path(uri)
        if text is None or file is None:
            continue
        _search[uri] = record_for(entry, REGISTRY, file.url, text, dictionary)
        cached = _page_chars.get(uri)
        if cached is None or cached[0] is not text:
            cached = (text, han_characters(text))
            if _command == "serve":
                _page_chars[uri] = cached
        _index_chars.update(cached[1])
        seen.add(uri)
    for uri in set(_page_chars) - seen:
        del _page_chars[uri]
    _record_timing("search_records_seconds", time.perf_counter() - started)


def _search_dictionary(path: Path) -> list[str]:
    """The project's search dictionary: one name or term per line (anything after the first space is ignored)."""
    if not path.is_file():
        return []
    words = (line.split(maxsplit=1)[0] for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return [w for w in dict.fromkeys(words) if not w.startswith("#")]


def _refuse_files_from_outside(files: Files, config) -> None:
    """A symlink in docs/ would make MkDocs copy any file of the build machine into the site: refuse it."""
    docs = Path(config.docs_dir)
    resolved = docs.resolve()
    outside = [
        f.src_uri
        for f in files
        if f.abs_src_path
        and Path(f.abs_src_path).is_relative_to(docs)  # the theme's own files come from elsewhere
        and (Path(f.abs_src_path).is_symlink() or not Path(f.abs_src_path).resolve().is_relative_to(resolved))
    ]
    if outside:
        raise Abort(
            "\n".join(f"docs/{uri}: 不能是符号链接或指向 docs/ 以外的文件，请换成真实的文件。" for uri in sorted(outside))
            + "\n构建已停止。"
        )


def on_page_content(html: str, page, config, files) -> str:
    """Second wall behind the validated Markdown: the HTML of every generated page keeps only the tags,
    attributes and URL schemes our templates use (Material's own chrome around it is not touched)."""
    if page.file.src_uri in _generated:
        record = _search.get(page.file.src_uri)
        return sanitize_page_html(wrap_page(html, record) if record else html)
    return html


def on_serve(server, config, builder):
    # Watch the content actually used (HERITAGE_CONTENT_DIR may point outside the project, as the benchmark does).
    server.watch(str(_content_dir(config)))
    return server


def on_post_page(output: str, page, config) -> str:
    """``mkdocs build``: hand each entry page, as written, to Pagefind's service while MkDocs renders the next."""
    global _streaming
    if _command != "build" or page.file.src_uri not in _search:
        return output
    try:
        if _streaming is None:
            _streaming = StreamingIndex()
        _streaming.add(page.url, output)
    except SearchIndexError as exc:
        _streaming = None
        raise Abort(f"\n{exc}\n构建已停止。") from None
    return output


def on_build_error(error) -> None:
    global _streaming
    if _streaming is not None:
        _streaming.abandon()
        _streaming = None


def on_post_build(config) -> None:
    """Index the built site for search. ``mkdocs build`` (and ``make build``, before it swaps the new site in)
    waits for it and fails if it fails; ``mkdocs serve`` indexes in the background."""
    global _indexer, _streaming
    records = list(_search.values())
    if _command == "serve":
        _indexer = _indexer or BackgroundIndexer(log)
        _indexer.start(Path(config.site_dir), records, set(_index_chars), glob=entry_glob(REGISTRY.names()))
        return
    streaming, _streaming = _streaming, None
    try:
        if streaming is not None and streaming.pages_sent == len(records):
            report = streaming.finish(Path(config.site_dir), records, _index_chars)
        else:  # no entry page (an empty collection), or pages MkDocs did not render: read the built site instead
            if streaming is not None:
                streaming.abandon()
            report = index_site(Path(config.site_dir), records, _index_chars, glob=entry_glob(REGISTRY.names()))
    except SearchIndexError as exc:
        raise Abort(f"\n{exc}\n构建已停止。") from None
    _record_timing("search_index_seconds", report.seconds)
    if report.peak_memory_mb:
        _record_timing("search_index_peak_mb", report.peak_memory_mb)


def _record_timing(name: str, seconds: float) -> None:
    """For bench/run.py: how long our own pipeline took inside the MkDocs build (HERITAGE_TIMINGS=file)."""
    target = os.environ.get("HERITAGE_TIMINGS")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({name: seconds}) + "\n")
