"""People, events and the timeline: pages (golden), links both ways, segment references, located date errors."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import FIXTURE_CONTENT, ROOT, edit_entry
from heritage import build, check
from heritage.core.problems import Severity

GOLDENS = ROOT / "tests" / "goldens" / "render"
TODAY = dt.date(2026, 11, 26)
PERSON = "people/zeta-person.yml"
EVENT = "events/eta-event.yml"


@pytest.fixture(scope="module")
def pages():
    return build(FIXTURE_CONTENT, today=TODAY).pages


@pytest.mark.parametrize(
    "uri", ["timeline.md", "a-z.md", "people/zeta-person.md", "events/eta-event.md", "people/index.md", "events/index.md"]
)
def test_rendered_markdown(pages, uri, golden):
    """The timeline golden is the order of the tricky dates of the fixture event (year, season, half-year, month,
    day, approximate, doubtful, open and closed intervals, lunar, a fact that names its period)."""
    golden(pages[uri], GOLDENS / uri)


def test_timeline_groups_by_period_and_links_every_item(pages):
    timeline = pages["timeline.md"]
    assert timeline.index("## 清末民初") < timeline.index("## 抗日战争时期") < timeline.index("## 解放战争时期")
    assert "## 大革命时期" not in timeline  # periods without any dated fact are left out
    # a disputed date shows both values, the weak one flagged
    assert "**1944年8月**（确切日期未见）（另说：1944年秋，来源较弱）　[乙测试事件](events/eta-event.md)" in timeline
    # a fact that names its period is there, whatever its date says
    liberation = timeline[timeline.index("## 解放战争时期") :]
    assert "归入后一时期的测试事实" in liberation
    for line in timeline.splitlines():
        if line.startswith("- "):
            assert "](people/" in line or "](events/" in line or "](sites/" in line, line


def test_people_and_events_link_both_ways(pages):
    person, event = pages["people/zeta-person.md"], pages["events/eta-event.md"]
    assert "[乙测试事件](../events/eta-event.md)" in person
    assert "[曾测试](../people/zeta-person.md)" in event  # the event does not name the person: the link stage does
    assert "## 相关人物\n\n- [曾测试](../people/zeta-person.md)" in pages["sites/alpha-hq.md"]
    assert "## 相关事件\n\n- [乙测试事件](../events/eta-event.md)" in pages["sites/gamma-memorial.md"]


def test_segments_named_by_people_and_events_show_on_both_pages(pages):
    segment = "[乙测试口述记录 · 第一段测试标题](../oral-history/beta-record.md#seg-1)（00:00:00–00:10:00）（演示数据）"
    assert segment in pages["people/zeta-person.md"] and segment in pages["events/eta-event.md"]
    record = pages["oral-history/beta-record.md"]
    [line] = [line for line in record.splitlines() if line.startswith("本片段涉及：")]  # under seg-1 only
    assert "[乙测试事件](../events/eta-event.md)" in line and "[曾测试](../people/zeta-person.md)" in line
    assert "lessons/" not in line  # a lesson uses the segment; it is not what the segment is about
    [lessons] = [line for line in record.splitlines() if line.startswith("用到本片段的教案：")]
    assert lessons == "用到本片段的教案：[丁测试教案](../lessons/theta-lesson.md)"
    assert "## 相关人物" in record and "## 相关事件" in record


def errors(content):
    return [p for p in check(content, today=TODAY) if p.severity is Severity.ERROR]


def test_unknown_segment_is_an_error_with_its_line(content):
    edit_entry(content, PERSON, "    - beta-record#seg-1", "    - beta-record#no-such-part")
    [error] = errors(content)
    assert (error.path, error.line, error.field) == ("content/people/zeta-person.yml", 63, "related.segments[0]")
    assert "“beta-record” 中没有编号为 “no-such-part” 的片段。现有片段编号：seg-1、second。" in error.message


def test_segment_of_an_unknown_record_is_an_error(content):
    edit_entry(content, PERSON, "    - beta-record#seg-1", "    - no-record#seg-1")
    [error] = errors(content)
    assert error.field == "related.segments[0]" and "找不到口述史条目 “no-record”" in error.message


def test_segment_reference_must_name_a_segment(content):
    edit_entry(content, PERSON, "    - beta-record#seg-1", "    - beta-record")
    [error] = errors(content)
    assert error.field == "related.segments[0]"


def test_a_withheld_segment_is_never_linked(content):
    edit_entry(content, PERSON, "    - beta-record#seg-1", "    - beta-record#second")
    problems = check(content, today=TODAY)
    [notice] = [p for p in problems if p.path.endswith("zeta-person.yml")]
    assert notice.severity is Severity.NOTICE and "不公开的片段" in notice.message
    page = build(content, today=TODAY).pages["people/zeta-person.md"]
    assert "beta-record.md#second" not in page and "beta-record.md#withheld" not in page


@pytest.mark.parametrize(
    "old, new, field, hint",
    [
        ('  date: "农历1910-08-30"', '  date: "1910年秋"', "born.date", "1910-23"),
        ('    date: "1942/1945"', '    date: "1945/1942"', "roles[0].date", "起点晚于终点"),
        ('  - date: "1944-23"', '  - date: "约1944"', "chronology[0].date", "1944~"),
        ('    - date: "1910-10-23"', '    - date: "1910-02-30"', "born.also[0].date", "这一天不存在"),
    ],
)
def test_a_bad_date_is_located_and_explained_in_chinese(content, old, new, field, hint):
    edit_entry(content, PERSON, old, new)
    [error] = errors(content)
    assert error.path == "content/people/zeta-person.yml" and error.field == field and hint in error.message


def test_period_of_a_fact_is_a_controlled_value(content):
    edit_entry(content, EVENT, "    period: liberation-war", "    period: 解放战争")
    [error] = errors(content)
    assert error.field == "chronology[11].period" and "liberation-war" in error.message


def test_a_source_id_in_any_dated_part_must_be_declared(content):
    edit_entry(
        content,
        PERSON,
        "        source: fixture-weak\n        note: 另一资料的说法",
        "        source: undeclared\n        note: 另一资料的说法",
    )
    [error] = errors(content)
    assert error.field == "roles[0].also[0].source" and "引用了未声明的来源 “undeclared”" in error.message


def test_weak_sources_are_flagged_where_cited(pages):
    person = pages["people/zeta-person.md"]
    assert "Tsang Test[^fixture-weak]（来源较弱）" in person
    assert "副队长（来源较弱）[^fixture-weak]" in person
    # the footnote names the source (linked to its page) and marks it weak once, after where it was read
    [note] = [line for line in person.splitlines() if line.startswith("[^fixture-weak]: ")]
    assert note.startswith("[^fixture-weak]: [一篇测试用的论坛帖子](../sources/fixture-weak.md)。")
    assert note.endswith("（访问于 2026\\-11\\-26）。（来源较弱）") and note.count("来源较弱") == 1
    [book] = [line for line in person.splitlines() if line.startswith("[^fixture-book]: ")]
    assert "来源较弱" not in book


def test_a_source_without_its_title_is_described_not_quoted(pages):
    person = pages["people/zeta-person.md"]
    assert "《一篇测试用的论坛帖子》" not in person and "测试出版社：[《测试用书》](../sources/fixture-book.md)" in person


def test_a_source_needs_a_title_or_a_description(content):
    edit_entry(content, "sources/fixture-weak.yml", "description: 一篇测试用的论坛帖子\n", "")
    [error] = errors(content)
    assert error.path == "content/sources/fixture-weak.yml" and "description" in error.message


@pytest.mark.parametrize(
    "kind, values",
    [
        ("person", {"name": "测试新人物"}),
        ("event", {"title": "测试新事件", "date": '"1944-23"', "source": "fixture-weak"}),
    ],
)
def test_make_new_gives_a_template_that_passes_once_filled(content, kind, values):
    import re

    from heritage.outputs.scaffold import scaffold

    path = scaffold(kind, "brand-new-entry", content, today=TODAY)
    text = path.read_text(encoding="utf-8")
    assert "$schema=../../schemas/" in text and "【必填】" in text
    values = {**values, "summary": "一段十个字以上的测试用简介文字。"}
    text = re.sub(
        r"^( *)([a-z_]+):$",
        lambda m: f"{m.group(1)}{m.group(2)}: {values[m.group(2)]}" if m.group(2) in values else m.group(0),
        text,
        flags=re.M,
    )
    if kind == "event":
        text += "sources:\n  - fixture-weak\n"  # a source of the fixture whose excerpt has 1944年秋
    path.write_text(text, encoding="utf-8")
    assert [p.format() for p in check(content, today=TODAY)] == []


def test_field_dictionary_explains_the_new_collections(pages):
    fields = pages["fields.md"]
    for heading, rows in [
        ("## 人物", ["`names[].kind`", "`born.date`", "`roles[].also[].date`", "`related.segments`", "`chronology[].period`"]),
        ("## 事件", ["`when.date`", "`when.also[].source`", "`place.text`", "`related.people`"]),
    ]:
        section = fields[fields.index(heading) :]
        for row in rows:
            assert f"| {row} |" in section, (heading, row)
    assert "| 日期（EDTF：年、月、日、季节、约、存疑、区间或农历） |" in fields  # the kind column of every dated field
    assert "农历1919\\-08\\-30" in fields  # how to write an uncertain date, where editors look
    assert "`birth`（原名）" in fields and "`anti-japanese-war`（抗日战争时期）" in fields


# --- JSON-LD: dates and places of people and events ---------------------------------------------------------------


def _jsonld(page: str) -> dict:
    import json

    line = next(line for line in page.splitlines() if line.startswith("jsonld: "))
    return json.loads(line[len("jsonld: ") :])


def test_event_jsonld_has_its_sourced_date_and_place(pages):
    data = _jsonld(pages["events/eta-event.md"])
    assert data["@type"] == "Event"
    assert data["startDate"] == "1944-08" and "endDate" not in data  # "1944-08": month precision, as the source
    assert data["location"] == {"@type": "Place", "name": "测试地点甲村"}  # the name only: no coordinates
    assert "geo" not in json_text(data)


def test_person_jsonld_has_birth_and_death_dates_at_the_precision_allowed(pages):
    data = _jsonld(pages["people/zeta-person.md"])
    assert data["@type"] == "Person"
    assert data["birthDate"] == "1910"  # 农历1910-08-30: only the Gregorian year is certain, not the day
    assert data["deathDate"] == "1990-06"
    assert data["birthPlace"] == {"@type": "Place", "name": "测试县甲村"}
    assert data["deathPlace"] == {"@type": "Place", "name": "测试市"}


def json_text(data: dict) -> str:
    import json

    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    ("edtf", "start", "end"),
    [
        ("1944", "1944", None),
        ("1944-08", "1944-08", None),
        ("1943-12-02", "1943-12-02", None),
        ("1944-23", "1944", None),  # autumn 1944: the year only
        ("1944-40", "1944", None),  # first half of 1944
        ("1938~", None, None),  # approximate: the year itself is not stated
        ("1906?", None, None),
        ("1906%", None, None),
        ("1942/1945", "1942", "1945"),
        ("1943-12/1945-08-15", "1943-12", "1945-08-15"),
        ("1942~/1945", None, "1945"),
        ("1942/..", "1942", None),
        ("../1945", None, "1945"),
        ("农历1919-08-30", "1919", None),
        ("农历1919-12-30", "1920", None),  # the twelfth lunar month of 1919 is in 1920
        ("农历1919-11", None, None),  # November 1919 to February 1920: no single Gregorian year
        ("农历1919", None, None),
    ],
)
def test_edtf_to_schema_org_dates(edtf, start, end):
    from heritage.collections.chronicle import schema_org_span

    assert schema_org_span(edtf) == (start, end)


def test_a_life_date_span_is_no_birth_date():
    from heritage.collections.chronicle import schema_org_life_date

    assert schema_org_life_date("1905/1907") is None
    assert schema_org_life_date("1917-04") == "1917-04"
    assert schema_org_life_date(None) is None


def test_an_event_with_a_span_gets_start_and_end_and_none_without_a_place(content):
    edit_entry(content, EVENT, 'date: "1944-08"', 'date: "1943-12/1945-08-15"')
    text = (content / EVENT).read_text(encoding="utf-8")
    start = text.index("place:")
    end = text.index("chronology:")
    (content / EVENT).write_text(text[:start] + text[end:], encoding="utf-8")
    data = _jsonld(build(content, today=TODAY).pages["events/eta-event.md"])
    assert (data["startDate"], data["endDate"]) == ("1943-12", "1945-08-15")
    assert "location" not in data
