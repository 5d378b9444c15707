"""The last line of defence: every generated page's HTML passes an allowlist of exactly what our templates make.

Templates escape what they insert and ``markdown_check`` rejects unsafe bodies before rendering; this module
catches whatever slips past both (a new template, a helper that forgets to escape, a Markdown extension that
starts emitting something new). ``sanitize_page_html`` runs ``nh3`` (ammonia) over the HTML MkDocs made of a
generated page's Markdown; ``html_violations`` lists what the allowlist would remove, for tests.

The allowlist is exactly what the templates in ``build_hooks/templates`` and the helpers in ``render.py`` produce
once MkDocs has rendered their Markdown with the extensions of mkdocs.yml: adding a construct to a template means
adding it here, and tests/test_sanitize.py fails until it is.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

from heritage.outputs.search_index import META_FIELDS
from heritage.text.markdown_check import ADMONITION_MODIFIERS, ADMONITION_TYPES, PYGMENTS_CLASSES

ALLOWED_TAGS: frozenset[str] = frozenset().union(
    # Markdown in every template and in entry bodies: paragraphs, emphasis, lists, quotes, headings (# title in
    # every page template, ## sections), rules, hard line breaks ("  " in _entry_list.md.j2), code.
    {"p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "br"},
    {"code", "pre"},
    # tables: fact tables of site.md.j2 / oral-history.md.j2, fields.md.j2, the record table of
    # oral-history-listing.md.j2.
    {"table", "thead", "tbody", "tr", "th", "td"},
    # footnotes (sources.md.j2, cite() in render.py) and admonitions (_macros.md.j2 status_banner/disputes, the
    # demo banner of oral-history.md.j2): <sup>, <div class="footnote|admonition …">.
    {"sup", "div"},
    # citation_block() in render.py, and ??? details in entry bodies.
    {"details", "summary"},
    # a highlighted ``` fence in an entry body (pymdownx.superfences with Pygments).
    {"span"},
    # images of site.md.j2: <figure markdown> ![alt](src){ loading=lazy } <figcaption>.
    {"figure", "figcaption", "img"},
    # the player of oral-history.md.j2.
    {"audio", "video", "track"},
    # listing filters and cards of _cards.md.j2.
    {"form", "label", "select", "option", "small"},
)

# tag → attributes allowed with any value. (`class` is in ALLOWED_CLASSES, fixed values in ALLOWED_ATTRIBUTE_VALUES.)
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    # links: Markdown links (title from [x](url "title"); footnote back-links and toc permalinks carry a title),
    # and seek() in render.py: [00:00–00:10](#seg){ .oh-seek data-start data-end data-segment }.
    "a": frozenset({"href", "title", "data-start", "data-end", "data-segment"}),
    # toc ids on headings ({ #anchor } on segment headings of oral-history.md.j2 sets them too).
    **{f"h{level}": frozenset({"id"}) for level in range(1, 7)},
    # footnotes: <sup id="fnref:x">, <li id="fn:x"> (li: see _cards.md.j2 below).
    "sup": frozenset({"id"}),
    # citation_block(): <pre id="cite-…"> (Material's copy button needs an id) in <details … data-pagefind-ignore open>.
    "pre": frozenset({"id"}),
    "details": frozenset({"open", "data-pagefind-ignore"}),
    # oral-history.md.j2: <div class="oh-player" data-record aria-label>, <audio|video controls preload src>,
    # <track kind src srclang label default>. map.md.j2: <div class="hm-map" data-geojson data-tiles data-overlay
    # data-subdomains data-attribution data-max-zoom data-datum aria-label hidden> (settings of mkdocs.yml, read by map.js).
    "div": frozenset(
        {"data-record", "aria-label", "data-geojson", "data-tiles", "data-overlay", "data-subdomains", "data-attribution", "data-max-zoom"}
    ),
    "audio": frozenset({"controls", "src"}),
    "video": frozenset({"controls", "src"}),
    "track": frozenset({"src", "srclang", "label", "default"}),
    # site.md.j2 images.
    "img": frozenset({"src", "alt"}),
    # _cards.md.j2: <form class="hc-filter" data-target hidden>, <select data-filter>, <option value>,
    # <ul class="hc-cards" id>, <li class="hc-card" data-facets>.
    "form": frozenset({"data-target", "hidden"}),
    "select": frozenset({"data-filter"}),
    "option": frozenset({"value"}),
    "ul": frozenset({"id"}),
    "li": frozenset({"id", "data-facets"}),
    # site.md.j2: the English name, *…*{ lang=en }, keeps its italics (Chinese text has none).
    "em": frozenset({"lang"}),
    # search_index.wrap_page(): <span data-pagefind-filter="街道">大鹏街道</span> (filter names follow the registry);
    # citation_block(): the COinS <span class="Z3988" title="ctx_ver=…"> Zotero reads (outputs/citations.py).
    "span": frozenset({"data-pagefind-filter", "title"}),
}

# tag → attribute → the only values it may have.
ALLOWED_ATTRIBUTE_VALUES: dict[str, dict[str, frozenset[str]]] = {
    # the tables extension aligns columns with style="text-align: …;".
    **{tag: {"style": frozenset({"text-align: left;", "text-align: right;", "text-align: center;"})} for tag in ("th", "td")},
    # the player of oral-history.md.j2.
    "audio": {"preload": frozenset({"none", "metadata"})},
    "video": {"preload": frozenset({"none", "metadata"})},
    "track": {"kind": frozenset({"chapters", "captions"})},
    # site.md.j2 images: { loading=lazy }.
    "img": {"loading": frozenset({"lazy"})},
    # _cards.md.j2: <span class="hc-filter-count" aria-live="polite">; search_index.wrap_page():
    # <span data-pagefind-meta="title|names|pinyin">.
    "span": {"aria-live": frozenset({"polite"}), "data-pagefind-meta": frozenset(META_FIELDS)},
    # search_index.wrap_page(): the indexed body <div data-pagefind-body>, and its hidden, non-indexed block of
    # filters and metadata <div hidden data-pagefind-ignore>.
    # map.md.j2: <div class="hm-map" data-datum="wgs84|gcj02" hidden> (map.js shows it).
    "div": {
        "data-pagefind-body": frozenset({""}),
        "data-pagefind-ignore": frozenset({""}),
        "hidden": frozenset({"", "hidden"}),  # md_in_html writes hidden="hidden" (map.md.j2)
        "data-datum": frozenset({"wgs84", "gcj02"}),
        # _macros.md.j2 demo_banner: <div class="admonition danger" data-demo="true"> marks a demonstration entry's
        # page for basket.js.
        "data-demo": frozenset({"true"}),
    },
}

# search_index.mark_non_prose(): data-pagefind-ignore="" on what an entry page's index leaves out (footnote markers,
# footnotes, sources and related-entry sections, the facts table's labels, link-only paragraphs).
for _tag in ("sup", "h2", "p", "ul", "ol", "table", "thead", "td", "th", "blockquote"):
    ALLOWED_ATTRIBUTE_VALUES.setdefault(_tag, {})["data-pagefind-ignore"] = frozenset({""})
del _tag

# tag → CSS classes it may have. Classes matter: Material styles and scripts key on them (md-*), so a page may
# only carry the ones we put there.
ALLOWED_CLASSES: dict[str, frozenset[str]] = {
    # toc permalinks, footnotes, home.md.j2 buttons, seek() links.
    "a": frozenset({"headerlink", "footnote-ref", "footnote-backref", "md-button", "md-button--primary", "oh-seek", "hc-card__title"}),
    # admonitions (any Material type), footnotes, highlighted fences, oral-history.md.j2 player and bilingual
    # transcript (<div class="oh-bilingual" markdown>).
    # map.md.j2: <div class="hm-layout|hm-map|hm-places" markdown>.
    "div": frozenset(
        {
            "admonition",
            *ADMONITION_TYPES,
            *ADMONITION_MODIFIERS,
            "footnote",
            "highlight",
            "oh-player",
            "oh-bilingual",
            "hm-layout",
            "hm-map",
            "hm-places",
            # the handout's QR corner (plaques.print_block), the plaque sheet (plaques.md.j2), the basket page
            # (basket.md.j2, filled by basket.js).
            "hb-print-qr",
            "hb-plaques",
            "hb-basket",
        }
    ),
    # basket.md.j2: <p class="hb-basket-empty"> (the message without JavaScript); the theme's 报告错误 line at the
    # foot of an entry page (overrides/partials/feedback.html, read by report.js).
    "p": frozenset({"admonition-title", "hb-basket-empty", "hc-report"}),
    # plaques.md.j2: <figure class="hb-plaque">.
    "figure": frozenset({"hb-plaque"}),
    # citation_block() (<details class="quote oh-citation">) and ??? details in bodies.
    "details": frozenset({*ADMONITION_TYPES, *ADMONITION_MODIFIERS, "oh-citation"}),
    # _cards.md.j2 filters and cards; Pygments tokens in highlighted fences; COinS (citation_block()).
    "form": frozenset({"hc-filter"}),
    "span": frozenset({"hc-filter-count", "Z3988", *PYGMENTS_CLASSES}),
    "ul": frozenset({"hc-cards", "hc-featured"}),
    "li": frozenset({"hc-card"}),
}

# Web links and e-mail; relative URLs (links between our pages, media, WebVTT files) pass as they are.
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

# Removed with their content, not just unwrapped: their text is code or markup, never prose.
_CLEAN_CONTENT_TAGS = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg", "math", "textarea", "title"})


def sanitize_page_html(html: str) -> str:
    """``html`` with every tag, attribute, class and URL outside the allowlist removed, and comments stripped.
    Links are left as they are (no rel="noopener" added: every external link is to a source we cite)."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_CLEAN_CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        tag_attribute_values={
            tag: {name: set(values) for name, values in attrs.items()} for tag, attrs in ALLOWED_ATTRIBUTE_VALUES.items()
        },
        allowed_classes={tag: set(classes) for tag, classes in ALLOWED_CLASSES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative=_relative_url,
        link_rel=None,
        strip_comments=True,
    )


