"""What only a browser can show: the pages' own scripts over the shipped content, and no request leaves the site.
(Search has its own browser tests: tests/test_search_browser.py.)

Debian's Chromium, driven by Playwright; the built site is served on 127.0.0.1.
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlparse

import pytest

from conftest import serving
from test_search_browser import search  # noqa: F401 - the search helper, for tests that search another build

pytestmark = [pytest.mark.browser, pytest.mark.site]


def test_no_request_leaves_the_site(browser, served_site):
    """Home, a listing and an entry page load everything from 127.0.0.1 (no CDN, no Google Fonts)."""
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ["", "sites/", "sites/tuyang-east-river-column-hq/", "oral-history/"]:
        response = page.goto(served_site + path)
        assert response.ok, path
        page.wait_for_load_state("networkidle")
    context.close()
    outside = [url for url in requested if urlparse(url).hostname not in ("127.0.0.1",) and not url.startswith("data:")]
    assert requested and not outside, outside


RECORD = "oral-history/demo-tuyang-memories/"


def open_record(page, base_url: str, hash_: str = "") -> None:
    page.goto(base_url + RECORD + hash_)
    page.wait_for_function("document.documentElement.dataset.ohReady === '1'")


def current_segment(page) -> list[str]:
    return page.eval_on_selector_all("h2.oh-current", "els => els.map(e => e.id)")


def test_clicking_a_timecode_seeks_and_marks_the_segment(page, served_site):
    open_record(page, served_site)
    page.evaluate("document.querySelector('audio').muted = true")
    page.click("table a.oh-seek[data-segment='founding']")
    page.wait_for_function("Math.abs(document.querySelector('audio').currentTime - 43) < 1.5")
    assert page.evaluate("location.hash") == "#t=00:00:43"
    assert current_segment(page) == ["founding"]


def test_deep_link_opens_the_page_at_that_moment(page, served_site):
    open_record(page, served_site, "#t=00:01:09")
    page.wait_for_function("document.querySelector('audio').currentTime === 69")
    assert current_segment(page) == ["today"]
    assert page.evaluate("document.querySelector('audio').paused")  # opening a link does not start playback


def test_segment_anchor_also_seeks(page, served_site):
    open_record(page, served_site, "#church")
    page.wait_for_function("document.querySelector('audio').currentTime === 21")


def test_playing_highlights_the_current_segment(page, served_site):
    open_record(page, served_site, "#t=00:00:20")
    page.wait_for_function("document.querySelector('audio').currentTime === 20")
    page.evaluate("(() => { const a = document.querySelector('audio'); a.muted = true; return a.play(); })()")
    page.wait_for_function("document.querySelector('audio').currentTime > 21.3", timeout=10000)
    assert current_segment(page) == ["church"]


@pytest.fixture(scope="module")
def real_record_site(tmp_path_factory):
    """The fixture site with its record made a real (non-demonstration) one, built for a public address: only real
    records offer citations, every shipped record is a demonstration, and a citation names a public address."""
    from conftest import FIXTURE_CONTENT, edit_entry, mkdocs_build

    root = tmp_path_factory.mktemp("real-record")
    content = root / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    edit_entry(content, "oral-history/beta-record.yml", "demo: true", "demo: false")
    site = root / "site"
    result = mkdocs_build(content, site, env={"SITE_URL": "https://red.example.org/"})
    assert result.returncode == 0, result.stdout + result.stderr
    with serving(site) as url:
        yield url


def test_citation_is_ready_to_copy(browser, real_record_site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(real_record_site + "oral-history/beta-record/")
    page.wait_for_function("document.documentElement.dataset.recordsReady === '1'")
    record_citation = page.locator("details.oh-citation[open] pre").first
    record_citation.hover()
    record_citation.locator("button[data-md-type='copy']").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    context.close()
    assert "[Z/OL]" in copied and "oral-history/beta-record/" in copied
    assert "[引用日期]" not in copied and re.search(r"\[\d{4}-\d{2}-\d{2}\]", copied)


def test_record_listing_filters_by_related_site(page, served_site):
    page.goto(served_site + "oral-history/")
    page.wait_for_function("document.documentElement.dataset.recordsReady === '1'")
    cards = page.locator("#hc-list li.hc-card")
    assert cards.count() == 2
    page.select_option("select[data-filter='site']", "shayuchong-red-memory-exhibition-hall")
    visible = page.eval_on_selector_all("#hc-list li:not([hidden]) a", "els => els.map(e => e.getAttribute('href'))")
    assert visible[0] == "demo-shayuchong-withdrawal/" and "demo-tuyang-memories/" not in visible
    page.select_option("select[data-filter='site']", "")
    assert page.locator("#hc-list li:not([hidden])").count() == 2


def test_site_listing_filters_combine_and_count(page, served_site):
    page.goto(served_site + "sites/")
    page.wait_for_function("document.documentElement.dataset.recordsReady === '1'")
    total = page.locator("#hc-list li.hc-card").count()
    page.select_option("select[data-filter='street']", "葵涌街道")
    kuichong = page.locator("#hc-list li:not([hidden])").count()
    assert 0 < kuichong < total
    assert page.inner_text(".hc-filter-count") == f"显示 {kuichong} / {total} 条"
    page.select_option("select[data-filter='kind']", "museum")
    both = page.eval_on_selector_all("#hc-list li:not([hidden]) a", "els => els.map(e => e.textContent)")
    assert len(both) < kuichong
    page.select_option("select[data-filter='street']", "")
    page.select_option("select[data-filter='kind']", "")
    assert page.locator("#hc-list li:not([hidden])").count() == total


def test_listings_work_without_javascript(browser, served_site):
    """No script: no filters, and every entry is listed as a plain link."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site + "sites/")
    assert not page.locator("form.hc-filter").is_visible()
    links = page.eval_on_selector_all("#hc-list li a", "els => els.map(e => e.getAttribute('href'))")
    context.close()
    assert "tuyang-east-river-column-hq/" in links and len(links) >= 6


def test_hostile_content_runs_no_script(browser, tmp_path_factory):
    """The fixture entries with hostile values in every field they accept, built for real by MkDocs and opened in
    Chromium: no dialog opens, no handler runs, every page of the hostile site loads."""
    from conftest import mkdocs_build
    from hostile import make_hostile_content

    root = tmp_path_factory.mktemp("hostile-site")
    content = make_hostile_content(root)
    site = root / "site"
    result = mkdocs_build(content, site)
    assert result.returncode == 0, result.stdout + result.stderr
    with serving(site) as base:
        context = browser.new_context()
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html") if "search" not in p.parts)
        try:
            for path in pages:
                response = page.goto(base + ("" if path == "." else path + "/"))
                assert response.ok, path
                page.wait_for_load_state("load")
                for link in page.locator("article a").all()[:40]:  # hovering and focusing fire handlers too
                    link.hover(timeout=2000, force=True)
                    link.focus()
                page.wait_for_timeout(50)
        finally:
            context.close()
    assert len(pages) >= 10
    assert dialogs == []
