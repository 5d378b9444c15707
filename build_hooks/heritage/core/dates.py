"""Historical dates as historians know them: a year, a month, a day, a season, "about", "doubtful", a span, a lunar date.

Written in the Extended Date/Time Format (EDTF, ISO 8601-2:2019), the subset our sources need:

============================  =======================  ==============================================
EDTF                          Meaning                   Shown as
============================  =======================  ==============================================
``1944``                      a year                    1944年
``1944-08``                   a month                   1944年8月
``1944-08-11``                a day                     1944年8月11日
``1944-21`` … ``1944-24``     spring … winter           1944年春 / 夏 / 秋 / 冬
``1939-40``, ``1944-41``      first / second half       1939年上半年 / 1944年下半年
``1938~``                     approximate               约1938年
``1906?``                     uncertain                 1906年（存疑）
``1938%``                     both                      约1938年（存疑）
``1942/1945``                 an interval               1942—1945年
``1944-07/..``, ``../1945``   open end / open start     1944年7月起 / 1945年以前
``1944/``, ``/1945``          unknown end / start       1944年—？ / ？—1945年
``农历1919-08-30``             a lunar date (extension)  农历1919年八月三十
============================  =======================  ==============================================

EDTF has no lunar calendar: ``农历YYYY[-[闰]MM[-DD]]`` is our extension, kept as written and never converted (a
conversion would be a new fact no source gives). Wording finer than EDTF can say (年底, 上旬) is written as the
coarser value that is certainly true (``1942``, ``1945-02``) and kept in the fact's text.

Ordering (``sort_key``): by the first day a date can mean, then the longer span first — so a year comes before any
month or day in it, a season before its months, and an interval sorts by its start. Seasons are the Chinese ones,
by solar term (春 = 立春–立夏 …), rounded to whole months: spring February–April, summer May–July, autumn
August–October, winter November–January. A lunar date sorts by bounds that surely contain its Gregorian day (the
lunar new year falls between 21 January and 20 February; months have 29 or 30 days; a leap month may come
before): those bounds order it and are never shown.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

SEASONS: dict[int, tuple[str, int, int]] = {  # EDTF code → (Chinese, first month, last month; 13 = next January)
    21: ("春", 2, 4),
    22: ("夏", 5, 7),
    23: ("秋", 8, 10),
    24: ("冬", 11, 13),
    40: ("上半年", 1, 6),
    41: ("下半年", 7, 12),
}
LUNAR_MONTHS = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
_DIGITS = "〇一二三四五六七八九"
LUNAR_PREFIX = "农历"
DASH = "—"  # 连接号 for spans of time (GB/T 15834): 1942—1945年

_POINT = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<qual>[~?%])?")
_LUNAR = re.compile(r"农历(?P<year>\d{4})(?:-(?P<leap>闰)?(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<qual>[~?%])?")

# For editors' tools (JSON Schema): the same grammar as a regular expression.
_POINT_PATTERN = r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?|-(2[1-4]|4[01]))?[~?%]?"
_LUNAR_PATTERN = r"农历\d{4}(-闰?(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|30))?)?[~?%]?"
POINT_PATTERN = rf"^{_POINT_PATTERN}$"
PATTERN = rf"^({_LUNAR_PATTERN}|{_POINT_PATTERN}|{_POINT_PATTERN}/({_POINT_PATTERN}|\.\.)?|(\.\.)?/{_POINT_PATTERN})$"

EXAMPLES = "1944、1944-08、1944-08-11、1944-23（秋）、1938~（约）、1906?（存疑）、1942/1945（区间）、农历1919-08-30"


class DateError(ValueError):
    """A date that cannot be read; the message is Chinese, for editors."""


@dataclass(frozen=True)
class Point:
    """One date: a year, optionally a month (or a season / half-year) and a day."""

    year: int
    month: int | None = None
    day: int | None = None
    season: int | None = None  # an EDTF sub-year grouping in SEASONS
    approximate: bool = False
    uncertain: bool = False
    lunar: bool = False
    leap_month: bool = False

    def bounds(self) -> tuple[dt.date, dt.date]:
        """The first and last day this date can mean."""
        if self.lunar:
            return self._lunar_bounds()
        if self.season is not None:
            _, first, last = SEASONS[self.season]
            return dt.date(self.year, first, 1), _month_end(self.year + (last - 1) // 12, (last - 1) % 12 + 1)
        if self.month is None:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, 1), _month_end(self.year, self.month)
        day = dt.date(self.year, self.month, self.day)
        return day, day

    def _lunar_bounds(self) -> tuple[dt.date, dt.date]:
        new_year_earliest, new_year_latest = dt.date(self.year, 1, 21), dt.date(self.year, 2, 20)
        if self.month is None:
            return new_year_earliest, dt.date(self.year + 1, 2, 20)
        months_before = self.month - 1 + (1 if self.leap_month else 0)
        first_day = (self.day or 1) - 1
        last_day = (self.day or 30) - 1
        earliest = new_year_earliest + dt.timedelta(days=months_before * 29 + first_day)
        # At most `month` months come before it: the months before plus one leap month (or its own regular month).
        latest = new_year_latest + dt.timedelta(days=self.month * 30 + last_day)
        return earliest, min(latest, dt.date(self.year + 1, 2, 20))

    def display(self, with_year: bool = True) -> str:
        """Chinese, as a historian writes it; ``with_year=False`` leaves out the year a span's start shares."""
        if self.lunar:
            text = f"{LUNAR_PREFIX}{self.year}年"
            if self.month is not None:
                text += ("闰" if self.leap_month else "") + f"{LUNAR_MONTHS[self.month - 1]}月"
            if self.day is not None:
                text += lunar_day(self.day)
        else:
            text = f"{self.year}年" if with_year else ""
            if self.season is not None:
                text += SEASONS[self.season][0]
            elif self.month is not None:
                text += f"{self.month}月"
                if self.day is not None:
                    text += f"{self.day}日"
        return _qualified(text, self.approximate, self.uncertain)

    @property
    def qualified(self) -> bool:
        return self.approximate or self.uncertain

    @property
    def unit(self) -> str:
        return "day" if self.day is not None else "month" if self.month is not None else "season" if self.season else "year"


