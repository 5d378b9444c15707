"""报告错误 and 大字, as a reader meets them: the fixture content built for real by MkDocs (with a repository and an
e-mail set in mkdocs.yml's extra.report through its !ENV variables, or with none), served on 127.0.0.1 and opened in
Chromium; nothing leaves 127.0.0.1 (issue forms are caught before they load).

报告错误: on every entry page and no other page when configured, on no page when not; following it with text
selected opens a new GitHub or Gitee issue, or an e-mail, whose text holds the page's address and the selection,
encoded whatever the selection says; without JavaScript it carries the address alone.

大字: one switch in the header, remembered across reloads and pages, applied before the content is laid out; body
text of at least 20px and every visible link and button of the content and the menu at least 44px tall at a phone's
width; larger type in print; axe-core finds nothing serious; and the release's Content-Security-Policy (inline
scripts by hash only) is not violated."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import FIXTURE_CONTENT, ROOT, QuietHandler, serious_violations, serving

pytestmark = [pytest.mark.browser, pytest.mark.site]

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}
SITE_URL = "https://red.example.org/"
GITHUB = "https://github.com/example-owner/dapeng-heritage"
GITEE = "https://gitee.com/example-owner/dapeng-heritage"
EMAIL = "corrections@example.org"
KEY = "heritage-large-type-v1"  # large-type.js
HOSTILE = "他说\"不对\" & 'x' <script>alert(1)</script>\n第二行 ?body=改写&title=伪造#片段 %0A%23 </textarea>"


def _build(root: Path, **report: str) -> Path:
    """The fixture content built by ``mkdocs build --strict`` with the project's mkdocs.yml; ``report`` sets
    extra.report through the variables mkdocs.yml reads (HERITAGE_REPORT_REPOSITORY, HERITAGE_REPORT_EMAIL)."""
    site = root / "site"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HERITAGE_REPORT_")},
        "HERITAGE_CONTENT_DIR": str(FIXTURE_CONTENT),
        "NO_MKDOCS_2_WARNING": "1",
        "SITE_URL": SITE_URL,
        "HERITAGE_REPORT_REPOSITORY": report.get("repository", ""),
        "HERITAGE_REPORT_EMAIL": report.get("email", ""),
    }
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(site)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The same content built five ways: GitHub and e-mail, Gitee alone, e-mail alone, nothing configured, and values
    of the wrong shape (which the theme links nowhere; a release refuses them, see the last test)."""
    return {
        "github": _build(tmp_path_factory.mktemp("report-github"), repository=GITHUB, email=EMAIL),
        "gitee": _build(tmp_path_factory.mktemp("report-gitee"), repository=GITEE),
        "email": _build(tmp_path_factory.mktemp("report-email"), email=EMAIL),
        "none": _build(tmp_path_factory.mktemp("report-none")),
        "wrong": _build(tmp_path_factory.mktemp("report-wrong"), repository="https://github.com/only-owner", email="not an address"),
    }


def entry_pages(site: Path) -> list[str]:
    """Every entry page of the build (each collection's ``<name>/<id>/``, facet folders left out)."""
    from heritage.collections.registry import REGISTRY

    pages = []
    for collection in REGISTRY:
        facets = {f.folder for f in collection.facets}
        pages += [
            f"{collection.name}/{p.parent.name}/"
            for p in sorted((site / collection.name).glob("*/index.html"))
            if p.parent.name not in facets
        ]
    return pages


def all_pages(site: Path) -> list[str]:
    return sorted(
        ("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/")
        for p in site.rglob("index.html")
        if not {"search", "pagefind", "assets"} & set(p.relative_to(site).parts)
    )


def report_links(html: str) -> list[str]:
    """The hrefs of the 报告错误 line of a built page (HTML-unescaped)."""
    import html as html_module
    import re

    line = re.search(r'<p[^>]*class="hc-report"[^>]*>(.*?)</p>', html, re.S)
    return [html_module.unescape(h) for h in re.findall(r'href="([^"]*)"', line.group(1))] if line else []


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


# --- 报告错误 --------------------------------------------------------------------------------------------------------


