"""Open data: every published entry of every collection as JSON, CSV and GeoJSON, with what may not be published
left out whatever the build includes, fields derived from the models, and every value kept as data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Optional

import pytest
from pydantic import Field

from conftest import FIXTURE_CONTENT, edit_entry
from heritage import build
from heritage.collections.registry import REGISTRY
from heritage.core.catalog import Collection
from heritage.core.schema import EntryBase, Location, Text, _config
from heritage.outputs.opendata import DATA_DIR, FORMULA_STARTS, columns, csv_cell
from test_map import mkdocs_extra

TODAY = dt.date(2026, 11, 26)
# Every collection of the registry (people, events … as they are added), the places and the package description.
DATA_FILES = {
    *(f"data/{c.name}.{ext}" for c in REGISTRY for ext in ("json", "csv")),
    "data/heritage.geojson",
    "data/datapackage.json",
}


def data_files(result) -> dict[str, str]:
    return {uri: text for uri, text in result.files.items() if uri.startswith(f"{DATA_DIR}/")}


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


@pytest.fixture(scope="module")
def production():
    return build(FIXTURE_CONTENT, today=TODAY, extra=mkdocs_extra())


def test_every_file_is_made(production):
    assert set(data_files(production)) >= DATA_FILES


def test_every_published_entry_is_exported_with_its_fields(production):
    sites = json.loads(production.files["data/sites.json"])
    assert [s["id"] for s in sites] == ["alpha-hq", "gamma-memorial"]
    alpha = sites[0]
    # references to entries that are not exported (the demonstration record) are left out, as on pages
    assert alpha["related"] == {"oral_history": [], "sites": ["gamma-memorial"]}
    assert alpha["url"].endswith("/sites/alpha-hq/") and alpha["name"] == "甲村东江纵队司令部测试旧址"
    assert alpha["location"] == {"lat": 22.5, "lng": 114.5, "datum": "WGS84", "source": "fixture-book"}
    # an entry's sources are ids of data/sources.json (each source is published once, however many entries cite it)
    assert alpha["sources"] == ["fixture-book", "fixture-web"] and alpha["disputes"][0]["topic"] == "面积"
    assert sites[1]["location"] is None  # unknown, never guessed


def test_drafts_review_and_demo_records_are_never_exported_even_in_preview():
    """`make serve` includes drafts and entries under review (and the demo record): the data files still hold
    published, non-demonstration entries only."""
    preview = build(FIXTURE_CONTENT, today=TODAY, include_unpublished=True, include_demo=True)
    assert {"sites/delta-draft.md", "sites/epsilon-review.md", "oral-history/beta-record.md"} <= set(preview.pages)
    files = data_files(preview)
    for uri, text in files.items():
        for token in ("ZQXJDRAFT", "ZQXJREVIEW", "delta-draft", "epsilon-review", "beta-record", "乙测试口述记录"):
            assert token not in text, (token, uri)
    assert json.loads(files["data/oral-history.json"]) == []  # the only record is a demonstration record
    assert [s["id"] for s in json.loads(files["data/sites.json"])] == ["alpha-hq", "gamma-memorial"]
    assert len(read_csv(files["data/sites.csv"])) == 2 and read_csv(files["data/oral-history.csv"]) == []


def _real_record(content):
    """The fixture record made a real (non-demonstration) one."""
    edit_entry(content, "oral-history/beta-record.yml", "demo: true\n", "")


def test_a_published_record_keeps_withheld_segments_and_protected_names_out(content):
    _real_record(content)
    edit_entry(
        content, "oral-history/beta-record.yml", "  name: 测试受访者（虚构）\n  display: full", "  name: 真名ZQXJNAME\n  display: anonymous"
    )
    edit_entry(content, "oral-history/beta-record.yml", "    - transcript\n    - audio\n", "    - transcript\n")
    files = data_files(build(content, today=TODAY))
    for uri, text in files.items():
        for token in ("ZQXJNAME", "真名", "ZQXJREDACTED", "第二段测试标题", "second", "beta.wav"):
            assert token not in text, (token, uri)
    [record] = json.loads(files["data/oral-history.json"])
    assert record["narrator"]["name"] == "匿名受访者" and record["narrator"]["initials"] is None
    assert [s["id"] for s in record["segments"]] == ["seg-1"]
    assert record["media"] is None  # consent no longer covers the recording
    [row] = read_csv(files["data/oral-history.csv"])
    assert row["narrator.name"] == "匿名受访者" and json.loads(row["segments"])[0]["title"] == "第一段测试标题"


def test_recordings_consent_covers_are_listed(content):
    _real_record(content)
    [record] = json.loads(data_files(build(content, today=TODAY))["data/oral-history.json"])
    assert record["media"]["audio"] == "beta.wav" and record["narrator"]["name"] == "测试受访者（虚构）"


def test_an_embargoed_record_is_never_exported(content):
    _real_record(content)
    edit_entry(content, "oral-history/beta-record.yml", "  date: 2021-06-12\n", "  date: 2021-06-12\n  embargo_until: 2099-01-01\n")
    edit_entry(content, "sites/alpha-hq.yml", "  oral_history:\n    - beta-record\n", "  oral_history: []\n")
    for preview in (False, True):
        files = data_files(build(content, today=TODAY, include_unpublished=preview))
        assert json.loads(files["data/oral-history.json"]) == []
        assert all("乙测试口述记录" not in text for text in files.values())


# --- CSV ----------------------------------------------------------------------------------------------------------------


def test_csv_is_excel_friendly_rfc_4180(production):
    text = production.files["data/sites.csv"]
    assert text.startswith("\ufeff") and text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    rows = read_csv(text)
    assert list(rows[0]) == [c.name for c in columns(REGISTRY["sites"].model)]
    # every record ends with CRLF; a line break inside a field (the body) is inside quotes
    assert text.endswith("\r\n") and text.count("\r\n") == 3
    alpha = rows[0]
    assert alpha["body"].startswith("这是正文") and "\n\n第二段落" in alpha["body"]
    assert alpha["location.lat"] == "22.5" and alpha["address.text"] == "测试市甲区甲街道1号"
    assert json.loads(alpha["tags"]) == ["测试标签"] and json.loads(alpha["sources"]) == ["fixture-book", "fixture-web"]
    assert rows[1]["location.lat"] == ""


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_cells_a_spreadsheet_would_run_as_formulas_are_made_text(start):
    assert csv_cell(f'{start}HYPERLINK("https://evil.example/","x")') == f'\'{start}HYPERLINK("https://evil.example/","x")'
    assert csv_cell(f"正文{start}1") == f"正文{start}1"  # only a leading one matters


def test_numbers_and_lists_are_not_prefixed():
    assert csv_cell(-3.5) == "-3.5" and csv_cell(True) == "true" and csv_cell(None) == ""
    assert csv_cell(["=1+1"]) == '["=1+1"]'  # a JSON array starts with [


def test_formula_injection_in_entry_text_is_neutralised(content):
    edit_entry(content, "sites/gamma-memorial.yml", "name: 丙港纪念亭测试条目", "name: \"=cmd|' /C calc'!A0\"")
    edit_entry(content, "sites/gamma-memorial.yml", "summary: 测试用的最小已发布遗址条目。", "summary: '@SUM(1+1)*cmd|测试用的摘要'")
    files = data_files(build(content, today=TODAY))
    gamma = read_csv(files["data/sites.csv"])[1]
    assert gamma["name"] == "'=cmd|' /C calc'!A0" and gamma["summary"] == "'@SUM(1+1)*cmd|测试用的摘要"
    sites = json.loads(files["data/sites.json"])
    assert sites[1]["name"] == "=cmd|' /C calc'!A0"  # JSON keeps the exact text


# --- JSON and GeoJSON ------------------------------------------------------------------------------------------------


def test_json_escapes_markup_characters(production):
    for uri in ("data/sites.json", "data/heritage.geojson", "data/datapackage.json"):
        assert not re.search(r"[<>&]", production.files[uri]), uri


def test_geojson_is_rfc_7946(production):
    data = json.loads(production.files["data/heritage.geojson"])
    assert data["type"] == "FeatureCollection" and "crs" not in data
    alpha, gamma = data["features"]
    assert alpha["type"] == "Feature" and alpha["geometry"] == {"type": "Point", "coordinates": [114.5, 22.5]}  # lon, lat
    assert alpha["properties"]["title"] == "甲村东江纵队司令部测试旧址" and alpha["properties"]["location_source"] == "测试用书"
    assert alpha["properties"]["path"] == "sites/alpha-hq/"
    assert gamma["geometry"] is None  # an unlocated Feature (RFC 7946 §3.2), never a guessed point


def test_datapackage_describes_every_file_and_column(production):
    package = json.loads(production.files["data/datapackage.json"])
    assert package["profile"] == "data-package" and re.fullmatch(r"[a-z0-9._-]+", package["name"])
    paths = {f"{DATA_DIR}/{r['path']}" for r in package["resources"]}
    assert paths == DATA_FILES - {"data/datapackage.json"}
    for resource in package["resources"]:
        assert re.fullmatch(r"[a-z0-9._-]+", resource["name"])
        if resource["format"] == "csv":
            header = next(csv.reader(io.StringIO(production.files[f"data/{resource['path']}"][1:])))
            assert [f["name"] for f in resource["schema"]["fields"]] == header
            assert {f["type"] for f in resource["schema"]["fields"]} <= {"string", "number", "integer", "boolean", "date", "array"}
    assert "licenses" not in package and "尚未" in package["description"]  # nothing granted on the owners' behalf


def test_the_licence_is_the_one_the_maintainers_set():
    extra = {"open_data": {"license": "CC BY 4.0", "license_url": "https://creativecommons.org/licenses/by/4.0/"}}
    result = build(FIXTURE_CONTENT, today=TODAY, extra=extra)
    package = json.loads(result.files["data/datapackage.json"])
    assert package["licenses"] == [{"title": "CC BY 4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}]
    assert "[CC BY 4\\.0](https://creativecommons.org/licenses/by/4.0/)许可发布" in result.pages["data.md"]
    site_licence = build(FIXTURE_CONTENT, today=TODAY, extra={"site": {"license": "CC BY-SA 4.0"}}).pages["data.md"]
    assert "“CC BY\\-SA 4\\.0”许可发布（与本站内容的许可相同）" in site_licence
    unset = build(FIXTURE_CONTENT, today=TODAY).pages["data.md"]
    assert "**数据许可尚未设定。**" in unset and "许可发布" not in unset


# --- the data page ---------------------------------------------------------------------------------------------------------


def test_the_data_page_links_every_file_and_describes_every_column(production):
    page = production.pages["data.md"]
    for uri in DATA_FILES:
        assert f"]({uri})" in page, uri
    for collection in REGISTRY:
        for column in columns(collection.model):
            assert f"| `{column.name}` |" in page, column.name
    assert "| `location.lat` | 数字 | 纬度（WGS\\-84，十进制度） |" in page  # the schema's own description


# --- a new collection needs no change here ------------------------------------------------------------------------------


class Marker(EntryBase):
    model_config = _config("纪念碑")

    title: Text = Field(description="碑名")
    location: Optional[Location] = Field(None, description="坐标")
    inscription: Optional[Text] = Field(None, description="碑文")


MARKER = """status: published
title: 测试纪念碑
location:
  lat: 22.55
  lng: 114.52
  datum: WGS84
  source: s
