"""Client-side filters of listing pages, declared per collection in the registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from heritage.stages.link import Entry


@dataclass(frozen=True)
class ListingFilter:
    """A filter on a listing page, applied in the browser (docs/assets/javascripts/records.js): each entry's values
    for ``key`` as (value, Chinese label) pairs. Without JavaScript the listing is a plain list of every entry."""

    key: str  # a word: the select's data-filter and the key in each card's data-facets JSON
    label: str  # Chinese, shown beside the select
    values: Callable[[Entry], list[tuple[str, str]]]


def decades(start: object, end: object = None) -> list[tuple[str, str]]:
    """Decade buckets ("1940", "1940 年代") that a period from ``start`` to ``end`` (YYYY[-MM[-DD]]) touches."""
    if start is None:
        return []
    first = int(str(start)[:4])
    last = int(str(end)[:4]) if end is not None else first
    return [(str(d), f"{d} 年代") for d in range(first // 10 * 10, max(first, last) // 10 * 10 + 1, 10)]
