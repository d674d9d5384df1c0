"""How dates are read on this computer and in this workspace: callkit/data/dates.yaml, or the workspace's own
dates.yaml (numbers day first or month first, or as the computer's locale says; the month and weekday words)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from ..datafiles import packaged_text, parse_yaml, read_yaml
from ..exceptions import DataFileError

SETTINGS_FILE = "dates.yaml"
WORKSPACE_ENV = "CALLKIT_WORKSPACE"
ORDERS = ("day_first", "month_first", "locale")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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
