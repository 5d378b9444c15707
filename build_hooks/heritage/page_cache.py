"""Generated pages as files, for a fast preview (`mkdocs serve --dirty`).

MkDocs rebuilds a page in a dirty build only when its source file is newer than its output. Pages that exist only
in memory count as always changed, so every edit rebuilt the whole site. Written here, and rewritten only when
their text changed, unchanged pages keep their old modification time and are skipped. Never used for a release
build: a dirty build's search index holds only the rebuilt pages.
"""

from __future__ import annotations

from pathlib import Path


def write_if_changed(root: Path, texts: dict[str, str]) -> dict[str, Path]:
    """Mirror ``texts`` (uri → text) under ``root``: write what changed, delete what is gone, return the paths."""
    paths: dict[str, Path] = {}
    for uri, text in texts.items():
        path = root / uri
        data = text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        paths[uri] = path
    wanted = set(paths.values())
    for path in [p for p in root.rglob("*") if p.is_file() and p not in wanted] if root.is_dir() else []:
        path.unlink()
    return paths
