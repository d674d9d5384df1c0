"""A workspace's settings: an optional settings.yaml in the workspace folder that a coach may write.

```yaml
time_zone: Europe/Berlin   # the time zone of the workspace's calls (an IANA name); default: this computer's
```

Without the file every setting has its default. A setting callkit does not know, or a value it cannot use,
raises SettingsError: one sentence naming the file.
"""

from __future__ import annotations

import difflib
import zoneinfo
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .datafiles import read_yaml
from .exceptions import DataFileError

SETTINGS_NAME = "settings.yaml"
FALLBACK_ZONE = "UTC"

__all__ = ["SETTINGS_NAME", "SettingsError", "WorkspaceSettings", "machine_time_zone", "time_zone_name"]


class SettingsError(DataFileError):
    """A workspace's settings.yaml that callkit cannot use; names the file and the setting."""


def machine_time_zone() -> str:
    """The IANA name of this computer's time zone ('Europe/Berlin'), or 'UTC' when it cannot be told."""
    try:
        import tzlocal

        name = tzlocal.get_localzone_name()
    except Exception:  # noqa: BLE001 - tzlocal raises several kinds when the machine's setting is odd
        return FALLBACK_ZONE
    try:
        return time_zone_name(name) if name else FALLBACK_ZONE
    except ValueError:
        return FALLBACK_ZONE


@lru_cache(maxsize=1)
def _known_zones() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def time_zone_name(value: str) -> str:
    """An IANA time zone name as written in the time zone database ('europe/berlin' -> 'Europe/Berlin').

    ValueError (one sentence) when it is no time zone.
    """
    name = (value or "").strip().replace(" ", "_")
    known = _known_zones()
    if name.lower() in known:
        return known[name.lower()]
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        close = difflib.get_close_matches(name.lower(), list(known), n=1, cutoff=0.8)
        fix = f"write {known[close[0]]}" if close else "write an IANA name like Europe/Berlin"
        raise ValueError(f"time_zone {value!r} is not a time zone: {fix}.") from None
    return name


class WorkspaceSettings(BaseModel):
    """What a workspace's settings.yaml says, with the defaults for what it leaves out."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    time_zone: str = Field(default_factory=machine_time_zone)
    """The time zone the workspace's calls happen in, as an IANA name like Europe/Berlin or America/New_York:
    calendar invitations start in it. Default: this computer's time zone."""

    @field_validator("time_zone", mode="before")
    @classmethod
    def _zone(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return machine_time_zone()
        if not isinstance(value, str):
            raise ValueError(f"time_zone {value!r} is not a time zone: write an IANA name like Europe/Berlin.")
        return time_zone_name(value)

    @classmethod
    def from_dict(cls, data: Any, source: str | Path | None = None) -> "WorkspaceSettings":
        """Settings from parsed YAML; SettingsError (one sentence naming `source`) when they are not usable."""
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise SettingsError(source, "the file must hold settings like 'time_zone: Europe/Berlin'.")
        known = list(cls.model_fields)
        for key in data:
            if str(key) not in known:
                close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
                fix = f"write {close[0]}" if close else "use one of " + ", ".join(known)
                raise SettingsError(source, f"{str(key)!r} is not a setting callkit knows: {fix}.")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            message = str(err.get("msg", "")).removeprefix("Value error, ")
            raise SettingsError(source, message) from None

    @classmethod
    def for_folder(cls, folder: str | Path) -> "WorkspaceSettings":
        """The settings of the workspace in `folder`: its settings.yaml, or the defaults when it has none."""
        path = Path(folder) / SETTINGS_NAME
        if not path.is_file():
            return cls()
        return cls.from_dict(read_yaml(path, SettingsError, "settings file"), source=path)
