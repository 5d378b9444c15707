"""Read one YAML entry into plain Python data, keeping the line of every key and item.

Why not ``yaml.safe_load``: it silently keeps the last of two duplicate keys, forgets where anything was written,
and applies YAML 1.1's surprises (``no`` → False, ``00:42:10`` → 2530, unquoted dates → ``date`` objects).
Here only ``true``/``false`` are booleans, only plain decimal numbers are numbers, and dates stay strings so the
schema parses them and reports a bad date with its field name, like any other value.

The data is built in one pass over libyaml's parser events, never from a composed node tree: anchors (``&a``),
aliases (``*a``), tags (``!!str``, ``!!python/object``…) and merge keys (``<<``) are refused where they are written,
so nothing is ever expanded and no file yields more data than its own text (no "billion laughs"). Entries never
need them; an editor who copies them from elsewhere is told to write the value out.

Every key and text value is also refused when it holds a character that is invisible or rewrites what surrounds it:
C0 controls other than tab and newline (NUL, ESC, a lone CR …), DEL, C1 controls and the bidi controls (U+202E shows
text in another order than it is stored). They break CSV, GPX and JSON readers and terminals, and disguise names;
none belongs in an entry. They are refused wherever they come from: typed raw, or written as an escape ("\\u202e",
"\\x1b", "\\e") in a double-quoted value, with the line where they were written.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from heritage.core.entry import FieldPath, RawEntry, dotted
from heritage.core.problems import Problem

MAX_DEPTH = 12  # entries nest a few levels; anything deeper is a mistake (such as thousands of ``[``)
MAX_FILE_BYTES = 512 * 1024  # the largest entry is about 12 KiB; a file this big is a paste gone wrong
_MAX_INT_DIGITS = 4300  # Python's own limit for int("…"); fixed here so a changed interpreter setting changes nothing


class _PurePythonParser(Reader, Scanner, Parser):
    """PyYAML's own event parser, for a PyYAML built without libyaml: the same events and marks, ten times slower."""

    def __init__(self, stream: str):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


try:
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = _PurePythonParser


class LoadError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


