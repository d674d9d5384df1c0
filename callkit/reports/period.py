"""The report period: by default the 12 weeks ending at the latest day the workspace's data speaks of."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ..exceptions import InvalidInputError

DEFAULT_WEEKS = 12


def parse_day(value: Any, what: str) -> date | None:
    """A date from a `date`, an ISO text like 2026-03-14, or None; anything else is an InvalidInputError."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInputError({what: f"The {what} date must be a date like 2026-03-14 (got {str(value)!r})."},
                                what="report period") from None


def resolve_period(since: Any, until: Any, latest: date | None, weeks: int = DEFAULT_WEEKS) -> tuple[date, date]:
    """(since, until) inclusive. Missing ends default to the `weeks` weeks ending at `latest`, the latest day
    the data speaks of (today only when the workspace has no data at all)."""
    start = parse_day(since, "since")
    end = parse_day(until, "until")
    span = timedelta(days=7 * weeks - 1)
    if end is None:
        end = start + span if start is not None else (latest or date.today())
    if start is None:
        start = end - span
    if start > end:
        raise InvalidInputError({"since": f"The period starts ({start}) after it ends ({end}): swap the dates."},
                                what="report period")
    return start, end


def previous_period(since: date, until: date) -> tuple[date, date]:
    """The period of the same length just before `since`..`until`: what the figures' changes compare with."""
    days = (until - since).days + 1
    end = since - timedelta(days=1)
    return end - timedelta(days=days - 1), end


def week_starts(since: date, until: date) -> list[date]:
    """The Monday of each calendar week (Monday to Sunday) the period touches: the first may begin before `since`."""
    first = since - timedelta(days=since.weekday())
    return [first + timedelta(days=7 * k) for k in range((until - first).days // 7 + 1)]


def week_index(day: date, since: date) -> int:
    """Which calendar week of the period (0-based, weeks start on Monday) a day falls in."""
    return (day - (since - timedelta(days=since.weekday()))).days // 7
