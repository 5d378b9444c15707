"""Hostile content for tests: the fixture entries with every text field their rules accept made hostile.

Two ways. ``make_hostile_content``: hostile values written into the YAML, as far as validation accepts them (what
it refuses is restored), to test the pipeline. ``make_marked_content`` + ``inject_payloads``: a plain marker in
every text field and in ``##`` headings, then, in the built HTML, each marker replaced by the escaped text of a
hostile payload (THEME_PAYLOADS), exactly what the templates write for that text: a page as it would be had the
validator let the payload through, to test what the theme and our scripts do with text on the page whatever the
validator refuses (the theme must never turn it back into markup).
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path
from typing import Any

from conftest import FIXTURE_CONTENT
from heritage.collections.registry import REGISTRY
from heritage.core.entry import dotted
from heritage.stages.load import load_entry
from heritage.stages.validate import validate_entry

HOSTILE = (
    '<script>alert("s")</script>"><img src=x onerror=alert(1)>\'><svg onload=alert(2)>'
    "[链接](javascript:alert(3)) <javascript:alert(4)> {: onclick=alert(5) } {onclick} "
    "{{ 7*7 }}{% if true %}x{% endif %} &lt;b&gt; | cell | `code` **b** ---"
)
# What is left hostile once tag-like text is refused in plain-text fields (schema.plain_text): Markdown links and
# attribute lists, template syntax, table and emphasis marks. Tried where HOSTILE is refused.
UNTAGGED = (
    "\"'> [链接](javascript:alert(3)) {: onclick=alert(5) } {onclick} "
    "{{ 7*7 }}{% if true %}x{% endif %} | cell | `code` **b** --- [ref]: javascript:alert(6)"
)
# The same within the shortest limit (a name or title: 100 characters), for the fields that refuse UNTAGGED as too long.
UNTAGGED_SHORT = "\"'> [链接](javascript:alert(3)) {: onclick=alert(5) } {{ 7*7 }} | cell | `code` **b** ---"
MULTILINE = HOSTILE + "\n\n    indented code\n# heading\n[ref]: javascript:alert(6)\n\n<iframe src=//evil.example>"
MARKERS = ("onerror", "onload", "onclick", "javascript:", "<script", "<iframe", "<svg", "<img src=x")


def _hostile_entry(raw_path: Path, content: Path, model: type, value_for=None) -> None:
    """Replace every string the schema and rules accept by a hostile one (``value_for(path, original)``, by default
    HOSTILE or MULTILINE, then UNTAGGED where those are refused); restore those they refuse."""
    raw = load_entry(raw_path, content)
    data = raw.data
    paths = [p for p, v in raw.nodes if isinstance(v, str) and p and p[-1] not in ("body",)]
    originals = {p: _get(data, p) for p in paths}
    fallback = {p: [] if value_for else [UNTAGGED, UNTAGGED_SHORT] for p in paths}  # tried in turn, then the original
    for path in paths:
        _set(data, path, value_for(path, originals[path]) if value_for else MULTILINE if len(originals[path]) > 40 else HOSTILE)
    for _ in range(12):  # each round gives the fields whose rules refused the value the next one
        raw.validated = None
        raw._nodes = None
        model_instance, problems = validate_entry(raw, model)
        refused = {p.field for p in problems if p.severity.value == "error"}
        restore = [
            p
            for p in paths
            if dotted(p) in refused or any(dotted(p).startswith(f + ".") or dotted(p).startswith(f + "[") for f in refused if f)
        ]
        if not restore:
            break
        for path in restore:
            if fallback[path]:
                _set(data, path, fallback[path].pop(0))
            else:
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


# Each payload, if the theme or a script ever re-read page text as HTML, would leave an element with the id
# "x-hostile", open a dialog, navigate away or fetch from another host (example.invalid).
THEME_PAYLOADS = (
    "<img src=x id=x-hostile onerror=alert('img')>",
    '<details/open/id="x-hostile"/ontoggle="alert(\'details\')">',
    "<script id=x-hostile>alert('script')</script>",
    '<svg/id="x-hostile"/onload="alert(\'svg\')">',
    '<iframe id=x-hostile src="https://example.invalid/frame"></iframe>',
    '<a/id="x-hostile"/href="javascript:alert(\'link\')">链接</a>',
    '<meta id=x-hostile http-equiv=refresh content="0;url=http://example.invalid/">',
    '<audio id=x-hostile src="https://example.invalid/track.mp3" autoplay>',
    "<details open id=x-hostile ontoggle=alert('details2')>",
    '<img/src="x"/id="x-hostile"/onerror="alert(\'img2\')">',
)


def marker(index: int) -> str:
    """The plain text standing for THEME_PAYLOADS[index] until ``inject_payloads`` (upper case: never in a slug)."""
    return f"QXHOSTILE{chr(ord('A') + index)}Q"


def make_marked_content(root: Path) -> Path:
    """The fixture content with a marker in every text field validation accepts (names, titles, aliases, segment
    titles, lesson and route titles, summaries …), the markers taken in turn, and a ``##`` heading with each marker
    added to every body."""
    content = root / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    turn = iter(range(10**6))

    def value_for(path: tuple, original: str) -> str:
        return f"测试{marker(next(turn) % len(THEME_PAYLOADS))}"

    for collection in REGISTRY:
        for path in sorted((content / collection.name).glob("*.yml")):
            _add_headings(path, content)
            _hostile_entry(path, content, collection.model, value_for)
    return content


def _add_headings(path: Path, content: Path) -> None:
    raw = load_entry(path, content)
    if not isinstance(raw.data.get("body"), str):
        return
    headings = "".join(f"\n\n## 第{i + 1}节{marker(i)}\n\n测试段落。" for i in range(len(THEME_PAYLOADS)))
    raw.data["body"] = raw.data["body"].rstrip("\n") + headings + "\n"
    _write_yaml(path, raw.data)


def inject_payloads(site: Path) -> int:
    """Replace each marker in every HTML file of a built site by its payload, escaped as the templates escape text
    (in text, attributes and titles alike). Returns how many markers were replaced."""
    count = 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        replaced = text
        for index, payload in enumerate(THEME_PAYLOADS):
            replaced = replaced.replace(marker(index), html.escape(payload, quote=True))
        if replaced != text:
            count += sum(text.count(marker(i)) for i in range(len(THEME_PAYLOADS)))
            page.write_text(replaced, encoding="utf-8")
    return count
