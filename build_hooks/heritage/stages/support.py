"""The claim check: every footnoted sentence and every sourced claim says what its sources' excerpts say.

Party lecturers quote this site, so a claim must carry what its source carries. For each sentence of a body that
has footnotes (a sentence ends at 。！？ or at the end of a paragraph, list item or table row; the footnotes at its
end or inside it cite the sources of the whole sentence) and for each structured claim with a ``source`` (dated
facts and their ``also``, births and deaths, roles, names, places, periods, accounts of a dispute), the checkable
parts are read (text/claims.py) and looked up in the excerpts of the cited sources:

- a date or year must be given by an excerpt, or a more precise date inside it (1943年12月 by "2 December 1943");
  农历 dates are compared as the Gregorian days they were (text/lunar.py), either way round;
- a number must be given by an excerpt (2583 ≡ 2,583 ≡ 二千五百八十三; 三百余 ≡ "300+");
- a name of the catalog (the titles, aliases and other names of people and places — ``TITLE_IS_A_NAME``; an event's
  title describes, a source's names a work — and the terminology list with its ``same`` writings) must appear in an
  excerpt as written or as another name of the same thing, after 繁简 folding. A record is read with the Chinese
  names of its place in the fact sheet (§1.6（刘黑仔）), and a source's register data (publisher, title, date, note)
  is read as an excerpt about the source itself;
- words in quotation marks must be, after folding, without whitespace and with punctuation in one width (an
  ellipsis standing for words left out), the source's words: a ``quote`` excerpt, or Chinese in a ``record`` of a
  Chinese-language source (the fact sheet writes Chinese as the source does); never an English source's words
  translated. A page's own labels and entries' titles in quotation marks are references, not quotations.

A sentence marked （本站推断） is the site's own inference: the marker is shown to readers, so it is not checked but
listed (a notice) with its count in the report. Unsupported parts are warnings (``check --strict`` fails on them);
a dispute whose accounts say the same thing is an error (``check_disputes``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from heritage.collections.sources import SOURCES, Excerpt
from heritage.core.entry import Entry, FieldPath, RawEntry, dotted
from heritage.core.problems import Problem, Severity
from heritage.text import claims
from heritage.text.claims import Found

INFERENCE_MARKER = "（本站推断）"
SUPPORT = "support"  # Problem.kind of an unsupported part
INFERENCE = "inference"  # Problem.kind of a sentence marked as the site's inference
DISPUTE = "dispute"  # Problem.kind of a dispute that is none

FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
_FIX = "请核对来源，改为来源所说，或改引载有此说的来源，或标注（本站推断）。"
_ENGLISH_QUOTE = "英文资料不能放进中文引号：请改为转述并注明资料为英文。"
_RECORD_QUOTE = "资料卡记录不是资料的原话，不能放进引号：请改为转述，或在来源中补上原文摘录（form: quote）。"
# Keys of a sourced claim that hold checkable text; ``name`` is checked as a whole name.
_DATE_KEYS = ("date", "from", "to")
_TEXT_KEYS = ("text", "title", "claim", "place")


# --- the catalog of names -------------------------------------------------------------------------------------------


class Names:
    """Every name the site knows, folded, each with the other names of the same thing."""

    def __init__(self, groups: Iterable[Iterable[str]], labels: Iterable[str] = ()):
        # The site's own labels and every entry's title: in quotation marks they point to a page or a box
        # (见“资料说法不一”, 见事件条目“东江纵队从沙鱼涌北撤”), they quote no source.
        self.labels = frozenset(claims.squeeze(label) for label in (*SITE_LABELS, *labels))
        self.alternatives: dict[str, set[str]] = {}
        for group in groups:
            forms = {claims.fold(name) for name in group if isinstance(name, str) and len(name.strip()) >= 2}
            forms = {f for f in forms if not f.isdigit()}
            for form in forms:
                self.alternatives.setdefault(form, set()).update(forms)
        self.key = (frozenset((form, frozenset(alts)) for form, alts in self.alternatives.items()), self.labels)
        self._pattern = re.compile(_trie_pattern(self.alternatives)) if self.alternatives else None
        self._found: dict[str, list[tuple[int, int, str]]] = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Names) and self.key == other.key

    __hash__ = None  # type: ignore[assignment]

    def find(self, folded: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of the longest names in a folded text, left to right, not overlapping."""
        cached = self._found.get(folded)
        if cached is not None:
            return cached
        out = []
        if self._pattern is not None:
            out = [(m.start(), m.end(), m.group()) for m in self._pattern.finditer(folded) if _word_edges(folded, m.start(), m.end())]
        if len(self._found) > 200_000:
            self._found.clear()
        self._found[folded] = out
        return out