def decode_utf8(raw: bytes, display_path: str) -> str:
    """Decode as UTF-8 (a BOM is tolerated); explain GBK and other encodings in terms an editor can act on."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            guess = "看起来是 UTF-16 编码"
        else:
            try:
                raw.decode("gb18030")
                guess = "看起来是 GBK/GB18030 编码"
            except UnicodeDecodeError:
                guess = "编码无法识别"
        raise LoadError(
            Problem(
                display_path,
                line,
                "",
                f"文件不是 UTF-8 编码（{guess}）。请在编辑器中用“UTF-8”编码重新保存此文件"
                "（VS Code：右下角点编码 → 通过编码保存 → UTF-8）。",
            )
        ) from None


def parse_yaml(text: str, display_path: str, block_scalars: set | None = None) -> tuple[Any, dict[FieldPath, int]]:
    """Parse one YAML document into plain data plus a map of field path → line (and note block scalars)."""
    parser = None
    lines: dict[FieldPath, int] = {}
    source = text
    # YAML's reader refuses raw C0/C1 controls before any field is known: stand each one in for a private-use
    # character the reader accepts, so the value holding it is found and named like an escaped one.
    substituted = _RAW_FORBIDDEN.search(text) is not None and _SENTINELS.search(text) is None
    if substituted:
        text = _RAW_FORBIDDEN.sub(lambda m: chr(_SENTINEL_BASE + ord(m.group())), text)
    try:
        parser = _Parser(text)
        try:
            data = _read_document(
                parser.get_event,
                display_path,
                lines,
                block_scalars if block_scalars is not None else set(),
                _Hygiene(source, display_path, substituted),
            )
        except LoadError:
            # As when the whole file was composed first: a syntax error anywhere in it is reported before a problem
            # in its content. The rest is only parsed, never built, so this costs a fraction of the happy path.
            _parse_rest(parser.get_event)
            raise
    except yaml.reader.ReaderError as exc:  # a control character such as NUL, often from a copy-paste
        line = text.count("\n", 0, exc.position) + 1
        raise LoadError(
            Problem(
                display_path,
                line,
                "",
                f"文件中有不允许的控制字符（{_codepoint(exc.character)}），请删除这一行中看不见的特殊字符后重新保存。",
            )
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "quoted scalar" in (exc.context or ""):
            mark = exc.context_mark  # an unclosed quote: point at where it opened, not at the end of the file
        line = mark.line + 1 if mark else None
        reason = _translate_yaml_error(exc)
        lines_of_text = text.splitlines()
        if line is not None and 0 < line <= len(lines_of_text) and "\t" in lines_of_text[line - 1]:
            reason = f"不能用 Tab 缩进，请改用空格。（原始信息：{exc.problem}）"
        opened = _unclosed_quote_before(lines_of_text, line)
        if opened is not None:
            line, reason = opened, "引号没有成对：这一行以引号开头的文字缺少结尾的引号。"
        raise LoadError(Problem(display_path, line, "", f"YAML 语法错误：{reason}")) from None
    except yaml.YAMLError as exc:  # no mark
        raise LoadError(Problem(display_path, None, "", f"YAML 语法错误：{exc}")) from None
    finally:
        if parser is not None:
            parser.dispose()
    if substituted:  # a raw control character outside every value (in a comment, between tokens): still refused
        position = _RAW_FORBIDDEN.search(source).start()
        character = source[position]
        raise LoadError(Problem(display_path, source.count("\n", 0, position) + 1, "", _forbidden_message(character, None, "文件")))
    return data, lines


_EXPECT_KEY = object()  # in a mapping, the next node is a key


def _read_document(get_event, display_path: str, lines: dict, blocks: set, hygiene: _Hygiene) -> Any:
    """Build the data of the stream's one document from its events, refusing what entries never need."""
    get_event()  # StreamStartEvent
    event = get_event()
    if event.__class__ is StreamEndEvent:  # nothing but blank lines and comments
        raise LoadError(Problem(display_path, 1, "", "文件是空的。请填写条目内容，或删除此文件（可用 `make new` 生成模板）。"))
    document_start = event.start_mark
    data = None
    container: Any = None  # the innermost open mapping (dict) or sequence (list); None outside the top-level node
    container_path: FieldPath = ()
    key: Any = _EXPECT_KEY  # in a mapping: the key whose value comes next
    open_parents: list = []  # (container, container_path, key) of each enclosing collection
    while True:
        event = get_event()
        kind = event.__class__
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            container, container_path, key = open_parents.pop()
            continue
        if kind is DocumentEndEvent:
            break
        # a node: scalar, start of a mapping or sequence, or an alias (whose ``anchor`` is the name it refers to)
        line = event.start_mark.line + 1

        if key is _EXPECT_KEY and container.__class__ is dict:  # a key
            if event.anchor is not None or event.tag is not None:
                _refuse_anchor_or_tag(event, display_path, container_path)
            if kind is not ScalarEvent:
                raise LoadError(Problem(display_path, line, dotted(container_path), "字段名必须是简单的文字。"))
            name = event.value
            if hygiene.pattern.search(name):
                hygiene.refuse(event, (*container_path, name), name, key=True)
            if event.implicit[0]:  # plain: ``1:``, ``true:`` or ``~:`` are not words
                if name == "<<":
                    raise LoadError(Problem(display_path, line, dotted((*container_path, name)), _MERGE_KEY_MESSAGE))
                name = _plain_value(name, display_path, line, container_path)
                if name.__class__ is not str:
                    raise LoadError(Problem(display_path, line, dotted(container_path), f"字段名必须是英文单词，不能是 {name!r}。"))
            path = (*container_path, name)
            if name in container:
                raise LoadError(
                    Problem(
                        display_path,
                        line,
                        dotted(path),
                        f"字段重复：第 {lines[path]} 行已经写过 `{name}`。请删除其中一个（YAML 只会保留最后一个，前一个会被悄悄丢掉）。",
                    )
                )
            lines[path] = line
            key = name
            continue

        # a value: the top-level node, an item of a sequence or the value of the key just read
        if container is None:
            path = ()
            lines[path] = line
        elif key is _EXPECT_KEY:  # a sequence
            path = (*container_path, len(container))
            lines[path] = line
        else:
            path = (*container_path, key)
        if event.anchor is not None or event.tag is not None:
            _refuse_anchor_or_tag(event, display_path, path)
        if len(path) > MAX_DEPTH:
            raise LoadError(
                Problem(
                    display_path,
                    line,
                    dotted(path),
                    f"结构嵌套过深（超过 {MAX_DEPTH} 层）。条目只需要几层嵌套：请检查缩进，以及括号“[ ]”“{{ }}”是否成对。",
                )
            )
        if kind is ScalarEvent:
            value = event.value
            if hygiene.pattern.search(value):
                hygiene.refuse(event, path, value, key=False)
            if event.implicit[0]:  # plain (unquoted, untagged): the only values that are not text
                value = _plain_value(value, display_path, line, path)
            elif event.style == "|" or event.style == ">":
                blocks.add(path)
        else:
            value = {} if kind is MappingStartEvent else []
        if container is None:
            data = value
        elif key is _EXPECT_KEY:
            container.append(value)
        else:
            container[key] = value
            key = _EXPECT_KEY
        if kind is not ScalarEvent:
            open_parents.append((container, container_path, key))
            container, container_path, key = value, path, _EXPECT_KEY

    event = get_event()
    if event.__class__ is not StreamEndEvent:  # ``---`` and a second document
        raise ComposerError("expected a single document in the stream", document_start, "but found another document", event.start_mark)
    return data


