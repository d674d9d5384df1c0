"""Dates as coaches type them: a text box that reads "8 Dec", "08/12/2026" or "next Friday" and never loses it.

`read_date(text, today)` is the plain function behind the box (tests call it directly). It reads:

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

`DateField` is the widget: what was typed stays in the box, the date is shown back in words next to it, and a
date that cannot be used is refused with one sentence under it (its `.value` is then None and `.valid` False:
a form must check `.valid`, or `date_errors`, before it saves).
"""

from __future__ import annotations

import calendar
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping

import ipywidgets as widgets
import traitlets

from ..datafiles import packaged_text, parse_yaml, read_yaml
from ..exceptions import DataFileError, InvalidInputError
from ..text import long_date, short_date
from .markup import esc

SETTINGS_FILE = "dates.yaml"
WORKSPACE_ENV = "CALLKIT_WORKSPACE"
ORDERS = ("day_first", "month_first", "locale")
EXAMPLES = "8 Dec 2026, 2026-12-08 or next Friday"
PLACEHOLDER = "e.g. 8 Dec 2026"
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class DateInputError(InvalidInputError):
    """A typed date callkit cannot use; `text` is what was typed and `problem` the one sentence that says why."""

    def __init__(self, text: str, problem: str):
        self.text = text
        self.problem = problem
        super().__init__({"date": problem}, what="date")


# -- settings (callkit/data/dates.yaml, or the workspace's own) --------------------------------------------------
@dataclass(frozen=True)
class DateSettings:
    """How typed dates are read: the order of a numbers-only date, the years allowed, month and weekday words."""

    numeric_order: str = "locale"
    earliest_year: int = 2000
    latest_year: int = 2100
    months: Mapping[str, int] = field(default_factory=dict)  # word -> 1..12
    weekdays: Mapping[str, int] = field(default_factory=dict)  # word -> 0 (Monday) .. 6
    numbers: Mapping[str, int] = field(default_factory=dict)  # "two" -> 2
    source: str | None = None

    @property
    def day_first(self) -> bool:
        """True when 08/12/2026 reads as 8 December (the setting, or the computer's locale)."""
        if self.numeric_order == "locale":
            return locale_day_first()
        return self.numeric_order == "day_first"

    @classmethod
    def default(cls) -> "DateSettings":
        """callkit's own settings (callkit/data/dates.yaml)."""
        return _default_settings()

    @classmethod
    def for_workspace(cls, workspace: Any = None) -> "DateSettings":
        """The workspace's dates.yaml laid over callkit's (a path or a Workspace); callkit's when it has none."""
        if workspace is None:
            return cls.default()
        own = Path(str(getattr(workspace, "path", workspace))) / SETTINGS_FILE
        if not own.is_file():
            return cls.default()
        return _workspace_settings(str(own), own.stat().st_mtime_ns)

    @classmethod
    def current(cls) -> "DateSettings":
        """The settings of the workspace the page serves ($CALLKIT_WORKSPACE), else callkit's."""
        return cls.for_workspace(os.environ.get(WORKSPACE_ENV) or None)


def _settings_from(data: Any, source: str | None, base: Mapping[str, Any] | None = None) -> DateSettings:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DataFileError(source, "the date settings must be a mapping with numeric_order, earliest_year, ....")
    merged = {**(base or {}), **data}
    order = str(merged.get("numeric_order", "locale")).strip().lower().replace("-", "_").replace(" ", "_")
    if order not in ORDERS:
        raise DataFileError(source, f"numeric_order is {merged.get('numeric_order')!r}: use day_first, month_first "
                                    "or locale.")
    years = []
    for key in ("earliest_year", "latest_year"):
        value = merged.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise DataFileError(source, f"{key} must be a year like 2000.")
        years.append(value)
    if years[0] > years[1] or years[0] < 1 or years[1] > 9999:
        raise DataFileError(source, "earliest_year must come before latest_year, both between 1 and 9999.")
    return DateSettings(
        numeric_order=order, earliest_year=years[0], latest_year=years[1],
        months=_words(merged.get("months"), 12, "months", source, start=1),
        weekdays=_words(merged.get("weekdays"), 7, "weekdays", source, start=0),
        numbers=_numbers(merged.get("numbers"), source), source=source,
    )


