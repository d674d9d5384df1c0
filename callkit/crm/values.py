"""Cells as CRMs write them: dates in the exporter's locale, amounts with currency and thousands separators.

A Salesforce report exported in the US writes 3/14/2026, one exported in the UK 14/03/2026, HubSpot
2026-03-14 14:02; amounts come as 48000, 48,000.00, $48,000 or "EUR 48.000,50". A date column's format
is settled once for the whole column (a value like 25/03 shows the day comes first); when the column
cannot tell, the export's own habit decides (`day_first` or `month_first` in its profile).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Iterable

from ..csv_cells import CellError, finite_number

_ISO: tuple[str, ...] = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%Y/%m/%d")
_DAY_FIRST: tuple[str, ...] = ("%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M")
_MONTH_FIRST: tuple[str, ...] = ("%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p")
_WORDS: tuple[str, ...] = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d-%b-%y", "%b %d %Y")
_TIME_SUFFIX = re.compile(r"(?i)(?:\s+(?:[A-Z]{2,4}|[+-]\d{2}:?\d{2}))$")  # "... 10:12 AM PST", "+01:00"
_AMOUNT = re.compile(r"^[+-]?[\d.,' \u00a0\u202f]+$")
_CURRENCY = re.compile(r"(?i)^\s*(?:[A-Z]{3}|[$\u00a3\u20ac\u00a5])\s*|\s*(?:[A-Z]{3}|[$\u00a3\u20ac\u00a5])\s*$")


def _clean_date(text: str) -> str:
    value = " ".join(text.strip().split())
    return _TIME_SUFFIX.sub("", value) if ":" in value else value


def _try(value: str, formats: Iterable[str]) -> date | None:
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


class DateColumn:
    """The date format of one column, settled from all its values: ISO, day first, month first or with words."""

    def __init__(self, values: Iterable[str], habit: str = "day_first"):
        cleaned = [_clean_date(v) for v in values if v and v.strip()]
        self.formats: tuple[str, ...] = _ISO + _WORDS
        slashed = [v for v in cleaned if _try(v, _ISO + _WORDS) is None]
        if slashed:
            day_ok = all(_try(v, _DAY_FIRST) for v in slashed)
            month_ok = all(_try(v, _MONTH_FIRST) for v in slashed)
            if day_ok and not month_ok:
                order = _DAY_FIRST
            elif month_ok and not day_ok:
                order = _MONTH_FIRST
            else:  # every value reads both ways (or neither): the export's habit decides
                order = _MONTH_FIRST if habit == "month_first" else _DAY_FIRST
            self.formats = _ISO + order + _WORDS

    def parse(self, text: str) -> date | None:
        """The date in a cell; blank is None; anything else raises CellError with a sentence."""
        if not text or not text.strip():
            return None
        value = _clean_date(text)
        found = _try(value, self.formats)
        if found is None:
            raise CellError(f"{text.strip()!r} is not a date callkit can read: write it like 2026-03-14.")
        if not 1900 <= found.year <= 2100:
            raise CellError(f"{text.strip()!r} is a date in {found.year}: check the year.")
        return found


def parse_amount(text: str) -> float | None:
    """An amount with or without currency and separators: 48000, 48,000.50, $48,000, EUR 48.000,50; blank is None."""
    if not text or not text.strip():
        return None
    raw = text.strip()
    value = _CURRENCY.sub("", raw).strip()
    if value.startswith("(") and value.endswith(")"):
        value = "-" + value[1:-1]
    if not _AMOUNT.match(value):
        raise CellError(f"{raw!r} is not an amount: write it like 48000 or 48000.50.")
    grouped = re.split(r"[.,' \u00a0\u202f]", value.lstrip("+-"))
    if len(grouped) > 2 and any(len(g) not in (2, 3) for g in grouped[1:-1]):  # 1,2,3 is no number (1,23,456 is)
        raise CellError(f"{raw!r} is not an amount: write it like 48000 or 48000.50.")
    value = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    if "," in value and "." in value:
        decimal = "," if value.rfind(",") > value.rfind(".") else "."
        value = value.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif value.count(",") == 1 and len(value.split(",")[1]) != 3:
        value = value.replace(",", ".")  # 48000,50: a decimal comma
    else:
        value = value.replace(",", "")
        if value.count(".") > 1:
            value = value.replace(".", "")  # 1.234.567: dots as thousands
    number = finite_number(value, f"{raw!r} is not an amount: write it like 48000 or 48000.50.")
    if number < 0:
        raise CellError(f"{raw!r} is a negative amount: deal amounts are 0 or more.")
    return number