def _trie_pattern(forms: Iterable[str]) -> str:
    """One regular expression for many names, as a trie (shared prefixes written once), longest name first."""
    trie: dict = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


def _word_edges(text: str, start: int, end: int) -> bool:
    """A Latin name stands as a word (Wang Zuoyao, not part of Wang Zuoyaos); a Chinese one anywhere."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    latin = "abcdefghijklmnopqrstuvwxyz"
    return not ((text[start] in latin and before in latin) or (text[end - 1] in latin and after in latin))


# The names of the boxes and sections of an entry page (templates), which sentences point readers to.
SITE_LABELS = ("资料说法不一", "大事记", "现场教学要点", "资料来源", "相关条目", "其他参考资料")


def catalog_names(entries: Iterable[Entry], terms: Iterable = ()) -> Names:
    entries = list(entries)
    groups = []
    for entry in entries:
        if not entry.model.TITLE_IS_A_NAME:
            continue  # a source's title, an event's or a lesson's: they describe, they do not name
        model = entry.model
        group = [entry.title, getattr(model, "name_en", None), *(getattr(model, "aliases", None) or [])]
        group += [n.name for n in getattr(model, "names", None) or [] if getattr(n, "name", None)]
        groups.append(group)
    groups += [[term.use, *([term.avoid] if term.avoid else []), *term.same] for term in terms]
    return Names(groups, labels=[entry.title for entry in entries])


# --- sentences of a body --------------------------------------------------------------------------------------------

_BLOCK_START = re.compile(r"^(?:\s*(?:[-*+]|\d+[.)])\s+|\s*#{1,6}\s|\s*\||\s*$)")
_SYNTAX = [
    re.compile(r"^(?P<x>[ \t]*(?:>[ \t]?)*(?:[-*+]|\d+[.)])[ \t]+)", re.M),  # list markers (ordinals are not numbers)
    re.compile(r"^(?P<x>[ \t]*>[ \t]?)", re.M),  # block quotes
    re.compile(r"^(?P<x>[ \t]*#{1,6}[ \t])", re.M),  # headings
    re.compile(r"^(?P<x>[ \t]*(?:!!!|\?\?\?\+?)[^\n]*)", re.M),  # admonition lines, title and all
    re.compile(r"\](?P<x>\([^)\s]*\))"),  # link targets
    re.compile(r"(?P<x>\*\*|__|`)"),  # emphasis and code marks
    re.compile(r"(?P<x>\[\^[^\]\s]+\]:[^\n]*)"),  # footnote definitions, if any
    re.compile(r"(?P<x>\[\^[^\]\s]+\])"),  # footnote markers (read before they are blanked)
]
_END = re.compile(r"[。！？!?][”」』\"）)]*(?:\s*\[\^[^\]\s]+\])*")


@dataclass(frozen=True)
class Sentence:
    start: int  # offset in the body
    text: str  # the body's characters, Markdown syntax and footnote markers blanked (same length)
    original: str
    sources: tuple[str, ...]


def sentences(body: str) -> list[Sentence]:
    """Every sentence of a Markdown body with the sources its footnotes cite (possibly none)."""
    masked = body
    for pattern in _SYNTAX:
        masked = pattern.sub(lambda m: m.group(0).replace(m.group("x"), " " * len(m.group("x"))), masked)
    out: list[Sentence] = []
    # Blocks: split at blank lines and at lines that start a list item, heading or table row.
    block_start, offset = 0, 0
    lines = body.split("\n")
    bounds = []
    for line in lines:
        if _BLOCK_START.match(line) and offset > block_start:
            bounds.append((block_start, offset))
            block_start = offset
        offset += len(line) + 1
    bounds.append((block_start, len(body)))
    for start, end in bounds:
        cursor = start
        for m in _END.finditer(body, start, end):
            out.append(_sentence(body, masked, cursor, m.end()))
            cursor = m.end()
        if body[cursor:end].strip():
            out.append(_sentence(body, masked, cursor, end))
    return [s for s in out if s.text.strip()]


def _sentence(body: str, masked: str, start: int, end: int) -> Sentence:
    while start < end and body[start].isspace():
        start += 1
    original = body[start:end]
    return Sentence(start, masked[start:end], original, tuple(dict.fromkeys(FOOTNOTE.findall(original))))


# --- the check ------------------------------------------------------------------------------------------------------


@dataclass
class _Claim:
    """One thing to check: a text (or a date, or a name) with where it is and which sources it cites."""

    text: str
    sources: tuple[str, ...]
    path: FieldPath
    line: int | None
    shown: str  # the sentence as readers see it, for the message

    @property
    def label(self) -> str:
        return "句子" if self.path == ("body",) else ""


def check_support(entries: list[Entry], names: Names, cache=None) -> list[Problem]:
    """Every entry's claims against its sources' excerpts. With a ``BuildCache``, an entry whose file, cited
    sources and catalog of names are unchanged is not checked again (the same result as checking it)."""
    problems: list[Problem] = []
    for entry in entries:
        if entry.collection == SOURCES or not entry.sources:
            continue
        models = tuple(source.model for source in entry.sources)
        kept = cache.support.get(entry.key) if cache is not None else None
        if kept is not None and kept[0] is entry.raw and _same(kept[1], models) and kept[2] == names:
            found = kept[3]
        else:
            found = check_entry(entry, names)
            if cache is not None:
                cache.support[entry.key] = (entry.raw, models, names, found)
        problems += found
    return problems


def _same(old: tuple, new: tuple) -> bool:
    return len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))


def check_entry(entry: Entry, names: Names) -> list[Problem]:
    raw = entry.raw
    problems: list[Problem] = []
    empty: dict[str, tuple[FieldPath, int | None]] = {}  # cited sources without excerpts: reported once each
    body = raw.data.get("body")
    if isinstance(body, str):
        for sentence in sentences(body):
            if not sentence.sources:
                continue
            line = raw.line_in_text(("body",), body, sentence.start)
            shown = _shown(sentence.original)
            if INFERENCE_MARKER in sentence.text or "(本站推断)" in sentence.text:
                problems.append(
                    Problem(
                        raw.display_path,
                        line,
                        "body",
                        f"句子“{_short(shown, 60)}”标注为本站推断，不核对来源；页面上读者会看到这个标注。",
                        Severity.NOTICE,
                        kind=INFERENCE,
                    )
                )
                continue
            claim = _Claim(sentence.text, sentence.sources, ("body",), line, shown)
            problems += _check_text(entry, claim, names, empty)
    for path, node in raw.nodes:
        if not (isinstance(node, dict) and isinstance(node.get("source"), str)) or (path and path[0] == "body"):
            continue
        source = node["source"]
        for key in _DATE_KEYS:
            if isinstance(node.get(key), (str, int)) and not isinstance(node.get(key), bool):
                problems += _check_date_field(entry, raw, (*path, key), node, key, source, empty)
        for key in _TEXT_KEYS:
            if isinstance(node.get(key), str):
                field = (*path, key)
                own = node.get(f"{key}_source")  # a birthplace with its own source (place_source)
                cited = own if isinstance(own, str) else source
                claim = _Claim(node[key], (cited,), field, raw.line_of(field), _shown(node[key]))
                problems += _check_text(entry, claim, names, empty)
        if isinstance(node.get("name"), str):
            problems += _check_name_field(entry, raw, (*path, "name"), node["name"], source, empty)
    for source_id, (path, line) in empty.items():
        problems.append(
            Problem(
                raw.display_path,
                line,
                dotted(path),
                f"所引来源 {source_id} 还没有摘录（excerpts），本条目引用它的说法都无法核对。"
                f"请在 content/sources/{source_id}.yml 中写出所依据的原文（form: quote）或资料卡记录（form: record）及其位置。",
                Severity.WARNING,
                kind=SUPPORT,
            )
        )
    return problems


def _excerpts(entry: Entry, source_ids: Iterable[str], empty: dict, path: FieldPath, line: int | None) -> list[tuple[str, object, object]]:
    """(source id, excerpt, source) of every cited source that has excerpts; the others are noted once."""
    out = []
    for source_id in source_ids:
        source = entry.source(source_id)
        if source is None:
            continue  # not declared: validation reports it
        if not source.excerpts:
            empty.setdefault(source_id, (path, line))
            continue  # named once for the entry; its sentences cannot be checked yet
        # A record is read with its place in the fact sheet: "资料卡二 §1.6（刘黑仔）" says whom its sentences are about.
        out += [(source_id, _in_context(excerpt), source) for excerpt in source.excerpts]
        # What the source file says of the source itself (who published it, when, under what title) backs a
        # sentence like "据深圳新闻网2023年12月28日的报道": it is the register's record, not a claim about history.
        out.append((source_id, _about(source), source))
    return out


_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")


def _in_context(excerpt: Excerpt) -> Excerpt:
    """A record with the names of its place in the sheet (only its Chinese words: a heading's dates are the
    section's, not this source's)."""
    if excerpt.form != "record":
        return excerpt
    names = "、".join(w for w in _HAN_RUN.findall(excerpt.at) if w != "资料卡一" and w != "资料卡二")
    return Excerpt(text=f"（{names}）{excerpt.text}" if names else excerpt.text, at=excerpt.at, form=excerpt.form)


def _about(source) -> Excerpt:
    parts = [source.publisher, source.title or source.description, source.author, source.published, source.note]
    return Excerpt(text=" ".join(str(p) for p in parts if p), at="资料信息", form="record")


def _problem(entry: Entry, claim: _Claim, message: str) -> Problem:
    return Problem(entry.raw.display_path, claim.line, dotted(claim.path), message, Severity.WARNING, kind=SUPPORT)


def _check_text(entry: Entry, claim: _Claim, names: Names, empty: dict) -> list[Problem]:
    found = _excerpts(entry, claim.sources, empty, claim.path, claim.line)
    if not found:
        return []
    cited = "、".join(s for s in claim.sources if entry.source(s) is not None and entry.source(s).excerpts)
    folded = claims.fold(claim.text)
    problems: list[Problem] = []
    readings = [(sid, ex, src, claims.read_excerpt(ex.text)) for sid, ex, src in found]
    # Quotations first; their words are then left out of the other parts (the quotation is checked whole).
    for start, end, words in claims.quotations(folded):
        wanted = claims.squeeze(words)
        if len(wanted) <= 1 or wanted in names.labels:
            # a character named (“王”为编者所加) or a page's own label or title (见“资料说法不一”): not a quotation
            folded = folded[:start] + " " * (end - start) + folded[end:]
            continue
        # The source's words: a quote excerpt; or Chinese as a record of a Chinese source writes it (the fact sheet
        # writes Chinese names and phrases as the source does), never an English source's words translated.
        usable = [
            r
            for r in readings
            if r[2].language != "en" and (r[1].form == "quote" or (claims.HAN.search(wanted) is not None and r[1].form == "record"))
        ]
        if any(claims.quoted_in(words, r[3].squeezed) for r in usable):
            pass
        elif any(r[2].language == "en" for r in readings):
            problems.append(
                _problem(entry, claim, f"{claim.label}“{_around(claim.shown, words)}”中的引语“{_short(words, 30)}”：{_ENGLISH_QUOTE}")
            )
        elif any(claims.quoted_in(words, r[3].squeezed) for r in readings):
            problems.append(
                _problem(entry, claim, f"{claim.label}“{_around(claim.shown, words)}”中的引语“{_short(words, 30)}”：{_RECORD_QUOTE}")
            )
        else:
            nearest = _nearest(readings, words)
            problems.append(
                _problem(
                    entry,
                    claim,
                    f"{claim.label}“{_around(claim.shown, words)}”中的引语“{_short(words, 30)}”不见于所引来源 {cited} 的原文摘录{nearest}。"
                    "引号内必须是资料的原话（逐字照录）：请照摘录改正，或改为转述，或改引载有这段原话的来源。",
                )
            )
        folded = folded[:start] + " " * (end - start) + folded[end:]
    dates, rest = claims.find_dates(folded)
    for date in dates:
        # a year is also given by a four-digit number of the excerpt: "founded 1394" is older than the years it reads
        as_number = date.low.year if date.kind == "year" else None
        if not any(d.within(date) for r in readings for d in r[3].dates) and not any(
            n.low == n.high == as_number for r in readings for n in r[3].numbers
        ):
            what = "年份" if date.kind == "year" else "日期"
            written = claim.text[date.start : date.end]
            written = written.strip().removesuffix("年") if date.kind == "year" else written
            nearest = _nearest(readings, claim.text, kind="dates", near=date)
            problems.append(
                _problem(
                    entry,
                    claim,
                    f"{claim.label}“{_around(claim.shown, written)}”中的{what} {written.strip()} 不见于所引来源 {cited} 的摘录{nearest}。{_FIX}",
                )
            )
    numbers = claims.find_numbers(_blank_names(rest, names))
    for number in numbers:
        if not any((n.low, n.high) == (number.low, number.high) for r in readings for n in r[3].numbers):
            written = claim.text[number.start : number.end]
            nearest = _nearest(readings, claim.text, kind="numbers", near=number)
            problems.append(
                _problem(
                    entry,
                    claim,
                    f"{claim.label}“{_around(claim.shown, written)}”中的数字 {written.strip()} 不见于所引来源 {cited} 的摘录{nearest}。{_FIX}",
                )
            )
    for start, end, name in names.find(folded):
        alternatives = names.alternatives[name]
        if not any(alt in r[3].folded for r in readings for alt in alternatives):
            written = claim.text[start:end]
            nearest = _nearest(readings, claim.text)
            problems.append(
                _problem(
                    entry,
                    claim,
                    f"{claim.label}“{_around(claim.shown, written)}”中的名称“{written}”不见于所引来源 {cited} 的摘录{nearest}。{_FIX}",
                )
            )
    return problems


def _blank_names(text: str, names: Names) -> str:
    """Numbers inside a name (港九大队, 第二支队) belong to the name."""
    for start, end, _ in names.find(text):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _check_name_field(entry: Entry, raw: RawEntry, path: FieldPath, name: str, source: str, empty: dict) -> list[Problem]:
    line = raw.line_of(path)
    found = _excerpts(entry, (source,), empty, path, line)
    if not found:
        return []
    wanted = claims.fold(name)
    readings = [(sid, ex, src, claims.read_excerpt(ex.text)) for sid, ex, src in found]
    if any(wanted in r[3].folded for r in readings):
        return []
    claim = _Claim(name, (source,), path, line, name)
    return [
        _problem(
            entry,
            claim,
            f"名字“{name}”不见于所引来源 {source} 的摘录{_nearest(readings, name)}。请照来源的写法改正，或改引载有这个名字的来源。",
        )
    ]


def _check_date_field(entry: Entry, raw: RawEntry, path: FieldPath, node: dict, key: str, source: str, empty: dict) -> list[Problem]:
    value = node[key]
    line = raw.line_of(path)
    found = _excerpts(entry, (source,), empty, path, line)
    bounds = claims.edtf_bounds(value)
    if not found or bounds is None:
        return []
    readings = [(sid, ex, src, claims.read_excerpt(ex.text)) for sid, ex, src in found]
    about = str(node.get("text") or node.get("title") or node.get("claim") or node.get("place") or "")
    problems = []
    for low, high in bounds:
        wanted = Found("date", 0, 0, low, high)
        if any(d.within(wanted) for r in readings for d in r[3].dates):
            continue
        claim = _Claim(str(value), (source,), path, line, str(value))
        other = _other_date(readings, about, wanted)
        shown = claims.edtf.display(value) if _displayable(value) else str(value)
        if other is not None and not _shown_elsewhere(raw, node, other):
            sid, excerpt, date = other
            problems.append(
                _problem(
                    entry,
                    claim,
                    f"日期 {shown} 与所引来源 {sid} 的摘录不同：摘录写的是“{_snippet(excerpt.text, date.start, date.end)}”，"
                    "条目没有列出另一种说法。请改为来源所说；若资料说法不一，把另一日期写进 also（注明来源）或 disputes。",
                )
            )
        else:
            problems.append(_problem(entry, claim, f"日期 {shown} 不见于所引来源 {source} 的摘录{_nearest(readings, about)}。{_FIX}"))
    return problems


def _displayable(value: object) -> bool:
    try:
        claims.edtf.display(value)
    except claims.edtf.DateError:
        return False
    return True


def _other_date(readings, about: str, wanted: Found):
    """The date the excerpt closest to the claim gives instead, if it gives one."""
    best = None
    for sid, excerpt, _, reading in readings:
        if not reading.dates:
            continue
        score = _overlap(about, reading.folded)
        date = min(reading.dates, key=lambda d: abs((d.low - wanted.low).days))
        if best is None or score > best[0]:
            best = (score, sid, excerpt, date)
    return None if best is None else best[1:]


def _shown_elsewhere(raw: RawEntry, node: dict, other: tuple) -> bool:
    """The entry already shows the excerpt's date as another account: under ``also`` or in a dispute."""
    _, _, date = other
    accounts = [a.get("date") for a in node.get("also") or [] if isinstance(a, dict)]
    for dispute in raw.data.get("disputes") or []:
        if isinstance(dispute, dict):
            accounts += [a.get("claim") for a in dispute.get("accounts") or [] if isinstance(a, dict)]
    for account in accounts:
        if account is None:
            continue
        spans = claims.edtf_bounds(account) or [(d.low, d.high) for d in claims.find_dates(claims.fold(str(account)))[0]]
        if any(low <= date.low and date.high <= high for low, high in spans):
            return True
    return False


