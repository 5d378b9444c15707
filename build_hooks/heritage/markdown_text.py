"""Turn plain text from YAML into Markdown that renders as exactly that text.

The template environment autoescapes, and its ``finalize`` is ``escape_text``: every ``{{ value }}`` that is not
already ``Markdown`` becomes text that is inert both as HTML (``& < > " '`` as entities) and as Markdown
(backslash before every character Python-Markdown treats as syntax). ``Markdown`` is a ``markupsafe.Markup``, so
Jinja's own escaping leaves it alone and macro output (Markup) composes without double escaping. Only the
``markdown`` filter and the pipeline's own helpers produce it. A ``<script>``, a ``"`` or a ``**`` in a YAML title
therefore shows as text, in Markdown and inside an HTML attribute alike.
"""

from __future__ import annotations

import re

from markupsafe import Markup

# Characters Python-Markdown (with the extensions in mkdocs.yml) lets a backslash escape.
# Escaping only these matters: a backslash before any other character would be printed.
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_HTML_ACTIVE = re.compile(r"[&<>\"']")
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_INDENT = re.compile(r"\n[ \t]*")
_LINE_BREAKS = re.compile(r"\s*\n\s*")


class Markdown(Markup):
    """Text that is already Markdown (and safe as HTML) and must be inserted as it is.

    Composing it with plain text in Python (``md + text``, ``md.join(texts)``, ``md % text``) escapes the plain
    text fully, for Markdown as well as HTML, through this ``escape``.
    """

    __slots__ = ()

    @classmethod
    def escape(cls, s: object) -> Markdown:
        return escape_text(s)


def escape_text(value: object) -> Markdown:
    """``finalize`` hook: plain text → Markdown that shows exactly that text; Markdown passes through.

    Other ``Markup`` (a macro's output, or a string Jinja joined with ``~``) is HTML-safe but not known to be
    intended Markdown: it is made inert as Markdown too. Templates mark macro output with ``|markdown``.
    """
    if value is None:
        return Markdown("")
    if isinstance(value, Markup):
        if isinstance(value, Markdown):
            return value
        return Markdown(_escape_markdown(str(value)))
    return Markdown(_escape(str(value)))


def _escape_markdown(text: str) -> str:
    text = _MARKDOWN_ACTIVE.sub(r"\\\1", text)
    return _INDENT.sub("\n", text) if "\n" in text else text


def _html_escape(text: str) -> str:
    return _HTML_ACTIVE.sub(lambda m: _HTML_ENTITIES[m.group(0)], text)


def _escape(text: str) -> str:
    if _HTML_ACTIVE.search(text):  # rare in Chinese prose: skip the work when absent
        text = _html_escape(text)
    # Leading spaces would start a code block; blank lines would end a table cell or list item early.
    return _escape_markdown(text)


def escape_inline(value: object) -> Markdown:
    """Plain text for a single-line context (a heading, a table cell, a list item): newlines become spaces."""
    if isinstance(value, Markup):
        return escape_text(value)
    text = _escape("" if value is None else str(value))
    return Markdown(_LINE_BREAKS.sub(" ", text).strip() if "\n" in text else text.strip())


def escape_attribute(value: object) -> Markdown:
    """Plain text inside a double-quoted HTML attribute (raw HTML is not Markdown: no backslashes)."""
    if isinstance(value, Markup):
        return escape_text(value)
    return Markdown(_html_escape("" if value is None else str(value)))


def mark_markdown(value: object) -> Markdown:
    """Mark pipeline-made Markdown (a validated body, macro output) as safe to insert as it is."""
    return Markdown("" if value is None else str(value))
