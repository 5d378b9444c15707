"""No empty doors: a collection without a published entry in a build has no page, menu item, home link or sitemap
URL, unless its page has something useful to say (oral history: how to contribute recordings); a facet value
without an entry has no page. Checked on the pipeline's pages, on a real MkDocs build and on a release build of the
shipped content."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import ROOT, edit_entry, mkdocs_build
from heritage import build
from heritage.collections.registry import REGISTRY

EMPTY_WORDS = ("暂无条目", "共 0 条")


def _unpublish(content: Path, *entries: str) -> None:
    for entry in entries:
        edit_entry(content, entry, "status: published", "status: draft")


@pytest.fixture
def without_lessons_and_records(content: Path) -> Path:
    """The fixture content with its only lesson and its only oral-history record back in draft."""
    _unpublish(content, "lessons/theta-lesson.yml", "oral-history/beta-record.yml")
    return content


def _nav_uris(nav) -> set[str]:
    found: set[str] = set()
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        found |= _nav_uris(value) if isinstance(value, list) else {value}
    return found


def test_an_empty_collection_has_no_page_and_no_menu_item(without_lessons_and_records):
    pages = build(without_lessons_and_records).pages
    assert not [uri for uri in pages if uri.startswith("lessons/")]
    nav = REGISTRY.nav(set(pages))
    assert "教案" not in {next(iter(section)) for section in nav}
    assert _nav_uris(nav) <= set(pages)  # every menu item leads to a page this build made
    assert "lessons/index.md" not in pages["index.md"]
    for uri, text in pages.items():
        assert not any(word in text for word in EMPTY_WORDS), uri


def test_a_facet_value_without_an_entry_has_no_page_and_no_link(without_lessons_and_records):
    pages = build(without_lessons_and_records).pages
    sites = REGISTRY["sites"]
    streets = next(f for f in sites.facets if f.field == "street")
    with_sites = {uri for uri in pages if uri.startswith("sites/streets/")}
    assert with_sites  # the fixture's published sites are in some street …
    empty = {streets.uri("sites", value) for value in streets.values} - with_sites
    assert empty  # … and not in every street
    for uri in empty:
        assert uri not in pages and uri not in _nav_uris(REGISTRY.nav(set(pages)))
        assert uri.removeprefix("sites/") not in pages["sites/index.md"] and uri not in pages["index.md"]


def test_the_oral_history_page_without_a_record_says_how_to_contribute(without_lessons_and_records):
    pages = build(without_lessons_and_records).pages
    page = pages["oral-history/index.md"]
    assert "口述史" in {next(iter(section)) for section in REGISTRY.nav(set(pages))}
    # The consent form names every choice the site enforces (collections/oral_history.py).
    for choice in ("授权书", "文字稿", "录音", "录像", "之后公开", "公开全名", "化名", "匿名", "不公开（写明时间码"):
        assert choice in page, choice
    assert "采访清单" in page and "知情同意" in page and "Oral History Association" in page
    assert "演示" not in page
    # The home page invites rather than counting zero.
    assert "oral-history/index.md" in pages["index.md"] and "口述史 0" not in pages["index.md"]


def test_a_collection_with_entries_keeps_its_listing(content):
    pages = build(content).pages
    assert "共 1 条" in pages["oral-history/index.md"] and "授权书模板" not in pages["oral-history/index.md"]
    assert "lessons/index.md" in pages and "教案" in {next(iter(s)) for s in REGISTRY.nav(set(pages))}


@pytest.mark.site
def test_a_real_build_lists_no_empty_collection(without_lessons_and_records, tmp_path):
    site = tmp_path / "site"
    result = mkdocs_build(without_lessons_and_records, site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (site / "lessons").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="lessons/' not in home and 'href="oral-history/"' in home
    locs = [loc.text for loc in ElementTree.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and not [loc for loc in locs if "/lessons/" in loc]


@pytest.mark.site
def test_a_release_of_the_shipped_content_has_no_empty_door(tmp_path):
    """The acceptance of issue 21, item 1: demonstration records left out, as `make release` does."""
    site = tmp_path / "release"
    env = {**os.environ, "SITE_URL": "https://example.org/", "PYTHONPATH": str(ROOT / "build_hooks"), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("HERITAGE_CONTENT_DIR", None)
    result = subprocess.run(
        [sys.executable, "-m", "heritage", "release", "--site-dir", str(site)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert not any(word in text for word in EMPTY_WORDS), path
    # Every sitemap URL and every sidebar link is a page of the site.
    locs = [loc.text for loc in ElementTree.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    for loc in locs:
        assert (site / loc.removeprefix("https://example.org/") / "index.html").is_file(), loc
    home = (site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index("md-nav--primary") :]
    for href in re.findall(r'class="md-nav__link[^"]*"[^>]*href="([^"#]+)"', nav):
        assert (site / href.removeprefix("./") / "index.html").is_file() or (site / href).is_file(), href
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "演示" not in about
