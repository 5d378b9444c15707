"""The MkDocs adapter: which entries `build` and `serve` include, how a content error stops MkDocs, the preview
through the post-build step's own function, and the plan handed to `python -m heritage build`."""

from __future__ import annotations

import shutil
from pathlib import Path

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


# --- no empty doors: the sidebar follows the pages this build made --------------------------------------------------


def _nav_titles(nav) -> set[str]:
    return {next(iter(item)) for item in nav if isinstance(item, dict)}


def test_the_sidebar_has_no_section_for_a_collection_without_a_page(hooks, tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    lesson = content / "lessons" / "theta-lesson.yml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("status: published", "status: draft", 1), encoding="utf-8")
    monkeypatch.setenv("HERITAGE_CONTENT_DIR", str(content))
    config, files = _dispatched("build")
    titles = _nav_titles(config.nav)
    assert "教案" not in titles and {"首页", "红色遗址", "口述史", "地图"} <= titles
    assert "lessons/index.md" not in {f.src_uri for f in files}
    # The preview shows the draft lesson, so its section is back.
    config, _files = _dispatched("serve")
    assert "教案" in _nav_titles(config.nav)


# --- the preview shows content errors in the browser ---------------------------------------------------------------

HOSTILE_STREET = "<img src=x onerror=alert(1)>"


def _broken_content(tmp_path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    entry = content / "sites" / "alpha-hq.yml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("street: 葵涌街道", f'street: "{HOSTILE_STREET}"', 1), encoding="utf-8")
    return content


def test_serve_shows_content_errors_on_every_page_instead_of_stopping(hooks, tmp_path, monkeypatch):
    monkeypatch.setenv("HERITAGE_CONTENT_DIR", str(_broken_content(tmp_path)))
    config = load_config(str(ROOT / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=True)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(Files([]), config=config)  # no Abort: the preview keeps running
    assert not list(files)
    site = tmp_path / "site"
    (site / "about").mkdir(parents=True)
    (site / "about" / "index.html").write_text("<p>旧页面</p>", encoding="utf-8")  # a page of an earlier build
    config.site_dir = str(site)
    config.plugins.on_post_build(config=config)
    for page in (site / "index.html", site / "about" / "index.html", site / "sites" / "index.html"):
        text = page.read_text(encoding="utf-8")
        assert "内容有错误，预览已暂停" in text and 'lang="zh-CN"' in text
        assert "sites/alpha-hq.yml:8</code> 字段 <code>street</code>" in text
        assert "&lt;img src=x onerror=alert(1)&gt;" in text and HOSTILE_STREET not in text
        assert page.stat().st_mtime == 0  # the next good (dirty) build writes it again


def test_a_build_still_stops_on_content_errors(hooks, tmp_path, monkeypatch):
    monkeypatch.setenv("HERITAGE_CONTENT_DIR", str(_broken_content(tmp_path)))
    with pytest.raises(Abort) as info:
        generated_uris(hooks, "build")
    assert "street" in str(info.value)


def _get(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""


def _wait_for(url: str, words: str, seconds: float) -> str:
    import time

    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        status, text = _get(url)
        if status == 200 and words in text:
            return text
        time.sleep(0.3)
    raise AssertionError(f"{url} did not show {words!r} within {seconds} s:\n{text[:2000]}")


@pytest.mark.site
@pytest.mark.browser
def test_make_serve_shows_a_broken_entry_in_the_browser_and_recovers(tmp_path, browser):
    """The real `mkdocs serve` as `make serve` runs it: a broken entry shows the Chinese error page within seconds,
    on every page; the open page reloads by itself after the fix."""
    import os
    import socket
    import subprocess
    import sys
    import time

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "HERITAGE_CONTENT_DIR": str(content), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "--no-strict", "--dev-addr", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_for(base + "sites/alpha-hq/", "甲村东江纵队司令部测试旧址", 120)
        page = browser.new_page()
        page.goto(base + "sites/alpha-hq/")
        assert "甲村东江纵队司令部测试旧址" in page.title()

        entry = content / "sites" / "alpha-hq.yml"
        good = entry.read_text(encoding="utf-8")
        saved = time.monotonic()
        entry.write_text(good.replace("street: 葵涌街道", f'street: "{HOSTILE_STREET}"', 1), encoding="utf-8")
        page.wait_for_selector("text=内容有错误，预览已暂停", timeout=30_000)  # live reload, no navigation
        assert time.monotonic() - saved < 30
        shown = page.inner_text("main")
        assert "alpha-hq.yml:8" in shown and "street" in shown and HOSTILE_STREET in shown  # shown as text …
        assert page.evaluate("document.querySelectorAll('img').length") == 0  # … never as markup
        assert "内容有错误" in _wait_for(base + "oral-history/beta-record/", "内容有错误", 10)  # every page
        assert "内容有错误" in _wait_for(base, "内容有错误", 10)
        assert "内容有错误" in _wait_for(base + "about/", "内容有错误", 10)  # a hand-written page too

        entry.write_text(good, encoding="utf-8")
        page.wait_for_selector("h1:has-text('甲村东江纵队司令部测试旧址')", timeout=30_000)
        _wait_for(base + "oral-history/beta-record/", "片段", 30)
        assert "内容有错误" not in _wait_for(base + "about/", "编辑原则", 30)  # the dirty rebuild wrote it again
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
