"""What one build may show: the one place that decides it, for every output.

Pages, listings, the search index and the sitemap (all made from the catalog's entries), open data (JSON, CSV,
GeoJSON, datapackage), a route's GPX and GeoJSON, a record's WebVTT and JSON index, citations (``for_citations``:
RIS, BibTeX, CSL-JSON, meta tags), the QR plaque sheet and the offline package (the built site in a zip) all ask a ``Visibility``:

- ``entry``: is an entry in this output? Never while an embargo runs (``consent.embargo_until``); drafts and entries
  under review only in the preview; demonstration entries (``demo: true``) only where the output includes them
  (``HERITAGE_DEMO=0`` and ``make release`` leave them out; open data never has them);
- ``item``: may an item of a shown entry be shown? Never a withheld (redacted) segment, whose own id is not
  published either (``anchor``);
- ``reference``: may a reference (``entry-id`` or ``entry-id#item-id``) be shown? Only when its target and item
  are; ``public_references`` applies this to every reference field of a model (``link.reference_paths``), so an
  export cannot name what its pages leave out;
- ``narrator_name``: the only form of a narrator's name any output may hold (``display: initials | anonymous``).

``link.link`` builds the build's ``Visibility`` and keeps it on the catalog (``Catalog.visibility``): the catalog's
entries are exactly those it shows. ``for_open_data()`` is the same build's stricter view for the data files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from heritage.core.references import ANY, reference_paths

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import BaseModel

    from heritage.core.entry import Entry
    from heritage.core.schema import Reference

ANONYMOUS = "匿名受访者"


def is_withheld(item: Any) -> bool:
    """A withheld item (a segment the narrator asked to keep private): shown nowhere but as "此片段不公开"."""
    return bool(getattr(item, "redacted", False))


def is_demo(entry: Entry) -> bool:
    """A demonstration entry, as its model declares (``EntryBase.is_demo``; oral history: ``demo: true``)."""
    return entry.model.is_demo


def embargo_of(entry: Entry) -> dt.date | None:
    """The date before which no build includes the entry, as its model declares (``EntryBase.embargoed_until``)."""
    return entry.model.embargoed_until


def anchor(item: Any, index: int) -> str:
    """An item's public name (a segment's anchor): its id, except a withheld one's (an id like "family-feud" would
    say what is withheld), which is named by its position."""
    return f"withheld-{index + 1}" if is_withheld(item) else item.id


def narrator_name(narrator: Any) -> str:
    """The only form of a narrator's name an output may hold: respects ``display`` (initials / anonymous)."""
    if narrator.display == "full":
        return narrator.name
    if narrator.display == "initials":
        return narrator.initials
    return ANONYMOUS


@dataclass(frozen=True)
class Visibility:
    """What one output of one build may show. ``entries``: every valid entry of the build, shown or not, by
    (collection, id): references are looked up in it."""

    include_unpublished: bool = False  # drafts and entries under review (the preview)
    include_demo: bool = True  # demonstration entries (demo: true)
    today: dt.date = field(default_factory=dt.date.today)
    entries: Mapping[tuple[str, str], Entry] = field(default_factory=dict, repr=False, compare=False)

    # --- entries ------------------------------------------------------------------------------------------------

    def hidden_because(self, entry: Entry) -> str | None:
        """Why an entry is left out, when editors must hear it (an embargo): reported with the build."""
        embargo = embargo_of(entry)
        if embargo is not None and embargo > self.today:
            return f"受访者要求在 {embargo.isoformat()} 之前不公开（consent.embargo_until），本次构建不包含此条目。"
        return None

    def entry(self, entry: Entry) -> bool:
        """Whether the entry is in this output."""
        if is_demo(entry) and not self.include_demo:
            return False
        if self.hidden_because(entry) is not None:
            return False
        return self.include_unpublished or entry.is_published

    # --- items and references -----------------------------------------------------------------------------------

    def item(self, entry: Entry, part: str, item_id: str) -> Any | None:
        """Item ``item_id`` of a shown entry's list ``part``, or None: the entry is hidden, there is no such item,
        or it is withheld."""
        if not self.entry(entry):
            return None
        found = next((i for i in getattr(entry.model, part, None) or () if getattr(i, "id", None) == item_id), None)
        return None if found is None or is_withheld(found) else found

    def target(self, value: str, reference: Reference) -> Entry | None:
        """The entry a reference names, if this output shows it (and, for ``entry#item``, shows that item)."""
        entry_id, _, item_id = value.strip().partition("#")
        entry = self.entries.get((reference.collection, entry_id))
        if entry is None or not self.entry(entry):
            return None
        if reference.part and self.item(entry, reference.part, item_id) is None:
            return None
        return entry

    def reference(self, value: str, reference: Reference) -> bool:
        return self.target(value, reference) is not None

    def public_references(self, data: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
        """``data`` (a model dumped by alias) without the references this output may not show, in every reference
        field of ``model``: dropped from a list of ids, a single id becomes null. Changes ``data`` in place."""
        for pattern, reference in reference_paths(model):
            _keep(data, pattern, lambda value, reference=reference: self.reference(value, reference))
        return data

    # --- names --------------------------------------------------------------------------------------------------

    narrator_name = staticmethod(narrator_name)
    anchor = staticmethod(anchor)
    is_withheld = staticmethod(is_withheld)

    # --- other outputs of the same build ------------------------------------------------------------------------

    def for_open_data(self) -> Visibility:
        """Open data: published, non-demonstration entries only, whatever the build shows (even in the preview)."""
        return replace(self, include_unpublished=False, include_demo=False)

    def for_citations(self) -> Visibility:
        """Citations (outputs/citations.py: the page's GB/T text, meta tags and COinS, its RIS, BibTeX and CSL-JSON
        files): published, non-demonstration entries only, as for open data. A draft's address is not yet the
        public one, and nothing fictional is offered as something to cite."""
        return replace(self, include_unpublished=False, include_demo=False)


def _keep(node: Any, pattern: tuple, keep: Callable[[str], bool]) -> Any:
    head, rest = pattern[0], pattern[1:]
    if head is ANY:
        if not isinstance(node, list):
            return node
        if not rest:
            return [value for value in node if not isinstance(value, str) or keep(value)]
        return [_keep(item, rest, keep) for item in node]
    if isinstance(node, dict) and node.get(head) is not None:
        if rest:
            node[head] = _keep(node[head], rest, keep)
        elif isinstance(node[head], str) and not keep(node[head]):
            node[head] = None
    return node
