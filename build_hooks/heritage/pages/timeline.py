"""Every dated fact of every entry, in order: the timeline page, the dated lists on entry pages, and the
disagreements a date carries.

Where dated facts are, by collection (all of them plain data on the models, nothing parsed out of prose):

- events: ``when`` (the event itself) and ``chronology``;
- people: ``born``, ``died``, ``roles`` with a date, ``chronology``;
- sites: ``period``, ``protection`` with a date, ``chronology``.

A fact whose sources give different dates keeps the first as its date and the others under ``also``; both are
shown wherever the fact is (entry page, its "资料说法不一" box, the timeline). A fact is placed in the period in
which its date starts (``vocab.PERIODS``), unless it names its period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from heritage.core import dates, vocab
from heritage.core.schema import Period
from heritage.text.markdown_text import Markdown, escape_inline

if TYPE_CHECKING:  # pragma: no cover
    from heritage.core.catalog import Catalog, PageContext
    from heritage.core.entry import Entry

TIMELINE_URI = "timeline.md"


@dataclass(frozen=True)
class DateView:
    """One source's date for a fact."""

    date: str  # EDTF
    source: str  # source id in the entry
    note: str | None = None

    @property
    def display(self) -> str:
        return dates.display(self.date) + (f"（{self.note}）" if self.note else "")


@dataclass(frozen=True)
class DatedItem:
    """A dated fact of one entry: its first date, the other sources' dates, the text the timeline shows."""

    entry: Entry
    kind: str  # where it comes from: when, born, died, role, period, protection, fact (a chronology item)
    text: str
    first: DateView
    others: tuple[DateView, ...] = ()
    topic: str = ""  # how the "资料说法不一" box names it when sources disagree
    period_key: str | None = None  # named by the fact; otherwise by its date

    @property
    def period(self) -> str:
        return self.period_key or period_of(self.first.date)

    @property
    def first_claim(self) -> str:
        """The first date as its source gives it: with its note, except a role's (which is about the role)."""
        return self.first.display if self.kind != "role" else dates.display(self.first.date)

    def sort_key(self) -> tuple:
        return (dates.sort_key(self.first.date), self.entry.collection, self.entry.id, self.text)

    def weak(self, view: DateView) -> bool:
        return is_weak(self.entry, view.source)


def period_of(date: str) -> str:
    """The period (key of ``vocab.PERIODS``) in which a date starts."""
    first = dates.bounds(date)[0]
    found = next(iter(vocab.PERIODS))
    for key, (_, _, start) in vocab.PERIODS.items():
        if first >= dt.date.fromisoformat(start):
            found = key
    return found


def is_weak(entry: Entry, source_id: str) -> bool:
    source = entry.source(source_id)
    return bool(source and source.weak)


def _item(entry: Entry, kind: str, text: str, dated: Any, topic: str, period: str | None = None) -> DatedItem:
    others = tuple(DateView(a.date, a.source, a.note) for a in dated.also)
    return DatedItem(entry, kind, text, DateView(dated.date, dated.source, dated.note), others, topic, period)


def dated_items(entry: Entry) -> list[DatedItem]:
    """Every dated fact of an entry, in the order its page lists them (not sorted)."""
    model = entry.model
    items: list[DatedItem] = []
    title = entry.title
    when = getattr(model, "when", None)
    if when is not None:
        items.append(_item(entry, "when", title, when, "发生时间"))
    for key, verb, topic in (("born", "出生", "出生日期"), ("died", "逝世", "逝世日期")):
        life = getattr(model, key, None)
        if life is not None and life.date is not None:
            # The place goes with the date only when one source gives both: a place sourced apart is on the page.
            same_source = getattr(life, "place_source", None) in (None, life.source)
            place = f"于{life.place}" if life.place and same_source else ""
            items.append(_item(entry, key, f"{title}{place}{verb}", life, topic))
    for role in getattr(model, "roles", []):
        if role.date is not None:
            items.append(_item(entry, "role", f"{title}任{role.title}", role, f"任{role.title}的时间"))
    period = getattr(model, "period", None)
    if isinstance(period, Period):  # a site's period (an oral-history record's period is what it speaks of)
        span = f"{period.from_}/{period.to}" if period.to else period.from_
        text = f"{title}：{period.note}" if period.note else f"{title}：主要历史时期"
        items.append(DatedItem(entry, "period", text, DateView(span, period.source)))
    for protection in getattr(model, "protection", []):
        if protection.date is not None:
            batch = f"（{protection.batch}）" if protection.batch else ""
            text = f"{title}公布为{protection.level}{batch}"
            items.append(DatedItem(entry, "protection", text, DateView(str(protection.date), protection.source)))
    for fact in getattr(model, "chronology", []):
        items.append(_item(entry, "fact", fact.text, fact, f"“{fact.text}”的时间", fact.period))
    return items


