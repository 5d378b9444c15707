"""markdown_check: an entry body is rendered with the site's own Markdown settings and the HTML is allowlisted."""

from __future__ import annotations

import html
import re
import time

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from heritage.text.markdown_check import (
    SITE_MARKDOWN_CONFIG,
    SITE_MARKDOWN_EXTENSIONS,
    BodyIssue,
    check_body,
    render_body,
)
from heritage.text.sanitize import html_violations

# (name, body, text the issue's offset must point at). Each body must produce at least one issue.
HOSTILE = [
    ("script", "正文。\n<script>alert(1)</script>", "<script>"),
    ("script block", "<script>\nalert(1)\n</script>\n\n正文。", "<script>"),
    ("img onerror", '<img src=x onerror="alert(1)">', "<img"),
    ("html link", "见 <a href=javascript:alert(1)>这里</a>。", "<a href"),
    ("html inside admonition", "!!! note\n    <b onmouseover=alert(1)>x</b>", "<b onmouseover"),
    ("details as html", "<details open><summary>x</summary>y</details>", "<details"),
    ("md_in_html div", '<div markdown="1" onclick="alert(1)">\n**x**\n</div>', "<div markdown"),
    ("html comment", "正文<!-- <script>alert(1)</script> -->。", "<!--"),
    ("block comment", "<!--\n隐藏的内容\n-->\n\n正文。", "<!--"),
    ("processing instruction", "<?php echo 1; ?>\n\n正文。", "<?php"),
    ("cdata", "正文 <![CDATA[ <script>alert(1)</script> ]]>。", "<![CDATA["),
    ("escaped tag", "正文 \\<script>alert(1)\\</script>", "<script>"),
    ("mixed case scheme", "[x](JaVaScRiPt:alert(1))", "JaVaScRiPt:"),
    ("entity in scheme", "[x](java&#115;cript:alert(1))", "[x]"),
    ("angle bracket destination", "[x](<javascript:alert(1)>)", "javascript:"),
    ("leading space", "[x](   javascript:alert(1))", "javascript:"),
    ("tab inside scheme", "[x](java\tscript:alert(1))", "[x]"),
    ("data url", "[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ("vbscript url", "[x](vbscript:msgbox(1))", "vbscript:"),
    ("protocol relative", "[x](//evil.example/)", "//evil.example"),
    ("relative page", "[土洋](../sites/tuyang-hq.md)", "../sites"),
    ("in-page anchor", "[概况](#概况)", "#概况"),
    ("ftp", "[x](ftp://example.org/)", "ftp://"),
    ("reference at top level", "[点这里][ref]\n\n[ref]: javascript:alert(1)", "javascript:"),
    ("reference in quote", "[点这里][x]\n\n> [x]: javascript:alert(1)", "javascript:"),
    ("reference in list", "[点这里][y]\n\n- [y]: javascript:alert(1)", "javascript:"),
    ("reference in admonition", "!!! note\n    [点这里][z]\n\n    [z]: javascript:alert(1)", "javascript:"),
    ("reference in details", '??? note "展开"\n    [点这里][z]\n\n    [z]: javascript:alert(1)', "javascript:"),
    ("reference in footnote", "正文[^n]。\n\n[^n]: 见[这里][w]。\n\n    [w]: javascript:alert(1)", "javascript:"),
    ("autolink javascript", "正文 <javascript:alert(1)>", "<javascript:"),
    ("autolink with slashes", "正文 <javascript://%0aalert(1)>", "javascript://"),
    ("nested brackets", "[a [b] c](javascript:alert(1))", "javascript:"),
    ("escaped bracket", "[a\\]](javascript:alert(1))", "javascript:"),
    ("deeply nested brackets", "[[[[x]]]](javascript:alert(1))", "javascript:"),
    ("attribute list block", '一段文字。\n{: onclick="alert(1)" style="color:red" }', "{: onclick"),
    ("bare attribute word", "段落文字\n{onclick}", "{onclick}"),
    ("attribute list on link", "[x](https://example.org/){: onclick=alert(1) }", "{: onclick"),
    ("class attribute", "段落\n{ .md-button }", "{ .md-button"),
    ("id on heading", "## 标题 {#custom}", "{#custom}"),
    ("attribute on list item", "- 项目\n{: data-x=1 }", "{: data-x"),
    ("attribute on table cell", "| a |\n| - |\n| b {: onclick=x } |", "{: onclick"),
    ("fence attributes", '```{.python onclick="x" #id}\nx\n```', "{.python"),
    ("h1", "# 冒充页面标题\n\n正文。", "# 冒充"),
    ("setext h1", "冒充页面标题\n======\n\n正文。", "====="),
    ("image", "![旧照](https://tracker.example.com/p.png)", "![旧照]"),
    ("image by reference", "正文![图][img]\n\n[img]: https://evil.example/x.png", "![图]"),
    ("html image in quote", "> <img src=https://evil.example/x.png>", "<img"),
    ("unknown admonition type", '!!! md-button "x"\n    y', "!!! md-button"),
    ("toc marker", "[TOC]\n\n## 标题", "[TOC]"),
    ("heading with a theme id", "正文。\n\n## __search", "## __search"),
    ("html in admonition title", '!!! note "<img src=x onerror=alert(1)>"\n    x', "<img"),
    ("html in table cell", "| a |\n| - |\n| <i>x</i> |", "<i>"),
    ("html in list item", "- 项目 <span style=color:red>红</span>", "<span"),
    ("md_in_html span", '<p markdown="span">[y](javascript:1)</p>', "<p markdown"),
    ("figure as html", "<figure markdown>\n![x](https://evil.example/x.png)\n</figure>", "<figure"),
    # Tag-like text in every form a browser or a theme re-parsing the text would read as a tag (issue 16)
    ("escaped tag, slashes for spaces", '正文 \\<img/src="x"/onerror=alert(1)>', "<img/src"),
    ("entity-encoded tag", "正文 &lt;img/src=x onerror=alert(1)&gt;", "&lt;img"),
    ("numeric entity tag", "正文 &#60;details/open/ontoggle=alert(1)&#62;", "&#60;details"),
    ("escaped svg", '正文 \\<svg/onload="alert(1)">', "<svg"),
    ("escaped meta refresh", '正文 \\<meta/http-equiv="refresh"/content="0;url=https://evil.example/">', "<meta"),
    ("escaped audio", '正文 \\<audio/src="https://evil.example/track.mp3"/autoplay>', "<audio"),
    ("hex entity tag", "正文 &#x3C;svg/onload=alert(1)&#x3E;", "&#x3C;svg"),
    ("double-encoded tag", "正文 &amp;lt;img/src=x&amp;gt;", "&amp;lt;img"),
    ("entity without semicolon", "正文 &ltimg/src=x&gt", "&ltimg"),
    ("entity-encoded comment", "正文 &lt;!-- x --&gt;", "&lt;!"),
    ("escaped closing tag", "正文 \\</textarea>", "</textarea"),
    ("tag split by emphasis", "正文 *\\<*img src=x onerror=alert(1)>", "<*img"),
    ("tag in a heading's code", "## `<img src=x onerror=alert(1)>`\n\n正文。", "<img"),
    ("tag in a code block", "```\n<script>alert(1)</script>\n```", "<script"),
    ("tag in an indented code block", "正文。\n\n    <svg onload=alert(1)>", "<svg"),
    ("tag in a link title", '[x](https://a.example/ "<img/src=x onerror=alert(1)>")', "<img/src"),
    ("entity tag in a link title", '[x](https://a.example/ "&lt;img/src=x&gt;")', "&lt;img"),
    ("tag in an admonition title", '!!! note "&lt;svg/onload=alert(1)&gt;"\n    x', "&lt;svg"),
    ("tag in a table cell", "| a |\n| - |\n| &lt;iframe/src=x&gt; |", "&lt;iframe"),
    ("heading over 100 characters", "正文。\n\n## " + "长" * 101, "## 长"),
]

# Bodies editors write: none may produce an issue.
LEGITIMATE = [
    ("bold and emphasis", "1943 年，**东江纵队**在此*成立*，_见_ ***证***。"),
    ("lists", "- 第一\n- 第二\n    1. 子项\n    2. 子项\n\n1. 一\n2. 二"),
    ("quote", "> 引文一[^baike]\n>\n> > 嵌套引文"),
    ("table", "| 年份 | 事件 |\n| :--- | ---: |\n| 1943 | 成立[^a] |\n| 1945 | 北撤 |"),
    ("centred table", "| a | b |\n| :-: | --- |\n| 1 | 2 |"),
    ("footnote references", "正文引用了两个来源[^baike][^dpxq-gov]，未声明的也只是文字[^x]。"),
    ("footnote definition", "正文[^n]。\n\n[^n]: 说明，见 [网站](https://a.example/)。\n\n    第二段。"),
    (
        "links",
        '见[政府网站](https://www.dpxq.gov.cn/ "大鹏新区")、[旧站](http://example.org/a?b=1&c=2#x)、[邮件](mailto:office@example.org)。',
    ),
    ("autolinks", "<https://www.dpxq.gov.cn/> 和 <http://example.org/> 和 <mailto:a@example.org> 和 <a@example.org>"),
    ("reference links", "见[网站][gov]和[网站][]。\n\n[gov]: https://www.dpxq.gov.cn/\n[网站]: https://example.org/"),
    ("admonition", '!!! note "说明"\n    提示内容[^baike]。\n\n!!! warning\n    注意。\n\n!!! Tip ""\n    无标题。'),
    ("details", '??? note "展开"\n    详情。\n\n???+ quote "默认展开"\n    引文。\n\n??? "没有类型"\n    x'),
    ("inline admonition", '!!! info inline end "侧栏"\n    x'),
    ("headings", "## 历史\n\n### 三级\n\n#### 四级\n\n##### 五级\n\n###### 六级\n\n二级\n----"),
    ("rule and breaks", "第一行  \n第二行\n\n---\n\n***"),
    ("code", "`代码 a < b` 和\n\n```\n代码块 1 < 2\n```\n\n```python\nx = a <= b\n```\n\n    缩进代码 < >"),
    ("plain punctuation", "1 < 2 且 3 > 2，a < b，《红岩》，{年份}，[方括号]，(括号)，100%，#话题，&amp; &copy; &lt; 3。"),
    ("full-width angle brackets", "写作 ＜img＞ 或 〈书名〉 都只是文字。"),
    ("long heading", "## " + "标" * 100 + "\n\n正文。"),
    ("escaped markdown", "\\[不是链接\\](javascript:x) \\*不是强调\\*"),
]


@pytest.mark.parametrize("body, where", [pytest.param(b, w, id=n) for n, b, w in HOSTILE])
def test_hostile_body_is_reported_where_it_was_written(body, where):
    issues = check_body(body)
    assert issues, f"nothing reported; the site would render: {render_body(body)}"
    assert any(body.startswith(where, issue.offset) for issue in issues), [(i.offset, i.message) for i in issues]


@pytest.mark.parametrize("body", [pytest.param(b, id=n) for n, b in LEGITIMATE])
def test_legitimate_body_passes(body):
    assert check_body(body) == [], render_body(body)


@pytest.mark.parametrize("body", [pytest.param(b, id=n) for n, b in LEGITIMATE])
def test_checking_does_not_change_how_a_legitimate_body_renders(body):
    """The instrumentation only records: what passed the check is what the site shows."""
    plain = markdown.Markdown(extensions=list(SITE_MARKDOWN_EXTENSIONS), extension_configs=SITE_MARKDOWN_CONFIG)
    assert render_body(body) == plain.convert(body)


def test_the_messages_editors_already_know():
    """The messages of the regex-based check, word for word (the error goldens hold them too)."""
    body = '点[这里](javascript:x)。\n{: onclick="alert(1)" }\n\n![旧照](https://t.example/p.png)\n\n<b>粗</b>'
    assert [issue.message for issue in check_body(body)] == [
        "链接地址 “javascript:x” 无效：正文中的链接只能是 http:// 或 https:// 网址。要关联本站的其他条目，请写在 related 字段中。",
        '正文中不能使用属性标记 “{: onclick="alert(1)" }”。请删除它；需要强调时用 **加粗**。',
        "正文中不能插入图片。请把图片写在 images 字段中（保存在 docs/ 目录，并填写替代文字 alt）。",
        "正文中不能使用 HTML 标签 “<b>”。请改用 Markdown（加粗 **文字**，链接 [文字](网址)）。",
        "正文中不能使用 HTML 标签 “</b>”。请改用 Markdown（加粗 **文字**，链接 [文字](网址)）。",
    ]


def test_text_an_attribute_list_would_swallow_is_reported():
    """attr_list takes "{…}" at the end of a heading or on its own line as attributes: the text would vanish."""
    body = "## 1943 年 {注}\n\n正文。"
    assert check_body(body) == [BodyIssue(body.index("{注}"), "正文中不能使用属性标记 “{注}”。请删除它；需要强调时用 **加粗**。")]


def test_issues_are_sorted_and_repeated_mistakes_get_their_own_offsets():
    body = "[a](javascript:1)\n\n<b>x</b>\n\n[a](javascript:1)\n\n<b>y</b>"
    issues = check_body(body)
    assert [i.offset for i in issues] == sorted(i.offset for i in issues)
    assert [i.offset for i in issues if "javascript" in i.message] == [4, body.index("javascript", 5)]
    assert [i.offset for i in issues if "“<b>”" in i.message] == [body.index("<b>"), body.index("<b>y")]


def test_unsafe_body_case_lines():
    """tests/cases/errors/unsafe-body: the lines the regex-based check reported (the body starts on YAML line 8)."""
    path = ROOT / "tests/cases/errors/unsafe-body/content/sites/unsafe.yml"
    body = yaml.safe_load(path.read_text(encoding="utf-8"))["body"]
    assert [8 + body.count("\n", 0, issue.offset) for issue in check_body(body)] == [8, 10, 12, 14, 18]


# --- the same Markdown as the site ------------------------------------------------------------------------------


def test_extensions_and_settings_are_those_of_mkdocs_yml(monkeypatch):
    """Loaded with MkDocs' own loader (hooks left out: they import the whole pipeline, and only the Markdown
    settings matter here)."""
    from mkdocs.config import load_config

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), hooks=[])
    assert list(config.markdown_extensions) == list(SITE_MARKDOWN_EXTENSIONS)
    assert set(config.mdx_configs) == set(SITE_MARKDOWN_CONFIG)
    for name, options in SITE_MARKDOWN_CONFIG.items():
        assert set(config.mdx_configs[name]) == set(options), name
        for key, value in options.items():
            loaded = config.mdx_configs[name][key]
            if callable(value):  # slugify(case="lower") is a functools.partial: compare what it is made of
                assert (loaded.func, loaded.args, loaded.keywords) == (value.func, value.args, value.keywords)
            else:
                assert loaded == value, (name, key)


