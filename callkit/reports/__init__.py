"""Batch coaching reports: one offline HTML page per rep (papermill + nbconvert) and an index for the manager.

Names load on first use: report kernels import `callkit.reports.render` and must not pay for papermill.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "generate_reports": "callkit.reports.run",
    "ReportRun": "callkit.reports.run",
    "RepResult": "callkit.reports.run",
    "reports_command": "callkit.reports.commands",
    "demo_command": "callkit.reports.commands",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'callkit.reports' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # pragma: no cover
    from .commands import demo_command, reports_command
    from .run import RepResult, ReportRun, generate_reports
