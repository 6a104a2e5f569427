"""Publication dates as articles and users write them: ISO first, dateutil for the rest, None when unknown."""

from __future__ import annotations

import datetime as dt
import re

UNKNOWN = {"", "unknown", "none", "null", "n/a", "~"}
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_date(value: object) -> dt.date | None:
    """ISO dates and timestamps (the common case) or anything dateutil reads; None when absent/unreadable."""
    if value is None or (isinstance(value, str) and value.strip().lower() in UNKNOWN):
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    match = _ISO_DATE.search(text)
    try:
        if match:
            return dt.date(*(int(g) for g in match.groups()))
        from dateutil import parser

        return parser.parse(text).date()
    except (ValueError, OverflowError):
        return None


def date_int(value: dt.date | None) -> int | None:
    """2024-11-30 → 20241130: a date as a sortable integer (Chroma metadata and numpy filter columns)."""
    return value.year * 10000 + value.month * 100 + value.day if value else None