def _parse_rest(get_event) -> None:
    """Parse the rest of the stream without building anything, so that its syntax errors are raised."""
    while True:
        event = get_event()
        if event is None or event.__class__ is StreamEndEvent:  # None: the end was already read
            return
        if event.__class__ is DocumentStartEvent:  # a second document: reported first, as before
            raise ComposerError("expected a single document in the stream", None, "but found another document", event.start_mark)


# --- characters no entry needs ----------------------------------------------------------------------------------

# C0 controls except tab and newline (CR included: YAML turns line breaks into newlines, so a CR in a value was
# written as the escape "\r"), DEL, C1 controls, and the bidi controls: embeddings and overrides U+202A–U+202E,
# isolates U+2066–U+2069, the marks U+200E/U+200F and the Arabic letter mark U+061C.
FORBIDDEN_CHARACTERS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_FORBIDDEN = re.compile(f"[{FORBIDDEN_CHARACTERS}]")
# Raw in the file, the reader itself refuses C0 (but tab, LF, CR: CR and CR LF are line breaks), DEL and C1 (but
# NEL, a line break too): these are stood in for by private-use characters while parsing.
_RAW_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SENTINEL_BASE = 0xF0000  # plane 15, private use: U+F0000 + the code point (all below U+00A0)
_SENTINELS = re.compile(f"[{chr(_SENTINEL_BASE)}-{chr(_SENTINEL_BASE + 0x9F)}]")
_SUBSTITUTED = re.compile(f"[{FORBIDDEN_CHARACTERS}{chr(_SENTINEL_BASE)}-{chr(_SENTINEL_BASE + 0x9F)}]")

_CHARACTER_NAMES = {
    0x00: "NUL 空字符",
    0x07: "BEL 响铃",
    0x08: "BS 退格",
    0x0B: "VT 垂直制表符",
    0x0C: "FF 换页符",
    0x0D: "CR 回车符",
    0x1B: "ESC 转义符，终端用它改变颜色和光标",
    0x7F: "DEL 删除符",
    0x85: "NEL 下一行",
    0x061C: "阿拉伯字母标记 ALM",
    0x200E: "从左到右标记 LRM",
    0x200F: "从右到左标记 RLM",
    0x202A: "从左到右嵌入 LRE",
    0x202B: "从右到左嵌入 RLE",
    0x202C: "方向格式结束 PDF",
    0x202D: "从左到右覆盖 LRO",
    0x202E: "从右到左覆盖 RLO",
    0x2066: "从左到右隔离 LRI",
    0x2067: "从右到左隔离 RLI",
    0x2068: "首字符方向隔离 FSI",
    0x2069: "方向隔离结束 PDI",
}
# How a double-quoted YAML scalar may spell a character: \xHH, \uHHHH, \UHHHHHHHH, or a one-letter escape.
_LETTER_ESCAPES = {0x00: "0", 0x07: "a", 0x08: "b", 0x0B: "v", 0x0C: "f", 0x0D: "r", 0x1B: "e", 0x85: "N"}


def _escape_pattern(code: int) -> re.Pattern[str]:
    spellings = [f"x{code:02x}"] if code <= 0xFF else []
    spellings += [f"u{code:04x}", f"U{code:08x}"]
    hex_forms = "|".join(re.escape(s[0]) + "(?i:" + s[1:] + ")" for s in spellings)
    letter = _LETTER_ESCAPES.get(code)
    return re.compile(r"(?<!\\)(?:\\\\)*\\(?:" + hex_forms + (f"|{letter}" if letter else "") + ")")