@dataclass(frozen=True)
class Interval:
    """A span between two points; a missing end is open (``..``: it goes on) or unknown (empty)."""

    start: Point | None
    end: Point | None
    open_start: bool = False
    open_end: bool = False

    def bounds(self) -> tuple[dt.date, dt.date]:
        """For ordering: an unknown or open start counts from the end's first day; an open or unknown end runs to
        the start's last day."""
        first = self.start.bounds()[0] if self.start else self.end.bounds()[0]
        last = self.end.bounds()[1] if self.end else (dt.date.max if self.open_end else self.start.bounds()[1])
        return first, last

    def display(self) -> str:
        start, end = self.start, self.end
        if start is None:
            return f"{end.display()}以前" if self.open_start else f"？{DASH}{end.display()}"
        if end is None:
            return f"{start.display()}起" if self.open_end else f"{start.display()}{DASH}？"
        if start.qualified or end.qualified or start.unit != end.unit or start.unit == "season":
            # Each end in full: 1943年12月—1945年, 约1942年—1945年, 1942年春—1945年春.
            return f"{start.display()}{DASH}{end.display(with_year=start.year != end.year or end.unit == 'year')}"
        if start.unit == "year":
            return f"{start.year}{DASH}{end.year}年"
        if start.year != end.year:
            return f"{start.display()}{DASH}{end.display()}"
        if start.unit == "month":
            return f"{start.year}年{start.month}{DASH}{end.month}月"
        if start.month == end.month:
            return f"{start.year}年{start.month}月{start.day}{DASH}{end.day}日"
        return f"{start.display()}{DASH}{end.display(with_year=False)}"


HistoricalDate = Point | Interval


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _qualified(text: str, approximate: bool, uncertain: bool) -> str:
    return f"{'约' if approximate else ''}{text}{'（存疑）' if uncertain else ''}"


def lunar_day(day: int) -> str:
    """初一 … 初十, 十一 … 二十, 二十一 … 三十: days of a lunar month as they are written."""
    if day <= 10:
        return "初" + ("十" if day == 10 else _DIGITS[day])
    if day < 20:
        return "十" + _DIGITS[day - 10]
    tens, ones = divmod(day, 10)
    return _DIGITS[tens] + "十" + (_DIGITS[ones] if ones else "")


# --- reading -----------------------------------------------------------------------------------------------------