def chronology(entry: Entry) -> list[DatedItem]:
    """An entry's own dated facts (its ``chronology``), in order, for its page."""
    return sorted((item for item in dated_items(entry) if item.kind == "fact"), key=DatedItem.sort_key)


@dataclass
class PeriodGroup:
    key: str
    label: str
    years: str
    items: list[DatedItem] = field(default_factory=list)


def by_period(items: list[DatedItem]) -> list[PeriodGroup]:
    """Dated items in order, grouped by period (periods without any item left out)."""
    groups = {key: PeriodGroup(key, label, years) for key, (label, years, _) in vocab.PERIODS.items()}
    for item in sorted(items, key=DatedItem.sort_key):
        groups[item.period].items.append(item)
    return [group for group in groups.values() if group.items]


def timeline(catalog: Catalog) -> list[PeriodGroup]:
    """Every dated fact of every entry in this build, in order, grouped by period."""
    return by_period([item for entry in catalog.entries.values() for item in dated_items(entry)])


# --- what pages show ----------------------------------------------------------------------------------------------


def cite(source_id: str) -> str:
    return f"[^{source_id}]"


def date_markdown(item: DatedItem, footnotes: bool = True) -> Markdown:
    """``**1946年6月30日**[^a]（另说：1946年6月29日[^b]；……，来源较弱[^c]）`` — every source's date, each with its
    source on entry pages (``footnotes``), weak sources flagged; on the timeline without footnotes."""
    note = f"（{item.first.note}）" if item.first.note and item.kind != "role" else ""
    first = f"**{escape_inline(dates.display(item.first.date))}**{escape_inline(note)}"
    first += (cite(item.first.source) if footnotes else "") + ("（来源较弱）" if item.weak(item.first) else "")
    if not item.others:
        return Markdown(first)
    others = []
    for view in item.others:
        weak = "，来源较弱" if item.weak(view) else ""
        others.append(f"{escape_inline(view.display)}{weak}{cite(view.source) if footnotes else ''}")
    return Markdown(f"{first}（另说：{'；'.join(others)}）")


def dated_markdown(entry: Entry, dated: Any) -> Markdown:
    """``date_markdown`` for any dated part of an entry (a role, a birth, an event's ``when``)."""
    return date_markdown(_item(entry, "role" if hasattr(dated, "title") else "", "", dated, ""))


@dataclass(frozen=True)
class AccountView:
    claim: str
    source: str
    weak: bool


@dataclass(frozen=True)
class DisputeView:
    topic: str
    accounts: tuple[AccountView, ...]
    note: str | None = None


def page_disputes(entry: Entry) -> list[DisputeView]:
    """What the "资料说法不一" box of a page lists: the entry's ``disputes``, then every dated fact whose sources give
    different dates — each account with its source, weak sources flagged."""
    found = [
        DisputeView(d.topic, tuple(AccountView(a.claim, a.source, is_weak(entry, a.source)) for a in d.accounts), d.note)
        for d in entry.model.disputes
    ]
    for item in dated_items(entry):
        if item.others:
            accounts = [AccountView(item.first_claim, item.first.source, item.weak(item.first))]
            accounts += [AccountView(v.display, v.source, item.weak(v)) for v in item.others]
            found.append(DisputeView(item.topic, tuple(accounts)))
    return found


# --- page contexts (registry) -------------------------------------------------------------------------------------


def entry_page_context(renderer: PageContext, entry: Entry) -> dict[str, Any]:
    """People and events: the oral-history segments they name (``related.segments``), in the order written."""
    links = renderer.catalog.part_links_from(entry)
    return {"segments": [{"record": p.target, "segment": p.target.model.segments[p.index], "anchor": p.part_id} for p in links]}


def timeline_context(renderer: PageContext) -> dict[str, Any]:
    return {"groups": timeline(renderer.catalog)}


def events_listing_context(renderer: PageContext, entries: list[Entry]) -> dict[str, Any]:
    """The event listing: events in order of their date, grouped by period."""
    return {"groups": by_period([dated_items(entry)[0] for entry in entries])}  # an event's own date comes first


def lifespan(entry: Entry) -> str:
    """ "1917—2016" from a person's birth and death (the first source's dates); "？" where unknown, and a year
    resting only on a weak source, or given as another year by another source, is marked "？" too."""

    def year(life: Any) -> str:
        if life is None or life.date is None:
            return "？"
        first, last = dates.bounds(life.date)
        text = str(first.year) if first.year == last.year else f"约{first.year}"
        # Sources that put it in different years (曾生: 1910 or early 1911): the title line takes no side.
        other_years = {dates.bounds(a.date)[0].year for a in getattr(life, "also", [])}
        disputed = bool(other_years - {first.year})
        return text + ("？" if disputed or is_weak(entry, life.source) else "")

    born, died = getattr(entry.model, "born", None), getattr(entry.model, "died", None)
    if born is None and died is None:
        return ""
    return f"{year(born)}{dates.DASH}{year(died)}"
