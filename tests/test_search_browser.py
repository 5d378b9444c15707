"""Search as a reader uses it: the shipped content built by MkDocs, indexed by the pinned Pagefind, served on
127.0.0.1, typed into the header search box of Debian's Chromium. Every kind of query the issue names, the order of
results, filters, the keyboard, the highlight on the opened page, and no request to any other host.
"""

from __future__ import annotations

import html
import re
import shutil
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import serving

pytestmark = [pytest.mark.browser, pytest.mark.site]


HQ = "sites/tuyang-east-river-column-hq/"
YUAN_GENG = "sites/yuan-geng-ancestral-home/"
YUAN_GENG_PERSON = "people/yuan-geng/"
YIN_LINPING = "people/yin-linping/"
CADRE_SCHOOL = "sites/dongshan-temple-cadre-school/"
MEMORIAL = "sites/shayuchong-northern-withdrawal-memorial/"
HALL = "sites/shayuchong-red-memory-exhibition-hall/"
RED_VILLAGE = "sites/tuyang-red-village/"
SHAYUCHONG = "sites/shayuchong-village/"
ZENG_SHENG = "people/zeng-sheng/"
DEMO_WITHDRAWAL = "oral-history/demo-shayuchong-withdrawal/"
DEMO_TUYANG = "oral-history/demo-tuyang-memories/"

# query → (pages that must be among the results, the page that must come first or None). A name that is exactly an
# entry's title or alias puts that entry first (袁庚 the person before 袁庚故居 the house).
QUERIES = {
    # names and terms as written
    "袁庚": ([YUAN_GENG_PERSON, YUAN_GENG], YUAN_GENG_PERSON),
    "东江纵队": ([HQ, MEMORIAL, CADRE_SCHOOL], None),
    "尹林平": ([YIN_LINPING, HQ], YIN_LINPING),
    # part of a word
    "纵队": ([HQ, MEMORIAL], None),
    "临委": ([HQ, RED_VILLAGE], None),
    "干部学校": ([CADRE_SCHOOL], None),
    # traditional characters
    "東江縱隊": ([HQ, MEMORIAL, CADRE_SCHOOL], None),
    "沙魚涌": ([HALL, MEMORIAL], None),
    "幹部學校": ([CADRE_SCHOOL], None),
    # pinyin, spaced, run together, capitalised; a Cantonese place-name reading (涌 chōng)
    "yuan geng": ([YUAN_GENG_PERSON, YUAN_GENG], YUAN_GENG_PERSON),
    "yuangeng": ([YUAN_GENG_PERSON, YUAN_GENG], YUAN_GENG_PERSON),
    "YuanGeng": ([YUAN_GENG_PERSON, YUAN_GENG], YUAN_GENG_PERSON),
    # the pinyin of a whole title or alias is an exact match too (沙鱼涌 is the village's alias; 曾 read zēng)
    "shayuchong": ([SHAYUCHONG, HALL], SHAYUCHONG),
    "zeng sheng": ([ZENG_SHENG], ZENG_SHENG),
    # a year as its own term, however it is written around
    "1949": ([HQ, DEMO_TUYANG], None),
    "１９４９": ([HQ, DEMO_TUYANG], None),
    # exact title or alias first
    "袁庚故居": ([YUAN_GENG], YUAN_GENG),
    "东纵司令部旧址": ([HQ], HQ),
    "北撤纪念亭": ([MEMORIAL], MEMORIAL),
}


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors


WAITING = ("键入以开始搜索", "正在初始化搜索引擎")  # Material's strings: nothing typed yet / still loading


def wait_for_answer(page) -> str:
    """Until the query has run and its first results are on screen (the list is aria-busy while they load)."""
    page.wait_for_function(
        """w => {
          const meta = document.querySelector('.md-search-result__meta').textContent.trim();
          return meta && !w.includes(meta) && !document.querySelector('.md-search-result__list[aria-busy]');
        }""",
        arg=list(WAITING),
        timeout=20000,
    )
    return page.inner_text(".md-search-result__meta").strip()


def results(page) -> list[str]:
    """The result pages in order (each page once: a result's own sections link to the same page)."""
    hrefs = page.eval_on_selector_all(".md-search-result__item > a:first-child", "els => els.map(e => e.href)")
    return [urlparse(h).path.lstrip("/") for h in hrefs]


