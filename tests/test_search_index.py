"""The search stage without MkDocs: records, the hidden block, the helper files, and the real Pagefind binary on a
small hand-made site."""

from __future__ import annotations

import gzip
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from heritage.collections.registry import REGISTRY
from heritage.outputs import search_index as si
from heritage.text.sanitize import html_violations, sanitize_page_html


def test_part_of_a_word_is_a_prefix_of_a_suffix():
    assert si.suffixes("军政干部学校") == ["军政干部学校", "政干部学校", "干部学校", "部学校", "学校"]
    assert "临委" in si.suffixes("中共广东省临委")
    assert si.suffixes("袁庚 1917") == ["袁庚"]


def test_pinyin_spaced_run_together_and_every_reading():
    terms = si.pinyin_terms(["袁庚故居", "沙鱼涌", "曾生"])
    assert {"yuan", "geng", "yuangeng"} <= set(terms) or "yuangengguju" in terms
    assert "yuangengguju" in terms
    assert {"shayuchong", "shayuyong", "chong"} <= set(terms)  # 涌 is chōng in Cantonese place names
    assert {"zengsheng", "cengsheng"} <= set(terms)  # 曾 as a surname is zēng
    assert "yuangeng" in si.pinyin_terms(["袁庚"])


def test_a_names_pinyin_run_together_in_every_reading_of_a_short_name():
    assert set(si.name_readings("沙鱼涌")) == {"shayuyong", "shayuchong"}
    assert set(si.name_readings("曾 生")) >= {"zengsheng", "cengsheng"}
    assert si.name_readings("东江纵队司令部旧址") == ["dongjiangzongduisilingbujiuzhi"]  # long: the usual reading only
    assert si.name_readings("Donald W. Kerr") == [] and si.name_readings("合成口述00001号") == [] and si.name_readings("袁") == []


def test_periods_are_the_timelines():
    class Period:
        from_ = "1938"
        to = "1949"

    class Site:
        period = Period

    class When:
        date = "1943-12-02"

    class Event:
        when = When

    class Undated:
        pass

    assert si.period_labels(Site) == ["抗日战争时期", "解放战争时期", "社会主义革命和建设时期"]
    assert si.period_labels(Event) == ["抗日战争时期"]
    assert si.period_labels(Undated) == []


def test_name_key_and_bucket_are_stable():
    """search.js computes the same: NFKC, lower case, letters and digits only; FNV-1a 32 modulo 256."""
    assert si.name_key(" 東江縱隊（旧址）") == "東江縱隊旧址"
    assert si.name_key("Yuan Geng") == "yuangeng"
    assert si.name_bucket("") == f"{0x811C9DC5 % 256:02x}"
    assert si.name_bucket("a") == f"{0xE40C292C % 256:02x}"  # FNV-1a of "a", the published test vector


def test_traditional_map_is_limited_to_the_index():
    mapping = si.traditional_map(si.han_characters("东江纵队沙鱼涌乾隆著名東縱"))
    assert mapping["東"] == "东" and mapping["縱"] == "纵" and mapping["隊"] == "队" and mapping["魚"] == "鱼"
    assert "乾" not in mapping and "著" not in mapping  # simplified characters in their own right: never rewritten
    assert "幹" not in mapping  # its simplified form 干 is not in the index
    assert si.traditional_map({"干"})["幹"] == "干"
    assert all(len(k) == 1 and len(v) == 1 for k, v in mapping.items())
    assert si.simplify("東江縱隊", mapping) == "东江纵队"


def entry_of(collection: str, entry_id: str):
    from conftest import FIXTURE_CONTENT, valid_entries

    entries = valid_entries(FIXTURE_CONTENT)
    return next(e for e in entries if e.collection == collection and e.id == entry_id)


def test_record_filters_come_from_the_registry():
    entry = entry_of("sites", "alpha-hq")
    record = si.record_for(entry, REGISTRY, "sites/alpha-hq/", "正文提到东江纵队。", ["东江纵队", "袁庚"])
    filters = dict(record.filters)
    assert filters["栏目"] == "红色遗址"
    assert filters["街道"] == entry.model.street
    assert filters["资料"] == "真实条目"
    assert record.terms == ("东江纵队",)
    assert record.names[0] == entry.title


