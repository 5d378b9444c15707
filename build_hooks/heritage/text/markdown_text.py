"""Turn plain text from YAML into Markdown that renders as exactly that text.

The template environment autoescapes, and its ``finalize`` is ``escape_text``: every ``{{ value }}`` that is not
already ``Markdown`` becomes text that is inert both as HTML (``& < > " '`` as entities) and as Markdown
(backslash before every character Python-Markdown treats as syntax). ``Markdown`` is a ``markupsafe.Markup``, so
Jinja's own escaping leaves it alone and macro output (Markup) composes without double escaping. Only the
``markdown`` filter and the pipeline's own helpers produce it. A ``<script>``, a ``"`` or a ``**`` in a YAML title
therefore shows as text, in Markdown and inside an HTML attribute alike.

The few block markers a backslash cannot escape (a ``===`` underline, a ``~~~`` fence, a ``???`` details block) are
written as character references when they begin a line, so no value starts a block wherever a template puts it.

``tag_like`` finds text that HTML would read as a tag if a script ever re-parsed it: the schema refuses it in plain
text fields and markdown_check.py in bodies.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

# Characters Python-Markdown (with the extensions in mkdocs.yml) lets a backslash escape.
# Escaping only these matters: a backslash before any other character would be printed.
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_HTML_ACTIVE = re.compile(r"[&<>\"']")
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_INDENT = re.compile(r"\n[ \t]*")
# Line starts that open a block although no backslash escape exists for them: a setext heading underline (=), a
# ~~~ fence, a pymdownx.details block (???). Every other block marker is escaped above or as HTML (> is &gt;).
_UNESCAPABLE_BLOCK_START = re.compile(r"(^|\n)([=~?])")
_BLOCK_START_ENTITIES = {"=": "&#61;", "~": "&#126;", "?": "&#63;"}
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
    if "\n" in text:
        text = _INDENT.sub("\n", text)
    return _UNESCAPABLE_BLOCK_START.sub(lambda m: m.group(1) + _BLOCK_START_ENTITIES[m.group(2)], text)


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


# --- text a browser would read as a tag -------------------------------------------------------------------------

# "<" followed by a letter, "/", "!" or "?" opens a tag (or a comment, a declaration, a processing instruction) in
# HTML's tokenizer. Plain text never needs it, and text shown escaped on a page is read again as HTML by any script
# that copies it through innerHTML (a theme's tooltip did): refused, also when written as an entity (&lt;, &#60;).
TAG_OPEN = re.compile(r"<[A-Za-z/!?]")


def decoded(text: str) -> str:
    """``text`` with HTML character references decoded until none is left (``&amp;lt;`` → ``&lt;`` → ``<``)."""
    for _ in range(8):
        if "&" not in text:
            break
        once = html.unescape(text)
        if once == text:
            break
        text = once
    return text


def shown_piece(text: str, start: int, limit: int = 40) -> str:
    """The tag-like piece of ``text`` at ``start`` quoted in a message: to its ">" if there is one, on one line, at
    most ``limit`` characters."""
    end = text.find(">", start, start + limit)
    piece = " ".join(text[start : end + 1 if end >= 0 else start + limit + 1].split())
    return piece if len(piece) <= limit else piece[: limit - 1] + "…"


def tag_like(text: str) -> str | None:
    """The first tag-like piece of ``text`` (entities decoded), shortened for a message; ``None`` when there is none."""
    if "<" not in text and "&" not in text:
        return None
    plain = decoded(text)
    match = TAG_OPEN.search(plain)
    return None if match is None else shown_piece(plain, match.start())
