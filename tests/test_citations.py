"""Citations (outputs/citations.py): the RIS, BibTeX and CSL-JSON files beside each cited page are read back by real
parsers (rispy, bibtexparser, citeproc-py) and say what the page's GB/T 7714 line says; the Highwire meta tags and
the COinS span reach the built page; hostile text survives every format as text; nothing is cited that the build
must not offer (drafts, demonstrations, withheld segments, a protected narrator's name)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs

import bibtexparser
import pytest
import rispy
import yaml
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from conftest import FIXTURE_CONTENT, edit_entry, mkdocs_build, valid_entries
from heritage import build
from heritage.outputs import citations
from heritage.stages.render import _with_front_matter, citation_block
from heritage.text.sanitize import html_violations, sanitize_page_html

TODAY = dt.date(2026, 11, 26)
SITE = "https://example.org/"
SITE_NAME = "大鹏红色教育资源"  # mkdocs.yml site_name
# Published, real entries of the fixture content: the pages that are cited (sources' pages never are).
CITED = ("sites/alpha-hq", "sites/gamma-memorial", "people/zeta-person", "events/eta-event")
# Shown by a build with demonstrations or the preview, never cited.
DEMO = ("oral-history/beta-record", "lessons/theta-lesson", "routes/iota-route")
DRAFTS = ("sites/delta-draft", "sites/epsilon-review")
FORMATS = ("citation.ris", "citation.bib", "citation.json")
HOSTILE = 'He said "hi" {x} }{ \\end{document} back\\slash\nnew\r\nline\u2028<script>alert(1)</script> & 100% $5 #1 a_b ~'


@pytest.fixture(scope="module")
def release():
    """A build as published: a public address, only published entries, demonstrations included (the default of
    `make build`; `make release` leaves them out, tested below)."""
    return build(FIXTURE_CONTENT, today=TODAY, site_url=SITE)


@pytest.fixture(scope="module")
def real_record(tmp_path_factory):
    """The fixture record made real (demonstration records are never cited): its record and segment files."""
    import shutil

    content = tmp_path_factory.mktemp("real-record") / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    edit_entry(content, "oral-history/beta-record.yml", "demo: true", "demo: false")
    return build(content, today=TODAY, site_url=SITE)


def gbt_of(page: str, key: str = "record") -> str:
    """The GB/T 7714 line a page shows (the text of its <pre id="cite-KEY-gbt">)."""
    found = re.search(rf'<pre id="cite-{re.escape(key)}-gbt"><code>(.*?)</code></pre>', page, re.S)
    assert found, f"no GB/T citation {key} on the page"
    return html.unescape(found.group(1))


def read_ris(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf"), "RIS must start with a UTF-8 byte-order mark (EndNote, NoteExpress)"
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", ""), "RIS lines end with CRLF"
    return rispy.loads(text)


def read_bibtex(text: str):
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks, library.failed_blocks
    return library.entries


def read_csl(text: str) -> tuple[list[dict], CiteProcJSON]:
    data = json.loads(text)
    return data, CiteProcJSON(data)


def render_csl(data: list[dict]) -> list[str]:
    """Each item as citeproc-py renders it with the CSL style it ships (Harvard)."""
    source = CiteProcJSON(data)
    bibliography = CitationStylesBibliography(CitationStylesStyle("harvard-cite-them-right", validate=False), source, formatter.plain)
    for item in data:
        bibliography.register(Citation([CitationItem(item["id"].lower())]))
    return [str(entry) for entry in bibliography.bibliography()]


# --- every cited page: the three files agree with its GB/T line -------------------------------------------------


@pytest.mark.parametrize("path", CITED)
def test_ris_reads_back_and_says_what_the_gbt_line_says(release, path):
    page = release.pages[f"{path}.md"]
    gbt = gbt_of(page)
    [record] = read_ris(release.files[f"{path}/citation.ris"])
    assert record["type_of_reference"] == "ELEC"  # a web page
    url = f"{SITE}{path}/"
    assert record["urls"] == [url]
    assert record["authors"] == [SITE_NAME] and record["secondary_title"] == SITE_NAME
    assert record["date"] == "2026/11/26" and record["year"] == "2026"
    assert gbt == f"{SITE_NAME}. {record['title']}[EB/OL]. (2026-11-26)[引用日期]. {url}."
    assert record["language"] == "zh-CN" and "access_date" not in record  # the access date is the reader's


@pytest.mark.parametrize("path", CITED)
def test_bibtex_reads_back_and_says_what_the_gbt_line_says(release, path):
    gbt = gbt_of(release.pages[f"{path}.md"])
    [entry] = read_bibtex(release.files[f"{path}/citation.bib"])
    fields = {f.key: f.value for f in entry.fields}
    assert entry.entry_type == "online" and entry.key == path.replace("/", ":")
    assert fields["author"] == SITE_NAME  # one organisation, braced so it is never split into names
    assert "urldate" not in fields
    assert gbt == f"{fields['author']}. {fields['title']}[EB/OL]. ({fields['date']})[引用日期]. {fields['url']}."


@pytest.mark.parametrize("path", CITED)
def test_csl_json_renders_with_citeproc_and_says_what_the_gbt_line_says(release, path):
    gbt = gbt_of(release.pages[f"{path}.md"])
    data, source = read_csl(release.files[f"{path}/citation.json"])
    [item] = data
    reference = source[item["id"].lower()]
    issued = reference.issued
    date = f"{issued.year:04d}-{issued.month:02d}-{issued.day:02d}"
    assert item["type"] == "webpage" and str(reference.container_title) == SITE_NAME
    assert gbt == f"{SITE_NAME}. {reference.title}[EB/OL]. ({date})[引用日期]. {reference.URL}."
    [rendered] = render_csl(data)
    assert str(reference.title) in rendered and str(reference.URL) in rendered and f"({issued.year})" in rendered


def test_the_page_links_its_files_and_carries_its_meta_tags(release):
    page = release.pages["sites/alpha-hq.md"]
    for name in FORMATS:
        assert f'href="/sites/alpha-hq/{name}"' in page
    meta = yaml.safe_load(page.split("---\n", 2)[1])["citation"]
    assert ["citation_title", "甲村东江纵队司令部测试旧址"] in meta
    assert ["citation_public_url", f"{SITE}sites/alpha-hq/"] in meta and ["citation_date", "2026/11/26"] in meta
    assert ["citation_publisher", SITE_NAME] in meta and ["citation_language", "zh-CN"] in meta


def test_the_site_owner_is_the_author_when_set():
    result = build(FIXTURE_CONTENT, today=TODAY, site_url=SITE, extra={"site": {"owner": "某某主办单位"}}, site_name="另一名称")
    [record] = read_ris(result.files["sites/alpha-hq/citation.ris"])
    assert record["authors"] == ["某某主办单位"] and record["secondary_title"] == "另一名称"
    assert gbt_of(result.pages["sites/alpha-hq.md"]).startswith("某某主办单位. 甲村东江纵队司令部测试旧址[EB/OL].")


# --- oral history: the record and each public segment as an interview -------------------------------------------


def test_an_oral_history_record_and_its_segments_are_interviews(real_record):
    page = real_record.pages["oral-history/beta-record.md"]
    url = f"{SITE}oral-history/beta-record/"
    for key, stem, link in (("record", "citation", url), ("seg-1", "citation-seg-1", f"{url}#seg-1")):
        gbt = gbt_of(page, key)
        [ris] = read_ris(real_record.files[f"oral-history/beta-record/{stem}.ris"])
        [bib] = read_bibtex(real_record.files[f"oral-history/beta-record/{stem}.bib"])
        data, _ = read_csl(real_record.files[f"oral-history/beta-record/{stem}.json"])
        [csl] = data
        assert ris["type_of_reference"] == "SOUND" and bib.entry_type == "misc" and csl["type"] == "interview"
        assert ris["authors"] == ["测试受访者（虚构）"] and ris["secondary_authors"] == ["测试采访者"]
        assert csl["author"] == [{"literal": "测试受访者（虚构）"}] and csl["interviewer"] == [{"literal": "测试采访者"}]
        assert ris["urls"] == [link] and bib["url"] == link and csl["URL"] == link
        assert ris["title"] == bib["title"] == csl["title"]
        assert csl["issued"] == {"date-parts": [[2021, 6, 12]]} and ris["date"] == "2021/06/12" and bib["date"] == "2021-06-12"
        assert gbt == f"测试受访者（虚构）口述, 测试采访者访谈. {csl['title']}[Z/OL]. 测试地点: 测试项目, 2021-06-12[引用日期]. {link}."
        assert csl["title"] in render_csl(data)[0]
    assert gbt_of(page, "seg-1").startswith("测试受访者（虚构）口述, 测试采访者访谈. 乙测试口述记录: 第一段测试标题（00:00:00–00:10:00）")


def test_no_citation_of_a_withheld_segment(real_record):
    files = [uri for uri in real_record.files if uri.startswith("oral-history/beta-record/citation")]
    assert sorted(files) == sorted(
        f"oral-history/beta-record/{stem}.{ext}" for stem in ("citation", "citation-seg-1") for ext in ("ris", "bib", "json")
    )
    every = "".join(v.decode("utf-8-sig") if isinstance(v, bytes) else v for k, v in real_record.files.items() if "citation" in k)
    assert "second" not in every and "第二段" not in every and "withheld" not in every


def test_an_anonymous_narrator_is_never_named_in_a_citation(content):
    edit_entry(content, "oral-history/beta-record.yml", "demo: true", "demo: false")
    edit_entry(content, "oral-history/beta-record.yml", "  display: full", "  display: anonymous")
    result = build(content, today=TODAY, site_url=SITE)
    page = result.pages["oral-history/beta-record.md"]
    cited = [v.decode("utf-8-sig") if isinstance(v, bytes) else v for k, v in result.files.items() if "/citation" in k]
    assert cited and all("测试受访者" not in text for text in cited)
    [ris] = read_ris(result.files["oral-history/beta-record/citation.ris"])
    assert ris["authors"] == ["匿名受访者"]
    meta = yaml.safe_load(page.split("---\n", 2)[1])["citation"]
    assert ["citation_author", "匿名受访者"] in meta and "测试受访者" not in json.dumps(meta, ensure_ascii=False)
    assert gbt_of(page).startswith("匿名受访者口述, 测试采访者访谈.")
    coins = parse_qs(html.unescape(re.search(r'class="Z3988" title="([^"]*)"', page).group(1)))
    assert coins["rft.au"] == ["匿名受访者"]


# --- what is never cited ----------------------------------------------------------------------------------------


def _citation_files(result, path: str) -> list[str]:
    return [uri for uri in result.files if uri.startswith(f"{path}/citation")]


@pytest.mark.parametrize("path", DEMO)
def test_no_citation_for_a_demonstration_even_where_it_is_shown(release, path):
    page = release.pages[f"{path}.md"]  # shown: demonstrations are in this build
    assert _citation_files(release, path) == []
    assert "\ncitation:" not in page.split("\n---\n", 1)[0] and "Z3988" not in page and "[EB/OL]" not in page
    assert "[Z/OL]" not in page


def test_a_release_without_demonstrations_has_no_demonstration_files():
    result = build(FIXTURE_CONTENT, today=TODAY, site_url=SITE, include_demo=False)
    for path in DEMO:
        assert f"{path}.md" not in result.pages and _citation_files(result, path) == []
    assert all(_citation_files(result, path) for path in CITED)


def test_no_citation_for_drafts_even_in_the_preview():
    preview = build(FIXTURE_CONTENT, today=TODAY, site_url=SITE, include_unpublished=True)
    for path in DRAFTS:
        page = preview.pages[f"{path}.md"]  # shown in the preview, with its banner
        assert _citation_files(preview, path) == [] and "Z3988" not in page and "\ncitation:" not in page.split("\n---\n", 1)[0]
    assert all(_citation_files(preview, path) for path in CITED)


def test_a_source_page_is_not_cited_as_ours(release):
    sources = [e for e in valid_entries(FIXTURE_CONTENT) if e.collection == "sources" and e.is_published]
    assert sources
    for entry in sources:
        assert _citation_files(release, f"sources/{entry.id}") == []
        assert "Z3988" not in release.pages[entry.src_uri]


def test_every_file_written_is_for_a_cited_page(release):
    cited = {uri.rsplit("/", 1)[0] for uri in release.files if re.search(r"/citation(-[a-z0-9-]+)?\.(ris|bib|json)$", uri)}
    assert cited == set(CITED)


# --- hostile text ---------------------------------------------------------------------------------------------------


def _hostile_record(**changes) -> citations.Record:
    values = {
        "key": "sites:x",
        "kind": "webpage",
        "title": HOSTILE,
        "container": "站" + HOSTILE,
        "url": SITE + "sites/x/",
        "date": "2026-11-26",
        "modified": TODAY,
        "files": "sites/x/citation",
        "authors": (citations.Creator("编者" + HOSTILE, organisation=True),),
        "publisher": "编者" + HOSTILE,
    }
    return citations.Record(**{**values, **changes})


@pytest.mark.parametrize("kind", ["webpage", "interview"])
def test_hostile_text_round_trips_through_every_format(kind):
    interview = {"interviewers": (HOSTILE,), "place": HOSTILE, "authors": (citations.Creator(HOSTILE),)} if kind == "interview" else {}
    record = _hostile_record(kind=kind, **interview)
    flat = citations.one_line(HOSTILE)
    assert "\n" not in flat and "\u2028" not in flat and flat.startswith('He said "hi" {x} }{ \\end{document}')

    [ris] = read_ris(citations.ris([record]))
    assert ris["title"] == flat and ris["urls"] == [record.url]
    assert set(ris) >= {"type_of_reference", "title", "urls", "authors"}  # no line broke out of its field

    bib = citations.bibtex([record])
    assert bib.count("{") == bib.count("}")  # braces balance as BibTeX counts them (escaped or not)
    assert "\n\n" not in bib.strip() and "@" not in bib[1:]
    [entry] = read_bibtex(bib)
    assert entry["title"] == flat and entry["url"] == record.url
    assert entry["author"] == citations.one_line(record.authors[0].name)

    data, source = read_csl(citations.csl_json([record]))
    assert "<" not in citations.csl_json([record])  # < > & written as \u003c …: data wherever it is opened
    assert data[0]["title"] == flat and str(source[record.key].title) == flat
    assert flat in render_csl(data)[0]

    gbt = citations.gbt7714(record)
    assert flat in gbt and "\n" not in gbt

    block = str(
        citation_block(
            "引用本页", gbt, citations.chicago(record), "record", True, (("RIS", "/sites/x/citation.ris"),), citations.coins_span(record)
        )
    )
    assert "<script>" not in block and html_violations(block) == []
    assert sanitize_page_html(block).count('class="Z3988"') == 1  # the allowlist keeps the COinS span
    title = html.unescape(re.search(r'class="Z3988" title="([^"]*)"', block).group(1))
    coins = parse_qs(title, keep_blank_values=True)
    assert coins["rft.title"] == [flat] and coins["rft_id"] == [record.url] and coins["ctx_ver"] == ["Z39.88-2004"]
    assert html.unescape(re.search(r'<pre id="cite-record-gbt"><code>(.*?)</code>', block, re.S).group(1)) == gbt

    meta = citations.highwire(record)
    page = _with_front_matter("---\ntitle: x\n---\n", {"citation": meta})
    assert "<" not in page and yaml.safe_load(page.split("---\n")[1])["citation"] == meta
    assert ["citation_title", flat] in meta


def test_hostile_text_an_entry_may_hold_reaches_the_files_as_text(content):
    """Through a real build: quotation marks, braces, backslashes and ampersands in a site's name (the schema
    refuses tags and line breaks in a name; the direct test above tries those)."""
    name = '甲村"旧址" {x} }{ \\y & 100% #1'
    edit_entry(content, "sites/alpha-hq.yml", "name: 甲村东江纵队司令部测试旧址", f"name: '{name}'")
    result = build(content, today=TODAY, site_url=SITE)
    [ris] = read_ris(result.files["sites/alpha-hq/citation.ris"])
    [bib] = read_bibtex(result.files["sites/alpha-hq/citation.bib"])
    data, _ = read_csl(result.files["sites/alpha-hq/citation.json"])
    assert ris["title"] == bib["title"] == data[0]["title"] == name
    assert gbt_of(result.pages["sites/alpha-hq.md"]).startswith(f"{SITE_NAME}. {name}[EB/OL].")


# --- the built site: meta tags in the head, COinS in the body, files beside the page ----------------------------


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.coins: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and (values.get("name") or "").startswith("citation_"):
            self.meta.append((values["name"], values.get("content") or ""))
        if tag == "span" and "Z3988" in (values.get("class") or "").split():
            self.coins.append(values.get("title") or "")


def _read_page(site, path: str) -> _Head:
    parser = _Head()
    parser.feed((site / path / "index.html").read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def public_fixture_site(tmp_path_factory):
    """The fixture content built for a public address: citations name the page's address, so they are made only
    for one (a preview's 127.0.0.1 would lead nowhere once printed)."""
    site = tmp_path_factory.mktemp("citations") / "site"
    result = mkdocs_build(FIXTURE_CONTENT, site, env={"SITE_URL": SITE})
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.mark.site
def test_a_local_build_offers_no_citation_of_its_local_address(fixture_site):
    for path in CITED:
        page = _read_page(fixture_site, path)
        assert page.meta == [] and page.coins == [], path
        assert not (fixture_site / path / "citation.ris").exists()
        assert "引用与下载" not in (fixture_site / path / "index.html").read_text(encoding="utf-8"), path


@pytest.mark.site
def test_every_cited_page_of_a_built_site_has_highwire_tags_coins_and_files(public_fixture_site):
    fixture_site = public_fixture_site
    entries = {f"{e.collection}/{e.id}": e for e in valid_entries(FIXTURE_CONTENT)}
    for path in CITED:
        page = _read_page(fixture_site, path)
        meta = dict(page.meta)
        assert meta["citation_title"] == entries[path].title, path
        assert meta["citation_author"] == SITE_NAME and meta["citation_publisher"] == SITE_NAME
        assert meta["citation_date"] == "2026/11/26" and meta["citation_online_date"] == "2026/11/26"
        assert meta["citation_public_url"].endswith(f"/{path}/") and meta["citation_language"] == "zh-CN"
        [coins] = page.coins  # survives the post-build allowlist
        assert parse_qs(coins)["rft.title"] == [entries[path].title]
        # a heading, not the text "## 引用与下载" (a str added to Markdown is escaped)
        assert re.search(r"<h2[^>]*>引用与下载", (fixture_site / path / "index.html").read_text(encoding="utf-8")), path
        for name in FORMATS:
            assert (fixture_site / path / name).is_file(), (path, name)
        [ris] = read_ris((fixture_site / path / "citation.ris").read_bytes())
        assert ris["title"] == meta["citation_title"] and ris["urls"] == [meta["citation_public_url"]]
    for path in (*DEMO, *(f"sources/{e.id}" for e in entries.values() if e.collection == "sources" and e.is_published)):
        page = _read_page(fixture_site, path)
        assert page.meta == [] and page.coins == [], path
        assert not list((fixture_site / path).glob("citation*")), path
