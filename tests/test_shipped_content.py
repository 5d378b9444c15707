"""The content we ship: valid, published, sourced, and built into the site."""

from __future__ import annotations

import pytest

from conftest import ROOT, valid_entries
from heritage import check

CONTENT = ROOT / "content"
REQUIRED_SITES = [
    "tuyang-east-river-column-hq",
    "yuan-geng-ancestral-home",
    "tuyang-red-village",
    "shayuchong-northern-withdrawal-memorial",
    "dongshan-temple-cadre-school",
    "shayuchong-red-memory-exhibition-hall",
]


def shipped_entries():
    return valid_entries(CONTENT)


def test_shipped_content_has_no_problem_at_all():
    assert [p.format() for p in check(CONTENT)] == []


def test_required_sites_are_published_with_sources():
    by_id = {e.id: e for e in shipped_entries() if e.collection == "sites"}
    for site_id in REQUIRED_SITES:
        entry = by_id[site_id]
        assert entry.status == "published"
        assert entry.model.sources, site_id
        assert entry.model.location is None, "no source gives coordinates: never invent them"


def test_oral_history_records_are_marked_demo():
    records = [e for e in shipped_entries() if e.collection == "oral-history"]
    assert len(records) >= 2
    for record in records:
        assert record.model.demo, f"{record.id}: the real transcripts are not available to us"
        assert len(record.model.segments) >= 2


@pytest.mark.site
def test_every_published_entry_is_built(shipped_site):
    for entry in shipped_entries():
        if entry.status == "published":
            assert (shipped_site / entry.collection / entry.id / "index.html").is_file(), entry.id


@pytest.mark.site
def test_demo_banner_on_every_record_page(shipped_site):
    for entry in shipped_entries():
        if entry.collection == "oral-history":
            page = (shipped_site / "oral-history" / entry.id / "index.html").read_text(encoding="utf-8")
            assert "演示数据" in page and "虚构人物" in page


@pytest.mark.site
def test_disagreements_are_shown(shipped_site):
    page = (shipped_site / "sites" / "tuyang-east-river-column-hq" / "index.html").read_text(encoding="utf-8")
    assert "资料说法不一" in page and "建筑面积" in page
    assert "位置待核实" in page
