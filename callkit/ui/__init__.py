"""ipywidgets building blocks for a live coaching session: deal picker, timeline, plan form, scorecard, agenda, debrief.

Names load on first use so that importing `callkit.ui` costs nothing until a widget is built.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS: dict[str, str] = {
    "CoachingSession": "callkit.ui.session",
    "open_session": "callkit.ui.session",
    "DealPicker": "callkit.ui.deal_picker",
    "DealTimeline": "callkit.ui.timeline",
    "PlanForm": "callkit.ui.plan_form",
    "Scorecard": "callkit.ui.scorecard",
    "AgendaPanel": "callkit.ui.agenda",
    "DebriefForm": "callkit.ui.debrief_form",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'callkit.ui' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
