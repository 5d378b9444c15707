"""link: references resolved both ways; unknown ids are errors; unpublished targets are dropped with a warning."""

from __future__ import annotations

import datetime as dt

from conftest import FIXTURE_CONTENT, valid_entries
from heritage.collections.registry import REGISTRY
from heritage.core.problems import Severity
from heritage.stages.link import link
from heritage.stages.pipeline import build, check

TODAY = dt.date(2026, 11, 26)


def entries():
    return valid_entries(FIXTURE_CONTENT)


def test_production_catalog_holds_published_entries_only():
    catalog, problems = link(entries(), include_unpublished=False, today=TODAY)
    published = sorted(e.key for e in entries() if e.status == "published")
    assert sorted(catalog.entries) == published
    assert {c for c, _ in published} == set(REGISTRY.names())  # the fixtures publish an entry of every collection
    assert ("sites", "delta-draft") not in catalog.entries and ("sites", "epsilon-review") not in catalog.entries
    assert not [p for p in problems if p.severity is Severity.ERROR]


def test_links_are_resolved_both_ways():
    catalog, _ = link(entries(), include_unpublished=False, today=TODAY)
    alpha = catalog.entries[("sites", "alpha-hq")]
    record = catalog.entries[("oral-history", "beta-record")]
    gamma = catalog.entries[("sites", "gamma-memorial")]
    assert catalog.related_to(alpha, "oral-history") == [record]
    assert catalog.related_to(record, "sites") == [alpha]  # declared on both sides, listed once
    assert catalog.related_to(gamma, "sites") == [alpha]  # declared only by alpha-hq


def test_preview_includes_drafts_and_their_links():
    catalog, _ = link(entries(), include_unpublished=True, today=TODAY)
    alpha = catalog.entries[("sites", "alpha-hq")]
    assert "delta-draft" in [e.id for e in catalog.related_to(alpha, "sites")]


def test_reference_to_unpublished_entry_is_dropped_with_a_warning(content):
    path = content / "sites" / "gamma-memorial.yml"
    path.write_text(path.read_text(encoding="utf-8") + "related:\n  sites:\n    - delta-draft\n", encoding="utf-8")
    result = build(content, today=TODAY)
    warnings = [p for p in result.warnings if p.field == "related.sites[0]"]
    assert len(warnings) == 1 and "delta-draft" in warnings[0].message
    assert "delta-draft" not in result.pages["sites/gamma-memorial.md"]


def test_embargoed_record_is_left_out_and_reported(content):
    path = content / "oral-history" / "beta-record.yml"
    text = path.read_text(encoding="utf-8").replace("  date: 2021-06-12\n", "  date: 2021-06-12\n  embargo_until: 2030-01-01\n")
    path.write_text(text, encoding="utf-8")
    result = build(content, today=TODAY)
    assert "oral-history/beta-record.md" not in result.pages
    assert any("2030-01-01" in p.message for p in result.warnings)
    # The day after the embargo ends, it is published.
    assert "oral-history/beta-record.md" in build(content, today=dt.date(2030, 1, 2)).pages


def test_unknown_reference_is_an_error_with_line(content):
    path = content / "oral-history" / "beta-record.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("    - alpha-hq", "    - alpha-hqq"), encoding="utf-8")
    problems = check(content, today=TODAY)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert len(errors) == 1
    assert errors[0].field == "related.sites[0]" and errors[0].line is not None
    assert "alpha-hqq" in errors[0].message and "alpha-hq" in errors[0].message


def test_reference_to_an_invalid_entry_is_not_reported_twice(content):
    """alpha-hq exists but is broken: its own errors are reported, not "alpha-hq not found" in the files that cite it."""
    (content / "sites" / "alpha-hq.yml").write_text("status: draft\nname: 坏条目\n", encoding="utf-8")
    problems = check(content, today=TODAY)
    assert {p.path for p in problems} == {"content/sites/alpha-hq.yml"}
