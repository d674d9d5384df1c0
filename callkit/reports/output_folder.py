"""The output folder of a report run: refused in one sentence, before any work, when it cannot be written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..exceptions import CallkitError


class ReportOutputError(CallkitError):
    """The output folder for the reports cannot be created or written to."""

    def __init__(self, path: str | os.PathLike[str], problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(problem)


def check_output_folder(out: Path) -> None:
    """Refuse, in one sentence, an output folder that cannot be created or written to, before any work."""
    probe = out
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise ReportOutputError(out, f"The output folder {out} cannot be created: {probe} is a file, not a "
                                     "folder; choose another --out folder.")
    try:
        fd, name = tempfile.mkstemp(prefix=".callkit-write-check-", dir=probe)
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        raise ReportOutputError(out, unwritable(out, probe, exc)) from None


def unwritable(out: Path, folder: Path, exc: OSError) -> str:
    import errno

    why = {errno.EROFS: "it is on a read-only disk", errno.EACCES: "you may not write to it",
           errno.EPERM: "you may not write to it", errno.ENOSPC: "the disk is full",
           errno.EDQUOT: "the disk quota is used up"}.get(exc.errno or 0, (exc.strerror or "it refused").lower())
    where = "" if folder == out else f" (in {folder})"
    return (f"The reports cannot be written to {out}{where}: {why}; choose another --out folder or make it "
            "writable.")
