"""The deployment recipe, tried: a release build served by the real nginx with deploy/nginx/heritage.conf, its
workers running as another user (nobody), then opened in Chromium under the Content-Security-Policy it sends."""

from __future__ import annotations

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

import brotli
import pytest

from conftest import ROOT

pytestmark = [pytest.mark.site, pytest.mark.browser]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def nginx_site():
    assert Path(NGINX).exists(), "nginx is required: apt-get install -y nginx-light libnginx-mod-http-brotli-static (make test does it)"
    # A world-traversable place: the workers run as nobody and must reach the files (pytest's tmp dirs are 0700).
    srv = Path(tempfile.mkdtemp(prefix="heritage-nginx-"))
    srv.chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "build_hooks"), "NO_MKDOCS_2_WARNING": "1"}
    # --with-demo: the only shipped recording belongs to a demonstration record, and Range requests need one.
    command = [
        sys.executable,
        "-m",
        "heritage",
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
    yield base, srv
    subprocess.run([NGINX, "-c", str(srv / "nginx.conf"), "-p", str(srv), "-s", "stop"], capture_output=True)
    shutil.rmtree(srv, ignore_errors=True)


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


def test_no_dotfile_is_served(nginx_site):
    base, srv = nginx_site
    (srv / "site" / ".secret").write_text("x", encoding="utf-8")
    assert fetch(base + ".secret")[0] == 403


def test_pages_run_under_the_policy_without_violations(nginx_site):
    """The policy is strict (no inline script but the theme's, by hash): Chromium must report no violation while
    the pages load and search opens."""
    from playwright.sync_api import sync_playwright

    base, _ = nginx_site
    with sync_playwright() as playwright:
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        violations: list[str] = []
        page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
        for path in ["", "sites/", "sites/tuyang-east-river-column-hq/", "oral-history/", "oral-history/demo-tuyang-memories/"]:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
        browser.close()
    assert violations == []
