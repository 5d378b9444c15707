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
import functools
import typing
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from heritage.collections.registry import REGISTRY, Registry
from heritage.core.problems import Problem, Severity
from heritage.core.schema import EntryBase, Reference
from heritage.core.visibility import Visibility
from heritage.stages.load import FieldPath, RawEntry, _dotted

ANY = "*"  # a list index in a reference path pattern


@dataclass(eq=False)
class Entry:
    """A validated entry: its raw form (for line numbers) and its typed model (for templates)."""

    raw: RawEntry
    model: EntryBase

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
        return self.model.display_title

    @property
    def status(self) -> str:
        return self.model.status


@dataclass(frozen=True)
class Mention:
    """``source`` names the target at ``path`` (e.g. ``("segments", 2, "sites", 0)``)."""

    source: Entry
    path: FieldPath


@dataclass(frozen=True)
class PartLink:
    """``source`` names item ``index`` (id ``part_id``) of ``target``'s list ``part`` (e.g. one segment)."""

    source: Entry
    target: Entry
    part: str
    part_id: str
    index: int


@dataclass
class Catalog:
    """Everything this build publishes, with links resolved both ways."""

    entries: dict[tuple[str, str], Entry]
    related: dict[tuple[str, str], dict[str, list[Entry]]] = field(default_factory=dict)
    mentions: dict[tuple[str, str], list[Mention]] = field(default_factory=dict)  # target key → where it is named
    registry: Registry = REGISTRY
    part_links: list[PartLink] = field(default_factory=list)
    visibility: Visibility = field(default_factory=Visibility)  # what this build shows (entries are exactly that)
    _parts_from: dict[tuple[str, str], list[PartLink]] = field(init=False, repr=False)
    _parts_to: dict[tuple[str, str], list[PartLink]] = field(init=False, repr=False)
    _mentioned_by: dict[tuple[str, str], list[Entry]] = field(init=False, repr=False)  # source key → what it names

    def __post_init__(self) -> None:
        self._parts_from, self._parts_to = defaultdict(list), defaultdict(list)
        for part_link in self.part_links:
            self._parts_from[part_link.source.key].append(part_link)
            self._parts_to[part_link.target.key].append(part_link)
        self._mentioned_by = defaultdict(list)
        for target_key, mentions in self.mentions.items():
            for mention in mentions:
                self._mentioned_by[mention.source.key].append(self.entries[target_key])

    def collection(self, name: str) -> list[Entry]:
        return sorted((e for e in self.entries.values() if e.collection == name), key=lambda e: e.id)

    def related_to(self, entry: Entry, collection: str) -> list[Entry]:
        return self.related.get(entry.key, {}).get(collection, [])

    def mentions_of(self, entry: Entry) -> list[Mention]:
        return self.mentions.get(entry.key, [])

    def part_links_from(self, entry: Entry) -> list[PartLink]:
        """Items of other entries this entry names (e.g. the segments a person's page lists), in the order written."""
        return self._parts_from.get(entry.key, [])

    def part_links_to(self, entry: Entry) -> list[PartLink]:
        """Entries naming an item of this one (e.g. the people and events a segment is about)."""
        return self._parts_to.get(entry.key, [])

    def neighbours(self, entry: Entry) -> list[Entry]:
        """Every entry whose data an entry's page may show: related entries both ways, entries that mention it and
        entries it mentions (a route shows its stops' names), entries whose items it names and that name its items
        (a lesson shows a segment's title and timecodes). The preview re-renders a page when any of them changed."""
        found = [e for entries in self.related.get(entry.key, {}).values() for e in entries]
        found += [m.source for m in self.mentions_of(entry)]
        found += self._mentioned_by.get(entry.key, [])
        found += [p.target for p in self.part_links_from(entry)] + [p.source for p in self.part_links_to(entry)]
        return found


# --- where the references are --------------------------------------------------------------------------------


