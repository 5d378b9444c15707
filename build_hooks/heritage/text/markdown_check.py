"""Check an entry's Markdown ``body`` by rendering it exactly as the site does and reading the resulting HTML.

Editors' Markdown reaches the site through pull requests, so it is treated as hostile. Regular expressions over
the source cannot follow Markdown's grammar (nested and escaped brackets, reference definitions inside quotes,
list items or admonitions, attribute lists in all their spellings …): every gap between the regex and the real
parser was a way to publish a ``javascript:`` link or an event handler. Here the real parser decides: the body is
converted with Python-Markdown and the extensions of mkdocs.yml, and the HTML it produces is checked against an
allowlist of what plain editor Markdown makes. What the HTML alone cannot show is recorded while converting:
which parts were raw HTML written by the editor, and which attributes came from an attribute list ``{: … }``.

Each problem is reported with a character offset into the body (best effort: the offending text is searched for
in the source), so the caller can turn it into a YAML line.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree as etree

import markdown
from markdown.treeprocessors import Treeprocessor
from pymdownx.slugs import slugify

from heritage.text.markdown_text import TAG_OPEN, decoded, shown_piece

# --- the site's Markdown settings -------------------------------------------------------------------------------

# Exactly what MkDocs uses for mkdocs.yml: its three built-in extensions (toc, tables, fenced_code: MkDocs always
# adds them, and fenced_code changes how superfences renders code) followed by the `markdown_extensions` list.
# tests/test_markdown_check.py loads mkdocs.yml with MkDocs' own loader and compares, so these cannot drift.
SITE_MARKDOWN_EXTENSIONS: tuple[str, ...] = (
    "toc",
    "tables",
    "fenced_code",
    "admonition",
    "attr_list",
    "md_in_html",
    "footnotes",
    "pymdownx.details",
    "pymdownx.superfences",
)
SITE_MARKDOWN_CONFIG: dict[str, dict[str, Any]] = {
    "footnotes": {"BACKLINK_TITLE": "返回正文第 %d 处引用"},
    "toc": {"permalink": True, "slugify": slugify(case="lower")},
}

# Admonition and details types Material for MkDocs styles (`!!! note`, `??? tip` …), plus its `inline`/`end`
# modifiers. The type becomes a class: any other word would let an editor borrow the theme's classes.
ADMONITION_TYPES = frozenset(
    "note abstract summary tldr info todo tip hint important success check done question help faq warning "
    "caution attention failure fail missing danger error bug example quote cite".split()
)
ADMONITION_MODIFIERS = frozenset({"inline", "end"})

try:  # Pygments' token classes, on the <span>s of a highlighted ``` fence (pymdownx.superfences)
    from pygments.token import STANDARD_TYPES

    PYGMENTS_CLASSES = frozenset(name for name in STANDARD_TYPES.values() if name)
except ImportError:  # pragma: no cover — Material depends on Pygments; without it fences have no <span>s
    PYGMENTS_CLASSES = frozenset()

# --- messages to editors ----------------------------------------------------------------------------------------

HTML_MESSAGE = "正文中不能使用 HTML 标签 “{}”。请改用 Markdown（加粗 **文字**，链接 [文字](网址)）。"
IMAGE_MESSAGE = "正文中不能插入图片。请把图片写在 images 字段中（保存在 docs/ 目录，并填写替代文字 alt）。"
LINK_MESSAGE = "链接地址 “{}” 无效：正文中的链接只能是 http:// 或 https:// 网址。要关联本站的其他条目，请写在 related 字段中。"
ATTRIBUTE_MESSAGE = "正文中不能使用属性标记 “{}”。请删除它；需要强调时用 **加粗**。"
H1_MESSAGE = "正文中不能使用一级标题（一个 # 开头，或下一行是 ===）：一级标题是页面标题，已由条目名称生成。请改用二级标题 ## 。"
HEADING_ID_MESSAGE = "标题 “{}” 不能以两个下划线开头：那是网站页面自身元素使用的名称。请修改标题。"
TOC_MESSAGE = "正文中不需要写 [TOC]：页面旁边已有自动生成的目录。请删除它。"
ADMONITION_MESSAGE = (
    "提示框类型 “{}” 无效。请使用 note（注）、info（信息）、tip（提示）、warning（注意）、danger（危险）、quote（引文）等，"
    '例如 !!! note "标题"。'
)
UNSUPPORTED_MESSAGE = (
    "正文中出现了不支持的内容 “{}”。正文只能使用基本的 Markdown：段落、**加粗**、*强调*、列表、引用、表格、"
    "## 标题、[文字](网址) 链接、脚注 [^编号] 和提示框 !!! note。"
)
FAILED_MESSAGE = "正文无法解析（{}）。请检查是否有未配对的括号、过深的缩进或嵌套、或异常字符；找不到原因时请联系技术维护人员。"
TOO_MANY_TAGS_MESSAGE = "正文中有 {} 处 “<” 开头的 HTML 标签，无法逐一检查。正文中不能使用 HTML 标签，请全部删除后再检查。"
TAG_TEXT_MESSAGE = (
    "正文中不能出现类似 HTML 标签的文字 “{}”：即使加了反斜杠、放进代码或写成 &lt;、&#60; 等实体，网页的目录、"
    "提示框等功能也可能把它重新当作 HTML 执行。请把“<”改为全角“＜”，或改写这段文字。"
)
HEADING_LENGTH_MAX = 100
HEADING_TOO_LONG_MESSAGE = "标题太长：最多 {max} 个字，现在 {length} 个。标题会出现在页面旁的目录中，请精简，把说明写进标题下面的段落。"
TOO_MANY_BRACKETS_MESSAGE = (
    "这一段中未配对或层层嵌套的方括号 “[” 太多，无法检查其中的链接。请删除多余的方括号（链接写作 [文字](网址)）后再检查。"
)

SAFE_LINK = re.compile(r"(?:https?://|mailto:)", re.I)


@dataclass(frozen=True)
class BodyIssue:
    """One problem in a body: ``offset`` is the character offset in the body text (0 when it cannot be found)."""

    offset: int
    message: str


def check_body(text: str) -> list[BodyIssue]:
    """Every problem in a Markdown body, sorted by offset. Never raises: a body that cannot even be converted is
    reported as one problem at offset 0, because an editor must get a message, not a traceback."""
    if not isinstance(text, str):
        return [BodyIssue(0, FAILED_MESSAGE.format("正文应为文字"))]
    return list(_check_cached(text))


@functools.lru_cache(maxsize=4096)
def _check_cached(text: str) -> tuple[BodyIssue, ...]:
    """Results by body text: `mkdocs serve` re-checks every entry on each change, and most bodies have not changed
    (a check costs about as much as rendering the body)."""
    try:
        issues = _check(text)
    except Exception as exc:
        # A conversion that raised (a RecursionError in deep lists) leaves Python-Markdown's state half-changed: the
        # next body would render differently (autolinks as text). Start the next one with a new converter.
        _local.converter = None
        issues = [BodyIssue(0, FAILED_MESSAGE.format(type(exc).__name__))]
    unique = dict.fromkeys(issues)  # the same construct found twice is reported once
    return tuple(sorted(unique, key=lambda issue: issue.offset))


def render_body(text: str) -> str:
    """The HTML the site makes of ``text`` (raw HTML and attribute lists removed, as ``check_body`` sees it)."""
    return _converter().convert(text)


def _check(text: str) -> list[BodyIssue]:
    guarded = _guard_pathological(text)
    if guarded is not None:
        return guarded
    converter = _converter()
    html = converter.convert(text)
    locator = _Locator(text)
    issues = [_raw_html_issue(fragment, locator) for fragment in _raw_html_tokens(converter.raw_html)]
    issues += [_attribute_list_issue(attrs, locator) for attrs in converter.attribute_lists]
    checker = _HtmlChecker(locator)
    checker.feed(html)
    checker.close()
    return issues + checker.issues


# --- inputs Python-Markdown handles in quadratic time -----------------------------------------------------------

# Python-Markdown (and the html.parser it uses for raw HTML) takes minutes on some short hostile inputs: 20,000
# "[" or 4,000 "<![CDATA[" in one paragraph. A body like that is rejected before converting, so that a pull request
# cannot stall the check (or the build, which would render it the same way). Legitimate bodies are far below both
# limits: they have no tags at all, and "[" mostly in links and footnotes, each closed a few characters later.
MAX_TAG_STARTS = 100  # each is forbidden anyway; 100 CDATA openings cost ~0.2 s
MAX_BRACKET_SCAN = 2_000_000  # characters the link parser would scan in total; ~0.5 s
MAX_TAGS_SHOWN = 20
# "<" that may open a tag; autolinks <https://…>, <mailto:…> and <name@host> do not.
_TAG_START = re.compile(r"<(?!(?:https?://|mailto:)[^<>\s]*>|[^<>\s@!]+@[^<>\s@]+>)[!?/]?[A-Za-z\[]", re.I)
_TAG_TOKEN = re.compile(r"<[^<>\n]{1,60}>?")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _guard_pathological(text: str) -> list[BodyIssue] | None:
    starts = [m.start() for m in _TAG_START.finditer(text)]
    if len(starts) > MAX_TAG_STARTS:
        shown = [
            BodyIssue(start, HTML_MESSAGE.format(_shorten(_TAG_TOKEN.match(text, start).group(0)))) for start in starts[:MAX_TAGS_SHOWN]
        ]
        return [BodyIssue(starts[0], TOO_MANY_TAGS_MESSAGE.format(len(starts))), *shown]
    offset = _costly_bracket_paragraph(text)
    if offset is not None:
        return [BodyIssue(offset, TOO_MANY_BRACKETS_MESSAGE)]
    return None


def _costly_bracket_paragraph(text: str) -> int | None:
    """When the link parser would scan too far in total, the start of the paragraph where it would scan most:
    from every "[" it scans to the matching "]", or to the end of the paragraph when there is none."""
    if text.count("[") * len(text) <= MAX_BRACKET_SCAN:  # the usual case, decided without scanning
        return None
    blank_lines = list(_BLANK_LINE.finditer(text))
    starts = [0, *(m.end() for m in blank_lines)]
    ends = [*(m.start() for m in blank_lines), len(text)]
    costs = [(_bracket_scan(text[start:end]), start) for start, end in zip(starts, ends, strict=True)]
    if sum(cost for cost, _ in costs) <= MAX_BRACKET_SCAN:
        return None
    return max(costs, key=lambda item: item[0])[1]


def _bracket_scan(paragraph: str) -> int:
    cost, open_at = 0, []
    for index, char in enumerate(paragraph):
        if char == "[":
            open_at.append(index)
        elif char == "]" and open_at:
            cost += index - open_at.pop()
    return cost + sum(len(paragraph) - index for index in open_at)


# --- the instrumented converter ---------------------------------------------------------------------------------

RAW_TAG = "x-raw-html"  # what raw HTML elements are renamed to: only our instrumentation can produce this tag


class _SiteConverter:
    """One ``markdown.Markdown`` with the site's settings (built once per thread, reset between bodies),
    instrumented to record the two things its HTML output cannot show:

    * raw HTML the editor wrote (block HTML, inline tags, comments, ``<div markdown>``): recorded, then left out of
      the output, so the allowlist check below does not report the same tag a second time;
    * attribute lists (``{: … }``, ``{#id}``, ``{onclick}`` …): recorded and not applied, for the same reason.
    """

    def __init__(self) -> None:
        self.md = markdown.Markdown(extensions=list(SITE_MARKDOWN_EXTENSIONS), extension_configs=SITE_MARKDOWN_CONFIG)
        self.raw_html: list[str] = []
        self.attribute_lists: list[str] = []
        self._raw_elements: list[etree.Element] = []
        self._record_inline_html()
        self._record_block_html()
        self._record_attribute_lists()
        # After every other tree processor: md_in_html still needs the raw elements' tags and attributes until then.
        self.md.treeprocessors.register(_NeutraliseRawElements(self), "neutralise_raw_html", -100)

    def convert(self, text: str) -> str:
        self.raw_html.clear()
        self.attribute_lists.clear()
        self._raw_elements.clear()
        self.md.reset()
        return self.md.convert(text)

    def _record_inline_html(self) -> None:
        processor = self.md.inlinePatterns["html"]  # <tag>, </tag> and <!-- --> inside a paragraph

        def handle_match(m: re.Match[str], data: str) -> tuple[str, int, int]:
            self.raw_html.append(processor.backslash_unescape(processor.unescape(m.group(1))))
            return self.md.htmlStash.store(""), m.start(0), m.end(0)

        processor.handleMatch = handle_match

    def _record_block_html(self) -> None:
        processor = self.md.preprocessors["html_block"]  # md_in_html's: block HTML, comments, <div markdown>
        original = processor.run

        def run(lines: list[str]) -> list[str]:
            stash = self.md.htmlStash.rawHtmlBlocks
            first = len(stash)
            result = original(lines)
            for index in range(first, len(stash)):
                item = stash[index]
                if isinstance(item, str):
                    self.raw_html.append(item)
                    stash[index] = ""
                else:  # an element whose Markdown content md_in_html parses later: keep the content, note the tags
                    self.raw_html.extend(_start_tag_text(element) for element in item.iter())
                    self._raw_elements.extend(item.iter())
            return result

        processor.run = run

    def _record_attribute_lists(self) -> None:
        processor = self.md.treeprocessors["attr_list"]
        original = processor.assign_attrs

        def assign_attrs(elem: etree.Element, attrs_string: str, *, strict: bool = False) -> str:
            scratch = etree.Element(elem.tag)  # parse as attr_list would, but change nothing on the page
            remainder = original(scratch, attrs_string, strict=strict)
            if not (strict and remainder):  # otherwise attr_list leaves the text as it is: not an attribute list
                self.attribute_lists.append(attrs_string)
            return remainder

        processor.assign_attrs = assign_attrs


class _NeutraliseRawElements(Treeprocessor):
    """Rename the elements md_in_html made from raw HTML (already reported) and drop their attributes."""

    def __init__(self, converter: _SiteConverter) -> None:
        super().__init__(converter.md)
        self.converter = converter

    def run(self, root: etree.Element) -> None:
        for element in self.converter._raw_elements:
            element.tag = RAW_TAG
            element.attrib.clear()


_local = threading.local()


def _converter() -> _SiteConverter:
    """The converter of this thread (a ``markdown.Markdown`` is not thread-safe; ``reset()`` makes it reusable)."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = _SiteConverter()
    return converter


# --- raw HTML ---------------------------------------------------------------------------------------------------


# The pieces of raw HTML an editor would recognise as written (exact source text, to quote and to find it again).
# Inside <script>/<style>, everything up to the closing tag is content, not tags.
_RAW_TOKEN = re.compile(
    r"""<!--.*?(?:-->|$)|<!\[CDATA\[.*?(?:\]\]>|$)|<\?.*?(?:>|$)|<![^>]*>?"""
    r"""|<(script|style)\b(?:"[^"]*"|'[^']*'|[^'">])*>?.*?(?:</\1\s*>|$)"""
    r"""|</?[A-Za-z][^\s/>]*(?:"[^"]*"|'[^']*'|[^'">])*>?""",
    re.S | re.I,
)


def _raw_html_tokens(fragments: Iterable[str]) -> list[str]:
    return [token for fragment in fragments for token in _split_tags(fragment)]


def _split_tags(fragment: str) -> list[str]:
    tokens: list[str] = []
    for match in _RAW_TOKEN.finditer(fragment):
        if match.group(1):  # <script>…</script>: the opening and the closing tag, not the code between them
            opening = re.match(r"<[^>]*>?", match.group(0)).group(0)
            closing = re.search(r"</\w+\s*>$", match.group(0))
            tokens += [opening, closing.group(0)] if closing else [opening]
        else:
            tokens.append(match.group(0))
    # Something Python-Markdown took for HTML that matches no tag form: report the fragment whole.
    return tokens or ([fragment.strip()] if fragment.strip() else [])


def _start_tag_text(element: etree.Element) -> str:
    attributes = "".join(f' {name}="{value}"' if value is not None else f" {name}" for name, value in element.attrib.items())
    return f"<{element.tag}{attributes}>"


_AUTOLINK_LIKE = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]*:[^<>\s]*)>")