def test_demonstration_records_say_so():
    entry = entry_of("oral-history", "beta-record")
    record = si.record_for(entry, REGISTRY, "oral-history/beta-record/")
    assert dict(record.filters)["栏目"] == "口述史"
    assert ("资料", "演示数据" if entry.model.demo else "真实条目") in record.filters


def test_wrapped_page_passes_the_allowlist_unchanged():
    record = si.SearchRecord(
        url="sites/x/",
        title='袁庚故居 <b>"&',
        aliases=("袁庚祖居",),
        filters=(("栏目", "红色遗址"), ("街道", "大鹏街道"), ("时期", "抗日战争时期"), ("资料", "真实条目")),
        terms=("袁庚",),
    )
    page = si.wrap_page("<h1>袁庚故居</h1><p>正文</p>", record)
    assert html_violations(page) == []
    assert sanitize_page_html(page) == page.replace('=""', '=""')
    assert "<b>" not in page and "&lt;b&gt;" in page
    assert 'data-pagefind-meta="names"' in page and "庚故居" in page
    assert 'data-pagefind-meta="pinyin"' in page and "yuangeng" in page


ENTRY_HTML = """<h1 id="t">甲村旧址<a class="headerlink" href="#t">¶</a></h1>
<p>东江纵队在此成立。</p>
<table>
<thead>
<tr>
<th>项目</th>
<th>内容</th>
</tr>
</thead>
<tbody>
<tr>
<td>职务</td>
<td>1941年 惠阳大队<sup id="fnref:s"><a class="footnote-ref" href="#fn:s">1</a></sup></td>
</tr>
<tr>
<td>导航</td>
<td><a href="https://uri.amap.com/marker">在高德地图中打开</a></td>
</tr>
</tbody>
</table>
<h2 id="概况">概况</h2>
<p>他任联络员兼翻译<sup id="fnref2:s"><a class="footnote-ref" href="#fn:s">1</a></sup>。</p>
<p>本片段涉及：<a href="../a/">蔡国梁</a>、<a href="../b/">黄作梅</a></p>
<h2 id="现场教学要点">现场教学要点</h2>
<ol>
<li>教学要点正文</li>
</ol>
<h2 id="相关人物">相关人物</h2>
<ul>
<li><a href="../a/">蔡国梁</a></li>
</ul>
<p><a href="../../timeline/">在时间线上查看</a> · <a href="../../a-z/">条目索引 A–Z</a></p>
<p><em>本页最后更新：2026-11-26</em></p>
<h2 id="资料来源">资料来源</h2>
<div class="footnote">
<ol>
<li id="fn:s"><p>Wikipedia: Yuan Geng.</p></li>
</ol>
</div>
<ul>
<li>《其他参考书》。</li>
</ul>
"""


def test_what_is_not_prose_is_marked_to_be_left_out_of_the_index():
    marked = si.mark_non_prose(ENTRY_HTML)
    assert marked.replace(si.IGNORE, "") == ENTRY_HTML  # only the attribute is added: the page's structure stays
    ignored = [line for line in marked.splitlines() if si.IGNORE in line]
    kept = [line for line in marked.splitlines() if si.IGNORE not in line]
    assert marked.count('<sup data-pagefind-ignore="" id="fnref') == 2
    assert {"<thead" + si.IGNORE + ">", "<td" + si.IGNORE + ">职务</td>", "<td" + si.IGNORE + ">导航</td>"} <= set(ignored)
    assert "<td" + si.IGNORE + '><a href="https://uri.amap.com/marker">在高德地图中打开</a></td>' in ignored
    for line in ('<h2 id="相关人物">相关人物</h2>', '<h2 id="资料来源">资料来源</h2>', '<div class="footnote">', "<ul>"):
        assert line.replace(line.split(" ")[0].split(">")[0], line.split(" ")[0].split(">")[0] + si.IGNORE, 1) in ignored
    assert any(line.startswith("<p" + si.IGNORE + ">本片段涉及") for line in ignored)
    assert any(line.startswith("<p" + si.IGNORE + "><a href") for line in ignored)
    assert any(line.startswith("<p" + si.IGNORE + "><em>本页最后更新") for line in ignored)
    for prose in ("<p>东江纵队在此成立。</p>", '<h2 id="概况">概况</h2>', "<li>教学要点正文</li>"):
        assert prose in kept, prose
    assert "\n<td>1941年 惠阳大队<sup" in marked and "\n<p>他任联络员兼翻译<sup" in marked
    record = si.SearchRecord(url="sites/x/", title="甲村旧址")
    wrapped = si.wrap_page(ENTRY_HTML, record)
    assert html_violations(wrapped) == [] and sanitize_page_html(wrapped) == wrapped


