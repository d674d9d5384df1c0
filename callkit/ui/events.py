"""Event plumbing for widgets: a debouncer for typing, and a guard that turns errors into a plain message.

ipywidgets catches exceptions raised in callbacks and only logs them, so a coach would see nothing:
every handler the UI registers goes through `guarded`, which shows one sentence instead.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable

from ..exceptions import CallkitError

log = logging.getLogger("callkit.ui")

Report = Callable[[str], None]


def error_sentence(exc: BaseException) -> str:
    """One plain sentence for an error shown in the page (callkit errors already are one)."""
    if isinstance(exc, CallkitError):
        return str(exc)
    return f"Something went wrong ({type(exc).__name__}): what you typed is kept; try again or tell your admin."


def guarded(action: Callable[..., Any], report: Report) -> Callable[..., Any]:
    """Wrap a widget callback so that an error is reported as one sentence instead of vanishing in a log."""

    def handler(*args: Any, **kwargs: Any) -> Any:
        try:
            return action(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a widget callback must never fail silently
            log.exception("callkit.ui handler failed")
            report(error_sentence(exc))
            return None

    return handler


class Debouncer:
    """Run `action` once, `delay` seconds after the last `trigger`; at once when no event loop is running.

    In a Jupyter/Voilà kernel the asyncio loop runs, so typing fast causes one update; in plain Python
    (tests, benchmarks) there is no loop and `trigger` runs the action immediately.
    """

    def __init__(self, action: Callable[[], Any], delay: float = 0.3):
        self.action = action
        self.delay = delay
        self._handle: asyncio.TimerHandle | None = None

    @property
    def pending(self) -> bool:
        """True while an action is scheduled but has not run yet."""
        return self._handle is not None

    def trigger(self, *_: Any) -> None:
        """Schedule the action (usable directly as an `observe` callback)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._run()
            return
        self.cancel()
        self._handle = loop.call_later(self.delay, self._run)

    def flush(self) -> None:
        """Run a scheduled action now."""
        if self._handle is not None:
            self._run()

    def cancel(self) -> None:
        """Drop a scheduled action without running it."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _run(self) -> None:
        self.cancel()
        self.action()


def contains(widget: Any, other: Any) -> bool:
    """True when `other` is `widget` or inside it: which form field an edit came from."""
    stack = [widget]
    while stack:
        w = stack.pop()
        if w is other:
            return True
        stack.extend(getattr(w, "children", ()))
    return False
