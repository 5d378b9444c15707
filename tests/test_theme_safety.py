"""No theme feature and none of our scripts turns page text back into markup (SECURITY.md, promise 1g).

Material's ``content.tooltips`` copied the visible text of every cut-off ``.md-ellipsis`` (the page title in the
header, table-of-contents entries: a route's "第 N 站：name", segment titles, ``##`` headings) into a tooltip with
``innerHTML``: the escaped text of an editor's value ran as HTML on hover or focus. Here the fixture site is built
for real by MkDocs with a marker in every text field and heading, then each marker is replaced in the HTML by the
escaped text of a hostile payload (tests/hostile.py: the page as it would be had validation let the payload
through, so the test keeps its teeth whatever the validator refuses). Every page is opened in Chromium at a phone
and at a tablet width, so titles are cut off; every ``.md-ellipsis``, navigation and table-of-contents link is
hovered, the lesson basket is filled, and Tab walks through every focusable element. No payload may leave an
element, open a dialog, navigate the page or make a request to a host other than 127.0.0.1.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError

from conftest import ROOT, mkdocs_build, serving
from hostile import THEME_PAYLOADS, inject_payloads, make_marked_content

pytestmark = [pytest.mark.browser, pytest.mark.site]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "tablet": {"width": 1000, "height": 760}}
HOVERED = ".md-ellipsis, .md-nav__link, .md-nav--secondary a, .md-header__topic, article a, button"
FOCUSABLE = (
    'a[href], button:not([disabled]), input:not([type="hidden"]):not([disabled]), select, textarea, summary, '
    '[tabindex]:not([tabindex="-1"]), audio[controls]'
)


@pytest.fixture(scope="module")
def marked_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("theme-hostile")
    site = root / "site"
    result = mkdocs_build(make_marked_content(root), site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert inject_payloads(site) > 50
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html") if not {"search", "pagefind"} & set(p.parts))
    pages = [("" if p == "." else p + "/") for p in pages]
    # Every page type: an entry of each collection, listings and facets, 教学资源, timeline, A–Z, map, data, basket.
    for expected in (
        "sites/alpha-hq/",
        "people/zeta-person/",
        "events/eta-event/",
        "oral-history/beta-record/",
        "lessons/theta-lesson/",
        "routes/iota-route/",
        "sites/",
        "sites/streets/dapeng/",
        "teaching/",
        "timeline/",
        "a-z/",
        "map/",
        "data/",
        "basket/",
    ):
        assert expected in pages, expected
    pages.remove("basket/")  # last: after the entry pages have filled the basket
    with serving(site) as url:
        yield url, [*pages, "basket/"]


# Every element with the payloads' id that is ever added to the document, even if removed at once (a tooltip is
# taken away when the pointer leaves): recorded by a MutationObserver from before the page's own scripts run.
RECORD_INJECTED = """
window.__hostile = [];
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node.nodeType !== 1) continue;
      const hits = node.matches('[id="x-hostile"]') ? [node] : Array.from(node.querySelectorAll('[id="x-hostile"]'));
      for (const hit of hits) window.__hostile.push(hit.outerHTML.slice(0, 120));
    }
  }
}).observe(document, { childList: true, subtree: true });
"""

# Scrolls the i-th match into view (inside its scrolling sidebar too) and gives a point on it, or null if it has no box.
POINT_ON = """([selector, i]) => {
  const e = document.querySelectorAll(selector)[i];
  if (!e) return null;
  e.scrollIntoView({ block: "center", inline: "nearest" });
  const r = e.getBoundingClientRect();
  if (!(r.width > 0 && r.height > 0)) return null;
  return [r.x + Math.min(r.width / 2, 24), r.y + r.height / 2];
}"""


def _tile_hosts() -> set[str]:
    """The base-map tile hosts of mkdocs.yml (extra.map.tiles): the one other host the map page may ask."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    tiles = config[config.index("    tiles:") :]
    url = re.search(r'^\s+url: "([^"]*)"', tiles, re.M).group(1)
    subdomains = re.search(r'^\s+subdomains: "([^"]*)"', tiles, re.M).group(1) or " "
    return {urlparse(url.replace("{s}", s.strip())).hostname for s in subdomains} - {None}


class Watch:
    """What a page does that an inert one never does: elements made from page text, dialogs, uncaught errors,
    main-frame navigations, requests to any host but 127.0.0.1 (aborted, and logged)."""

    def __init__(self, context, page):
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.navigations: list[str] = []
        self.outside: list[str] = []
        self.tiles = _tile_hosts()
        context.add_init_script(RECORD_INJECTED)
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("framenavigated", lambda frame: frame == page.main_frame and self.navigations.append(frame.url))
        context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        host = urlparse(url).hostname
        from_map = urlparse(route.request.frame.url).path.endswith("/map/")
        if host != "127.0.0.1" and not url.startswith(("data:", "blob:")) and not (from_map and host in self.tiles):
            self.outside.append(url)
        route.continue_() if host == "127.0.0.1" else route.abort()  # the tiles are not fetched either


