"""The content we ship: valid, published, sourced, and built into the site."""

from __future__ import annotations

import pytest

from conftest import ROOT, valid_entries
from heritage import check
from heritage.stages.support import INFERENCE

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


def shipped_sources() -> dict:
    """Every shipped source (content/sources/) by id: its model."""
    return {e.id: e.model for e in shipped_entries() if e.collection == "sources"}


def test_shipped_content_has_no_problem_at_all():
    """Nothing but the notices of sentences marked as the site's own inference (shown to readers as such)."""
    assert [p.format() for p in check(CONTENT) if p.kind != INFERENCE] == []
    assert all("（本站推断）" in p.message or "本站推断" in p.message for p in check(CONTENT) if p.kind == INFERENCE)


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


def test_the_provincial_trail_is_published_with_the_sources_stops_and_no_invented_times():
    """Route from the province's 2020 list of historical-cultural trails (content-review-2026-12 §H): its stops and
    their order only; no stay, leg, total or position the source does not give."""
    by_id = {e.id: e for e in shipped_entries() if e.collection == "routes"}
    route = by_id["tuyang-east-river-column-trail"].model
    assert route.status == "published" and not route.demo
    names = [stop.place or stop.site for stop in route.stops]
    assert names == ["东江纵队司令部旧址", "土洋烈士纪念公园", "沙鱼涌文化旅游小镇", "沙鱼涌红色记忆纪念馆", "东江纵队北撤纪念公园"]
    assert all(stop.minutes is None and stop.travel is None for stop in route.stops)
    assert route.duration_minutes is None and route.total_minutes() is None
    [source_id] = route.sources
    source = shipped_sources()[source_id]
    assert source.weak and source.publisher == "广东省文化和旅游厅"
    assert not [e for e in by_id.values() if e.status == "published" and e.model.demo]


def test_three_lessons_are_the_sites_own_and_play_no_demonstration():
    lessons = [e for e in shipped_entries() if e.collection == "lessons" and e.status == "published"]
    own = [e for e in lessons if not e.model.demo]
    assert len(own) >= 3
    records = {e.id: e for e in shipped_entries() if e.collection == "oral-history"}
    for lesson in own:
        model = lesson.model
        assert "本站教案" in model.title and "本站教案" in model.summary and "示范" not in model.title
        assert not [s for s in model.related.segments if records[s.partition("#")[0]].model.demo], lesson.id
        assert sum(step.minutes for step in model.outline) == model.duration_minutes
        declared = set(model.sources)
        assert model.readings and all(r.source in declared for r in model.readings), lesson.id
