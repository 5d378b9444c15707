"""Search: a chunked static index over the built HTML (Pagefind), and what it needs to find what Chinese readers type.

The browser loads the index piecemeal (only the chunks a query needs), so the cost of a query does not grow with the
collection. This module has three parts, none of which imports MkDocs:

1. ``SearchRecord`` / ``record_for`` / ``wrap_page`` — what an entry page adds for the indexer: the page's own
   article is the indexed body (``data-pagefind-body``; listing, tag and hand-written pages are not indexed), and a
   hidden, non-indexed block carries the filters (collection, each facet of the collection's registry entry, the
   historical periods of vocab.PERIODS its dates fall in, real or demonstration record) and search-only metadata:
   the title, the names (title,
   aliases, project dictionary words on the page) with their suffixes, each cut to ``SUFFIX_LENGTH`` characters,
   so a part of a word finds the whole (纵队 → 东江纵队, 临委 → 省临委) while the block stays linear in the
   name's length, and their pinyin, spaced and run together (yuan geng, yuangeng → 袁庚).
2. ``StreamingIndex`` (the post-build step, ``engines/postbuild.py``: each entry page is handed to Pagefind's
   service mode as soon as it is cleaned, see ``pagefind_service``) and ``index_site`` (the command line over a
   built site, for the preview) — the pinned
   Pagefind binary (``make setup`` fetches it) makes the index; then both write the
   small files the site's search script needs besides Pagefind's own: ``search/t2s.json`` (traditional →
   simplified, only for characters that occur in the index), ``search/names/<bucket>.json`` (exact title or alias →
   Pagefind result ids, one small bucket per query), so exact matches come first without downloading more, and
   ``search/demo.json`` (the result ids of demonstration records, which come after real entries) and
   ``search/reference.json`` (those of source pages, which come after the entries that cite them).
3. ``index_in_background`` — the preview's fast path: the page is served at once and the index follows.

The site's script (docs/assets/javascripts/search.js) uses the same normalisation and hash as ``name_key`` and
``name_bucket`` here; tests/test_search_index.py keeps the two in step.
"""

from __future__ import annotations

import functools
import gzip
import html
import itertools
import json
import os
import re
import shutil
import subprocess
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from heritage.core.paths import PROJECT_ROOT
from heritage.outputs.pagefind_service import PagefindService, PagefindServiceError

BUNDLE_DIR = "pagefind"  # Pagefind's output, under the site
EXTRA_DIR = "search"  # our own files, under the site
NAME_BUCKETS = 256
# The longest part of a name a query finds through the names metadata (see ``suffixes``): longer than any name an
# editor writes in practice, short enough that the hidden block is linear in the length of a name.
SUFFIX_LENGTH = 16
# Filters that do not come from a facet.
COLLECTION_FILTER = "栏目"
PERIOD_FILTER = "时期"
DEMO_FILTER = "资料"
REAL_VALUE, DEMO_VALUE = "真实条目", "演示数据"
# Search-only metadata: the title; the entry's own names (title, aliases) with their suffixes, and their pinyin; the
# project dictionary's words that the page mentions, with their suffixes and pinyin (weighted lower in search.js).
META_FIELDS = ("title", "names", "pinyin", "mentions")
# Not indexed: Material's permalink (¶) and footnote back-link (↩) marks.
EXCLUDE_SELECTORS = "a.headerlink, a.footnote-backref"
# Files of Pagefind's bundle that the site does not use (its own UIs and highlighter): not published.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message is for editors (Chinese)."""


# --- what an entry page carries for the indexer ---------------------------------------------------------------


@dataclass(frozen=True)
class SearchRecord:
    url: str  # the page's URL under the site root, e.g. "sites/yuan-geng-ancestral-home/"
    title: str
    aliases: tuple[str, ...] = ()
    filters: tuple[tuple[str, str], ...] = ()  # (filter, value), a filter may repeat
    terms: tuple[str, ...] = ()  # project dictionary words found on the page
    demo: bool = False
    reference: bool = False  # a page the content rests on (a source's): after the entries, before demonstrations

    @property
    def names(self) -> tuple[str, ...]:
        """Title and aliases: an exact match on any of them ranks first."""
        return (self.title, *self.aliases)


