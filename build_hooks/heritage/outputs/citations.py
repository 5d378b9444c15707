"""How a page of this site is cited: one neutral record per citable page (and per public oral-history segment),
written as GB/T 7714 and Chicago text for the page, RIS, BibTeX and CSL-JSON files beside it, Highwire
``citation_*`` meta tags for its head and a COinS span for its body, so that Zotero's browser connector, EndNote and
NoteExpress read the same title, address and date as the reader sees in the GB/T line.

What a record may say:

- **Which entries.** Only what the build shows (the catalog, through ``core/visibility.py``), and of that only
  ``Visibility.for_citations()``: published, never a draft or a demonstration (a fictional record is never offered
  as something to cite). A source's own page is not cited as ours: it describes another work, cited as that work.
- **Who.** Never an invented person. A web page's author is the organisation responsible for the site (mkdocs.yml
  ``extra.site.owner``, else the site's name); an oral-history record names its narrator only as
  ``visibility.narrator_name`` allows (never the real name of a narrator who asked not to be named) and its
  interviewers as the record gives them (``collections/oral_history.py`` builds those records).
- **When.** A web page's date is the entry's ``updated``; an interview's is the day it was recorded, at the
  precision the record states it (an uncertain or lunar date is given as written, never made precise). The access
  date is left to the reader: ``[引用日期]`` on the page (filled in by the browser), absent from the files.

Every text field is treated as hostile: one line (RIS is line-based; a newline becomes a space everywhere, the
GB/T text included, so every format says the same), BibTeX special characters escaped so that braces always
balance, JSON with ``< > &`` escaped, the COinS title percent-encoded and HTML-escaped.

Encodings: RIS is UTF-8 **with** a byte-order mark and CRLF line ends. The RIS specification is from the era of
code pages; EndNote and NoteExpress on a Chinese Windows read a file without a BOM in the system code page (GBK),
which turns every Chinese title into mojibake, while with the BOM they (and Zotero) read it as UTF-8. BibTeX and
CSL-JSON are plain UTF-8 (a BOM breaks BibTeX keys and is not JSON).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from heritage.core import dates
from heritage.outputs.opendata import dump_json
from heritage.outputs.release import public_base

if TYPE_CHECKING:  # pragma: no cover
    from heritage.core.catalog import Catalog, Collection
    from heritage.core.entry import Entry

ACCESS_DATE = "[引用日期]"  # the reader's date, filled in by records.js; readable as it is without JavaScript
LANGUAGE = "zh-CN"
INTERVIEW_GENRE = "口述史访谈"
FILE_STEM = "citation"  # <collection>/<id>/citation.ris …, and citation-<segment>.ris for a segment
FORMATS = (("ris", "RIS"), ("bib", "BibTeX"), ("json", "CSL-JSON"))


# --- the neutral record -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """What every record of one build shares: the site's name (the container of every page), its address (ends
    with "/"; "/" when the build has none) and the organisation responsible for it."""

    name: str
    url: str
    publisher: str


@dataclass(frozen=True)
class Creator:
    name: str
    organisation: bool = False  # a corporate author: never split into family and given names


@dataclass(frozen=True)
class Record:
    """One citable thing: a page (``kind="webpage"``) or an oral-history record or one of its segments
    (``kind="interview"``)."""

    key: str  # ASCII, unique in the site: "sites:alpha-hq", "oral-history:beta-record:seg-1"
    kind: str  # "webpage" | "interview"
    title: str
    container: str  # the site's name
    url: str
    date: str  # the date the citation gives (EDTF as the entry writes it: "2026-11-26", "2021-06", "1998~")
    modified: dt.date  # the entry's `updated`
    files: str  # the files' path without extension: "sites/alpha-hq/citation"
    authors: tuple[Creator, ...] = ()
    interviewers: tuple[str, ...] = ()
    publisher: str = ""
    place: str = ""
    part: str = ""  # a segment's anchor ("" for a whole page)
    # A part's own title and time range, and the whole it belongs to (Chicago names them apart; `title` joins them).
    part_title: str = ""
    span: str = ""
    part_of: str = ""
    language: str = LANGUAGE

    def __post_init__(self) -> None:
        for name in ("title", "container", "publisher", "place", "part_title", "span", "part_of"):
            object.__setattr__(self, name, one_line(getattr(self, name)))
        object.__setattr__(self, "authors", tuple(Creator(one_line(a.name), a.organisation) for a in self.authors))
        object.__setattr__(self, "interviewers", tuple(one_line(i) for i in self.interviewers))

    @property
    def organisation(self) -> bool:
        return bool(self.authors) and all(a.organisation for a in self.authors)


_LINE_BREAKS = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Any run of white space (newlines, tabs, U+2028 …) as one space: a value never spans lines."""
    return _LINE_BREAKS.sub(" ", str(text or "")).strip()