def parse(value: object) -> HistoricalDate:
    """An EDTF text (or a bare year read from YAML as a number) → a ``Point`` or an ``Interval``.
    Raises ``DateError`` with a Chinese explanation and an example of the right form."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DateError(f"日期应写成文字，例如 {EXAMPLES}。")
    return _parse(str(value).strip())


@functools.lru_cache(maxsize=8192)
def _parse(text: str) -> HistoricalDate:
    if not text:
        raise DateError(f"日期不能为空。可以写：{EXAMPLES}。")
    if text.startswith(LUNAR_PREFIX):
        return _lunar(text)
    if "/" in text:
        return _interval(text)
    return _point(text)


def _point(text: str) -> Point:
    match = _POINT.fullmatch(text)
    if not match:
        raise DateError(_hint(text))
    year, month, day = (int(g) if g else None for g in match.group("year", "month", "day"))
    qualifier = match.group("qual") or ""
    approximate, uncertain = qualifier in ("~", "%"), qualifier in ("?", "%")
    if month is not None and month > 12:
        if day is not None or month not in SEASONS:
            raise DateError(
                f"“{text}”：月份应为 01–12；季节写作 21 春、22 夏、23 秋、24 冬，上半年、下半年写作 40、41（例如 1944-23 即 1944年秋）。"
            )
        return Point(year, season=month, approximate=approximate, uncertain=uncertain)
    if month == 0:
        raise DateError(f"“{text}”：月份应为 01–12。")
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise DateError(f"“{text}”：这一天不存在（{year}年{month}月没有{day}日）。")
    if year == 0:
        raise DateError(f"“{text}”：年份应为四位数的公元年份，例如 1944。")
    return Point(year, month, day, approximate=approximate, uncertain=uncertain)


def _lunar(text: str) -> Point:
    match = _LUNAR.fullmatch(text)
    if not match:
        raise DateError(
            f"“{text}”：农历日期写作 农历年-月-日（阿拉伯数字，不换算成公历），例如 农历1919-08-30；闰月写作 农历1919-闰07-15；不能用于区间。"
        )
    year, month, day = (int(g) if g else None for g in match.group("year", "month", "day"))
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"“{text}”：农历月份应为 01–12（闰月写作 闰07 这样的形式）。")
    if day is not None and not 1 <= day <= 30:
        raise DateError(f"“{text}”：农历每月最多 30 天，日应为 01–30。")
    qualifier = match.group("qual") or ""
    return Point(
        year,
        month,
        day,
        approximate=qualifier in ("~", "%"),
        uncertain=qualifier in ("?", "%"),
        lunar=True,
        leap_month=bool(match.group("leap")),
    )


def _interval(text: str) -> Interval:
    if text.count("/") != 1:
        raise DateError(f"“{text}”：区间只能有一个斜线，例如 1942/1945。")
    left, right = text.split("/")
    if left in ("", "..") and right in ("", ".."):
        raise DateError(f"“{text}”：区间至少要写明起点或终点，例如 1944/..（1944年起）或 ../1945（1945年以前）。")
    if left.startswith(LUNAR_PREFIX) or right.startswith(LUNAR_PREFIX):
        raise DateError(f"“{text}”：农历日期不能用于区间（本站不换算农历）。请分开写成两条，或改用公历。")
    start = None if left in ("", "..") else _point(left)
    end = None if right in ("", "..") else _point(right)
    if start is not None and end is not None and start.bounds()[0] > end.bounds()[1]:
        raise DateError(f"“{text}”：区间的起点晚于终点，请检查是否写反。")
    return Interval(start, end, open_start=left == "..", open_end=right == "..")


def _hint(text: str) -> str:
    """The message for a text that is not a date, with the most likely intended form."""
    seasons = {"春": 21, "夏": 22, "秋": 23, "冬": 24}
    year = re.match(r"\d{4}", text.lstrip("约"))
    if year and text.rstrip("季天").endswith(tuple(seasons)):
        return f"“{text}”：季节请写成 EDTF 形式，例如 {year.group(0)}-{seasons[text.rstrip('季天')[-1]]}（{year.group(0)}年{text.rstrip('季天')[-1]}）。"
    if text.startswith("约") and year:
        return f"“{text}”：“约”请写在日期后面，用 ~ 表示，例如 {year.group(0)}~（约{year.group(0)}年）。"
    if re.fullmatch(r"\d{4}\s*[-－—–~～至到]\s*\d{4}", text):
        return f"“{text}”：区间请用斜线分开起止，例如 {text[:4]}/{text[-4:]}（{text[:4]}{DASH}{text[-4:]}年）。"
    if "年" in text or "月" in text or "日" in text:
        return f"“{text}”：请用数字和连字符写日期，例如 1944-08-11（1944年8月11日）；可以写：{EXAMPLES}。"
    return f"“{text}”不是可识别的日期。可以写：{EXAMPLES}。"


# --- using -------------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def display(value: object) -> str:
    """Chinese display of an EDTF text, e.g. "1944-23" → "1944年秋"."""
    return parse(value).display()


_QUALIFIER_RANK = {(False, False): 0, (True, False): 1, (False, True): 2, (True, True): 3}


def sort_key(value: object) -> tuple:
    """Chronological order: first day it can mean, then the longer span first (a year before its months and
    days), then exact before approximate before doubtful, then the text itself (stable)."""
    date = parse(value)
    first, last = date.bounds()
    point = date if isinstance(date, Point) else (date.start or date.end)
    return (first.toordinal(), -last.toordinal(), _QUALIFIER_RANK[(point.approximate, point.uncertain)], str(value))


def bounds(value: object) -> tuple[dt.date, dt.date]:
    return parse(value).bounds()


def start_year(value: object) -> int:
    return bounds(value)[0].year


def hist_date_bounds(value: str | int | dt.date) -> tuple[str, str]:
    """The first and last day a date can mean (any EDTF date), as ISO text (which sorts correctly)."""
    if isinstance(value, dt.date):
        return value.isoformat(), value.isoformat()
    first, last = bounds(value)
    return first.isoformat(), last.isoformat()
