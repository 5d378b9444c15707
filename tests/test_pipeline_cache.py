"""The serve-time caches: an edit is always seen; an unchanged file is not parsed again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import FIXTURE_CONTENT
from heritage import build
from heritage.collections.registry import REGISTRY
from heritage.core.cache import BuildCache
from heritage.outputs.page_cache import write_if_changed


def test_an_edited_file_is_read_again(content):
    cache = BuildCache()
    first = build(content, cache=cache)
    assert "丙港纪念亭测试条目" in first.pages["sites/gamma-memorial.md"]
    path = content / "sites" / "gamma-memorial.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("丙港纪念亭测试条目", "改名后的纪念亭"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))  # even within one clock tick
    second = build(content, cache=cache)
    assert "改名后的纪念亭" in second.pages["sites/gamma-memorial.md"]
    assert "改名后的纪念亭" in second.pages["sites/index.md"]  # and every page that shows it:
    assert "改名后的纪念亭" in second.pages["sites/alpha-hq.md"]  # a related entry's page, cached until now


def test_unchanged_file_is_not_parsed_again(tmp_path, monkeypatch):
    from heritage.stages import pipeline

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    cache = BuildCache()
    first = build(content, cache=cache)
    calls = []
    monkeypatch.setattr(pipeline, "load_entry", lambda *args: calls.append(args) or None)
    second = build(content, cache=cache)
    assert calls == []
    assert second.pages == first.pages and second.files == first.files


def test_no_hidden_state_without_a_cache(tmp_path, monkeypatch):
    """Without a cache object every build reads everything again: nothing is remembered between calls."""
    from heritage.stages import pipeline

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    first = build(content)
    calls = []
    real = pipeline.load_entry
    monkeypatch.setattr(pipeline, "load_entry", lambda *args: calls.append(args) or real(*args))
    second = build(content)
    assert sorted(Path(args[0]).relative_to(content).as_posix() for args in calls) == sorted(  # every entry file
        path.relative_to(content).as_posix() for c in REGISTRY for path in (content / c.name).glob("*.yml")
    )
    assert second.pages == first.pages and second.files == first.files


def test_cached_and_uncached_builds_agree(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    cache = BuildCache()
    build(content, cache=cache, include_unpublished=True)
    assert build(content, cache=cache).pages == build(content).pages


def test_page_files_are_rewritten_only_when_their_text_changes(tmp_path):
    root = tmp_path / "pages"
    written = BuildCache().written
    paths = write_if_changed(root, {"a.md": "甲", "b/c.md": "乙"}, written)
    stamp = paths["a.md"].stat().st_mtime_ns
    os.utime(paths["a.md"], ns=(stamp - 10**9, stamp - 10**9))
    paths = write_if_changed(root, {"a.md": "甲", "b/c.md": "丙"}, written)
    assert paths["a.md"].stat().st_mtime_ns == stamp - 10**9  # same text: untouched, MkDocs skips it
    assert paths["b/c.md"].read_text(encoding="utf-8") == "丙"
    write_if_changed(root, {"a.md": "甲"}, written)
    assert not (root / "b" / "c.md").exists()  # a deleted entry's page goes too


def test_a_template_edit_renders_pages_again(tmp_path, monkeypatch):
    from heritage.stages import render

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    templates = tmp_path / "templates"
    shutil.copytree(render.TEMPLATES_DIR, templates)
    monkeypatch.setattr(render, "TEMPLATES_DIR", templates)
    cache = BuildCache()
    assert "## 概况" in build(content, cache=cache).pages["sites/gamma-memorial.md"]
    site = templates / "site.md.j2"
    site.write_text(site.read_text(encoding="utf-8").replace("## 概况", "## 基本情况"), encoding="utf-8")
    os.utime(site, ns=(site.stat().st_atime_ns, site.stat().st_mtime_ns + 1_000_000))
    assert "## 基本情况" in build(content, cache=cache).pages["sites/gamma-memorial.md"]


def _edit(path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))  # even within one clock tick


def test_pages_that_show_what_they_name_see_its_edits(content):
    """A route shows the names of its stops, a lesson the titles of the segments it uses: an edit to the site or
    record is seen on those pages too, not only on pages naming the edited entry's own page back."""
    cache = BuildCache()
    first = build(content, cache=cache)
    assert "丙港纪念亭测试条目" in first.pages["routes/iota-route.md"]
    assert "第一段测试标题" in first.pages["lessons/theta-lesson.md"]
    _edit(content / "sites" / "gamma-memorial.yml", "丙港纪念亭测试条目", "改名后的纪念亭")
    _edit(content / "oral-history" / "beta-record.yml", "第一段测试标题", "改过的第一段标题")
    second = build(content, cache=cache)
    assert "改名后的纪念亭" in second.pages["routes/iota-route.md"]
    assert "改过的第一段标题" in second.pages["lessons/theta-lesson.md"]
    assert second.pages == build(content).pages  # the cached build is the build without a cache
