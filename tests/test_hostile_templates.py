"""Every template, every field, hostile values: nothing comes out live.

Each entry of the fixture content has every text field it accepts replaced by a hostile value (a script tag, an
attribute breakout, a ``javascript:`` link in Markdown, an attribute list, template syntax …). Fields whose rules
refuse such text (ids, dates, URLs, tags, the Markdown body) keep their value: the pipeline refuses them, which
tests/test_error_messages.py covers. The pages are rendered, converted with the site's own Markdown extensions and
parsed: the first wall (escaping in the templates) must already leave no tag, attribute or URL outside the
allowlist — without the sanitizer's help.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import markdown
import pytest

from heritage import build
from heritage.load import _dotted, load_entry
from heritage.markdown_check import SITE_MARKDOWN_CONFIG, SITE_MARKDOWN_EXTENSIONS
from heritage.registry import REGISTRY
from heritage.sanitize import html_violations, sanitize_page_html
from heritage.validate import validate_entry

from conftest import FIXTURE_CONTENT

TODAY = dt.date(2026, 11, 26)

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
        restore = [p for p in paths if _dotted(p) in refused or any(_dotted(p).startswith(f + ".") or _dotted(p).startswith(f + "[") for f in refused if f)]
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
    import json

    # JSON is YAML: every string quoted and escaped, so the file says exactly what the data holds.
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_content(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("hostile") / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for collection in REGISTRY:
        for path in sorted((content / collection.name).glob("*.yml")):
            _hostile_entry(path, content, collection.model)
    return content


@pytest.fixture(scope="module")
def pages(hostile_content) -> dict[str, str]:
    result = build(hostile_content, today=TODAY, include_unpublished=True)
    return result.pages


def test_hostile_values_reach_every_page(pages):
    """The harness works: hostile text is in the pages (as text), so the checks below mean something."""
    entry_pages = [uri for uri in pages if uri.count("/") == 1 and not uri.endswith("index.md")]
    assert len(entry_pages) >= 5
    for uri in entry_pages:
        assert "alert" in pages[uri], uri


@pytest.mark.parametrize("which", ["first-wall", "second-wall"])
def test_no_live_tag_attribute_or_url_on_any_page(pages, which):
    converter = markdown.Markdown(extensions=list(SITE_MARKDOWN_EXTENSIONS), extension_configs=SITE_MARKDOWN_CONFIG)
    for uri, page in pages.items():
        body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
        html = converter.reset().convert(body)
        if which == "second-wall":
            html = sanitize_page_html(html)
        assert html_violations(html) == [], uri
        lowered = html.lower()
        for marker in MARKERS:
            # a marker may appear as escaped text, never as markup
            assert not _live(lowered, marker), (uri, marker)


def _live(html: str, marker: str) -> bool:
    """Whether ``marker`` is markup: a tag of that name, an attribute of that name, or a URL with that scheme
    (the same words inside text or inside an id made from a title are harmless)."""
    from html.parser import HTMLParser

    found = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if marker.startswith("<"):
                found.extend([tag] if f"<{tag}" == marker.split()[0] and (" " not in marker or ("src", "x") in attrs) else [])
                return
            for name, value in attrs:
                if name == marker or (name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(marker)):
                    found.append((tag, name, value))

    Finder().feed(html)
    return bool(found)


def test_front_matter_and_titles_stay_text(pages):
    for uri, page in pages.items():
        front, _ = page[4:].split("\n---\n", 1) if page.startswith("---\n") else ("", page)
        assert "<script" not in front and "<img" not in front, uri
