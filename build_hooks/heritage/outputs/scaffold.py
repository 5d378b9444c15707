"""`make new`: a commented YAML template for a new entry, written from the schema (never hand-maintained).

Required fields are left empty for the editor to fill; optional fields are commented out with their explanation.
Filling in the required fields is enough for `make check` to pass: the new entry starts as a draft.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from heritage.collections.registry import REGISTRY
from heritage.core.catalog import Registry
from heritage.core.schema import SLUG_PATTERN
from heritage.core.vocab import value_labels
from heritage.pages.fields import FieldDoc, describe

# Values the scaffold fills in itself, so the editor starts from a valid draft.
PREFILLED = {"status": "draft", "updated": None}  # None: today's date


class ScaffoldError(Exception):
    """A refusal, in Chinese, for the editor."""


def kinds(registry: Registry = REGISTRY) -> list[tuple[str, str, str]]:
    """What ``make new KIND=`` accepts, from the registry: (kind, Chinese label, folder under content/)."""
    return [(c.kind, c.label, c.name) for c in registry]


def usage(registry: Registry = REGISTRY) -> str:
    """The usage text of ``make new`` (printed when KIND or ID is missing), listing every registered collection."""
    first = registry.collections[0]
    rows = "\n".join(f"  {kind:<14} {label}（content/{name}/）" for kind, label, name in kinds(registry))
    return f"用法：make new KIND=类型 ID=条目编号，例如 make new KIND={first.kind} ID=dapeng-fortress-cadre-school\nKIND 可以是：\n{rows}"


def scaffold(kind: str, entry_id: str, content_dir: Path, today: dt.date | None = None, registry: Registry = REGISTRY) -> Path:
    found = registry.by_kind(kind)
    if found is None:
        known = "、".join(f"{k}（{label}）" for k, label, _ in kinds(registry))
        raise ScaffoldError(f"不认识的条目类型 “{kind}”。可用：{known}。")
    collection = found.name
    if not re.fullmatch(SLUG_PATTERN, entry_id or ""):
        raise ScaffoldError(
            f"“{entry_id}” 不能作为条目编号：只能使用小写英文字母、数字和连字符，且不能以连字符开头或结尾，例如 dapeng-fortress-cadre-school。"
        )
    if entry_id in found.reserved_ids():
        raise ScaffoldError(f"“{entry_id}” 是保留名称（列表页使用），请换一个编号。")
    target = content_dir / collection / f"{entry_id}.yml"
    existing = [p for p in content_dir.glob(f"*/{entry_id}.yml")]
    if existing:
        raise ScaffoldError(
            f"编号 “{entry_id}” 已经存在：{existing[0].relative_to(content_dir.parent).as_posix()}。请换一个编号，或直接编辑该文件。"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template(collection, entry_id, today or dt.date.today(), registry), encoding="utf-8")
    return target


def template(collection: str, entry_id: str, today: dt.date, registry: Registry = REGISTRY) -> str:
    declared = registry[collection]
    docs = describe(declared.model)
    lines = [
        f"# yaml-language-server: $schema=../../schemas/{declared.schema_file}",
        f"# {declared.label}条目 content/{collection}/{entry_id}.yml（由 make new 生成）",
        "# 以 # 开头的行是说明，可以删除。填好所有【必填】字段后运行 make check。",
        "# 选填字段去掉行首的“# ”即可启用。字段说明见网站“参与编辑 → 字段说明”。",
        "",
    ]
    lines += _block(docs, depth=0, today=today, commented=False)
    return "\n".join(lines).rstrip() + "\n"


def _children(docs: list[FieldDoc], parent: FieldDoc) -> list[FieldDoc]:
    prefix = parent.path + "."
    return [d for d in docs if d.path.startswith(prefix)]


def _block(docs: list[FieldDoc], depth: int, today: dt.date, commented: bool) -> list[str]:
    out: list[str] = []
    here = [d for d in docs if d.depth == depth]
    for doc in here:
        indent = "  " * depth
        off = commented or not doc.required
        mark = "# " if off and not commented else ""
        lines = [f"{indent}# {_explain(doc)}"]
        if doc.model is not None:
            children = _children(docs, doc)
            child_lines = _block(children, depth + 1, today, commented=off)
            if doc.is_list:
                lines.append(f"{indent}{mark}{doc.key}:")
                lines.append(f"{indent}{mark}  -")
                lines += [f"{indent}{mark}  {line[len(indent) :]}" if mark else f"  {line}" for line in _reindent(child_lines, indent)]
            else:
                lines.append(f"{indent}{mark}{doc.key}:")
                lines += [f"{mark}{line}" if mark else line for line in child_lines]
        elif doc.is_list:
            lines.append(f"{indent}{mark}{doc.key}:")
            lines.append(f"{indent}{mark}  -")
        else:
            lines.append(f"{indent}{mark}{doc.key}: {_value(doc, today)}".rstrip())
        out += lines + ([""] if depth == 0 else [])
    return out


def _reindent(lines: list[str], indent: str) -> list[str]:
    return [line if line.startswith(indent) else indent + line for line in lines]


def _explain(doc: FieldDoc) -> str:
    """The comment above a field: required or not, meaning, allowed values or an example.

    Examples stay in the comment, never in the value: an uncommented field left as it was must fail the check
    rather than publish a sample as if it were a fact.
    """
    need = "【必填】" if doc.required else "【选填】"
    text = f"{need}{doc.description.rstrip('。')}"
    if doc.allowed:
        labels = value_labels()
        text += "。可选：" + "、".join(f"{v}（{labels[v]}）" if v in labels else v for v in doc.allowed)
    elif doc.example not in (None, "", [], False) and doc.model is None:
        example = doc.example[0] if isinstance(doc.example, list) else doc.example
        text += f"。例如：{example}"
    return text


def _value(doc: FieldDoc, today: dt.date) -> str:
    if doc.key in PREFILLED:
        value = PREFILLED[doc.key]
        return today.isoformat() if value is None else str(value)
    if len(doc.allowed) == 1:  # e.g. datum: WGS84 — nothing to choose
        return doc.allowed[0]
    return ""


if __name__ == "__main__":  # `make new` without KIND or ID
    print(usage())