def _forbidden_message(character: str, escaped: str | None, where: str = "这段文字") -> str:
    """What the character is, where it came from and how to remove it, in Chinese."""
    code = ord(character)
    about = "，".join(part for part in (_CHARACTER_NAMES.get(code), escaped and f"写成了转义 “{escaped}”") if part)
    what = f"{_codepoint(code)}（{about}）" if about else _codepoint(code)
    if code >= 0x0600:
        return (
            f"{where}中有看不见的双向控制字符 {what}：它让文字显示的顺序与实际存储的不同，可以把名称或网址伪装成别的样子。"
            f"请删除它（VS Code 中可用“查找”的正则表达式模式搜索 \\u{code:04x}），需要时直接输入想显示的文字。"
        )
    if code == 0x0D:
        fix = "换行请直接另起一行（多行文字用 `字段: |`）。"
    else:
        fix = "它通常来自复制粘贴，网页上看不见，却会破坏导出的 CSV、GPX 等文件。"
    return f"{where}中有不允许的控制字符 {what}。请删除它后重新保存：{fix}"


class _Hygiene:
    """Finds a forbidden character in a key or value and raises a located problem for it."""

    def __init__(self, source: str, display_path: str, substituted: bool) -> None:
        self.source = source
        self.display_path = display_path
        self.substituted = substituted
        self.pattern = _SUBSTITUTED if substituted else _FORBIDDEN

    def refuse(self, event: Any, path: FieldPath, value: str, *, key: bool) -> None:
        found = self.pattern.search(value).group()
        if ord(found) >= _SENTINEL_BASE:
            found = chr(ord(found) - _SENTINEL_BASE)
        line, escaped = self._where(event, found)
        shown = tuple(_visible(part) if isinstance(part, str) else part for part in path)
        raise LoadError(
            Problem(self.display_path, line, dotted(shown), _forbidden_message(found, escaped, "字段名" if key else "这段文字"))
        )

    def _where(self, event: Any, character: str) -> tuple[int, str | None]:
        """The line holding the character, raw or escaped, within the scalar's lines; and the escape as written."""
        first, last = event.start_mark.line, event.end_mark.line
        lines = self.source.split("\n")[first : last + 1]
        for number, text in enumerate(lines, first + 1):
            if character in text and character != "\r":  # a raw CR ends a line (CR LF): the value's CR was escaped
                return number, None
        pattern = _escape_pattern(ord(character))
        for number, text in enumerate(lines, first + 1):
            match = pattern.search(text)
            if match:
                return number, "\\" + match.group().lstrip("\\")
        return first + 1, None


def _visible(text: str) -> str:
    """A key as it can be shown in a field path: forbidden characters written as \\uXXXX."""
    return _SUBSTITUTED.sub(lambda m: f"\\u{(ord(m.group()) % _SENTINEL_BASE):04x}", text)


_ANCHOR_MESSAGE = "不支持 YAML 锚点（&）和别名（*）：条目中请把内容直接写出来，不要引用其他位置。"
_MERGE_KEY_MESSAGE = "不支持合并键 `<<`：请把每个字段直接写出来。"


def _refuse_anchor_or_tag(event: Any, display_path: str, path: FieldPath) -> None:
    line = event.start_mark.line + 1
    if event.anchor is not None:
        raise LoadError(Problem(display_path, line, dotted(path), _ANCHOR_MESSAGE))
    tag = event.tag
    if tag.startswith("tag:yaml.org,2002:"):
        written = "!!" + tag[len("tag:yaml.org,2002:") :]
    elif tag.startswith("!"):
        written = tag
    else:  # a verbatim tag or one expanded from a %TAG directive
        written = f"!<{tag}>"
    raise LoadError(Problem(display_path, line, dotted(path), f"不支持 YAML 标签（{written}）：请删除它，直接写值（需要文字时加引号）。"))


# The strict resolver: YAML 1.2 core schema, minus the surprises. Only plain scalars are looked at.
_CONSTANTS = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("~", "null", "Null", "NULL", ""), None),
}
_NUMBER_START = frozenset("-+0123456789.")
_INT = re.compile(r"[-+]?[0-9]+").fullmatch
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?").fullmatch


