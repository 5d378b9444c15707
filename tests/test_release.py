"""Release defaults: what `make build` and `make release` publish is right without anyone remembering a flag."""

from __future__ import annotations

import gzip
import os
import stat
from pathlib import Path

import brotli
import pytest

from conftest import FIXTURE_CONTENT
from heritage.release import ReleaseError, require_public_site_url
from test_cli import run_cli


@pytest.mark.parametrize("url", [None, "", "http://127.0.0.1:8000/", "http://localhost/", "ftp://example.org/", "example.org"])
def test_release_refuses_a_missing_or_local_address(url):
    with pytest.raises(ReleaseError, match="SITE_URL"):
        require_public_site_url(url)


def test_release_accepts_a_public_address():
    assert require_public_site_url("https://red.dapeng.example/heritage") == "https://red.dapeng.example/heritage/"


def _modes(site: Path) -> set[tuple[str, int]]:
    return {("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode)) for p in [site, *site.rglob("*")]}


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
def test_release_publishes_the_right_site(tmp_path):
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
