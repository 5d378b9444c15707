"""The fixture site through the real ``mkdocs build --strict``: what the public gets, checked in the built HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURE_CONTENT, ROOT
from heritage.collections.registry import REGISTRY

pytestmark = pytest.mark.site

PUBLISHED = {"sites": ["alpha-hq", "gamma-memorial"], "oral-history": ["beta-record"]}
UNPUBLISHED_TOKENS = ["ZQXJDRAFT", "ZQXJREVIEW"]


def html(site: Path, uri: str) -> str:
    return (site / uri / "index.html").read_text(encoding="utf-8")


def every_output_file(site: Path):
    for path in site.rglob("*"):
        if path.is_file():
            yield path


def output_bytes(path: Path) -> bytes:
    """A built file's bytes as a reader would get them: gzipped copies and Pagefind's files (gzip behind a
    signature) decompressed."""
    import gzip

    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def test_every_published_entry_has_its_page(fixture_site):
    for collection, ids in PUBLISHED.items():
        for entry_id in ids:
            assert (fixture_site / collection / entry_id / "index.html").is_file()


def test_unpublished_entries_have_no_page(fixture_site):
    assert not (fixture_site / "sites" / "delta-draft").exists()
    assert not (fixture_site / "sites" / "epsilon-review").exists()


@pytest.mark.parametrize("token", UNPUBLISHED_TOKENS + ["ZQXJREDACTED"])
def test_unpublished_text_appears_in_no_output_file(fixture_site, token):
    """Not in any page, listing, tag page, search index, sitemap (plain or gzipped), or tags.json. The search
    index stores words in lower case: both forms are looked for."""
    assert any(p.suffix == ".pf_index" for p in every_output_file(fixture_site))
    for path in every_output_file(fixture_site):
        data = output_bytes(path)
        for form in (token, token.lower()):
            assert form.encode() not in data, f"{token} leaked into {path.relative_to(fixture_site)}"


def test_listings_link_every_published_entry(fixture_site):
    all_sites = html(fixture_site, "sites")
    for site_id in PUBLISHED["sites"]:
        assert f'href="{site_id}/"' in all_sites
    # Facet pages are not index.md pages: their cards link root-relative, which every engine resolves alike.
    assert 'href="/sites/alpha-hq/"' in html(fixture_site, "sites/streets/kuichong")
    assert 'href="/sites/gamma-memorial/"' in html(fixture_site, "sites/streets/dapeng")
    assert 'href="/sites/alpha-hq/"' in html(fixture_site, "sites/kinds/former-site")
    assert 'href="/sites/gamma-memorial/"' in html(fixture_site, "sites/kinds/memorial")
    assert 'href="beta-record/"' in html(fixture_site, "oral-history")
    home = (fixture_site / "index.html").read_text(encoding="utf-8")
    for site_id in PUBLISHED["sites"]:
        assert f'href="sites/{site_id}/"' in home


def test_no_empty_listing_is_published(fixture_site):
    """No empty doors: 南澳街道 has no published fixture site, so it has no page, no link and no sitemap URL."""
    assert not (fixture_site / "sites" / "streets" / "nanao").exists()
    assert (fixture_site / "sites" / "streets" / "kuichong" / "index.html").is_file()
    for page in fixture_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "暂无条目" not in text and "共 0 条" not in text and "streets/nanao/" not in text, page
    assert "streets/nanao/" not in (fixture_site / "sitemap.xml").read_text(encoding="utf-8")


def test_cross_references_are_linked_both_ways(fixture_site):
    site = html(fixture_site, "sites/alpha-hq")
    record = html(fixture_site, "oral-history/beta-record")
    assert 'href="../../oral-history/beta-record/"' in site
    assert 'href="../../sites/alpha-hq/"' in record
    # gamma-memorial does not list alpha-hq itself: the reverse link comes from the link stage.
    assert 'href="../alpha-hq/"' in html(fixture_site, "sites/gamma-memorial")


def test_sources_are_cited_and_listed(fixture_site):
    page = html(fixture_site, "sites/alpha-hq")
    assert 'href="#fn:fixture-book"' in page  # a footnote reference in the body
    assert 'id="fn:fixture-web"' in page  # the source list
    # each footnote's title links to the source's page; its mark says how the source was read
    assert 'href="../../sources/fixture-book/"' in page and 'href="../../sources/fixture-web/"' in page
    book = page[page.index('id="fn:fixture-book"') : page.index('id="fn:fixture-web"')]
    web = page[page.index('id="fn:fixture-web"') :]
    assert "（已与原始出版物核对）" in book and "未与原刊核对" not in book  # verified
    assert "（所读为转载页，未与原刊核对）" in web and "已与原始出版物核对" not in web  # a copy, not verified
    assert "尚未与原始出处核对" not in page  # the old per-footnote remark is gone
    assert "资料说法不一" in page and "约二百七十平方米" in page


def test_site_without_location_says_to_be_verified(fixture_site):
    assert "位置待核实" in html(fixture_site, "sites/gamma-memorial")


def test_demo_record_has_banner_and_segment_anchors(fixture_site):
    page = html(fixture_site, "oral-history/beta-record")
    assert "演示数据" in page and "虚构人物" in page
    assert 'id="seg-1"' in page and 'id="withheld-2"' in page and 'id="second"' not in page
    assert "此片段不公开" in page


def test_tags_are_published_only(fixture_site):
    tags = html(fixture_site, "tags")
    assert "测试标签" in tags


def test_sidebar_nav_holds_no_entry_pages(fixture_site):
    """Cost stays linear: the nav, rendered into every page, never grows with the number of entries."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTagsLoader)
    nav_files = set(_nav_files(config["nav"])) | set(_nav_files(REGISTRY.nav()))  # the hook inserts the latter
    generated_listings = set(REGISTRY.listing_uris())
    editors_pages = {"fields.md"}  # not_in_nav: reached from the home page and the footer
    assert generated_listings - editors_pages <= nav_files | {"index.md"}, "every listing page is reachable from the nav"
    home = (fixture_site / "index.html").read_text(encoding="utf-8")
    for collection in REGISTRY:  # the sections the hook inserted are really in the sidebar
        assert f'href="{collection.name}/"' in home, collection.name
    entry_files = {f"{c}/{i}.md" for c, ids in PUBLISHED.items() for i in ids}
    assert not nav_files & entry_files
    page = html(fixture_site, "sites/alpha-hq")
    nav = page[page.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("</nav>")]
    assert "gamma-memorial" not in nav


