"""Search in the real build: what the fixture site's pages carry for the indexer, what the indexer wrote, the header
override kept in step with Material, and a failed index leaving the published site as it was."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, ROOT

pytestmark = pytest.mark.site


def entry_pages() -> list[str]:
    """Every published entry of the fixture content, of every collection, as its page's folder."""
    from heritage.stages.pipeline import build

    return sorted(f"{entry.collection}/{entry.id}" for entry in build(FIXTURE_CONTENT).catalog.entries.values())


def page(site: Path, uri: str) -> str:
    return (site / uri / "index.html").read_text(encoding="utf-8")


def test_only_entry_pages_are_indexed_bodies(fixture_site):
    entries = entry_pages()
    assert {"sites/alpha-hq", "oral-history/beta-record"} <= set(entries)
    for uri in entries:
        assert page(fixture_site, uri).count("data-pagefind-body") == 1, uri
    for path in fixture_site.rglob("index.html"):
        uri = path.parent.relative_to(fixture_site).as_posix()
        if uri not in entries:
            assert "data-pagefind-body" not in path.read_text(encoding="utf-8"), uri


def test_the_index_holds_exactly_the_published_entries(fixture_site):
    entry = json.loads((fixture_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["version"] == "1.6.0"
    assert sum(language["page_count"] for language in entry["languages"].values()) == len(entry_pages())
    assert not (fixture_site / "search" / "search_index.json").exists()  # no lunr index any more
    assert len(list((fixture_site / "search" / "names").glob("*.json"))) == 256
    assert json.loads((fixture_site / "search" / "t2s.json").read_text(encoding="utf-8"))


def test_the_build_indexes_the_pages_it_wrote(fixture_site, tmp_path):
    """The post-build step hands each entry page to Pagefind's service as it cleans it: the index holds the same
    pages, text, names and filters as Pagefind's command line reading the written site afterwards."""
    import gzip
    import shutil

    from heritage.collections.registry import REGISTRY
    from heritage.outputs import search_index as si

    copy = tmp_path / "site"
    shutil.copytree(fixture_site, copy)
    si.index_site(copy, [], set(), glob=si.entry_glob(REGISTRY.names()))
    fragments = {
        site: {p.name: gzip.decompress(p.read_bytes()) for p in (site / "pagefind" / "fragment").glob("*")} for site in (fixture_site, copy)
    }
    assert len(fragments[fixture_site]) == len(entry_pages())
    assert fragments[fixture_site] == fragments[copy]


def indexed_text(site: Path) -> dict[str, str]:
    """Page URL → the text Pagefind indexed for it (what its excerpts are cut from), without its word breaks."""
    import gzip

    fragments = [json.loads(gzip.decompress(p.read_bytes())[len(b"pagefind_dcd") :]) for p in (site / "pagefind" / "fragment").glob("*")]
    return {f["url"].strip("/"): f["content"].replace("\u200b", "").replace(" ", "") for f in fragments}


def test_the_index_holds_the_prose_without_markers_labels_link_lists_or_citations(fixture_site):
    """Excerpts are cut from this text: footnote numbers, the facts table's labels, lists of related entries and the
    sources are marked data-pagefind-ignore (the names stay in the page's metadata); the prose, the values of the
    facts, the teaching points and the transcript stay."""
    text = indexed_text(fixture_site)
    site, person, event, record = (
        text[u] for u in ("sites/alpha-hq", "people/zeta-person", "events/eta-event", "oral-history/beta-record")
    )
    # the prose and facts the queries find
    assert site.startswith("甲村东江纵队司令部测试旧址.") and "测试用的已发布遗址" in site and "1943年—1945年5月" in site
    assert "第一条教学要点" in site and "1943年（另一资料的说法）" in person and "第一段文字稿。" in record
    # footnote numbers: the sentence ends where the text does
    assert "引用了两个来源。" in site and "这是人物正文。" in person and "这是事件正文。" in event
    assert "测试县甲村.1990年6月；测试市." in person  # 出生 … ；测试县甲村 then 逝世's value, without its label
    for page_text in (site, person, event, record):
        for left_out in (
            "测试出版社",
            "测试用书",
            "论坛帖子",
            "example.org",
            "资料来源",
            "相关",
            "项目.内容",
            "本页最后更新",
            "在高德地图",
        ):
            assert left_out not in page_text, left_out
    for label in ("类别", "所在街道", "地址", "保护级别", "别名", "原名", "籍贯", "外文拼写", "出生", "受访者", "采访时间", "时间", "地点"):
        for page_text in (site, person, event, record):
            assert f".{label}." not in page_text and f"){label}" not in page_text, label
    assert "本片段涉及" not in record and "片段索引" not in record and "点击时间码" not in record


def test_citations_are_marked_to_be_left_out_of_the_index():
    """Near-identical citations on every segment would crowd out the text (Pagefind skipping such an element is
    checked in tests/test_search_index.py)."""
    from heritage.stages.render import citation_block

    assert citation_block("引用本记录", "GB", "Chicago", "record").startswith('<details class="quote oh-citation" data-pagefind-ignore')


def test_every_page_has_the_search_box_and_its_script(fixture_site):
    home = (fixture_site / "index.html").read_text(encoding="utf-8")
    assert "data-hc-search" in home and 'name="hc-search"' in home and 'data-md-component="search"' not in home
    assert "assets/javascripts/search.js" in home
    assert 'label class="md-header__button md-icon" for="__search"' in home


def test_header_override_differs_from_materials_only_between_its_markers():
    import material

    original = (Path(material.__file__).parent / "templates" / "partials" / "header.html").read_text(encoding="utf-8")
    ours = (ROOT / "overrides" / "partials" / "header.html").read_text(encoding="utf-8")
    before, rest = ours.split("    {#- hc-search: begin", 1)
    _, after = rest.split("{#- hc-search: end -#}\n", 1)
    start = '    {% if "material/search" in config.plugins %}\n'
    end = "    {% endif %}\n    {% if config.repo_url %}"
    theirs_before, theirs_rest = original.split(start, 1)
    theirs_after = "    {% if config.repo_url %}" + theirs_rest.split(end, 1)[1]
    strip = lambda text: text.split("-#}\n", 1)[1]  # noqa: E731 - the leading comment differs by design
    assert strip(before) == strip(theirs_before)
    assert after == theirs_after


def _failing_indexer(folder: Path) -> Path:
    script = folder / "pagefind_extended"
    script.write_text("#!/bin/sh\necho 'indexer failed on purpose' >&2\nexit 2\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_a_failed_index_stops_make_build_and_keeps_the_old_site(tmp_path):
    site = tmp_path / "site"
    command = [sys.executable, "-m", "heritage", "--content", str(FIXTURE_CONTENT), "build", "--site-dir", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "build_hooks")}
    first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stdout + first.stderr
    before = {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    assert "pagefind/pagefind.js" in before
    failed = subprocess.run(
        command, cwd=ROOT, env={**env, "HERITAGE_PAGEFIND": str(_failing_indexer(tmp_path))}, capture_output=True, text=True
    )
    assert failed.returncode != 0
    report = failed.stdout + failed.stderr  # MkDocs prints an Abort's message on stdout
    assert "indexer failed on purpose" in report and "生成搜索索引失败" in report
    after = {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pagefind_extended", "site"]  # no staging folder left