def test_a_page_without_anything_to_leave_out_is_unchanged():
    assert (
        si.mark_non_prose("<h1>袁庚</h1>\n<p>正文<a href='x'>链接</a>在句中。</p>")
        == "<h1>袁庚</h1>\n<p>正文<a href='x'>链接</a>在句中。</p>"
    )


def test_sanitizer_removes_pagefind_attributes_it_does_not_know():
    page = '<div data-pagefind-body="x"><span data-pagefind-meta="url">a</span><p data-pagefind-filter="x">b</p></div>'
    cleaned = sanitize_page_html(page)
    assert "data-pagefind-body" not in cleaned and "data-pagefind-meta" not in cleaned and "data-pagefind-filter" not in cleaned


# --- the real Pagefind binary ---------------------------------------------------------------------------------------


def page(title: str, body: str, record: si.SearchRecord) -> str:
    content = si.wrap_page(f"<h1>{title}</h1><p>{body}</p>", record)
    return (
        f'<!doctype html><html lang="zh"><head><title>{title}</title></head><body><nav>导航</nav><article>{content}</article></body></html>'
    )


@pytest.fixture
def small_site(tmp_path) -> tuple[Path, list[si.SearchRecord]]:
    site = tmp_path / "site"
    records = [
        si.SearchRecord("sites/a/", "袁庚故居", ("袁庚祖居",), (("栏目", "红色遗址"), ("资料", "真实条目"))),
        si.SearchRecord("oral-history/b/", "土洋往事", (), (("栏目", "口述史"), ("资料", "演示数据")), demo=True),
    ]
    # The record's citation is marked as citation_block() marks it: kept out of the index.
    bodies = ["袁庚1917年在此出生。", '東江縱隊在土洋。</p><details data-pagefind-ignore=""><summary>引用</summary><p>引文不进索引']
    for record, body in zip(records, bodies, strict=True):
        folder = site / record.url
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(page(record.title, body, record), encoding="utf-8")
    (site / "index.html").write_text('<html lang="zh"><body><p>首页不进索引</p></body></html>', encoding="utf-8")
    return site, records


def pagefind_files(bundle: Path, pattern: str) -> list[bytes]:
    return [gzip.decompress(p.read_bytes()) for p in bundle.glob(pattern)]


def test_index_holds_entry_pages_only_and_the_helper_files(small_site):
    site, records = small_site
    glob = si.entry_glob(["sites", "oral-history"])
    assert glob == "{oral-history,sites}/*/index.html" and si.entry_glob(["sites"]) == "sites/*/index.html"
    report = si.index_site(site, records, si.han_characters("袁庚故居土洋往事东江纵队在出生"), glob=glob)
    bundle = site / si.BUNDLE_DIR
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["version"] == "1.6.0"
    assert [lang["page_count"] for lang in entry["languages"].values()] == [2]
    assert report.pages == 2
    fragments = [json.loads(f[len(b"pagefind_dcd") :]) for f in pagefind_files(bundle, "fragment/*.pf_fragment")]
    urls = {f["url"] for f in fragments}
    assert urls == {"/sites/a/", "/oral-history/b/"}
    fragment = next(f for f in fragments if f["url"] == "/sites/a/")
    assert fragment["meta"]["title"] == "袁庚故居"
    assert "yuangeng" in fragment["meta"]["pinyin"]
    assert fragment["filters"] == {"栏目": ["红色遗址"], "资料": ["真实条目"]}
    assert "导航" not in fragment["content"] and "yuangeng" not in fragment["content"]  # body only; hidden block not text
    record_fragment = next(f for f in fragments if f["url"] == "/oral-history/b/")
    text = record_fragment["content"].replace("\u200b", "")  # Pagefind keeps its word boundaries in the text
    assert "東江縱隊在土洋" in text and "引文" not in text
    for unused in si.UNUSED_BUNDLE_FILES:
        assert not (bundle / unused).exists()
    t2s = json.loads((site / "search" / "t2s.json").read_text(encoding="utf-8"))
    assert t2s["東"] == "东" and t2s["縱"] == "纵"
    demo = json.loads((site / "search" / "demo.json").read_text(encoding="utf-8"))
    assert demo == [p.stem for p in bundle.glob("fragment/*.pf_fragment") if b"/oral-history/b/" in gzip.decompress(p.read_bytes())]
    key = si.name_key("袁庚祖居")
    names = json.loads((site / "search" / "names" / f"{si.name_bucket(key)}.json").read_text(encoding="utf-8"))
    assert names[key] == [p.stem for p in bundle.glob("fragment/*.pf_fragment") if b"/sites/a/" in gzip.decompress(p.read_bytes())]
    pinyin = json.loads((site / "search" / "names" / f"{si.name_bucket('yuangengguju')}.json").read_text(encoding="utf-8"))
    assert pinyin["yuangengguju"] == names[key]  # the title's pinyin, run together, is an exact match too