# --- robustness -------------------------------------------------------------------------------------------------

PATHOLOGICAL = {
    "unbalanced brackets": "[" * 20_000,
    "nested brackets": "[" * 5_000 + "x" + "]" * 5_000 + "(javascript:x)",
    "cdata flood": "<![CDATA[" * 4_000,
    "unclosed tags": "<a " * 20_000,
    "deep quotes": ">" * 3_000 + " x",
    "deep lists": "".join("    " * i + "- x\n" for i in range(400)),
    "deep html": "<div markdown>\n" * 600 + "x" + "\n</div>" * 600,
    "emphasis soup": "*_" * 20_000,
    "control characters": "".join(chr(c) for c in range(32)) * 100 + "\x02klzzwxh:0000\x03",
    "surrogates and specials": "\ud800\udfff\ufffe\uffff\u202e" * 100,
    "many paragraphs of brackets": ("[" * 200 + "\n\n") * 200,
}


@pytest.mark.parametrize("body", [pytest.param(b, id=n) for n, b in PATHOLOGICAL.items()])
def test_pathological_bodies_are_reported_quickly_without_raising(body):
    started = time.perf_counter()
    issues = check_body(body)
    # A guard against a hang (these inputs used to take minutes), not a speed target: bench/micro.py measures speed.
    assert time.perf_counter() - started < 60
    assert all(isinstance(issue, BodyIssue) and 0 <= issue.offset <= len(body) for issue in issues)
    assert check_body(f"**正常**的正文，长 {len(body)} 字。") == []  # the shared converter still works afterwards


