"""Engine adapters: what turns the pipeline's Markdown into themed HTML, and what follows whichever engine ran.

- MkDocs (the default) and ProperDocs (its drop-in fork) run ``build_hooks/hooks.py``, which hands the generated
  pages over in memory; ``python -m heritage build --engine mkdocs|properdocs`` runs them in a child process.
- Zensical (``engines/zensical.py``) builds ``heritage render`` output; it runs no hooks.
- ``engines/postbuild.py`` is the step after any engine: the allowlist over every generated page, the search
  wrapping and the Pagefind index. Nothing the site needs lives only in an engine's events.
"""

from __future__ import annotations

ENGINES = ("mkdocs", "properdocs", "zensical")
DEFAULT_ENGINE = "mkdocs"


class EngineError(Exception):
    """An engine failed to build the site (not a content problem); the message is for editors (Chinese)."""
