"""The Chinese lunisolar calendar (农历) from 1849 to 2051, by table: a lunar date as the Gregorian days it can mean,
and a Gregorian day as its lunar date. Used by the claim check (stages/support.py) to compare a 农历 date in a
sentence or an excerpt with a Gregorian one; the site itself never shows a converted date (core/dates.py).

One 8-character record per lunar year from 1849: the Gregorian month and day of 正月初一 (``MDD``), the leap month
(hex, 0 for none) and the month lengths (hex bit mask, bit i set when the i-th month of the year, the leap month
counted in its place, has 30 days rather than 29). The table was computed with lunar-python 1.4.8 (the 寿星万年历
algorithms, which follow the historical calendars, the Qing 时宪历 before 1912) by scripts/make_lunar_table.py;
tests/test_support.py checks it against conversions given in historical sources.

Reign years (宣统二年) are lunar years: 宣统元年 is the lunar year that began in 1909. 民国 years are Gregorian years
(民国元年 = 1912), so they are never lunar.
"""

from __future__ import annotations

import datetime as dt
import functools

FIRST_YEAR = 1849
_TABLE = (
    "12441aa5 21200b25 20181a4b 2200094d 20800aad 1297156a 217005b4 20600ba9 12651d52 21400d92 "
    "20300d25 12331a4d 21000956 130812b5 21800ad6 208006d4 12750da9 21500ec9 20500e92 12540d26 "
    "21100527 131a0a57 2190095b 20900b5a 129616d4 21700754 20600749 12651693 21300a93 2020052b "
    "12230a5b 2100096d 13070b6a 21800daa 20800ba4 12851b49 21500d49 20400a95 1244152b 2120052d "
    "13100aad 1212156a 20900daa 13061da4 21700ea4 20600d4a 12650a95 21300a97 20200556 12230ab5 "
    "21000ad5 131816d2 21900752 20800ea5 1295164a 2160064b 20400a9b 12541556 2130056a 20200b59 "
    "12221752 21000752 13061b25 21800b25 20600a4b 126514ab 214002ad 2030056b 12320b69 21100da9 "
    "20171d92 22000e92 20800d25 12851a4d 21600a56 205002b6 124415b5 213006d4 20200ea9 12321e92 "
    "21000e92 13060d26 2170052b 20600a57 126512b6 21400b5a 204006d4 12430ec9 21100749 13171693 "
    "21900a93 2080052b 12760a5b 21500aad 2050056a 12541b55 21300ba4 20200b49 12221a93 21000a95 "
    "1297152d 21700536 20600aad 127515aa 214005b2 20300da5 12431d4a 21200d4a 13180a95 21800a97 "
    "20800556 12860ab5 21500ad5 205006d2 12540ea5 21300ea5 2020064a 12130c97 20900a9b 1307155a "
    "2170056a 20600b69 12751752 21500b52 20300b25 1234164b 21100a4b 131814ab 218002ad 2070056d "
    "12860b69 21600da9 20500d92 12541d25 21300d25 202a1a4d 22000a56 209002b6 129605b5 217006d5 "
    "20600ea9 12751e92 21500e92 20400d26 12330a56 21000a57 131814d6 2190035a 207006d5 128516c9 "
    "21600749 20500693 1244152b 2120052b 20100a5b 1222155a 2090056a 12971b55 21800ba4 20700b49 "
    "12651a93 21400a95 2030052d 12340aad 21000ab5 131915aa 219005d2 20800da5 12861d4a 21600d4a "
    "20500c95 1254152e 21200556 20100ab5 122215b2 210006d2 12960ea5 21700725 2060064b 12650c97 "
    "21300cab 2030055a 12330ad6 21100b69 131b1752 21900b52 20800b25 12861a4b 21500a4b 204004ab "
    "1245055b 212005ad 20100b6a 12221b52 21000d92 13071d25 21700d25 20600a55 126514ad 214004b6 "
    "202005b5 12330daa 21100ec9 "
).split()
LAST_YEAR = FIRST_YEAR + len(_TABLE) - 1

