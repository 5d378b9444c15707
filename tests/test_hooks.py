"""The MkDocs adapter: which entries `build` and `serve` include, how a content error stops MkDocs, the preview
through the post-build step's own function, and the plan handed to `python -m heritage build`."""

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


def _dispatched(command: str):
    config = load_config(str(ROOT / "mkdocs.yml"))
    config.plugins.on_startup(command=command, dirty=False)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(Files([]), config=config)
    return config, files


def _content(config, files, uri: str, html: str) -> str:
    from mkdocs.structure.pages import Page

    page = Page(None, files.get_file_from_path(uri), config)
    return config.plugins.on_page_content(html, page=page, config=config, files=files)


HOSTILE = '<h1 id="t">标题</h1><p onclick="alert(1)">正文</p><script>alert(2)</script>'


def test_serve_previews_pages_through_the_post_build_steps_function(hooks):
    """The live preview shows a generated page as the post-build step publishes it: one implementation."""
    from heritage.engines.postbuild import clean_content

    config, files = _dispatched("serve")
    entry = _content(config, files, "sites/alpha-hq.md", HOSTILE)
    listing = _content(config, files, "sites/index.md", HOSTILE)
    assert "<script" not in entry and "onclick" not in entry and entry.startswith('<div data-pagefind-body="">')
    assert 'data-pagefind-meta="title">甲村东江纵队司令部测试旧址<' in entry
    assert listing == clean_content(HOSTILE, None) and "data-pagefind" not in listing


def test_build_leaves_the_content_to_the_post_build_step(hooks):
    config, files = _dispatched("build")
    assert _content(config, files, "sites/alpha-hq.md", HOSTILE) == HOSTILE


def test_build_hands_the_post_build_plan_over_to_the_command(hooks, tmp_path, monkeypatch):
    """Under ``python -m heritage build`` the hook writes the plan and leaves the built site alone."""
    from heritage.engines.postbuild import Plan

    handover = tmp_path / "plan.json"
    monkeypatch.setenv("HERITAGE_HANDOVER", str(handover))
    config, _files = _dispatched("build")
    config.site_dir = str(tmp_path / "site")  # empty: the step would fail on it, handing over must not run it
    config.plugins.on_post_build(config=config)
    plan = Plan.from_json(handover.read_text(encoding="utf-8"))
    assert "sites/index.md" in plan.pages and "sites/alpha-hq.md" in plan.pages
    assert plan.records["sites/alpha-hq.md"].url == "sites/alpha-hq/" and "sites/index.md" not in plan.records
    assert "sites/delta-draft.md" not in plan.pages
    assert not (tmp_path / "site").exists()