def _address(site_url: str, path: str) -> str:
    """The page's address, every character a URL may not carry as it is percent-encoded (no brace, space,
    backslash or quotation mark can reach a file or an attribute)."""
    return quote(site_url + path, safe="/:@!$&'*+,;=?#%~-._")


@lru_cache(maxsize=1)
def _configured_site_name() -> str:
    from heritage.core.config import read_site_config
    from heritage.core.paths import PROJECT_ROOT

    return read_site_config(PROJECT_ROOT / "mkdocs.yml").site_name


def site_for(site_name: str | None, site_url: str, extra: Mapping[str, Any] | None) -> Site:
    """The build's ``Site``: ``site_name`` from the configuration the engine read (None: this project's
    mkdocs.yml), the organisation from ``extra.site.owner`` (主办单位), else the site's name."""
    name = one_line(site_name if site_name is not None else _configured_site_name())
    owner = one_line(((extra or {}).get("site") or {}).get("owner") or "")
    return Site(name=name, url=site_url, publisher=owner or name)


def citable(catalog: Catalog, entry: Entry, site_url: str) -> bool:
    """Whether an entry's page is cited at all: the site has a public address (a citation of a preview's or the
    offline package's 127.0.0.1 would lead nowhere: it is printed on handouts), the page is shown by this build,
    published, not a demonstration (the visibility filter's view for citations), and not a source's page."""
    return public_base(site_url) is not None and entry.model.NEEDS_SOURCES and catalog.visibility.for_citations().entry(entry)


def webpage(site: Site, entry: Entry) -> list[Record]:
    """An entry's page as a web page ([EB/OL]): by the organisation, dated by its last update."""
    return [
        Record(
            key=f"{entry.collection}:{entry.id}",
            kind="webpage",
            title=entry.title,
            container=site.name,
            url=_address(site.url, entry.url),
            date=entry.model.updated.isoformat(),
            modified=entry.model.updated,
            files=f"{entry.url}{FILE_STEM}",
            authors=(Creator(site.publisher, organisation=True),),
            publisher=site.publisher,
        )
    ]


def records_for(catalog: Catalog, collection: Collection, site: Site, entry: Entry) -> list[Record]:
    """The records of an entry: its page first, then its parts (an oral-history record's public segments);
    [] when it is not cited. A collection with its own kind of record declares it (``Collection.citations``)."""
    if not citable(catalog, entry, site.url):
        return []
    return (collection.citations or webpage)(site, entry)


def address_of(site: Site, path: str) -> str:
    return _address(site.url, path)


# --- text on the page --------------------------------------------------------------------------------------------


def gbt7714(record: Record) -> str:
    """GB/T 7714-2015. A web page: 主要责任者. 题名[EB/OL]. (更新或修改日期)[引用日期]. 获取和访问路径.
    An interview, as an online audio-visual document of another type: 受访者口述, 采访者访谈. 题名[Z/OL]. 出版地:
    出版者, 日期[引用日期]. 获取和访问路径."""
    if record.kind == "interview":
        who = "、".join(a.name for a in record.authors) + "口述"
        if record.interviewers:
            who += f", {'、'.join(record.interviewers)}访谈"
        return f"{who}. {record.title}[Z/OL]. {record.place}: {record.publisher}, {record.date}{ACCESS_DATE}. {record.url}."
    who = "、".join(a.name for a in record.authors)
    return f"{who}. {record.title}[EB/OL]. ({record.date}){ACCESS_DATE}. {record.url}."


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def _english_date(edtf: str) -> str:
    parts = date_parts(edtf)
    if parts is None:
        return edtf
    if len(parts) == 3:
        return f"{_MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    return f"{_MONTHS[parts[1] - 1]} {parts[0]}" if len(parts) == 2 else str(parts[0])


def chicago(record: Record) -> str:
    """The Chicago Manual of Style (17th ed.), bibliography form: a web page by an organisation (the site is its
    own author: the entry begins with the title), or an unpublished interview."""
    if record.kind == "interview":
        narrator = "、".join(a.name for a in record.authors)
        by = f", interview by {', '.join(record.interviewers)}" if record.interviewers else ""
        part = f", {record.span}, “{record.part_title}”" if record.part_of else ""
        title = record.part_of or record.title
        return f"{narrator}{by}, {record.place}, {record.date}{part}. “{title}.” {record.publisher}. {record.url}."
    author = "、".join(a.name for a in record.authors)
    lead = f"“{record.title}.” {record.container}." if author == record.container else f"{author}. “{record.title}.” {record.container}."
    return f"{lead} Last modified {_english_date(record.date)}. {record.url}."