def _raw_html_issue(token: str, locator: _Locator) -> BodyIssue:
    autolink = _AUTOLINK_LIKE.fullmatch(token)
    if autolink:  # <javascript:…> is not an autolink to Python-Markdown but raw HTML: say what the editor meant
        return BodyIssue(locator.find(token), LINK_MESSAGE.format(_shorten(autolink.group(1))))
    needles: list[str | re.Pattern[str]] = [token]
    name = re.match(r"</?([A-Za-z][^\s/>]*)", token)
    if name:  # tags rebuilt from md_in_html's elements are not spelt as written: find them by name
        needles.append(re.compile(rf"</?{re.escape(name.group(1))}(?![\w-])[^>\n]*>?", re.I))
    offset, written = locator.find_text(*needles)
    return BodyIssue(offset, HTML_MESSAGE.format(_shorten(written or token)))


def _attribute_list_issue(attrs_string: str, locator: _Locator) -> BodyIssue:
    inner = attrs_string.strip()
    exact = re.compile(r"\{[ \t]*:?[ \t]*" + re.escape(inner) + r"[ \t]*\}")
    first_word = re.escape(inner.split()[0]) if inner.split() else ""
    loose = re.compile(r"\{[^{}\n]*" + first_word + r"[^{}\n]*\}")
    offset, written = locator.find_text(exact, loose)
    return BodyIssue(offset, ATTRIBUTE_MESSAGE.format(_shorten(written or "{" + inner + "}", 80)))


