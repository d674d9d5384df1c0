"""How callkit writes for people: the rep's words quoted, lists joined, things counted, dates shown.

Every finding, page, email and report says these things the same way because they all come from here:
a rep's words on one line cut at a word ("We book a trial review with…"), "a, b and c", "1 deal" /
"3 deals", and one date format ("Tue 24 Nov 2026", or "24 Nov 2026" where the weekday does not fit).
Nothing here knows about sales; callkit/scoring/english.py knows the English dictionary it uses for plurals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

#: How many characters of a rep's words a finding quotes before cutting at a word.
QUOTE_CHARS = 90

#: Shown where a date is missing (a deal with no close date, a call with no date yet).
NO_DATE = "no date"


def quote(text: str | None, limit: int = QUOTE_CHARS) -> str:
    """The rep's words on one line, cut at a word after `limit` characters with an ellipsis ("…")."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] if " " in flat[:limit] else flat[: limit - 1]
    return cut.rstrip(" ,;:-") + "…"


def quote_list(texts: Iterable[str], shown: int = 3, limit: int = 60) -> str:
    """Up to `shown` of the rep's texts, quoted and joined: '"a", "b" and 2 more'."""
    items = [f'"{quote(t, limit)}"' for t in texts]
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


def join(parts: Sequence[str] | Iterable[str], word: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' ('or' for choices)."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {word} " + parts[-1]


def plural(noun: str) -> str:
    """The plural of a noun, or of a phrase's last word: 'rep' -> 'reps', 'new company' -> 'new companies'."""
    from .scoring.english import plural as dictionary_plural  # lemminflect's tables load on first use

    return dictionary_plural(noun)


def counted(n: int, noun: str, many: str | None = None) -> str:
    """'1 new rep', '3 new reps', '1,889 open deals', '0 problems': a number with its noun in the right number.

    Give `many` for a plural the dictionary does not know ("1 criterion", "2 criteria").
    """
    if n == 1:
        return f"{n:,} {noun}"
    return f"{n:,} {many or plural(noun)}"


def to_date(day: date | datetime | str | None) -> date | None:
    """A date from a date, a datetime or an ISO text ('2026-11-24', '2026-11-24T09:30'); None for None or ''."""
    if day is None or day == "":
        return None
    if isinstance(day, datetime):
        return day.date()
    if isinstance(day, date):
        return day
    return date.fromisoformat(str(day)[:10])


def short_date(day: date | datetime | str | None) -> str:
    """'24 Nov 2026' (a date, or an ISO text like '2026-11-24'), or 'no date': for sentences and table cells."""
    day = to_date(day)
    if day is None:
        return NO_DATE
    return f"{day.day} {day:%b %Y}"


def long_date(day: date | datetime | str | None) -> str:
    """'Tue 24 Nov 2026', or 'no date': callkit's one date format (the date boxes show it too)."""
    day = to_date(day)
    if day is None:
        return NO_DATE
    return f"{day:%a} {short_date(day)}"


def date_range(since: date | str, until: date | str) -> str:
    """'1 Jan 2030 to 25 Mar 2030' (both days included), or one date when they are the same day."""
    a, b = short_date(since), short_date(until)
    return a if a == b else f"{a} to {b}"


def escape_html(value: object) -> str:
    """Any value as text safe inside HTML, quotes included (None becomes an empty string): the one escaping
    every page, report and file callkit writes uses for what a rep or a CRM typed."""
    import html

    return "" if value is None else html.escape(str(value), quote=True)