inscription: 碑文ZQXJMARKER
summary: 一块用于测试新集合的纪念碑条目。
sources:
  - s
reviewed:
  by: 测试审核人
  date: 2026-11-26
updated: 2026-11-26
"""


def test_a_new_collection_appears_in_every_file_the_map_and_the_data_page(content, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "marker.md.j2").write_text('{{ {"title": e.title}|front_matter }}\n# {{ e.title|inline }}\n', encoding="utf-8")
    collection = Collection(name="markers", label="纪念碑", kind="marker", model=Marker, template="marker.md.j2", schema_file="m.json")
    registry = REGISTRY.with_collection(collection, templates_dir=templates)
    (content / "markers").mkdir()
    (content / "markers" / "first.yml").write_text(MARKER, encoding="utf-8")
    result = build(content, today=TODAY, registry=registry, extra=mkdocs_extra())
    [row] = json.loads(result.files["data/markers.json"])
    assert row["inscription"] == "碑文ZQXJMARKER" and row["url"].endswith("/markers/first/")
    assert list(read_csv(result.files["data/markers.csv"])[0]) == ["id", "url", "status", "title", "aliases", "location.lat",
        "location.lng", "location.datum", "location.source", "inscription", "summary", "body", "disputes", "tags", "sources",
        "reviewed.by", "reviewed.date", "updated"]  # fmt: skip
    features = {f["id"]: f for f in json.loads(result.files["data/heritage.geojson"])["features"]}
    assert features["markers/first"]["geometry"]["coordinates"] == [114.52, 22.55]
    assert "markers" in {r["name"] for r in json.loads(result.files["data/datapackage.json"])["resources"]}
    assert "](data/markers.csv)" in result.pages["data.md"] and "| `inscription` | 文字 | 碑文 |" in result.pages["data.md"]
    assert "[测试纪念碑](markers/first.md)" in result.pages["map.md"]


def test_a_reference_to_a_withheld_segment_is_left_out(content, tmp_path):
    """A reference to one segment (``record-id#segment-id``) is kept only while that segment is public: a withheld
    segment's own id is never published (oral_history.segment_anchor)."""
    import inspect

    from heritage.core.schema import ref

    if "part" not in inspect.signature(ref).parameters:
        pytest.skip("references to parts of entries are not in this schema yet")

    class Quote(EntryBase):
        model_config = _config("引文")

        title: Text = Field(description="标题")
        segments: list[ref("oral-history", part="segments")] = Field(default_factory=list, description="引用的片段")

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "quote.md.j2").write_text('{{ {"title": e.title}|front_matter }}\n# {{ e.title|inline }}\n', encoding="utf-8")
    registry = REGISTRY.with_collection(
        Collection(name="quotes", label="引文", kind="quote", model=Quote, template="quote.md.j2", schema_file="q.json"), templates
    )
    _real_record(content)
    (content / "quotes").mkdir()
    text = (
        MARKER.replace("title: 测试纪念碑", "title: 测试引文").split("location:")[0]
        + "segments:\n  - beta-record#seg-1\n  - beta-record#second\n"
    )
    (content / "quotes" / "first.yml").write_text(text + MARKER.split("inscription: 碑文ZQXJMARKER\n")[1], encoding="utf-8")
    [row] = json.loads(build(content, today=TODAY, registry=registry).files["data/quotes.json"])
    assert row["segments"] == ["beta-record#seg-1"]


