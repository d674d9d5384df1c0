"""Drafts: what the coach has typed, saved to the workspace as they type so a reload or kernel restart loses nothing.

A draft belongs to one browser (the page gives each browser an id it keeps across reloads), not to the
deal: a second coach opening the same deal in another browser starts from the saved plan, never from
someone else's half-typed text.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable, Protocol

from ..exceptions import WorkspaceBusyError, WorkspaceReadOnlyError
from ..text import to_date
from .events import Debouncer

#: The errors after which a save can be tried again later: what the coach typed must stay on the page.
NOT_SAVED_NOW = (WorkspaceBusyError, WorkspaceReadOnlyError)


def not_saved_sentence(exc: Exception, what: str) -> str:
    """What the page says next to the Save button when `what` ("the plan") could not be written just now."""
    if isinstance(exc, WorkspaceBusyError):
        return f"{exc} Your {what} is not saved yet; it stays on this page: press Save again in a moment."
    return f"{exc} Your {what} stays on this page until you close it."


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
    try:
        return to_date(value)
    except ValueError:
        return None


def plan_draft_key(deal_id: str, browser: str) -> str:
    """The draft key of the next plan for a deal, typed in one browser."""
    return f"plan:{deal_id}:{browser}"


def debrief_draft_key(call_id: str, browser: str) -> str:
    """The draft key of a call's debrief, typed in one browser."""
    return f"debrief:{call_id}:{browser}"


class DraftKeeper:
    """Saves `read()` under `key` a moment after the last change; `discard` once the real record is saved.

    When the workspace cannot take the draft (another program holds it, or it is read-only), the draft is
    kept in memory (`unsaved`, which `load` returns), `problem` says why in one sentence (also passed to
    `on_problem`, which the forms show next to the Save button), and the next change tries again.
    """

    def __init__(self, store: DraftStore, key: str, read: Callable[[], dict], delay: float = 1.0,
                 on_problem: Callable[[str], None] | None = None):
        self.store = store
        self.key = key
        self.read = read
        self.debouncer = Debouncer(self.save_now, delay)
        self.paused = False
        self.on_problem = on_problem
        self.unsaved: dict | None = None  # the latest draft the workspace could not take yet
        self.problem = ""  # why, in one sentence; "" once a save worked
        self.written = False  # this page has saved (or tried to save) something under `key`

    def changed(self, *_: Any) -> None:
        """Call on every edit: schedules a save."""
        if not self.paused:
            self.debouncer.trigger()

    def save_now(self) -> bool:
        """Write the draft now; False (the draft kept in memory, `problem` set) when the workspace cannot take it."""
        data = to_jsonable(self.read())
        self.written = True
        try:
            self.store.save_draft(self.key, data)
        except NOT_SAVED_NOW as exc:
            self.unsaved = data
            if isinstance(exc, WorkspaceBusyError):
                self.problem = (f"{exc} What you typed is kept on this page and saved as a draft at your next change.")
            else:
                self.problem = f"{exc} What you typed stays on this page until you close it."
            if self.on_problem is not None:
                self.on_problem(self.problem)
            return False
        self.unsaved = None
        self.problem = ""
        return True

    def load(self) -> dict | None:
        """The draft: the one kept in memory when the workspace could not take it, else the stored one, or None."""
        if self.unsaved is not None:
            return self.unsaved
        return self.store.load_draft(self.key)

    def move_to(self, key: str) -> None:
        """Keep the draft under `key` from now on (the browser's id arrived after the form was built): what this
        page has typed moves there and its copy under the old key goes."""
        self.debouncer.flush()
        old, self.key = self.key, key
        if key == old or not self.written:
            return
        if self.save_now():
            try:
                self.store.delete_draft(old)
            except NOT_SAVED_NOW:
                pass

    def discard(self) -> None:
        """Forget the draft (after a real save); a workspace that is busy right then keeps the stored copy, harmlessly
        older than the saved record."""
        self.debouncer.cancel()
        self.unsaved = None
        self.problem = ""
        try:
            self.store.delete_draft(self.key)
        except NOT_SAVED_NOW:
            pass