def test_no_request_to_any_outside_host(fixture_site):
    """Every script, stylesheet, font and image is served by the site itself (mainland China: no CDN, no Google)."""
    loads = re.compile(r'<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc="(?:https?:)?//[^"]*"', re.I)
    links = re.compile(r"<link\b[^>]*>", re.I)
    for path in fixture_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        match = loads.search(text)
        assert match is None, f"{path.relative_to(fixture_site)} loads {match.group(0)}"
        for link in links.findall(text):
            if 'rel="canonical"' in link or 'rel="alternate"' in link:
                continue  # a name for the page, not a request
            assert not re.search(r'href="(?:https?:)?//', link), f"{path.relative_to(fixture_site)} loads {link}"
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
    for path in fixture_site.rglob("*.css"):
        assert "@import url(http" not in path.read_text(encoding="utf-8")


def test_plain_text_never_becomes_html(tmp_path):
    """Markup characters and Markdown in a YAML title render as text, on the real page."""
    import shutil

    from conftest import mkdocs_build

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    entry = content / "sites" / "gamma-memorial.yml"
    text = entry.read_text(encoding="utf-8")
    # Tags themselves are refused in names (schema.plain_text); what remains allowed must still come out as text.
    entry.write_text(text.replace("name: 丙港纪念亭测试条目", 'name: "a < b & c > d **粗体** [x](y)"'), encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(content, site)
    assert result.returncode == 0, result.stderr
    page = html(site, "sites/gamma-memorial")
    assert "<strong>粗体" not in page and '<a href="y"' not in page
    assert "a &lt; b &amp; c &gt; d **粗体** [x](y)" in page


class _IgnoreTagsLoader(yaml.SafeLoader):
    pass


_IgnoreTagsLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_IgnoreTagsLoader.add_constructor("!ENV", lambda loader, node: None)


def _nav_files(nav):
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            yield from _nav_files(value)
        else:
            yield value


def test_sitemap_lists_every_published_entry(fixture_site):
    sitemap = (fixture_site / "sitemap.xml").read_text(encoding="utf-8")
    for collection, ids in PUBLISHED.items():
        for entry_id in ids:
            assert f"/{collection}/{entry_id}/</loc>" in sitemap


def test_consent_is_enforced_in_every_output_file(tmp_path):
    """An anonymised narrator's real name, an embargoed record and media outside the consent scope: a byte scan
    of the whole built site (pages, search index, sitemap, exports, copied files) finds none of them."""
    import shutil

    from conftest import mkdocs_build

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    record = content / "oral-history" / "beta-record.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(
        text.replace("  name: 测试受访者（虚构）\n  display: full", "  name: 真名ZQXJNAME\n  display: initials\n  initials: 陈某"),
        encoding="utf-8",
    )
    embargoed = content / "oral-history" / "embargoed-record.yml"
    embargoed.write_text(
        text.replace("乙测试口述记录", "禁发记录ZQXJEMBARGO")
        .replace("  date: 2021-06-12\n", "  date: 2021-06-12\n  embargo_until: 2099-01-01\n")
        .replace("    sites:\n      - gamma-memorial\n", ""),
        encoding="utf-8",
    )
    (content / "media" / "unreleased.wav").write_bytes((content / "media" / "beta.wav").read_bytes())
    embargoed.write_text(embargoed.read_text(encoding="utf-8").replace("beta.wav", "unreleased.wav"), encoding="utf-8")

    site = tmp_path / "site"
    result = mkdocs_build(content, site)
    assert result.returncode == 0, result.stderr
    assert "2099-01-01" in result.stderr  # the build report lists the embargoed record with its date
    for path in site.rglob("*"):
        if path.is_file():
            data = output_bytes(path)  # the search index too
            for token in (b"ZQXJNAME", b"zqxjname", "真名".encode(), b"ZQXJEMBARGO", b"zqxjembargo"):
                assert token not in data, f"{token.decode()} leaked into {path.relative_to(site)}"
    assert not (site / "media" / "unreleased.wav").exists()
    assert (site / "media" / "beta.wav").exists()
    assert "陈某" in html(site, "oral-history/beta-record")