def _words(value: Any, count: int, key: str, source: str | None, start: int) -> dict[str, int]:
    if not isinstance(value, list) or len(value) != count:
        raise DataFileError(source, f"{key} must list {count} entries, each a list of spellings.")
    out: dict[str, int] = {}
    for i, spellings in enumerate(value):
        spellings = spellings if isinstance(spellings, list) else [spellings]
        for word in spellings:
            text = str(word).strip().lower().rstrip(".")
            if not text.isalpha():
                raise DataFileError(source, f"{key}: {word!r} is not a word (letters only).")
            out[text] = i + start
    return out


def _numbers(value: Any, source: str | None) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, int) and v > 0 for v in value.values()):
        raise DataFileError(source, "numbers must map words to whole numbers, like two: 2.")
    return {str(k).strip().lower(): v for k, v in value.items()}


def _packaged_data() -> dict[str, Any]:
    data = parse_yaml(packaged_text(SETTINGS_FILE), SETTINGS_FILE, DataFileError)
    return dict(data or {})


@lru_cache(maxsize=1)
def _default_settings() -> DateSettings:
    return _settings_from(_packaged_data(), SETTINGS_FILE)


@lru_cache(maxsize=16)
def _workspace_settings(path: str, _mtime: int) -> DateSettings:
    return _settings_from(read_yaml(path, DataFileError, "date settings file"), path, base=_packaged_data())


