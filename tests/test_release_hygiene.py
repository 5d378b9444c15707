"""Release hygiene: the footer's identity settings, robots.txt, JSON-LD dates and places, the timeline's jump links,
fonts with the pinyin tone letters and no synthetic italics on Chinese."""

from __future__ import annotations

import pytest

from conftest import FIXTURE_CONTENT
from heritage.outputs.release import missing_identity, robots_txt
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
def test_robots_for_a_local_address_forbids_crawling_and_names_no_sitemap(url):
    text = robots_txt(url)
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


# --- fonts: pinyin tone letters, no synthetic italics on Chinese ------------------------------------------------------

TONE_LETTERS = "ǎǐǒǚ"


def _text_font_stack() -> list[str]:
    import re

    from conftest import ROOT

    css = (ROOT / "docs" / "assets" / "stylesheets" / "site.css").read_text(encoding="utf-8")
    stack = re.search(r"--md-text-font:\s*([^;]+);", css).group(1)
    return [name.strip().strip('"') for name in stack.split(",")]


def test_every_named_chinese_font_comes_before_the_latin_system_fonts():
    """The Chinese fonts (GB 2312/18030: pinyin with tone marks in row 8) draw Latin and pinyin too."""
    stack = _text_font_stack()
    assert stack.index("WenQuanYi Micro Hei") < stack.index("system-ui")
    assert stack[0] in {"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC"}


def test_the_first_installed_font_of_the_stack_has_the_tone_letters():
    """On this machine (fonts-wqy-microhei): the font the site is drawn in carries ǎ ǐ ǒ ǚ (checked with fontconfig)."""
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig is not installed")
    installed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=True).stdout
    families = {name.strip() for line in installed.splitlines() for name in line.split(",")}
    first = next((name for name in _text_font_stack() if name in families), None)
    assert first is not None, "no font of the stack is installed"
    charset = ":charset=" + " ".join(f"{ord(c):x}" for c in TONE_LETTERS)
    carrying = subprocess.run(["fc-list", f"{first}{charset}", "family"], capture_output=True, text=True, check=True).stdout
    assert carrying.strip(), f"{first} lacks {TONE_LETTERS}"


@pytest.mark.browser
def test_chinese_is_never_slanted_and_pinyin_is_one_font(browser, fixture_site):
    from conftest import serving

    with serving(fixture_site) as base:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        page = context.new_page()
        page.goto(base + "plaques/")
        page.evaluate(
            """() => {
              const p = document.createElement("p");
              p.innerHTML = '<em id="zh-em">中文强调</em> <i id="zh-i">书名</i> <cite id="zh-cite">出处</cite>'
                + ' <em id="en-em" lang="en">emphasis</em> <span id="pinyin">Lǚ Xǐng Dǎ Hǒu 大鹏</span>';
              document.querySelector(".md-typeset").append(p);
            }"""
        )
        styles = page.evaluate(
            """() => Object.fromEntries(["zh-em", "zh-i", "zh-cite", "en-em"].map(id => {
                 const s = getComputedStyle(document.getElementById(id));
                 return [id, [s.fontStyle, s.fontSynthesis || s.fontSynthesisStyle]];
               }))"""
        )
        for element in ("zh-em", "zh-i", "zh-cite"):
            style, synthesis = styles[element]
            assert style == "normal" and "style" not in synthesis and synthesis, (element, styles[element])
        assert styles["en-em"][0] == "italic" and "style" in styles["en-em"][1]  # Latin keeps its italics
        captions = page.evaluate(
            """() => [...document.querySelectorAll(".md-typeset figcaption")].map(c => {
                 const s = getComputedStyle(c);
                 return [s.fontStyle, s.fontSynthesis];
               })"""
        )
        assert captions and all(style == "normal" and "style" not in synthesis for style, synthesis in captions), captions
        # the pinyin and the Han characters beside it are drawn by one font, which has the tone letters
        client = context.new_cdp_session(page)
        client.send("DOM.enable")
        client.send("CSS.enable")
        root = client.send("DOM.getDocument")["root"]["nodeId"]
        node = client.send("DOM.querySelector", {"nodeId": root, "selector": "#pinyin"})["nodeId"]
        fonts = client.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        assert len(fonts) == 1, fonts
        context.close()
