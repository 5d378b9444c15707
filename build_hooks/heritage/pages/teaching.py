"""The lecturers' pages across collections: 教学资源 (every teaching point and question of every entry, grouped by
period and theme, each linking back) and 备课篮 (the lesson basket, filled in the browser by basket.js).

Any collection whose model has a ``teaching`` field (``schema.Teaching``) is gathered: a new collection with
teaching fields shows here without an edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from heritage.core import vocab
from heritage.pages.timeline import period_of
from heritage.text.markdown_text import Markdown

if TYPE_CHECKING:  # pragma: no cover
    from heritage.core.catalog import PageContext
    from heritage.core.entry import Entry

TEACHING_URI = "teaching.md"
BASKET_URI = "basket.md"
TEACHING_ANCHOR = "现场教学要点"  # the heading of the teaching section on entry pages (toc id)
NO_PERIOD = "未注明时期"
NO_THEME = "其他"


def entry_period(entry: Entry) -> str | None:
    """The period key (``vocab.PERIODS``) in which the entry's own period or date starts, if it has one."""
    model = entry.model
    period = getattr(model, "period", None)
    start = getattr(period, "from_", None) if period is not None else None
    when = getattr(model, "when", None)  # an event
    if start is None and when is not None:
        start = when.date
    if start is None:
        start = getattr(model, "date", None)
    if not isinstance(start, str):
        return None
    try:
        return period_of(start)
    except Exception:  # a date form the timeline does not place: listed under 未注明时期, never guessed
        return None


def has_teaching(entry: Entry) -> bool:
    teaching = getattr(entry.model, "teaching", None)
    return teaching is not None and bool(teaching.points or teaching.questions)


def teaching_context(renderer: PageContext) -> dict[str, Any]:
    """Periods in historical order, then entries with no period; within each, themes (an entry's first tag that is
    not a period word), each entry with its points, questions, suggested duration and audience."""
    period_words = {label[:4] for label, _, _ in vocab.PERIODS.values()} | {"抗日战争", "解放战争"}
    items: list[dict[str, Any]] = []
    for collection in renderer.registry:
        for entry in renderer.catalog.collection(collection.name):
            if not has_teaching(entry):
                continue
            themes = [t for t in entry.model.tags if t not in period_words]
            items.append(
                {
                    "entry": entry,
                    "label": collection.label,
                    "teaching": entry.model.teaching,
                    "period": entry_period(entry),
                    "theme": themes[0] if themes else NO_THEME,
                    "href": Markdown(f"{renderer.link(TEACHING_URI, entry.src_uri)}#{TEACHING_ANCHOR}"),
                }
            )
    groups: list[dict[str, Any]] = []
    for key, (label, span, _) in [*vocab.PERIODS.items(), (None, (NO_PERIOD, "", ""))]:
        here = [i for i in items if i["period"] == key]
        if not here:
            continue
        themes: dict[str, list[dict[str, Any]]] = {}
        for item in sorted(here, key=lambda i: (i["theme"] == NO_THEME, i["theme"], i["entry"].title)):
            themes.setdefault(item["theme"], []).append(item)
        groups.append({"label": label, "span": span, "themes": themes})
    counts = {
        "entries": len(items),
        "points": sum(len(i["teaching"].points) for i in items),
        "questions": sum(len(i["teaching"].questions) for i in items),
    }
    return {"groups": groups, "counts": counts, "audiences": vocab.AUDIENCES}


def basket_context(renderer: PageContext) -> dict[str, Any]:
    return {}
