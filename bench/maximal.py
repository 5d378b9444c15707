"""The benchmark's worst single entry: every text field of every collection at the longest its schema allows, built
for real. Prints wall time, peak memory and the largest page; nothing asserts (issue 16: a name's cost must be
linear in its length, a maximal entry must build well under 1 GB).

    PYTHONPATH=build_hooks .venv/bin/python bench/maximal.py          # the fixture entries, every field at its maximum
    PYTHONPATH=build_hooks .venv/bin/python bench/maximal.py --keep   # keep the content and site to look at

How: the fixture content (tests/fixtures/site/content, one entry or more of every collection) is copied; every
string the schema declares with a ``maxLength`` (names, titles, aliases, segment titles, summaries, transcripts,
notes …) is filled to that length with Han characters that rarely repeat (a repeated run would shrink the search
names block and flatter the figures), every list of such strings gets as many items as its ``maxItems`` allows
(up to ``--max-items``), and each body grows to the longest body allowed, with ``##`` headings at the longest a
heading may be. A value validation refuses (a pattern, a cross-field rule) is put back as it was, so the content
always builds. Then ``python -m heritage build`` builds it into a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "site" / "content"
# Used when the schema does not say (assumed limits of issue 16; the schema's own numbers win when it has them).
DEFAULT_LABEL = 100
DEFAULT_BODY = 50_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="keep the generated content and site")
    parser.add_argument("--max-items", type=int, default=20, help="the most items given to a list of texts (default 20)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "build_hooks"))
    work = Path(tempfile.mkdtemp(prefix="heritage-maximal-"))
    try:
        content, filled = write_maximal_content(work, args.max_items)
        print(
            f"{filled['strings']} texts at their maximum length ({filled['characters']:,} characters), "
            f"{filled['restored']} put back by validation, bodies of {filled['body']:,} characters"
        )
        figures = build(content, work / "site")
        for key, value in figures.items():
            print(f"  {key}: {value}")
    finally:
        if args.keep:
            print(f"content and site kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def write_maximal_content(work: Path, max_items: int) -> tuple[Path, dict]:
    from heritage.collections.registry import REGISTRY
    from heritage.core import schema
    from heritage.stages.load import load_entry

    content = work / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    rng = random.Random(20261201)
    label_max = getattr(schema, "LABEL_MAX", DEFAULT_LABEL)
    body_max = getattr(schema, "LONG_TEXT_MAX", DEFAULT_BODY)
    totals = {"strings": 0, "characters": 0, "restored": 0, "body": body_max}
    for collection in REGISTRY:
        json_schema = collection.model.model_json_schema()
        for path in sorted((content / collection.name).glob("*.yml")):
            raw = load_entry(path, content)
            data = raw.data
            _grow_lists(data, json_schema, json_schema, max_items, rng)
            changed = _fill(data, (), json_schema, json_schema, rng)
            if isinstance(data.get("body"), str):
                data["body"] = _long_body(data["body"], body_max, label_max, rng)
            restored = _keep_what_validates(path, content, collection.model, data, changed)
            totals["strings"] += len(changed) - restored
            totals["characters"] += sum(len(v) for p, (v, _) in changed.items())
            totals["restored"] += restored
    return content, totals


def _han(rng: random.Random, n: int) -> str:
    """n Han characters of the common range, few repeats."""
    return "".join(chr(rng.randrange(0x4E00, 0x9FA6)) for _ in range(n))


def _resolve(node: dict, root: dict) -> dict:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _branches(node: dict, root: dict) -> list[dict]:
    node = _resolve(node, root)
    branches = node.get("anyOf") or node.get("oneOf") or node.get("allOf") or [node]
    return [_resolve(b, root) for b in branches]


def _child(node: dict, key: Any, root: dict) -> dict | None:
    for branch in _branches(node, root):
        if isinstance(key, int) and branch.get("type") == "array" and "items" in branch:
            return branch["items"]
        if isinstance(key, str) and key in branch.get("properties", {}):
            return branch["properties"][key]
    return None


def _text_limit(node: dict, root: dict) -> int | None:
    """The maxLength of a plain-text string (not an id, date, URL or path: those have their own patterns)."""
    for branch in _branches(node, root):
        if branch.get("type") == "string" and "maxLength" in branch and "enum" not in branch and "format" not in branch:
            pattern = branch.get("pattern", "")
            if not pattern or pattern.startswith("^(?!") or pattern == r"\S":
                return int(branch["maxLength"])
    return None


def _grow_lists(data: Any, node: dict, root: dict, max_items: int, rng: random.Random) -> None:
    """Lists of plain texts get as many items as allowed (each filled later)."""
    if isinstance(data, dict):
        for key, value in data.items():
            child = _child(node, key, root)
            if child is not None:
                if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                    items = _child(child, 0, root)
                    limit = next((b.get("maxItems") for b in _branches(child, root) if b.get("type") == "array"), None)
                    if items is not None and _text_limit(items, root) and limit:
                        value.extend(_han(rng, 4) for _ in range(min(limit, max_items) - len(value)))
                else:
                    _grow_lists(value, child, root, max_items, rng)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            child = _child(node, index, root)
            if child is not None:
                _grow_lists(value, child, root, max_items, rng)


def _fill(data: Any, path: tuple, node: dict, root: dict, rng: random.Random) -> dict:
    """Every plain-text string at its maxLength; returns {path: (new value, old value)}."""
    changed: dict = {}
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in list(items):
        child = _child(node, key, root)
        if child is None or key == "body":
            continue
        if isinstance(value, str):
            limit = _text_limit(child, root)
            if limit:
                data[key] = _han(rng, limit)
                changed[(*path, key)] = (data[key], value)
        else:
            changed.update(_fill(value, (*path, key), child, root, rng))
    return changed


def _long_body(body: str, body_max: int, label_max: int, rng: random.Random) -> str:
    """The entry's own body (its footnotes cite its sources) grown to body_max characters with long headings and
    paragraphs."""
    out = body.rstrip("\n")
    section = 0
    while True:
        section += 1
        heading = f"\n\n## {_han(rng, label_max)}\n\n"
        paragraph = "。".join(_han(rng, 60) for _ in range(30)) + "。"
        room = body_max - len(out) - 1
        if room < len(heading) + 10:
            break
        out += heading + paragraph[: room - len(heading)]
    return out + "\n"


def _keep_what_validates(path: Path, content: Path, model: type, data: dict, changed: dict) -> int:
    """Write the entry; put back every filled value whose field validation refuses. Returns how many."""
    from heritage.core.entry import dotted
    from heritage.stages.load import load_entry
    from heritage.stages.validate import validate_entry

    restored = 0
    for _ in range(10):
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is YAML
        raw = load_entry(path, content)
        _, problems = validate_entry(raw, model)
        refused = {p.field for p in problems if p.severity.value == "error"}
        if not refused:
            break
        back = [p for p in changed if any(dotted(p) == f or dotted(p).startswith((f + ".", f + "[")) for f in refused if f)]
        if not back:
            raise SystemExit(
                f"{path.name}: validation refuses {sorted(refused)} — fix bench/maximal.py\n" + "\n".join(map(str, problems[:5]))
            )
        for field_path in back:
            target = data
            for part in field_path[:-1]:
                target = target[part]
            target[field_path[-1]] = changed.pop(field_path)[1]
            restored += 1
    return restored


def build(content: Path, site: Path) -> dict:
    timings = site.parent / "timings.jsonl"
    env = {
        **os.environ,
        "HERITAGE_CONTENT_DIR": str(content),
        "HERITAGE_TIMINGS": str(timings),
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": str(ROOT / "build_hooks"),
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "heritage", "--content", str(content), "build", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    recorded = [json.loads(line) for line in timings.read_text().splitlines()] if timings.exists() else []
    pages = sorted(((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")), reverse=True)
    files = [p for p in site.rglob("*") if p.is_file()]
    return {
        "wall_seconds": round(wall, 2),
        "peak_memory_mb (largest child, ru_maxrss)": round(max(peak, before) / 1024, 1) if peak > before else "unchanged",
        "search_index_peak_memory_mb (Pagefind)": max((r.get("search_index_peak_mb") or 0 for r in recorded), default="?"),
        "pipeline_seconds": round(sum(r.get("pipeline_seconds", 0) for r in recorded), 2),
        "largest_page": f"{pages[0][1]} {pages[0][0] / 1024:.1f} KB",
        "next_largest": ", ".join(f"{name} {size / 1024:.0f} KB" for size, name in pages[1:4]),
        "site_mb": round(sum(p.stat().st_size for p in files) / 1024**2, 1),
        "files": len(files),
    }


if __name__ == "__main__":
    sys.exit(main())