def test_report_link_on_every_entry_page_and_nowhere_else(sites):
    site = sites["github"]
    entries = entry_pages(site)
    assert {e.split("/")[0] for e in entries} >= {"sites", "people", "events", "oral-history", "lessons", "routes", "sources"}
    for path in entries:
        links = report_links((site / path / "index.html").read_text(encoding="utf-8"))
        assert len(links) == 2, path  # the issue, and the e-mail beside it
        issue, mail = links
        assert issue.startswith(GITHUB + "/issues/new?title="), issue
        assert query_of(issue)["body"][0].startswith(f"页面：{SITE_URL}{path}\n"), issue
        assert mail.startswith(f"mailto:{EMAIL}?subject="), mail
        assert f"页面：{SITE_URL}{path}" in query_of(mail)["body"][0]
    others = [p for p in all_pages(site) if p not in entries]
    assert {"", "sites/", "sites/streets/dapeng/", "timeline/", "map/", "basket/", "about/"} <= set(others)
    for path in others:
        assert "hc-report" not in (site / path / "index.html").read_text(encoding="utf-8"), path
    # Not configured (the shipped mkdocs.yml), or configured with what is not a repository or an address: no link on
    # any page, not even an empty line.
    for name in ("none", "wrong"):
        for html_file in sites[name].rglob("*.html"):
            assert "hc-report" not in html_file.read_text(encoding="utf-8"), html_file


def test_gitee_and_email_alone_link_the_same_way(sites):
    path = entry_pages(sites["gitee"])[0]
    (issue,) = report_links((sites["gitee"] / path / "index.html").read_text(encoding="utf-8"))
    assert issue.startswith(GITEE + "/issues/new?title=")
    assert set(query_of(issue)) == {"title", "description"}  # Gitee's form field (see overrides/partials/feedback.html)
    (mail,) = report_links((sites["email"] / path / "index.html").read_text(encoding="utf-8"))
    assert mail.startswith(f"mailto:{EMAIL}?subject=") and set(query_of(mail)) == {"subject", "body"}


SELECT = """(text) => {
  const target = text === null ? document.querySelector('.md-content article p') : (() => {
    const p = document.createElement('p');
    p.id = 'selected-here';
    p.textContent = text;
    p.style.whiteSpace = 'pre-wrap';
    document.querySelector('.md-content article').prepend(p);
    return p;
  })();
  const range = document.createRange();
  range.selectNodeContents(target);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return selection.toString();
}"""

# The URL a click on a report link leaves with (after report.js has set it), recorded and the navigation stopped: a
# listener on window runs after the link's own.
CATCH_CLICK = """
window.__followed = [];
window.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('p.hc-report a');
  if (link) { window.__followed.push(link.href); event.preventDefault(); }
});
"""


def _outside_aborted(context, seen: list[str]):
    def route(route):
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            seen.append(route.request.url)
            route.abort()

    context.route("**/*", route)


@pytest.mark.parametrize("kind", ["github", "gitee", "email"])
def test_following_the_link_quotes_the_page_and_the_selection(browser, sites, kind):
    site = sites[kind]
    path = "sites/alpha-hq/"
    with serving(site) as base:
        context = browser.new_context(**DESKTOP)
        outside: list[str] = []
        _outside_aborted(context, outside)
        context.add_init_script(CATCH_CLICK)
        page = context.new_page()
        page.goto(base + path)
        selected = page.evaluate(SELECT, None)
        assert len(selected.strip()) > 10
        page.click("p.hc-report a >> nth=0")  # a real click: the pointer going down clears the selection
        (url,) = page.evaluate("window.__followed")
        context.close()
    query = query_of(url)
    body = query[{"github": "body", "gitee": "description", "email": "body"}[kind]][0]
    assert f"页面：{SITE_URL}{path}" in body
    words = " ".join(selected.split())
    assert words[:60] in " ".join(body.replace("> ", " ").split()), body
    assert "哪里有误" in body
    assert query["subject" if kind == "email" else "title"][0].startswith("报告错误：")
    assert url.startswith({"github": GITHUB + "/issues/new?", "gitee": GITEE + "/issues/new?", "email": f"mailto:{EMAIL}?"}[kind])
    if kind == "email":
        assert "\r\n" in body  # RFC 6068 line ends
    assert outside == []


