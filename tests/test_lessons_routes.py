"""Lessons and routes: collections through the registry, validated with located Chinese messages, pages that read as
a ready plan, downloads only of stops whose position a source gives."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest

from conftest import FIXTURE_CONTENT, ROOT, edit_entry
from heritage import build, check

TODAY = dt.date(2026, 11, 26)
LESSON = "lessons/theta-lesson.yml"
ROUTE = "routes/iota-route.yml"


@pytest.fixture(scope="module")
def result():
    return build(FIXTURE_CONTENT, today=TODAY, site_url="https://red.example.org/")


def errors(content):
    return [p for p in check(content, today=TODAY) if p.severity.value == "error"]


def test_the_fixture_lesson_and_route_are_valid():
    assert errors(FIXTURE_CONTENT) == []


def test_outline_minutes_must_add_up_to_the_duration(content):
    edit_entry(content, LESSON, "duration_minutes: 45", "duration_minutes: 40")
    [problem] = errors(content)
    assert (problem.path, problem.line, problem.field) == ("content/lessons/theta-lesson.yml", 10, "outline")
    assert "5 + 25 + 15 = 45 分钟" in problem.message and "duration_minutes（40 分钟）" in problem.message


def test_a_segment_played_must_be_listed_and_must_exist(content):
    edit_entry(content, LESSON, "    - beta-record#seg-1\nsummary", "    - beta-record#nope\nsummary")
    found = sorted(errors(content), key=lambda p: p.field)
    assert [p.field for p in found] == ["outline[1].segments[0]", "related.segments[0]"], found
    assert "没有列在 related.segments 中" in found[0].message and found[0].line == 18
    assert "nope" in found[1].message


def test_route_travel_and_duration_are_checked(content):
    edit_entry(content, ROUTE, "duration_minutes: 65", "duration_minutes: 60")
    [problem] = errors(content)
    assert (problem.field, problem.line) == ("duration_minutes", 18)
    assert "65 分钟" in problem.message
    edit_entry(content, ROUTE, "duration_minutes: 60", "duration_minutes: 65")
    edit_entry(content, ROUTE, "    travel:\n      mode: car\n      minutes: 20\n      note: 测试交通说明\n", "")
    [problem] = errors(content)  # a leg not given is 待核实: then no total can be stated
    assert problem.field == "duration_minutes" and "算不出来" in problem.message and "待核实" in problem.message


def test_a_route_from_a_source_may_leave_times_out_and_name_a_place_without_an_entry(content):
    """A published list gives stops and order only: no minutes, no travel, a stop named as the source writes it."""
    edit_entry(content, ROUTE, "    minutes: 30\n", "")
    edit_entry(content, ROUTE, "    travel:\n      mode: car\n      minutes: 20\n      note: 测试交通说明\n", "")
    edit_entry(content, ROUTE, "  - site: gamma-memorial\n    minutes: 15\n", "  - place: 丁地测试纪念公园\n")
    edit_entry(content, ROUTE, "duration_minutes: 65\n", "")
    assert errors(content) == []
    built = build(content, today=TODAY)
    route = next(e for e in built.catalog.collection("routes") if e.id == "iota-route")
    assert route.model.total_minutes() is None
    from heritage.collections.routes import card_meta, stops_of

    stops = stops_of(built.catalog, route.model)
    assert [(s["name"], s["no_entry"], s["arrive"]) for s in stops] == [
        ("甲村东江纵队司令部测试旧址", False, 0),
        ("丁地测试纪念公园", True, None),
    ]
    assert "用时待核实" in card_meta(route)
    geo = json.loads(built.files["routes/iota-route/route.geojson"])  # the place without an entry is never a point
    assert [f["properties"]["name"] for f in geo["features"]] == ["甲村东江纵队司令部测试旧址"]
    assert "丁地测试纪念公园" not in built.files["routes/iota-route/route.gpx"]


def test_a_stop_names_a_site_or_a_place(content):
    edit_entry(content, ROUTE, "  - site: gamma-memorial\n", "  - teach: 无名站\n")
    edit_entry(content, ROUTE, "    teach: 第二站讲解安排\n", "")
    [problem] = errors(content)
    assert problem.field == "stops[1]" and "place" in problem.message and problem.line
    assert problem.path == "content/routes/iota-route.yml"


def test_a_route_stop_names_an_existing_site(content):
    edit_entry(content, ROUTE, "  - site: gamma-memorial", "  - site: no-such-site")
    [problem] = errors(content)
    assert problem.field == "stops[1].site" and "no-such-site" in problem.message


def test_the_lesson_page_reads_as_a_plan_with_timecodes_and_sources(result):
    page = result.pages["lessons/theta-lesson.md"]
    assert '<div class="admonition danger" data-demo="true" markdown>' in page and "这是一份**演示教案**" in page
    assert "| 5–30 分钟 | 讲授（25 分钟） |" in page and "合计 45 分钟。" in page
    assert "(../oral-history/beta-record.md#seg-1) 00:00:00–00:10:00" in page
    assert "[曾测试](../people/zeta-person.md)" in page and "[乙测试事件](../events/eta-event.md)" in page
    assert "《测试教案用书》[^lesson-book]：阅读第一章" in page
    assert "[^lesson-book]: [《测试教案用书》](../sources/lesson-book.md)" in page  # the reading's source, in the page's sources


def test_a_withheld_segment_is_never_named_in_a_lesson(content):
    edit_entry(content, LESSON, "    - beta-record#seg-1\nsummary", "    - beta-record#seg-1\n    - beta-record#second\nsummary")
    page = build(content, today=TODAY).pages["lessons/theta-lesson.md"]
    assert "第二段测试标题" not in page and "second" not in page and "（此片段不公开）" in page


def test_the_lesson_shows_on_the_pages_it_uses(result):
    assert "## 相关教案" in result.pages["sites/alpha-hq.md"] and "(../lessons/theta-lesson.md)" in result.pages["sites/alpha-hq.md"]


def test_the_route_page_lists_every_stop_and_never_guesses_a_position(result):
    page = result.pages["routes/iota-route.md"]
    assert "### 第 1 站：甲村东江纵队司令部测试旧址" in page and "### 第 2 站：丙港纪念亭测试条目" in page
    assert "22\\.500000, 114\\.500000" in page
    assert "位置待核实（尚无可靠来源给出坐标" in page
    assert "约 65 分钟" in page and "预计 20 分钟（编者估计）" in page


def test_gpx_and_geojson_hold_only_the_located_stops(result):
    geo = json.loads(result.files["routes/iota-route/route.geojson"])
    assert [f["properties"]["name"] for f in geo["features"]] == ["甲村东江纵队司令部测试旧址"]
    assert geo["features"][0]["geometry"]["coordinates"] == [114.5, 22.5]  # RFC 7946: longitude first
    root = ET.fromstring(result.files["routes/iota-route/route.gpx"])
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    points = root.findall("g:rte/g:rtept", ns)
    assert [(p.get("lat"), p.get("lon")) for p in points] == [("22.500000", "114.500000")]


def test_a_route_without_any_located_stop_offers_no_download(content):
    edit_entry(content, "sites/alpha-hq.yml", "location:\n  lat: 22.5\n  lng: 114.5\n  datum: WGS84\n  source: fixture-book\n", "")
    built = build(content, today=TODAY)
    assert not [uri for uri in built.files if uri.startswith("routes/")]
    page = built.pages["routes/iota-route.md"]
    assert "暂不提供 GPX 和 GeoJSON 下载" in page and "route.gpx" not in page
    assert page.count("位置待核实（尚无可靠来源给出坐标") == 2


def test_the_teaching_page_gathers_points_and_questions_by_period(result):
    page = result.pages["teaching.md"]
    assert "## 抗日战争时期（1937—1945年）" in page
    assert "#### [甲村东江纵队司令部测试旧址](sites/alpha-hq.md#现场教学要点)" in page
    assert "1. 第一条教学要点" in page and "- 第一个讨论题" in page


def test_downloads_of_a_route_and_a_record_keep_markup_characters_as_escapes(content):
    """route.geojson and a record's index.json are served from our origin: < > & stay JSON escapes in their text,
    so neither file reads as markup if a browser is made to render it; parsed, the values are as written."""
    edit_entry(content, "routes/iota-route.yml", "title: ", "title: 甲 < 乙 > 丙 & 丁 ")
    edit_entry(content, "oral-history/beta-record.yml", "title: ", "title: 甲 < 乙 > 丙 & 丁 ")
    built = build(content, today=TODAY)
    for uri in ("routes/iota-route/route.geojson", "oral-history/beta-record/index.json"):
        text = built.files[uri]
        assert not set("<>&") & set(text), uri
        assert json.dumps(json.loads(text), ensure_ascii=False).count("甲 < 乙 > 丙 & 丁") == 1, uri


def test_demonstration_lessons_and_routes_stay_out_when_demonstrations_are_left_out():
    """A lesson or route with demo: true is a demonstration like a fictional record: a release leaves it out
    (its page, its downloads, every listing), and a build with demonstrations shows it."""
    with_demo = build(FIXTURE_CONTENT, today=TODAY)
    assert "lessons/theta-lesson.md" in with_demo.pages and "routes/iota-route.md" in with_demo.pages
    without = build(FIXTURE_CONTENT, today=TODAY, include_demo=False)
    assert "lessons/theta-lesson.md" not in without.pages and "routes/iota-route.md" not in without.pages
    assert not [uri for uri in without.files if uri.startswith(("routes/", "lessons/"))]
    assert not [uri for uri, text in without.pages.items() if "丁测试教案" in text or "戊测试路线" in text]


def test_a_route_whose_source_gives_no_times_reads_as_such():
    """The provincial trail gives stops and order only: its page says 待核实 for every time and names the stops
    that have no entry here, without an empty "约  分钟" or a stray None."""
    page = build(ROOT / "content").pages["routes/tuyang-east-river-column-trail.md"]
    assert "待核实（来源未给出各站停留和路上用时，不计算总时长）" in page
    assert page.count("本站尚无条目") >= 3 and "None" not in page and "约  分钟" not in page
    assert "停留时间待核实\n- 讲什么" in page  # each fact on its own line
    assert "\\[^" not in page  # no footnote marker escaped into text (a summary's footnote is refused at check)
