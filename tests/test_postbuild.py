"""The post-build step over the built HTML (heritage.engines.postbuild): where a page's content is under each theme's
markup, what it does to generated pages (and not to others), and how a missing page or article stops the build."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from heritage.core.paths import built_page, directory_url
from heritage.engines.postbuild import (
    Plan,
    PostbuildError,
    apply_plan,
    clean_page,
    content_region,
)
from heritage.outputs.search_index import SearchRecord

CONTENT = '<h1 id="t">标题<a class="headerlink" href="#t" title="Permanent link">¶</a></h1>\n<p>正文<sup id="fnref:a"><a class="footnote-ref" href="#fn:a">1</a></sup></p>'
MATERIAL_TAGS = '<nav class="md-tags" >\n      <a href="../../tags/#tag:测试标签" class="md-tag">测试标签</a>\n  </nav>'
RECORD = SearchRecord(url="sites/x/", title="甲旧址", aliases=("甲址",), filters=(("栏目", "红色遗址"),))


def material(content: str, tags: bool = True) -> str:
    """The shape Material 9 writes: tag links before the content, whitespace after."""
    lead = f"\n                \n\n  {MATERIAL_TAGS}\n\n\n" if tags else "\n                \n\n"
    return f'<html><body><nav class="md-nav">侧栏</nav><article class="md-content__inner md-typeset">{lead}{content}\n\n\n  \n              </article><footer>页脚</footer></body></html>'


def zensical(content: str) -> str:
    """The shape Zensical 0.1.2 writes: a skip anchor before the content, tag links after it."""
    return (
        '<html><body><article class="md-content__inner md-typeset">\n                <a id="__skip" tabindex="-1"></a>\n'
        f"                \n\n\n{content}\n\n\n  {MATERIAL_TAGS}\n\n\n                \n              </article></body></html>"
    )


@pytest.mark.parametrize("shape", [material, zensical, lambda c: material(c, tags=False)])
def test_the_region_is_exactly_the_content_under_each_theme(shape):
    page = shape(CONTENT)
    start, end = content_region(page)
    assert page[start:end] == CONTENT


def test_page_paths_and_urls_follow_directory_urls():
    assert [built_page(u) for u in ("index.md", "sites/index.md", "sites/x.md", "sites/kinds/memorial.md")] == [
        "index.html",
        "sites/index.html",
        "sites/x/index.html",
        "sites/kinds/memorial/index.html",
    ]
    assert [directory_url(u) for u in ("index.md", "sites/index.md", "sites/x.md")] == ["", "sites/", "sites/x/"]


def test_an_entry_page_is_wrapped_for_search_and_sanitised_and_the_chrome_kept():
    page = material(CONTENT + '<p onclick="alert(1)">x</p><script>alert(2)</script>')
    cleaned = clean_page(page, RECORD)
    start, end = content_region(page)
    assert cleaned.startswith(page[:start]) and cleaned.endswith(page[end:])  # theme chrome, tag links untouched
    assert MATERIAL_TAGS in cleaned and '<nav class="md-nav">侧栏</nav>' in cleaned
    region = cleaned[start : len(cleaned) - (len(page) - end)]
    assert region.startswith('<div data-pagefind-body=""><h1 id="t">')
    assert '<span data-pagefind-meta="title">甲旧址</span>' in region and '<span data-pagefind-filter="栏目">红色遗址</span>' in region
    assert "onclick" not in cleaned and "<script>" not in cleaned and "<p>x</p>" in cleaned


def test_a_listing_page_is_sanitised_but_not_indexed():
    cleaned = clean_page(zensical(CONTENT + "<iframe src=//evil.example></iframe>"), None)
    assert "data-pagefind" not in cleaned and "iframe" not in cleaned and "evil" not in cleaned
    assert cleaned.count('<a id="__skip" tabindex="-1"></a>') == 1 and MATERIAL_TAGS in cleaned


@pytest.mark.parametrize(
    "hostile",
    [
        "</article><script>alert(1)</script>",  # an early end of the article: the region runs to the last one
        '<nav class="md-tags"><a href="javascript:alert(1)" class="md-tag">x</a></nav>',  # tag links with a scheme
        '<nav class="md-tags"><a href="javascript&#58;alert(1)" class="md-tag">x</a></nav>',  # … behind a reference
        '<nav class="md-tags"><a href="//evil.example/" class="md-tag">x</a></nav>',  # … to another host
        '<nav class="md-tags"><a href="../" class="md-tag" onclick="alert(1)">x</a></nav>',  # … with a handler
    ],
)
def test_markup_in_the_content_cannot_pass_for_theme_chrome(hostile):
    """Placed first (where Material's tag links are) or last (where Zensical's are), hostile markup stays in the
    region and is sanitised."""
    for page in (material(hostile + CONTENT, tags=False), zensical(CONTENT + hostile).replace(MATERIAL_TAGS, "")):
        cleaned = clean_page(page, None)
        assert "<script" not in cleaned and "javascript" not in cleaned and "onclick" not in cleaned and "evil.example" not in cleaned


def test_a_page_without_the_article_is_refused():
    with pytest.raises(ValueError):
        content_region("<html><body><main>x</main></body></html>")


def test_the_plan_survives_its_json_form():
    plan = Plan(pages=["index.md", "sites/x.md"], records={"sites/x.md": RECORD}, index_chars={"甲", "址"}, glob="sites/*/index.html")
    again = Plan.from_json(plan.to_json())
    assert again == plan


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    site = tmp_path / "site"
    for uri, html in pages.items():
        path = site / built_page(uri)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    return site


def test_the_step_cleans_generated_pages_only_and_indexes_the_entry_pages(tmp_path):
    """A real Pagefind run over a small built site: one entry page, one listing, one hand-written page."""
    hand_written = material("<p>关于本站</p><script>theme()</script>")
    site = _site(
        tmp_path,
        {"sites/x.md": material(CONTENT + "<p>袁庚故居</p>"), "sites/index.md": zensical(CONTENT), "about.md": hand_written},
    )
    plan = Plan(pages=["sites/x.md", "sites/index.md"], records={"sites/x.md": RECORD}, index_chars={"甲"}, glob="sites/*/index.html")
    report = apply_plan(site, plan)
    assert (report.pages, report.entry_pages, report.index.pages) == (2, 1, 1)
    assert (site / "about/index.html").read_text(encoding="utf-8") == hand_written  # not a generated page: as written
    assert "data-pagefind-body" in (site / "sites/x/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in (site / "sites/index.html").read_text(encoding="utf-8")
    fragments = [gzip.decompress(p.read_bytes()) for p in (site / "pagefind" / "fragment").glob("*.pf_fragment")]
    assert len(fragments) == 1
    fragment = json.loads(fragments[0][len(b"pagefind_dcd") :])
    assert fragment["url"] == "/sites/x/" and fragment["meta"]["title"] == "甲旧址" and "袁庚故居" in fragment["content"]
    assert fragment["filters"]["栏目"] == ["红色遗址"]
    names = {k: v for f in (site / "search" / "names").glob("*.json") for k, v in json.loads(f.read_text(encoding="utf-8")).items()}
    assert set(names) >= {"甲旧址", "甲址"}


@pytest.mark.parametrize("broken", ["missing", "no-article"])
def test_a_missing_page_or_article_stops_the_step_and_writes_no_index(tmp_path, broken):
    pages = {"sites/x.md": material(CONTENT)}
    if broken == "no-article":
        pages["sites/y.md"] = "<html><body><p>没有正文区域</p></body></html>"
    site = _site(tmp_path, pages)
    plan = Plan(
        pages=["sites/x.md", "sites/y.md"],
        records={"sites/x.md": RECORD, "sites/y.md": SearchRecord(url="sites/y/", title="乙")},
        index_chars=set(),
    )
    with pytest.raises(PostbuildError) as info:
        apply_plan(site, plan)
    assert "sites/y/index.html" in str(info.value)
    assert not (site / "pagefind").exists() and not (site / "search").exists()
    assert not any(p.name.startswith(".") for p in site.iterdir())  # no staging folder left behind
