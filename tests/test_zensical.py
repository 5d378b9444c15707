"""Zensical as a tested target: the fixture content built by ``engines.zensical.build_site`` (the newest Zensical
that installs, locked in requirements.lock), then the post-build step: every entry page exists, no internal link is
broken, the recording and its captions load in Chromium, hostile text stays inert, search finds the entries."""

from __future__ import annotations

import html
import html.parser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import FIXTURE_CONTENT, ROOT, serving
from heritage.collections.registry import REGISTRY
from heritage.core.config import read_site_config

pytestmark = pytest.mark.site

zensical = pytest.importorskip("heritage.engines.zensical")
try:
    zensical.zensical_command()
except zensical.ZensicalError as exc:  # only when Zensical cannot be installed at all
    pytest.skip(f"Zensical is not installed: {exc}", allow_module_level=True)

SITE_URL = "http://127.0.0.1:8000/"


def _build(content: Path, site: Path):
    result = zensical.build_site(ROOT / "mkdocs.yml", content, site, include_demo=True, site_url=SITE_URL)
    from heritage.engines.postbuild import postbuild

    postbuild(site, result, REGISTRY)
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = tmp_path_factory.mktemp("zensical") / "site"
    return _build(FIXTURE_CONTENT, site), site


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]


def _parse(text: str) -> _Links:
    parser = _Links()
    parser.feed(text)
    return parser


def test_every_entry_page_exists(built):
    result, site = built
    entries = list(result.catalog.entries.values())
    assert {e.collection for e in entries} == {c.name for c in REGISTRY}  # the fixtures have every collection
    for entry in entries:
        page = site / entry.collection / entry.id / "index.html"
        assert page.is_file(), page
        assert html.escape(entry.title, quote=False) in page.read_text(encoding="utf-8")
    for uri in result.pages:
        assert (
            (site / (uri.removesuffix(".md").removesuffix("index") + ("" if uri.endswith("index.md") else "/")))
            .joinpath("index.html")
            .is_file()
        ), uri


def test_no_internal_link_is_broken(built):
    _, site = built
    checked, broken = 0, []
    for page in site.rglob("*.html"):
        at = "/" + page.relative_to(site).as_posix()
        for url in _parse(page.read_text(encoding="utf-8")).urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith("#"):
                continue
            path = unquote(urlsplit(urljoin(at, url)).path)
            target = site / path.lstrip("/")
            if path.endswith("/"):
                target /= "index.html"
            checked += 1
            if not target.exists():
                broken.append(f"{at}: {url}")
    assert checked > 500
    assert broken == []


def test_the_recording_and_its_captions_load(built, browser):
    result, site = built
    records = [e for e in result.catalog.entries.values() if e.collection == "oral-history"]
    with_player = [e for e in records if (site / e.collection / e.id / "chapters.vtt").is_file()]
    assert with_player
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        with serving(site) as base:
            for entry in with_player:
                page.goto(f"{base}{entry.collection}/{entry.id}/")
                media = page.locator(".oh-player audio, .oh-player video")
                media.first.evaluate("m => { m.muted = true; for (const t of m.textTracks) t.mode = 'hidden'; }")
                page.wait_for_function(
                    "() => { const m = document.querySelector('.oh-player audio, .oh-player video');"
                    " return m.readyState >= 1 && m.duration > 0 && [...m.textTracks].every(t => t.cues && t.cues.length > 0); }",
                    timeout=15000,
                )
                kinds = media.first.evaluate("m => [...m.textTracks].map(t => t.kind + ':' + t.cues.length)")
                assert sorted(k.split(":")[0] for k in kinds) == ["captions", "chapters"], kinds
    finally:
        context.close()


def test_hostile_text_is_inert(tmp_path):
    from heritage.engines.postbuild import content_region
    from hostile import make_hostile_content

    content = make_hostile_content(tmp_path / "content")
    result = _build(content, tmp_path / "site")
    site = tmp_path / "site"
    seen = 0
    for uri in result.pages:
        path = site / (uri.removesuffix("index.md") if uri.endswith("index.md") else uri.removesuffix(".md") + "/") / "index.html"
        text = path.read_text(encoding="utf-8")
        start, end = content_region(text)
        for tag, attrs in _parse(text[start:end]).tags:
            seen += 1
            assert tag not in ("script", "iframe", "object", "embed", "svg", "style"), (uri, tag)
            for name, value in attrs:
                assert not name.startswith("on"), (uri, tag, name)
                assert not (value or "").strip().lower().startswith("javascript:"), (uri, tag, name, value)
    assert seen > 100


def test_search_finds_each_entry_by_its_name(built, browser):
    result, site = built
    assert (site / "pagefind" / "pagefind.js").is_file()
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        with serving(site) as base:
            page.goto(base)
            for entry in result.catalog.entries.values():
                urls = page.evaluate(
                    """async (q) => { const pf = await import('/pagefind/pagefind.js');
                    const r = await pf.search(q); return Promise.all(r.results.slice(0, 5).map(x => x.data().then(d => d.url))); }""",
                    entry.title,
                )
                assert any(f"/{entry.collection}/{entry.id}/" in url for url in urls), (entry.title, urls)
    finally:
        context.close()


def test_the_configuration_given_to_zensical_has_no_hooks_and_every_collection_section():
    import yaml

    text = zensical.zensical_config(ROOT / "mkdocs.yml", "https://example.org/red/", overrides=True)
    assert "hooks" not in yaml.load(text, Loader=zensical._Loader) and "build_hooks" not in text
    data = yaml.load(text, Loader=zensical._Loader)
    assert data["site_url"] == "https://example.org/red/" and data["theme"]["custom_dir"] == "overrides"
    titles = [next(iter(item)) for item in data["nav"]]
    assert titles[0] == "首页" and all(next(iter(s)) in titles for s in REGISTRY.nav())
    assert "!!python/object/apply:pymdownx.slugs.slugify" in text  # Zensical reads the TOC's slugify itself
    assert read_site_config(ROOT / "mkdocs.yml").site_name == data["site_name"]
