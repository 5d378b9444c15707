"""Content pipeline for the Dapeng red-heritage site: YAML entries → validated, linked entries → Markdown pages.

Plain Python, independent of MkDocs: ``build_hooks/hooks.py`` adapts it to MkDocs, ``python -m heritage`` is its CLI.
"""

from .pipeline import BuildResult, build, check
from .problems import ContentError, Problem, Severity, format_report

__all__ = ["BuildResult", "ContentError", "Problem", "Severity", "build", "check", "format_report"]
