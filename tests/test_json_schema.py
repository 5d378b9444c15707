"""schemas/: generated from the one schema, never stale, and accepted by an independent JSON Schema validator."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from conftest import FIXTURE_CONTENT, ROOT
from heritage.collections.registry import REGISTRY
from heritage.outputs.json_schema import render_schema
from heritage.stages.load import load_entry

SCHEMA_FILES = {c.name: c.schema_file for c in REGISTRY}


@pytest.mark.parametrize("collection", SCHEMA_FILES)
def test_committed_schema_is_current(collection):
    committed = (ROOT / "schemas" / SCHEMA_FILES[collection]).read_text(encoding="utf-8")
    assert committed == render_schema(collection), "schemas/ is stale: run `make schemas` and commit the result"


@pytest.mark.parametrize("collection", SCHEMA_FILES)
def test_schema_is_valid_draft_2020_12(collection):
    jsonschema.Draft202012Validator.check_schema(json.loads(render_schema(collection)))


def _entries(root):
    for collection in SCHEMA_FILES:
        for path in sorted((root / collection).glob("*.yml")):
            yield collection, path


@pytest.mark.parametrize("root", [ROOT / "content", FIXTURE_CONTENT], ids=["shipped", "fixture"])
def test_every_entry_validates_against_its_json_schema(root):
    for collection, path in _entries(root):
        schema = json.loads(render_schema(collection))
        data = load_entry(path, root).data
        errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
        assert errors == [], f"{path.name}: {errors}"


def test_json_schema_rejects_what_the_pipeline_rejects():
    schema = json.loads(render_schema("sites"))
    data = load_entry(ROOT / "content" / "sites" / "tuyang-red-village.yml", ROOT / "content").data
    validator = jsonschema.Draft202012Validator(schema)
    for broken in [
        {**data, "sumary": "拼错的字段"},
        {**data, "street": "葵涌镇"},
        {**data, "location": {"lat": 122.5, "lng": 114.5, "datum": "WGS84", "source": "x"}},
        {k: v for k, v in data.items() if k != "name"},
    ]:
        assert list(validator.iter_errors(broken)), broken


def test_descriptions_are_chinese():
    schema = json.loads(render_schema("sites"))
    descriptions = [p["description"] for p in schema["properties"].values() if "description" in p]
    assert len(descriptions) == len(schema["properties"])
    assert all(any("\u4e00" <= c <= "\u9fff" for c in d) for d in descriptions)


def test_every_entry_names_its_schema_for_editors_tools():
    """Each entry's first line tells the YAML language server (VS Code, and other editors that use it) which schema
    checks it, as `make new` writes it: no per-collection editor setting to keep in step with the registry."""
    for collection in REGISTRY:
        expected = f"# yaml-language-server: $schema=../../schemas/{collection.schema_file}\n"
        for path in (ROOT / "content" / collection.name).glob("*.yml"):
            assert path.read_text(encoding="utf-8").startswith(expected), path
            assert (path.parent / "../../schemas" / collection.schema_file).resolve().is_file()
    assert "yaml.schemas" not in json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))


def _unbounded_strings(node, path=()):
    """String schemas an editor could fill without limit: no maxLength, enum, const or format (a date), and no anchored pattern of
    fixed shape (a date, a time code)."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"maxLength", "enum", "const", "format"} & node.keys():
            pattern = node.get("pattern", "")
            fixed_shape = pattern.startswith("^") and pattern.endswith("$") and not re.search(r"[*+]|,\}", pattern)
            if not fixed_shape:
                yield ".".join(map(str, path))
        for key, value in node.items():
            yield from _unbounded_strings(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _unbounded_strings(value, (*path, index))


@pytest.mark.parametrize("collection", SCHEMA_FILES)
def test_every_text_field_has_a_maximum_length(collection):
    assert list(_unbounded_strings(json.loads(render_schema(collection)))) == []


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", "袁" * 101),  # titles: at most 100 characters
        ("name", "<img/src=x onerror=alert(1)>"),  # tag-like text
        ("name", "土洋\u202e旧址"),  # a bidi override
        ("summary", "一段正常长度的简介，\u0000中间有空字符。"),
        ("aliases", ["别名" * 51]),
        ("body", "正" * 50_001),
    ],
)
def test_json_schema_tells_editors_the_limits_and_the_forbidden_text(field, value):
    schema = json.loads(render_schema("sites"))
    data = load_entry(ROOT / "content" / "sites" / "tuyang-red-village.yml", ROOT / "content").data
    assert list(jsonschema.Draft202012Validator(schema).iter_errors({**data, field: value}))
