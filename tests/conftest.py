"""Shared test helpers: golden files, the project root, a real MkDocs build of the fixture site, and the pieces
every browser test uses (Debian's Chromium, its flags, a quiet static server on 127.0.0.1)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "site" / "content"


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", help="rewrite expected files from the current output")


@pytest.fixture
def golden(request):
    """Compare text with a committed expected file; ``--update-goldens`` rewrites it instead."""
    update = request.config.getoption("--update-goldens")

    def check(actual: str, path: Path) -> None:
        if update or not path.exists():
            if not update:
                pytest.fail(f"missing golden file {path.relative_to(ROOT)}: run pytest --update-goldens and review it")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert actual == path.read_text(encoding="utf-8"), f"differs from {path.relative_to(ROOT)} (review, then --update-goldens)"

    return check


@pytest.fixture
def content(tmp_path) -> Path:
    """A private copy of the fixture content, for a test to edit."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def edit_entry(content: Path, entry: str, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in one entry file."""
    path = content / entry
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def valid_entries(root: Path):
    """Every entry under ``root``, loaded and validated; the content must have no problem at all."""
    from heritage.stages.pipeline import load_all, validate_all

    raws, problems = load_all(root)
    assert not problems
    entries, problems = validate_all(raws)
    assert not problems
    return entries


def mkdocs_build(content_dir: Path, site_dir: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real production build: ``mkdocs build --strict`` with the project's mkdocs.yml on ``content_dir``;
    ``env``: variables for this build only (e.g. a public ``SITE_URL``), the test process's own left as they are."""
    env = {**os.environ, "HERITAGE_CONTENT_DIR": str(content_dir), "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(site_dir), *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture content, built once per test session."""
    site = tmp_path_factory.mktemp("fixture-site") / "site"
    result = mkdocs_build(FIXTURE_CONTENT, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> Path:
    """The shipped content (content/), built once per test session."""
    site = tmp_path_factory.mktemp("shipped-site") / "site"
    result = mkdocs_build(ROOT / "content", site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


# --- browser tests ----------------------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",  # lets a test start the (muted) demo recording itself
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(folder: Path, handler=QuietHandler) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 in a thread while the block runs; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is required: apt-get install -y chromium (make test does it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def served_site(shipped_site: Path):
    """The shipped site, served (once per test module that asks for it)."""
    with serving(shipped_site) as url:
        yield url


@pytest.fixture
def page(browser):
    """A fresh desktop-sized page in its own context (a module may define its own, e.g. to collect errors)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


# --- accessibility ------------------------------------------------------------------------------------------------

AXE = ROOT / "tests" / "vendor" / "axe-core-4.14.1" / "axe.min.js"  # vendored from npm (test_public_face checks it)


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as loaded: rule id and the first three elements."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