def test_an_issue_opens_beside_the_page_with_the_selection(browser, sites):
    """Not intercepted in the page: the issue form really opens (in a new tab); its request is caught and aborted."""
    with serving(sites["github"]) as base:
        context = browser.new_context(**DESKTOP)
        outside: list[str] = []
        _outside_aborted(context, outside)
        page = context.new_page()
        page.goto(base + "people/zeta-person/")
        selected = page.evaluate(SELECT, None)
        with context.expect_page() as popup:
            page.click("p.hc-report a >> nth=0")
        popup.value.wait_for_timeout(300)
        context.close()
    assert len(outside) == 1 and outside[0].startswith(GITHUB + "/issues/new?"), outside
    body = query_of(outside[0])["body"][0]
    assert f"页面：{SITE_URL}people/zeta-person/" in body
    assert " ".join(selected.split())[:40] in " ".join(body.replace("> ", " ").split())


@pytest.mark.parametrize("kind", ["github", "gitee", "email"])
def test_hostile_selected_text_stays_inside_its_parameter(browser, sites, kind):
    with serving(sites[kind]) as base:
        context = browser.new_context(**DESKTOP)
        outside: list[str] = []
        _outside_aborted(context, outside)
        context.add_init_script(CATCH_CLICK)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(base + "events/eta-event/")
        scripts = page.evaluate("document.scripts.length")
        selected = page.evaluate(SELECT, HOSTILE)
        page.click("p.hc-report a >> nth=0")
        (url,) = page.evaluate("window.__followed")
        assert page.evaluate("document.scripts.length") == scripts
        context.close()
    assert dialogs == [] and outside == []
    assert not any(c in url for c in '<>"\n\r #') and url.count("?") == 1
    query = query_of(url)
    key = "description" if kind == "gitee" else "body"
    assert set(query) == ({"subject", "body"} if kind == "email" else {"title", key})
    assert all(len(values) == 1 for values in query.values())
    quoted = "\n".join("> " + line for line in selected.strip().splitlines())
    assert quoted in query[key][0].replace("\r\n", "\n"), query[key][0]
    assert "<script>alert(1)</script>" in query[key][0] and "?body=改写&title=伪造#片段 %0A%23" in query[key][0]


def test_without_javascript_the_link_carries_the_page_address(browser, sites):
    with serving(sites["github"]) as base:
        context = browser.new_context(**DESKTOP, java_script_enabled=False)
        page = context.new_page()
        page.goto(base + "lessons/theta-lesson/")
        href = page.get_attribute("p.hc-report a >> nth=0", "href")
        assert page.is_visible("p.hc-report a >> nth=0")
        # the 大字 switch needs its script: without it there is no button that does nothing
        assert not page.is_visible("button[data-hc-large-type]")
        context.close()
    assert href.startswith(GITHUB + "/issues/new?")
    assert query_of(href)["body"][0].startswith(f"页面：{SITE_URL}lessons/theta-lesson/")


# --- 大字 ------------------------------------------------------------------------------------------------------------


def _large(page) -> bool:
    return page.evaluate("document.documentElement.classList.contains('hc-large')")


def _body_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-content .md-typeset')).fontSize)")


def test_large_type_switch_is_remembered_across_reloads_and_pages(browser, sites):
    with serving(sites["none"]) as base:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        page.goto(base + "sites/alpha-hq/")
        switch = page.locator("button[data-hc-large-type]")
        assert switch.is_visible() and switch.inner_text().strip() == "大字"
        assert switch.get_attribute("aria-pressed") == "false" and not _large(page)
        normal = _body_px(page)
        switch.click()
        assert switch.get_attribute("aria-pressed") == "true" and _large(page)
        assert _body_px(page) >= 20 > normal
        page.reload()
        assert _large(page) and page.get_attribute("button[data-hc-large-type]", "aria-pressed") == "true"
        page.goto(base + "timeline/")
        assert _large(page) and _body_px(page) >= 20
        assert page.get_attribute("button[data-hc-large-type]", "aria-pressed") == "true"
        page.click("button[data-hc-large-type]")
        page.goto(base + "sites/")
        assert not _large(page) and page.get_attribute("button[data-hc-large-type]", "aria-pressed") == "false"
        assert page.evaluate(f"localStorage.getItem('{KEY}')") is None
        context.close()


