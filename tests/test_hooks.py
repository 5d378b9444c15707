"""The MkDocs adapter: which entries `build` and `serve` include, and how a content error stops MkDocs."""

from __future__ import annotations

import shutil

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.files import Files

from conftest import FIXTURE_CONTENT, ROOT


@pytest.fixture
def hooks(monkeypatch):
    """The hook as MkDocs loads it from mkdocs.yml, driven through MkDocs' own event dispatch."""
    monkeypatch.setenv("HERITAGE_CONTENT_DIR", str(FIXTURE_CONTENT))


def generated_uris(hooks, command: str) -> set[str]:
    config = load_config(str(ROOT / "mkdocs.yml"))
    config.plugins.on_startup(command=command, dirty=False)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(Files([]), config=config)
    return {f.src_uri for f in files}


def test_build_includes_published_entries_only(hooks):
    uris = generated_uris(hooks, "build")
    assert "sites/alpha-hq.md" in uris
    assert "sites/delta-draft.md" not in uris and "sites/epsilon-review.md" not in uris


def test_serve_previews_drafts_and_reviews(hooks):
    uris = generated_uris(hooks, "serve")
    assert {"sites/delta-draft.md", "sites/epsilon-review.md"} <= uris


def test_serve_can_show_exactly_the_production_set(hooks, monkeypatch):
    monkeypatch.setenv("HERITAGE_PREVIEW", "0")
    assert "sites/delta-draft.md" not in generated_uris(hooks, "serve")


def test_content_error_aborts_with_the_report(hooks, tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "sites" / "gamma-memorial.yml").write_text("status: published\n", encoding="utf-8")
    monkeypatch.setenv("HERITAGE_CONTENT_DIR", str(content))
    with pytest.raises(Abort) as info:
        generated_uris(hooks, "build")
    assert "content/sites/gamma-memorial.yml:1 name: 缺少必填字段" in str(info.value)


def test_demo_records_can_be_switched_off(hooks, monkeypatch):
    assert "oral-history/beta-record.md" in generated_uris(hooks, "build")
    monkeypatch.setenv("HERITAGE_DEMO", "0")
    assert "oral-history/beta-record.md" not in generated_uris(hooks, "build")


def test_a_symlink_in_docs_out_of_the_project_stops_the_build(hooks, tmp_path):
    """MkDocs copies whatever docs/ holds: a link to a file of the build machine must not be published."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "leak.txt").symlink_to("/etc/hostname")
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    from mkdocs.structure.files import get_files

    with pytest.raises(Abort) as info:
        config.plugins.on_files(get_files(config), config=config)
    assert "docs/leak.txt" in str(info.value) and "符号链接" in str(info.value)