# --- the allowlist of what editor Markdown produces -------------------------------------------------------------


def _any(value: str) -> bool:
    return True


def _one_of(*values: str) -> Callable[[str], bool]:
    return frozenset(values).__contains__


def _matches(pattern: str) -> Callable[[str], bool]:
    compiled = re.compile(pattern)
    return lambda value: compiled.fullmatch(value) is not None


# Elements plain Markdown makes without attributes: emphasis, lists, quotes, code, rules, line breaks, tables.
_PLAIN_TAGS = ("em", "strong", "ul", "ol", "blockquote", "pre", "hr", "br", "table", "thead", "tbody", "tr", "summary")
_TEXT_ALIGN = _one_of("text-align: left;", "text-align: right;", "text-align: center;")

# tag → {attribute: test of its value}. Only these tags and attributes are expected; anything else is reported.
# Links (`a`), admonition classes, <span> outside <pre>, h1 and img are checked further below, with messages of
# their own.
ALLOWED_BODY_ELEMENTS: dict[str, dict[str, Callable[[str], bool]]] = {
    **{tag: {} for tag in _PLAIN_TAGS},
    "th": {"style": _TEXT_ALIGN},  # tables: | :-- | :-: | --: |
    "td": {"style": _TEXT_ALIGN},
    "p": {"class": _one_of("admonition-title")},  # admonition
    "code": {"class": _matches(r"language-[\w+#.-]+")},  # ``` fences, when Pygments is missing
    "span": {"class": lambda value: set(value.split()) <= PYGMENTS_CLASSES},  # ``` fences, in <pre> only
    **{f"h{level}": {"id": _any} for level in range(2, 7)},  # toc (attribute lists, which may set ids, are reported)
    "sup": {"id": _matches(r"fnref\d*:\S+")},  # footnote reference
    "li": {"id": _matches(r"fn:\S+")},  # footnote definition
    "a": {"href": _any, "title": _any, "class": _one_of("footnote-ref", "footnote-backref", "headerlink")},
    "div": {"class": _any},  # admonition, footnotes, code highlighting: checked in _div_problem
    "details": {"class": _any, "open": _one_of("open")},  # pymdownx.details: class checked in _admonition_problem
}
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "source", "track", "wbr", "area", "base", "col", "embed", "param"})
# Classes under which a link points inside the page (footnotes, heading permalinks) instead of to the web.
_ANCHOR_LINK_CLASSES = frozenset({"footnote-ref", "footnote-backref", "headerlink"})
# Elements inside a line of text: their text and the text around them form one string for anything that re-reads the
# text of a block (a table of contents, a tooltip), so "**<**img" is as tag-like as "<img". Any other element ends it.
_INLINE_TAGS = frozenset({"a", "abbr", "b", "code", "del", "em", "i", "ins", "kbd", "mark", "s", "small", "span", "strong", "sub", "sup"})
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# Where a "<" found in the text was written: raw, escaped, or as a character reference (possibly double-encoded), and
# possibly with emphasis markers or backslashes between it and the name.
_WRITTEN_LT = r"(?:<|&(?:amp;)*(?:lt;?|#0*60;?|#x0*3c;?))(?:[\\*_`]|&[A-Za-z0-9#]{1,10};)*"


