"""JSON Schema files for editors' tools (VS Code's YAML extension completes and checks fields with them).

Generated from the one schema; ``tests/test_json_schema.py`` fails when the committed files are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from heritage.collections.registry import REGISTRY
from heritage.core.catalog import Registry


def json_schema(collection: str, registry: Registry = REGISTRY) -> dict:
    schema = registry[collection].model.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def render_schema(collection: str, registry: Registry = REGISTRY) -> str:
    return json.dumps(json_schema(collection, registry), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_schemas(out_dir: Path, registry: Registry = REGISTRY) -> list[Path]:
    """One file per collection of the registry (a new collection gets its schema file from ``make schemas``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for collection in registry:
        path = out_dir / collection.schema_file
        path.write_text(render_schema(collection.name, registry), encoding="utf-8")
        written.append(path)
    return written