def test_a_lesson_plays_no_hidden_segment_in_its_exported_outline(content):
    """A published, real lesson whose steps play a withheld segment, a segment of an embargoed record and one of a
    demonstration record: its page says "此片段不公开" or leaves them out, and so do lessons.json and .csv."""
    lesson = "lessons/theta-lesson.yml"
    edit_entry(content, lesson, "demo: true\n", "")
    played = "      - beta-record#seg-1\n      - beta-record#second\n      - embargoed-record#seg-1\n"
    edit_entry(content, lesson, "    segments:\n      - beta-record#seg-1\n", "    segments:\n" + played)
    edit_entry(content, lesson, "  segments:\n    - beta-record#seg-1\n", "  segments:\n" + played.replace("      ", "    "))
    embargoed = (content / "oral-history" / "beta-record.yml").read_text(encoding="utf-8")
    embargoed = embargoed.replace("demo: true\n", "").replace("  date: 2021-06-12\n", "  date: 2021-06-12\n  embargo_until: 2099-01-01\n")
    (content / "oral-history" / "embargoed-record.yml").write_text(embargoed, encoding="utf-8")
    files = data_files(build(content, today=TODAY))
    [row] = json.loads(files["data/lessons.json"])
    assert row["related"]["segments"] == [] and [step["segments"] for step in row["outline"]] == [[], [], []]
    for uri in ("data/lessons.json", "data/lessons.csv"):
        for token in ("second", "embargoed-record", "beta-record"):  # beta-record is a demonstration record
            assert token not in files[uri], (token, uri)


