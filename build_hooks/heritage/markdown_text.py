"""Turn plain text from YAML into Markdown that renders as exactly that text.

Templates output Markdown, not HTML, so Jinja's HTML autoescape is the wrong tool (and costly: a sixth of our
pipeline went to markupsafe). Instead every ``{{ value }}`` passes through ``escape_text`` (the environment's
``finalize``) unless it is already ``Markdown``, which only the ``markdown`` filter and our own helpers produce.
A macro's output is plain text to Jinja: templates pipe it through ``|markdown`` where they call it.
A ``<script>`` or a ``**`` in a YAML title therefore shows as text.
"""

from __future__ import annotations

import re


# Characters Python-Markdown (with the extensions in mkdocs.yml) lets a backslash escape.
# Escaping only these matters: a backslash before any other character would be printed.
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_INDENT = re.compile(r"\n[ \t]*")
_LINE_BREAKS = re.compile(r"\s*\n\s*")


class Markdown(str):
    """Text that is already Markdown and must be inserted as it is."""


def escape_text(value: object) -> Markdown:
    """``finalize`` hook: plain text → Markdown that shows exactly that text; Markdown passes through."""
    if value is None:
        return Markdown("")
    if isinstance(value, Markdown):
        return value
    return Markdown(_escape(str(value)))


def _escape(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:  # rare in Chinese prose: skip the work when absent
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_ACTIVE.sub(r"\\\1", text)
    # Leading spaces would start a code block; blank lines would end a table cell or list item early.
    return _INDENT.sub("\n", text) if "\n" in text else text


def escape_inline(value: object) -> Markdown:
    """Plain text for a single-line context (a heading, a table cell, a list item): newlines become spaces."""
    if isinstance(value, Markdown):
        return value
    text = _escape("" if value is None else str(value))
    return Markdown(_LINE_BREAKS.sub(" ", text).strip() if "\n" in text else text.strip())


def mark_markdown(value: object) -> Markdown:
    return Markdown("" if value is None else str(value))