# --- how the messages show text -------------------------------------------------------------------------------------


def _shown(text: str) -> str:
    return re.sub(r"\s+", " ", FOOTNOTE.sub("", text).replace("**", "")).strip()


def _short(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _around(sentence: str, part: str, before: int = 18, after: int = 10) -> str:
    """The sentence shortened around ``part``: …1931年进入黄埔军校燕塘分校."""
    index = sentence.find(part.strip()) if part.strip() else -1
    if index < 0:
        index = claims.fold(sentence).find(claims.fold(part.strip()))
    if index < 0:
        return _short(sentence, before + after + 10)
    start, end = max(0, index - before), min(len(sentence), index + len(part.strip()) + after)
    return ("…" if start else "") + sentence[start:end] + ("…" if end < len(sentence) else "")


def _snippet(text: str, start: int, end: int, width: int = 40) -> str:
    text_start = max(0, start - (width - (end - start)) // 2)
    text_end = min(len(text), text_start + width)
    text_start = max(0, text_end - width)
    return ("…" if text_start else "") + re.sub(r"\s+", " ", text[text_start:text_end]) + ("…" if text_end < len(text) else "")


@functools.lru_cache(maxsize=65536)
def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _overlap(a: str, b: str) -> int:
    return len(_bigrams(claims.fold(a)) & _bigrams(b))


def _nearest(readings, sentence: str, kind: str | None = None, near: Found | None = None) -> str:
    """（摘录写的是：“…”）: the excerpt most like the sentence, shortened around what it says instead."""
    if not readings:
        return ""
    sid, excerpt, _, reading = max(readings, key=lambda r: (bool(kind and getattr(r[3], kind)), _overlap(sentence, r[3].folded)))
    parts = getattr(reading, kind) if kind else ()
    if parts and near is not None:
        key = (lambda p: abs((p.low - near.low).days)) if kind == "dates" else (lambda p: abs(p.low - near.low))
        part = min(parts, key=key)
        shown = _snippet(excerpt.text, part.start, part.end)
    else:
        shown = _snippet(excerpt.text, 0, 0)
    who = f"{sid} 的摘录写的是" if len({r[0] for r in readings}) > 1 else "摘录写的是"
    return f"（{who}：“{shown}”）"


# --- disputes that are none -----------------------------------------------------------------------------------------


def _date_key(value: object) -> str | None:
    """An EDTF date as the days it means (农历 converted) and its qualifiers: ``<1919-10-23/1919-10-23>``."""
    bounds = claims.edtf_bounds(value)
    if bounds is None or len(bounds) != 1:
        return None
    text = str(value)
    return f"<{bounds[0][0]}/{bounds[0][1]}>" + ("~" if text.endswith(("~", "%")) else "") + ("?" if text.endswith(("?", "%")) else "")


def check_disputes(raw: RawEntry) -> list[Problem]:
    """A dispute's accounts must differ (dates compared as days, 农历 converted; numbers as values), and an ``also``
    date must differ from the main date and from the other ``also`` dates. Errors: the page would show a
    disagreement where the sources agree."""
    problems: list[Problem] = []
    for index, dispute in enumerate(raw.data.get("disputes") or []):
        accounts = dispute.get("accounts") if isinstance(dispute, dict) else None
        seen: dict[str, int] = {}
        for number, account in enumerate(accounts if isinstance(accounts, list) else []):
            claim = account.get("claim") if isinstance(account, dict) else None
            if not isinstance(claim, (str, int)) or isinstance(claim, bool):
                continue
            key = _claim_key(str(claim))
            if key in seen:
                path = ("disputes", index, "accounts", number, "claim")
                problems.append(
                    Problem(
                        raw.display_path,
                        raw.line_of(path),
                        dotted(path),
                        f"“{claim}”与第 {seen[key] + 1} 种说法“{accounts[seen[key]].get('claim')}”相同（日期按公历日、数字按数值比较），"
                        "两种说法相同，不是分歧：请删去这个 disputes 条目，或只保留一条并引用两个来源。",
                        kind=DISPUTE,
                    )
                )
            else:
                seen[key] = number
    for path, node in raw.nodes:
        if not (isinstance(node, dict) and isinstance(node.get("also"), list) and node.get("date") is not None):
            continue
        seen_dates = {_date_key(node["date"]): "date"}
        for number, account in enumerate(node["also"]):
            value = account.get("date") if isinstance(account, dict) else None
            key = _date_key(value) if value is not None else None
            if key is None:
                continue
            if key in seen_dates:
                where = (*path, "also", number, "date")
                first = node["date"] if seen_dates[key] == "date" else node["also"][seen_dates[key]].get("date")
                problems.append(
                    Problem(
                        raw.display_path,
                        raw.line_of(where),
                        dotted(where),
                        f"日期 {value} 与 {first} 是同一天（农历按公历换算后比较），两种说法相同，不是分歧："
                        "请删去这条 also，只保留一个日期并引用两个来源。",
                        kind=DISPUTE,
                    )
                )
            else:
                seen_dates[key] = number
    return problems


def _claim_key(claim: str) -> str:
    date = _date_key(claim.strip())
    return date if date is not None else claims.canonical(claim)


def support_counts(problems: Iterable[Problem]) -> dict[str, int]:
    """How many unsupported parts, sentences of inference and disputes that are none a list of problems has."""
    counts = {SUPPORT: 0, INFERENCE: 0, DISPUTE: 0}
    for problem in problems:
        if problem.kind in counts:
            counts[problem.kind] += 1
    return counts


def by_entry(problems: Iterable[Problem], kind: str = SUPPORT) -> Iterator[tuple[str, int]]:
    counts: dict[str, int] = {}
    for problem in problems:
        if problem.kind == kind:
            counts[problem.path] = counts.get(problem.path, 0) + 1
    yield from sorted(counts.items(), key=lambda item: (-item[1], item[0]))
