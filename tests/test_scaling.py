"""What keeps the build linear, checked structurally (no timing here: bench/run.py prints the figures).

Two real builds of the benchmark's synthetic corpus, one four times the size of the other: the sidebar of an
entry page must not grow with the number of entries, and the page around an entry's own text stays small.
"""

from __future__ import annotations

import re
import sys

import pytest

from conftest import ROOT, mkdocs_build

sys.path.insert(0, str(ROOT / "bench"))
from corpus import source_count, write_corpus

pytestmark = pytest.mark.site
CHROME_BUDGET = 40 * 1024  # bytes of HTML per entry page besides the entry's own text (issue target)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    built = {}
    for n in (10, 40):
        root = tmp_path_factory.mktemp(f"corpus{n}")
        content = write_corpus(root, n)
        result = mkdocs_build(content, root / "site")
        assert result.returncode == 0, result.stderr[-2000:]
        built[n] = root / "site"
    return built


def _nav(page: str) -> str:
    start = page.index('<nav class="md-nav md-nav--primary"')
    return page[start : page.index("</nav>", start)]


def _chrome(page: str) -> int:
    article = re.search(r'<article class="md-content__inner md-typeset">(.*)</article>', page, re.S).group(1)
    return len(page.encode()) - len(article.encode())


def test_sidebar_does_not_grow_with_entries(sites):
    small = (sites[10] / "sites" / "site-00003" / "index.html").read_text(encoding="utf-8")
    large = (sites[40] / "sites" / "site-00003" / "index.html").read_text(encoding="utf-8")
    assert _nav(small) == _nav(large)


def test_page_around_an_entry_stays_within_budget(sites):
    for collection in ("sites", "oral-history"):
        for page in (sites[40] / collection).glob("*-000*/index.html"):
            assert _chrome(page.read_text(encoding="utf-8")) < CHROME_BUDGET, page


def test_output_grows_in_proportion_to_entries(sites):
    pages = {n: sum(1 for _ in site.rglob("index.html")) for n, site in sites.items()}
    entries = {n: 2 * n + source_count(n) for n in sites}  # sites, records and the sources they cite
    fixed = pages[10] - entries[10]  # home, listings, hand-written pages
    assert pages[40] - fixed == entries[40]
