"""ISO 8601 dates of the metadata table: a day, a month, a year, or an interval.

One parser for the two places that read dates: validation of ``corpus/metadata.csv``
(:mod:`analysis.corpus.metadata`) and grouping documents by period
(:func:`analysis.measures.groups.date_range_groups`).
"""

from __future__ import annotations

import datetime as dt
import re

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _single(value: str) -> tuple[dt.date, dt.date]:
    m = _DATE_RE.match(value)
    if not m:
        raise ValueError("use YYYY, YYYY-MM, YYYY-MM-DD or A/B")
    year, month, day = int(m[1]), m[2], m[3]
    if day is not None:
        d = dt.date(year, int(month), int(day))
        return d, d
    if month is not None:
        first = dt.date(year, int(month), 1)
        following = dt.date(year + (int(month) == 12), int(month) % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YEAR_MONTH_DAY_SLASHED = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")


def _iso(year: str, month: str, day: str) -> str:
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _explain_other_order(value: str) -> str | None:
    """What is wrong with a date written in another common order, or None.

    ``01/12/2009`` may be 1 December or 12 January (day and month cannot be told
    apart); ``14/11/2009`` is day/month/year; ``2009/11/14`` uses slashes, which
    ISO 8601 keeps for intervals.
    """
    m = _DAY_MONTH_YEAR.match(value)
    if m:
        first, second, year = m.groups()
        if int(first) > 12 and int(second) > 12:
            return None
        if int(first) <= 12 and int(second) <= 12 and first != second:
            return (
                "the order of day and month is ambiguous (day/month or month/day?); write "
                f"ISO 8601 YYYY-MM-DD: {_iso(year, second, first)} if {int(first)} is the day, "
                f"{_iso(year, first, second)} if it is the month"
            )
        day, month = (first, second) if int(first) > 12 or first == second else (second, first)
        iso = _iso(year, month, day)
        return f"day, month and year in another order; write ISO 8601 YYYY-MM-DD: {iso}"
    m = _YEAR_MONTH_DAY_SLASHED.match(value)
    if m:
        return (
            f"write ISO 8601 YYYY-MM-DD with '-': {_iso(*m.groups())} ('/' separates the two "
            "ends of an interval)"
        )
    return None


def date_bounds(value: str) -> tuple[dt.date, dt.date]:
    """First and last day covered by ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``A/B``.

    Raises :class:`ValueError` saying what is wrong (bad form, a date in another
    order such as ``01/12/2009``, impossible day, more than one ``/``, an
    interval that ends before it starts).
    """
    explanation = _explain_other_order(value.strip())
    if explanation:
        raise ValueError(explanation)
    parts = value.strip().split("/")
    if len(parts) > 2:
        raise ValueError("at most one '/' (an ISO 8601 interval)")
    bounds = [_single(part) for part in parts]
    if len(bounds) == 2 and bounds[0][0] > bounds[1][0]:
        raise ValueError("the interval ends before it starts")
    return bounds[0][0], bounds[-1][1]


def precision_of(value: str) -> str:
    """The precision a well-formed date states: ``day``, ``month``, ``year`` or ``range``."""
    if "/" in value:
        return "range"
    return {0: "year", 1: "month", 2: "day"}[value.strip().count("-")]
