"""Demonstration material never reads as real, and the site says what it checks.

Demonstration entries (``demo: true``: fictional oral-history records, lessons, routes) are labelled wherever they
appear — home page counts, banners (with a marker basket.js reads, so a handout prints 请勿引用), chapter titles,
the record's JSON index, its consent row — and a release, which leaves them out, does not mention them. The home
and About pages promise only what the site does: weak sources are shown and marked, and the About page says what
the site checks and what it does not.

The content is written here (one source, one site, a demonstration record with a recording, a demonstration
lesson), so these tests depend on nothing else under tests/fixtures.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURE_CONTENT, ROOT, mkdocs_build, serving
from heritage import build

TODAY = dt.date(2026, 12, 8)
SITE_URL = "https://red.example.org/"
OLD_PROMISE = "没有可靠来源的坐标、日期和引语一律不写"

SOURCE = """\
status: published
title: 测试来源
kind: reference
excerpts:
  - text: 测试遗址位于大鹏街道。
    at: 第1段
updated: 2026-11-26
"""

SITE = """\
status: published
name: 测试遗址
kind: memorial
street: 大鹏街道
summary: 测试用的遗址条目，位于大鹏街道。
body: |
  测试遗址位于大鹏街道[^test-source]。
sources:
  - test-source
reviewed:
  by: 编辑（与项目资料卡核对）
  date: 2026-11-28
updated: 2026-11-28
"""

RECORD = """\
status: published
demo: true
title: 演示测试记录
narrator:
  name: 演示受访者（虚构）
  display: full
recorded: "2026-11-20"
place: 演示地点
language: 普通话
duration: "00:30:00"
media:
  audio: beta.wav
  checked: true
consent:
  release: demo
  scope:
    - transcript
    - audio
rights:
  license: 仅供演示
  holder: 测试项目
summary: 演示用的口述史记录，受访者是虚构人物。
segments:
  - id: one
    start: "00:00:00"
    end: "00:10:00"
    title: 第一段
    synopsis: 第一段提要。
    transcript: 第一段文字稿。
  - id: two
    start: "00:10:00"
    end: "00:20:00"
    title: 第二段
    synopsis: 第二段提要。
    transcript: 第二段文字稿。
related:
  sites:
    - test-site
sources:
  - test-source
reviewed:
  by: 编辑
  date: 2026-11-28
updated: 2026-11-28
"""

LESSON = """\
status: published
demo: true
title: 演示测试教案
duration_minutes: 30
outline:
  - title: 讲授
    minutes: 30
    activity: 讲授环节的安排
    segments:
      - demo-record#one
questions:
  - 一个讨论题
related:
  sites:
    - test-site
  segments:
    - demo-record#one
summary: 演示用的教案，只用来展示教案的格式。
sources:
  - test-source
reviewed:
  by: 编辑
  date: 2026-11-28