class _HtmlChecker(HTMLParser):
    """Walks the converted HTML and reports whatever is not on the allowlist."""

    def __init__(self, locator: _Locator) -> None:
        super().__init__(convert_charrefs=True)
        self.locator = locator
        self.issues: list[BodyIssue] = []
        self.open: list[str] = []
        self._link_text: list[str] | None = None  # text of the <a> being read, to find the link in the source
        self._pending_link: tuple[str, str] | None = None
        self._block_text: list[str] = []  # the text of the current block so far (see _INLINE_TAGS)
        self._heading_text: list[str] | None = None  # the text of the h2–h6 being read, without its permalink
        self._in_permalink = False
        self._tag_like_reported = 0

    def close(self) -> None:
        super().close()
        self._end_block()

    # Structure

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _INLINE_TAGS:
            self._end_block()
        self._check_element(tag, attrs)
        if tag in _HEADINGS:
            self._heading_text = []
        elif tag == "a" and ("class", "headerlink") in attrs:
            self._in_permalink = True
        if tag not in _VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _INLINE_TAGS:
            self._end_block()
        self._check_element(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _INLINE_TAGS:
            self._end_block()
        if tag == "a":
            self._in_permalink = False
        if tag in _HEADINGS and self._heading_text is not None:
            self._check_heading_length("".join(self._heading_text))
            self._heading_text = None
        if tag == "a" and self._pending_link is not None:
            self._report_link(*self._pending_link, "".join(self._link_text or []))
            self._pending_link = self._link_text = None
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._link_text is not None:
            self._link_text.append(data)
        if self._heading_text is not None and not self._in_permalink:
            self._heading_text.append(data)
        if self.open[-1:] != [RAW_TAG]:  # raw HTML was reported while converting
            self._block_text.append(data)

    # Text that HTML would read as a tag if anything re-parsed it: HTML that Python-Markdown escaped (\<b>,
    # <![CDATA[, <?php …), or character references (&lt;img/src=…&gt;), decoded here as a browser decodes them.

    def _end_block(self) -> None:
        if not self._block_text:
            return
        text = decoded("".join(self._block_text))
        self._block_text = []
        for match in TAG_OPEN.finditer(text):
            self._tag_like(text, match.start())

    def _tag_like(self, text: str, start: int) -> None:
        if self._tag_like_reported >= MAX_TAGS_SHOWN:  # each one costs a search of the source: enough to act on
            return
        self._tag_like_reported += 1
        name = re.match(r"[/!?]?[A-Za-z]*", text[start + 1 : start + 40]).group(0)
        written = re.compile(_WRITTEN_LT + re.escape(name), re.I)
        self._issue(TAG_TEXT_MESSAGE.format(_shorten(shown_piece(text, start))), written, name)

    def _check_heading_length(self, text: str) -> None:
        text = " ".join(text.split())
        if len(text) > HEADING_LENGTH_MAX:
            self._issue(
                HEADING_TOO_LONG_MESSAGE.format(max=HEADING_LENGTH_MAX, length=len(text)),
                re.compile(r"^[ ]{0,3}#{2,6}[ \t]*" + re.escape(text[:1]), re.M),
                text[:20],
            )

    # Markdown never produces these; raw ones were removed while converting. Report them if they appear anyway.

    def handle_comment(self, data: str) -> None:
        self._issue(HTML_MESSAGE.format(_shorten(f"<!--{data}-->")), "<!--")

    def handle_decl(self, decl: str) -> None:
        self._issue(HTML_MESSAGE.format(_shorten(f"<!{decl}>")), "<!")

    def unknown_decl(self, data: str) -> None:
        self._issue(HTML_MESSAGE.format(_shorten(f"<![{data}]>")), "<![")

    def handle_pi(self, data: str) -> None:
        self._issue(HTML_MESSAGE.format(_shorten(f"<?{data}>")), "<?")

    # Elements

    def _check_element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == RAW_TAG:
            return  # raw HTML, reported while converting
        if tag == "img":
            self._issue(IMAGE_MESSAGE, "![" + values.get("alt", ""), values.get("src", ""), "![")
            return
        if tag == "h1":
            self._issue(H1_MESSAGE, re.compile(r"^[ ]{0,3}#(?!#)", re.M), re.compile(r"^[ ]{0,3}=+[ \t]*$", re.M))
            return
        rules = ALLOWED_BODY_ELEMENTS.get(tag)
        if rules is None:
            self._issue(UNSUPPORTED_MESSAGE.format(_shorten(self.get_starttag_text() or tag)), f"<{tag}")
            return
        for name, value in attrs:
            test = rules.get(name)
            if test is None or not test(value or ""):
                self._attribute_issue(tag, name, value)
            elif name != "href" and value and "<" in (plain := decoded(value)):
                for match in TAG_OPEN.finditer(plain):  # a link title: a tooltip shows it
                    self._tag_like(plain, match.start())
        if tag[0] == "h" and values.get("id", "").startswith("__"):
            # toc ids come from the heading text; "__search", "__drawer" … are ids of Material's own elements.
            self._issue(HEADING_ID_MESSAGE.format(_shorten(values["id"])), re.compile(r"^[ ]{0,3}#+[ \t]*__", re.M))
        if tag == "span" and "pre" not in self.open:
            self._issue(UNSUPPORTED_MESSAGE.format(_shorten(self.get_starttag_text() or tag)), "<span")
        elif tag == "div":
            self._div_problem(values)
        elif tag == "details" and "class" in values:
            self._admonition_problem(values["class"].split())
        elif tag == "a":
            self._pending_link = (values.get("href", ""), values.get("class", ""))
            self._link_text = []

    def _div_problem(self, values: dict[str, str]) -> None:
        classes = values.get("class", "").split()
        if classes[:1] == ["admonition"]:
            self._admonition_problem(classes[1:])
        elif classes == ["toc"]:
            self._issue(TOC_MESSAGE, re.compile(r"\[TOC\]", re.I))
        elif classes not in (["footnote"], ["highlight"]):
            self._issue(UNSUPPORTED_MESSAGE.format(_shorten(self.get_starttag_text() or "<div>")), "<div")

    def _admonition_problem(self, classes: list[str]) -> None:
        kind, modifiers = (classes[0], classes[1:]) if classes else ("", [])
        if kind not in ADMONITION_TYPES or not set(modifiers) <= ADMONITION_MODIFIERS:
            written = " ".join(classes)
            self._issue(
                ADMONITION_MESSAGE.format(_shorten(written)),
                re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]*" + re.escape(classes[0] if classes else ""), re.M | re.I),
            )

    def _report_link(self, href: str, link_class: str, text: str) -> None:
        """Web addresses only: the browser follows exactly this (entities already decoded by the parser)."""
        if link_class in _ANCHOR_LINK_CLASSES:
            if not href.startswith("#"):
                self._issue(LINK_MESSAGE.format(_shorten(href)), href)
            return
        if SAFE_LINK.match(href):
            return
        raw = re.compile(r"\]\(\s*<?\s*" + re.escape(href[:40])) if href else None
        self._issue(
            LINK_MESSAGE.format(_shorten(href)),
            href,
            raw,
            re.compile(r"(?<!!)\[" + re.escape(text[:40])) if text else None,
        )

    def _attribute_issue(self, tag: str, name: str, value: str | None) -> None:
        # An attribute no Markdown construct produces comes from a `{…}` written after a code fence's ```
        # (attribute lists elsewhere were caught while converting): quote the one that names it, or the first.
        named = re.compile(r"\{[^{}\n]*" + re.escape(name) + r"[^{}\n]*\}", re.I)
        offset, written = self.locator.find_text(named, re.compile(r"\{[^{}\n]*\}"))
        if written:
            self.issues.append(BodyIssue(offset, ATTRIBUTE_MESSAGE.format(_shorten(written, 80))))
        else:
            shown = f"<{tag} {name}" + (f'="{value}"' if value is not None else "") + ">"
            self.issues.append(BodyIssue(offset, UNSUPPORTED_MESSAGE.format(_shorten(shown))))

    def _issue(self, message: str, *needles: str | re.Pattern[str] | None) -> None:
        self.issues.append(BodyIssue(self.locator.find(*needles), message))


