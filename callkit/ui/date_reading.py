"""The date a coach typed, read: `read_date(text, today)` is the plain function behind a DateField (tests call it
directly). It reads:

- a year first: 2026-12-08, 2026/12/08 (always year, month, day);
- numbers only: 08/12/2026, 8.12.26, 8/12 - day first or month first as dates.yaml says (`numeric_order`:
  day_first, month_first, or the computer's locale; day first when the locale sets none). When only one reading
  is a real date (12/31/2026) that one is taken;
- words: 8 Dec 2026, 8th of December, December 8, 2026, Tue 8 Dec 2026 (the page's own format; a weekday
  that does not match the date is refused);
- today, tomorrow, yesterday, Friday / this Friday (the coming Friday, today when it is Friday), next Friday
  (the first Friday after today), last Friday, Friday next week, in 2 weeks, in three days, 2 weeks from now,
  3 days ago, next week, next month, end of the month.

Without a year ("8 Dec", "8/12") the date is the nearest one to today: "8 Jan" typed on 20 Dec is next January.
An impossible date (02/30/2027, 31/31/2026) or a year outside 2000-2100 raises DateInputError with one sentence.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..exceptions import InvalidInputError
from ..text import short_date
from .date_settings import MONTH_NAMES, WEEKDAY_NAMES, DateSettings

EXAMPLES = "8 Dec 2026, 2026-12-08 or next Friday"  # what a refusal says to type

class DateInputError(InvalidInputError):
    """A typed date callkit cannot use; `text` is what was typed and `problem` the one sentence that says why."""

    def __init__(self, text: str, problem: str):
        self.text = text
        self.problem = problem
        super().__init__({"date": problem}, what="date")


@dataclass(frozen=True)
class DateReading:
    """What a typed date was read as: the day, and whether a numbers-only date could have been read both ways."""

    day: date
    ambiguous: bool = False  # 08/12/2026: both 8 December and 12 August are real dates
    day_first: bool | None = None  # for a numbers-only date, the order used


_ISO = re.compile(r"^(\d{4,})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d+))?$")
_DAY_MONTH = re.compile(r"^(\d{1,2}) ([a-z]+)(?: (\d+))?$")
_MONTH_DAY = re.compile(r"^([a-z]+) (\d{1,2})(?: (\d+))?$")
_SHIFT = re.compile(r"^(?:in )?(\w+) (day|week|fortnight|month|year)s?(?: (from now|from today|later|ago))?$")
_UNITS = {"day": (1, 0), "week": (7, 0), "fortnight": (14, 0), "month": (0, 1), "year": (0, 12)}


def read_date(text: str | None, today: date | None = None, settings: DateSettings | None = None,
              day_first: bool | None = None) -> date | None:
    """The date a coach typed, None when the box is empty; DateInputError (one sentence) when it cannot be used.

    `today` anchors "tomorrow", "next Friday" and dates without a year (default: the computer's date);
    `day_first` overrides dates.yaml's numeric_order for a numbers-only date like 08/12/2026.
    """
    reading = read_date_detail(text, today, settings, day_first)
    return reading.day if reading else None


def read_date_detail(text: str | None, today: date | None = None, settings: DateSettings | None = None,
                     day_first: bool | None = None) -> DateReading | None:
    """Like read_date, with how it was read (a numbers-only date that could be either way is `ambiguous`)."""
    raw = (text or "").strip()
    if not raw:
        return None
    settings = settings or DateSettings.current()
    today = today or date.today()
    reader = _Reader(raw, today, settings, settings.day_first if day_first is None else day_first)
    return reader.read()


def _normalise(text: str) -> str:
    s = text.lower().replace(",", " ")
    s = re.sub(r"(?<=[a-z])\.", " ", s)  # "dec." -> "dec"
    s = re.sub(r"(?<=[a-z])[-/]|[-/](?=[a-z])", " ", s)  # 8-Dec-2026 -> 8 dec 2026
    s = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1", s)  # 8th -> 8
    s = re.sub(r"\s+", " ", s).strip().rstrip(".").strip()
    s = re.sub(r"^(?:on|the) ", "", s)
    s = re.sub(r"(\d) of ([a-z])", r"\1 \2", s)  # 8 of december
    return s


class _Reader:
    """One typed text being read; every refusal is a DateInputError with one sentence."""

    def __init__(self, raw: str, today: date, settings: DateSettings, day_first: bool):
        self.raw = raw
        self.today = today
        self.settings = settings
        self.day_first = day_first
        self.text = _normalise(raw)

    # sentences
    def refuse(self, problem: str) -> DateInputError:
        return DateInputError(self.raw, problem)

    def unreadable(self) -> DateInputError:
        shown = self.raw if len(self.raw) <= 40 else self.raw[:37] + "..."
        return self.refuse(f"“{shown}” is not a date callkit can read: type it like {EXAMPLES}.")

    def year_out_of_range(self, year: int) -> DateInputError:
        lo, hi = self.settings.earliest_year, self.settings.latest_year
        return self.refuse(f"The year {year} in “{self.raw}” is out of range: type a year from {lo} to {hi}.")

    def not_real(self, reason: str) -> DateInputError:
        return self.refuse(f"“{self.raw}” is not a real date: {reason}.")

    # reading
    def read(self) -> DateReading:
        relative = self.relative(self.text)
        if relative is not None:
            return DateReading(self.in_range(relative))
        words = self.text.split(" ")
        weekday = self.settings.weekdays.get(words[0]) if len(words) > 1 else None
        rest = " ".join(words[1:]) if weekday is not None else self.text
        return self.absolute(rest, weekday)

    def in_range(self, day: date) -> date:
        if not self.settings.earliest_year <= day.year <= self.settings.latest_year:
            raise self.year_out_of_range(day.year)
        return day

    def number(self, word: str) -> int | None:
        if word.isdigit():
            return int(word)
        return self.settings.numbers.get(word)

    def relative(self, s: str) -> date | None:
        today, weekdays = self.today, self.settings.weekdays
        fixed = {"today": 0, "now": 0, "tomorrow": 1, "yesterday": -1, "day after tomorrow": 2,
                 "day before yesterday": -2}
        if s in fixed:
            return today + timedelta(days=fixed[s])
        m = re.fullmatch(r"(?:(this|coming|next|last) )?([a-z]+)", s)
        if m and m.group(2) in weekdays:
            target, which = weekdays[m.group(2)], m.group(1)
            if which == "last":
                return today - timedelta(days=(today.weekday() - target - 1) % 7 + 1)
            ahead = (target - today.weekday()) % 7
            if which in ("next", "coming") and ahead == 0:
                ahead = 7
            return today + timedelta(days=ahead)
        m = re.fullmatch(r"([a-z]+) next week|next week(?: on)? ([a-z]+)", s)
        if m and (m.group(1) or m.group(2)) in weekdays:
            monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
            return monday + timedelta(days=weekdays[m.group(1) or m.group(2)])
        if s in ("next week", "next month", "next year"):
            return self.shift(1, s.split(" ")[1], today)
        m = re.fullmatch(r"end of (?:the |this )?(next )?month", s)
        if m:
            first = _add_months(today.replace(day=1), 1 if m.group(1) else 0)
            return first.replace(day=calendar.monthrange(first.year, first.month)[1])
        m = _SHIFT.fullmatch(s)
        if m and (s.startswith("in ") or m.group(3)):
            count = self.number(m.group(1))
            if count is None:
                return None
            sign = -1 if m.group(3) == "ago" else 1
            return self.shift(sign * count, m.group(2), today)
        return None

    def shift(self, count: int, unit: str, today: date) -> date:
        days, months = _UNITS[unit]
        try:
            if months:
                return _add_months(today, count * months)
            return today + timedelta(days=count * days)
        except (OverflowError, ValueError):  # beyond year 9999 (or before year 1)
            years = count * months / 12 if months else count * days / 365.25
            raise self.year_out_of_range(today.year + round(years)) from None

    def absolute(self, s: str, weekday: int | None) -> DateReading:
        m = _ISO.fullmatch(s)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return self.choose([(y, mo, d)], weekday, year_given=True)
        m = _NUMERIC.fullmatch(s)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            year = self.year(m.group(3))
            orders = [True, False] if self.day_first else [False, True]
            candidates: list[tuple[int | None, int, int]] = [(year, b, a) if dm else (year, a, b) for dm in orders]
            if a == b:
                candidates = candidates[:1]
            reading = self.choose(candidates, weekday, year_given=year is not None, orders=orders)
            return reading
        for pattern, month_first in ((_DAY_MONTH, False), (_MONTH_DAY, True)):
            m = pattern.fullmatch(s)
            if not m:
                continue
            month_word, day_text = (m.group(1), m.group(2)) if month_first else (m.group(2), m.group(1))
            month = self.settings.months.get(month_word)
            if month is None:
                break
            return self.choose([(self.year(m.group(3)), month, int(day_text))], weekday,
                               year_given=m.group(3) is not None)
        raise self.unreadable()

    def year(self, text: str | None) -> int | None:
        if text is None:
            return None
        value = int(text)
        return 2000 + value if len(text) == 2 else value

    def choose(self, candidates: list[tuple[int | None, int, int]], weekday: int | None, year_given: bool,
               orders: list[bool] | None = None) -> DateReading:
        """The first candidate (year, month, day) that is a real date (and falls on `weekday` when one was typed)."""
        if year_given:
            year = candidates[0][0]
            assert year is not None
            if not self.settings.earliest_year <= year <= self.settings.latest_year:
                raise self.year_out_of_range(year)
        real: list[tuple[date, bool | None]] = []
        for i, (y, mo, d) in enumerate(candidates):
            found = self.real_date(y, mo, d)
            if found is not None:
                real.append((found, orders[i] if orders else None))
        if not real:
            raise self.why_not(candidates)
        if weekday is not None:
            matching = [r for r in real if r[0].weekday() == weekday]
            if not matching:
                first = real[0][0]
                raise self.refuse(f"“{self.raw}” does not add up: {short_date(first)} is a "
                                  f"{WEEKDAY_NAMES[first.weekday()]}, not a {WEEKDAY_NAMES[weekday]}.")
            real = matching
        chosen, order = real[0]
        return DateReading(self.in_range(chosen), ambiguous=len(real) > 1 and real[0][0] != real[1][0], day_first=order)

    def real_date(self, year: int | None, month: int, day: int) -> date | None:
        if not 1 <= month <= 12 or day < 1:
            return None
        if year is not None:
            return date(year, month, day) if day <= calendar.monthrange(year, month)[1] else None
        options = []
        for y in (self.today.year - 1, self.today.year, self.today.year + 1):
            if day <= calendar.monthrange(y, month)[1]:
                d = date(y, month, day)
                options.append((abs((d - self.today).days), d < self.today, d))
        return min(options)[2] if options else None

    def why_not(self, candidates: list[tuple[int | None, int, int]]) -> DateInputError:
        with_month = [c for c in candidates if 1 <= c[1] <= 12]
        if not with_month:
            return self.not_real("a month is a number from 1 to 12")
        year, month, day = with_month[0]
        if day < 1:
            return self.not_real("days start at 1")
        if year is None:
            if (month, day) == (2, 29):
                leap = next(y for y in range(self.today.year, self.today.year + 8) if calendar.isleap(y))
                return self.not_real(f"29 February is only in leap years, so add the year (29 Feb {leap})")
            longest = max(calendar.monthrange(y, month)[1] for y in (2027, 2028))
            return self.not_real(f"{MONTH_NAMES[month - 1]} has {longest} days")
        return self.not_real(f"{MONTH_NAMES[month - 1]} {year} has {calendar.monthrange(year, month)[1]} days")


def _add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative); the month's last day when it is shorter (31 Jan + 1)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise OverflowError("year out of range")
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
