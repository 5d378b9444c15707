"""Where the project's own folders are, counted once from this file (build_hooks/heritage/core/paths.py)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
TEMPLATES_DIR = PROJECT_ROOT / "build_hooks" / "templates"
OFFLINE_SCRIPTS = PROJECT_ROOT / "scripts" / "offline"
