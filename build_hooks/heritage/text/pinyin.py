"""Pinyin of entry names: the A–Z index and the pinyin forms search can match (``yuan geng``, ``yuangeng``).

Readings come from ``pypinyin`` (its phrase dictionary picks most readings from context), corrected by two lists
kept here, because names are where a dictionary guesses worst:

- ``PHRASES``: place names and nicknames whose reading is not the common one (涌 is chōng in Cantonese place names:
  沙鱼涌 Shāyúchōng, 葵涌 Kuíchōng; 黑仔 is hēizǎi; 冲虚观 is a Daoist guàn);
- ``SURNAMES``: characters read differently as a surname (曾 Zēng, not céng), applied to the first character(s)
  of a person's names only.

For the search engine (``search_terms``, ``entry_pinyin``): every name and alias of an entry (title, ``aliases``,
a person's ``names``) as tone-marked, spaced, run-together and initial-letter forms.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pypinyin import Style, lazy_pinyin
from pypinyin.contrib import tone_convert

# pypinyin converts a syllable's tone marks with several regular expressions per call; a language has some 1,500
# syllables and an index of 10,000 entries asks for them hundreds of thousands of times.
to_normal = functools.lru_cache(maxsize=8192)(tone_convert.to_normal)
to_tone = functools.lru_cache(maxsize=8192)(tone_convert.to_tone)

if TYPE_CHECKING:  # pragma: no cover
    from heritage.core.catalog import Catalog
    from heritage.core.entry import Entry

AZ_URI = "a-z.md"

# Readings in TONE3 form ("zeng1"), one per character. Longest match wins; keep them to names.
PHRASES: dict[str, str] = {
    "沙鱼涌": "sha1 yu2 chong1",
    "沙魚湧": "sha1 yu2 chong1",
    "沙魚涌": "sha1 yu2 chong1",
    "鲨鱼涌": "sha1 yu2 chong1",
    "葵涌": "kui2 chong1",
    "溪涌": "xi1 chong1",
    "深涌": "shen1 chong1",
    "黑仔": "hei1 zai3",
    "袁更": "yuan2 geng1",
    "冲虚观": "chong1 xu1 guan4",
    "庙角岭": "miao4 jiao3 ling3",
}

SURNAMES: dict[str, str] = {
    "曾": "zeng1",
    "单": "shan4",
    "解": "xie4",
    "区": "ou1",
    "仇": "qiu2",
    "朴": "piao2",
    "查": "zha1",
    "覃": "qin2",
    "盖": "ge3",
    "缪": "miao4",
    "翟": "zhai2",
    "乐": "yue4",
    "任": "ren2",
    "冼": "xian3",
    "尉迟": "yu4 chi2",
    "万俟": "mo4 qi2",
}

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9\u00c0-\u024f]+")
_PHRASE_LENGTHS = sorted({len(p) for p in PHRASES}, reverse=True)


@dataclass(frozen=True)
class NamePinyin:
    """One name in pinyin. ``tones``: "yuán gēng"; ``spaced``: "yuan geng"; ``joined``: "yuangeng";
    ``initials``: "yg". Latin words (a romanisation such as "Tsang Sang") are kept, lower-cased."""

    text: str
    tones: str
    spaced: str
    joined: str
    initials: str


@functools.lru_cache(maxsize=65536)
def syllables(text: str, person: bool = False) -> tuple[str, ...]:
    """The TONE3 syllables of ``text`` ("zeng1", "sheng1"), Latin words as they are (lower-cased, tone 0 implied);
    everything else (punctuation, spaces) is dropped. Cached: the A–Z index asks for each name's syllables three
    times (its pinyin, its sort key, its letter), and pypinyin's reading is the costliest step of the index."""
    result: list[str] = []
    first_han = True
    for run in _RUNS.findall(text):
        if not _HAN.match(run):
            result.append(run.lower())
            continue
        result += _han_syllables(run, surname=person and first_han)
        first_han = False
    return tuple(result)


def _han_syllables(run: str, surname: bool) -> list[str]:
    out: list[str] = []
    buffer = ""
    i = 0
    if surname:
        for name, reading in sorted(SURNAMES.items(), key=lambda item: -len(item[0])):
            if run.startswith(name) and not _phrase_at(run, 0):
                out += reading.split()
                i = len(name)
                break
    while i < len(run):
        phrase = _phrase_at(run, i)
        if phrase is None:
            buffer += run[i]
            i += 1
            continue
        out += _dictionary(buffer)
        buffer = ""
        out += PHRASES[phrase].split()
        i += len(phrase)
    return out + _dictionary(buffer)


