"""Plain text stays inline text: a summary (or any value) never opens a block, wherever a template puts it.

A summary of ``foo\\n===`` made a second <h1> on the entry page: the setext underline, the ``~~~`` fence and the
``???`` details block are the block markers no backslash escapes. Summaries are rendered with ``|inline`` (one line)
and ``escape_text`` writes those markers as character references at the start of every line.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from collections import Counter

import markdown
import pytest

from conftest import FIXTURE_CONTENT
from heritage import build
from heritage.text.markdown_check import SITE_MARKDOWN_CONFIG, SITE_MARKDOWN_EXTENSIONS
from heritage.text.markdown_text import escape_inline, escape_text

TODAY = dt.date(2026, 11, 26)
ENTRY_PAGES = [
    "sites/alpha-hq.md",
    "sites/gamma-memorial.md",
    "oral-history/beta-record.md",
    "people/zeta-person.md",
    "events/eta-event.md",
    "lessons/theta-lesson.md",
    "routes/iota-route.md",
]
# Every block construct the site's Markdown knows, each at the start of a line of the summary (footnotes aside: a
# footnote marker outside the body is refused at check, corpus case footnote-outside-body).
BLOCK_SUMMARY = (
    "前一行会变成标题\\n==========\\n第二种标题\\n----------\\n# 一级标题\\n## 二级标题\\n> 引用\\n- 列表\\n* 列表\\n+ 列表\\n"
    "1. 编号\\n~~~\\n围栏代码\\n~~~\\n```\\n代码\\n```\\n??? note\\n    折叠\\n!!! note\\n    提示\\n| a | b |\\n| - | - |\\n"
    "[x]: https://a.example/\\n***\\n\\n\\n        缩进代码"
)


def _html(page: str) -> str:
    body = page.split("\n---\n", 1)[1]  # after the front matter
    return markdown.Markdown(extensions=list(SITE_MARKDOWN_EXTENSIONS), extension_configs=SITE_MARKDOWN_CONFIG).convert(body)


def _tags(html: str) -> Counter:
    return Counter(re.findall(r"<([a-z][a-z0-9]*)", html))


def _pages(tmp_path, summary: str) -> dict[str, str]:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for path in content.glob("*/*.yml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^summary: .*$", lambda _: f'summary: "{summary}"', text), encoding="utf-8")
    return build(content, today=TODAY).pages


@pytest.fixture(scope="module")
def plain_and_block(tmp_path_factory):
    plain = _pages(tmp_path_factory.mktemp("plain"), "一段普通的简介文字，没有任何标记。")
    block = _pages(tmp_path_factory.mktemp("block"), BLOCK_SUMMARY)
    return plain, block


@pytest.mark.parametrize("uri", ENTRY_PAGES)
def test_a_summary_full_of_block_syntax_adds_no_element_to_the_page(plain_and_block, uri):
    plain, block = plain_and_block
    page = _html(block[uri])
    assert _tags(page) == _tags(_html(plain[uri])), page
    assert "前一行会变成标题 ========== 第二种标题" in html.unescape(page)  # shown, on one line, as written


@pytest.mark.parametrize(
    "text, starts",
    [
        ("标题\n===", "&#61;=="),  # setext heading underline
        ("x\n~~~\ncode\n~~~", "&#126;~~"),  # tilde fence
        ("x\n??? note", "&#63;?? note"),  # pymdownx.details
        ("=== 开头", "&#61;== 开头"),  # at the start of the value too: a template may put it at a line start
    ],
)
def test_block_markers_no_backslash_escapes_are_written_as_references(text, starts):
    assert starts in escape_text(text)
    assert starts in escape_inline(text)


def test_the_same_characters_inside_a_line_are_left_alone():
    assert escape_text("a = b ~ c ? d") == "a = b ~ c ? d"


@pytest.mark.parametrize("text", ["标题\n===", "~~~\ncode\n~~~", "??? note\n    x", "x\n  ===", "# 井号\n- 列表\n> 引用\n1. 编号"])
def test_escaped_text_renders_as_one_paragraph(text):
    page = _html("---\n---\n" + str(escape_text(text)))
    assert _tags(page) == Counter({"p": 1}), page
