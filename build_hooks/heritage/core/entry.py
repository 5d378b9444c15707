"""An entry as read (``RawEntry``, with the line of every key) and as validated (``Entry``: the raw form and its typed
model), and the links between entries that ``stages/link.py`` finds (``Mention``, ``PartLink``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from heritage.core.references import FieldPath
from heritage.core.schema import EntryBase


@dataclass
class RawEntry:
    """An entry as read from disk, before validation."""

    path: Path  # real path on disk
    display_path: str  # what editors see in messages, e.g. ``content/sites/tuyang.yml``
    collection: str  # folder name, e.g. ``sites``
    id: str  # file name without ``.yml``
    data: dict[str, Any]
    lines: dict[FieldPath, int]  # 1-based line of each key (mapping) or item (sequence)
    block_scalars: frozenset = frozenset()  # paths written as ``key: |`` or ``key: >``: text starts on the next line
    validated: Any = field(default=None, compare=False, repr=False)  # (model, problems), set once by the pipeline
    linted: Any = field(default=None, compare=False, repr=False)  # (context key, problems), kept by lint.py
    _nodes: Any = field(default=None, compare=False, repr=False)

    def line_of(self, path: FieldPath) -> int | None:
        """The line of ``path``, or of its nearest written ancestor (a missing field is reported at its parent)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    @property
    def nodes(self) -> list[tuple[FieldPath, Any]]:
        """Every (field path, value) of the data, parents first: walked once, read by several checks."""
        if self._nodes is None:
            self._nodes = list(walk(self.data))
        return self._nodes

    def line_in_text(self, path: FieldPath, text: str, offset: int) -> int | None:
        """The line of character ``offset`` of the text at ``path`` (exact for block scalars such as ``body: |``)."""
        line = self.line_of(path)
        if line is None or tuple(path) not in self.block_scalars:
            return line
        return line + 1 + text.count("\n", 0, offset)


def walk(data: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """Every node of loaded data with its field path, parents before children."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from walk(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from walk(value, (*path, index))


def dotted(path: FieldPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(eq=False)
class Entry:
    """A validated entry: its raw form (for line numbers) and its typed model (for templates)."""

    raw: RawEntry
    model: EntryBase
    # The sources its ``sources`` list names, resolved by stages/link.py (collections/sources.SourceView): what its
    # footnotes, source lists and weak-source marks read.
    sources: tuple = ()

    def source(self, source_id: str):
        """The cited source ``source_id`` (a SourceView), or None when the entry does not list it."""
        return next((s for s in self.sources if s.id == source_id), None)

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
    def url(self) -> str:
        """The entry page's path under the site root, e.g. ``sites/alpha-hq/`` (prefix it with the site's address)."""
        return f"{self.collection}/{self.id}/"

    @property
    def title(self) -> str:
        return self.model.display_title

    @property
    def status(self) -> str:
        return self.model.status

    @property
    def is_published(self) -> bool:
        """Reviewed and released (``status: published``): the only entries a production build may show."""
        return self.model.is_published


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