# --- dates -------------------------------------------------------------------------------------------------------


def date_parts(edtf: str) -> list[int] | None:
    """[year, month, day] at the precision stated (a season gives its year), or None when a structured date would
    claim more than the entry says (approximate, uncertain, lunar, a span)."""
    try:
        point = dates.parse(edtf)
    except (dates.DateError, ValueError):
        return None
    if not isinstance(point, dates.Point) or point.qualified or point.lunar:
        return None
    if point.season is not None or point.month is None:
        return [point.year]
    return [point.year, point.month] if point.day is None else [point.year, point.month, point.day]


def _slashed(parts: list[int]) -> str:
    return "/".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))


def _dashed(parts: list[int]) -> str:
    return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))


# --- RIS ---------------------------------------------------------------------------------------------------------


def ris(records: list[Record]) -> bytes:
    """RIS: UTF-8 with a byte-order mark, CRLF (see the module's docstring). A web page is ELEC; an interview is
    SOUND (an audio recording: the type EndNote, NoteExpress and Zotero all import), narrator as AU, interviewers
    as A2, M3 says it is an oral-history interview."""
    lines: list[str] = []
    for r in records:
        parts = date_parts(r.date)
        fields: list[tuple[str, str]] = [("TY", "SOUND" if r.kind == "interview" else "ELEC"), ("ID", r.key), ("TI", r.title)]
        fields += [("AU", a.name) for a in r.authors]
        fields += [("A2", i) for i in r.interviewers]
        fields += [("T2", r.container), ("PB", r.publisher), ("CY", r.place)]
        if r.kind == "interview":
            fields.append(("M3", INTERVIEW_GENRE))
        if parts:
            fields += [("PY", f"{parts[0]:04d}"), ("DA", _slashed(parts) + ("/" if len(parts) < 3 else ""))]
        elif r.date:
            fields.append(("DA", r.date))
        fields += [("UR", r.url), ("LA", r.language)]
        lines += [f"{tag}  - {one_line(value)}" for tag, value in fields if value]
        lines += ["ER  - ", ""]
    return ("\ufeff" + "\r\n".join(lines)).encode("utf-8")


# --- BibTeX ------------------------------------------------------------------------------------------------------

# What LaTeX or BibTeX would read as markup, written so that it prints as itself. Braces carry their partner in a
# \vphantom: BibTeX counts every brace, escaped or not, so a lone "{" must still balance (Zotero's own trick).
_BIBTEX_ESCAPES = {
    "\\": r"{\textbackslash}",
    "{": r"\{\vphantom{\}}",
    "}": r"\vphantom{\{}\}",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
}
_BIBTEX_SPECIAL = re.compile(r"[\\{}~^&%$#_]")