def all_results(page) -> list[str]:
    """Every result: scroll the list to its end until the results the count announces are all shown."""
    expected = int(re.match(r"\D*(\d+)", page.inner_text(".md-search-result__meta")).group(1))
    for _ in range(50):
        if len(results(page)) >= expected:
            break
        page.locator(".md-search-result__item").last.scroll_into_view_if_needed()
        page.wait_for_timeout(200)
    return results(page)


def search(page, base_url: str, query: str, start: str = "") -> list[str]:
    """Type into the header search box as an input method delivers Chinese (the text arrives in one input event)."""
    page.goto(base_url + start)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    wait_for_answer(page)
    return results(page)


@pytest.mark.parametrize("query", QUERIES)
def test_every_kind_of_query_finds_its_page(page, served_site, query):
    expected, first = QUERIES[query]
    found = search(page, served_site, query)
    if first:
        assert found[0] == first, f"{query}: {found}"
    found = all_results(page)
    assert set(expected) <= set(found), f"{query}: {found}"


@pytest.mark.parametrize("query", ["喵喵喵", "19491", "xqzv"])
def test_an_absent_word_finds_nothing(page, served_site, query):
    """The checks above would pass on a search that lists every page: results depend on the query. (Pagefind falls
    back to shorter prefixes when a word is found nowhere, 19491 → 1949: those pages are not results.)"""
    assert search(page, served_site, query) == []
    assert "没有找到" in page.inner_text(".md-search-result__meta")


def test_a_date_typed_whole_puts_the_pages_with_it_as_typed_first(page, served_site, shipped_site):
    """1943年12月2日 is looked up as its parts (1943, 年, 12 …), found on many pages; those with the date as typed come
    first (the day the East River Column was proclaimed, and the pages that give it)."""
    found = search(page, served_site, "1943年12月2日")
    with_date = {
        uri for uri in found if "1943年12月2日" in (shipped_site / uri / "index.html").read_text(encoding="utf-8").replace("\u200b", "")
    }
    assert "events/east-river-column-proclaimed-1943/" in with_date and len(found) > len(with_date), found
    assert set(found[: len(with_date)]) == with_date, found


def test_real_entries_come_before_demonstration_records(page, served_site):
    """The demonstration record has 沙鱼涌 in its title; the real memorial only in its text. Real first."""
    search(page, served_site, "沙鱼涌")
    found = all_results(page)
    assert {HALL, MEMORIAL, DEMO_WITHDRAWAL} <= set(found), found
    assert found.index(MEMORIAL) < found.index(DEMO_WITHDRAWAL), found
    demo = page.eval_on_selector_all(".md-search-result__item", "els => els.map(e => !!e.querySelector('.hc-search-demo'))")
    assert demo == sorted(demo), list(zip(found, demo, strict=True))  # every real entry, then every demonstration record
    assert demo[found.index(DEMO_WITHDRAWAL)]


def test_entry_pages_only(page, served_site):
    """Listing, tag and home pages are not in the index: a name leads to its entry, never to a list of entries."""
    from heritage.collections.registry import REGISTRY

    for query in ("葵涌街道", "红色遗址", "口述史"):
        for url in search(page, served_site, query):
            collection, entry_id, rest = url.split("/", 2)
            assert collection in REGISTRY and rest == "", (query, url)
            assert entry_id not in {f.folder for f in REGISTRY[collection].facets}, (query, url)


def test_results_look_like_materials(page, served_site):
    search(page, served_site, "袁庚")
    item = page.locator(".md-search-result__item").first
    assert item.locator("a.md-search-result__link article.md-search-result__article h1").inner_text() == "袁庚"
    marks = item.locator("p mark").all_inner_texts()
    assert "".join(marks).startswith("袁庚") or marks[:2] == ["袁", "庚"], marks
    assert page.inner_text(".md-search-result__meta").endswith("个符合条件的结果")
    assert page.get_attribute("input.md-search__input", "placeholder") == "搜索"


