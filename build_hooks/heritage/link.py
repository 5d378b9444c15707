"""Resolve cross references between entries, both ways, and decide what this build publishes.

A reference to an id that exists nowhere is an error. A reference to an entry that exists but is left out of this
build (a draft, an embargoed record) is dropped from the page with a warning, so nothing disappears unannounced.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from pydantic import BaseModel

from .load import RawEntry
from .problems import Problem, Severity

# (collection of the referring entry, field under `related`) → collection referred to
REFERENCE_FIELDS: dict[tuple[str, str], str] = {
    ("sites", "oral_history"): "oral-history",
    ("sites", "sites"): "sites",
    ("oral-history", "sites"): "sites",
}

COLLECTION_LABELS = {"sites": "遗址", "oral-history": "口述史"}


@dataclass
class Entry:
    """A validated entry: its raw form (for line numbers) and its typed model (for templates)."""

    raw: RawEntry
    model: BaseModel

    @property
    def collection(self) -> str:
        return self.raw.collection

    @property
    def id(self) -> str:
        return self.raw.id

    @property
    def key(self) -> tuple[str, str]:
        return (self.collection, self.id)

    @property
    def src_uri(self) -> str:
        return f"{self.collection}/{self.id}.md"

    @property
    def title(self) -> str:
        return getattr(self.model, "name", None) or self.model.title

    @property
    def status(self) -> str:
        return self.model.status


@dataclass
class Catalog:
    """Everything this build publishes, with links resolved both ways."""

    entries: dict[tuple[str, str], Entry]
    related: dict[tuple[str, str], dict[str, list[Entry]]] = field(default_factory=dict)
    # site key → (record, segment index) for segments that name the site in `segments[].sites`
    segments_about: dict[tuple[str, str], list[tuple[Entry, int]]] = field(default_factory=dict)

    def collection(self, name: str) -> list[Entry]:
        return sorted((e for e in self.entries.values() if e.collection == name), key=lambda e: e.id)

    def related_to(self, entry: Entry, collection: str) -> list[Entry]:
        return self.related.get(entry.key, {}).get(collection, [])

    def segments_about_site(self, site: Entry) -> list[tuple[Entry, int]]:
        return self.segments_about.get(site.key, [])



def is_included(entry: Entry, include_unpublished: bool, today: dt.date, include_demo: bool = True) -> tuple[bool, str | None]:
    """Whether the entry is in this build; the reason when it is left out for a reason editors must hear."""
    if not include_demo and getattr(entry.model, "demo", False):
        return False, None
    embargo = getattr(getattr(entry.model, "consent", None), "embargo_until", None)
    if embargo is not None and embargo > today:
        return False, f"受访者要求在 {embargo.isoformat()} 之前不公开（consent.embargo_until），本次构建不包含此条目。"
    if include_unpublished:
        return True, None
    return entry.status == "published", None


def _unknown_reference(raw: RawEntry, name: str, index: int, target_id: str, target_collection: str, known_ids: list[str]) -> Problem:
    candidates = "、".join(sorted(known_ids)) or "（暂无）"
    return Problem(
        raw.display_path,
        raw.line_of(("related", name, index)),
        f"related.{name}[{index}]",
        f"找不到{COLLECTION_LABELS[target_collection]}条目 “{target_id}”"
        f"（应为 content/{target_collection}/{target_id}.yml）。现有编号：{candidates}。",
    )


def check_invalid_references(raws: list[RawEntry], entries: list[Entry], existing: frozenset) -> list[Problem]:
    """References written in entries the schema rejected: still worth reporting in the same run.
    ``existing``: every entry file found, readable or not."""
    valid = {e.key for e in entries}
    problems: list[Problem] = []
    for raw in raws:
        related = raw.data.get("related")
        if (raw.collection, raw.id) in valid or not isinstance(related, dict):
            continue
        for (collection, name), target_collection in REFERENCE_FIELDS.items():
            ids = related.get(name) if raw.collection == collection else None
            for index, target_id in enumerate(ids if isinstance(ids, list) else []):
                if isinstance(target_id, str) and (target_collection, target_id) not in existing:
                    known = [k[1] for k in existing if k[0] == target_collection]
                    problems.append(_unknown_reference(raw, name, index, target_id, target_collection, known))
    return problems


def link(
    entries: list[Entry],
    *,
    include_unpublished: bool,
    today: dt.date,
    invalid: frozenset = frozenset(),
    include_demo: bool = True,
) -> tuple[Catalog, list[Problem]]:
    """``invalid`` names entries whose files exist but failed validation: their own errors are already reported,
    so a reference to one is not reported again as "not found"."""
    problems: list[Problem] = []
    known = {e.key: e for e in entries}
    included: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        keep, reason = is_included(entry, include_unpublished, today, include_demo)
        if keep:
            included[entry.key] = entry
        elif reason:
            problems.append(
                Problem(entry.raw.display_path, entry.raw.line_of(("consent", "embargo_until")), "consent.embargo_until", reason, Severity.NOTICE)
            )

    related: dict[tuple[str, str], dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))

    def connect(a: Entry, b: Entry) -> None:
        if b not in related[a.key][b.collection]:
            related[a.key][b.collection].append(b)

    for entry in entries:
        for (collection, name), target_collection in REFERENCE_FIELDS.items():
            if entry.collection != collection:
                continue
            for index, target_id in enumerate(getattr(entry.model.related, name)):
                path = ("related", name, index)
                target = known.get((target_collection, target_id))
                if target is None and (target_collection, target_id) in invalid:
                    continue
                if target is None:
                    known_ids = [k[1] for k in known if k[0] == target_collection]
                    problems.append(_unknown_reference(entry.raw, name, index, target_id, target_collection, known_ids))
                    continue
                if target is entry:
                    problems.append(
                        Problem(entry.raw.display_path, entry.raw.line_of(path), f"related.{name}[{index}]", "条目不能关联自己。")
                    )
                    continue
                if entry.key not in included:
                    continue
                if target.key not in included:
                    problems.append(
                        Problem(
                            entry.raw.display_path,
                            entry.raw.line_of(path),
                            f"related.{name}[{index}]",
                            f"关联的条目 “{target_id}” 未包含在本次构建中（状态为 {target.status}、尚未解禁或为演示数据），页面上暂不显示这条关联。",
                            Severity.NOTICE,
                        )
                    )
                    continue
                connect(entry, target)
                connect(target, entry)

    segments_about: dict[tuple[str, str], list[tuple[Entry, int]]] = defaultdict(list)
    for entry in entries:
        if entry.collection != "oral-history":
            continue
        for index, segment in enumerate(entry.model.segments):
            for site_index, site_id in enumerate(segment.sites):
                target = known.get(("sites", site_id))
                if target is None and ("sites", site_id) not in invalid:
                    known_ids = [k[1] for k in known if k[0] == "sites"]
                    problem = _unknown_reference(entry.raw, "sites", site_index, site_id, "sites", known_ids)
                    path = ("segments", index, "sites", site_index)
                    problems.append(Problem(problem.path, entry.raw.line_of(path), f"segments[{index}].sites[{site_index}]", problem.message))
                elif target is not None and not segment.redacted and entry.key in included and target.key in included:
                    segments_about[target.key].append((entry, index))

    for links in related.values():
        for collection in links:
            links[collection].sort(key=lambda e: e.id)
    return Catalog(included, {k: dict(v) for k, v in related.items()}, dict(segments_about)), problems
