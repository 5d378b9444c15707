"""What in a sentence can be checked against a source: dates, years, numbers, names and quotations.

The same reading applies to a sentence of the site and to an excerpt of a source (often an English note of the
project's fact sheet), so that 1943年12月2日, 1943-12-02, "2 December 1943" and "Dec 2, 1943" are one date, 2583,
2,583 and 二千五百八十三 one number, 三百余, 300余, 300+ and "more than 300" one number too (the qualifier is not
compared), and 七八百 the range 700–800. A 农历 date, written 农历1919年八月三十, 农历1919-08-30 or with a Qing
reign year (宣统二年十二月), is read as the Gregorian days it can mean (text/lunar.py); a 民国 year is a Gregorian year.

Everything is compared after folding: traditional characters to simplified (OpenCC t2s, the tables the search
uses) and Latin letters to lower case. Results are memoised by text: an unchanged sentence or excerpt is read once
per process, however many builds a preview makes.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from heritage.core import dates as edtf
from heritage.text import lunar

# --- folding ------------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Simplified characters, lower-case Latin letters, full-width digits and letters as ASCII. One character for
    one character, so offsets in the folded text are offsets in the text (t2s maps character to character; a
    conversion that changes the length is not used)."""
    text = text.translate(_FULL_WIDTH)
    converted = _converter().convert(text)
    if len(converted) != len(text):  # never seen with t2s; kept safe for the offsets
        converted = "".join(c2 if len(c2 := _converter().convert(c)) == 1 else c for c in text)
    return converted.lower()


_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)} | {code: code - 0xFEE0 for code in range(0xFF21, 0xFF5B)}
_SPACE = re.compile(r"\s+")


HAN = re.compile(r"[\u3400-\u9fff]")
_PUNCTUATION = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"})
_ELLIPSIS = re.compile(r"(?:…|\.{3}|。{3})+")


def squeeze(text: str) -> str:
    """Folded, without whitespace, punctuation in one width: how a quotation is compared with a source's words
    (a fact sheet types 1944年,克尔 where the page has 1944年，克尔)."""
    return _ELLIPSIS.sub("……", _SPACE.sub("", fold(text)).translate(_PUNCTUATION))


def quoted_in(words: str, squeezed_source: str) -> bool:
    """The quotation's words stand in the source, an ellipsis (……) standing for words left out between parts."""
    position = 0
    for part in (p for p in squeeze(words).split("……") if p):
        found = squeezed_source.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


# --- what was found ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """One checkable part: where it stands in the text and what it means."""

    kind: str  # "date", "year", "number"
    start: int
    end: int
    low: object  # dates: first day; numbers: lowest value
    high: object  # dates: last day; numbers: highest value

    def within(self, other: Found) -> bool:
        """This (an excerpt's date) says ``other`` (a sentence's date) or something more precise inside it."""
        return other.low <= self.low and self.high <= other.high


# --- dates ---------------------------------------------------------------------------------------------------------

_CN_DIGIT = "〇零一二三四五六七八九"
_CN_SMALL = r"[一二三四五六七八九十]{1,3}"
_MONTHS_EN = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_EN = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_SEASON_EN = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_SEASON_CN = {"春": 21, "夏": 22, "秋": 23, "冬": 24, "上半年": 40, "下半年": 41}
_REIGN = "|".join(lunar.REIGNS)
_LUNAR_DAY = r"初[一二三四五六七八九十]|[二三]?十[一二三四五六七八九]?|廿[一二三四五六七八九]?|卅|\d{1,2}"
_LUNAR_MONTH = r"正|冬|腊|臘|十[一二]?|[一二三四五六七八九]|\d{1,2}"