def _hover_all(page, selector: str) -> int:
    """Move the mouse onto every element matching ``selector`` that has a box; returns how many."""
    hovered = 0
    for index in range(page.eval_on_selector_all(selector, "els => els.length")):
        point = page.evaluate(POINT_ON, [selector, index])
        if point:
            page.mouse.move(*point)
            hovered += 1
    return hovered


def _tab_through(page) -> int:
    count = page.eval_on_selector_all(FOCUSABLE, "els => els.length")
    page.evaluate("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()")
    for _ in range(min(count + 2, 600)):
        page.keyboard.press("Tab")
    return count


def _visit(page, url: str, watch: Watch, *, fill_basket: bool) -> dict:
    watch.navigations.clear()
    response = page.goto(url)
    assert response.ok, url
    page.wait_for_load_state("load")
    page.wait_for_timeout(150)  # the theme marks cut-off titles once they are seen
    if fill_basket:
        unpressed = page.locator("button.hb-add[aria-pressed='false']")
        for _ in range(min(unpressed.count(), 20)):
            unpressed.first.click(timeout=2000)
    hovered = _hover_all(page, HOVERED)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the header now shows the page's title
    page.wait_for_timeout(150)
    hovered += _hover_all(page, ".md-header .md-ellipsis")
    drawer = page.locator("label.md-header__button[for='__drawer']")
    if drawer.is_visible():  # phone: the navigation lives in the drawer
        drawer.click()
        page.wait_for_timeout(300)
        hovered += _hover_all(page, ".md-sidebar--primary .md-nav__link, .md-sidebar--primary .md-ellipsis")
        page.evaluate("document.getElementById('__drawer').click()")
    focused = _tab_through(page)
    page.wait_for_timeout(300)  # a tooltip appears after its delay
    return {
        "hovered": hovered,
        "focused": focused,
        "injected": page.evaluate("window.__hostile"),
        "url": page.url,
        "cut_off": page.eval_on_selector_all(".md-ellipsis", "els => els.filter(e => e.offsetWidth < e.scrollWidth).length"),
    }


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_theme_feature_turns_page_text_into_markup(browser, marked_site, viewport):
    base, pages = marked_site
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    page = context.new_page()
    watch = Watch(context, page)
    problems: list[str] = []
    cut_off = hovered = 0
    try:
        for path in pages:
            try:
                seen = _visit(page, base + path, watch, fill_basket=path.count("/") == 2)
            except PlaywrightError as error:  # e.g. the page navigated away while it was being read
                problems.append(f"{path}: {str(error).splitlines()[0]} ({watch.navigations})")
                continue
            cut_off += seen["cut_off"]
            hovered += seen["hovered"]
            if seen["injected"]:
                problems.append(f"{path}: elements made from page text: {seen['injected']}")
            if seen["url"] != base + path or len(watch.navigations) > 1:
                problems.append(f"{path}: navigated to {seen['url']} ({watch.navigations})")
        basket_items = page.locator(".hb-item").count()
    finally:
        context.close()
    assert not problems, "\n".join(problems)
    assert cut_off >= 6, "titles are cut off at this width (else no tooltip would ever be made)"
    assert hovered > 5 * len(pages)
    assert basket_items > 5, "the basket page shows the items collected on the entry pages"
    assert watch.dialogs == [] and watch.errors == [], (watch.dialogs, watch.errors)
    assert watch.outside == [], watch.outside


def test_search_highlight_marks_words_as_text(browser, marked_site):
    """A result opens with ``?h=`` the words searched for (search.highlight, done by search.js): they are found in
    text nodes and marked as text, whatever the page or the query holds."""
    base, _ = marked_site
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    watch = Watch(context, page)
    query = " ".join(["测试", *THEME_PAYLOADS[:4], "onerror", "x-hostile"])
    try:
        page.goto(base + "sites/alpha-hq/?h=" + quote(query))
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        marks = page.eval_on_selector_all("mark[data-md-highlight]", "els => els.map(e => e.textContent)")
        injected = page.evaluate("window.__hostile")
        article_html = page.inner_html("article")
    finally:
        context.close()
    assert "测试" in marks and "onerror" in marks, marks
    assert injected == []
    assert "x-hostile" in article_html and "&lt;" in article_html  # the payloads are still text on the page
    assert watch.dialogs == [] and watch.outside == [] and watch.errors == []
