"""The thin MkDocs adapter: the only module that imports mkdocs.

It runs the plain pipeline (``heritage.build``) and hands MkDocs the pages and files it returns, in memory. Which
entries are included: ``mkdocs build`` publishes ``status: published`` only; ``mkdocs serve`` previews drafts and
entries under review too, each with a banner, so editors see their work before it is published. Set
HERITAGE_PREVIEW=0 to make ``serve`` show exactly what ``build`` would. HERITAGE_DEMO=0 leaves demonstration
records (``demo: true``) out.

It also owns what must hold whatever the content: the sidebar's collection sections come from the registry and
list only the pages this build made (a collection with nothing to show has no menu item); no file from outside the
project is published. While the content has errors, ``mkdocs serve`` does not stop: every page of the preview shows
them (a Chinese page, each problem with file:line and field) until the next good save reloads the browser.

Safety and search are not here: they are the post-build step (``heritage.engines.postbuild``), the same after any
engine. ``python -m heritage build`` sets HERITAGE_HANDOVER: this hook then writes there what the step needs (the
pages, the entry pages' search records) and the command runs the step on the built site. A plain ``mkdocs build``
(or ``properdocs build``) runs the step itself at the end, so it too gives the complete site. ``mkdocs serve``
shows each generated page through the step's own ``clean_content`` (the allowlist, the search wrapping) as it is
rendered, and indexes the preview in the background after each rebuild, so a saved edit shows at once.
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
from heritage.core.paths import built_page
from heritage.engines.postbuild import Plan, PostbuildError, apply_plan, clean_content, plan_for
from heritage.outputs.page_cache import write_if_changed
from heritage.outputs.report import html_report
from heritage.outputs.search_index import BackgroundIndexer, SearchIndexError, read_dictionary

log = logging.getLogger("mkdocs.plugins.heritage")

# Set by ``python -m heritage build``: the file this hook writes the post-build plan to (see the module docstring).
HANDOVER = "HERITAGE_HANDOVER"

_command = "build"
_dirty = False
# The one cache of this process: `mkdocs serve` rebuilds after every edit and reuses what did not change.
# A one-shot build would gain nothing from it.
_cache: BuildCache | None = None
_generated: frozenset[str] = frozenset()  # src_uris of the pages the pipeline made in this build
_plan: Plan | None = None  # what the post-build step needs of this build (pages, search records)
_page_chars: dict[str, tuple[str, set[str]]] = {}  # serve: each entry page's characters, kept while its text is unchanged
_indexer: BackgroundIndexer | None = None
_declared_nav: list = []  # mkdocs.yml's nav, before the collection sections are inserted
# serve: the content errors of this rebuild. The preview then shows them in the browser instead of stopping.
_problems: list = []


def on_startup(command: str, dirty: bool) -> None:
    global _command, _dirty, _cache
    _command, _dirty = command, dirty
    _cache = BuildCache() if command == "serve" else None


def _content_dir(config) -> Path:
    configured = os.environ.get("HERITAGE_CONTENT_DIR")
    return Path(configured) if configured else Path(config.config_file_path).parent / "content"


def _preview(config) -> bool:
    return _command == "serve" and os.environ.get("HERITAGE_PREVIEW", "1") != "0"


def with_sections(declared: list, pages: set[str] | None) -> list:
    """The sidebar: mkdocs.yml's nav with the collection sections (listing pages and facets, never entries) inserted
    after the home page: a new collection needs no edit of mkdocs.yml. ``pages``: the pages this build made, so a
    collection with nothing to show has no menu item (Registry.nav)."""
    nav = list(declared or [])
    titles = {next(iter(item)) for item in nav if isinstance(item, dict)}
    sections = [section for section in REGISTRY.nav(pages) if next(iter(section)) not in titles]
    return nav[:1] + sections + nav[1:]


def on_config(config):
    # mkdocs.yml's own nav, kept until the pipeline has run: the collection sections depend on what this build
    # publishes, so on_files inserts them (MkDocs reads the nav after on_files).
    global _declared_nav
    _declared_nav = list(config.nav or [])
    config.nav = with_sections(_declared_nav, None)
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
            site_name=config.site_name,  # the container of every citation
        )
    except ContentError as exc:
        if _command == "serve":
            # The preview keeps running: every page shows the problems (on_post_build) until the next good save.
            return _show_problems(exc.problems, files, config)
        # Abort prints the message without a traceback: editors see only the list of problems.
        raise Abort("\n" + format_report(exc.problems) + "\n构建已停止。") from None
    finally:
        gc.enable()
    _problems.clear()
    config.nav = with_sections(_declared_nav, set(result.pages))
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
    global _plan, _generated
    started = time.perf_counter()
    _generated = frozenset(result.pages)
    dictionary = read_dictionary(_content_dir(config))
    _plan = plan_for(result, REGISTRY, dictionary, _page_chars if _command == "serve" else None)
    _record_timing("search_records_seconds", time.perf_counter() - started)
    return files


def _show_problems(problems: list, files: Files, config) -> Files:
    """serve, when the content has errors: build only the hand-written pages, with the sidebar mkdocs.yml declares;
    on_post_build then writes the error page over every page of the preview."""
    global _plan
    log.warning("\n" + format_report(problems) + "\n预览显示错误页，保存修改后自动恢复。")
    _problems[:] = problems
    _plan = None
    config.nav = list(_declared_nav)
    return files


def _write_error_pages(site_dir: Path, problems: list) -> None:
    """Every page of the preview (those of earlier builds, which a dirty build keeps, and the home page) shows the
    problems. Their time is set to 1970, so the next good build (a dirty one too) writes each page again."""
    page = html_report(problems).encode("utf-8")
    uris = {"index.md", *REGISTRY.listing_uris(), *_generated}
    targets = {*site_dir.rglob("*.html"), *(site_dir / built_page(uri) for uri in uris)}
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page)
        os.utime(target, (0, 0))


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
    """The preview only (``mkdocs serve``): each generated page as the post-build step will publish it, through the
    same function. A build leaves the content as the engine made it: the post-build step cleans the built page."""
    uri = page.file.src_uri
    if _command == "serve" and _plan is not None and uri in _generated:
        return clean_content(html, _plan.records.get(uri))
    return html


def on_serve(server, config, builder):
    # Watch the content actually used (HERITAGE_CONTENT_DIR may point outside the project, as the benchmark does).
    server.watch(str(_content_dir(config)))
    return server


def on_post_build(config) -> None:
    """``mkdocs serve``: index the preview in the background. ``python -m heritage build``: write the plan for the
    post-build step the command runs. A plain ``mkdocs build``: run the post-build step here."""
    global _indexer
    if _command == "serve" and _problems:
        _write_error_pages(Path(config.site_dir), _problems)
        return
    if _plan is None:
        return
    site_dir = Path(config.site_dir)
    if _command == "serve":
        _indexer = _indexer or BackgroundIndexer(log)
        _indexer.start(site_dir, list(_plan.records.values()), set(_plan.index_chars), glob=_plan.glob)
        return
    handover = os.environ.get(HANDOVER)
    if handover:
        Path(handover).write_text(_plan.to_json(), encoding="utf-8")
        return
    try:
        report = apply_plan(site_dir, _plan)
    except (PostbuildError, SearchIndexError) as exc:
        raise Abort(f"\n{exc}\n构建已停止。") from None
    _record_timing("postbuild_seconds", report.seconds)
    if report.index is not None:
        _record_timing("search_index_seconds", report.index.seconds)
        if report.index.peak_memory_mb:
            _record_timing("search_index_peak_mb", report.index.peak_memory_mb)


def _record_timing(name: str, seconds: float) -> None:
    """For bench/run.py: how long our own pipeline took inside the MkDocs build (HERITAGE_TIMINGS=file)."""
    target = os.environ.get("HERITAGE_TIMINGS")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({name: seconds}) + "\n")
