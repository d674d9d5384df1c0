"""The checks behind each exercise: one plain function per kind, each returning a CheckResult.

Like an autograder, every check has a success message and a failure message, so the rep always hears
why. The judging comes from callkit's scoring rules (assess_objective, assess_customer_value,
score_debrief) plus what each item asks for its own deal (see callkit/exercises/kinds/). `check_answer`
runs the check of the item's kind from the registry.
"""

from __future__ import annotations

from ..process import SalesProcess
from .kinds import CheckContext, kind_of
from .kinds.classify import CHOICES, OBJECTIVE_LABELS, OUTCOME_LABELS, check_classification, labels_for
from .kinds.compress import UNREALISTIC_PENALTY, check_compression, compression_level
from .kinds.debrief import COACH_QUESTIONS, TOPIC_LABELS, DebriefAnswer, check_debrief
from .kinds.objective import ADVANCE_CODES, REALISM_CODES, VAGUE_CODES, check_objective
from .kinds.value import RESCHEDULE_RULE, ValueAnswer, check_customer_value
from .results import Check, CheckResult, CheckSpec, blank_result
from .text import is_blank

__all__ = [
    "ADVANCE_CODES", "CHOICES", "COACH_QUESTIONS", "OBJECTIVE_LABELS", "OUTCOME_LABELS", "REALISM_CODES",
    "RESCHEDULE_RULE", "TOPIC_LABELS", "UNREALISTIC_PENALTY", "VAGUE_CODES", "Check", "CheckContext", "CheckResult",
    "CheckSpec", "DebriefAnswer", "ValueAnswer", "blank_result", "check_answer", "check_classification",
    "check_compression", "check_customer_value", "check_debrief", "check_objective", "compression_level", "is_blank",
    "labels_for",
]


def check_answer(item: object, answer: object, process: SalesProcess | None = None,
                 ctx: CheckContext | None = None) -> CheckResult:
    """Run the check of the item's kind (any kind in the registry) on one answer."""
    ctx = ctx or (CheckContext(process) if process is not None else CheckContext())
    kind = kind_of(item)
    return kind.check(item, kind.coerce(answer), ctx)
