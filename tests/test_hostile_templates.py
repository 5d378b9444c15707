"""Every template, every field, hostile values: nothing comes out live.

Each entry of the fixture content has every text field it accepts replaced by a hostile value (a script tag, an
attribute breakout, a ``javascript:`` link in Markdown, an attribute list, template syntax …). Fields whose rules
refuse such text (ids, dates, URLs, tags, the Markdown body) keep their value: the pipeline refuses them, which
tests/test_error_messages.py covers. The pages are rendered, converted with the site's own Markdown extensions and
parsed: the first wall (escaping in the templates) must already leave no tag, attribute or URL outside the
allowlist — without the sanitizer's help.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import markdown
import pytest

from heritage import build
from heritage.text.markdown_check import SITE_MARKDOWN_CONFIG, SITE_MARKDOWN_EXTENSIONS
from heritage.text.sanitize import html_violations, sanitize_page_html
from hostile import MARKERS, make_hostile_content

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def hostile_content(tmp_path_factory) -> Path:
    return make_hostile_content(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def pages(hostile_content) -> dict[str, str]:
    result = build(hostile_content, today=TODAY, include_unpublished=True)
    return result.pages


def test_hostile_values_reach_every_page(pages):
    """The harness works: hostile text is in the pages (as text), so the checks below mean something."""
    entry_pages = [uri for uri in pages if uri.count("/") == 1 and not uri.endswith("index.md")]
    assert len(entry_pages) >= 5
    for uri in entry_pages:
        assert "alert" in pages[uri], uri


@pytest.mark.parametrize("which", ["first-wall", "second-wall"])
def test_no_live_tag_attribute_or_url_on_any_page(pages, which):
    converter = markdown.Markdown(extensions=list(SITE_MARKDOWN_EXTENSIONS), extension_configs=SITE_MARKDOWN_CONFIG)
    for uri, page in pages.items():
        body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
        html = converter.reset().convert(body)
        if which == "second-wall":
            html = sanitize_page_html(html)
        assert html_violations(html) == [], uri
        lowered = html.lower()
        for marker in MARKERS:
            # a marker may appear as escaped text, never as markup
            assert not _live(lowered, marker), (uri, marker)


def _live(html: str, marker: str) -> bool:
    """Whether ``marker`` is markup: a tag of that name, an attribute of that name, or a URL with that scheme
    (the same words inside text or inside an id made from a title are harmless)."""
    from html.parser import HTMLParser

    found = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if marker.startswith("<"):
                found.extend([tag] if f"<{tag}" == marker.split()[0] and (" " not in marker or ("src", "x") in attrs) else [])
                return
            for name, value in attrs:
                if name == marker or (name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(marker)):
                    found.append((tag, name, value))

    Finder().feed(html)
    return bool(found)


def test_front_matter_and_titles_stay_text(pages):
    for uri, page in pages.items():
        front, _ = page[4:].split("\n---\n", 1) if page.startswith("---\n") else ("", page)
        assert "<script" not in front and "<img" not in front, uri