def _plain_value(text: str, display_path: str, line: int, path: FieldPath) -> Any:
    """``true``/``false`` → bool, decimal digits → int, ``1.5``/``.5``/``1.5e3`` → float, ``~``/``null``/empty → None."""
    value = _CONSTANTS.get(text, text)
    if value is not text or text[0] not in _NUMBER_START:
        return value
    if _INT(text):
        digits = len(text) - (text[0] in "+-")
        if digits <= _MAX_INT_DIGITS:
            try:
                return int(text)  # decimal, also with leading zeros: ``08`` is 8
            except ValueError:  # an interpreter set to a lower limit than Python's default
                pass
        raise LoadError(
            Problem(display_path, line, dotted(path), f"数字太长（{digits} 位），无法读取。若这是编号或一段文字，请给它加上引号。")
        )
    if _FLOAT(text):
        return float(text)  # ``1.5e999`` is inf, as ``"1e999"`` becomes in the schema: the schema judges it
    return text


_OPENS_QUOTE = re.compile(r"""^\s*(?:-\s+)?[\w-]+:\s+(["'])(.*)$""")


def _unclosed_quote_before(lines: list[str], error_line: int | None) -> int | None:
    """libyaml reports an unclosed quote where the damage shows, often many lines later: find where it opened."""
    if error_line is None:
        return None
    for number in range(min(error_line, len(lines)), 0, -1):
        match = _OPENS_QUOTE.match(lines[number - 1])
        if match:
            quote, rest = match.groups()
            closing = rest.replace("\\" + quote, "") if quote == '"' else rest.replace("''", "")
            if quote not in closing:
                return number
    return None


def _codepoint(character: int | str) -> str:
    return f"U+{character if isinstance(character, int) else ord(character):04X}"


_YAML_REASONS = [
    ("found character '\\t' that cannot start any token", "不能用 Tab 缩进，请改用空格"),
    ("mapping values are not allowed", "这里不能出现英文冒号“:”。若文字中含有冒号，请给整段文字加上引号"),
    ("could not find expected ':'", "缺少英文冒号“:”，或缩进不一致"),
    ("did not find expected key", "缩进不一致，或列表项“- ”的位置不对"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("did not find expected '-' indicator", "列表项“- ”缩进不一致"),
    ("expected <block end>, but found", "缩进不一致，或引号没有成对（以引号开头的文字必须以同样的引号结尾）"),
    ("found unknown escape character", "双引号内的反斜杠“\\”无效，请改用单引号或去掉反斜杠"),
    ("exceeded maximum nesting depth", f"结构嵌套过深（条目最多 {MAX_DEPTH} 层），请检查括号“[ ]”“{{ }}”是否成对"),
    ("but found another document", "一个文件只能写一个条目（不要使用 `---` 分隔多个文档）"),
]


def _translate_yaml_error(exc: yaml.MarkedYAMLError) -> str:
    original = f"{exc.context or ''} {exc.problem or ''}".strip()
    for needle, chinese in _YAML_REASONS:
        if needle in original:
            return f"{chinese}。（原始信息：{original}）"
    return f"请检查缩进、冒号和引号。（原始信息：{original}）"


def read_text(path: Path, display_path: str) -> str:
    """The text of a content file: at most ``MAX_FILE_BYTES`` (never more is read), UTF-8."""
    with path.open("rb") as file:
        raw = file.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            size = os.fstat(file.fileno()).st_size
            raise LoadError(
                Problem(
                    display_path,
                    1,
                    "",
                    f"文件过大（{size / 1024:,.0f} KiB，上限为 {MAX_FILE_BYTES // 1024} KiB）。条目文件一般只有几 KiB："
                    "请检查是否误粘贴了大段内容，或把长文拆成几个条目。",
                )
            )
    return decode_utf8(raw, display_path)


def load_entry(path: Path, content_root: Path) -> RawEntry:
    """Read one entry file. Raises ``LoadError`` carrying one located ``Problem``."""
    display_path = path.relative_to(content_root.parent).as_posix()
    text = read_text(path, display_path)
    blocks: set = set()
    data, lines = parse_yaml(text, display_path, blocks)
    if not isinstance(data, dict):
        raise LoadError(Problem(display_path, 1, "", "条目文件的顶层必须是“字段: 值”的映射，而不是列表或单个值。"))
    return RawEntry(path, display_path, path.parent.name, path.stem, data, lines, frozenset(blocks))
