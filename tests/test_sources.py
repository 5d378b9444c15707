"""Sources as a collection (content/sources/, one file per source): entries cite them by id, footnotes link to their
pages, a source page lists its excerpts and who cites it, a shown entry never rests on a withheld source, and open
data publishes them as a table of their own."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import FIXTURE_CONTENT, edit_entry
from heritage import build, check
from heritage.core.problems import ContentError, Severity

TODAY = dt.date(2026, 11, 26)
SITE = "sites/alpha-hq.yml"
DRAFT_SOURCE = """status: draft
title: 草稿来源ZQXJSOURCE
kind: book
excerpts:
  - text: 草稿来源的测试摘录。
    at: 第1页
updated: 2026-11-26
"""


@pytest.fixture(scope="module")
def production():
    return build(FIXTURE_CONTENT, today=TODAY)


def errors(content):
    return [p for p in check(content, today=TODAY) if p.severity is Severity.ERROR]


# --- an entry's sources, resolved --------------------------------------------------------------------------------------


def test_an_entry_gets_its_cited_sources_in_its_own_order(production):
    [alpha] = [e for e in production.catalog.collection("sites") if e.id == "alpha-hq"]
    assert [s.id for s in alpha.sources] == ["fixture-book", "fixture-web"]
    book = alpha.source("fixture-book")
    assert book.title == "测试用书" and book.publisher == "测试出版社" and book.verified.by == "测试审核人"
    assert book.src_uri == "sources/fixture-book.md"
    assert alpha.source("fixture-weak") is None  # cited by other entries, not by this one


def test_a_footnote_links_to_the_source_page(production):
    page = production.pages["sites/alpha-hq.md"]
    assert "[^fixture-book]: 测试出版社：[《测试用书》](../sources/fixture-book.md)。（已与原始出版物核对）" in page
    assert "[^fixture-web]: 测试网站：[《测试网页》](../sources/fixture-web.md)。" in page
    # a source read on a copy says so; a verified one says it was compared with the original; the old remark is gone
    web = next(line for line in page.splitlines() if line.startswith("[^fixture-web]: "))
    assert web.endswith("（所读为转载页，未与原刊核对）")
    assert "尚未与原始出处核对" not in page
    # a page without footnotes (the record lists its sources) links them the same way
    assert "- [《测试来源》](../sources/s.md)。" in production.pages["oral-history/beta-record.md"]


# --- the source page ------------------------------------------------------------------------------------------------------


def test_a_source_page_lists_its_excerpts_with_their_form_and_place(production):
    page = production.pages["sources/fixture-book.md"]
    assert "# 《测试用书》" in page
    quotes = page[page.index("## 原文摘录") : page.index("## 资料卡记录")]
    records = page[page.index("## 资料卡记录") : page.index("## 引用本资料的条目")]
    # quoted words as a quotation, with where they stand; the fact sheet's record said to be one, not the words
    assert "> 甲村东江纵队司令部测试旧址，在测试市甲区甲街道1号" in quotes and "第一章第2页。" in quotes
    assert "不是资料原文" in records and "- 第五章第88页：1944年8月，乙测试事件发生于测试地点甲村" in records
    assert "1944年8月" not in quotes  # a record is never shown as a quotation
    assert "已由测试审核人于 2026\\-11\\-26 与原始出版物逐字核对。" in page


def test_a_source_page_lists_every_shown_entry_citing_it(production):
    page = production.pages["sources/fixture-book.md"]
    citing = page[page.index("## 引用本资料的条目") :]
    assert "- 事件：[乙测试事件](../events/eta-event.md)" in citing
    assert "- 人物：[曾测试](../people/zeta-person.md)" in citing
    assert "- 红色遗址：[甲村东江纵队司令部测试旧址](../sites/alpha-hq.md)" in citing
    weak = production.pages["sources/fixture-weak.md"]
    assert "甲村东江纵队司令部测试旧址" not in weak  # alpha-hq does not cite the forum post
    assert "来源较弱" in weak


def test_a_source_page_never_names_an_entry_the_build_leaves_out(content):
    edit_entry(content, "sites/delta-draft.yml", "\nupdated:", "\nsources:\n  - fixture-book\nupdated:")
    production = build(content, today=TODAY).pages["sources/fixture-book.md"]
    preview = build(content, today=TODAY, include_unpublished=True).pages["sources/fixture-book.md"]
    assert "delta-draft" not in production and "ZQXJDRAFT" not in production
    assert "(../sites/delta-draft.md)" in preview


def test_the_sources_listing_shows_published_sources_only(production):
    listing = production.pages["sources/index.md"]
    for source_id in ("fixture-book", "fixture-web", "fixture-weak"):
        assert f'href="{source_id}/"' in listing
    assert 'href="r/"' not in listing and "sources/r.md" not in production.pages  # under review, as its entry
    preview = build(FIXTURE_CONTENT, today=TODAY, include_unpublished=True)
    assert "sources/r.md" in preview.pages and "(../sites/epsilon-review.md)" in preview.pages["sources/r.md"]


# --- what an editor is told --------------------------------------------------------------------------------------------


def test_a_source_written_in_the_entry_is_pointed_to_content_sources(content):
    edit_entry(
        content,
        "sites/gamma-memorial.yml",
        "sources:\n  - g\n",
        "sources:\n  - id: g\n    title: 丙港测试来源\n",
    )
    found = [p for p in errors(content) if p.field == "sources[0]"]
    assert any("content/sources/<编号>.yml" in p.message and "`- pe109`" in p.message for p in found), found
    assert all(p.path == "content/sites/gamma-memorial.yml" for p in found)


def test_an_unknown_source_id_names_the_file_it_looked_for(content):
    edit_entry(content, "sites/gamma-memorial.yml", "sources:\n  - g\n", "sources:\n  - no-such-source\n")
    messages = [p.message for p in errors(content) if p.field == "sources[0]"]
    assert any("content/sources/no-such-source.yml" in m for m in messages), messages


def test_a_source_rule_is_reported_in_the_source_file(content):
    edit_entry(content, "sources/fixture-web.yml", "accessed: 2026-11-26\n", "")
    [error] = errors(content)
    assert error.path == "content/sources/fixture-web.yml" and "accessed" in error.message


def test_a_published_source_needs_an_excerpt(content):
    path = content / "sources" / "g.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("excerpts:")] + "updated: 2026-11-26\n", encoding="utf-8")
    [error] = errors(content)
    assert error.path == "content/sources/g.yml" and error.field == "excerpts"


# --- a shown entry never rests on a withheld source --------------------------------------------------------------------


def _cite_draft_source(content) -> None:
    (content / "sources" / "draft-book.yml").write_text(DRAFT_SOURCE, encoding="utf-8")
    edit_entry(content, "sites/gamma-memorial.yml", "sources:\n  - g\n", "sources:\n  - g\n  - draft-book\n")


def test_a_published_entry_citing_a_draft_source_fails_the_production_build(content):
    _cite_draft_source(content)
    with pytest.raises(ContentError) as raised:
        build(content, today=TODAY)
    [problem] = [p for p in raised.value.problems if p.severity is Severity.ERROR]
    assert problem.path == "content/sites/gamma-memorial.yml" and problem.field == "sources[1]"
    assert "draft-book" in problem.message and "content/sources/draft-book.yml" in problem.message
    # the preview says so too (and `check`, below): a published page never rests on an unpublished source
    with pytest.raises(ContentError):
        build(content, today=TODAY, include_unpublished=True)


def test_check_reports_a_published_entry_citing_a_draft_source(content):
    _cite_draft_source(content)
    assert any(p.field == "sources[1]" for p in errors(content))


# --- open data --------------------------------------------------------------------------------------------------------


def test_open_data_has_a_sources_table(production):
    rows = json.loads(production.files["data/sources.json"])
    assert [r["id"] for r in rows] == ["fixture-book", "fixture-weak", "fixture-web", "g", "lesson-book", "route-note", "s"]
    book = rows[0]
    assert book["title"] == "测试用书" and book["kind"] == "book" and book["verified"] == {"by": "测试审核人", "date": "2026-11-26"}
    assert [e["form"] for e in book["excerpts"]] == ["quote", "quote", "record", "quote"]
    assert book["excerpts"][0]["at"] == "第一章第2页"
    csv_text = production.files["data/sources.csv"]
    assert csv_text.startswith("\ufeff") and "fixture-weak" in csv_text and "待审来源" not in csv_text
    package = json.loads(production.files["data/datapackage.json"])
    assert {"sources.csv", "sources.json"} <= {r["path"] for r in package["resources"]}
    # an entry's sources are ids of that table
    [alpha] = [s for s in json.loads(production.files["data/sites.json"]) if s["id"] == "alpha-hq"]
    assert set(alpha["sources"]) <= {r["id"] for r in rows}


def test_a_source_record_keeps_its_page_address_and_where_it_was_read(production):
    web = next(r for r in json.loads(production.files["data/sources.json"]) if r["id"] == "fixture-web")
    assert web["page_url"].endswith("/sources/fixture-web/")  # the page's address, beside where the source was read
    assert web["url"] == "https://example.org/fixture"
    assert not {"body", "disputes", "sources", "reviewed"} & set(web)  # fields a source does not use
    package = json.loads(production.files["data/datapackage.json"])
    [resource] = [r for r in package["resources"] if r["path"] == "sources.csv"]
    names = [f["name"] for f in resource["schema"]["fields"]]
    assert len(names) == len(set(names)), names  # Table Schema: field names are unique
