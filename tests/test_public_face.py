"""The public face, measured as a visitor lives it: a release build of the shipped content, served compressed, opened
in Chromium at a phone's size. Every page type: no sideways scrolling, no serious or critical accessibility
violation (axe-core, vendored from npm), and the first load of an entry page within 150 KB on the wire."""

from __future__ import annotations

import functools
import hashlib
import http.server
import mimetypes
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import AXE, ROOT, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.site]

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
ENTRY_PAGE_BUDGET_KB = 150


class _CompressedHandler(http.server.SimpleHTTPRequestHandler):
    """Serves x.gz for x when the browser accepts gzip, as nginx's gzip_static does with a release build."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        packed = path.with_name(path.name + ".gz")
        if "gzip" in self.headers.get("Accept-Encoding", "") and packed.is_file():
            data = packed.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return _Bytes(data)
        return super().send_head()


class _Bytes:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


@pytest.fixture(scope="module")
def release_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("release") / "site"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "build_hooks"), "NO_MKDOCS_2_WARNING": "1"}
    command = [
        sys.executable,
        "-m",
        "heritage",
        "release",
        "--site-dir",
        str(site),
        "--site-url",
        "https://red.example.org/",
        "--with-demo",
    ]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def served(release_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_CompressedHandler, directory=str(release_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def page_types(site: Path) -> list[str]:
    """One page of every kind: home, each collection's listing and first entry, every other generated page at the
    top level (map, timeline, data, A–Z … whichever exist), a facet listing, the 404 page."""
    from heritage.collections.registry import REGISTRY

    paths = [""]
    for collection in REGISTRY:
        folder = site / collection.name
        if not folder.is_dir():
            continue
        paths.append(f"{collection.name}/")
        entries = sorted(p.parent.name for p in folder.glob("*/index.html") if p.parent.name not in {f.folder for f in collection.facets})
        paths += [f"{collection.name}/{entries[0]}/"] if entries else []
        for facet in collection.facets:
            first = next(iter(facet.values.values()))[0]
            paths.append(f"{collection.name}/{facet.folder}/{first}/")
    collection_names = {c.name for c in REGISTRY}
    for top in sorted(p for p in site.iterdir() if p.is_dir() and (p / "index.html").is_file()):
        if top.name not in collection_names and top.name not in ("search", "assets"):
            paths.append(f"{top.name}/")
    paths.append("404.html")
    return paths


def test_vendored_axe_is_the_published_file():
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() in (AXE.parent / "SOURCE.txt").read_text(encoding="utf-8")


def test_no_page_scrolls_sideways_on_a_phone(browser, served, release_site):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    wide = {}
    for path in page_types(release_site):
        page.goto(served + path)
        page.wait_for_load_state("load")
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            wide[path] = width
    context.close()
    assert wide == {}


def test_no_serious_accessibility_violation(browser, served, release_site):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    found = {}
    for path in page_types(release_site):
        page.goto(served + path)
        page.wait_for_load_state("load")
        violations = serious_violations(page)
        if violations:
            found[path] = violations
    context.close()
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


def test_first_load_of_an_entry_page_is_light(browser, served, release_site, capsys):
    """Bytes on the wire (compressed) for everything but images and media, with an empty cache, per entry page type."""
    from heritage.collections.registry import REGISTRY

    figures = {}
    for collection in REGISTRY:
        entries = sorted(p.parent.name for p in (release_site / collection.name).glob("*/index.html"))
        entries = [e for e in entries if e not in {f.folder for f in collection.facets}]
        if not entries:
            continue
        context = browser.new_context(**PHONE)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        sizes: dict[str, float] = {}
        types: dict[str, str] = {}
        cdp.on("Network.responseReceived", lambda e, types=types: types.__setitem__(e["requestId"], e["type"]))
        cdp.on("Network.loadingFinished", lambda e, sizes=sizes: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
        page.goto(served + f"{collection.name}/{entries[0]}/")
        page.wait_for_load_state("load")
        page.wait_for_timeout(1500)  # late requests (scripts loaded by scripts) are counted too
        context.close()
        total = sum(size for request, size in sizes.items() if types.get(request) not in ("Image", "Media", "Font"))
        figures[collection.name] = round(total / 1024, 1)
    with capsys.disabled():
        print(f"\nfirst load of an entry page, compressed, without images and media (KB): {figures}")
    assert figures and all(kb <= ENTRY_PAGE_BUDGET_KB for kb in figures.values()), figures