def test_images_are_shown_with_alt_text_credit_and_licence(tmp_path):
    """The real build, with a docs/ folder of our own: the image is copied, lazy-loaded, described and credited."""
    import shutil

    from conftest import mkdocs_build

    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    (project / "docs" / "images").mkdir()
    (project / "docs" / "images" / "pavilion.png").write_bytes(_tiny_png())
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: docs", f"docs_dir: {project / 'docs'}").replace(
        "build_hooks/hooks.py", str(ROOT / "build_hooks" / "hooks.py")
    )
    config = config.replace("  - content\n  - build_hooks\n", f"  - {ROOT / 'build_hooks'}\n")  # watch: paths must exist
    config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    content = project / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    entry = content / "sites" / "gamma-memorial.yml"
    entry.write_text(
        entry.read_text(encoding="utf-8").replace(
            "updated:",
            "images:\n  - src: images/pavilion.png\n    alt: 纪念亭正面\n    caption: 纪念亭\n    credit: 测试拍摄者\n    license: 测试许可\nupdated:",
        ),
        encoding="utf-8",
    )
    site = tmp_path / "site"
    result = mkdocs_build(content, site, "--config-file", str(project / "mkdocs.yml"))
    assert result.returncode == 0, result.stderr
    page = html(site, "sites/gamma-memorial")
    assert re.search(r'<img alt="纪念亭正面" loading="lazy" src="\.\./\.\./images/pavilion\.png"', page), page
    assert "测试拍摄者" in page and "测试许可" in page
    assert (site / "images" / "pavilion.png").is_file()


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00\xff\x00\x00"  # one red pixel
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
