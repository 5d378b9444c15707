"""Validate raw entries against their collection's schema and report every problem with its file and line.

Two layers: the pydantic model checks each field on its own; ``check_entry`` then checks what involves several
fields (every cited source is declared, segments are in order …). Pydantic's English messages are translated
here, once, so that editors read Chinese with the field path in English.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from heritage.core.dates import hist_date_bounds
from heritage.core.entry import FieldPath, RawEntry, dotted
from heritage.core.problems import Problem, Severity
from heritage.core.schema import LABEL_MAX, LONG_TEXT_MAX, SLUG_PATTERN, ordered_fields
from heritage.stages.support import check_disputes
from heritage.text.markdown_check import check_body

FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")


def validate_entry(raw: RawEntry, model_class: type[BaseModel]) -> tuple[BaseModel | None, list[Problem]]:
    """Return the typed entry (``None`` if the schema rejected it) and every problem found."""
    problems: list[Problem] = []
    if not re.fullmatch(SLUG_PATTERN, raw.id):
        problems.append(
            Problem(
                raw.display_path,
                None,
                "",
                f"文件名 “{raw.id}.yml” 不能作为条目编号：只能使用小写英文字母、数字和连字符，例如 tuyang-east-river-column-hq.yml",
            )
        )
    problems.extend(check_raw(raw))
    try:
        model = model_class.model_validate(raw.data)
    except ValidationError as exc:
        # A field already explained by check_raw (a source written inside the entry) is not explained twice.
        said = {p.field for p in problems}
        translated = (translate_error(raw, model_class, error) for error in exc.errors())
        problems.extend(p for p in translated if p.field not in said)
        return None, problems
    problems.extend(check_entry(raw, model))
    return model, problems


# --- pydantic errors in Chinese ---------------------------------------------------------------------------------

_DATE_ERRORS = {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_future", "date_past"}


def translate_error(raw: RawEntry, model_class: type[BaseModel], error: dict[str, Any]) -> Problem:
    """One pydantic error as a located Chinese problem for editors."""
    loc: FieldPath = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    field = dotted(loc)
    if kind == "missing":
        message = f"缺少必填字段 `{loc[-1]}`。"
    elif value is None and kind != "extra_forbidden":
        # `key:` with nothing after it, typically a scaffolded field not yet filled in.
        expected = re.findall(r"'([^']*)'", ctx.get("expected", "")) if kind == "literal_error" else []
        hint = f"可选的值：{'、'.join(expected)}。" if expected else ""
        message = f"还没有填写：冒号后面是空的。{hint}"
    elif kind == "extra_forbidden":
        allowed = _allowed_fields(model_class, loc[:-1], raw.data)
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        hint = f"是不是想写 `{guess[0]}`？" if guess else ""
        message = f"未知字段 `{loc[-1]}`。{hint}此处允许的字段：{', '.join(allowed)}。"
    elif kind == "literal_error" and isinstance(value, (list, dict)):
        expected = re.findall(r"'([^']*)'", ctx.get("expected", ""))
        message = f"应为一个值，现在是{_describe(value)}。允许的值：{'、'.join(expected)}。"
    elif kind == "literal_error":
        expected = re.findall(r"'([^']*)'", ctx.get("expected", ""))
        guess = difflib.get_close_matches(str(value), expected, n=1, cutoff=0.4)
        hint = f"是不是想写 “{guess[0]}”？" if guess else ""
        message = f"取值 “{value}” 不在允许范围内。{hint}允许的值：{'、'.join(expected)}。"
    elif kind == "string_type":
        message = f'应为文字，现在是 {_describe(value)}。数字、日期或时间码请加英文引号，例如 "1943"。'
    elif kind == "string_too_short":
        message = "不能为空。" if ctx.get("min_length", 1) <= 1 else f"太短：至少 {ctx['min_length']} 个字，现在 {len(value)} 个。"
    elif kind == "string_too_long":
        limit = ctx["max_length"]
        if limit >= LONG_TEXT_MAX:
            hint = "请删去误粘贴或重复的内容，或把长文拆成几个条目。"
        elif limit <= LABEL_MAX:
            hint = "名称、标题和别名要能在页面标题和目录中一行显示，请精简；说明写进 summary 或 body。"
        else:
            hint = "请精简，详细内容写进 body。"
        message = f"太长：最多 {limit:,} 个字，现在 {len(value):,} 个。{hint}"
    elif kind == "string_pattern_mismatch" and ctx.get("pattern") == SLUG_PATTERN:
        message = f"“{value}” 不是有效的编号：只能使用小写英文字母、数字和连字符，例如 tuyang-hq。"
    elif kind == "string_pattern_mismatch":
        message = f'“{value}” 含有不允许的字符：不能有空格或 < > & " / # ?。'
    elif kind in ("bool_type", "bool_parsing"):
        message = f"应为 true 或 false，现在是 {_describe(value)}。"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"应为整数，现在是 {_describe(value)}。"
    elif kind in ("float_type", "float_parsing"):
        message = f"应为数字，现在是 {_describe(value)}。"
    elif kind == "list_type":
        message = f"应为列表（每一项另起一行，以 “- ” 开头），现在是 {_describe(value)}。"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"应为包含子字段的映射（下一行缩进两个空格写“字段: 值”），现在是 {_describe(value)}。"
    elif kind in _DATE_ERRORS:
        message = f"日期格式应为 YYYY-MM-DD（例如 2026-11-26），且须是真实存在的日期，现在是 {_describe(value)}。"
    elif kind == "too_short":
        message = f"至少需要 {ctx.get('min_length')} 项，现在 {ctx.get('actual_length', 0)} 项。"
    elif kind == "too_long":
        message = f"最多 {ctx.get('max_length')} 项。"
    else:  # our own PydanticCustomError messages are already Chinese
        message = error["msg"]
    return Problem(raw.display_path, raw.line_of(loc), field, message)


def _describe(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return f"“{value}”"


def _allowed_fields(model_class: type[BaseModel], parent: FieldPath, data: Any) -> list[str]:
    """Names an editor may write at ``parent`` (aliases as written in YAML)."""
    current: Any = model_class
    for part in parent:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) or next((f for f in current.model_fields.values() if f.alias == part), None)
        if field is None:
            return []
        current = _model_in(field.annotation)
        if current is None:
            return []
    return [f.alias or name for name, f in ordered_fields(current)]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside ``Optional[X]`` / ``list[X]`` / ``X``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


# --- checks across fields ---------------------------------------------------------------------------------------


def check_raw(raw: RawEntry) -> list[Problem]:
    """Checks that need only the data as written, so they run even when the schema rejected the entry:
    an editor sees every problem in one run, not one layer after another."""
    problems = _check_source_references(raw)
    body = raw.data.get("body")
    if isinstance(body, str):
        problems += _check_markdown(raw, ("body",), body)
    return problems


def check_entry(raw: RawEntry, model: BaseModel) -> list[Problem]:
    """Checks across fields of a valid entry."""
    problems = _check_publication(raw, model)
    problems += _check_order(raw, model)
    problems += check_disputes(raw)  # accounts that say the same thing (dates as days, 农历 converted)
    # A collection's own rules across its fields (EntryBase.cross_checks: OralHistory, lessons.Lesson, routes.Route).
    cross_checks = getattr(model, "cross_checks", None)  # None: a nested model checked on its own
    if cross_checks is not None:
        problems += [_problem(raw, path, message) for path, message in cross_checks()]
    return problems


def _problem(raw: RawEntry, path: FieldPath, message: str, severity: Severity = Severity.ERROR) -> Problem:
    return Problem(raw.display_path, raw.line_of(path), dotted(path), message, severity)


# Fields that name one of the entry's sources (a birthplace may rest on another source than the birth date).
SOURCE_KEYS = frozenset({"source", "place_source"})


def _declared_sources(raw: RawEntry) -> dict[str, int]:
    sources = raw.data.get("sources")
    declared: dict[str, int] = {}
    for index, source in enumerate(sources if isinstance(sources, list) else []):
        if isinstance(source, str):
            declared.setdefault(source.strip(), index)
        elif isinstance(source, dict) and isinstance(source.get("id"), str):
            declared.setdefault(source["id"], index)  # written the old way (reported once, below): still its id
    return declared


def _check_source_references(raw: RawEntry) -> list[Problem]:
    problems: list[Problem] = []
    declared = _declared_sources(raw)
    sources = raw.data.get("sources")
    for index, source in enumerate(sources if isinstance(sources, list) else []):
        if isinstance(source, dict):
            problems.append(
                _problem(
                    raw,
                    ("sources", index),
                    "sources 只写来源编号（如 `- pe109`）；来源的标题、网址和摘录写在 content/sources/<编号>.yml 里（`make new KIND=source`）。",
                )
            )
        elif isinstance(source, str) and declared[source.strip()] != index:
            problems.append(_problem(raw, ("sources", index), f"来源编号 “{source}” 重复（第 {declared[source.strip()] + 1} 条已使用）。"))
    known = "、".join(declared) or "（尚未声明任何来源）"
    for path, value in raw.nodes:
        if path and path[-1] in SOURCE_KEYS and isinstance(value, str) and value not in declared:
            problems.append(_problem(raw, path, f"引用了未声明的来源 “{value}”。请在 sources 中添加，或改用已声明的编号：{known}。"))
    # Footnotes are read only in the body: anywhere else (a summary shown on cards, in search and share cards) the
    # marker would be printed as it is and the claim would look sourced without being so.
    for path, value in raw.nodes:
        if path and path[0] != "body" and isinstance(value, str) and FOOTNOTE_REF.search(value):
            marker = FOOTNOTE_REF.search(value).group(0)
            problems.append(
                _problem(
                    raw, path, f"脚注 {marker} 只能写在正文 body 里；这里的文字原样显示，读者会看到“{marker}”。请删去它，把出处标在正文中。"
                )
            )
    body = raw.data.get("body")
    for match in FOOTNOTE_REF.finditer(body if isinstance(body, str) else ""):
        if match.group(1) not in declared:
            problems.append(
                Problem(
                    raw.display_path,
                    raw.line_in_text(("body",), body, match.start()),
                    "body",
                    f"脚注 [^{match.group(1)}] 引用了未声明的来源。请在 sources 中添加，或改用已声明的编号：{known}。",
                )
            )
    return problems


def _check_publication(raw: RawEntry, model: BaseModel) -> list[Problem]:
    problems: list[Problem] = []
    if not model.NEEDS_SOURCES:
        return problems
    if model.is_published and not model.sources:
        problems.append(_problem(raw, ("sources",), "已发布的条目必须至少列出一条资料来源（sources）。"))
    if model.is_published and model.reviewed is None:
        problems.append(
            _problem(
                raw,
                ("status",),
                "已发布的条目必须有审核记录：请添加 `reviewed:`，下一行缩进写 `by: 审核人` 和 `date: YYYY-MM-DD`；尚未审核请把 status 改为 review。",
            )
        )
    return problems


# (model field holding the start, field holding the end, what the pair is) — ranges that must be in order.
_ORDERED_PAIRS = [("from_", "to", "起止年代"), ("published", "accessed", "发布与访问日期")]


def _check_order(raw: RawEntry, model: BaseModel) -> list[Problem]:
    """Every range is ordered: a period's end is not before its start, a source is not read before it appeared,
    a narrator is not recorded before being born. Walks every nested model, so new models get it too."""
    problems: list[Problem] = []
    for path, item in _models_in(model, ()):
        for start_name, end_name, what in _ORDERED_PAIRS:
            start, end = getattr(item, start_name, None), getattr(item, end_name, None)
            if start is None or end is None:
                continue
            if hist_date_bounds(start)[0] > hist_date_bounds(end)[1]:
                end_key = "to" if end_name == "to" else end_name
                problems.append(_problem(raw, (*path, end_key), f"{what}顺序颠倒：结束 {end} 早于开始 {start}。请检查是否写反。"))
    return problems


def _models_in(model: BaseModel, path: FieldPath) -> Iterator[tuple[FieldPath, BaseModel]]:
    yield path, model
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        key = info.alias or name
        if isinstance(value, BaseModel):
            yield from _models_in(value, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _models_in(item, (*path, key, index))


def _check_markdown(raw: RawEntry, path: FieldPath, text: str) -> list[Problem]:
    """The body is Markdown, but only the parts that cannot run code, load from another host or break the build.
    Checked on what the site's own Markdown parser makes of it (markdown_check.py), not on the source text."""
    return [
        Problem(raw.display_path, raw.line_in_text(path, text, issue.offset), dotted(path), issue.message) for issue in check_body(text)
    ]