def _relative_url(url: str) -> str | None:
    """Relative URLs stay, except "//host/…" (and "/\\host", which browsers read the same): that is another site."""
    return None if _OTHER_HOST.match(url) else url


_OTHER_HOST = re.compile(r"[\x00-\x20]*[/\\][\x00-\x20]*[/\\]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_BROWSER_IGNORED = re.compile(r"[\x00-\x20\x7f]")  # browsers strip these from URLs (java\tscript: is javascript:)
_DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "cite", "background", "srcset", "data", "xlink:href", "ping"})


def html_violations(html: str) -> list[str]:
    """Everything in ``html`` outside the allowlist of ``sanitize_page_html``, one line each; [] when clean.
    Event handlers (on*) and javascript:/data:/vbscript: URLs are named as such."""
    finder = _ViolationFinder()
    finder.feed(html)
    finder.close()
    return finder.violations


class _ViolationFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.violations: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.violations.append(f"tag <{tag}>")
        for name, value in attrs:
            problem = _attribute_problem(tag, name, value or "")
            if problem:
                self.violations.append(f"<{tag}> {problem}")

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        self.violations.append(f"comment <!--{data[:40]}-->")

    def handle_decl(self, decl: str) -> None:
        self.violations.append(f"declaration <!{decl[:40]}>")

    def unknown_decl(self, data: str) -> None:
        self.violations.append(f"declaration <![{data[:40]}]>")

    def handle_pi(self, data: str) -> None:
        self.violations.append(f"processing instruction <?{data[:40]}>")


