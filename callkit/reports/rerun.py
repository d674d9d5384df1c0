"""The command a manager copies to rerun just the reps whose reports failed."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .worker import DEFAULT_ENGINE

if TYPE_CHECKING:  # pragma: no cover
    from .run import ReportRun


def shell_quote(text: str) -> str:
    """`text` as one word for bash or zsh: shlex quoting, or $'...' with escapes when it holds a line break,
    a tab or another character a terminal would not show, so the hint can be copied and still says the id."""
    import shlex

    if text.isprintable():
        return shlex.quote(text)
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "'":
            out.append("\\'")
        elif ch in "\n\t\r":
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "$'" + "".join(out) + "'"


def rerun_hint(run: "ReportRun", workspace_path: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> str:
    """The command that reruns just the failed reps, quoted for bash and zsh: the same period, team or manager,
    notebook, engine and scheduler as this run."""
    parts = ["callkit", "reports", shell_quote(str(workspace_path)), "--out", shell_quote(str(out_dir))]
    for flag, value in (("--team", run.team), ("--manager", run.manager), ("--notebook", run.notebook),
                        ("--scheduler", run.scheduler)):
        if value:
            parts += [flag, shell_quote(value)]
    if run.engine != DEFAULT_ENGINE:
        parts += ["--engine", run.engine]
    for r in run.failed:
        parts += ["--rep", shell_quote(r.rep_id)]
    parts += ["--since", run.since.isoformat(), "--until", run.until.isoformat()]
    return " ".join(parts)
