"""One rep's report as a run records it: the HTML page, or the one-line error and the notebook kept for debugging.

The worker that builds the page (a local process or a Dask worker) fills it in and the run hands the same record
to the manager (`ReportRun.results`); plain data that pickles, with no imports beyond the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class RepResult:
    """One rep's report: the HTML file, or the one-line error and the notebook kept for debugging.

    `seconds` and `timings` say where the time went; `worker` (host:pid) and `memory` (that worker's and its
    kernels' peak resident memory, bytes) say what building it took, for the run's memory figures.
    """

    rep_id: str
    slug: str
    name: str = ""
    html_path: Path | None = None
    error: str | None = None
    failed_notebook: Path | None = None
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    worker: str = ""
    memory: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the page was written and nothing went wrong."""
        return self.error is None and self.html_path is not None