def test_a_failing_indexer_leaves_the_previous_index(small_site, tmp_path):
    site, records = small_site
    si.index_site(site, records, set())
    before = sorted(p.relative_to(site).as_posix() for p in (site / si.BUNDLE_DIR).rglob("*"))
    broken = tmp_path / "pagefind_extended"
    broken.write_text("#!/bin/sh\necho 'index exploded' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(broken.stat().st_mode | stat.S_IXUSR)
    with pytest.raises(si.SearchIndexError, match="index exploded"):
        si.index_site(site, records, set(), binary=broken)
    assert sorted(p.relative_to(site).as_posix() for p in (site / si.BUNDLE_DIR).rglob("*")) == before
    assert not any(p.name.startswith(".") for p in site.iterdir())


def test_a_missing_indexer_says_to_run_make_setup(small_site, tmp_path):
    site, records = small_site
    with pytest.raises(si.SearchIndexError, match="make setup"):
        si.index_site(site, records, set(), binary=tmp_path / "nowhere")


def test_the_pinned_binary_is_the_extended_1_6_0():
    binary = si.pagefind_binary()
    assert binary.is_file() and os.access(binary, os.X_OK), "run make setup"
    import subprocess

    assert subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip() == "pagefind 1.6.0"
    assert binary.name == "pagefind_extended"


def test_the_preview_indexes_in_the_background(small_site, caplog):
    """make serve: the rebuilt site is served at once; the index follows, and a newer build supersedes an older one."""
    import logging

    site, records = small_site
    caplog.set_level(logging.INFO, logger="heritage-test")
    indexer = si.BackgroundIndexer(logging.getLogger("heritage-test"))
    superseded = indexer.start(site, records[:1], set())
    latest = indexer.start(site, records, set())
    superseded.join(60)
    latest.join(60)
    entry = json.loads((site / si.BUNDLE_DIR / "pagefind-entry.json").read_text())
    assert [lang["page_count"] for lang in entry["languages"].values()] == [2]
    assert sum("搜索索引已更新" in r.getMessage() for r in caplog.records) == 1


# --- pages handed to Pagefind's service as they are rendered (mkdocs build) -----------------------------------------


def _bundle_snapshot(site: Path) -> dict:
    """What the site's search reads: every page's fragment (by its content-hashed name), the page count and our
    helper files. (Index chunks are left out: their split can follow the order pages arrive in.)"""
    bundle = site / si.BUNDLE_DIR
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    return {
        "fragments": {p.name: gzip.decompress(p.read_bytes()) for p in bundle.glob("fragment/*")},
        "filters": sorted(p.name for p in bundle.glob("filter/*")),
        "pages": [lang["page_count"] for lang in entry["languages"].values()],
        "files": sorted(p.name for p in bundle.iterdir()),
        "helpers": {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / si.EXTRA_DIR).rglob("*") if p.is_file()},
    }


def test_pages_handed_over_while_rendering_make_the_same_index(small_site):
    site, records = small_site
    chars = si.han_characters("袁庚故居土洋往事東江縱隊")
    si.index_site(site, records, chars, glob=si.entry_glob(["sites", "oral-history"]))
    from_the_command_line = _bundle_snapshot(site)
    streaming = si.StreamingIndex()
    for record in reversed(records):  # in any order
        streaming.add(record.url, (site / record.url / "index.html").read_text(encoding="utf-8"))
    report = streaming.finish(site, records, chars)
    assert report.pages == 2 and streaming.pages_sent == 2
    assert _bundle_snapshot(site) == from_the_command_line
    assert not any(p.name.startswith(".") for p in site.iterdir())


