"""Progress of a report run: a tqdm bar on a terminal, plain log lines otherwise (a scheduler, a pipe)."""

from __future__ import annotations

import sys
import time
from typing import Any


def terminal_text(text: str) -> str:
    """Workspace text made safe to print: control characters (terminal escapes) become '?'."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def stderr_is_terminal() -> bool:
    """True when stderr is an interactive terminal."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """Counts steps of one phase; a bar on a terminal, one line per message otherwise, nothing when disabled.

    It also times the phase: how long until the first step was done (`first`: the start-up the phase pays once,
    starting processes and kernels) and how long each step took after that (`each`: what one more rep costs).
    """

    def __init__(self, total: int, label: str, enabled: bool = True):
        self.total = total
        self.label = label
        self.enabled = enabled
        self.count = 0
        self._began = time.perf_counter()
        self._first: float | None = None
        self._last: float | None = None
        self._bar: Any = None
        if enabled and total and stderr_is_terminal():
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=label, unit="rep", file=sys.stderr, leave=False, dynamic_ncols=True)
        elif enabled and total:
            print(f"{label}: {total} reps", file=sys.stderr, flush=True)

    def say(self, message: str, quiet_on_terminal: bool = False) -> None:
        """A message about the step being finished: above the bar on a terminal, a log line otherwise."""
        if not self.enabled:
            return
        if self._bar is not None:
            if not quiet_on_terminal:
                self._bar.write(message, file=sys.stderr)
        else:
            print(f"[{self.count + 1}/{self.total}] {message}", file=sys.stderr, flush=True)

    def step(self) -> None:
        """One more step done."""
        self.count += 1
        self._last = time.perf_counter()
        if self._first is None:
            self._first = self._last
        if self._bar is not None:
            self._bar.update(1)

    @property
    def first(self) -> float | None:
        """Seconds from the start of the phase until its first step was done."""
        return None if self._first is None else self._first - self._began

    @property
    def each(self) -> float | None:
        """Seconds per step after the first (the phase's steady pace), None with fewer than two steps."""
        if self._first is None or self._last is None or self.count < 2:
            return None
        return (self._last - self._first) / (self.count - 1)

    def record_pace(self, timings: dict[str, float], phase: str) -> None:
        """Note the phase's start-up (`<phase>_first`) and steady seconds per rep (`<phase>_each`) in a run's
        timings: what the benchmark separates, since a run costs its start-up once and then that much per rep."""
        if self.first is not None:
            timings[f"{phase}_first"] = self.first
        if self.each is not None:
            timings[f"{phase}_each"] = self.each

    def close(self) -> None:
        """Remove the bar (a terminal keeps only the messages)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