# Records, from before the page's own scripts, whether <html> was large when the article was parsed, and when the
# class arrived compared with the first paint.
WATCH_FIRST_PAINT = """
window.__lt = { articleLarge: null, classAt: null };
new MutationObserver(() => {
  const root = document.documentElement;
  if (window.__lt.classAt === null && root.classList.contains('hc-large')) window.__lt.classAt = performance.now();
  if (window.__lt.articleLarge === null && document.querySelector('article')) window.__lt.articleLarge = root.classList.contains('hc-large');
}).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] });
"""


def test_large_type_is_on_before_the_content_is_laid_out(browser, sites):
    with serving(sites["none"]) as base:
        context = browser.new_context(**PHONE)
        context.add_init_script(f"try {{ localStorage.setItem('{KEY}', '1'); }} catch (e) {{}}")
        context.add_init_script(WATCH_FIRST_PAINT)
        page = context.new_page()
        page.goto(base + "sites/alpha-hq/")
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)
        seen = page.evaluate("window.__lt")
        first_paint = page.evaluate("(performance.getEntriesByName('first-paint')[0] || {}).startTime")
        context.close()
    assert seen["articleLarge"] is True, "the article was parsed before the stored choice was applied"
    assert seen["classAt"] is not None and first_paint is not None and seen["classAt"] <= first_paint, (seen, first_paint)


VISIBLE_SMALL = """(selector) => Array.from(document.querySelectorAll(selector)).filter((e) => {
  const r = e.getBoundingClientRect();
  const style = getComputedStyle(e);
  return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none' && e.getClientRects().length;
}).map((e) => {
  const r = e.getBoundingClientRect();
  return [(e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim()).slice(0, 60), Math.round(r.height * 10) / 10];
}).filter(([, h]) => h < 44)"""

CONTENT_TARGETS = ".md-content a[href], .md-content button, .md-content summary, .md-content select"
NAV_TARGETS = ".md-sidebar--primary a[href], .md-sidebar--primary label.md-nav__link, .md-sidebar--primary button"


def _pages_to_measure(site: Path) -> list[str]:
    from heritage.collections.registry import REGISTRY

    pages = ["", "timeline/", "teaching/", "a-z/", "map/", "basket/", "sites/streets/dapeng/", "about/"]
    for collection in REGISTRY:
        if (site / collection.name / "index.html").is_file():
            pages.append(f"{collection.name}/")
    entries = entry_pages(site)
    for name in {e.split("/")[0] for e in entries}:
        pages.append(next(e for e in entries if e.startswith(name + "/")))
    return [p for p in pages if (site / p / "index.html").is_file()]


def test_large_type_text_and_touch_targets_at_phone_width(browser, sites):
    site = sites["github"]  # with the 报告错误 line
    small: dict[str, list] = {}
    with serving(site) as base:
        context = browser.new_context(**PHONE)
        context.add_init_script(f"try {{ localStorage.setItem('{KEY}', '1'); }} catch (e) {{}}")
        page = context.new_page()
        for path in _pages_to_measure(site):
            page.goto(base + path)
            page.wait_for_load_state("load")
            assert _large(page), path
            assert _body_px(page) >= 20, path
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{path} scrolls sideways"
            found = page.evaluate(VISIBLE_SMALL, CONTENT_TARGETS)
            page.locator("label.md-header__button[for='__drawer']").click()  # the menu, as a phone shows it
            page.wait_for_timeout(400)
            assert page.evaluate("document.getElementById('__drawer').checked")
            found += page.evaluate(VISIBLE_SMALL, NAV_TARGETS)
            found += page.evaluate(VISIBLE_SMALL, ".md-header__inner > button:not([hidden]), .md-header__inner > label.md-header__button")
            if found:
                small[path] = found
        # The search box and its results (filters, result links, the clear button once something is typed).
        page.goto(base + "sites/alpha-hq/")
        page.locator("label.md-header__button[for='__search']").click()
        page.locator("form[name='hc-search'] input[name='query']").fill("东江纵队")
        page.wait_for_selector(".md-search-result__link", timeout=15000)
        page.wait_for_timeout(300)
        found = page.evaluate(VISIBLE_SMALL, ".md-search a[href], .md-search button, .md-search select, .md-search label.md-search__icon")
        assert page.locator(".md-search-result__link").count() > 0
        if found:
            small["search"] = found
        context.close()
    assert small == {}, small


