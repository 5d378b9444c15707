"""The offline package, used as a lecturer would: `python -m heritage offline` (make offline), unzipped into an empty
folder, started with its launcher, opened in Chromium that may reach nothing but the loopback address; search and
the recordings must work."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT
from test_cli import run_cli

pytestmark = [pytest.mark.browser, pytest.mark.site]

RECORD = "oral-history/demo-tuyang-memories/"
SIZE_BUDGET_MB = 30


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("offline")
    out = root / "dist" / "offline.zip"
    result = run_cli("--content", str(ROOT / "content"), "offline", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "离线包已生成" in result.stdout
    target = root / "unzipped"
    with zipfile.ZipFile(out) as archive:
        for info in archive.infolist():  # as unzip does: the files, with their permission bits
            archive.extract(info, target)
            mode = info.external_attr >> 16
            if mode:
                (target / info.filename).chmod(mode & 0o777)
    return out, target / "dapeng-heritage-offline"


def test_the_package_holds_the_site_the_servers_the_launchers_and_the_instructions(unpacked):
    out, folder = unpacked
    assert out.stat().st_size < SIZE_BUDGET_MB * 1024 * 1024
    assert (folder / "site" / "index.html").is_file()
    assert (folder / "site" / RECORD / "index.html").is_file()
    assert list((folder / "site" / "media").glob("*.opus"))  # the recordings come along
    for name in ("serve.py", "serve.ps1", "start-windows.bat", "start-mac.command", "start-linux.sh", "使用说明.txt"):
        assert (folder / name).is_file(), name
    for name in ("start-mac.command", "start-linux.sh", "serve.py"):
        assert os.access(folder / name, os.X_OK), name
    assert b"\r\n" in (folder / "start-windows.bat").read_bytes()  # cmd.exe wants Windows line ends
    instructions = (folder / "使用说明.txt").read_text(encoding="utf-8-sig")
    assert "start-windows.bat" in instructions and "127.0.0.1" in instructions
    assert not list((folder / "site").rglob("*.gz"))


def test_the_package_carries_the_release_policy(unpacked):
    """serve.py sends headers.json with every answer: the release's policy for this site (our origin only, the map
    tiles for images, inline scripts and styles by hash) and its other headers; the theme's icons are files."""
    from heritage.cli import _tile_hosts
    from heritage.outputs.release import SECURITY_HEADERS, content_security_policy

    _, folder = unpacked
    headers = json.loads((folder / "headers.json").read_text(encoding="utf-8"))
    assert headers == {
        "Content-Security-Policy": content_security_policy(folder / "site", _tile_hosts(ROOT / "mkdocs.yml")),
        **SECURITY_HEADERS,
    }
    policy = headers["Content-Security-Policy"]
    assert "media-src 'self';" in policy and "'unsafe-inline'" not in policy and "data:" not in policy
    assert not [sheet for sheet in (folder / "site").rglob("*.css") if "data:" in sheet.read_text(encoding="utf-8")]


@pytest.fixture(scope="module")
def running(unpacked):
    """start-linux.sh, as a lecturer would start it (only the browser is not opened: the test opens its own)."""
    _, folder = unpacked
    env = {**os.environ, "HERITAGE_OFFLINE_NO_BROWSER": "1"}
    process = subprocess.Popen(
        ["./start-linux.sh"], cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    url = None
    for _ in range(20):
        line = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if found:
            url = found.group(0)
            break
    try:
        assert url, "the server did not say where it is"
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the process group this test started, by its id
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def offline_browser():
    """Chromium that can reach nothing but 127.0.0.1: every other host resolves to nothing."""
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, LAUNCH_ARGS

    args = [*LAUNCH_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        yield browser
        browser.close()


@pytest.fixture
def page(offline_browser):
    context = offline_browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    outside: list[str] = []

    def only_loopback(route):
        host = urlparse(route.request.url).hostname
        if host == "127.0.0.1" or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_loopback)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert outside == [], outside
    assert violations == [], violations  # the pages work under the policy serve.py sends


def test_every_answer_of_the_running_package_carries_the_policy(unpacked, running):
    _, folder = unpacked
    expected = json.loads((folder / "headers.json").read_text(encoding="utf-8"))
    for path in ("", RECORD, "no-such-page/", "media/"):
        try:
            with urllib.request.urlopen(running + path, timeout=5) as response:
                headers = response.headers
        except urllib.error.HTTPError as error:
            headers = error.headers
        assert {name: headers[name] for name in expected} == expected, path


def test_search_works_offline(page, running):
    from test_search_browser import all_results, search

    assert "sites/yuan-geng-ancestral-home/" in search(page, running, "袁庚")
    # Many pages name the Column (the lessons and the provincial trail too): look past the first page of results.
    search(page, running, "东江纵队")
    assert "sites/tuyang-east-river-column-hq/" in all_results(page)


def test_recordings_play_and_seek_offline(page, running):
    page.goto(running + RECORD)
    page.wait_for_function("() => document.documentElement.dataset.ohReady === '1'")
    page.wait_for_function("() => isFinite(document.querySelector('audio').duration) && document.querySelector('audio').duration > 30")
    page.evaluate("(() => { const a = document.querySelector('audio'); a.muted = true; a.currentTime = 20; return a.play(); })()")
    page.wait_for_function("() => document.querySelector('audio').currentTime > 20.5", timeout=10000)
    src = page.evaluate("document.querySelector('audio').currentSrc")
    status, length = page.evaluate(
        "url => fetch(url, {headers: {Range: 'bytes=10-109'}}).then(r => r.arrayBuffer().then(b => [r.status, b.byteLength]))", src
    )
    assert (status, length) == (206, 100)


def test_pages_and_the_lesson_basket_work_offline(page, running):
    page.goto(running + "sites/tuyang-east-river-column-hq/")
    page.wait_for_function("() => document.documentElement.getAttribute('data-basket-ready') === '1'")
    page.click("article button.hb-add >> nth=0")
    page.goto(running + RECORD)
    page.wait_for_function("() => document.documentElement.getAttribute('data-basket-ready') === '1'")
    stored = page.evaluate("JSON.parse(localStorage.getItem('heritage-basket-v1'))")
    assert [item["title"] for item in stored] == ["土洋村东江纵队司令部旧址"]
    missing = page.goto(running + "no-such-page/")
    assert missing.status == 404
