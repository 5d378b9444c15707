"""Resolve cross references between entries, both ways, and decide what this build publishes.

References are found from the models themselves: every field typed ``schema.ref(<collection>)`` is one, wherever
it sits (``related.sites[]``, ``segments[].sites[]`` …). A reference under ``related`` links two entries both ways
(each page lists the other); a reference anywhere else is a *mention* (a segment that speaks about a site), kept with
its field path so the target's page can say where it is mentioned.

A reference to an id that exists nowhere is an error. A reference to an entry that exists but is left out of this
build (a draft, an embargoed record) is dropped from the page with a notice, so nothing disappears unannounced.

A reference to a part of an entry (``ref("oral-history", part="segments")``, written ``record-id#segment-id``) links
the two entries like any reference and also records which item it names (``Catalog.part_links_*``); the item must
exist. A withheld (redacted) segment is never linked: its page may not say what it is about.

What this build shows is decided by one ``visibility.Visibility``, kept on the catalog: its entries are exactly
those it shows, and every other output (open data, downloads) asks it too. An entry that names the same thing twice
(a lesson step playing a segment also listed under ``related.segments``) is reported and linked to that item once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from heritage.collections.registry import REGISTRY
from heritage.collections.sources import SOURCES, SourceView
from heritage.core.catalog import Catalog, Registry
from heritage.core.entry import Entry, FieldPath, Mention, PartLink, RawEntry, dotted
from heritage.core.problems import Problem, Severity
from heritage.core.references import is_related, references_in_data
from heritage.core.visibility import Visibility

# --- checks and linking ----------------------------------------------------------------------------------------


def _unknown_reference(raw: RawEntry, path: FieldPath, target_id: str, target: str, known_ids: list[str], registry: Registry) -> Problem:
    candidates = "、".join(sorted(known_ids)) or "（暂无）"
    label = registry[target].label if target in registry else target
    return Problem(
        raw.display_path,
        raw.line_of(path),
        dotted(path),
        f"找不到{label}条目 “{target_id}”（应为 content/{target}/{target_id}.yml）。现有编号：{candidates}。",
    )


def check_invalid_references(
    raws: list[RawEntry], entries: list[Entry], existing: frozenset, registry: Registry = REGISTRY
) -> list[Problem]:
    """References written in entries the schema rejected: still worth reporting in the same run.
    ``existing``: every entry file found, readable or not."""
    valid = {e.key for e in entries}
    problems: list[Problem] = []
    for raw in raws:
        if (raw.collection, raw.id) in valid or raw.collection not in registry:
            continue
        for path, target, target_id, _ in references_in_data(raw.data, registry[raw.collection].model):
            if (target, target_id) not in existing:
                known = [k[1] for k in existing if k[0] == target]
                problems.append(_unknown_reference(raw, path, target_id, target, known, registry))
    return problems


def link(
    entries: list[Entry],
    *,
    include_unpublished: bool,
    today: dt.date,
    invalid: frozenset = frozenset(),
    include_demo: bool = True,
    registry: Registry = REGISTRY,
) -> tuple[Catalog, list[Problem]]:
    """``invalid`` names entries whose files exist but failed validation: their own errors are already reported,
    so a reference to one is not reported again as "not found"."""
    problems: list[Problem] = []
    known = {e.key: e for e in entries}
    visibility = Visibility(include_unpublished, include_demo, today, known)
    included: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        if visibility.entry(entry):
            included[entry.key] = entry
        elif (reason := visibility.hidden_because(entry)) is not None:
            problems.append(
                Problem(
                    entry.raw.display_path,
                    entry.raw.line_of(("consent", "embargo_until")),
                    "consent.embargo_until",
                    reason,
                    Severity.NOTICE,
                )
            )

    related: dict[tuple[str, str], dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    mentions: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    part_links: list[PartLink] = []

    def connect(a: Entry, b: Entry) -> None:
        if b not in related[a.key][b.collection]:
            related[a.key][b.collection].append(b)

    for entry in entries:
        reported, linked_parts = len(problems), []
        for path, target_collection, target_id, part in _related_first(entry):
            target = known.get((target_collection, target_id))
            if target is None:
                if (target_collection, target_id) not in invalid:
                    known_ids = [k[1] for k in known if k[0] == target_collection]
                    problems.append(_unknown_reference(entry.raw, path, target_id, target_collection, known_ids, registry))
                continue
            if target is entry:
                problems.append(Problem(entry.raw.display_path, entry.raw.line_of(path), dotted(path), "条目不能关联自己。"))
                continue
            part_link = None
            if part is not None:
                part_link, problem = _part_link(entry, target, path, *part, visibility)
                if problem is not None:
                    problems.append(problem)
                if part_link is None:
                    continue
            if target.collection == SOURCES and entry.is_published and not target.is_published:
                # A footnote must lead to what it cites: a published entry never rests on an unpublished source.
                # Said by every build, the preview and `check` too, not only by the release that would fail.
                problems.append(
                    Problem(
                        entry.raw.display_path,
                        entry.raw.line_of(path),
                        dotted(path),
                        f"已发布的条目引用了尚未发布的来源 “{target_id}”（状态为 {target.status}）。请先发布该来源（content/sources/{target_id}.yml 的 status），或改用已发布的来源。",
                    )
                )
                continue
            if entry.key not in included:
                continue
            if target.key not in included:
                if is_related(path):
                    problems.append(
                        Problem(
                            entry.raw.display_path,
                            entry.raw.line_of(path),
                            dotted(path),
                            f"关联的条目 “{target_id}” 未包含在本次构建中（状态为 {target.status}、尚未解禁或为演示数据），页面上暂不显示这条关联。",
                            Severity.NOTICE,
                        )
                    )
                continue
            if is_related(path):
                connect(entry, target)
                connect(target, entry)
            else:
                mentions[target.key].append(Mention(entry, path))
            if part_link is not None and not any(
                (p.target, p.part, p.part_id) == (target, part_link.part, part_link.part_id) for p in linked_parts
            ):
                linked_parts.append(part_link)
        part_links += linked_parts
        # The same thing named twice (a lesson step plays a segment listed under related.segments) is one problem,
        # reported where it is named first (under ``related``).
        unique: dict[str, Problem] = {}
        for problem in problems[reported:]:
            unique.setdefault(problem.message, problem)
        problems[reported:] = list(unique.values())

    for entry in entries:
        entry.sources = tuple(
            SourceView(source_id, found.model)
            for source_id in getattr(entry.model, "sources", ())
            if (found := known.get((SOURCES, source_id))) is not None
        )
    for links in related.values():
        for collection in links:
            links[collection].sort(key=lambda e: e.id)
    catalog = Catalog(included, registry, {k: dict(v) for k, v in related.items()}, dict(mentions), part_links, visibility)
    return catalog, problems


def _related_first(entry: Entry) -> list[tuple[FieldPath, str, str, tuple[str, str] | None]]:
    """The references written in an entry, those under ``related`` first (the order of the rest kept)."""
    return sorted(references_in_data(entry.raw.data, type(entry.model)), key=lambda reference: not is_related(reference[0]))


def _part_link(
    entry: Entry, target: Entry, path: FieldPath, part: str, item_id: str, visibility: Visibility
) -> tuple[PartLink | None, Problem | None]:
    """The item ``item_id`` of ``target``'s list ``part``, or the problem: it does not exist (an error), or it is a
    withheld segment (a notice: the link is not shown, so no page says what the withheld part is about)."""
    items = getattr(target.model, part, None) or []
    index = next((i for i, item in enumerate(items) if getattr(item, "id", None) == item_id), None)
    where = (entry.raw.display_path, entry.raw.line_of(path), dotted(path))
    if index is None:
        known = "、".join(getattr(item, "id", "") for item in items) or "（暂无）"
        return None, Problem(*where, f"“{target.id}” 中没有编号为 “{item_id}” 的片段。现有片段编号：{known}。")
    if visibility.is_withheld(items[index]):
        return None, Problem(*where, f"“{target.id}#{item_id}” 是不公开的片段，页面上不显示这条关联。", Severity.NOTICE)
    return PartLink(entry, target, part, item_id, index), None