_DATE_PATTERNS = [
    # 农历1919-08-30 (the site's EDTF extension)
    ("lunar_edtf", re.compile(r"农历(?P<y>\d{4})(?:-(?P<leap>闰)?(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?![\d年])")),
    # 宣统二年十二月, 农历1919年八月三十, 农历八月三十 (the year from earlier in the text)
    (
        "lunar",
        re.compile(
            rf"(?:农历\s*)?(?P<reign>{_REIGN})(?P<ry>元|\d{{1,2}}|{_CN_SMALL})年"
            rf"(?:\s*(?P<leap>闰)?(?P<m>{_LUNAR_MONTH})月(?:\s*(?P<d>{_LUNAR_DAY})日?)?)?"
            rf"|农历\s*(?:(?P<y>\d{{4}})\s*年)?\s*(?P<leap2>闰)?(?P<m2>{_LUNAR_MONTH})月(?:\s*(?P<d2>{_LUNAR_DAY})日?)?"
        ),
    ),
    (
        "minguo",
        re.compile(
            rf"民国(?P<ry>元|\d{{1,2}}|{_CN_SMALL})年(?:\s*(?P<m>\d{{1,2}}|{_CN_SMALL})月(?:\s*(?P<d>\d{{1,2}}|{_CN_SMALL})[日号])?)?"
        ),
    ),
    (
        "cn",
        re.compile(
            rf"(?<!\d)(?P<y>\d{{4}})\s*年\s*(?:(?P<season>春|夏|秋|冬|上半年|下半年)"
            rf"|(?P<m>\d{{1,2}}|{_CN_SMALL})\s*月(?:份)?(?:\s*(?P<d>\d{{1,2}}|{_CN_SMALL})\s*[日号])?)?"
        ),
    ),
    # ranges, each end at its own place: 2023年8月1日至4日, 1942年1月至3月, 1–4 August 2023, Jan–Mar 1942
    (
        "cn_range",
        re.compile(
            r"(?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*[日号]?\s*[—–\-~～至到]+\s*(?P<d2>\d{1,2})\s*[日号]"
            r"|[—–\-~～至到]+\s*(?P<m2>\d{1,2})\s*月)"
        ),
    ),
    ("en_range", re.compile(rf"(?<![\d])(?P<d>\d{{1,2}})\s*[—–\-]\s*(?P<d2>\d{{1,2}})\s+{_MONTH_EN},?\s+(?P<y>\d{{4}})(?!\d)")),
    (
        "en_month_range",
        re.compile(
            rf"(?<![a-z]){_MONTH_EN}\s*[—–\-]\s*(?P<mon2>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?P<y>\d{{4}})(?!\d)"
        ),
    ),
    ("iso", re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?(?![\d-])")),
    ("en_dmy", re.compile(rf"(?<![\d])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_EN},?\s+\(?(?P<y>\d{{4}})\)?(?!\d)")),
    ("en_new_year", re.compile(r"new year'?s day,?\s+(?P<y>\d{4})(?!\d)")),
    ("en_mdy", re.compile(rf"(?<![a-z]){_MONTH_EN}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)")),
    ("en_my", re.compile(rf"(?<![a-z]){_MONTH_EN},?\s+(?:of\s+)?(?P<y>\d{{4}})(?!\d)")),
    ("en_season", re.compile(r"(?<![a-z])(?P<s>spring|summer|autumn|fall|winter)\s+(?:of\s+)?(?P<y>\d{4})(?!\d)")),
    ("span", re.compile(r"(?<![\d,.])(?P<y>1[89]\d\d|20\d\d)\s*[—–\-~～至到]+\s*(?P<y2>1[89]\d\d|20\d\d|\d\d)(?![\d,])")),
    ("md", re.compile(r"(?<!\d)(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]")),
    # English day and month with the year from before: "Qingming 1917 (5 April)", "1–24 Aug"
    ("en_dm_range", re.compile(rf"(?<![\d])(?P<d>\d{{1,2}})\s*[—–\-]\s*(?P<d2>\d{{1,2}})\s+{_MONTH_EN}(?![a-z])")),
    ("en_dm", re.compile(rf"(?<![\d:])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_EN}(?![a-z])")),
    # A month or a day alone (同年12月, 30日清晨): a date in the year (and month) written earlier, else nothing to check.
    ("m_only", re.compile(r"(?<![\d个])(?P<m>\d{1,2})\s*月(?![\d份]|\s*\d)")),
    ("d_only", re.compile(r"(?<![\d月])(?P<d>\d{1,2})\s*[日号](?!\d)")),
]
# A bare year (1800–2099) not followed by what makes it a count: 1944 is a year, 1300多人 and 2000余 are numbers.
_BARE_YEAR = re.compile(r"(?<![\d,.])(?P<y>1[89]\d\d|20\d\d)(?![\d,]|\.\d|\s*(?:余|多|\+|人|名|个|位|户|间|册|件|米|元|平方))")
_CN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=\s*年)")


def _small(text: str | None) -> int | None:
    if text is None:
        return None
    return 1 if text == "元" else lunar.numeral(text)


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return edtf.Point(year, month).bounds()


def _gregorian(year: int, month: int | None, day: int | None, season: int | None = None) -> tuple[dt.date, dt.date, str] | None:
    try:
        point = edtf.Point(year, month if season is None else None, day if season is None else None, season=season)
        first, last = point.bounds()
    except ValueError:
        return None
    return first, last, "year" if month is None and season is None else "date"


