"""The widgets of a self-paced workbook, in three parts: the HTML (render), the answer forms (forms), the page (app).

`open_workbook("01_advance_or_continuation")` is all a workbook notebook calls. The names below are the ones
notebooks, tests and DESIGN.md use; each kind's form and HTML come from its module in callkit/exercises/kinds/.
"""

from __future__ import annotations

from ...exercises.kinds.classify import CHOICES
from ...models import OUTCOMES
from .app import GUEST_ID, ExerciseApp, open_workbook
from .forms import AnswerForm, ClassifyForm, CompressForm, DebriefAnswerForm, ObjectiveForm, ValueForm, answer_form
from .render import (
    EXTRA_CSS,
    feedback_html,
    item_html,
    item_title,
    notices_html,
    objective_preview_html,
    progress_strip_html,
    saved_feedback_html,
    summary_html,
)

OUTCOME_CHOICES = {key: CHOICES[key] for key in OUTCOMES}

__all__ = [
    "EXTRA_CSS", "GUEST_ID", "OUTCOME_CHOICES", "AnswerForm", "ClassifyForm", "CompressForm", "DebriefAnswerForm",
    "ExerciseApp", "ObjectiveForm", "ValueForm", "answer_form", "feedback_html", "item_html", "item_title",
    "notices_html", "objective_preview_html", "open_workbook", "progress_strip_html", "saved_feedback_html", "summary_html",
]