@functools.cache
def reference_paths(model: type[BaseModel]) -> tuple[tuple[tuple[str | object, ...], Reference], ...]:
    """Every reference field of a model as (path pattern as written in YAML, its ``Reference``); ``ANY`` stands
    for a list index. Read from the ``Reference`` marker on the field's type, through Optional, list and nesting."""
    found: list[tuple[tuple, Reference]] = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        for suffix, reference in _references_in(info.annotation, info.metadata):
            found.append(((key, *suffix), reference))
    return tuple(found)


def _references_in(annotation: Any, metadata: list[Any]) -> Iterator[tuple[tuple, Reference]]:
    for item in metadata:
        if isinstance(item, Reference):
            yield (), item
            return
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _references_in(annotation.__origin__, [*metadata, *annotation.__metadata__])
    elif origin is list:
        for suffix, target in _references_in(typing.get_args(annotation)[0], []):
            yield (ANY, *suffix), target
    elif origin is typing.Union:
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                yield from _references_in(arg, [])
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for pattern, target in reference_paths(annotation):
            yield pattern, target


def references_in_data(data: Any, model: type[BaseModel]) -> Iterator[tuple[FieldPath, str, str, tuple[str, str] | None]]:
    """(field path, target collection, entry id, (part, item id) or None) of every reference written in an entry's
    data, valid or not. A part reference is ``entry-id#item-id``."""
    for pattern, reference in reference_paths(model):
        for path, value in _match(data, pattern, ()):
            if isinstance(value, str):
                target_id, _, item_id = value.strip().partition("#")
                yield path, reference.collection, target_id, (reference.part, item_id) if reference.part else None


def _match(data: Any, pattern: tuple, path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    if not pattern:
        yield path, data
        return
    head, rest = pattern[0], pattern[1:]
    if head is ANY:
        for index, item in enumerate(data if isinstance(data, list) else []):
            yield from _match(item, rest, (*path, index))
    elif isinstance(data, dict) and head in data:
        yield from _match(data[head], rest, (*path, head))


def is_related(path: FieldPath) -> bool:
    """A reference under ``related`` links both ways; anywhere else it is a mention."""
    return bool(path) and path[0] == "related"


# --- checks and linking ----------------------------------------------------------------------------------------


def _unknown_reference(raw: RawEntry, path: FieldPath, target_id: str, target: str, known_ids: list[str], registry: Registry) -> Problem:
    candidates = "、".join(sorted(known_ids)) or "（暂无）"
    label = registry[target].label if target in registry else target
    return Problem(
        raw.display_path,
        raw.line_of(path),
        _dotted(path),
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
                problems.append(Problem(entry.raw.display_path, entry.raw.line_of(path), _dotted(path), "条目不能关联自己。"))
                continue
            part_link = None
            if part is not None:
                part_link, problem = _part_link(entry, target, path, *part, visibility)
                if problem is not None:
                    problems.append(problem)
                if part_link is None:
                    continue
            if entry.key not in included:
                continue
            if target.key not in included:
                if is_related(path):
                    problems.append(
                        Problem(
                            entry.raw.display_path,
                            entry.raw.line_of(path),
                            _dotted(path),
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

    for links in related.values():
        for collection in links:
            links[collection].sort(key=lambda e: e.id)
    catalog = Catalog(included, {k: dict(v) for k, v in related.items()}, dict(mentions), registry, part_links, visibility)
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
    where = (entry.raw.display_path, entry.raw.line_of(path), _dotted(path))
    if index is None:
        known = "、".join(getattr(item, "id", "") for item in items) or "（暂无）"
        return None, Problem(*where, f"“{target.id}” 中没有编号为 “{item_id}” 的片段。现有片段编号：{known}。")
    if visibility.is_withheld(items[index]):
        return None, Problem(*where, f"“{target.id}#{item_id}” 是不公开的片段，页面上不显示这条关联。", Severity.NOTICE)
    return PartLink(entry, target, part, item_id, index), None