DICTIONARY_FILE = "search-dictionary.txt"  # in the content folder


def read_dictionary(content_dir: Path) -> list[str]:
    """The project's search dictionary (content/search-dictionary.txt): one name or term per line, anything after
    the first space ignored, ``#`` lines skipped; [] without the file."""
    path = content_dir / DICTIONARY_FILE
    if not path.is_file():
        return []
    words = (line.split(maxsplit=1)[0] for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return [w for w in dict.fromkeys(words) if not w.startswith("#")]


def facet_filter_name(label: str) -> str:
    """The filter's name shown in search: a facet's sidebar label without its "按" (按街道 → 街道)."""
    return label.removeprefix("按")


def record_for(entry, registry, url: str, page_text: str = "", dictionary: Iterable[str] = ()) -> SearchRecord:
    """The search record of an entry: its names, its filters (from the registry), dictionary words on its page."""
    model = entry.model
    collection = registry[entry.collection]
    filters: list[tuple[str, str]] = [(COLLECTION_FILTER, collection.label)]
    for facet in collection.facets:
        value = getattr(model, facet.field, None)
        if value in facet.values:
            filters.append((facet_filter_name(facet.label), facet.values[value][1]))
    for label in period_labels(model):
        filters.append((PERIOD_FILTER, label))
    demo = bool(getattr(model, "demo", False))
    filters.append((DEMO_FILTER, DEMO_VALUE if demo else REAL_VALUE))
    other_names = [getattr(n, "name", n) for n in getattr(model, "names", [])]  # a person's other names
    aliases = tuple(a for a in dict.fromkeys([*other_names, *model.aliases]) if a != entry.title)
    terms = tuple(word for word in dictionary if word in page_text)
    reference = not model.NEEDS_SOURCES
    return SearchRecord(url=url, title=entry.title, aliases=aliases, filters=tuple(filters), terms=terms, demo=demo, reference=reference)


def period_labels(model) -> list[str]:
    """The project's historical periods (vocab.PERIODS, as on the timeline) that an entry's dates fall in: a site's
    or record's ``period`` (from–to), an event's ``when``. 1938–1949 → 抗日战争时期, 解放战争时期, and (1949 as a
    whole year) 社会主义革命和建设时期. A date the timeline cannot place gives none."""
    import datetime as dt

    from heritage.core import dates, vocab

    spans = []
    period = getattr(model, "period", None)
    when = getattr(model, "when", None)
    try:
        if period is not None and getattr(period, "from_", None):
            spans.append((dates.bounds(period.from_)[0], dates.bounds(period.to or period.from_)[1]))
        if when is not None and getattr(when, "date", None):
            spans.append(dates.bounds(when.date))
    except ValueError:  # dates.DateError: validation reports it; search just files the entry under no period
        return []
    starts = [(label, dt.date.fromisoformat(start)) for label, _, start in vocab.PERIODS.values()]
    labels = []
    for i, (label, start) in enumerate(starts):
        end = starts[i + 1][1] - dt.timedelta(days=1) if i + 1 < len(starts) else dt.date.max
        if any(first <= end and last >= start for first, last in spans):
            labels.append(label)
    return labels


def suffixes(text: str) -> list[str]:
    """Every suffix of two or more characters of each run of Han characters, cut to its first ``SUFFIX_LENGTH``
    characters: a query for part of a word is a prefix of one of them, and Pagefind matches prefixes
    (军政干部学校 → 政干部学校 … 干部学校 … 学校). Cut, because every whole suffix of a name of n characters
    is n²/2 characters (a 160,000-character name made a 23 GB build); cut, they are at most ``SUFFIX_LENGTH``·n.
    A longer part of a name is still found: from the start by the whole name (written beside its suffixes), and
    anywhere in the page's own text, where Pagefind indexes the title too."""
    found: list[str] = []
    for run in _HAN.findall(text):
        found.extend(run[i : i + SUFFIX_LENGTH] for i in range(len(run) - 1))
    return found


def pinyin_terms(words: Iterable[str]) -> list[str]:
    """Syllables of every reading of every character (yuan geng; 涌 → yong chong, 曾 → ceng zeng) and each word
    run together, in every reading for short words (yuangeng, shayuchong) and the usual reading for long ones."""
    out: dict[str, None] = {}
    for word in words:
        for run in _HAN.findall(word):
            for syllables in _readings(run):
                out.update(dict.fromkeys(syllables))
            out.update(dict.fromkeys(_run_together(run)))
    return [term for term in out if term]


def name_readings(name: str) -> list[str]:
    """A name written in Han characters only (spaces and punctuation aside), as pinyin run together: every reading
    of a short name (沙鱼涌 → shayuchong, shayuyong), the usual one of a long name. Typed as a query, any of them is
    an exact match on the name. Names with Latin letters or digits give none (they are matched as written)."""
    key = name_key(name)
    return _run_together(key) if key and _HAN.fullmatch(key) else []


@functools.lru_cache(maxsize=65536)
def _readings(run: str) -> tuple[tuple[str, ...], ...]:
    """Every reading of each character of a run of Han characters (a page's names are read again for the names
    index: cached)."""
    from pypinyin import Style, pinyin

    return tuple(tuple(s) for s in pinyin(run, style=Style.NORMAL, heteronym=True, errors="ignore"))


def _run_together(run: str) -> list[str]:
    from pypinyin import lazy_pinyin

    if len(run) < 2:
        return []
    readings = _readings(run)
    combinations = 1
    for syllables in readings:
        combinations *= len(syllables)
        if combinations > 16:  # no need to count further (the product of a long name's readings is a huge number)
            break
    if combinations <= 16:
        return list(dict.fromkeys("".join(p) for p in itertools.product(*readings)))
    return ["".join(lazy_pinyin(run, errors="ignore"))]


def search_block(record: SearchRecord) -> str:
    """The hidden block of filters and search-only metadata. ``data-pagefind-ignore`` keeps its text out of the
    indexed content (and out of result excerpts) while Pagefind still reads the filters and metadata in it.
    Pagefind splits metadata at spaces only (it does not segment Chinese there): each term is written whole."""
    names = list(dict.fromkeys(record.names))
    mentioned = [t for t in dict.fromkeys(record.terms) if not any(t in name for name in names)]
    spans = [
        _span("data-pagefind-meta", "title", record.title),
        _span("data-pagefind-meta", "names", " ".join(_with_suffixes(names))),
        _span("data-pagefind-meta", "pinyin", " ".join(pinyin_terms(names))),
    ]
    if mentioned:
        spans.append(_span("data-pagefind-meta", "mentions", " ".join([*_with_suffixes(mentioned), *pinyin_terms(mentioned)])))
    spans += [_span("data-pagefind-filter", name, value) for name, value in record.filters]
    return '<div hidden="" data-pagefind-ignore="">' + "".join(spans) + "</div>"


def _with_suffixes(words: list[str]) -> list[str]:
    return list(dict.fromkeys(term for word in words for term in [word.replace(" ", ""), *suffixes(word)] if term))


def _span(attribute: str, name: str, value: str) -> str:
    return f'<span {attribute}="{html.escape(name, quote=True)}">{html.escape(value, quote=False)}</span>'


def wrap_page(page_html: str, record: SearchRecord) -> str:
    """An entry page's article as Pagefind's indexed body (what is not prose marked ``data-pagefind-ignore``, see
    ``mark_non_prose``), with the record's hidden block at its end."""
    return f'<div data-pagefind-body="">{mark_non_prose(page_html)}{search_block(record)}</div>'


# Sections of an entry page that are not its prose (their ``##`` heading's text): sources, the oral-history record's
# citation and downloads, its segment index (the segments' own headings are indexed), and lists of related entries
# (every heading beginning with 相关); on a source's page, its register data, the fact sheet's (mostly English)
# records and the entries citing it — its note and the source's own words stay searchable.
IGNORED_SECTIONS = ("资料来源", "引用与下载", "片段索引", "资料信息", "资料卡记录", "引用本资料的条目")
RELATED_PREFIX = "相关"
# The facts table (项目 | 内容): its labels, and the rows that are links only.
FACTS_HEADER = ("项目", "内容")
LINK_ROWS = ("导航", "地图搜索")
# A paragraph of the page's own upkeep, not of its subject.
UPKEEP_PREFIX = "本页最后更新"
IGNORE = ' data-pagefind-ignore=""'
_LINK_SEPARATORS = re.compile(r"[\s·、，,；;|]+")


def mark_non_prose(fragment: str) -> str:
    """An entry page's content HTML with ``data-pagefind-ignore`` on what is not its prose, so that Pagefind leaves
    it out of the indexed text and of result excerpts (the page's names and pinyin are in its metadata, see
    ``search_block``): footnote markers (``<sup id="fnref…">``), the footnotes, the sections of ``IGNORED_SECTIONS``
    and of related entries (each "相关…" heading and everything up to the next heading of its level), the facts
    table's header and label column (职务, 地址 …) and its link-only rows (导航), and paragraphs that are only links
    behind a short label (本片段涉及：…, 在时间线上查看 · 条目索引) and the page's 本页最后更新 line. The attribute goes on the elements themselves,
    not on a wrapper: the page's structure (print.css and basket.js walk a section's siblings) stays as it is."""
    finder = _NonProse()
    finder.feed(fragment)
    finder.close()
    if not finder.marks:
        return fragment
    starts = _line_starts(fragment)
    offsets = sorted({starts[line - 1] + column + 1 + length for (line, column), length in finder.marks})
    parts, last = [], 0
    for offset in offsets:
        parts += [fragment[last:offset], IGNORE]
        last = offset
    parts.append(fragment[last:])
    return "".join(parts)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class _NonProse(HTMLParser):
    """Finds the start tags to mark (their position, and the length of the tag name after "<")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: list[tuple[tuple[int, int], int]] = []
        self.depth = 0
        self.section_ignored = False  # inside an ignored top-level section
        self.heading: list[str] | None = None  # text of the top-level h2 being read
        self.heading_pos: tuple[int, int] | None = None
        self.element: tuple[tuple[int, int], str] | None = None  # the top-level element being read
        self.element_text: list[str] = []  # its text outside links
        self.links = 0
        self.in_link = 0
        self.table: str | None = None  # "facts" while in a facts table's rows
        self.header: list[str] = []
        self.cell = 0  # the cell's number in its row
        self.row_cells: list[tuple[tuple[int, int], str]] = []
        self.cell_text: list[str] = []
        self._thead_pos = (1, 0)

    def _mark(self, tag: str) -> None:
        self.marks.append((self.getpos(), len(tag)))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.depth == 0:
            if tag in ("h1", "h2"):
                self.heading, self.heading_pos = [], self.getpos()
            elif self.section_ignored:
                self._mark(tag)
            if tag in ("p",):
                self.element, self.element_text, self.links = (self.getpos(), tag), [], 0
            if tag == "table":
                self.table, self.header = "head", []
        elif tag == "sup" and (values.get("id") or "").startswith("fnref"):
            self._mark(tag)
        elif tag == "div" and "footnote" in (values.get("class") or "").split() and not self.section_ignored:
            self._mark(tag)
        if tag == "a":
            self.in_link += 1
            self.links += 1
        if self.table is not None:
            if tag == "thead":
                self._thead_pos = self.getpos()
            elif tag == "tr":
                self.cell, self.row_cells = 0, []
            elif tag in ("td", "th"):
                self.cell += 1
                self.row_cells.append((self.getpos(), tag))
                self.cell_text = []
        if tag not in _VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.depth = max(0, self.depth - 1)
        if tag == "a":
            self.in_link = max(0, self.in_link - 1)
        if self.table is not None:
            if tag in ("td", "th") and self.row_cells:
                text = "".join(self.cell_text).strip()
                if self.table == "head":
                    self.header.append(text)
                self.row_cells[-1] = (self.row_cells[-1][0], text)
            elif tag == "tr" and self.table == "rows" and self.row_cells:
                (first_pos, label), *_ = self.row_cells
                cells = self.row_cells if label in LINK_ROWS else self.row_cells[:1]
                self.marks.extend((pos, 2) for pos, _ in cells)
            elif tag == "thead":
                if tuple(self.header) == FACTS_HEADER:
                    self.table = "rows"
                    self.marks.append((self._thead_pos, 5))
                else:
                    self.table = None
        if self.depth == 0:
            if tag in ("h1", "h2") and self.heading is not None:
                text = "".join(self.heading).replace("¶", "").strip()
                self.section_ignored = tag == "h2" and (text in IGNORED_SECTIONS or text.startswith(RELATED_PREFIX))
                if self.section_ignored and self.heading_pos is not None:
                    self.marks.append((self.heading_pos, 2))
                self.heading = None
            elif tag == "table":
                self.table = None
            elif self.element is not None and tag == self.element[1]:
                rest = _LINK_SEPARATORS.sub("", "".join(self.element_text))
                links_only = self.links and (not rest or (rest.endswith("：") and len(rest) <= 12))
                if not self.section_ignored and (links_only or rest.startswith(UPKEEP_PREFIX)):
                    self.marks.append((self.element[0], len(tag)))
                self.element = None

    def handle_data(self, data: str) -> None:
        if self.heading is not None:
            self.heading.append(data)
        if self.element is not None and not self.in_link:
            self.element_text.append(data)
        if self.table is not None:
            self.cell_text.append(data)


# --- what the browser computes the same way -----------------------------------------------------------------


def name_key(text: str) -> str:
    """A title, alias or query as compared for an exact match: NFKC, lower case, without spaces and punctuation."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def name_bucket(key: str) -> str:
    """FNV-1a (32 bit) of the key's UTF-8 bytes, modulo the number of buckets, as two hex digits."""
    value = 0x811C9DC5
    for byte in key.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{value % NAME_BUCKETS:02x}"


# --- traditional characters -----------------------------------------------------------------------------------


def han_characters(text: str) -> set[str]:
    return set("".join(_HAN.findall(text)))


def traditional_map(index_chars: set[str]) -> dict[str, str]:
    """Traditional (and Taiwan/Hong Kong variant) character → simplified, character by character (OpenCC's
    tables), for characters whose simplified form occurs in the index. A character of the GB 2312 simplified set is
    never rewritten, even where OpenCC would in traditional text (乾 in 乾隆, 著 in 著名)."""
    import opencc

    candidates = [ch for ch in map(chr, [*range(0x4E00, 0xA000), *range(0x3400, 0x4DC0)]) if not _simplified_set(ch)]
    joined = "\n".join(candidates)
    mapping: dict[str, str] = {}
    for config in ("t2s", "tw2s", "hk2s"):
        converted = opencc.OpenCC(config).convert(joined).split("\n")
        for source, target in zip(candidates, converted, strict=True):
            if len(target) == 1 and target != source and target in index_chars:
                mapping.setdefault(source, target)
    return dict(sorted(mapping.items()))


def _simplified_set(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def simplify(text: str, mapping: dict[str, str]) -> str:
    return "".join(mapping.get(ch, ch) for ch in text)


# --- running Pagefind ---------------------------------------------------------------------------------------------


def pagefind_binary() -> Path:
    configured = os.environ.get("HERITAGE_PAGEFIND")
    return Path(configured) if configured else PROJECT_ROOT / ".venv" / "bin" / "pagefind_extended"


@dataclass
class IndexReport:
    pages: int
    seconds: float
    peak_memory_mb: float | None = None
    files: dict[str, int] = field(default_factory=dict)


def entry_glob(collections: Iterable[str]) -> str:
    """The pages Pagefind reads: entry pages only (``<collection>/<id>/index.html``). Pagefind would otherwise parse
    every listing, tag and facet page too, to find no indexed body in them (half its time at 1,000 entries)."""
    names = sorted(collections)
    return f"{names[0]}/*/index.html" if len(names) == 1 else "{" + ",".join(names) + "}/*/index.html"


def index_site(
    site_dir: Path,
    records: Iterable[SearchRecord],
    index_chars: set[str],
    *,
    binary: Path | None = None,
    glob: str | None = None,
) -> IndexReport:
    """Index the built site in ``site_dir`` with Pagefind and write our helper files. The bundle is written beside
    the site first and moved into place only once complete: a failure leaves the site's previous index (if any).
    ``glob`` limits the HTML files Pagefind reads (``entry_glob``); by default it reads them all."""
    binary = _checked(binary)
    started = time.perf_counter()
    site_dir = Path(site_dir)
    staging = _staging(site_dir)
    before = _children_maxrss_kb()
    command = [str(binary), "--site", str(site_dir), "--output-path", str(staging), "--exclude-selectors", EXCLUDE_SELECTORS, "--quiet"]
    completed = subprocess.run(
        [*command, "--glob", glob] if glob else command,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0 or not (staging / "pagefind.js").is_file():
        shutil.rmtree(staging, ignore_errors=True)
        detail = (completed.stderr or completed.stdout).strip()[-2000:]
        raise SearchIndexError(f"生成搜索索引失败（Pagefind 退出码 {completed.returncode}）：\n{detail}")
    return _install(site_dir, staging, list(records), index_chars, started, before)


class StreamingIndex:
    """The post-build step: each entry page goes to Pagefind's service mode the moment it is cleaned
    (``pagefind_service``), so the indexer parses pages on the second core while the next ones are cleaned, and
    the build waits only for the index to be written. Same bundle and helper files as ``index_site``."""

    def __init__(self, binary: Path | None = None):
        binary = _checked(binary)
        self._before = _children_maxrss_kb()
        self.pages_sent = 0
        try:
            self._service = PagefindService(binary, [s.strip() for s in EXCLUDE_SELECTORS.split(",")])
        except (PagefindServiceError, OSError) as exc:
            raise SearchIndexError(f"生成搜索索引失败：无法启动搜索索引程序 {binary}：{exc}") from None

    def add(self, url: str, html: str) -> None:
        """An entry page as written to the site; ``url`` under the site root ("sites/x/")."""
        try:
            self._service.add_page("/" + url.lstrip("/"), html)
        except PagefindServiceError as exc:
            self.abandon()
            raise SearchIndexError(f"生成搜索索引失败：{exc}") from None
        self.pages_sent += 1

    def finish(self, site_dir: Path, records: Iterable[SearchRecord], index_chars: set[str]) -> IndexReport:
        started = time.perf_counter()
        site_dir = Path(site_dir)
        staging = _staging(site_dir)
        try:
            self._service.write(staging)
        except PagefindServiceError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise SearchIndexError(f"生成搜索索引失败：{exc}") from None
        finally:
            self._service.close()
        if not (staging / "pagefind.js").is_file():
            shutil.rmtree(staging, ignore_errors=True)
            raise SearchIndexError("生成搜索索引失败：搜索索引程序没有写出 pagefind.js。")
        return _install(site_dir, staging, list(records), index_chars, started, self._before)

    def abandon(self) -> None:
        """The build failed: stop the service, write nothing."""
        self._service.close()


def _checked(binary: Path | None) -> Path:
    binary = binary or pagefind_binary()
    if not binary.is_file() or not os.access(binary, os.X_OK):
        raise SearchIndexError(f"找不到搜索索引程序 {binary}。请先运行 make setup（它会下载锁定版本的 Pagefind）。")
    return binary


def _staging(site_dir: Path) -> Path:
    staging = site_dir / f".{BUNDLE_DIR}.building"
    shutil.rmtree(staging, ignore_errors=True)
    return staging


def _install(site_dir: Path, staging: Path, records: list[SearchRecord], index_chars: set[str], started: float, before: int) -> IndexReport:
    """A complete bundle in ``staging``: drop what the site does not use, write our helper files, swap both in."""
    after = _children_maxrss_kb()
    for name in UNUSED_BUNDLE_FILES:
        (staging / name).unlink(missing_ok=True)
    ids = _result_ids(staging)
    _write_extra(site_dir / f".{EXTRA_DIR}.building", records, ids, index_chars)
    _replace(staging, site_dir / BUNDLE_DIR)
    _replace(site_dir / f".{EXTRA_DIR}.building", site_dir / EXTRA_DIR)
    files = {p.relative_to(site_dir).as_posix(): p.stat().st_size for p in (site_dir / BUNDLE_DIR).glob("*") if p.is_file()}
    return IndexReport(
        pages=len(ids),
        seconds=time.perf_counter() - started,
        peak_memory_mb=round(after / 1024, 1) if after > before else None,
        files=files,
    )


def _children_maxrss_kb() -> int:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    except (ImportError, OSError):  # pragma: no cover - not on Linux
        return 0


def _replace(source: Path, target: Path) -> None:
    """Swap a finished folder into place with two renames."""
    retired = target.with_name(f".{target.name}.old-{os.getpid()}-{threading.get_ident()}")
    if target.exists():
        target.rename(retired)
    source.rename(target)
    shutil.rmtree(retired, ignore_errors=True)


def _result_ids(bundle: Path) -> dict[str, str]:
    """Page URL (as Pagefind stores it, "/sites/x/") → the result id Pagefind's search returns for it (its fragment's
    name). Fragments are gzipped JSON behind Pagefind's signature."""
    ids: dict[str, str] = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        if data.startswith(b"pagefind_dcd"):
            data = data[len(b"pagefind_dcd") :]
        ids[json.loads(data)["url"]] = path.stem
    return ids


def _write_extra(folder: Path, records: list[SearchRecord], ids: dict[str, str], index_chars: set[str]) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "names").mkdir(parents=True)
    t2s = traditional_map(index_chars)
    buckets: dict[str, dict[str, list[str]]] = {}
    for record in records:
        result_id = ids.get("/" + record.url.lstrip("/"))
        if result_id is None:
            continue
        for name in record.names:
            simplified = simplify(name, t2s)  # as the browser reads a query: traditional characters simplified
            for key in [name_key(simplified), *name_readings(simplified)]:
                if not key:
                    continue
                found = buckets.setdefault(name_bucket(key), {}).setdefault(key, [])
                if result_id not in found:
                    found.append(result_id)
    for number in range(NAME_BUCKETS):  # every bucket, empty or not: the browser asks for the one a query falls in
        bucket = f"{number:02x}"
        _write_json(folder / "names" / f"{bucket}.json", buckets.get(bucket, {}))
    # A list, not a Pagefind filter: a filter-only search for them costs the browser more than these few bytes.
    _write_json(folder / "demo.json", sorted(ids[url] for url in ("/" + r.url.lstrip("/") for r in records if r.demo) if url in ids))
    # Source pages: a query for 袁庚 means the person before the sources that name him.
    _write_json(
        folder / "reference.json", sorted(ids[url] for url in ("/" + r.url.lstrip("/") for r in records if r.reference) if url in ids)
    )
    _write_json(folder / "t2s.json", t2s)


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")


# --- the preview's fast path ----------------------------------------------------------------------------------


class BackgroundIndexer:
    """``make serve``: the rebuilt page is served at once and the index follows a moment later. A newer build
    supersedes an indexing run that has not finished (its result would be stale)."""

    def __init__(self, log):
        self._log = log
        self._lock = threading.Lock()  # guards the generation counter
        self._running = threading.Lock()  # one indexing run at a time
        self._generation = 0

    def start(self, site_dir: Path, records: list[SearchRecord], index_chars: set[str], glob: str | None = None) -> threading.Thread:
        with self._lock:
            self._generation += 1
            generation = self._generation
        thread = threading.Thread(target=self._run, args=(generation, Path(site_dir), records, index_chars, glob), daemon=True)
        thread.start()
        return thread

    def _run(self, generation: int, site_dir: Path, records: list[SearchRecord], index_chars: set[str], glob: str | None) -> None:
        time.sleep(0.3)  # let a burst of saves settle
        with self._running:
            with self._lock:
                if generation != self._generation:
                    return
            try:
                report = index_site(site_dir, records, index_chars, glob=glob)
            except (SearchIndexError, OSError) as exc:
                if site_dir.exists():
                    self._log.warning(f"预览的搜索索引没有更新：{exc}")
                return
        self._log.info(f"搜索索引已更新：{report.pages} 个页面，{report.seconds:.1f} 秒。")
