"""Drafts: what the coach has typed, saved to the workspace as they type so a reload or kernel restart loses nothing.

A draft belongs to one browser (the page gives each browser an id it keeps across reloads), not to the
deal: a second coach opening the same deal in another browser starts from the saved plan, never from
someone else's half-typed text.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable, Protocol

from .events import Debouncer


class DraftStore(Protocol):
    """The part of Workspace a draft needs."""

    def save_draft(self, key: str, data: dict) -> None: ...
    def load_draft(self, key: str) -> dict | None: ...
    def delete_draft(self, key: str) -> None: ...


def to_jsonable(value: Any) -> Any:
    """Form values as JSON data: dates become ISO strings, tuples lists."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


def as_date(value: Any) -> date | None:
    """A date from a date, an ISO string (as drafts store it) or None; anything unreadable is None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def plan_draft_key(deal_id: str, browser: str) -> str:
    """The draft key of the next plan for a deal, typed in one browser."""
    return f"plan:{deal_id}:{browser}"


def debrief_draft_key(call_id: str, browser: str) -> str:
    """The draft key of a call's debrief, typed in one browser."""
    return f"debrief:{call_id}:{browser}"


class DraftKeeper:
    """Saves `read()` under `key` a moment after the last change; `discard` once the real record is saved."""

    def __init__(self, store: DraftStore, key: str, read: Callable[[], dict], delay: float = 1.0):
        self.store = store
        self.key = key
        self.read = read
        self.debouncer = Debouncer(self.save_now, delay)
        self.paused = False

    def changed(self, *_: Any) -> None:
        """Call on every edit: schedules a save."""
        if not self.paused:
            self.debouncer.trigger()

    def save_now(self) -> None:
        """Write the draft now."""
        self.store.save_draft(self.key, to_jsonable(self.read()))

    def load(self) -> dict | None:
        """The stored draft, or None."""
        return self.store.load_draft(self.key)

    def discard(self) -> None:
        """Forget the draft (after a real save)."""
        self.debouncer.cancel()
        self.store.delete_draft(self.key)
