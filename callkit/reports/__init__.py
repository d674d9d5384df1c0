"""Batch coaching reports: one offline HTML page per rep (papermill + nbconvert) and an index for the manager.

Names load on first use: report kernels import `callkit.reports.render` and must not pay for papermill.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

_EXPORTS = {
    "generate_reports": "callkit.reports.run",
    "ReportRun": "callkit.reports.run",
    "RepResult": "callkit.reports.result",
    "reports_command": "callkit.cli.reports",
    "demo_command": "callkit.cli.reports",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)


if TYPE_CHECKING:  # pragma: no cover
    from ..cli.reports import demo_command, reports_command
    from .result import RepResult
    from .run import ReportRun, generate_reports