def locale_day_first(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the computer's locale writes the day before the month (en_GB yes, en_US no); True when it sets none."""
    env = os.environ if environ is None else environ
    name = next((env[k] for k in ("LC_ALL", "LC_TIME", "LANG") if env.get(k)), "")
    return _locale_day_first(name.split(".")[0].split("@")[0].replace("-", "_"))


@lru_cache(maxsize=8)
def _locale_day_first(name: str) -> bool:
    if name in ("", "C", "POSIX"):
        return True
    from babel import Locale, UnknownLocaleError

    try:
        pattern = Locale.parse(name).date_formats["short"].pattern
    except (ValueError, TypeError, UnknownLocaleError):
        return True
    order = [ch for ch in pattern if ch in "yMd"]
    first = next((ch for ch in order if ch in "Md"), "d")
    return first == "d" or (order[:1] == ["y"])  # a year-first locale (ISO) reads day-first otherwise


# -- reading -----------------------------------------------------------------------------------------------------
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


def as_day(value: Any) -> date | None:
    """A date from a date, a datetime or None (what setting a DateField's value accepts besides text)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise traitlets.TraitError(f"A date field takes a date, text or None, not {type(value).__name__}.")


class _DayTrait(traitlets.TraitType):
    """A DateField's value: None is checked like any value (allow_none would skip the check that empties the box)."""

    default_value = None
    info_text = "a date, text or None"

    def validate(self, obj: Any, value: Any) -> Any:
        return value


# -- the widget --------------------------------------------------------------------------------------------------
class DateField(widgets.VBox):
    """A date box for the coaching page: type a date any usual way, see it back in words, keep what you typed.

    `.value` is the date (None when the box is empty or what is typed cannot be used); setting it fills the box
    in the page's format ("Tue 8 Dec 2026") - a string is read as if typed (a draft's ISO date, or a coach's text
    that could not be used, which then stays in the box with its sentence). `.text` is what the box holds,
    `.error` the sentence shown under it ("" when fine), `.valid` whether the box can be saved.
    `observe(..., names="value")` fires when the date changes; observe "text" to hear every edit.
    Drop-in for ipywidgets.DatePicker: `DateField(value=..., description="on", layout=Layout(width="200px"))`
    (the layout sizes the box).
    """

    value = _DayTrait()
    text = traitlets.Unicode("")
    error = traitlets.Unicode("")
    disabled = traitlets.Bool(False)

    def __init__(self, value: Any = None, description: str = "", placeholder: str = PLACEHOLDER,
                 layout: widgets.Layout | None = None, today: date | Callable[[], date] | None = None,
                 settings: DateSettings | None = None, css: str | None = None, compact: bool = False,
                 show_error: bool = True, **kwargs: Any):
        self._syncing = True  # set while callkit itself updates the box, so nothing is read twice
        self._today = today
        self._settings = settings
        width = getattr(layout, "width", None) or "200px"
        self.box = widgets.Text(placeholder=placeholder, continuous_update=False,
                                layout=widgets.Layout(width="100%" if compact else width))
        self.box.add_class("ck-date-input")
        self.shown = widgets.HTML("", layout=widgets.Layout(display="none"))
        self.shown.add_class("ck-date-shown")
        self.problem = widgets.HTML("", layout=widgets.Layout(display="none"))
        self.problem.add_class("ck-error")
        self.problem.add_class("ck-date-error")
        self.show_error = show_error
        parts: list[widgets.Widget] = []
        if description:
            parts.append(widgets.HTML(f'<span class="ck-date-label">{esc(description)}</span>'))
        parts += [self.box] + ([] if compact else [self.shown])
        line = widgets.HBox(parts, layout=widgets.Layout(align_items="center"))
        children = [line] + ([self.shown] if compact else []) + [self.problem]
        outer = widgets.Layout(width=width) if compact else widgets.Layout(width="auto")
        super().__init__(children, layout=outer, **kwargs)
        self.add_class("ck-date")
        if css:
            self.add_class(css)
        traitlets.link((self, "disabled"), (self.box, "disabled"))
        self.box.observe(self._typed, names="value")
        self._syncing = False
        if value is not None and value != "":
            self.value = value

    # -- what the form reads -----------------------------------------------------------------------------------
    @property
    def valid(self) -> bool:
        """True when the box is empty or holds a date that can be saved."""
        return not self.error

    @property
    def today(self) -> date:
        """The day "today", "tomorrow" and dates without a year are read from."""
        t = self._today
        return t() if callable(t) else (t or date.today())

    @property
    def settings(self) -> DateSettings:
        """How this box reads numbers-only dates and which years it allows."""
        return self._settings or DateSettings.current()

    def date_errors(self) -> dict[str, str]:
        """{"": sentence} when what is typed cannot be used, else {} (see `date_errors` for a whole form)."""
        return {"": self.error} if self.error else {}

    @property
    def kept_value(self) -> date | str | None:
        """What a draft keeps: the date, or the typed text when it cannot be used (setting `.value` to it restores it)."""
        return self.text if self.error else self.value

    # -- reading what was typed ----------------------------------------------------------------------------------
    def _typed(self, change: dict) -> None:
        if not self._syncing:
            self._apply(change["new"], *self._parse(change["new"]), set_value=True)

    @traitlets.observe("text")
    def _text_set(self, change: dict) -> None:
        if not self._syncing:
            self._fill(change["new"])
            self._apply(change["new"], *self._parse(change["new"]), set_value=True)

    def _parse(self, text: str) -> tuple[date | None, str]:
        try:
            return read_date(text, self.today, self.settings), ""
        except DateInputError as exc:
            return None, exc.problem

    def _apply(self, text: str, day: date | None, error: str, set_value: bool) -> None:
        """Show what `text` was read as (the words, or the sentence); the box itself is never touched here.

        The sentence and the date are set before the text, so whoever observes "value" or "text" reads them all new.
        """
        self._show(text, day, error)
        self._syncing = True
        try:
            self.error = error
            if set_value:
                self.value = day
            self.text = text
        finally:
            self._syncing = False

    @traitlets.validate("value")
    def _value_set(self, proposal: dict) -> date | None:
        new = proposal["value"]
        if self._syncing:
            return new
        if isinstance(new, str):  # a draft's ISO date, or text a coach typed that could not be used
            day, error = self._parse(new)
            text = long_date(day) if day else new
        else:
            day, error = as_day(new), ""
            text = long_date(day) if day else ""
        self._fill(text)
        self._apply(text, day, error, set_value=False)
        return day

    def _fill(self, text: str) -> None:
        self._syncing = True
        try:
            self.box.value = text
        finally:
            self._syncing = False

    def _show(self, text: str, day: date | None, error: str) -> None:
        words = long_date(day) if day else ""
        same = " ".join(text.split()).lower() == words.lower()
        self.shown.value = f"<span>{esc(words)}</span>" if words and not same else ""
        self.shown.layout.display = "" if self.shown.value else "none"
        self.problem.value = esc(error)
        self.problem.layout.display = "" if error and self.show_error else "none"
        if error:
            self.add_class("ck-date-invalid")
        else:
            self.remove_class("ck-date-invalid")


def date_errors(controls: Mapping[str, Any]) -> dict[str, str]:
    """The sentences of every date that cannot be used in a form's controls, keyed as InvalidInputError.errors.

    A DateField gives {"next_call": sentence}; a RowsEditor gives {"commitments.0.by": sentence} (0 = the index
    in its `.value`). A form raises InvalidInputError(date_errors(controls)) before building its record.
    """
    out: dict[str, str] = {}
    for name, control in controls.items():
        reader = getattr(control, "date_errors", None)
        if not callable(reader):
            continue
        for key, sentence in reader().items():
            out[f"{name}.{key}" if key else name] = sentence
    return out
