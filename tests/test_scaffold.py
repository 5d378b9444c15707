"""make new: a template that explains every field and passes `check` once the required fields are filled in."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from heritage import check
from heritage.collections.registry import REGISTRY
from heritage.outputs.scaffold import ScaffoldError, scaffold
from heritage.pages.fields import describe

TODAY = dt.date(2026, 11, 26)

# What an editor types into the required fields (top level and nested), by field name.
FILL = {
    "site": {
        "name": "测试新遗址",
        "kind": "memorial",
        "street": "南澳街道",
        "summary": "一段十个字以上的测试用简介文字。",
        "body": "测试正文。",
    },
    "oral-history": {
        "title": "测试口述",
        "name": "测试受访者",
        "recorded": "2021-06-12",
        "place": "测试地点",
        "language": "普通话",
        "duration": '"00:10:00"',
        "release": "pending",
        "license": "测试许可",
        "holder": "测试持有人",
        "summary": "一段十个字以上的测试用简介文字。",
        "id": "first-part",
        "start": '"00:00:00"',
        "end": '"00:05:00"',
        "synopsis": "提要",
    },
}


def fill(text: str, values: dict[str, str]) -> str:
    def replace(match):
        indent, key = match.group(1), match.group(2)
        return f"{indent}{key}: {values[key]}" if key in values else match.group(0)

    text = re.sub(r"^( *)([a-z_]+):$", replace, text, flags=re.M)
    text = re.sub(r"^(    )title:$", r"\1title: 片段标题", text, flags=re.M)  # the segment's title
    return re.sub(r"^(  scope:\n    )-$", r"\1- transcript", text, flags=re.M)


@pytest.mark.parametrize("kind", ["site", "oral-history"])
def test_filled_template_passes_check(content, kind):
    path = scaffold(kind, "brand-new-entry", content, today=TODAY)
    assert [p.severity.value for p in check(content, today=TODAY) if p.path.endswith("brand-new-entry.yml")]  # empty: fails
    path.write_text(fill(path.read_text(encoding="utf-8"), FILL[kind]), encoding="utf-8")
    assert [p.format() for p in check(content, today=TODAY)] == []


@pytest.mark.parametrize("collection", ["sites", "oral-history"])
def test_every_field_is_explained_in_chinese(content, collection):
    kind = "site" if collection == "sites" else "oral-history"
    text = scaffold(kind, "explained", content, today=TODAY).read_text(encoding="utf-8")
    for doc in describe(REGISTRY[collection].model):
        assert re.search(rf"^[ #]*{doc.key}:", text, flags=re.M), doc.path
    assert text.count("# 【必填】") == sum(1 for d in describe(REGISTRY[collection].model) if d.required)
    assert "status: draft" in text and "updated: 2026-11-26" in text


def test_refuses_an_existing_id_in_any_collection(content):
    with pytest.raises(ScaffoldError, match="已经存在"):
        scaffold("oral-history", "alpha-hq", content)


@pytest.mark.parametrize("bad", ["Alpha", "a_b", "-a", "a-", "中文", ""])
def test_refuses_an_invalid_slug(content, bad):
    with pytest.raises(ScaffoldError, match="不能作为条目编号"):
        scaffold("site", bad, content)


def test_refuses_an_unknown_kind(content):
    with pytest.raises(ScaffoldError, match="不认识的条目类型"):
        scaffold("artifact", "someone", content)


@pytest.mark.parametrize("reserved", ["index", "streets", "kinds"])
def test_refuses_a_reserved_id(content, reserved):
    with pytest.raises(ScaffoldError, match="保留名称"):
        scaffold("site", reserved, content)
