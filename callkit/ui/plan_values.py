"""The plan form's values and the CallPlan they make: plain functions the form and the tests call.

Form values are a plain dict (text fields as typed, lists as one item per line, dates as dates or ISO
text from a draft); `plan_data` turns them into the data of a CallPlan and `build_plan` validates it.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping, Sequence

from ..exceptions import UnknownStageError
from ..models import Call, CallPlan, Deal, build
from ..process import SalesProcess
from ..text import counted
from .draft import as_date

TEXT_FIELDS = ("objective", "fallback", "customer_value", "agenda", "questions", "concerns",
               "research_goals", "research_obstacles", "research_industry", "research_notes")
RESEARCH_FIELDS = ("goals", "obstacles", "industry", "notes")


def _lines(items: Sequence[str]) -> str:
    return "\n".join(items)


def new_plan_values(today: date | None = None, questions: Sequence[str] = ()) -> dict[str, Any]:
    """The values of an empty plan form (call date today)."""
    return {
        "call_id": None,
        "call_date": today or date.today(),
        "attendees": [],
        **{name: "" for name in TEXT_FIELDS},
        "questions": _lines(questions),
        "agenda_shared": False,
        "agenda_agreed": False,
        "agenda_agreed_on": None,
        "planned_steps": [],
    }


def plan_to_values(plan: CallPlan) -> dict[str, Any]:
    """A saved plan as form values."""
    return {
        "call_id": plan.call_id,
        "stage": plan.stage,
        "call_date": plan.call_date,
        "attendees": [a.model_dump() for a in plan.attendees],
        "objective": plan.objective,
        "fallback": plan.fallback,
        "customer_value": plan.customer_value,
        "agenda": _lines(plan.agenda),
        "questions": _lines(plan.questions),
        "concerns": _lines(plan.concerns),
        **{f"research_{k}": getattr(plan.research, k) for k in RESEARCH_FIELDS},
        "agenda_shared": plan.agenda_shared,
        "agenda_agreed": plan.agenda_agreed,
        "agenda_agreed_on": plan.agenda_agreed_on,
        "planned_steps": list(plan.planned_steps),
    }


def plan_data(values: Mapping[str, Any], deal: Deal, call_id: str) -> dict[str, Any]:
    """Form values as the data of a CallPlan for `deal` (a missing call date is left out, so it is 'required')."""
    data: dict[str, Any] = {
        "call_id": call_id,
        "deal_id": deal.deal_id,
        "rep_id": deal.rep_id,
        "stage": values.get("stage") or deal.stage,  # a saved plan keeps the stage it was written at
        "attendees": [_attendee(row) for row in values.get("attendees") or []],
        "objective": values.get("objective") or "",
        "fallback": values.get("fallback") or "",
        "customer_value": values.get("customer_value") or "",
        "agenda": values.get("agenda") or "",
        "questions": values.get("questions") or "",
        "concerns": values.get("concerns") or "",
        "research": {k: values.get(f"research_{k}") or "" for k in RESEARCH_FIELDS},
        "agenda_shared": bool(values.get("agenda_shared")),
        "agenda_agreed": bool(values.get("agenda_agreed")),
        "agenda_agreed_on": as_date(values.get("agenda_agreed_on")),
        "planned_steps": list(values.get("planned_steps") or []),
    }
    call_date = as_date(values.get("call_date"))
    if call_date is not None:
        data["call_date"] = call_date
    return data


def _attendee(row: Mapping[str, Any]) -> dict[str, Any]:
    """An attendee row as typed: blank cells are left out (an empty email is no email)."""
    return {k: v for k, v in row.items() if k in ("name", "role", "side") or (v not in (None, ""))}


def build_plan(values: Mapping[str, Any], deal: Deal, call_id: str) -> CallPlan:
    """A CallPlan from form values; InvalidInputError (one sentence per field) when something is wrong."""
    return build(CallPlan, plan_data(values, deal, call_id), what="call plan")


def scoring_plan(values: Mapping[str, Any], deal: Deal, call_id: str = "draft", today: date | None = None) -> CallPlan:
    """A plan to score while the form is half-filled: a missing date is today, unnamed attendees are left out."""
    data = plan_data(values, deal, call_id)
    data.setdefault("call_date", today or date.today())
    data["attendees"] = [a for a in data["attendees"] if (a.get("name") or "").strip()]
    return build(CallPlan, data, what="call plan")


def form_errors(errors: Mapping[str, str], row_numbers: Sequence[int] = ()) -> dict[str, str]:
    """InvalidInputError.errors as {form field: sentence}: 'research.goals' -> research_goals, attendee rows named."""
    out: dict[str, str] = {}
    for key, message in errors.items():
        parts = key.split(".")
        if parts[0] == "research" and len(parts) > 1:
            field = f"research_{parts[1]}"
        elif parts[0] == "attendees" and len(parts) > 1 and parts[1].isdigit():
            index = int(parts[1])
            row = row_numbers[index] if index < len(row_numbers) else index + 1
            field, message = "attendees", f"Row {row}: {message}"
        else:
            field = parts[0]
        out.setdefault(field, message)
    return out


def compression_text(steps: int) -> str:
    """'This call covers 3 steps' with how that compares (seed 002: 1-2 normal, 3-4 good, 5 excellent)."""
    if steps <= 0:
        return "No process step chosen yet: pick what this call will accomplish."
    rating = "normal" if steps <= 2 else "good" if steps <= 4 else "excellent"
    return f"This call covers {counted(steps, 'step')} ({rating})."


def completed_steps(calls: Sequence[Call]) -> list[str]:
    """Process activities the deal's debriefs say are done."""
    done: list[str] = []
    for call in calls:
        if call.debrief:
            done.extend(s for s in call.debrief.completed_steps if s not in done)
    return done


def step_options(process: SalesProcess, deal: Deal, calls: Sequence[Call], chosen: Sequence[str] = ()) -> list[str]:
    """The next process activities for the deal (what is left of its stage and the next one), plus any chosen."""
    try:
        options = process.activities_after(deal.stage, completed=completed_steps(calls), lookahead=1)
    except UnknownStageError:
        options = []
    return options + [s for s in chosen if s not in options]


def upcoming_call(calls: Sequence[Call]) -> Call | None:
    """The latest call that has a plan and no debrief yet (the one being prepared), or None."""
    planned = [c for c in calls if c.plan is not None and c.debrief is None]
    return max(planned, key=lambda c: (c.date, c.call_id)) if planned else None
