"""Every page of a build offers a picture to apps that show shared links (WeChat and others): the page's own first
image, else the site's share card — and the picture named is one the build publishes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
CARD = ROOT / "docs/assets/images/share-card.png"
OG_IMAGE = re.compile(r'<meta property="og:image" content="([^"]+)">')
SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's address when SITE_URL is not set (the fixture build)


def test_the_share_card_is_a_small_image_of_the_size_apps_expect():
    with Image.open(CARD) as image:
        assert image.format == "PNG" and image.size == (1200, 630)
    assert CARD.stat().st_size < 60_000  # shown on phones, often on mobile data


@pytest.mark.site
def test_every_page_names_a_share_image_that_the_build_publishes(fixture_site):
    pages = [p for p in fixture_site.rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 20
    for page in pages:
        found = OG_IMAGE.findall(page.read_text(encoding="utf-8"))
        assert len(found) == 1, page
        assert found[0].startswith(SITE_URL), found
        published = fixture_site / found[0][len(SITE_URL) :]
        assert published.is_file(), (page, found[0])
        assert found[0].endswith("assets/images/share-card.png"), page  # the fixture's entries have no picture