# --- locating problems in the source ----------------------------------------------------------------------------


class _Locator:
    """Finds where a problem found in the HTML was written in the source, best effort. Asked for the same needle
    again, it returns the next occurrence, so a mistake repeated three times is reported on three lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._next: dict[Any, int] = {}

    def find(self, *needles: str | re.Pattern[str] | None) -> int:
        return self.find_text(*needles)[0]

    def find_text(self, *needles: str | re.Pattern[str] | None) -> tuple[int, str]:
        """(offset, the matched source text) of the first needle found; (0, "") when none is."""
        for needle in needles:
            if not needle:
                continue
            pattern = needle if isinstance(needle, re.Pattern) else re.compile(re.escape(needle), re.I)
            key = (pattern.pattern, pattern.flags)
            match = pattern.search(self.text, self._next.get(key, 0)) or pattern.search(self.text)
            if match:
                self._next[key] = match.start() + 1
                return match.start(), match.group(0)
        return 0, ""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _shorten(text: str, limit: int = 60) -> str:
    """Text quoted in a message: on one line, without control characters, cut to ``limit`` characters."""
    text = " ".join(_CONTROL.sub("", text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = [
    "ADMONITION_MODIFIERS",
    "ADMONITION_TYPES",
    "PYGMENTS_CLASSES",
    "BodyIssue",
    "SITE_MARKDOWN_CONFIG",
    "SITE_MARKDOWN_EXTENSIONS",
    "check_body",
    "render_body",
]
