"""What the coach's terminal shows while the workshop runs: one line per session started or ended, and none of
Jupyter's or tornado's log unless `callkit --debug workshop` asks for it."""

from __future__ import annotations

import logging
from datetime import datetime

JUPYTER_LOGGERS = ("tornado", "asyncio", "traitlets", "jupyter_server", "jupyter_client", "voila", "py.warnings")


def session_line(event: str, open_pages: int, when: datetime | None = None) -> str:
    """The coach's terminal line for a page opened or closed: '10:02 session started (2 open)'."""
    return f"{(when or datetime.now()):%H:%M} session {event} ({open_pages} open)"


def say(line: str) -> None:
    """Print one line on the coach's terminal at once."""
    print(line, flush=True)


def quiet_jupyter_logs(debug: bool = False) -> None:
    """Keep Jupyter's and tornado's log (403s, websocket pings, kernel notices) off the coach's terminal;
    with `debug`, show it."""
    logging.captureWarnings(True)
    root = logging.getLogger()
    if debug:
        logging.basicConfig(level=logging.INFO, format="[%(name)s] %(levelname)s %(message)s")
        return
    root.addHandler(logging.NullHandler())  # no "last resort" printing of warnings to stderr
    for name in JUPYTER_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