def _lunar(year: int | None, month: int | None, day: int | None, leap: bool) -> tuple[dt.date, dt.date, str] | None:
    if year is None:
        return None
    try:
        first, last = lunar.to_gregorian(year, month, day, leap)
    except lunar.LunarError:
        return None
    return first, last, "year" if month is None else "date"


def _read_date(kind: str, m: re.Match, last_year: int | None, last_month: int | None = None) -> tuple[dt.date, dt.date, str] | list | None:
    g = m.groupdict()
    if kind == "lunar_edtf":
        return _lunar(int(g["y"]), int(g["m"]) if g["m"] else None, int(g["d"]) if g["d"] else None, bool(g["leap"]))
    if kind == "lunar":
        if g["reign"]:
            ry = _small(g["ry"])
            year = lunar.REIGNS[g["reign"]] + ry - 1 if ry else None
            month, day, leap = lunar.month_number(g["m"]) if g["m"] else None, lunar.day_number(g["d"]) if g["d"] else None, bool(g["leap"])
        else:
            year = int(g["y"]) if g["y"] else last_year
            month, day, leap = lunar.month_number(g["m2"]), lunar.day_number(g["d2"]) if g["d2"] else None, bool(g["leap2"])
        return _lunar(year, month, day, leap)
    if kind == "minguo":
        ry = _small(g["ry"])
        return _gregorian(lunar.MINGUO + ry, _small(g["m"]), _small(g["d"])) if ry else None
    if kind == "cn":
        season = _SEASON_CN.get(g["season"] or "")
        return _gregorian(int(g["y"]), _small(g["m"]), _small(g["d"]), season)
    if kind == "iso":
        return _gregorian(int(g["y"]), int(g["m"]), int(g["d"]) if g["d"] else None)
    if kind in ("en_dmy", "en_mdy", "en_my"):
        return _gregorian(int(g["y"]), _MONTHS_EN[g["mon"][:3]], int(g["d"]) if g.get("d") else None)
    if kind == "en_season":
        return _gregorian(int(g["y"]), None, None, _SEASON_EN[g["s"]])
    if kind == "span":
        end = int(g["y2"]) if len(g["y2"]) == 4 else int(g["y"]) // 100 * 100 + int(g["y2"])  # 1979–85
        return [_gregorian(int(g["y"]), None, None), _gregorian(end, None, None)]
    if kind == "en_new_year":
        return _gregorian(int(g["y"]), 1, 1)
    if kind == "en_dm_range":
        month = _MONTHS_EN[g["mon"][:3]]
        return [_gregorian(last_year, month, int(g["d"])), _gregorian(last_year, month, int(g["d2"]))] if last_year else []
    if kind == "en_dm":
        return _gregorian(last_year, _MONTHS_EN[g["mon"][:3]], int(g["d"])) if last_year else []
    if kind == "md":
        return _gregorian(last_year, int(g["m"]), int(g["d"])) if last_year else None
    if kind == "cn_range":
        year, month = int(g["y"]), int(g["m"])
        if g["m2"]:
            return [_gregorian(year, month, None), _gregorian(year, int(g["m2"]), None)]
        return [_gregorian(year, month, int(g["d"])), _gregorian(year, month, int(g["d2"]))]
    if kind == "en_range":
        year, month = int(g["y"]), _MONTHS_EN[g["mon"][:3]]
        return [_gregorian(year, month, int(g["d"])), _gregorian(year, month, int(g["d2"]))]
    if kind == "en_month_range":
        year = int(g["y"])
        return [_gregorian(year, _MONTHS_EN[g["mon"][:3]], None), _gregorian(year, _MONTHS_EN[g["mon2"][:3]], None)]
    if kind == "m_only":
        return _gregorian(last_year, int(g["m"]), None) if last_year else []
    if kind == "d_only":
        return _gregorian(last_year, last_month, int(g["d"])) if last_year and last_month else []
    return None  # pragma: no cover


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def find_dates(folded: str, bare_years: bool = True) -> tuple[list[Found], str]:
    """Every date and year of a folded text, and the text with them blanked out (for the numbers)."""
    text = _CN_YEAR.sub(lambda m: "".join(str(_CN_DIGIT.index(c) if c != "零" else 0) for c in m.group()), folded)
    found: list[tuple[int, int, tuple]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if not m.group().strip():
                continue
            before = [f for f in found if f[1] <= m.start() and f[2]]
            last = max(before, key=lambda f: f[1], default=None)
            last_year = last[2][1].year if last else None  # the nearest date before it gives the year
            # the month of the nearest earlier date, when that date is within one month (2023年8月1日至4日)
            last_month = last[2][0].month if last and last[2][0].month == last[2][1].month else None
            bare = list(_BARE_YEAR.finditer(text, 0, m.start()))  # or a bare year nearer still: 1917 (5 April)
            if bare and (last is None or bare[-1].end() > last[1]):
                last_year, last_month = int(bare[-1].group("y")), None
            read = _read_date(kind, m, last_year, last_month)
            results = read if isinstance(read, list) else [read]
            if kind == "span":  # each year of 1913—1990 at its own place
                spans = [(m.start("y"), m.end("y")), (m.start("y2"), m.end("y2"))]
            elif len(results) == 2:  # a range: both ends span the whole match
                spans = [(m.start(), m.end())] * 2
            else:
                spans = [(m.start(), m.end())] * len(results)
            for (start, end), result in zip(spans, results, strict=True):
                if result is not None:
                    found.append((start, end, result))
            text = _mask(text, m.start(), m.end())
    if bare_years:
        for m in _BARE_YEAR.finditer(text):
            found.append((m.start(), m.end(), _gregorian(int(m.group("y")), None, None)))
            text = _mask(text, m.start(), m.end())
    out = [Found(result[2], start, end, result[0], result[1]) for start, end, result in sorted(found, key=lambda f: f[0])]
    return out, text


def edtf_bounds(value: object) -> list[tuple[dt.date, dt.date]] | None:
    """The days an EDTF date (core/dates.py) can mean, each end of an interval on its own; lunar dates converted."""
    try:
        parsed = edtf.parse(value)
    except edtf.DateError:
        return None
    points = [parsed] if isinstance(parsed, edtf.Point) else [p for p in (parsed.start, parsed.end) if p is not None]
    out = []
    for point in points:
        if point.lunar:
            try:
                out.append(lunar.to_gregorian(point.year, point.month, point.day, point.leap_month))
            except lunar.LunarError:
                return None
        else:
            out.append(point.bounds())
    return out


# --- numbers -------------------------------------------------------------------------------------------------------

_CN_NUM = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CLASSIFIERS = "人名个位支艘条次岁天日年月座处所间户家架门挺颗辆匹只批期届团营连排班师军旅队项件本册卷篇首里米亩余多万千百"
_ARABIC = re.compile(
    r"(?<![A-Za-z\d.\-#/:])(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*[—–\-~～至到]\s*(?P<n2>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?))?"
    r"\s*(?:多|余)?\s*(?P<big>万|亿|million\b|thousand\b)?(?P<tail>(?:st|nd|rd|th)(?![a-z]))?(?![A-Za-z\d/]|:\d|\.\d|-\d)"
)
# A clock time in a record (17:00, 4 p.m.) is the hour a sentence writes as 17时.
_CLOCK = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2}):(?P<min>\d{2})(?![\d:])"
    r"|(?<![\d:])(?P<h2>\d{1,2})\s*(?P<ap>a\.?m\.?|p\.?m\.?)(?![a-z])"
    r"|(?<![\d])(?P<h3>\d{1,2})\s*时(?:\s*(?P<min3>\d{1,2})\s*分)?"
)
_EN_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip
_EN_NUMBER = re.compile(r"(?<![a-z])(?P<w>" + "|".join(_EN_NUMBERS) + r")(?![a-z])")
_CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_NOT_NUMBERS = (
    "一些",
    "一起",
    "一带",
    "一样",
    "一直",
    "一度",
    "一同",
    "一致",
    "统一",
    "唯一",
    "一切",
    "一般",
    "一面",
    "一边",
    "一路",
    "一时",
    "一举",
    "一向",
    "一旦",
    "万一",
    "千万",
    "十分",
    "百姓",
    "三八",
    "五四",
    "七七",
    "九一八",
    "一二九",
    "一二·九",
)


