"""The same site from every engine: ``python -m heritage build --engine mkdocs|properdocs`` on the fixture content,
compared file by file, and a plain ``mkdocs build`` (whose hook runs the same post-build step) against both."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, ROOT

pytestmark = pytest.mark.site

GENERATOR = re.compile(rb'<meta name="generator" content="[^"<>]*">')
RASTER = {".jpg", ".jpeg", ".png", ".gif", ".webp"}  # rewritten without metadata by the command, not by a plain build


def cli_build(engine: str, site: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "heritage", "--content", str(FIXTURE_CONTENT), "build", "--engine", engine, "--site-dir", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "build_hooks")}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


def files(site: Path) -> dict[str, bytes]:
    """Every file of a site, the generator meta (the one line that names the engine) taken out."""
    return {p.relative_to(site).as_posix(): GENERATOR.sub(b"", p.read_bytes()) for p in site.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    built = {}
    for engine in ("mkdocs", "properdocs"):
        site = tmp_path_factory.mktemp(engine) / "site"
        result = cli_build(engine, site)
        assert result.returncode == 0, result.stdout + result.stderr
        built[engine] = site
    return built


def test_properdocs_builds_the_mkdocs_site_file_by_file(sites):
    """Same file set, same bytes — Pagefind's bundle and our search files included — except the generator meta."""
    mkdocs, properdocs = files(sites["mkdocs"]), files(sites["properdocs"])
    assert sorted(mkdocs) == sorted(properdocs)
    assert [name for name in mkdocs if mkdocs[name] != properdocs[name]] == []
    generators = {engine: GENERATOR.findall((site / "index.html").read_bytes()) for engine, site in sites.items()}
    assert b"mkdocs-1." in generators["mkdocs"][0] and b"ProperDocs" in generators["properdocs"][0]


def test_both_sites_are_cleaned_and_indexed(sites):
    """What makes the comparison worth something: the step ran (entry pages wrapped, an index of every entry)."""
    from heritage.stages.pipeline import build

    entries = build(FIXTURE_CONTENT).catalog.entries.values()
    for site in sites.values():
        for entry in entries:
            page = (site / entry.collection / entry.id / "index.html").read_text(encoding="utf-8")
            assert page.count('<div data-pagefind-body="">') == 1 and 'data-pagefind-meta="names"' in page
        fragments = [json.loads(gzip.decompress(p.read_bytes())[12:]) for p in (site / "pagefind" / "fragment").glob("*")]
        assert sorted(f["url"] for f in fragments) == sorted(f"/{e.collection}/{e.id}/" for e in entries)
        assert (site / "search" / "t2s.json").is_file() and (site / "search" / "demo.json").is_file()


def test_a_plain_mkdocs_build_runs_the_same_step(sites, fixture_site):
    """``mkdocs build`` without the command (as CI's fixture build runs it) gives the same pages and index."""
    plain = {k: v for k, v in files(fixture_site).items() if Path(k).suffix.lower() not in RASTER}
    command = {k: v for k, v in files(sites["mkdocs"]).items() if Path(k).suffix.lower() not in RASTER}
    assert sorted(plain) == sorted(command)
    assert [name for name in plain if plain[name] != command[name]] == []
