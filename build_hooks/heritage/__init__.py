"""Content pipeline for the Dapeng red-heritage site: YAML entries → validated, linked entries → Markdown pages.

Plain Python, independent of MkDocs: ``build_hooks/hooks.py`` adapts it to MkDocs, ``python -m heritage`` is its CLI.
"""

from heritage.core.problems import ContentError, Problem, Severity, format_report
from heritage.stages.pipeline import BuildResult, build, check

__all__ = ["BuildResult", "ContentError", "Problem", "Severity", "build", "check", "format_report"]
