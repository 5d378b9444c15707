"""Editorial rules: each one fires on the mistake it is for, stays quiet otherwise, and says how to fix it."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from PIL import Image

from conftest import edit_entry as edit
from heritage import check
from heritage.core.problems import Severity

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def content(content: Path) -> Path:
    (content.parent / "docs").mkdir()  # images are looked up in the docs/ beside content/
    return content


def findings(content: Path, severity: Severity | None = None):
    return [p for p in check(content, today=TODAY) if severity is None or p.severity is severity]


def test_fixture_content_is_clean(content):
    assert findings(content) == []


def test_half_width_punctuation_in_chinese_is_a_warning_with_the_fix(content):
    edit(content, "sites/gamma-memorial.yml", "最少字段的正文[^g]。", "第一行。\n  第二行,写错了:这里[^g]。")
    [warning] = findings(content)
    assert warning.severity is Severity.WARNING
    assert (warning.field, warning.line) == ("body", 9)  # line 7 is `body: |`; the mistake is on its 2nd line
    assert "共 2 处" in warning.message and "“,”→“，”" in warning.message and "“:”→“：”" in warning.message


def test_half_width_punctuation_ignores_markdown_links_urls_and_english(content):
    edit(content, "sites/gamma-memorial.yml", "最少字段的正文[^g]。", "见[说明](https://example.org/a,b)。English, fine: yes[^g]。")
    assert findings(content) == []


def test_terminology_in_titles(content):
    (content / "terminology.yml").write_text(
        "- avoid: 东纵\n  use: 东江纵队\n  fields: [name]\n  allow: [东纵军政干部学校旧址]\n  note: 用全称。\n", encoding="utf-8"
    )
    edit(content, "sites/gamma-memorial.yml", "name: 丙港纪念亭测试条目", "name: 东纵纪念亭")
    [warning] = findings(content)
    assert (warning.field, warning.severity) == ("name", Severity.WARNING)
    assert "“东纵”改为“东江纵队”" in warning.message and "用全称" in warning.message
    # The preferred form, an allowed official name and aliases are all fine.
    edit(content, "sites/gamma-memorial.yml", "name: 东纵纪念亭", "name: 东纵军政干部学校旧址")
    assert findings(content) == []


def test_terminology_file_mistakes_are_located(content):
    (content / "terminology.yml").write_text("- avoid: 东纵\n  prefer: 东江纵队\n", encoding="utf-8")
    problems = findings(content, Severity.ERROR)
    assert [p.path for p in problems] == ["content/terminology.yml", "content/terminology.yml"]
    assert {p.line for p in problems} == {1, 2}


def test_future_dates_are_warned(content):
    edit(content, "sites/gamma-memorial.yml", "updated: 2026-11-26", "updated: 2027-01-05")
    [warning] = findings(content)
    assert warning.field == "updated" and "2027-01-05" in warning.message


def test_embargo_dates_may_lie_in_the_future(content):
    edit(content, "oral-history/beta-record.yml", "  date: 2021-06-12\n", "  date: 2021-06-12\n  embargo_until: 2031-01-01\n")
    assert [p for p in findings(content) if "晚于今天" in p.message] == []


IMAGE = "images:\n  - src: {src}\n    alt: 纪念亭正面\n    credit: 测试\n    license: 测试许可\nupdated:"


def test_missing_image_file_is_an_error(content):
    edit(content, "sites/gamma-memorial.yml", "updated:", IMAGE.format(src="images/none.jpg"))
    [error] = findings(content)
    assert (error.severity, error.field) == (Severity.ERROR, "images[0].src")
    assert "docs/images/none.jpg" in error.message


def test_image_from_another_host_is_an_error(content):
    edit(content, "sites/gamma-memorial.yml", "updated:", IMAGE.format(src="https://cdn.example.org/a.jpg"))
    [error] = findings(content)
    assert error.severity is Severity.ERROR and "外部网址" in error.message


def test_oversized_image_is_a_warning(content):
    images = content.parent / "docs" / "images"
    images.mkdir()
    noise = random.Random(0).randbytes(600 * 600)  # noise does not compress: a real JPEG over the budget
    Image.frombytes("L", (600, 600), noise).save(images / "big.jpg", quality=95)
    Image.new("L", (10, 10)).save(images / "small.jpg")
    edit(content, "sites/gamma-memorial.yml", "updated:", IMAGE.format(src="images/big.jpg"))
    [warning] = findings(content)
    size = (images / "big.jpg").stat().st_size // 1024
    assert size > 300 and warning.severity is Severity.WARNING and f"图片 {size} KB，超过 300 KB" in warning.message
    edit(content, "sites/gamma-memorial.yml", "images/big.jpg", "images/small.jpg")
    assert findings(content) == []


def test_image_without_alt_text_is_an_error(content):
    edit(content, "sites/gamma-memorial.yml", "updated:", IMAGE.format(src="images/a.jpg").replace("    alt: 纪念亭正面\n", ""))
    errors = findings(content, Severity.ERROR)
    assert [(p.field, p.message) for p in errors if p.field == "images[0].alt"] == [("images[0].alt", "缺少必填字段 `alt`。")]


def test_markdown_link_parentheses_are_not_punctuation(content):
    edit(content, "sites/gamma-memorial.yml", "最少字段的正文[^g]。", "见[政府网站](https://www.dpxq.gov.cn/)和正文[^g]。")
    assert findings(content) == []


def test_location_outside_dapeng_is_warned(content):
    edit(content, "sites/alpha-hq.yml", "  lat: 22.5\n", "  lat: 2.6\n")
    [warning] = findings(content)
    assert warning.field == "location" and warning.severity is Severity.WARNING and "2.6, 114.5" in warning.message


def test_future_years_in_periods_are_warned(content):
    edit(content, "sites/alpha-hq.yml", "  from: 1943\n  to: 1945-05\n", "  from: 1943\n  to: 2030\n")
    # the claim check also says fixture-web's excerpt has 1945年5月, not 2030: that is its own warning
    [warning] = [p for p in findings(content) if "晚于今天" in p.message]
    assert warning.field == "period.to" and "2030" in warning.message


def test_terminology_mistakes_are_explained_in_chinese(content):
    (content / "terminology.yml").write_text("- avoid: 东纵\n  prefer: 东江纵队\n", encoding="utf-8")
    messages = [p.message for p in findings(content, Severity.ERROR)]
    assert "缺少必填字段 `use`。" in messages
    assert any("未知字段 `prefer`" in m for m in messages)