updated: 2026-11-28
"""


def write_content(root: Path) -> Path:
    for folder, name, text in [
        ("sources", "test-source", SOURCE),
        ("sites", "test-site", SITE),
        ("oral-history", "demo-record", RECORD),
        ("lessons", "demo-lesson", LESSON),
    ]:
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / f"{name}.yml").write_text(text, encoding="utf-8")
    (root / "media").mkdir(exist_ok=True)
    shutil.copy(FIXTURE_CONTENT / "media" / "beta.wav", root / "media" / "beta.wav")  # a short silent recording
    return root


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    return write_content(tmp_path_factory.mktemp("demo-content") / "content")


@pytest.fixture(scope="module")
def demo_build(content):
    return build(content, today=TODAY, site_url=SITE_URL, include_demo=True)


@pytest.fixture(scope="module")
def release_build(content):
    return build(content, today=TODAY, site_url=SITE_URL, include_demo=False)


def real_record(tmp_path: Path) -> Path:
    """The same content with the record made real (consent signed)."""
    root = write_content(tmp_path / "content")
    path = root / "oral-history" / "demo-record.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["demo"] = False
    data["consent"] = {"release": "signed", "date": "2026-11-20", "scope": ["transcript", "audio"]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def first_paragraph(home: str) -> str:
    return next(line for line in home.splitlines() if line.startswith("本站收录"))


# --- E1: the home page counts and the descriptions --------------------------------------------------------------


def test_a_release_home_page_counts_no_oral_history_and_mentions_no_demo(release_build):
    home = release_build.pages["index.md"]
    intro = first_paragraph(home)
    assert "红色遗址 1 处" in intro
    assert "口述史" not in intro and "教案" not in intro
    assert "演示" not in home
    assert "征集中" in home  # the oral-history listing still invites contributions


def test_a_demo_build_does_not_count_demo_entries_as_content(demo_build):
    home = demo_build.pages["index.md"]
    intro = first_paragraph(home)
    counted, _, rest = intro.partition("另有演示数据")
    assert "红色遗址 1 处" in counted and "口述史" not in counted and "教案" not in counted
    assert "口述史 1 条" in rest and "教案 1 条" in rest and "请勿引用" in rest
    listed = [line for line in home.splitlines() if line.startswith("- [口述史]") or line.startswith("- [教案]")]
    assert len(listed) == 2 and all("只有演示数据 1 条" in line for line in listed), listed


def test_descriptions_do_not_advertise_oral_histories(demo_build):
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    description = re.search(r"^site_description: (.*)$", config, re.M).group(1)
    tags = (ROOT / "docs" / "tags.md").read_text(encoding="utf-8")
    home_description = re.search(r'^description: "(.*)"$', demo_build.pages["index.md"], re.M).group(1)
    for text in (description, tags, home_description):
        assert "口述史" not in text, text
    about = (ROOT / "docs" / "about.md").read_text(encoding="utf-8")
    intro = about.split("## 编辑原则")[0]
    assert "纪念设施和口述史" not in intro and "还没有真实的口述记录" in intro


# --- B1 and issue 18: what the site promises and what it checks --------------------------------------------------


def test_home_and_about_say_what_the_site_does_with_weak_sources(demo_build, release_build):
    about = (ROOT / "docs" / "about.md").read_text(encoding="utf-8")
    for text in (demo_build.pages["index.md"], release_build.pages["index.md"], about):
        assert OLD_PROMISE not in text
        assert "来源较弱" in text and "位置待核实" in text or "坐标一律不填" in text


def test_the_about_page_says_what_is_checked_and_what_is_not():
    about = (ROOT / "docs" / "about.md").read_text(encoding="utf-8")
    statement = about.split("## 本站核对什么，不核对什么")[1].split("\n## ")[0]
    for words in (
        "带脚注的句子",
        "日期、数字",
        "引号内的文字",
        "摘录",
        "make check",
        "（本站推断）",
        "逐字一致",
        "已与原始出版物核对",
        "来源较弱",
        "所读为转载页，未与原刊核对",
    ):
        assert words in statement, words


def test_every_entry_page_says_what_is_checked_in_one_paragraph_linking_to_about(demo_build):
    page = demo_build.pages["sites/test-site.md"]
    section = page.split("## 资料来源")[1]
    [paragraph] = [p for p in section.split("\n\n") if "本站核对" in p]
    assert "\n" not in paragraph.strip() and "本站没有核对" in paragraph and "（本站推断）" in paragraph
    assert "(../about.md)" in paragraph


def test_the_review_line_prints_role_and_date(demo_build):
    page = demo_build.pages["sites/test-site.md"].replace("\\-", "-")  # Markdown escapes of the date's hyphens
    assert "审核：编辑（与项目资料卡核对），2026-11-28" in page
    assert "最后审核：2026-11-28（" not in page


# --- E2, E3: the demonstration lesson and its marker --------------------------------------------------------------


def test_a_demo_lesson_is_labelled_demonstration_with_the_marker_basket_reads(demo_build):
    page = demo_build.pages["lessons/demo-lesson.md"]
    assert "示范" not in page
    assert '<div class="admonition danger" data-demo="true" markdown>' in page
    assert '<p class="admonition-title">演示数据</p>' in page and "**演示教案**" in page
    basket = (ROOT / "docs" / "assets" / "javascripts" / "basket.js").read_text(encoding="utf-8")
    assert '[data-demo="true"]' in basket


def test_only_demo_pages_carry_the_marker(demo_build):
    marked = sorted(uri for uri, page in demo_build.pages.items() if 'data-demo="true"' in page)
    assert marked == ["lessons/demo-lesson.md", "oral-history/demo-record.md"]


def test_the_marker_survives_the_sanitizer_and_nothing_else_of_its_kind_does():
    from heritage.text.sanitize import html_violations, sanitize_page_html

    banner = '<div class="admonition danger" data-demo="true"><p class="admonition-title">演示数据</p></div>'
    assert html_violations(banner) == [] and 'data-demo="true"' in sanitize_page_html(banner)
    for hostile in ('<div data-demo="javascript:alert(1)">x</div>', '<p data-demo="true">x</p>'):
        assert html_violations(hostile) and "data-demo" not in sanitize_page_html(hostile)


# --- E4, E5, E7: the demonstration record's files and consent row ------------------------------------------------


def test_demo_chapter_titles_start_with_the_marker(demo_build):
    from heritage.collections.oral_history import DEMO_CHAPTER

    vtt = demo_build.files["oral-history/demo-record/chapters.vtt"]
    cues = vtt.split("\n\n")[1:]
    titles = [cue.splitlines()[2] for cue in cues if cue.strip()]
    assert titles == [DEMO_CHAPTER + "第一段", DEMO_CHAPTER + "第二段"]


def test_real_chapter_titles_have_no_marker(tmp_path):
    result = build(real_record(tmp_path), today=TODAY, site_url=SITE_URL)
    vtt = result.files["oral-history/demo-record/chapters.vtt"]
    assert "演示" not in vtt and "\n第一段\n" in vtt


def test_the_demo_index_json_labels_its_date_fictional(demo_build):
    data = json.loads(demo_build.files["oral-history/demo-record/index.json"])
    assert data["demo"] is True and "虚构" in data["notice"]
    assert data["recorded"].startswith("2026-11-20") and "虚构" in data["recorded"]


def test_a_real_index_json_has_a_plain_date_and_no_notice(tmp_path):
    result = build(real_record(tmp_path), today=TODAY, site_url=SITE_URL)
    data = json.loads(result.files["oral-history/demo-record/index.json"])
    assert data["recorded"] == "2026-11-20" and "notice" not in data and data["demo"] is False


def test_the_demo_consent_row_is_no_consent(demo_build, tmp_path):
    row = next(line for line in demo_build.pages["oral-history/demo-record.md"].splitlines() if line.startswith("| 授权 |"))
    assert "公开范围" not in row and "虚构" in row and "没有" in row
    real = build(real_record(tmp_path), today=TODAY, site_url=SITE_URL).pages["oral-history/demo-record.md"]
    row = next(line for line in real.splitlines() if line.startswith("| 授权 |"))
    assert "已签署授权书" in row and "公开范围：文字稿、录音" in row


def test_a_release_has_no_demo_files(release_build):
    assert not [uri for uri in release_build.files if uri.startswith("oral-history/demo-record/")]
    assert not any('data-demo="true"' in page for page in release_build.pages.values())


# --- E6: the field dictionary ------------------------------------------------------------------------------------


def test_the_field_dictionary_says_demo_records_are_fictional_and_left_out_of_releases(demo_build):
    page = demo_build.pages["fields.md"]
    rule = page.split("## 已发布条目的额外要求")[1]
    assert "consent.release: signed" in rule
    assert "演示数据" in rule and "虚构" in rule and "不包含" in rule


# --- E3 in a browser: a demonstration lesson gathered into the basket prints 请勿引用 ------------------------------


@pytest.fixture(scope="module")
def served(content, tmp_path_factory):
    site = tmp_path_factory.mktemp("demo-site") / "site"
    result = mkdocs_build(content, site, env={"SITE_URL": SITE_URL, "HERITAGE_DEMO": "1"})  # demonstrations shown
    assert result.returncode == 0, result.stdout + result.stderr
    with serving(site) as url:
        yield url


@pytest.mark.browser
@pytest.mark.site
def test_a_demo_lesson_prints_from_the_basket_with_do_not_cite(page, served, tmp_path):
    from test_handouts import print_pdf

    page.goto(served + "lessons/demo-lesson/")
    page.wait_for_function("document.documentElement.getAttribute('data-basket-ready') === '1'")
    assert page.locator('article [data-demo="true"]').count() == 1  # the built page keeps the marker
    page.click("article button.hb-add >> nth=0")  # the whole lesson
    page.goto(served + "basket/")
    page.wait_for_function("document.documentElement.getAttribute('data-basket-ready') === '1'")
    meta = page.eval_on_selector_all(".hb-item__meta", "els => els.map(e => e.textContent)")
    assert len(meta) == 1 and "演示数据，请勿引用" in meta[0], meta
    _, text = print_pdf(page, tmp_path / "demo-basket.pdf")
    assert "请勿引用" in text
