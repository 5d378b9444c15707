"""The deployment recipe, tried: a release build served by the real nginx with deploy/nginx/heritage.conf, its
workers running as another user (nobody), then opened in Chromium under the Content-Security-Policy it sends."""

from __future__ import annotations

import base64
import contextlib
import gzip
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import brotli
import pytest

from conftest import FIXTURE_CONTENT, ROOT

pytestmark = [pytest.mark.site, pytest.mark.browser]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def nginx_release(content: Path):
    """``python -m heritage release`` of ``content`` (demonstration records kept: the only shipped recording is one),
    served by the real nginx with the recipe; yields (base URL, the folder holding site/ and the headers files)."""
    assert Path(NGINX).exists(), "nginx is required: apt-get install -y nginx-light libnginx-mod-http-brotli-static (make test does it)"
    # A world-traversable place: the workers run as nobody and must reach the files (pytest's tmp dirs are 0700).
    srv = Path(tempfile.mkdtemp(prefix="heritage-nginx-"))
    srv.chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "build_hooks"), "NO_MKDOCS_2_WARNING": "1"}
    command = [
        sys.executable,
        "-m",
        "heritage",
        "--content",
        str(content),
        "release",
        "--site-dir",
        str(srv / "site"),
        "--site-url",
        "https://red.example.org/",
        "--with-demo",
    ]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    port = _free_port()
    recipe = (ROOT / "deploy" / "nginx" / "heritage.conf").read_text(encoding="utf-8")
    recipe = recipe.replace("/srv/heritage", str(srv)).replace("listen 80;", f"listen 127.0.0.1:{port};")
    modules = f"load_module {BROTLI_MODULE};\n" if BROTLI_MODULE.exists() else ""
    if not BROTLI_MODULE.exists():
        recipe = recipe.replace("    brotli_static on;\n", "")
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    (srv / "nginx.conf").write_text(
        f"{modules}{user}worker_processes 1;\npid {srv}/nginx.pid;\nerror_log {srv}/error.log;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log off;\n"
        f"  client_body_temp_path {srv}/tmp;\n  proxy_temp_path {srv}/tmp;\n  fastcgi_temp_path {srv}/tmp;\n"
        f"  uwsgi_temp_path {srv}/tmp;\n  scgi_temp_path {srv}/tmp;\n{recipe}\n}}\n",
        encoding="utf-8",
    )
    (srv / "tmp").mkdir()
    started = subprocess.run([NGINX, "-c", str(srv / "nginx.conf"), "-p", str(srv)], capture_output=True, text=True)
    assert started.returncode == 0, started.stderr
    base = f"http://127.0.0.1:{port}/"
    for _ in range(50):
        try:
            urllib.request.urlopen(base, timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield base, srv
    finally:
        subprocess.run([NGINX, "-c", str(srv / "nginx.conf"), "-p", str(srv), "-s", "stop"], capture_output=True)
        shutil.rmtree(srv, ignore_errors=True)


@pytest.fixture(scope="module")
def nginx_site():
    """The shipped content, released and served."""
    with nginx_release(ROOT / "content") as served:
        yield served


@pytest.fixture(scope="module")
def nginx_fixture_site():
    """The fixture content (a site on the map, a route, every collection), released and served."""
    with nginx_release(FIXTURE_CONTENT) as served:
        yield served


def fetch(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_pages_are_served_with_security_headers(nginx_site):
    base, srv = nginx_site
    status, headers, body = fetch(base + "sites/tuyang-east-river-column-hq/")
    assert status == 200 and "土洋" in body.decode("utf-8")
    policy = (srv / "site.csp.txt").read_text(encoding="utf-8").strip()
    assert headers["Content-Security-Policy"] == policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Cache-Control"] == "no-cache"


def test_precompressed_files_are_served_as_they_are(nginx_site):
    base, srv = nginx_site
    page = (srv / "site" / "index.html").read_bytes()
    status, headers, body = fetch(base, {"Accept-Encoding": "gzip"})
    assert headers.get("Content-Encoding") == "gzip" and gzip.decompress(body) == page
    if BROTLI_MODULE.exists():
        status, headers, body = fetch(base, {"Accept-Encoding": "br"})
        assert headers.get("Content-Encoding") == "br" and brotli.decompress(body) == page


def test_hashed_assets_are_cached_for_a_year(nginx_site):
    base, srv = nginx_site
    [css] = (srv / "site" / "assets" / "stylesheets").glob("main.*.min.css")
    status, headers, _ = fetch(base + f"assets/stylesheets/{css.name}")
    assert status == 200 and "immutable" in headers["Cache-Control"] and "Content-Security-Policy" in headers


def test_recordings_support_range_requests(nginx_site):
    base, srv = nginx_site
    recordings = sorted((srv / "site" / "media").glob("*"))
    assert recordings, "the shipped demo recording is published"
    status, headers, body = fetch(base + f"media/{recordings[0].name}", {"Range": "bytes=0-99"})
    assert status == 206 and len(body) == 100 and headers["Content-Range"].startswith("bytes 0-99/")


def test_missing_pages_get_the_chinese_404(nginx_site):
    base, _ = nginx_site
    status, _, body = fetch(base + "no/such/page/")
    assert status == 404 and "找不到这个页面" in body.decode("utf-8")


def _assert_security_headers(headers: dict[str, str], srv: Path, what: str) -> None:
    policy = (srv / "site.csp.txt").read_text(encoding="utf-8").strip()
    assert headers.get("Content-Security-Policy") == policy, what
    assert headers.get("X-Content-Type-Options") == "nosniff", what
    assert headers.get("Referrer-Policy") and headers.get("Permissions-Policy"), what


def test_no_dotfile_is_served(nginx_site):
    base, srv = nginx_site
    (srv / "site" / ".secret").write_text("x", encoding="utf-8")
    status, headers, body = fetch(base + ".secret")
    assert status == 403 and b"x" != body
    _assert_security_headers(headers, srv, "403 for a dotfile")


@pytest.mark.parametrize(
    "path", ["no/such/page/", ".git/config", "assets/", "media/no-such.opus", "assets/stylesheets/main.00000000.min.css"]
)
def test_errors_carry_the_security_headers_and_no_version(nginx_site, path):
    base, srv = nginx_site
    status, headers, body = fetch(base + path)
    assert status in (403, 404), path
    _assert_security_headers(headers, srv, path)
    assert headers.get("Server") == "nginx" and b"nginx/" not in body


def test_every_kind_of_answer_carries_the_security_headers(nginx_site):
    base, srv = nginx_site
    [recording] = sorted((srv / "site" / "media").glob("demo-tuyang-memories.opus"))
    for path, extra in [
        ("", {}),
        ("", {"Accept-Encoding": "gzip"}),
        ("sites", {}),  # 301 to sites/
        (f"media/{recording.name}", {"Range": "bytes=0-9"}),
        ("oral-history/demo-tuyang-memories/captions.vtt", {}),
    ]:
        status, headers, _ = fetch(base + path, extra) if path != "sites" else _no_redirect(base + path)
        assert status in (200, 206, 301), path
        _assert_security_headers(headers, srv, f"{status} {path}")
        assert headers.get("Server") == "nginx"


def _no_redirect(url: str):
    import http.client
    from urllib.parse import urlparse

    parsed = urlparse(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=5)
    try:
        connection.request("GET", parsed.path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_precompressed_answers_say_they_vary_by_encoding(nginx_site):
    base, _ = nginx_site
    encodings = ["gzip", "br"] if BROTLI_MODULE.exists() else ["gzip"]
    for encoding in encodings:
        status, headers, _ = fetch(base + "sites/", {"Accept-Encoding": encoding})
        assert status == 200 and headers.get("Content-Encoding") == encoding
        assert "accept-encoding" in headers.get("Vary", "").lower(), encoding
    status, headers, _ = fetch(base + "sites/")  # the plain copy varies too: a cache must not give it to everyone
    assert status == 200 and "Content-Encoding" not in headers and "accept-encoding" in headers.get("Vary", "").lower()


@pytest.mark.parametrize(
    "path, expected",
    [
        ("media/demo-tuyang-memories.opus", "audio/ogg"),
        ("oral-history/demo-tuyang-memories/captions.vtt", "text/vtt; charset=utf-8"),
        ("data/heritage.geojson", "application/geo+json; charset=utf-8"),
        ("data/sites.csv", "text/csv; charset=utf-8"),
        ("data/datapackage.json", "application/json; charset=utf-8"),
        ("sites/tuyang-east-river-column-hq/citation.ris", "application/x-research-info-systems; charset=utf-8"),
        ("sites/tuyang-east-river-column-hq/citation.bib", "application/x-bibtex; charset=utf-8"),
    ],
)
def test_files_debian_does_not_know_get_their_type(nginx_site, path, expected):
    base, _ = nginx_site
    status, headers, _ = fetch(base + path)
    assert status == 200 and headers["Content-Type"] == expected


def test_the_policy_names_only_our_origin_for_media_and_images(nginx_site):
    from heritage.cli import _tile_hosts

    _, srv = nginx_site
    policy = (srv / "site.csp.txt").read_text(encoding="utf-8").strip()
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives["media-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", *_tile_hosts(ROOT / "mkdocs.yml")]
    assert "'unsafe-inline'" not in policy and "data:" not in policy and "https:" not in policy.replace("https://", "")
    assert not any("*" in source for sources in directives.values() for source in sources)
    # The theme's icons were data: images inside its stylesheet: they are files now.
    for sheet in (srv / "site").rglob("*.css"):
        assert "data:" not in sheet.read_text(encoding="utf-8"), sheet.name


def page_types(site: Path) -> list[str]:
    """One page of every kind the site has: the home page, each top-level page or listing, the first entry (or
    facet page) under each, and a missing page (the 404 page)."""
    pages = [""]
    for folder in sorted(p for p in site.iterdir() if p.is_dir() and p.name not in ("assets", "media", "pagefind", "search")):
        if (folder / "index.html").is_file():
            pages.append(f"{folder.name}/")
        children = sorted(c for c in folder.iterdir() if (c / "index.html").is_file())
        pages += [f"{folder.name}/{c.name}/" for c in children[:1]]
    return [*pages, "no/such/page/"]


TILE = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


@contextlib.contextmanager
def policed_page(base: str):
    """A Chromium page that records every policy violation, script error and failed answer of our own server, with
    the map's tile hosts answered by a blank tile (counted)."""
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, LAUNCH_ARGS
    from heritage.cli import _tile_hosts

    tile_hosts = set(_tile_hosts(ROOT / "mkdocs.yml"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.violations, page.failed, page.tiles, page.icons = [], [], [], []

        def tile_answer(route):
            page.tiles.append(route.request.url)
            route.fulfill(status=200, content_type="image/png", body=TILE)

        def response(r):
            if r.url.startswith(base) and "/images/css/" in r.url:
                page.icons.append(f"{r.status} {r.url}")
            if r.url.startswith(base) and r.status >= 400 and "no/such/page" not in r.url:
                page.failed.append(f"{r.status} {r.url}")

        context.route(lambda url: urlparse(url).hostname in tile_hosts, tile_answer)
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.log("
            "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')))"
        )
        page.on("console", lambda m: page.violations.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None)
        page.on("pageerror", lambda error: page.failed.append(f"{page.url}: {error}"))
        page.on("response", response)
        try:
            yield page
        finally:
            browser.close()


def visit_every_page_type(page, base: str, site: Path) -> None:
    for path in page_types(site):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        for element in page.locator(".md-ellipsis, .md-nav__link, article a").all()[:30]:
            if element.is_visible():
                element.hover(timeout=2000, force=True)


def test_pages_run_under_the_policy_without_violations(nginx_site):
    """The policy is strict (no inline script or style but the theme's and our tables', by hash; no data: image;
    media and images from our origin and the tile hosts only): Chromium must report no violation while every kind
    of page loads and its links and cut-off titles are hovered, search opens and answers, and the recording plays
    and seeks. Nothing the site itself serves may fail (the theme's icons are files now)."""
    base, srv = nginx_site
    with policed_page(base) as page:
        visit_every_page_type(page, base, srv / "site")
        page.goto(base + "oral-history/demo-tuyang-memories/")
        page.wait_for_function("() => document.documentElement.dataset.ohReady === '1'")  # a function: a string is eval
        page.evaluate("(() => { const a = document.querySelector('audio'); a.muted = true; a.currentTime = 20; return a.play(); })()")
        page.wait_for_function("() => document.querySelector('audio').currentTime > 20.5", timeout=10000)
        box = page.locator("input.md-search__input")
        box.click()
        box.fill("东江纵队")
        page.wait_for_selector(".md-search-result__item", timeout=20000)
    assert page.violations == []
    assert page.failed == []
    assert page.icons and all(line.startswith("200 ") for line in page.icons), page.icons


def test_the_map_and_every_fixture_page_run_under_the_policy(nginx_fixture_site):
    """The fixture content has what the shipped content lacks (a located site, so the map draws; a route): the map
    loads its tiles from the hosts the policy names, draws its markers and zooms without a violation."""
    base, srv = nginx_fixture_site
    with policed_page(base) as page:
        visit_every_page_type(page, base, srv / "site")
        page.goto(base + "map/")
        page.wait_for_function("() => document.documentElement.dataset.hmReady === '1'", timeout=15000)
        page.wait_for_selector(".leaflet-tile-loaded", timeout=10000)
        page.wait_for_selector(".leaflet-marker-icon", timeout=10000)
        page.mouse.move(640, 450)
        page.mouse.wheel(0, -300)  # a zoom: Leaflet cancels the tiles still loading
        page.wait_for_timeout(500)
        page.click(".leaflet-marker-icon")  # the popup
        page.wait_for_selector(".leaflet-popup-content")
    assert page.violations == []
    assert page.failed == []
    assert page.tiles, "the map asked for its tiles"
