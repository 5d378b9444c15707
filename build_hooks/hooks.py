"""The thin MkDocs adapter: the only module that imports mkdocs.

It runs the plain pipeline (``heritage.build``) and hands MkDocs the pages and files it returns, in memory. Which
entries are included: ``mkdocs build`` publishes ``status: published`` only; ``mkdocs serve`` previews drafts and
entries under review too, each with a banner, so editors see their work before it is published. Set
HERITAGE_PREVIEW=0 to make ``serve`` show exactly what ``build`` would. HERITAGE_DEMO=0 leaves demonstration
records (``demo: true``) out.

It also owns what must hold whatever the content: the sidebar's collection sections come from the registry; the
HTML of every generated page passes an allowlist sanitizer; no file from outside the project is published.
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

import segmenter
from heritage import ContentError, build, format_report
from heritage.cache import BuildCache
from heritage.page_cache import write_if_changed
from heritage.registry import REGISTRY
from heritage.sanitize import sanitize_page_html

log = logging.getLogger("mkdocs.plugins.heritage")

_command = "build"
_dirty = False
# The one cache of this process: `mkdocs serve` rebuilds after every edit and reuses what did not change.
# A one-shot build would gain nothing from it.
_cache: BuildCache | None = None
_generated: set[str] = set()  # src_uris of the pages the pipeline made in this build


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
    # Material's search segments Chinese with jieba; our dictionary keeps names (东江纵队, 袁庚 …) whole.
    segmenter.install(_content_dir(config) / "search-dictionary.txt")
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
    return files


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
        return sanitize_page_html(html)
    return html


def on_serve(server, config, builder):
    # Watch the content actually used (HERITAGE_CONTENT_DIR may point outside the project, as the benchmark does).
    server.watch(str(_content_dir(config)))
    return server


def on_post_build(config) -> None:
    """Rewrite Material's search index as UTF-8 instead of \\uXXXX escapes: the same JSON, 44 % fewer bytes
    (14 % fewer gzipped) for Chinese text, which phones download before the first search."""
    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _record_timing(name: str, seconds: float) -> None:
    """For bench/run.py: how long our own pipeline took inside the MkDocs build (HERITAGE_TIMINGS=file)."""
    target = os.environ.get("HERITAGE_TIMINGS")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({name: seconds}) + "\n")