def test_no_serious_accessibility_violation_with_large_type_on_a_phone(browser, sites):
    site = sites["github"]
    found = {}
    with serving(site) as base:
        context = browser.new_context(**PHONE)
        context.add_init_script(f"try {{ localStorage.setItem('{KEY}', '1'); }} catch (e) {{}}")
        page = context.new_page()
        for path in _pages_to_measure(site):
            page.goto(base + path)
            page.wait_for_load_state("load")
            assert _large(page)
            violations = serious_violations(page)
            if violations:
                found[path] = violations
        context.close()
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


def test_large_type_prints_large(browser, sites):
    with serving(sites["github"]) as base:
        context = browser.new_context(**DESKTOP)
        page = context.new_page()
        page.goto(base + "sites/alpha-hq/")
        page.emulate_media(media="print")
        normal = _body_px(page)
        assert not page.is_visible("p.hc-report")  # not part of a handout
        page.evaluate(f"localStorage.setItem('{KEY}', '1')")
        page.reload()
        page.emulate_media(media="print")
        large = _body_px(page)
        context.close()
    assert normal < 20 <= large, (normal, large)


class _PolicedHandler(QuietHandler):
    """Serves the site with the release's Content-Security-Policy (computed from the built site, as a release does)."""

    policy = ""

    def end_headers(self):
        self.send_header("Content-Security-Policy", self.policy)
        super().end_headers()


def test_the_release_policy_holds_with_both_features(browser, sites, tmp_path):
    import shutil

    from heritage.outputs.release import content_security_policy, move_css_data_images

    site = tmp_path / "site"  # as a release makes it: the theme's data: icons moved out of its stylesheets
    shutil.copytree(sites["github"], site)
    move_css_data_images(site)
    # Our code is in files, never inline: no inline script of any page mentions either feature.
    import re

    for html_file in site.rglob("*.html"):
        for script in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html_file.read_text(encoding="utf-8"), re.S):
            assert "hc-large" not in script and "hc-report" not in script and KEY not in script, html_file
    handler = type("Policed", (_PolicedHandler,), {"policy": content_security_policy(site)})
    with serving(site, handler=functools.partial(handler)) as base:
        context = browser.new_context(**PHONE)
        context.add_init_script(
            "window.__violations = []; document.addEventListener('securitypolicyviolation', "
            "(e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        context.add_init_script(CATCH_CLICK)
        page = context.new_page()
        page.goto(base + "sites/alpha-hq/")
        page.click("button[data-hc-large-type]")
        assert _large(page)
        page.reload()
        assert _large(page)
        page.evaluate(SELECT, None)
        page.click("p.hc-report a >> nth=0")
        (url,) = page.evaluate("window.__followed")
        violations = page.evaluate("window.__violations")
        context.close()
    assert violations == []
    assert "选中的文字" in query_of(url)["body"][0]


# --- the configuration ---------------------------------------------------------------------------------------------


def test_report_configuration_is_read_and_checked(tmp_path, monkeypatch):
    from heritage.core.config import ConfigError, read_site_config, report_target

    assert read_site_config(ROOT / "mkdocs.yml").report is None  # the shipped site names no public repository
    github = report_target({"report": {"repository": GITHUB, "email": ""}})
    assert (github.host, github.body_parameter, github.email) == ("github", "body", "")
    gitee = report_target({"report": {"repository": GITEE}})
    assert (gitee.host, gitee.body_parameter) == ("gitee", "description")
    assert report_target({"report": {"email": EMAIL}}).email == EMAIL
    assert report_target({}) is None and report_target({"report": {"repository": "", "email": ""}}) is None
    for bad in (
        {"repository": "https://github.com/only-owner"},
        {"repository": GITHUB + ".git"},
        {"repository": GITHUB + "/"},
        {"repository": "http://github.com/a/b"},
        {"repository": "https://gitlab.com/a/b"},
        {"repository": "javascript:alert(1)//github.com/a/b"},
        {"email": "not an address"},
        {"email": "a@b.org?cc=x@y.org"},
    ):
        with pytest.raises(ConfigError):
            report_target({"report": bad})
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    monkeypatch.setenv("HERITAGE_REPORT_REPOSITORY", GITEE)
    assert read_site_config(tmp_path / "mkdocs.yml").report.repository == GITEE  # !ENV, as MkDocs reads it
