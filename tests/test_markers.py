"""The fast tier is honest: every test that runs a real build or a browser says so with `site` or `browser`.

`make test-fast` runs ``pytest -m "not browser and not site"``. A test that calls a real build (``mkdocs_build``, the
command line's build / release / offline) or uses a fixture that does (``fixture_site``, ``shipped_site``, a browser
``page``) without one of those markers would slip into the fast tier and make it slow.
"""

from __future__ import annotations

import ast
import re

from conftest import ROOT

BUILDS = re.compile(r'mkdocs_build\(|run_cli\([^)]*"(build|release|offline)"|sync_playwright|\.chromium\.launch')
BUILT_FIXTURES = {"fixture_site", "shipped_site", "served_site", "browser", "page", "offline_browser"}


def _marks(source: str, nodes: list[ast.expr]) -> set[str]:
    return set(re.findall(r"mark\.(site|browser)\b", "".join(ast.get_source_segment(source, n) or "" for n in nodes)))


def unmarked_builds() -> list[str]:
    found = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        module_marks = _marks(source, [n.value for n in tree.body if isinstance(n, ast.Assign) and "pytestmark" in ast.dump(n)])
        helpers = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("test_")}
        for node in tree.body:
            if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")):
                continue
            if module_marks | _marks(source, node.decorator_list):
                continue
            arguments = {a.arg for a in node.args.args}
            # The test's own text and that of the module's fixtures it takes (one level, as builds are set up).
            text = ast.get_source_segment(source, node) + "".join(
                ast.get_source_segment(source, helpers[a]) for a in arguments if a in helpers
            )
            if BUILDS.search(text) or arguments & BUILT_FIXTURES:
                found.append(f"{path.name}::{node.name}")
    return found


def test_every_test_that_builds_or_drives_a_browser_is_marked():
    assert unmarked_builds() == []


def test_the_check_finds_an_unmarked_build(tmp_path, monkeypatch):
    """The check itself can fail: an unmarked test using the built fixture site is found."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_example.py").write_text("def test_page_exists(fixture_site):\n    assert fixture_site\n", encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert unmarked_builds() == ["test_example.py::test_page_exists"]
