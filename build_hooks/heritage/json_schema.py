"""JSON Schema files for editors' tools (VS Code's YAML extension completes and checks fields with them).

Generated from the one schema; ``tests/test_json_schema.py`` fails when the committed files are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from .schema import COLLECTIONS

SCHEMA_FILES = {"sites": "site.schema.json", "oral-history": "oral-history.schema.json"}


def json_schema(collection: str) -> dict:
    schema = COLLECTIONS[collection].model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def render_schema(collection: str) -> str:
    return json.dumps(json_schema(collection), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for collection, name in SCHEMA_FILES.items():
        path = out_dir / name
        path.write_text(render_schema(collection), encoding="utf-8")
        written.append(path)
    return written