def _fake_service(folder: Path, answer_to_pages: str) -> Path:
    """A stand-in for ``pagefind_extended --service`` speaking its protocol (base64 JSON, comma-terminated): it
    creates an index, then answers every page with ``answer_to_pages`` (Python source of a payload dict)."""
    script = folder / "pagefind_extended"
    script.write_text(
        f"""#!{sys.executable}
import base64, json, sys
buffer = b""
while chunk := sys.stdin.buffer.read1(65536):
    buffer += chunk
    *messages, buffer = buffer.split(b",")
    for raw in messages:
        request = json.loads(base64.b64decode(raw))
        kind = request["payload"]["type"]
        payload = {{"type": "NewIndex", "index_id": 0}} if kind == "NewIndex" else {answer_to_pages}
        sys.stdout.buffer.write(base64.b64encode(json.dumps({{"message_id": request["message_id"], "payload": payload}}).encode()) + b",")
        sys.stdout.buffer.flush()
""",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_a_page_the_service_refuses_stops_the_index_and_keeps_the_previous_one(small_site, tmp_path):
    site, records = small_site
    si.index_site(site, records, set())
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    streaming = si.StreamingIndex(binary=_fake_service(tmp_path, '{"type": "Error", "message": "page exploded"}'))
    for record in records:
        streaming.add(record.url, "<html></html>")
    with pytest.raises(si.SearchIndexError, match="生成搜索索引失败.*页面 /sites/a/.*page exploded"):
        streaming.finish(site, records, set())
    assert {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_a_service_that_stops_says_what_it_printed(tmp_path):
    script = tmp_path / "pagefind_extended"
    script.write_text("#!/bin/sh\necho 'service exploded' >&2\nexit 4\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    with pytest.raises(si.SearchIndexError, match=r"(?s)生成搜索索引失败.*退出码 4.*service exploded"):
        si.StreamingIndex(binary=script)


def test_a_service_that_writes_nothing_is_a_failure(small_site, tmp_path):
    site, records = small_site
    streaming = si.StreamingIndex(binary=_fake_service(tmp_path, '{"type": "IndexedFile", "page_word_count": 1}'))
    streaming.add(records[0].url, "<html></html>")
    with pytest.raises(si.SearchIndexError, match="pagefind.js"):
        streaming.finish(site, records, set())
    assert not (site / si.BUNDLE_DIR).exists() and not any(p.name.startswith(".") for p in site.iterdir())


def _long_name(n: int) -> str:
    """A name of n Han characters with few repeated parts (a repeated one would shrink the block by deduplication)."""
    import random

    rng = random.Random(n)
    return "".join(chr(rng.randrange(0x4E00, 0x9FA6)) for _ in range(n))


@pytest.mark.parametrize("n", [100, 1_000, 10_000])
def test_the_names_block_is_linear_in_the_length_of_a_name(n):
    """Every whole suffix of a name is n²/2 characters (a 160,000-character name grew the build to 23 GB): the
    block holds at most c·n characters for the title, its parts, their pinyin and the filters, whatever n is."""
    name = _long_name(n)
    record = si.SearchRecord(url="people/x/", title=name, aliases=(name[::-1],), filters=(("栏目", "人物"),), terms=("东江纵队",))
    block = si.search_block(record)
    assert len(block) <= 80 * n, (n, len(block), len(block) / n)


def test_any_short_part_of_a_long_name_is_still_the_prefix_of_a_term():
    """Pagefind matches prefixes: a query for part of a name (its end, its middle, up to SUFFIX_LENGTH characters)
    still finds it, and the whole name is still one term (a query for its start, however long)."""
    name = _long_name(1_000)
    terms = si._with_suffixes([name])
    assert name in terms
    for part in (name[-2:], name[-10:], name[-si.SUFFIX_LENGTH :], name[500:510], name[:300]):
        assert any(term.startswith(part) for term in terms), part
    assert si.suffixes("东江纵队") == ["东江纵队", "江纵队", "纵队"]  # short names: every suffix, as before
