"""The schema, read as a list of documented fields: one walk over the pydantic models serves the editors'
field dictionary page, the `make new` scaffold, and anything else that must not be hand-copied from the schema."""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from heritage.core import schema, vocab

if TYPE_CHECKING:  # pragma: no cover
    from heritage.core.catalog import PageContext


@dataclass
class FieldDoc:
    key: str  # the YAML key
    path: str  # e.g. ``sources[].id``
    depth: int
    description: str
    required: bool
    kind: str  # Chinese type label
    allowed: list[str]
    example: Any
    model: type[BaseModel] | None  # nested mapping (or list item mapping)
    is_list: bool


def _unwrap(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """(core type, is a list, metadata) — through Optional, list[...] and Annotated."""
    is_list = False
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            metadata += list(annotation.__metadata__)
            annotation = annotation.__origin__
        elif origin is typing.Union:
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        elif origin is list:
            is_list = True
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation, is_list, metadata


def _kind(core: Any, metadata: list[Any]) -> tuple[str, list[str], Any]:
    """Chinese label, allowed values, default example."""
    validators = {getattr(getattr(m, "func", None), "__name__", "") for m in metadata}
    if typing.get_origin(core) is Literal:
        values = [str(v) for v in typing.get_args(core)]
        return "固定取值", values, values[0]
    if "_check_hist_date" in validators:
        return "日期（YYYY、YYYY-MM 或 YYYY-MM-DD）", [], "1943-12-02"
    if "_check_edtf_point" in validators:
        return "日期（EDTF：年、月、日、季节，可加 ~ 约、? 存疑）", [], "1943-12-02"
    if "_check_edtf" in validators:
        return "日期（EDTF：年、月、日、季节、约、存疑、区间或农历）", [], "1943-12-02"
    if "_check_timecode" in validators:
        return "时间码（HH:MM:SS，加引号）", [], "00:05:30"
    if "_check_url" in validators:
        return "网址", [], "https://example.org/"
    if core is dt.date:
        return "日期（YYYY-MM-DD）", [], dt.date.today().isoformat()
    if core is bool:
        return "true 或 false", ["true", "false"], False
    if core in (int, float):
        return "数字", [], 0
    if isinstance(core, type) and issubclass(core, BaseModel):
        return "映射（下一级字段）", [], None
    pattern = next((getattr(m, "pattern", None) for m in metadata if getattr(m, "pattern", None)), None)
    reference = next((m for m in metadata if isinstance(m, schema.Reference)), None)
    if reference is not None:
        return f"{reference.collection} 条目编号（文件名）", [], "tuyang-east-river-column-hq"
    if pattern == schema.SLUG_PATTERN:
        return "编号（小写字母、数字、连字符）", [], "tuyang-east-river-column-hq"
    return "文字", [], None


def describe(model: type[BaseModel], prefix: str = "", depth: int = 0) -> list[FieldDoc]:
    docs: list[FieldDoc] = []
    for name, info in schema.ordered_fields(model):
        key = info.alias or name
        core, is_list, metadata = _unwrap(info.annotation)
        metadata += list(info.metadata)
        kind, allowed, example = _kind(core, metadata)
        if info.examples:
            example = info.examples[0]
        nested = core if isinstance(core, type) and issubclass(core, BaseModel) else None
        path = f"{prefix}{key}{'[]' if is_list and nested else ''}"
        docs.append(
            FieldDoc(
                key=key,
                path=path,
                depth=depth,
                description=_description(info),
                required=info.is_required(),
                kind=f"列表，每项为{kind}" if is_list else kind,
                allowed=allowed,
                example=example,
                model=nested,
                is_list=is_list,
            )
        )
        if nested is not None:
            docs.extend(describe(nested, prefix=f"{path}.", depth=depth + 1))
    return docs


def _description(info: FieldInfo) -> str:
    if info.description:
        return info.description
    for item in info.metadata:  # Status carries its description inside Annotated
        if isinstance(item, FieldInfo) and item.description:
            return item.description
    return ""


FIELDS_URI = "fields.md"


def fields_context(renderer: PageContext) -> dict[str, Any]:
    """Template variables of fields.md.j2: every collection's fields, documented from its model."""
    collections = [{"label": c.label, "folder": c.name, "kind": c.kind, "fields": describe(c.model)} for c in renderer.registry]
    return {"collections": collections, "vocab_labels": vocab.value_labels(), "example": _example}


def _example(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