# Reign titles of the Qing and the first year of each, as a lunar year (元年).
REIGNS = {"道光": 1821, "咸丰": 1851, "咸豐": 1851, "同治": 1862, "光绪": 1875, "光緒": 1875, "宣统": 1909, "宣統": 1909}
MINGUO = 1911  # 民国N年 = the Gregorian year 1911 + N

_NUMERALS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_MONTH_NAMES = {"正": 1, "冬": 11, "腊": 12, "臘": 12}


class LunarError(ValueError):
    """A lunar date outside the table, or one that never was (the 30th of a short month, a leap month that was not)."""


@functools.cache
def year_months(year: int) -> tuple[dt.date, tuple[tuple[int, bool, int], ...]]:
    """正月初一 of lunar ``year`` and its months in order: (month, is the leap month, days)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise LunarError(f"农历年份 {year} 不在换算表的范围（{FIRST_YEAR}—{LAST_YEAR}）内")
    record = _TABLE[year - FIRST_YEAR]
    new_year = dt.date(year, int(record[0]), int(record[1:3]))
    leap, bits = int(record[3], 16), int(record[4:], 16)
    months, number = [], 0
    for index in range(13 if leap else 12):
        is_leap = bool(leap) and index == leap
        number += 0 if is_leap else 1
        months.append((number, is_leap, 30 if bits >> index & 1 else 29))
    return new_year, tuple(months)


def to_gregorian(year: int, month: int | None = None, day: int | None = None, leap: bool = False) -> tuple[dt.date, dt.date]:
    """The first and last Gregorian day of a lunar year, month (``leap``: the leap month of that number) or day."""
    new_year, months = year_months(year)
    if month is None:
        return new_year, new_year + dt.timedelta(days=sum(m[2] for m in months) - 1)
    start = new_year
    for number, is_leap, days in months:
        if number == month and is_leap == leap:
            if day is None:
                return start, start + dt.timedelta(days=days - 1)
            if not 1 <= day <= days:
                raise LunarError(f"农历{year}年{'闰' if leap else ''}{month}月只有 {days} 天")
            found = start + dt.timedelta(days=day - 1)
            return found, found
        start += dt.timedelta(days=days)
    raise LunarError(f"农历{year}年没有{'闰' if leap else ''}{month}月")


def from_gregorian(day: dt.date) -> tuple[int, int, int, bool]:
    """The lunar (year, month, day, is a leap month) of a Gregorian day."""
    year = day.year if day >= year_months(day.year)[0] else day.year - 1
    start, months = year_months(year)
    for number, is_leap, days in months:
        if day < start + dt.timedelta(days=days):
            return year, number, (day - start).days + 1, is_leap
        start += dt.timedelta(days=days)
    raise LunarError(f"{day.isoformat()} 不在换算表的范围内")  # pragma: no cover - the table has no gaps


def numeral(text: str) -> int | None:
    """A small Chinese numeral as written in dates: 三, 十二, 二十三, 廿三, 卅, 三十; or Arabic digits."""
    if text.isdigit():
        return int(text)
    text = text.replace("廿", "二十").replace("卅", "三十")
    if text in _NUMERALS:
        return _NUMERALS[text]
    if "十" in text:
        tens, _, ones = text.partition("十")
        if (tens and tens not in _NUMERALS) or (ones and ones not in _NUMERALS):
            return None
        return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[ones] if ones else 0)
    return None


def month_number(text: str) -> int | None:
    """正 → 1, 冬 → 11, 腊 → 12, 八 → 8, 十一 → 11."""
    if text in _MONTH_NAMES:
        return _MONTH_NAMES[text]
    found = numeral(text)
    return found if found is not None and 1 <= found <= 12 else None


def day_number(text: str) -> int | None:
    """初一 … 初十, 十一 …, 二十, 廿一, 三十: the day of a lunar month."""
    found = numeral(text[1:] if text.startswith("初") else text)
    return found if found is not None and 1 <= found <= 30 else None