def _phrase_at(run: str, index: int) -> str | None:
    for length in _PHRASE_LENGTHS:
        if run[index : index + length] in PHRASES:
            return run[index : index + length]
    return None


def _dictionary(run: str) -> list[str]:
    """pypinyin's reading of a run of Han characters, in context (its phrase dictionary), neutral tone as 5."""
    if not run:
        return []
    return lazy_pinyin(run, style=Style.TONE3, neutral_tone_with_five=True)


@functools.lru_cache(maxsize=16384)
def name_pinyin(text: str, person: bool = False) -> NamePinyin:
    """Pinyin forms of one name; ``person`` applies the surname readings to its first characters."""
    parts = syllables(text, person)
    toneless = [to_normal(p) if _is_syllable(p) else p for p in parts]
    tones = [to_tone(p) if _is_syllable(p) else p for p in parts]
    return NamePinyin(
        text=text,
        tones=" ".join(tones),
        spaced=" ".join(toneless),
        joined="".join(toneless),
        initials="".join(p[0] for p in toneless if p),
    )


_SYLLABLE = re.compile(r"[a-zv]+[1-5]")  # pypinyin's TONE3 form: ü written v, every tone numbered


def _is_syllable(part: str) -> bool:
    return bool(_SYLLABLE.fullmatch(part))


def sort_key(text: str, person: bool = False) -> tuple:
    """Dictionary order: syllable by syllable, letters first, then tone; then the characters themselves."""
    key = []
    for part in syllables(text, person):
        if _is_syllable(part):
            key.append((to_normal(part), int(part[-1])))
        else:
            key.append((part, 0))
    return (tuple(key), text)


def initial(text: str, person: bool = False) -> str:
    """The A–Z letter a name is filed under ("#" for names starting with anything else)."""
    parts = syllables(text, person)
    letter = to_normal(parts[0])[:1].upper() if parts else ""
    return letter if "A" <= letter <= "Z" else "#"


# --- entries -------------------------------------------------------------------------------------------------------


def entry_names(entry: Entry) -> list[str]:
    """Every name of an entry: its title, a person's other names, its aliases (in that order, each once)."""
    names = [entry.title, *(n.name for n in getattr(entry.model, "names", [])), *entry.model.aliases]
    return list(dict.fromkeys(names))


def is_person(entry: Entry) -> bool:
    """Its names are people's, as its model declares (``EntryBase.PERSON_NAMES``)."""
    return entry.model.PERSON_NAMES


def entry_pinyin(entry: Entry) -> list[NamePinyin]:
    """Pinyin of every name and alias of an entry (for the search engine)."""
    return [name_pinyin(name, is_person(entry)) for name in entry_names(entry)]


def search_terms(entry: Entry) -> list[str]:
    """The spaced and run-together pinyin of every name and alias of an entry, each once ("yuan geng",
    "yuangeng", "ouyang rushan" …): what a reader may type instead of the characters. Names written only in Latin
    letters give no extra term."""
    terms: list[str] = []
    for forms in entry_pinyin(entry):
        if not _HAN.search(forms.text):
            continue
        for term in (forms.spaced, forms.joined):
            if term not in terms:
                terms.append(term)
    return terms


@dataclass(frozen=True)
class IndexItem:
    """One line of the A–Z index: an entry under its title, or under another of its names (``see``)."""

    name: str
    entry: Entry
    see: bool
    pinyin: str
    key: tuple


def a_to_z(catalog: Catalog) -> list[tuple[str, list[IndexItem]]]:
    """Every entry of this build under its title and under each of its other names, by pinyin, grouped by letter."""
    items = []
    for entry in catalog.entries.values():
        person = is_person(entry)
        for name in entry_names(entry):
            items.append(IndexItem(name, entry, name != entry.title, name_pinyin(name, person).tones, sort_key(name, person)))
    items.sort(key=lambda item: (item.key, item.see, item.entry.collection, item.entry.id))
    groups: dict[str, list[IndexItem]] = {}
    for item in items:
        groups.setdefault(initial(item.name, is_person(item.entry)), []).append(item)
    letters = sorted(groups, key=lambda letter: (letter == "#", letter))
    return [(letter, groups[letter]) for letter in letters]


def a_to_z_context(renderer: Any) -> dict[str, Any]:
    return {"groups": a_to_z(renderer.catalog)}


def people_listing_context(renderer: Any, entries: list[Entry]) -> dict[str, Any]:
    """The people listing: by pinyin of the name, each under its initial letter."""
    ordered = sorted(entries, key=lambda e: sort_key(e.title, person=True))
    groups: dict[str, list[Entry]] = {}
    for entry in ordered:
        groups.setdefault(initial(entry.title, person=True), []).append(entry)
    return {"groups": list(groups.items())}
