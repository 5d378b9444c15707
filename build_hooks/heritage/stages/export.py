"""The export stage: every file a build publishes besides pages (WebVTT, JSON indexes, recordings …).

Separate from rendering so that pages and data can change independently, and so that later exports (open data)
slot in as one more function. What each collection exports is declared in the registry (``Collection.exports``);
every cited page's RIS, BibTeX and CSL-JSON files (outputs/citations.py) are written for all collections alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from heritage.collections.routes import export_routes
from heritage.core.cache import BuildCache, stamp
from heritage.core.catalog import Catalog
from heritage.outputs.citations import export_citations, site_for
from heritage.outputs.media import resolve_media, stripped_copy
from heritage.outputs.opendata import export_open_data
from heritage.pages.plaques import export_codes


@dataclass
class ExportContext:
    site_url: str  # ends with "/"
    media_dir: Path | None
    cache: BuildCache | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)  # mkdocs.yml `extra` (open-data licence …)
    site_name: str | None = None  # mkdocs.yml `site_name`, the container in citations (None: this project's)

    def media_file(self, ref: str) -> bytes:
        """A recording from content/media/, resolved inside it and stripped of every tag (validated beforehand:
        ``pipeline.check_media`` reports any file for which this would fail)."""
        assert self.media_dir is not None
        path = resolve_media(self.media_dir, ref)
        if self.cache is None:
            return stripped_copy(path)
        key = stamp(path)
        cached = self.cache.media.get(path)
        if cached is None or cached[0] != key:
            cached = (key, stripped_copy(path))
            self.cache.media[path] = cached
        return cached[1]


def export_all(catalog: Catalog, context: ExportContext) -> dict[str, Any]:
    """uri → text (str) or bytes, for every published entry of every collection that exports something."""
    # Small text files are made anew each time (cheap); recordings are cached per file in ``ExportContext``.
    files: dict[str, Any] = {}
    for entry in catalog.entries.values():
        exporter = catalog.registry[entry.collection].exports
        if exporter is not None:
            files.update(exporter(context, entry))
    files.update(export_open_data(catalog, context))  # data/: JSON, CSV, GeoJSON, datapackage.json
    files.update(export_codes(catalog, context))  # <collection>/<id>/qr.svg with a public address (plaques.py)
    files.update(export_routes(catalog, context))  # routes/<id>/route.gpx|geojson of located stops (routes.py)
    # <collection>/<id>/citation.ris|bib|json (and citation-<segment>.… of a record's public segments), only for
    # the entries citations.citable allows: published, not a demonstration, through the visibility filter
    files.update(export_citations(catalog, site_for(context.site_name, context.site_url, context.extra)))
    return files
