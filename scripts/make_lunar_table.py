"""Print the lunar-calendar table of build_hooks/heritage/text/lunar.py (1849–2051), computed with lunar-python.

Run in a throwaway environment (the site does not depend on lunar-python):
    python3 -m venv /tmp/lunar && /tmp/lunar/bin/pip install lunar-python==1.4.8 && /tmp/lunar/bin/python scripts/make_lunar_table.py
"""

from __future__ import annotations

import datetime as dt

from lunar_python import LunarYear, Solar


def record(year: int) -> str:
    months = [m for m in LunarYear.fromYear(year).getMonths() if m.getYear() == year]
    assert months[0].getMonth() == 1, year
    leap = next((abs(m.getMonth()) for m in months if m.getMonth() < 0), 0)
    bits = sum(1 << i for i, m in enumerate(months) if m.getDayCount() == 30)
    solar = Solar.fromJulianDay(months[0].getFirstJulianDay())
    new_year = dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
    return f"{new_year.month * 100 + new_year.day:03d}{leap:x}{bits:04x}"


if __name__ == "__main__":
    records = [record(year) for year in range(1849, 2052)]
    for start in range(0, len(records), 10):
        print('        "' + " ".join(records[start : start + 10]) + '"')
