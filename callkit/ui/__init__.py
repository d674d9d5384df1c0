"""ipywidgets building blocks for a live coaching session: deal picker, timeline, plan form, scorecard, agenda, debrief.

Names load on first use so that importing `callkit.ui` costs nothing until a widget is built.
"""

from __future__ import annotations

from ..lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "CoachingSession": "callkit.ui.session",
    "open_session": "callkit.ui.session",
    "DealPicker": "callkit.ui.deal_picker",
    "DealTimeline": "callkit.ui.timeline",
    "PlanForm": "callkit.ui.plan_form",
    "Scorecard": "callkit.ui.scorecard",
    "AgendaPanel": "callkit.ui.agenda",
    "DebriefForm": "callkit.ui.debrief_form",
    "open_workbook": "callkit.ui.exercise",
    "ExerciseApp": "callkit.ui.exercise",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

