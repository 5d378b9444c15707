"""Where things are: the project's own folders, counted once from this file (build_hooks/heritage/core/paths.py),
and where a generated page is served and written in a built site (every engine here writes directory URLs)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
TEMPLATES_DIR = PROJECT_ROOT / "build_hooks" / "templates"
OFFLINE_SCRIPTS = PROJECT_ROOT / "scripts" / "offline"


def directory_url(uri: str) -> str:
    """The directory URL a page is served at, from the site's root (``sites/x.md`` → ``sites/x/``,
    ``sites/index.md`` → ``sites/``, ``index.md`` → the empty string)."""
    stem = uri.removesuffix(".md")
    return stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"


def built_page(uri: str) -> str:
    """The file of that page in a built site: ``sites/x.md`` → ``sites/x/index.html``, ``index.md`` → ``index.html``."""
    return directory_url(uri) + "index.html"
