"""render: golden Markdown for the fixture content, and plain text that stays plain text."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import FIXTURE_CONTENT, ROOT, valid_entries
from heritage import build
from heritage.collections.registry import REGISTRY
from heritage.stages.render import make_environment
from heritage.text.markdown_text import escape_inline, escape_text
from test_map import mkdocs_extra

GOLDENS = ROOT / "tests" / "goldens" / "render"
TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def pages():
    return build(FIXTURE_CONTENT, today=TODAY, extra=mkdocs_extra()).pages  # extra: the map tiles of mkdocs.yml


def test_pages_of_a_production_build(pages):
    published = [e for e in valid_entries(FIXTURE_CONTENT) if e.status == "published"]
    assert {e.collection for e in published} == set(REGISTRY.names())  # an entry page of every collection
    entry_pages = {e.src_uri for e in published}
    assert entry_pages <= set(pages)
    assert set(pages) - entry_pages <= set(REGISTRY.listing_uris())  # the rest: listings and site pages only
    assert "sites/streets/nanao.md" not in pages  # no published fixture site there: no empty page


@pytest.mark.parametrize(
    "uri",
    [
        "sites/alpha-hq.md",
        "sites/gamma-memorial.md",
        "oral-history/beta-record.md",
        "index.md",
        "sites/index.md",
        "sites/streets/kuichong.md",
        "oral-history/index.md",
        "map.md",
        "lessons/theta-lesson.md",
        "routes/iota-route.md",
        "teaching.md",
        "basket.md",
        "plaques.md",
        "sources/index.md",
        "sources/fixture-book.md",
        "sources/fixture-weak.md",
    ],
)
def test_rendered_markdown(pages, uri, golden):
    golden(pages[uri], GOLDENS / uri)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
        ("**粗体** _斜体_ `代码`", "\\*\\*粗体\\*\\* \\_斜体\\_ \\`代码\\`"),
        ("[链接](http://x)", "\\[链接\\]\\(http://x\\)"),
        ("# 不是标题", "\\# 不是标题"),
        ("a | b", "a \\| b"),
        ("{: .cls}", "\\{: \\.cls\\}"),
        ("第一行\n    缩进的第二行", "第一行\n缩进的第二行"),
        ("&amp;", "&amp;amp;"),
    ],
)
def test_plain_text_is_escaped_for_markdown(text, expected):
    assert escape_text(text) == expected


def test_inline_text_is_one_line():
    assert escape_inline("甲\n\n乙") == "甲 乙"


def test_templates_escape_by_default():
    env = make_environment()
    template = env.from_string("{{ v }}|{{ v|markdown }}")
    assert template.render(v="*x*") == "\\*x\\*|*x*"


def test_front_matter_cannot_inject_html(tmp_path):
    env = make_environment()
    out = env.from_string("{{ {'title': t}|front_matter }}").render(t='<b>"引号"</b>\n---\nx: 1')
    assert "<b>" not in out and "&lt;b&gt;" in out
    assert out.count("\n---\n") == 1  # only the closing fence: the value cannot end the front matter


def test_narrator_name_hidden_unless_display_full(content):
    path = content / "oral-history" / "beta-record.yml"
    text = path.read_text(encoding="utf-8").replace("  display: full", "  display: anonymous")
    path.write_text(text, encoding="utf-8")
    pages = build(content, today=TODAY).pages
    joined = "\n".join(pages.values())
    assert "测试受访者" not in joined
    assert "匿名受访者" in pages["oral-history/beta-record.md"]


def test_field_dictionary_lists_every_schema_field(pages):
    from heritage.collections.oral_history import OralHistory
    from heritage.collections.sites import Site
    from heritage.pages.fields import describe

    page = pages["fields.md"]
    for model in (Site, OralHistory):
        for doc in describe(model):
            assert f"| `{doc.path}` |" in page, doc.path
            assert doc.description.split("，")[0].replace("*", "\\*")[:6] in page
    assert "`former-site`（革命旧址）" in page


def test_short_forms_from_the_terminology_list_make_pages_findable(content):
    (content / "terminology.yml").write_text("- avoid: 东纵\n  use: 东江纵队\n  fields: [name]\n", encoding="utf-8")
    pages = build(content, today=TODAY).pages
    gamma = pages["sites/gamma-memorial.md"]
    assert "甲村东江纵队司令部测试旧址" in gamma  # a related site's name: the page says 东江纵队 …
    assert "*相关检索词：东纵*" in gamma  # … so it can be found by the short form too
    # alpha-hq says 东江纵队 in its name, and already carries 东纵 in its aliases: nothing is added.
    assert "相关检索词" not in pages["sites/alpha-hq.md"]


# --- links in raw HTML: the same target under every engine ---------------------------------------------------


def test_raw_html_urls_are_relative_only_on_index_pages():
    from heritage.stages.render import base_path, html_url

    assert base_path("https://example.org/red/") == "/red/"
    assert base_path("http://127.0.0.1:8000/") == base_path("") == "/"
    # sites/index.md is served at sites/, its file's folder: MkDocs and Zensical read a relative URL alike.
    assert html_url("/red/", "sites/index.md", "sites/alpha-hq/") == "alpha-hq/"
    assert html_url("/red/", "index.md", "media/a b.opus") == "media/a%20b.opus"
    # sites/kinds/x.md is served at sites/kinds/x/ (MkDocs) but resolved from sites/kinds/ (Zensical): root-relative.
    assert html_url("/red/", "sites/kinds/memorial.md", "sites/alpha-hq/") == "/red/sites/alpha-hq/"
    assert html_url("/", "oral-history/beta-record.md", "media/beta.wav") == "/media/beta.wav"


def test_a_site_under_a_path_links_its_facet_cards_and_recordings_with_that_path():
    result = build(FIXTURE_CONTENT, today=TODAY, site_url="https://example.org/red/")
    record = result.pages["oral-history/beta-record.md"]
    assert 'src="/red/media/beta.wav"' in record
    assert 'src="/red/oral-history/beta-record/chapters.vtt"' in record
    assert 'src="/red/oral-history/beta-record/captions.vtt"' in record
    facet = next(uri for uri in result.pages if uri.startswith("sites/") and uri.count("/") == 2)
    cards = [line for line in result.pages[facet].splitlines() if "hc-card__title" in line]
    assert cards and all('href="/red/sites/' in line for line in cards), facet
    assert 'href="alpha-hq/"' in result.pages["sites/index.md"]
