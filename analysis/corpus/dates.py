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


def date_bounds(value: str) -> tuple[dt.date, dt.date]:
    """First and last day covered by ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``A/B``.

    Raises :class:`ValueError` saying what is wrong (bad form, impossible day,
    more than one ``/``, an interval that ends before it starts).
    """
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
