"""What a long-running process keeps between builds, in one object its owner passes in.

``mkdocs serve`` rebuilds after every edit; the hook owns one ``BuildCache`` and hands it to ``pipeline.build``,
as Pelican's caching generators are handed their cache. Every stage works without it (``cache=None``) and gives
the same result: the cache only lets a stage skip work whose inputs are provably unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class BuildCache:
    # load: path → ((mtime_ns, size), RawEntry or the Problem that made it unreadable). A changed file makes a new
    # RawEntry, on which validation and editorial results are kept (RawEntry.validated / .linted).
    loaded: dict[Path, tuple[tuple[int, int], Any]] = field(default_factory=dict)
    # render: entry key → (settings, the raw entries whose data the page shows, page text). Identity of the raw
    # objects is an exact test of "nothing it shows has changed"; holding them keeps ids from being recycled.
    pages: dict[tuple[str, str], tuple[tuple, tuple, str]] = field(default_factory=dict)
    # media: file → ((mtime_ns, size), bytes without metadata).
    media: dict[Path, tuple[tuple[int, int], bytes]] = field(default_factory=dict)
    # claim check: entry key → (the raw entry, its cited sources' models, the catalog of names, problems). Identity
    # of the raw entry and source models, and equality of the names, is an exact test of "nothing it reads changed".
    support: dict[tuple[str, str], tuple[Any, tuple, Any, list]] = field(default_factory=dict)
    # page files for `mkdocs serve --dirty`: what was last written to each (page_cache.write_if_changed).
    written: dict[Path, str] = field(default_factory=dict)


def stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return (stat.st_mtime_ns, stat.st_size)


def same_objects(old: tuple, new: tuple) -> bool:
    return len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))
