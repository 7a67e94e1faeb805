"""Reporting periods: months written YYYY-MM, ranges written YYYY-MM..YYYY-MM."""

from __future__ import annotations

import datetime as dt
import re

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> tuple[int, int]:
    """(year, month) of a YYYY-MM string; anything else is a ValueError naming the text."""
    m = _MONTH.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"period {text!r} is not a month written YYYY-MM")
    return int(m.group(1)), int(m.group(2))


def months_of(period: str) -> list[str]:
    """Every month of a period, in order: '2025-03' -> ['2025-03']; a range -> each month."""
    if ".." not in period:
        parse_month(period)
        return [period.strip()]
    start, end = (p.strip() for p in period.split("..", 1))
    (y, m), (ye, me) = parse_month(start), parse_month(end)
    out = []
    while (y, m) <= (ye, me):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of a month."""
    y, m = parse_month(month)
    first = dt.date(y, m, 1)
    nxt = dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def month_of(day: dt.date) -> str:
    """The YYYY-MM month a date falls in."""
    return f"{day.year:04d}-{day.month:02d}"


def previous_month(month: str) -> str:
    y, m = parse_month(month)
    return f"{y - 1:04d}-12" if m == 1 else f"{y:04d}-{m - 1:02d}"