# --- hostile values stay data ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from hostile import make_hostile_content

    content = make_hostile_content(tmp_path_factory.mktemp("hostile-data"))
    edit_entry(content, "oral-history/beta-record.yml", '"demo": true', '"demo": false')  # so a record is exported too
    return build(content, today=TODAY, include_unpublished=True, extra=mkdocs_extra())


def test_hostile_text_reaches_the_files_as_data(hostile):
    from hostile import UNTAGGED, UNTAGGED_SHORT

    files = data_files(hostile)
    sites = json.loads(files["data/sites.json"])
    assert UNTAGGED in json.dumps(sites, ensure_ascii=False) and UNTAGGED_SHORT in json.dumps(sites, ensure_ascii=False)
    assert json.loads(files["data/oral-history.json"]), "the record is exported, hostile text and all"
    for uri, text in files.items():
        if uri.endswith((".json", ".geojson")):
            assert "<" not in text and ">" not in text, uri  # as \u003c: no JSON file can be read as markup
            json.loads(text)
    for uri in ("data/sites.csv", "data/oral-history.csv"):
        for row in read_csv(files[uri]):
            for name, cell in row.items():
                assert not cell.startswith(FORMULA_STARTS), (uri, name, cell[:30])
    rows = read_csv(files["data/sites.csv"])
    assert any(UNTAGGED in cell for row in rows for cell in row.values())  # kept exactly, as text
    features = json.loads(files["data/heritage.geojson"])["features"]
    assert any("alert" in f["properties"]["title"] for f in features)


def test_hostile_values_reach_the_map_and_data_pages_as_text(hostile):
    """tests/test_hostile_templates.py checks every page (these included) for live markup; make sure the hostile
    values really are on these two pages, so that check means something for them."""
    import markdown

    from heritage.text.markdown_check import SITE_MARKDOWN_CONFIG, SITE_MARKDOWN_EXTENSIONS
    from heritage.text.sanitize import html_violations
    from hostile import MARKERS
    from test_hostile_templates import _live

    assert "alert" in hostile.pages["map.md"] and "导航：[高德地图](https://uri.amap.com/marker?" in hostile.pages["map.md"]
    for uri in ("map.md", "data.md"):  # with the map drawn (tiles configured): the first wall alone leaves nothing live
        body = hostile.pages[uri].split("\n---\n", 1)[1]
        html = markdown.Markdown(extensions=list(SITE_MARKDOWN_EXTENSIONS), extension_configs=SITE_MARKDOWN_CONFIG).convert(body)
        assert html_violations(html) == [], uri
        assert not any(_live(html.lower(), marker) for marker in MARKERS), uri
