"""dates: uncertain historical dates in EDTF, read, checked, ordered and written in Chinese as historians write them."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from heritage.core import dates
from heritage.core.dates import DateError, Interval, Point


@pytest.mark.parametrize(
    "edtf, chinese",
    [
        ("1944", "1944年"),
        ("1944-08", "1944年8月"),
        ("1944-08-11", "1944年8月11日"),
        ("1944-21", "1944年春"),
        ("1944-22", "1944年夏"),
        ("1944-23", "1944年秋"),
        ("1944-24", "1944年冬"),
        ("1939-40", "1939年上半年"),
        ("1944-41", "1944年下半年"),
        ("1938~", "约1938年"),
        ("1944-08~", "约1944年8月"),
        ("1906?", "1906年（存疑）"),
        ("1938%", "约1938年（存疑）"),
        ("1942/1945", "1942—1945年"),
        ("1944-07/1944-08", "1944年7—8月"),
        ("1943-12/1945-05", "1943年12月—1945年5月"),
        ("1945-07-06/1945-07-22", "1945年7月6—22日"),
        ("1945-06-29/1945-07-07", "1945年6月29日—7月7日"),
        ("1944-12-30/1945-01-02", "1944年12月30日—1945年1月2日"),
        ("1943-12/1945", "1943年12月—1945年"),
        ("1944-03/1944", "1944年3月—1944年"),
        ("1942~/1945", "约1942年—1945年"),
        ("1942-21/1945-21", "1942年春—1945年春"),
        ("1944-07/..", "1944年7月起"),
        ("../1945", "1945年以前"),
        ("1944/", "1944年—？"),
        ("/1945", "？—1945年"),
        ("农历1919-08-30", "农历1919年八月三十"),
        ("农历1938-08-18", "农历1938年八月十八"),
        ("农历1919-01-05", "农历1919年正月初五"),
        ("农历1910-12", "农历1910年十二月"),
        ("农历1919-闰07-20", "农历1919年闰七月二十"),
        ("农历1919", "农历1919年"),
        ("农历1919-08-30?", "农历1919年八月三十（存疑）"),
        (1943, "1943年"),  # YAML reads a bare year as a number
    ],
)
def test_displayed_as_a_historian_writes_it(edtf, chinese):
    assert dates.display(edtf) == chinese


@pytest.mark.parametrize(
    "day, chinese", [(1, "初一"), (5, "初五"), (10, "初十"), (11, "十一"), (19, "十九"), (20, "二十"), (21, "二十一"), (30, "三十")]
)
def test_lunar_days(day, chinese):
    assert dates.lunar_day(day) == chinese


def test_parsed_structure():
    assert dates.parse("1944-23~") == Point(1944, season=23, approximate=True)
    assert dates.parse("1942/1945") == Interval(Point(1942), Point(1945))
    assert dates.parse("1944/..") == Interval(Point(1944), None, open_end=True)
    assert dates.parse("/1945") == Interval(None, Point(1945))
    assert dates.parse("农历1919-闰07-15") == Point(1919, 7, 15, lunar=True, leap_month=True)


@pytest.mark.parametrize(
    "edtf, first, last",
    [
        ("1944", "1944-01-01", "1944-12-31"),
        ("1944-02", "1944-02-01", "1944-02-29"),  # a leap year
        ("1943-02", "1943-02-01", "1943-02-28"),
        ("1944-21", "1944-02-01", "1944-04-30"),  # Chinese seasons by solar term, rounded to months
        ("1944-24", "1944-11-01", "1945-01-31"),  # winter runs into the next year
        ("1944-41", "1944-07-01", "1944-12-31"),
        ("1942/1945-05", "1942-01-01", "1945-05-31"),
        ("农历1944", "1944-01-21", "1945-02-20"),  # the lunar new year falls between 21 January and 20 February
    ],
)
def test_bounds(edtf, first, last):
    assert dates.bounds(edtf) == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))


@pytest.mark.parametrize(
    "lunar, gregorian",
    [
        # Known conversions (lunar → Gregorian), never made by the site: the bounds must contain the true day.
        ("农历1938-08-18", "1938-10-11"),  # the day of the Japanese ships off 虎头门, as a source gives both
        ("农历1944-08-15", "1944-10-02"),  # Mid-Autumn 1944
        ("农历1949-01-01", "1949-01-29"),
        ("农历1985-01-01", "1985-02-20"),  # the latest new year of the century
        ("农历1966-01-01", "1966-01-21"),  # the earliest
        ("农历1941-12-30", "1942-02-14"),  # the last day of a lunar year, in the next Gregorian year
    ],
)
def test_lunar_bounds_contain_the_true_day(lunar, gregorian):
    first, last = dates.bounds(lunar)
    assert first <= dt.date.fromisoformat(gregorian) <= last


# In order: a longer span first among dates that start on the same day (an interval before the year it starts in,
# a year before its half-year, months and days); exact before approximate before doubtful; a lunar date by the
# first day it can be.
TIMELINE_ORDER = [
    "1944/1946",
    "../1944",
    "1944",
    "1944~",
    "1944?",
    "1944-40",
    "1944-01",
    "1944-01-01",
    "1944-21",
    "1944-02",
    "1944-02-11",
    "1944-02-11~",
    "1944-07/..",
    "1944-23",  # autumn starts in August, before the earliest day 农历八月十五 can be
    "农历1944-08-15",
]


def test_timeline_order_on_tricky_dates():
    for seed in range(5):
        shuffled = TIMELINE_ORDER[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled, key=dates.sort_key) == TIMELINE_ORDER


def test_an_interval_sorts_by_its_start_and_a_year_before_its_days():
    assert dates.sort_key("1942/1945") < dates.sort_key("1943")
    assert dates.sort_key("1944") < dates.sort_key("1944-01-01")
    assert dates.sort_key("1944-24") < dates.sort_key("1944-12-01")  # winter starts in November


@pytest.mark.parametrize(
    "text, message",
    [
        ("1944年秋", "1944-23"),
        ("约1938", "1938~"),
        ("1942-1945", "1942/1945"),
        ("1944年8月11日", "1944-08-11"),
        ("1944-13", "季节写作 21 春"),
        ("1944-25", "季节写作 21 春"),
        ("1944-00", "月份应为 01–12"),
        ("1943-02-29", "这一天不存在"),
        ("1945/1942", "起点晚于终点"),
        ("../..", "至少要写明起点或终点"),
        ("1942/1943/1944", "只能有一个斜线"),
        ("农历1919-13", "农历月份应为 01–12"),
        ("农历1919-08-31", "最多 30 天"),
        ("农历1919/1920", "农历日期写作"),
        ("1919/农历1920", "不能用于区间"),
        ("194", "不是可识别的日期"),
        ("", "不能为空"),
    ],
)
def test_refused_with_a_chinese_hint(text, message):
    with pytest.raises(DateError) as info:
        dates.parse(text)
    assert message in str(info.value)


@pytest.mark.parametrize("value", [True, None, 19.44, ["1944"]])
def test_only_text_or_a_year_is_a_date(value):
    with pytest.raises(DateError):
        dates.parse(value)


def test_json_schema_pattern_agrees_with_the_parser():
    import re

    good = ["1944", "1944-08-11", "1944-23", "1938~", "1942/1945", "1944/..", "../1945", "1944/", "/1945", "农历1919-闰07-15"]
    bad = ["1944年", "1944-08-11-01", "..", "/", "1944-25", "农历1919/1920"]
    for text in good:
        assert re.match(dates.PATTERN, text), text
        dates.parse(text)
    for text in bad:
        assert not re.match(dates.PATTERN, text), text