def test_floods_that_would_stall_the_parser_are_reported_without_converting():
    [summary, *tags] = check_body("正文。\n\n" + "<![CDATA[" * 4_000)
    assert summary.offset == 5 and "4000 处" in summary.message
    assert len(tags) == 20 and all("<![CDATA[" in issue.message for issue in tags)
    [brackets] = check_body("正文。\n\n" + "[" * 20_000)
    assert brackets.offset == 5 and "方括号" in brackets.message
    # … but many autolinks are not tags, and many closed brackets cost nothing.
    assert check_body("<https://a.example/> <a@example.org> " * 150) == []
    assert check_body("[^a]" * 5_000) == []


# Pieces of Markdown syntax and of attacks, for hypothesis to combine.
_SYNTAX = list("[]()<>!{}:#.*_`~|\\\"'=&;/- \n\t>?^")
_PHRASES = [
    "    ",
    "\n\n",
    "javascript:",
    "http://",
    "[^a]",
    "!!! note",
    "??? tip",
    "{: ",
    "<div markdown>",
    "&#115;",
    "中文",
]
MARKDOWN_ALPHABET = st.sampled_from(_SYNTAX + _PHRASES)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MARKDOWN_ALPHABET, max_size=80).map("".join))
def test_markdown_soup_never_raises(body):
    for issue in check_body(body):
        assert 0 <= issue.offset <= len(body) and issue.message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text_never_raises(body):
    check_body(body)


