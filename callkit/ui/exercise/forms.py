"""The answer forms: each exercise kind builds its own (callkit/exercises/kinds/<kind>.py), looked up by kind here.

A form has `widget`, `value()` (the answer as the kind's check takes it) and `restore(saved)` (put a saved
answer back). The classes are re-exported so that `from callkit.ui.exercise import ClassifyForm` keeps working.
"""

from __future__ import annotations

from typing import Any

from ...exercises.items import Item
from ...exercises.kinds import AnswerForm, CheckContext, kind_of
from ...exercises.kinds.classify import ClassifyForm
from ...exercises.kinds.compress import CompressForm
from ...exercises.kinds.debrief import DebriefAnswerForm
from ...exercises.kinds.objective import ObjectiveForm
from ...exercises.kinds.value import ValueForm
from ...process import SalesProcess

__all__ = ["AnswerForm", "ClassifyForm", "CompressForm", "DebriefAnswerForm", "ObjectiveForm", "ValueForm", "answer_form"]


def answer_form(item: Item, process: SalesProcess, report: Any) -> AnswerForm:
    """The input widgets that fit the item's kind."""
    return kind_of(item).form(item, CheckContext(process), report)
