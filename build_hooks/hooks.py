"""The thin MkDocs adapter: the only module that imports mkdocs.

It runs the plain pipeline (``heritage.build``) and hands MkDocs the pages it returns, in memory. Which entries are
included: ``mkdocs build`` publishes ``status: published`` only; ``mkdocs serve`` previews drafts and entries under
review too, each with a banner, so editors see their work before it is published. Set HERITAGE_PREVIEW=0 to make
``serve`` show exactly what ``build`` would. HERITAGE_DEMO=0 leaves demonstration records (``demo: true``) out.
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
from heritage.page_cache import write_if_changed
from heritage.render import listing_uris

log = logging.getLogger("mkdocs.plugins.heritage")

_command = "build"
_dirty = False


def on_startup(command: str, dirty: bool) -> None:
    global _command, _dirty
    _command, _dirty = command, dirty


def _content_dir(config) -> Path:
    configured = os.environ.get("HERITAGE_CONTENT_DIR")
    return Path(configured) if configured else Path(config.config_file_path).parent / "content"


def _preview(config) -> bool:
    return _command == "serve" and os.environ.get("HERITAGE_PREVIEW", "1") != "0"


def on_config(config):
    # Material's search segments Chinese with jieba; our dictionary keeps names (东江纵队, 袁庚 …) whole.
    segmenter.install(_content_dir(config) / "search-dictionary.txt")
    if _preview(config):
        log.info("预览模式：草稿和待审核条目也会显示（带横幅）；正式构建只包含已发布条目。")
    elif "127.0.0.1" in (config.site_url or "") or "localhost" in (config.site_url or ""):
        log.info("[提示] 未设置 SITE_URL：站点地图、规范链接和引用中的固定链接将指向本地预览地址。正式发布请用 SITE_URL=https://正式域名/ make build。")
    return config


def on_files(files: Files, config) -> Files:
    started = time.perf_counter()
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
        )
    except ContentError as exc:
        # Abort prints the message without a traceback: editors see only the list of problems.
        raise Abort("\n" + format_report(exc.problems) + "\n构建已停止。")
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
    listings = set(listing_uris())
    texts = {**result.pages, **{uri: s for uri, s in result.files.items() if isinstance(s, str)}}
    # A dirty build (`make serve`) rebuilds only pages whose file changed: back generated pages by files.
    backed = write_if_changed(Path(config.config_file_path).parent / ".cache" / "pages", texts) if _dirty else {}
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
    # Recordings (only those consent covers) are copied from content/media/.
    for uri, source in result.files.items():
        if isinstance(source, Path):
            files.append(File.generated(config, uri, abs_src_path=str(source)))
    return files


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
