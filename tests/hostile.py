"""Hostile content for tests: the fixture entries with every text field their rules accept made hostile."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from conftest import FIXTURE_CONTENT
from heritage.load import _dotted, load_entry
from heritage.registry import REGISTRY
from heritage.validate import validate_entry

HOSTILE = (
    '<script>alert("s")</script>"><img src=x onerror=alert(1)>\'><svg onload=alert(2)>'
    "[链接](javascript:alert(3)) <javascript:alert(4)> {: onclick=alert(5) } {onclick} "
    "{{ 7*7 }}{% if true %}x{% endif %} &lt;b&gt; | cell | `code` **b** ---"
)
MULTILINE = HOSTILE + "\n\n    indented code\n# heading\n[ref]: javascript:alert(6)\n\n<iframe src=//evil.example>"
MARKERS = ("onerror", "onload", "onclick", "javascript:", "<script", "<iframe", "<svg", "<img src=x")


def _hostile_entry(raw_path: Path, content: Path, model: type) -> None:
    """Replace every string the schema and rules accept by a hostile one; restore those they refuse."""
    raw = load_entry(raw_path, content)
    data = raw.data
    paths = [p for p, v in raw.nodes if isinstance(v, str) and p and p[-1] not in ("body",)]
    originals = {p: _get(data, p) for p in paths}
    for path in paths:
        _set(data, path, MULTILINE if len(originals[path]) > 40 else HOSTILE)
    for _ in range(10):  # each round restores the fields whose rules refused the value
        raw.validated = None
        raw._nodes = None
        model_instance, problems = validate_entry(raw, model)
        refused = {p.field for p in problems if p.severity.value == "error"}
        restore = [
            p
            for p in paths
            if _dotted(p) in refused or any(_dotted(p).startswith(f + ".") or _dotted(p).startswith(f + "[") for f in refused if f)
        ]
        if not restore:
            break
        for path in restore:
            _set(data, path, originals[path])
            paths.remove(path)
    _write_yaml(raw_path, data)


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _write_yaml(path: Path, data: Any) -> None:
    # JSON is YAML: every string quoted and escaped, so the file says exactly what the data holds.
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def make_hostile_content(root: Path) -> Path:
    content = root / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for collection in REGISTRY:
        for path in sorted((content / collection.name).glob("*.yml")):
            _hostile_entry(path, content, collection.model)
    return content