@settings(max_examples=300, deadline=None)
@given(st.lists(MARKDOWN_ALPHABET, max_size=60).map("".join))
def test_what_passes_has_only_web_links_and_allowed_markup(body):
    """Whatever the input, if nothing is reported, the HTML is within the page allowlist (no handler, no script
    URL) and every link goes to the web or to a footnote or heading of the page."""
    if check_body(body):
        return
    rendered = render_body(body)
    assert html_violations(rendered) == []
    for href in re.findall(r'href="([^"]*)"', rendered):
        assert re.match(r"https?://|mailto:|#", html.unescape(href)), href


def test_a_body_that_breaks_the_converter_does_not_change_how_the_next_one_renders():
    """A conversion that raised left the shared converter half-reset: the next body's autolinks became text."""
    fresh = markdown.Markdown(extensions=list(SITE_MARKDOWN_EXTENSIONS), extension_configs=SITE_MARKDOWN_CONFIG)
    before = fresh.convert("<https://a.example/> 正文")
    deep_lists = "".join("    " * i + "- x\n" for i in range(400)) + f"\n{time.time_ns()}"  # not cached by an earlier test
    assert "无法解析（RecursionError）" in check_body(deep_lists)[0].message
    assert render_body("<https://a.example/> 正文") == before
    assert check_body("<https://a.example/> 正文") == []
