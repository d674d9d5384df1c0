"""How a report run stops on Ctrl-C or SIGTERM: the signal handlers, and the error that says what was written."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..exceptions import CallkitError
from ..text import counted, date_range

if TYPE_CHECKING:  # pragma: no cover
    from .run import ReportRun

SIGNAL_WORDS = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM"}


class ReportsStopped(CallkitError):
    """A report run stopped by Ctrl-C or SIGTERM; `run` is what was written (None when nothing was)."""

    def __init__(self, signum: int, run: "ReportRun | None", total: int, out_dir: Path):
        self.signum = signum
        self.run = run
        self.total = total
        self.out_dir = out_dir
        how = SIGNAL_WORDS.get(signal.Signals(signum), f"signal {signum}")
        if run is None:
            text = f"Stopped by {how} before any report was written: {out_dir} is as it was."
        else:
            period = date_range(run.since, run.until)
            text = (f"Stopped by {how}: wrote {len(run.succeeded)} of {counted(total, 'report')} for {period}; "
                    f"{run.index_path} lists every report of that period (run the same command again to finish).")
        super().__init__(text)

    @property
    def exit_code(self) -> int:
        """What a shell expects from a program stopped by this signal: 130 for Ctrl-C, 143 for SIGTERM."""
        return 128 + self.signum


class StopSignal(BaseException):
    """Raised in the parent by the SIGTERM handler, like KeyboardInterrupt for Ctrl-C."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """While a run is going, SIGTERM stops it the way Ctrl-C does (only possible in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise StopSignal(signum)

    old = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


@contextmanager
def no_interruptions() -> Iterator[None]:
    """While stopping: a second Ctrl-C or SIGTERM must not cut the index in half."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
