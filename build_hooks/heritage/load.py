"""Read one YAML entry into plain Python data, keeping the line of every key and item.

Why not ``yaml.safe_load``: it silently keeps the last of two duplicate keys, forgets where anything was written,
and applies YAML 1.1's surprises (``no`` → False, ``00:42:10`` → 2530, unquoted dates → ``date`` objects).
Here only ``true``/``false`` are booleans, only plain decimal numbers are numbers, and dates stay strings so the
schema parses them and reports a bad date with its field name, like any other value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from .problems import Problem

FieldPath = tuple  # e.g. ("sources", 0, "url")


class _StrictResolver(BaseResolver):
    """YAML 1.2 core-schema-like resolution: fewer implicit types, no surprises."""


_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)

# libyaml's parser is about ten times faster than the pure-Python one; both give the same nodes and marks.
try:
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = None
if _Parser is not None:

    class _Loader(_Parser, SafeConstructor, _StrictResolver):  # type: ignore[misc,valid-type]
        def __init__(self, stream):
            _Parser.__init__(self, stream)
            SafeConstructor.__init__(self)
            _StrictResolver.__init__(self)

else:  # pragma: no cover - exercised only where libyaml is missing

    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Loader(Reader, Scanner, Parser, Composer, SafeConstructor, _StrictResolver):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            _StrictResolver.__init__(self)


@dataclass
class RawEntry:
    """An entry as read from disk, before validation."""

    path: Path  # real path on disk
    display_path: str  # what editors see in messages, e.g. ``content/sites/tuyang.yml``
    collection: str  # folder name, e.g. ``sites``
    id: str  # file name without ``.yml``
    data: dict[str, Any]
    lines: dict[FieldPath, int]  # 1-based line of each key (mapping) or item (sequence)
    block_scalars: frozenset = frozenset()  # paths written as ``key: |`` or ``key: >``: text starts on the next line
    validated: Any = field(default=None, compare=False, repr=False)  # (model, problems), set once by the pipeline
    linted: Any = field(default=None, compare=False, repr=False)  # (context key, problems), kept by lint.py
    _nodes: Any = field(default=None, compare=False, repr=False)

    def line_of(self, path: FieldPath) -> int | None:
        """The line of ``path``, or of its nearest written ancestor (a missing field is reported at its parent)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    @property
    def nodes(self) -> list[tuple[FieldPath, Any]]:
        """Every (field path, value) of the data, parents first: walked once, read by several checks."""
        if self._nodes is None:
            self._nodes = list(walk(self.data))
        return self._nodes

    def line_in_text(self, path: FieldPath, text: str, offset: int) -> int | None:
        """The line of character ``offset`` of the text at ``path`` (exact for block scalars such as ``body: |``)."""
        line = self.line_of(path)
        if line is None or tuple(path) not in self.block_scalars:
            return line
        return line + 1 + text.count("\n", 0, offset)


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
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:  # a control character such as NUL, often from a copy-paste
        line = text.count("\n", 0, exc.position) + 1
        raise LoadError(
            Problem(display_path, line, "", f"文件中有不允许的控制字符（{_codepoint(exc.character)}），请删除这一行中看不见的特殊字符后重新保存。")
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
    except RecursionError:  # thousands of nested brackets: the parser itself gives up
        raise LoadError(Problem(display_path, None, "", "结构嵌套过深，无法读取。请检查括号是否成对。")) from None
    except yaml.YAMLError as exc:  # e.g. a second document; no mark
        raise LoadError(Problem(display_path, None, "", f"YAML 语法错误：{exc}")) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        raise LoadError(
            Problem(display_path, 1, "", "文件是空的。请填写条目内容，或删除此文件（可用 `make new` 生成模板）。")
        )
    lines: dict[FieldPath, int] = {}
    data = _to_python(loader, node, (), lines, display_path, block_scalars if block_scalars is not None else set(), ())
    return data, lines


MAX_DEPTH = 12  # entries nest a few levels; anything deeper is a mistake (or an alias pointing at itself)


_STR = "tag:yaml.org,2002:str"


def _to_python(loader: _Loader, node: Node, path: FieldPath, lines: dict, display_path: str, blocks: set, parents: tuple) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in parents or len(parents) > MAX_DEPTH:
        raise LoadError(
            Problem(display_path, node.start_mark.line + 1, _dotted(path), "结构嵌套过深，或锚点（&）与别名（*）引用了自身。条目中请不要使用锚点和别名。")
        )
    parents = (*parents, id(node))
    if isinstance(node, MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise LoadError(
                    Problem(display_path, key_node.start_mark.line + 1, _dotted(path), "字段名必须是简单的文字。")
                )
            key = loader.construct_object(key_node)
            if not isinstance(key, str):
                raise LoadError(
                    Problem(display_path, key_node.start_mark.line + 1, _dotted(path), f"字段名必须是英文单词，不能是 {key!r}。")
                )
            if key in result:
                first = lines[(*path, key)]
                raise LoadError(
                    Problem(
                        display_path,
                        key_node.start_mark.line + 1,
                        _dotted((*path, key)),
                        f"字段重复：第 {first} 行已经写过 `{key}`。请删除其中一个（YAML 只会保留最后一个，前一个会被悄悄丢掉）。",
                    )
                )
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _to_python(loader, value_node, (*path, key), lines, display_path, blocks, parents)
        return result
    if isinstance(node, SequenceNode):
        return [_to_python(loader, item, (*path, i), lines, display_path, blocks, parents) for i, item in enumerate(node.value)]
    if node.style in ("|", ">"):
        blocks.add(path)
    if node.tag == _STR:  # most values: skip the constructor's bookkeeping
        return node.value
    try:
        return loader.construct_object(node)
    except yaml.constructor.ConstructorError as exc:
        raise LoadError(
            Problem(display_path, node.start_mark.line + 1, _dotted(path), f"无法识别的值：{exc.problem}")
        ) from None


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


def walk(data: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """Every node of loaded data with its field path, parents before children."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from walk(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from walk(value, (*path, index))


def _codepoint(character: int | str) -> str:
    return f"U+{character if isinstance(character, int) else ord(character):04X}"


def _dotted(path: FieldPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_YAML_REASONS = [
    ("found character '\\t' that cannot start any token", "不能用 Tab 缩进，请改用空格"),
    ("mapping values are not allowed", "这里不能出现英文冒号“:”。若文字中含有冒号，请给整段文字加上引号"),
    ("could not find expected ':'", "缺少英文冒号“:”，或缩进不一致"),
    ("did not find expected key", "缩进不一致，或列表项“- ”的位置不对"),
    ("found undefined alias", "引用了未定义的锚点（&/*）"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("did not find expected '-' indicator", "列表项“- ”缩进不一致"),
    ("expected <block end>, but found", "缩进不一致，或引号没有成对（以引号开头的文字必须以同样的引号结尾）"),
    ("found unknown escape character", "双引号内的反斜杠“\\”无效，请改用单引号或去掉反斜杠"),
    ("but found another document", "一个文件只能写一个条目（不要使用 `---` 分隔多个文档）"),
]


def _translate_yaml_error(exc: yaml.MarkedYAMLError) -> str:
    original = f"{exc.context or ''} {exc.problem or ''}".strip()
    for needle, chinese in _YAML_REASONS:
        if needle in original:
            return f"{chinese}。（原始信息：{original}）"
    return f"请检查缩进、冒号和引号。（原始信息：{original}）"


def load_entry(path: Path, content_root: Path) -> RawEntry:
    """Read one entry file. Raises ``LoadError`` carrying one located ``Problem``."""
    display_path = path.relative_to(content_root.parent).as_posix()
    text = decode_utf8(path.read_bytes(), display_path)
    blocks: set = set()
    data, lines = parse_yaml(text, display_path, blocks)
    if not isinstance(data, dict):
        raise LoadError(
            Problem(display_path, 1, "", "条目文件的顶层必须是“字段: 值”的映射，而不是列表或单个值。")
        )
    return RawEntry(path, display_path, path.parent.name, path.stem, data, lines, frozenset(blocks))