def bibtex_text(text: str) -> str:
    """A text value for a braced BibTeX field: one line, every special character escaped, braces balanced."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES[m.group()], one_line(text))


def _bibtex_url(url: str) -> str:
    """URLs are verbatim in BibTeX: nothing to escape once braces, spaces and backslashes are percent-encoded
    (``_address`` did so); checked again here, so a field can never end early."""
    return quote(one_line(url), safe="/:@!$&'*+,;=?#%~-._")


def bibtex(records: list[Record]) -> str:
    """biblatex/BibTeX: a web page is ``@online`` (GB/T's [EB/OL] in gbt7714 styles), an interview ``@misc``
    ([Z/OL]); an organisation as author is double-braced so it is never split into names; no urldate (the
    reader's)."""
    entries = []
    for r in records:
        parts = date_parts(r.date)
        kind = "misc" if r.kind == "interview" else "online"
        names = " and ".join("{" + bibtex_text(a.name) + "}" for a in r.authors)
        fields: list[tuple[str, str]] = [("author", names), ("title", bibtex_text(r.title))]
        notes = []
        if r.kind == "interview":
            fields.append(("howpublished", bibtex_text(INTERVIEW_GENRE)))
            fields += [("publisher", bibtex_text(r.publisher)), ("address", bibtex_text(r.place))]
            if r.interviewers:
                notes.append("采访者：" + "、".join(r.interviewers))
        else:
            fields.append(("organization", bibtex_text(r.container)))
        if parts:
            fields += [("date", _dashed(parts)), ("year", f"{parts[0]:04d}")]
        elif r.date:
            notes.append(r.date)  # a date no structured field can hold without claiming more than it says
        if notes:
            fields.append(("note", bibtex_text("；".join(notes))))
        fields.append(("url", _bibtex_url(r.url)))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        entries.append(f"@{kind}{{{r.key},\n{body}\n}}\n")
    return "\n".join(entries)


# --- CSL-JSON ----------------------------------------------------------------------------------------------------


def csl_item(r: Record) -> dict[str, Any]:
    """One CSL-JSON item (CSL 1.0.2): ``webpage`` or ``interview``; names as literals (never split)."""
    parts = date_parts(r.date)
    item: dict[str, Any] = {"id": r.key, "type": r.kind, "title": r.title}
    if r.authors:
        item["author"] = [{"literal": a.name} for a in r.authors]
    if r.interviewers:
        item["interviewer"] = [{"literal": i} for i in r.interviewers]
    item["container-title"] = r.container
    if r.publisher:
        item["publisher"] = r.publisher
    if r.place:
        item["publisher-place"] = r.place
    if r.kind == "interview":
        item["genre"] = INTERVIEW_GENRE
    if parts:
        item["issued"] = {"date-parts": [parts]}
    elif r.date:
        item["issued"] = {"literal": r.date}
    item["URL"] = r.url
    item["language"] = r.language
    return item


def csl_json(records: list[Record]) -> str:
    return dump_json([csl_item(r) for r in records]) + "\n"  # < > & escaped: stays data wherever it is opened


# --- the page: Highwire meta tags, COinS ------------------------------------------------------------------------


def highwire(r: Record) -> list[list[str]]:
    """``citation_*`` meta tags (name, content) for the page's head, in order (authors repeat)."""
    parts = date_parts(r.date)
    tags = [["citation_title", r.title]]
    tags += [["citation_author", a.name] for a in r.authors]
    if r.publisher:
        tags.append(["citation_publisher", r.publisher])
    if parts:
        tags.append(["citation_date", _slashed(parts)])
    tags.append(["citation_online_date", r.modified.strftime("%Y/%m/%d")])
    if r.url.startswith(("http://", "https://")):  # a build without an address has no public URL to give
        tags.append(["citation_public_url", r.url])
    tags.append(["citation_language", r.language])
    return tags


def coins_title(r: Record) -> str:
    """The ``title`` of a COinS span: an OpenURL ContextObject (Z39.88-2004, Dublin Core format, which Zotero reads
    as the item type named in rft.type), every value percent-encoded as UTF-8."""
    pairs: list[tuple[str, str]] = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
        ("rft.type", r.kind),
        ("rft.title", r.title),
    ]
    pairs += [("rft.aucorp" if a.organisation else "rft.au", a.name) for a in r.authors]
    pairs += [("rft.contributor", i) for i in r.interviewers]
    pairs += [("rft.source", r.container), ("rft.publisher", r.publisher), ("rft.place", r.place)]
    parts = date_parts(r.date)
    pairs.append(("rft.date", _dashed(parts) if parts else r.date))
    pairs += [("rft.language", r.language), ("rft.identifier", r.url)]
    if r.url.startswith(("http://", "https://")):
        pairs.append(("rft_id", r.url))
    return urlencode([(k, v) for k, v in pairs if v], quote_via=quote, safe="")


def coins_span(r: Record) -> str:
    return f'<span class="Z3988" title="{html.escape(coins_title(r), quote=True)}"></span>'


# --- files -------------------------------------------------------------------------------------------------------


def files_of(r: Record) -> dict[str, Any]:
    """The record's three files, beside its page."""
    return {f"{r.files}.ris": ris([r]), f"{r.files}.bib": bibtex([r]), f"{r.files}.json": csl_json([r])}


def export_citations(catalog: Catalog, site: Site) -> dict[str, Any]:
    """Every citable entry's files (and its segments'), only for what ``records_for`` allows."""
    files: dict[str, Any] = {}
    for entry in catalog.entries.values():
        for r in records_for(catalog, catalog.registry[entry.collection], site, entry):
            files.update(files_of(r))
    return files


@dataclass(frozen=True)
class View:
    """What a page shows of one record: the texts, the download links (label, path from the site's root) and the
    COinS span."""

    key: str  # the <pre> ids' middle part: "record" for a whole page, else the segment's anchor
    gbt: str
    chicago: str
    files: tuple[tuple[str, str], ...]
    coins: str


@dataclass(frozen=True)
class PageCitations:
    """An entry page's citations: its own (``record``, None when not cited) and its parts' by anchor."""

    record: View | None = None
    parts: dict[str, View] = field(default_factory=dict)
    highwire: list[list[str]] = field(default_factory=list)


def page_citations(records: list[Record]) -> PageCitations:
    if not records:
        return PageCitations()

    def view(r: Record) -> View:
        files = tuple((label, f"{r.files}.{ext}") for ext, label in FORMATS)
        return View(r.part or "record", gbt7714(r), chicago(r), files, coins_span(r))

    page, *parts = records
    return PageCitations(view(page), {r.part: view(r) for r in parts}, highwire(page))