def test_filters_narrow_the_results(page, served_site):
    search(page, served_site, "沙鱼涌")
    everything = all_results(page)
    page.wait_for_selector(".hc-search-filters select[data-filter='栏目']")
    page.select_option(".hc-search-filters select[data-filter='栏目']", "口述史")
    wait_for_answer(page)
    records = all_results(page)
    assert DEMO_WITHDRAWAL in records and len(records) < len(everything)
    assert all(url.startswith("oral-history/") for url in records), records
    page.select_option(".hc-search-filters select[data-filter='栏目']", "")
    wait_for_answer(page)
    memorials = "select[data-filter='类别'] option[value='纪念设施']:not([disabled])"  # enabled once counted again
    page.wait_for_selector(f".hc-search-filters {memorials}", state="attached")
    page.select_option(".hc-search-filters select[data-filter='类别']", "纪念设施")
    wait_for_answer(page)
    found = results(page)
    assert MEMORIAL in found and HALL not in found and all(url.startswith("sites/") for url in found), found
    labels = page.eval_on_selector_all(".hc-search-filters select", "els => els.map(e => e.dataset.filter)")
    assert labels[:3] == ["栏目", "街道", "类别"] and "资料" not in labels


def test_keyboard_open_move_open_and_highlight(page, served_site):
    page.goto(served_site + "about/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.type("纵队")
    wait_for_answer(page)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.matches('.md-search-result__link')")
    first = page.evaluate("document.activeElement.href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == first
    assert parse_qs(urlparse(page.url).query)["h"] == ["纵队"]
    marked = page.eval_on_selector_all("article mark[data-md-highlight]", "els => els.map(e => e.textContent)")
    assert marked and set(marked) == {"纵队"}


def test_escape_closes_the_search(page, served_site):
    search(page, served_site, "袁庚")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")


def test_search_on_a_phone(browser, served_site):
    """Material's phone layout: the box opens from the magnifier in the header."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(served_site + HQ)
    page.tap("label.md-header__button[for='__search']")
    page.wait_for_selector("input.md-search__input", state="visible")
    page.fill("input.md-search__input", "袁庚")
    wait_for_answer(page)
    assert results(page)[0] == YUAN_GENG_PERSON and YUAN_GENG in results(page)
    assert page.locator(".md-search-result__item").first.is_visible()
    context.close()


def test_search_loads_nothing_until_opened_and_only_from_this_host(browser, served_site):
    """A page view downloads no index; a search downloads its code and index from our own host only."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page.goto(served_site + HQ)
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "/pagefind/" in url or "/search/" in url]
    page.click("input.md-search__input")
    for query in ("東江縱隊", "yuangeng", "沙鱼涌"):
        page.fill("input.md-search__input", query)
        wait_for_answer(page)
        page.wait_for_timeout(200)
    page.wait_for_load_state("networkidle")
    context.close()
    assert any("/pagefind/pagefind.js" in url for url in requested) and any(url.endswith(".pf_index") for url in requested)
    assert any("/pagefind/fragment/" in url for url in requested) and any("/search/t2s.json" in url for url in requested)
    outside = [url for url in requested if urlparse(url).hostname != "127.0.0.1" and not url.startswith(("data:", "blob:"))]
    assert not outside, outside


# --- a page where the two characters of a short name stand apart ----------------------------------------------------


@pytest.fixture(scope="module")
def site_with_apart_page(tmp_path_factory):
    """The shipped content plus one test entry that has 袁 and 庚, but never 袁庚."""
    from conftest import ROOT, mkdocs_build

    root = tmp_path_factory.mktemp("apart")
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    source = (content / "sites" / "tuyang-red-village.yml").read_text(encoding="utf-8")
    apart = source.replace("name: 土洋红色村", "name: 测试条目甲", 1)
    assert apart != source and "袁庚" not in apart
    apart = apart.replace("body: |\n", "body: |\n  测试用的句子：袁姓人家住在村东，庚字写在门楣上。\n\n", 1)
    (content / "sites" / "apart-test.yml").write_text(apart, encoding="utf-8")
    site = root / "site"
    result = mkdocs_build(content, site)
    assert result.returncode == 0, result.stdout + result.stderr
    with serving(site) as url:
        yield url


def test_a_short_name_does_not_match_its_characters_apart(page, site_with_apart_page):
    found = search(page, site_with_apart_page, "袁庚")
    assert YUAN_GENG in found and "sites/apart-test/" not in found, found
    assert "sites/apart-test/" in search(page, site_with_apart_page, "庚字"), "the page is in the index"


def test_hostile_text_in_results_stays_text(browser, tmp_path_factory):
    """Titles, names and excerpts come from the index as text: hostile values in every field (tests/hostile.py),
    built and indexed for real, show in the results as the characters they are and run nothing."""
    from conftest import mkdocs_build
    from hostile import make_hostile_content

    root = tmp_path_factory.mktemp("hostile-search")
    site = root / "site"
    result = mkdocs_build(make_hostile_content(root), site)
    assert result.returncode == 0, result.stdout + result.stderr
    with serving(site) as url:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        try:
            for query in ("alert", "javascript", "onclick"):
                found = search(page, url, query)
                assert found, query
                page.hover(".md-search-result__item")
                injected = page.eval_on_selector_all(
                    ".md-search-result__list script, .md-search-result__list img, .md-search-result__list svg, "
                    ".md-search-result__list iframe, .md-search-result__list [onerror], .md-search-result__list [onload]",
                    "els => els.length",
                )
                assert injected == 0, query
            # Tag-like text is refused at validation now (tests/test_theme_safety.py shows the theme would keep it
            # text anyway); what validation lets through, Markdown links and attribute lists, shows as typed.
            shown = page.inner_text(".md-search-result__list")
            assert "javascript:alert" in shown or "onclick=alert" in shown, shown[:300]
        finally:
            context.close()
    assert dialogs == []


# The queries the issue measures excerpts on; what an excerpt cut from the whole page used to show.
EXCERPT_QUERIES = ("东江纵队", "1943", "yuan geng", "刘黑仔", "沙鱼涌", "北撤")
FACT_LABELS = "类别|所在街道|地址|位置|导航|地图搜索|保护级别|时期|别名|原名|外文拼写|出生|逝世|籍贯|时间|地点|受访者|采访者|采访时间"
NOT_PROSE = re.compile(
    r"[\u4e00-\u9fff）] ?\d{1,2} ?[。，；）]"  # a footnote number after a word ("…兼翻译 1。")
    rf"|(?:^|[. ])(?:{FACT_LABELS})\. "  # a facts-table label before its value ("职务 职务. 1941年", "籍贯. 广东")
    r"|相关(?:人物|事件|遗址|口述史|口述片段|红色遗址|教案)\."  # a related-entry list's heading
    # sources (a citation's marks: a weak source ends its footnote; the statement of what the site checks; a source
    # page's trust line), upkeep, map links
    r"|访问于|Wikipedia|未与原刊核对|已与原始出版物核对|。（来源较弱）|本站核对的是|逐字核对|资料来源\.|本页最后更新|在高德地图"
)


@pytest.mark.parametrize("query", EXCERPT_QUERIES)
def test_excerpts_are_prose(page, served_site, query):
    """Every excerpt shown (a result's and its sections') is cut from the page's prose: no footnote numbers, table
    labels, related-entry lists, citations or map links. The pages found are those test_every_kind_of_query… expects."""
    search(page, served_site, query)
    all_results(page)
    excerpts = page.eval_on_selector_all(".md-search-result__item p", "els => els.map(e => e.textContent)")
    assert excerpts, query
    bad = [text for text in excerpts if NOT_PROSE.search(text)]
    assert bad == [], f"{query}: {bad}"


# --- after exact names: the pages whose own name has what was typed ---------------------------------------------------


def page_names(site, uri: str) -> list[str]:
    """The title and the names metadata (each title and alias with its endings) of a built entry page, as compared."""
    from heritage.outputs.search_index import name_key

    text = (site / uri / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'data-pagefind-meta="(title|names)">([^<]*)<', text)
    return [name_key(html.unescape(name)) for _, value in found for name in value.split(" ")]


def name_distance(site, uri: str, query: str) -> float:
    """How many characters the page's nearest name goes on after the query (search.js nameDistance); inf: none has it."""
    from heritage.outputs.search_index import name_key

    key = name_key(query)
    return min((len(n) - n.rfind(key) - len(key) for n in page_names(site, uri) if key in n), default=float("inf"))


PROVISIONAL_COMMITTEE = "events/provisional-committee-1943/"
ANNIVERSARY = "events/anniversary-80th-2023/"
HQ_LEAVES = "events/hq-leaves-tuyang-1945/"

# query → (the page meant, a page whose title has the query too but goes on after it). Neither query is exactly a
# title or alias: 中共广东省临时委员会 is the committee; the anniversary of its founding is an event about it.
NEAREST_NAME = {
    "临时委员会": (PROVISIONAL_COMMITTEE, ANNIVERSARY),
    "东江纵队司令部": (HQ, HQ_LEAVES),
}


@pytest.mark.parametrize("query", NEAREST_NAME)
def test_the_name_nearest_what_was_typed_comes_first(page, served_site, shipped_site, query):
    meant, other = NEAREST_NAME[query]
    assert name_distance(shipped_site, meant, query) < name_distance(shipped_site, other, query) < float("inf")
    found = search(page, served_site, query)
    assert found[0] == meant and other in found, f"{query}: {found}"


# Queries that are no entry's exact name, and the pages that must come first: those whose own title or alias has the
# query (东纵 is in the alias 东纵司令部旧址; 土洋村 in the title 土洋村东江纵队司令部旧址) before those that only
# mention it (土洋红色村 is about the village, but 土洋村 is not one of its names).
NAMED_FIRST = {"东纵": None, "土洋村": HQ, "临时委员会": PROVISIONAL_COMMITTEE, "东江纵队司令部": HQ}


@pytest.mark.parametrize("query", NAMED_FIRST)
def test_pages_named_with_the_query_come_before_pages_that_mention_it(page, served_site, shipped_site, query):
    """Among the first page of results (real entries; demonstration records come after them whatever their names),
    every page whose title or alias has the query comes before every page that has it only in its text or its
    dictionary words, nearest name first."""
    found = search(page, served_site, query)
    demo = page.eval_on_selector_all(".md-search-result__item", "els => els.map(e => !!e.querySelector('.hc-search-demo'))")
    real = [uri for uri, is_demo in zip(found, demo, strict=True) if not is_demo]
    distances = [name_distance(shipped_site, uri, query) for uri in real]
    named = [d for d in distances if d != float("inf")]
    assert named and distances == sorted(distances), f"{query}: {list(zip(real, distances, strict=True))}"
    assert any(d == float("inf") for d in distances), f"{query}: the check needs pages that only mention it"
    if NAMED_FIRST[query]:
        assert found[0] == NAMED_FIRST[query], f"{query}: {found}"


def same_passage(a: str, b: str) -> bool:
    """Two excerpts showing the same words: shared text at least half as long as the shorter one."""
    from difflib import SequenceMatcher

    x, y = (re.sub(r"\s+", "", t) for t in (a, b))
    match = SequenceMatcher(None, x, y, autojunk=False).find_longest_match(0, len(x), 0, len(y))
    return bool(x and y) and match.size * 2 >= min(len(x), len(y))


@pytest.mark.parametrize("query", ["东山寺", "临时委员会", "东纵"])
def test_one_excerpt_per_passage(page, served_site, query):
    """A result shows its excerpt and the best other sections, each once: not the section the excerpt itself comes
    from again (王作尧's biography, a lesson quoting him, the HQ's section on the committee all showed it twice).
    Sections with their own words stay (the cadre school's 概况 and 现场教学要点 for 东山寺)."""
    search(page, served_site, query)
    all_results(page)
    items = page.eval_on_selector_all(
        ".md-search-result__item",
        "els => els.map(e => [e.querySelector('a').href, Array.from(e.querySelectorAll('p'), p => p.textContent)])",
    )
    repeated = [
        (urlparse(href).path, texts[i], texts[j])
        for href, texts in items
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
        if same_passage(texts[i], texts[j])
    ]
    assert repeated == [], f"{query}: {repeated}"
    if query == "东山寺":
        excerpts = dict((urlparse(href).path.lstrip("/"), len(texts)) for href, texts in items)
        assert excerpts[CADRE_SCHOOL] > 1, "sections of their own stay"