_STOPS = re.compile("|".join(sorted(map(re.escape, _NOT_NUMBERS), key=len, reverse=True)))


def _chinese_value(text: str) -> tuple[int, int] | None:
    """二千五百八十三 → 2583; 七八百 → (700, 800); 三百 → 300; 一万二千 → 12000. None if it is not a number."""
    if len(text) >= 3 and text[0] in _CN_NUM and text[1] in _CN_NUM and text[2] in {**_CN_UNIT, **_CN_BIG} and len(text) == 3:
        unit = {**_CN_UNIT, **_CN_BIG}[text[2]]
        low, high = _CN_NUM[text[0]] * unit, _CN_NUM[text[1]] * unit
        return (low, high) if low < high else None
    total, section, digit = 0, 0, None
    for char in text:
        if char in _CN_NUM:
            if digit is not None:
                return None  # 一九四三: digits without units are not a count
            digit = _CN_NUM[char]
        elif char in _CN_UNIT:
            section += (1 if digit is None else digit) * _CN_UNIT[char]
            digit = None
        elif char in _CN_BIG:
            total = (total + section + (digit or 0)) * _CN_BIG[char]
            section, digit = 0, None
    value = total + section + (digit or 0)
    return (value, value)


def find_numbers(text: str) -> list[Found]:
    """Numbers of a folded text whose dates were blanked out (find_dates)."""
    out: list[Found] = []
    for m in _CLOCK.finditer(text):
        hour = int(m.group("h") or m.group("h2") or m.group("h3"))
        if m.group("ap") and m.group("ap").startswith("p") and hour < 12:
            hour += 12
        minute = int(m.group("min") or m.group("min3") or 0)
        value = hour * 100 + minute  # a time of day: 03:58 ≡ 3时58分, 17:00 ≡ 17时
        out.append(Found("number", m.start(), m.end(), value, value))
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    for m in _EN_NUMBER.finditer(text):
        value = _EN_NUMBERS[m.group("w")]
        out.append(Found("number", m.start(), m.end(), value, value))
    for m in _ARABIC.finditer(text):
        scale = {"万": 10_000, "亿": 100_000_000, "million": 1_000_000, "thousand": 1_000}.get(m.group("big") or "", 1)
        low = float(m.group("n").replace(",", "")) * scale
        high = float(m.group("n2").replace(",", "")) * scale if m.group("n2") else low
        if m.group("n2") and high <= low:
            continue  # not a range: a code such as 8-0679
        out.append(Found("number", m.start(), m.end(), _int(low), _int(high)))
    stops = {i for s in _STOPS.finditer(text) for i in range(s.start(), s.end())}
    for m in _CHINESE.finditer(text):
        word = m.group()
        if m.start() in stops:
            continue
        if m.start() > 0 and text[m.start() - 1] in "数几":
            continue  # 数百、几千: no number to check
        value = _chinese_value(word)
        if value is None or value[1] <= 1:
            continue
        following = text[m.end() : m.end() + 1]
        if len(word) == 1 and (following == "" or following not in _CLASSIFIERS):
            continue  # 三 in 三面环海 is not a count; 三艘 is
        if m.start() > 0 and text[m.start() - 1] == "第" and value[1] <= 10:
            continue  # a small ordinal: 第一, 第三
        out.append(Found("number", m.start(), m.end(), *value))
    return sorted(out, key=lambda f: f.start)


