"""Generated pages as files, for a fast preview (`mkdocs serve --dirty`).

MkDocs rebuilds a page in a dirty build only when its source file is newer than its output. Pages that exist only
in memory count as always changed, so every edit rebuilt the whole site. Written here, and rewritten only when
their text changed, unchanged pages keep their old modification time and are skipped. Never used for a release
build: a dirty build's search index holds only the rebuilt pages.
"""

from __future__ import annotations

from pathlib import Path


def write_if_changed(root: Path, texts: dict[str, str], _written: dict[Path, str]) -> dict[str, Path]:
    """Mirror ``texts`` (uri → text) under ``root``: write what changed, delete what is gone, return the paths.
    ``_written`` (``BuildCache.written``) remembers what was last written, so files need not be read back."""
    paths: dict[str, Path] = {}
    for uri, text in texts.items():
        path = root / uri
        if _written.get(path) != text or not path.is_file():
            if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(text.encode("utf-8"))
            _written[path] = text
        paths[uri] = path
    wanted = set(paths.values())
    for path in [p for p in root.rglob("*") if p.is_file() and p not in wanted] if root.is_dir() else []:
        path.unlink()
        _written.pop(path, None)
    return paths
