"""The lecturers' toolkit in a real browser: handouts printed to PDF by headless Chromium, the lesson basket, QR codes.

The shipped content is built once by MkDocs with a public address (so QR codes are made), served on 127.0.0.1 and
opened in Debian's Chromium; the fixture content is built as the offline package is (a local address, served from
127.0.0.1), whose printed pages must carry no developer text and no loopback address. PDFs are read with poppler's pdfinfo and pdftotext (Debian's poppler-utils).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, ROOT, mkdocs_build, serving

pytestmark = [pytest.mark.browser, pytest.mark.site]

PUBLIC = "https://red.example.org/"
SITE = "sites/tuyang-east-river-column-hq/"
RECORD = "oral-history/demo-tuyang-memories/"
LOCAL = "http://127.0.0.1:8765/"  # the offline package's address
# Build instructions and local addresses: never printed, whatever the build.
DEVELOPER_WORDS = ["SITE_URL", "正式域名", "make release", "本地预览版", "127.0.0.1", "localhost"]
# Words only the sidebar, header, search box or footer show: none may be printed.
CHROME_WORDS = ["遗址二维码牌", "条目索引", "开放数据", "键入以开始搜索", "参与编辑", "Material for MkDocs"]


def _build(content: Path, site: Path, site_url: str) -> None:
    result = mkdocs_build(content, site, env={"SITE_URL": site_url})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def public_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("handouts") / "site"
    _build(ROOT / "content", site, PUBLIC)
    return site


@pytest.fixture(scope="module")
def served(public_site):
    with serving(public_site) as url:
        yield url


@pytest.fixture(scope="module")
def local_served(tmp_path_factory):
    site = tmp_path_factory.mktemp("handouts-local") / "site"
    _build(FIXTURE_CONTENT, site, LOCAL)
    with serving(site) as url:
        yield url


def print_pdf(page, path: Path) -> tuple[int, str]:
    """Print the open page as the browser's print dialog would (A4, the page's own @page rules) and read it back:
    (number of pages, text in reading order)."""
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    path.write_bytes(page.pdf(format="A4", prefer_css_page_size=True, print_background=False))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return pages, re.sub(r"\s+", "", text)


def test_every_site_page_prints_on_two_a4_pages_at_most(page, served, public_site, tmp_path):
    sites = sorted(p.parent.name for p in (public_site / "sites").glob("*/qr.svg"))
    assert len(sites) >= 5
    for name in sites:
        page.goto(f"{served}sites/{name}/")
        pages, text = print_pdf(page, tmp_path / f"{name}.pdf")
        assert 1 <= pages <= 2, (name, pages)


def test_a_site_handout_has_teaching_points_first_sources_and_the_address(page, served, tmp_path):
    page.goto(served + SITE)
    pages, text = print_pdf(page, tmp_path / "site.pdf")
    assert "土洋村东江纵队司令部旧址" in text
    # teaching points before the description, sources kept (footnotes), the address under the QR code
    assert text.index("现场教学要点") < text.index("概况")
    sources = page.eval_on_selector_all(".footnote > ol > li > p", "els => els.map(e => e.textContent.replace(/\\s+/g, ''))")
    assert len(sources) >= 5
    for source in sources:  # every source is printed (its opening words: long web addresses are cut on paper)
        assert source[:12] in text, source
    assert (PUBLIC + SITE).replace("-", "") in text.replace("-", "")
    for word in CHROME_WORDS:
        assert word not in text, word


def test_the_qr_code_is_printed_and_points_to_the_public_page(page, served, public_site):
    from heritage.pages.plaques import qr_svg

    page.goto(served + SITE)
    page.emulate_media(media="print")
    qr = page.locator(".hb-print-qr img")
    assert qr.is_visible()
    assert page.evaluate("document.querySelector('.hb-print-qr img').naturalWidth") > 0
    box = qr.bounding_box()
    title = page.locator("article h1").bounding_box()
    assert box["y"] < title["y"] + title["height"] + 40  # in the top corner, beside the title
    svg = (public_site / SITE / "qr.svg").read_text(encoding="utf-8")
    assert svg == qr_svg(PUBLIC + SITE) and svg.startswith("<svg") and "<script" not in svg
    page.emulate_media(media="screen")
    assert not qr.is_visible()  # only on paper


def test_an_oral_history_page_prints_without_player_or_citation_boxes(page, served, tmp_path):
    page.goto(served + RECORD)
    page.emulate_media(media="print")
    assert not page.locator(".oh-player").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible() and not page.locator(".md-header").is_visible()
    pages, text = print_pdf(page, tmp_path / "record.pdf")
    assert pages <= 3, pages  # was six pages of expanded citation boxes
    assert "演示数据" in text and "片段索引" in text
    assert "Chicago" not in text  # the per-segment citation boxes are collapsed
    for word in CHROME_WORDS:
        assert word not in text, word


def test_the_plaque_sheet_has_every_published_site_with_its_code(page, served, public_site, tmp_path):
    sites = sorted(p.stem for p in (ROOT / "content" / "sites").glob("*.yml"))
    page.goto(served + "plaques/")
    images = page.eval_on_selector_all(".hb-plaque img", "els => els.map(e => [e.getAttribute('src'), e.naturalWidth])")
    published = [s for s in sites if (public_site / "sites" / s / "index.html").is_file()]
    assert len(images) == len(published) >= 1
    assert all(width > 0 for _, width in images)
    pages, text = print_pdf(page, tmp_path / "plaques.pdf")
    assert pages <= -(-len(published) // 6) + 1
    assert "土洋村东江纵队司令部旧址" in text
    assert (PUBLIC + SITE).replace("-", "") in text.replace("-", "")  # pdftotext drops a hyphen at a line's end


def test_a_build_without_a_public_address_makes_no_code_and_no_developer_text():
    from heritage import build
    from heritage.pages.plaques import NO_CODES_NOTICE

    result = build(FIXTURE_CONTENT, site_url="http://127.0.0.1:8000/")
    assert not [uri for uri in result.files if uri.endswith("qr.svg")]
    assert '<div class="hb-print-qr">\n</div>' in result.pages["sites/alpha-hq.md"]  # the corner stays empty
    assert NO_CODES_NOTICE in result.pages["plaques.md"] and "<img" not in result.pages["plaques.md"]
    for uri, text in result.pages.items():
        for word in ["SITE_URL", "SITE\\_URL", "正式域名", "make release", "本地预览版不印"]:
            assert word not in text, (uri, word)
    public = build(FIXTURE_CONTENT, site_url=PUBLIC)
    assert "sites/alpha-hq/qr.svg" in public.files and "127.0.0.1" not in public.files["sites/alpha-hq/qr.svg"]


def test_making_a_plaque_for_a_local_address_is_refused():
    from heritage.core.entry import Entry  # noqa: F401  (the type qr_for takes)
    from heritage.outputs.release import ReleaseError
    from heritage.pages.plaques import qr_for

    class FakeEntry:
        collection, id, url = "sites", "x", "sites/x/"

    with pytest.raises(ReleaseError, match="SITE_URL"):
        qr_for("http://127.0.0.1:8000/", FakeEntry())
    assert qr_for(PUBLIC, FakeEntry()).startswith("<svg")


# --- the lesson basket -------------------------------------------------------------------------------------------


def _ready(page, url):
    page.goto(url)
    page.wait_for_function("document.documentElement.getAttribute('data-basket-ready') === '1'")


def test_a_lecturer_fills_the_basket_reorders_it_and_prints_a_handout(page, served, tmp_path):
    _ready(page, served + SITE)
    page.click("article button.hb-add >> nth=0")  # the whole entry
    points = page.locator("article ol li button.hb-add")
    assert points.count() >= 2
    points.nth(0).click()
    points.nth(1).click()
    assert page.locator("button.hb-add[aria-pressed='true']").count() == 3

    _ready(page, served + RECORD)
    segments = page.locator("article h2 + button.hb-add")
    assert segments.count() >= 2
    segments.nth(1).click()

    page.reload()  # kept across a reload and across pages
    page.wait_for_function("document.documentElement.getAttribute('data-basket-ready') === '1'")
    assert page.locator("button.hb-add[aria-pressed='true']").count() == 1

    _ready(page, served + "basket/")
    titles = page.eval_on_selector_all(".hb-item__title", "els => els.map(e => e.textContent)")
    assert len(titles) == 4 and titles[0] == "土洋村东江纵队司令部旧址"
    segment_title = titles[3]
    page.locator(".hb-item >> nth=3").locator("button[title='上移']").click()
    titles = page.eval_on_selector_all(".hb-item__title", "els => els.map(e => e.textContent)")
    assert titles[2] == segment_title
    page.locator(".hb-item >> nth=1").locator("button[title='从备课篮删除']").click()
    page.reload()
    page.wait_for_function("document.documentElement.getAttribute('data-basket-ready') === '1'")
    titles = page.eval_on_selector_all(".hb-item__title", "els => els.map(e => e.textContent)")
    assert len(titles) == 3 and titles[1] == segment_title

    links = page.eval_on_selector_all(".hb-item__title a", "els => els.map(e => e.getAttribute('href'))")
    assert links[0] == "/" + SITE and links[1].startswith("/" + RECORD + "#")

    pages, text = print_pdf(page, tmp_path / "basket.pdf")
    assert pages <= 3
    assert "土洋村东江纵队司令部旧址" in text and segment_title.replace(" ", "") in text
    assert "资料来源" in text and (PUBLIC + SITE).replace("-", "") in text.replace("-", "")  # sources, public address
    assert "演示数据" in text  # the demonstration segment says so
    assert "↑" not in text and "清空" not in text and "打印讲义" not in text  # the tools stay on screen
    assert "收集整个条目" not in text  # so does the page's explanation
    for word in CHROME_WORDS:
        assert word not in text, word


def test_without_javascript_there_is_no_basket_button(browser, served):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served + SITE)
    assert page.locator("button").filter(has_text="备课篮").count() == 0
    page.goto(served + "basket/")
    assert "需要浏览器启用 JavaScript" in page.inner_text("article")
    context.close()


def test_the_teaching_page_links_every_point_back(page, served):
    page.goto(served + "teaching/")
    text = page.inner_text("article")
    assert "抗日战争时期" in text and "讨论题" in text
    hrefs = page.eval_on_selector_all("article h4 a", "els => els.map(e => e.getAttribute('href'))")
    assert any(h.endswith(SITE.rstrip("/").split("/")[-1] + "/#现场教学要点") for h in hrefs), hrefs


def test_an_entry_printed_from_a_local_build_has_no_developer_text(page, local_served, tmp_path):
    page.goto(local_served + "sites/alpha-hq/")
    pages, text = print_pdf(page, tmp_path / "local-site.pdf")
    assert "甲村东江纵队司令部测试旧址" in text and "测试用书" in text
    for word in DEVELOPER_WORDS + CHROME_WORDS:
        assert word not in text, word
    assert page.locator(".hb-print-qr img").count() == 0


def _basket_handout(page, base):
    """The lecturer gathers the fixture event (whole entry and a teaching point: one page's sources, printed once)
    and the fixture site, then opens the basket."""
    _ready(page, base + "events/eta-event/")
    page.evaluate("localStorage.clear()")
    page.reload()
    page.wait_for_function("document.documentElement.getAttribute('data-basket-ready') === '1'")
    page.click("article button.hb-add >> nth=0")
    page.locator("article ol li button.hb-add").nth(0).click()
    _ready(page, base + "sites/alpha-hq/")
    page.click("article button.hb-add >> nth=0")
    _ready(page, base + "basket/")


def test_the_handout_has_the_lecturers_title_short_sources_and_no_local_address(page, local_served, tmp_path):
    import datetime

    _basket_handout(page, local_served)
    field = page.locator("input.hb-title-input")
    today = datetime.date.today()
    default = f"备课讲义（{today.year}年{today.month}月{today.day}日）"
    assert field.input_value() == default  # the default: the date of the day
    field.fill("土洋村现场教学　第一讲")
    page.reload()  # remembered in this browser
    page.wait_for_function("document.documentElement.getAttribute('data-basket-ready') === '1'")
    assert page.locator("input.hb-title-input").input_value() == "土洋村现场教学 第一讲"

    page.emulate_media(media="print")
    lines = page.eval_on_selector_all(".hb-item__sources > li", "els => els.map(e => [e.textContent, e.getBoundingClientRect().height])")
    line_height = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.hb-item__sources > li')).lineHeight)")
    page.emulate_media(media="null")  # back to no emulation: page.pdf() then prints with the print styles
    # the event's reliable source, then the site's two: one line each, no web address, access date or remarks
    assert [t for t, _ in lines] == ["测试出版社：《测试用书》", "测试出版社：《测试用书》", "测试网站：《测试网页》 · example.org"]
    assert all(height < 1.5 * line_height for _, height in lines), (lines, line_height)

    pages, text = print_pdf(page, tmp_path / "local-basket.pdf")
    assert pages <= 2
    assert text.startswith("土洋村现场教学第一讲")  # the lecturer's title heads the handout, not "备课篮"
    assert "备课篮" not in text and "讲义标题" not in text
    assert "乙测试事件" in text and "甲村东江纵队司令部测试旧址" in text
    assert text.count("测试出版社：《测试用书》") == 2  # the event's and the site's; the point's says 同第1项
    assert "资料来源：同第1项" in text
    assert "另有1条较弱来源见网页" in text  # the weak forum post is counted
    assert "论坛帖子" not in text and "访问于" not in text  # the short line: no weak source, no web address
    assert "已与原始出版物核对" not in text and "未与原刊核对" not in text  # nor a citation's marks
    assert "网址：" not in text  # no public address: none printed
    assert page.locator("img.hb-item__qr").count() == 0
    for word in DEVELOPER_WORDS + CHROME_WORDS:
        assert word not in text, word
    page.evaluate("localStorage.clear()")


def test_a_local_address_stored_by_an_earlier_visit_is_not_printed(page, local_served, tmp_path):
    """Items stored by an earlier version (full source texts, a local canonical link) print the same way."""
    _ready(page, local_served + "basket/")
    item = {
        "key": "/sites/alpha-hq/|entry",
        "kind": "entry",
        "title": "甲村东江纵队司令部测试旧址",
        "url": "/sites/alpha-hq/",
        "sources": ["一篇帖子。https://example.org/x（访问于 2026-11-26）。（来源较弱。）", "甲出版社：《甲书。上》，1990。"],
        "canonical": "http://127.0.0.1:8000/sites/alpha-hq/",
        "qr": "/sites/alpha-hq/qr.svg",
    }
    page.evaluate("item => localStorage.setItem('heritage-basket-v1', JSON.stringify([item]))", item)
    page.reload()
    page.wait_for_function("document.documentElement.getAttribute('data-basket-ready') === '1'")
    assert page.eval_on_selector_all(".hb-item__sources > li", "els => els.map(e => e.textContent)") == ["甲出版社：《甲书。上》，1990"]
    pages, text = print_pdf(page, tmp_path / "old-basket.pdf")
    assert "另有1条较弱来源见网页" in text and "网址：" not in text and page.locator("img.hb-item__qr").count() == 0
    for word in DEVELOPER_WORDS:
        assert word not in text, word
    page.evaluate("localStorage.clear()")