def _int(value: float) -> float | int:
    return int(value) if value == int(value) else value


# --- quotations ----------------------------------------------------------------------------------------------------

QUOTES = re.compile(r"“(?P<a>[^”]{1,300})”|「(?P<b>[^」]{1,300})」|『(?P<c>[^』]{1,300})』|\"(?P<d>[^\"\n]{1,300})\"")


def quotations(text: str) -> list[tuple[int, int, str]]:
    """(start, end, words inside) of every quotation."""
    return [(m.start(), m.end(), next(g for g in m.groups() if g is not None)) for m in QUOTES.finditer(text)]


# --- an excerpt, read once -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    folded: str
    squeezed: str
    dates: tuple[Found, ...]
    numbers: tuple[Found, ...]


@functools.lru_cache(maxsize=65536)
def read_excerpt(text: str) -> Reading:
    folded = fold(text)
    found_dates, rest = find_dates(folded)
    return Reading(folded, squeeze(text), tuple(found_dates), tuple(find_numbers(rest)))


def canonical(text: str) -> str:
    """A claim reduced to what it says: dates as their days, numbers as their values, no spaces or punctuation —
    two accounts of a dispute with the same canonical form say the same thing."""
    folded = fold(text)
    found_dates, _ = find_dates(folded)
    parts, cursor = [], 0
    for found in found_dates:
        parts.append(folded[cursor : found.start])
        parts.append(f"<{found.low}/{found.high}>")
        cursor = found.end
    rest = "".join(parts) + folded[cursor:]
    numbers = find_numbers(rest)
    parts, cursor = [], 0
    for found in numbers:
        parts.append(rest[cursor : found.start])
        parts.append(f"<{found.low}-{found.high}>")
        cursor = found.end
    rest = "".join(parts) + rest[cursor:]
    rest = re.sub(r"(余|多|\+|约|大约|左右|more than|over|about|around)", "", rest)
    return re.sub(r"[^\w<>/.\-]+", "", rest)