def _attribute_problem(tag: str, name: str, value: str) -> str | None:
    if name.startswith("on"):
        return f"event handler {name}"
    if name in _URL_ATTRIBUTES:
        url_problem = _url_problem(value)
        if url_problem:
            return f"{name}: {url_problem}"
    if name == "class":
        extra = set(value.split()) - ALLOWED_CLASSES.get(tag, frozenset())
        return f"class {' '.join(sorted(extra))}" if extra else None
    if name in ALLOWED_ATTRIBUTES.get(tag, ()):
        return None
    allowed_values = ALLOWED_ATTRIBUTE_VALUES.get(tag, {}).get(name)
    if allowed_values is None:
        return f"attribute {name}"
    return None if value in allowed_values else f'attribute {name}="{value[:40]}"'


def _url_problem(value: str) -> str | None:
    url = _BROWSER_IGNORED.sub("", value).lower()
    if url.startswith(_DANGEROUS_SCHEMES):
        return f"{url.split(':', 1)[0]}: URL"
    if _OTHER_HOST.match(value):
        return "URL of another host without a scheme (//…)"
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(1) not in URL_SCHEMES:
        return f"URL scheme {scheme.group(1)}:"
    return None


__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_ATTRIBUTE_VALUES",
    "ALLOWED_CLASSES",
    "ALLOWED_TAGS",
    "URL_SCHEMES",
    "html_violations",
    "sanitize_page_html",
]
