"""Release hygiene: the footer's identity settings, robots.txt, JSON-LD dates and places, the timeline's jump links,
fonts with the pinyin tone letters and no synthetic italics on Chinese."""

from __future__ import annotations

import pytest

from conftest import FIXTURE_CONTENT
from heritage.outputs.release import missing_identity, robots_txt, write_robots
from test_cli import run_cli

# --- the footer's identity: 主办单位, 联系方式, 备案号 -----------------------------------------------------------------


def test_every_empty_identity_setting_is_named_in_chinese():
    lines = missing_identity({"site": {"owner": "", "contact": "  ", "license": "CC BY"}})
    assert len(lines) == 3
    for key, label in (("owner", "主办单位"), ("contact", "联系方式"), ("icp", "备案号")):
        assert any(f"extra.site.{key}（{label}）" in line for line in lines), key
    assert missing_identity({}) == lines  # no extra.site at all: the same three


def test_filled_identity_settings_are_not_reported():
    filled = {"site": {"owner": "大鹏新区某单位", "contact": "0755-00000000", "icp": "粤ICP备00000000号"}}
    assert missing_identity(filled) == []
    assert [line for line in missing_identity({"site": {**filled["site"], "icp": ""}})] == [
        "mkdocs.yml 中的 extra.site.icp（备案号）为空，页脚将不显示备案号。"
    ]


def test_strict_release_fails_before_building_when_the_identity_is_incomplete(tmp_path, monkeypatch):
    config = tmp_path / "mkdocs.yml"
    config.write_text('site_name: 测试\nextra:\n  site:\n    owner: "某单位"\n    contact: ""\n', encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("旧网站", encoding="utf-8")
    monkeypatch.setenv("STRICT", "1")
    result = run_cli(
        "--content",
        str(FIXTURE_CONTENT),
        "release",
        "--config",
        str(config),
        "--site-dir",
        str(site),
        "--site-url",
        "https://red.example.org/",
    )
    assert result.returncode == 2, result.stderr
    assert "extra.site.contact（联系方式）" in result.stderr and "extra.site.icp（备案号）" in result.stderr
    assert "extra.site.owner" not in result.stderr and "STRICT=1" in result.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"]  # nothing was built
    assert not list(tmp_path.glob(".site.building-*"))


# --- robots.txt ------------------------------------------------------------------------------------------------


def test_robots_for_a_public_address_allows_all_and_names_the_sitemap():
    text = robots_txt("https://red.example.org/heritage")
    assert "Disallow" not in text and "Allow: /" in text
    assert "Sitemap: https://red.example.org/heritage/sitemap.xml" in text.splitlines()


@pytest.mark.parametrize("url", ["", "http://127.0.0.1:8000/", "http://localhost/"])
def test_robots_for_a_local_address_forbids_crawling_and_names_no_sitemap(url, tmp_path):
    path = write_robots(tmp_path, url)
    text = path.read_text(encoding="utf-8")
    assert path == tmp_path / "robots.txt"
    assert "Disallow: /" in text.splitlines() and "Sitemap" not in text and "127.0.0.1" not in text


@pytest.mark.site
def test_a_local_build_writes_a_robots_txt_that_forbids_crawling(tmp_path, monkeypatch):
    site = tmp_path / "site"
    monkeypatch.delenv("SITE_URL", raising=False)
    result = run_cli("--content", str(FIXTURE_CONTENT), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "robots.txt").read_text(encoding="utf-8").splitlines()[-1] == "Disallow: /"


# --- the timeline's jump links -----------------------------------------------------------------------------------


@pytest.mark.site
def test_timeline_jump_links_lead_to_every_period_heading(fixture_site):
    import re

    page = (fixture_site / "timeline" / "index.html").read_text(encoding="utf-8")
    jump = re.search(r"<p>按时期跳转：(.*?)</p>", page, re.S)
    assert jump, "no jump links on the timeline"
    targets = re.findall(r'<a href="#([^"]+)">', jump.group(1))
    headings = re.findall(r'<h2 id="([^"]+)"', page)
    assert len(targets) >= 2 and targets == headings  # one link per period shown, in the page's order
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    assert all(target in ids for target in targets)
    assert page.index("按时期跳转") < page.index(f'id="{headings[0]}"')  # at the top, before the first period
