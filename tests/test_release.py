"""Release defaults: what `make build` and `make release` publish is right without anyone remembering a flag."""

from __future__ import annotations

import base64
import gzip
import hashlib
import os
import re
import stat
from pathlib import Path

import brotli
import pytest

from conftest import FIXTURE_CONTENT
from heritage.outputs.release import ReleaseError, require_public_site_url
from test_cli import run_cli


@pytest.mark.parametrize("url", [None, "", "http://127.0.0.1:8000/", "http://localhost/", "ftp://example.org/", "example.org"])
def test_release_refuses_a_missing_or_local_address(url):
    with pytest.raises(ReleaseError, match="SITE_URL"):
        require_public_site_url(url)


def test_release_accepts_a_public_address():
    assert require_public_site_url("https://red.dapeng.example/heritage") == "https://red.dapeng.example/heritage/"


def _modes(site: Path) -> set[tuple[str, int]]:
    return {("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode)) for p in [site, *site.rglob("*")]}


@pytest.mark.site
def test_build_writes_a_site_a_web_server_can_read(tmp_path):
    site = tmp_path / "site"
    result = run_cli("--content", str(FIXTURE_CONTENT), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    assert _modes(site) == {("dir", 0o755), ("file", 0o644)}


@pytest.mark.site
def test_release_without_an_address_changes_nothing(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("旧网站", encoding="utf-8")
    env_url = os.environ.pop("SITE_URL", None)
    try:
        result = run_cli("--content", str(FIXTURE_CONTENT), "release", "--site-dir", str(site))
    finally:
        if env_url is not None:
            os.environ["SITE_URL"] = env_url
    assert result.returncode == 2 and "SITE_URL" in result.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"]


@pytest.mark.site
def test_release_publishes_the_right_site(tmp_path, monkeypatch):
    monkeypatch.delenv("STRICT", raising=False)
    site = tmp_path / "site"
    result = run_cli("--content", str(FIXTURE_CONTENT), "release", "--site-dir", str(site), "--site-url", "https://red.example.org/")
    assert result.returncode == 0, result.stderr
    assert _modes(site) == {("dir", 0o755), ("file", 0o644)}
    assert not (site / "oral-history" / "beta-record").exists()  # the fixture's demonstration record is left out
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://red.example.org/sites/alpha-hq/" in sitemap and "127.0.0.1" not in sitemap
    page = site / "sites" / "alpha-hq" / "index.html"
    assert gzip.decompress((site / "sites" / "alpha-hq" / "index.html.gz").read_bytes()) == page.read_bytes()
    assert brotli.decompress((site / "sites" / "alpha-hq" / "index.html.br").read_bytes()) == page.read_bytes()
    assert not list(site.rglob("*.png.gz")) and not list(site.rglob("*.gz.gz"))
    robots = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "Sitemap: https://red.example.org/sitemap.xml" in robots and "Disallow: /" not in robots
    # the footer's identity settings still empty in mkdocs.yml are each named, as warnings (STRICT unset)
    from conftest import ROOT
    from heritage.core.config import read_site_config
    from heritage.outputs.release import missing_identity

    for line in missing_identity(read_site_config(ROOT / "mkdocs.yml").extra):
        assert f"警告：{line}" in result.stderr


@pytest.mark.site
def test_release_can_keep_the_demonstration_records_when_asked(tmp_path):
    site = tmp_path / "site"
    result = run_cli(
        "--content", str(FIXTURE_CONTENT), "release", "--site-dir", str(site), "--site-url", "https://red.example.org/", "--with-demo"
    )
    assert result.returncode == 0, result.stderr
    assert (site / "oral-history" / "beta-record" / "index.html").is_file()


@pytest.mark.site
def test_release_policy_allows_exactly_our_host_and_the_map_tiles(tmp_path):
    from conftest import ROOT
    from heritage.cli import _tile_hosts

    site = tmp_path / "site"
    result = run_cli("--content", str(FIXTURE_CONTENT), "release", "--site-dir", str(site), "--site-url", "https://red.example.org/")
    assert result.returncode == 0, result.stderr
    policy = (tmp_path / "site.csp.txt").read_text(encoding="utf-8")
    hosts = _tile_hosts(ROOT / "mkdocs.yml")
    assert hosts and all(host in policy.split("img-src")[1].split(";")[0] for host in hosts)
    assert "default-src 'self'" in policy and "'unsafe-eval'" not in policy


@pytest.mark.site
def test_release_policy_names_only_our_origin_for_media_and_images_and_no_inline_style(tmp_path):
    from conftest import ROOT
    from heritage.cli import _tile_hosts

    site = tmp_path / "site"
    result = run_cli("--content", str(FIXTURE_CONTENT), "release", "--site-dir", str(site), "--site-url", "https://red.example.org/")
    assert result.returncode == 0, result.stderr
    policy = (tmp_path / "site.csp.txt").read_text(encoding="utf-8").strip()
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives["media-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", *_tile_hosts(ROOT / "mkdocs.yml")]
    assert all(source == "'self'" or source == "'unsafe-hashes'" or source.startswith("'sha256-") for source in directives["style-src"])
    assert "'unsafe-inline'" not in policy and "data:" not in policy and "https:" not in policy
    assert (tmp_path / "site.nginx-headers.conf").read_text(encoding="utf-8").count(" always;") == 4
    sheets = list(site.rglob("*.css"))
    assert sheets and not [s for s in sheets if "data:" in s.read_text(encoding="utf-8")]
    for sheet in sheets:  # the compressed copies were written again after the icons moved out
        if sheet.with_name(sheet.name + ".gz").exists():
            assert gzip.decompress(sheet.with_name(sheet.name + ".gz").read_bytes()) == sheet.read_bytes()
            assert brotli.decompress(sheet.with_name(sheet.name + ".br").read_bytes()) == sheet.read_bytes()


def test_style_attributes_and_elements_are_allowed_by_hash_only(tmp_path):
    from heritage.outputs.release import content_security_policy, inline_hashes

    (tmp_path / "a.html").write_text("<td style=\"text-align: right;\">1</td><th style='text-align: center;'>x</th>", encoding="utf-8")
    (tmp_path / "b.html").write_text("<style>p{color:red}</style><p>no style here</p>", encoding="utf-8")
    _, hashes = inline_hashes(tmp_path)
    digest = base64.b64encode(hashlib.sha256(b"text-align: right;").digest()).decode()
    assert len(hashes) == 3 and f"'sha256-{digest}'" in hashes
    policy = content_security_policy(tmp_path)
    assert f"style-src 'self' 'unsafe-hashes' {' '.join(hashes)};" in policy
    (tmp_path / "a.html").unlink()
    (tmp_path / "b.html").unlink()
    assert "style-src 'self';" in content_security_policy(tmp_path)


def test_data_images_in_stylesheets_become_files(tmp_path):
    from heritage.outputs.release import move_css_data_images

    sheets = tmp_path / "assets" / "stylesheets"
    sheets.mkdir(parents=True)
    png = bytes.fromhex("89504e470d0a1a0a")
    css = (
        ":root{--a:url(\"data:image/svg+xml;charset=utf-8,<svg xmlns='http://www.w3.org/2000/svg'>\\3c !-- c --><path d='M1 2'/></svg>\")}"
        ".b{background:url('data:image/png;base64," + base64.b64encode(png).decode() + "')}"
        '.c{background:url("data:image/svg+xml;charset=utf-8,%3Csvg%3E%3C/svg%3E")}'
        '.d{background:url("../images/logo.png")}'
        '.e{src:url("data:font/woff2;base64,AAAA")}'
    )
    sheet = sheets / "main.css"
    sheet.write_text(css, encoding="utf-8")
    sheet.with_name("main.css.gz").write_bytes(gzip.compress(b"old"))
    sheet.with_name("main.css.br").write_bytes(brotli.compress(b"old"))
    assert move_css_data_images(tmp_path) == 3
    text = sheet.read_text(encoding="utf-8")
    assert text.count("data:image") == 0 and 'url("../images/logo.png")' in text and "data:font/woff2" in text
    files = {p.read_bytes() for p in (tmp_path / "assets" / "images" / "css").iterdir()}
    assert files == {b"<svg xmlns='http://www.w3.org/2000/svg'><!-- c --><path d='M1 2'/></svg>", png, b"<svg></svg>"}
    for name in re.findall(r'url\("(\.\./images/css/[^"]+)"\)', text):
        assert (sheets / name).resolve().is_file()
    assert gzip.decompress(sheet.with_name("main.css.gz").read_bytes()) == text.encode("utf-8")
    assert brotli.decompress(sheet.with_name("main.css.br").read_bytes()) == text.encode("utf-8")
    assert move_css_data_images(tmp_path) == 0  # nothing left to move
