"""The debrief form's values and the Debrief they make, the advance flag, and the next plan's questions.

Plain functions that the debrief form and the tests call directly.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Mapping, Protocol, Sequence

from ..models import LEARNED_TOPICS, Call, Debrief, Deal, build
from ..process import SalesProcess
from ..text import long_date
from .draft import as_date, plan_draft_key, to_jsonable
from .plan_values import new_plan_values

NEW_CALL = "__new__"
LEARNED_FIELDS = LEARNED_TOPICS  # the form's names for them
LEARNED_LABELS = {
    "urgency": "Their sense of urgency: why do they need to buy, and why now?",
    "consequence": "What happens if they don't buy and implement by the date they told you?",
    "attitude": "Their attitude toward us",
    "competition": "The competition, and their attitude toward it",
    "decision_process": "How they decide: who, how, by when",
    "budget": "Budget",
}
LEARNED_QUESTIONS = {  # asked in the next call when the debrief left the topic blank
    "urgency": "Why do you need to solve this, and why now?",
    "consequence": "What happens if this is not in place by your date?",
    "attitude": "How do you see us so far, and what would you need from us?",
    "competition": "Who else are you looking at, and what do you think of them?",
    "decision_process": "Who decides, how, and by when?",
    "budget": "What budget is set aside for this?",
}
OUTCOME_HELP = {
    "order": "They bought.",
    "advance": "The client committed to an action, with a date, that moves the sale toward a decision.",
    "continuation": "A pleasant call with no client commitment ('let's keep in touch').",
    "no_sale": "They said no.",
}


class DebriefStore(Protocol):
    """The part of Workspace the debrief form uses."""

    process: SalesProcess

    def save_debrief(self, debrief: Debrief, replaces: Debrief | None = None,
                     new_close_date: date | None = None) -> None: ...
    def save_call(self, call: Call, new_close_date: date | None = None) -> None: ...
    def new_call_id(self, deal_id: str) -> str: ...
    def save_draft(self, key: str, data: dict) -> None: ...
    def load_draft(self, key: str) -> dict | None: ...
    def delete_draft(self, key: str) -> None: ...


def new_debrief_values(deal: Deal, call_date: date | None = None) -> dict[str, Any]:
    """An empty debrief: no outcome yet, the close date as the deal has it."""
    return {
        "outcome": None, "best_met": False, "fallback_met": False, "commitments": [], "follow_ups": [],
        **{f"learned_{k}": "" for k in LEARNED_FIELDS},
        "completed_steps": [], "next_call": None, "close_date_after": deal.close_date, "notes": "",
        "call_date": call_date,
    }


def debrief_to_values(debrief: Debrief, call_date: date | None = None) -> dict[str, Any]:
    """A saved debrief as form values."""
    return {
        "outcome": debrief.outcome, "best_met": debrief.best_met, "fallback_met": debrief.fallback_met,
        "commitments": [c.model_dump() for c in debrief.commitments],
        "follow_ups": [c.model_dump() for c in debrief.follow_ups],
        **{f"learned_{k}": getattr(debrief.learned, k) for k in LEARNED_FIELDS},
        "completed_steps": list(debrief.completed_steps), "next_call": debrief.next_call,
        "close_date_after": debrief.close_date_after, "notes": debrief.notes, "call_date": call_date,
    }


def debrief_data(values: Mapping[str, Any], call_id: str) -> dict[str, Any]:
    """Form values as the data of a Debrief (no outcome chosen is left out, so it is 'required')."""
    data: dict[str, Any] = {
        "call_id": call_id,
        "best_met": bool(values.get("best_met")),
        "fallback_met": bool(values.get("fallback_met")),
        "commitments": [dict(c, by=as_date(c.get("by"))) for c in values.get("commitments") or []],
        "follow_ups": [dict(c, by=as_date(c.get("by"))) for c in values.get("follow_ups") or []],
        "learned": {k: values.get(f"learned_{k}") or "" for k in LEARNED_FIELDS},
        "completed_steps": list(values.get("completed_steps") or []),
        "next_call": as_date(values.get("next_call")),
        "close_date_after": as_date(values.get("close_date_after")),
        "notes": values.get("notes") or "",
    }
    if values.get("outcome"):
        data["outcome"] = values["outcome"]
    return data


def build_debrief(values: Mapping[str, Any], call_id: str) -> Debrief:
    """A Debrief from form values; InvalidInputError (one sentence per field) when something is wrong."""
    return build(Debrief, debrief_data(values, call_id), what="debrief")


def scoring_debrief(values: Mapping[str, Any], call_id: str) -> Debrief | None:
    """A debrief to score while the form is half-filled (rows without a 'what' left out); None without an outcome."""
    if not values.get("outcome"):
        return None
    data = debrief_data(values, call_id)
    for key in ("commitments", "follow_ups"):
        data[key] = [c for c in data[key] if (c.get("what") or "").strip()]
    return build(Debrief, data, what="debrief")


def advance_flag(debrief: Debrief) -> str | None:
    """The warning when an 'advance' has no client commitment with a who and a date, else None.

    The rule is `callkit.scoring.debrief.unbacked_advance`: deal health counts such a call as a continuation too.
    """
    from ..scoring.debrief import unbacked_advance

    if not unbacked_advance(debrief):
        return None
    return ("You marked this call an advance, but no client commitment says who does it and by when: "
            "without one it is a continuation, and the deal's health counts it as one. Add the commitment with "
            "its date, or change the outcome.")


def debrief_form_errors(errors: Mapping[str, str], row_numbers: Mapping[str, Sequence[int]]) -> dict[str, str]:
    """InvalidInputError.errors as {form field: sentence}, naming the row of a commitment or follow-up."""
    out: dict[str, str] = {}
    for key, message in errors.items():
        parts = key.split(".")
        field = parts[0]
        if field == "learned" and len(parts) > 1:
            field = f"learned_{parts[1]}"
        elif field in ("commitments", "follow_ups") and len(parts) > 1 and parts[1].isdigit():
            index, numbers = int(parts[1]), row_numbers.get(field, ())
            row = numbers[index] if index < len(numbers) else index + 1
            if parts[-1] == "what":
                message = "say what will be done."
            message = f"Row {row}: {message}"
        out.setdefault(field, message)
    return out


def next_plan_questions(debrief: Debrief, score: Any = None) -> list[str]:
    """Questions for the next call: the scorer's suggestions, else one per topic the debrief left blank."""
    suggested = list(getattr(score, "suggested_questions", None) or [])
    if suggested:
        return suggested
    return [LEARNED_QUESTIONS[name] for name in debrief.learned.unanswered() if name in LEARNED_QUESTIONS]


def prefill_next_plan(store: DebriefStore, deal: Deal, questions: Sequence[str], browser: str,
                      call_date: date | None = None, today: date | None = None) -> dict[str, Any] | None:
    """Add these questions to the next plan's draft when this browser already started one; returns its values.

    Without a draft nothing is written: the next plan starts from the debrief anyway (next_plan_values).
    """
    key = plan_draft_key(deal.deal_id, browser)
    existing = store.load_draft(key)
    if not existing:
        return None
    values = dict(existing.get("values") or new_plan_values(call_date or today or date.today()))
    have = [q.strip() for q in str(values.get("questions") or "").splitlines() if q.strip()]
    values["questions"] = "\n".join(have + [q for q in questions if q not in have])
    store.save_draft(key, to_jsonable({"values": values, "saved_at": datetime.now().isoformat(timespec="seconds")}))
    return values


def open_commitments(debrief: Debrief) -> list[str]:
    """The client's commitments of a debrief as agenda items for the next call ('Review: ... (Priya, due ...)')."""
    items = []
    for c in debrief.commitments:
        who_when = ", ".join(p for p in (c.who, f"due {long_date(c.by)}" if c.by else "") if p)
        items.append(f"Review: {c.what}" + (f" ({who_when})" if who_when else ""))
    return items


def next_plan_values(deal: Deal, calls: Sequence[Call], today: date | None = None) -> dict[str, Any]:
    """The next plan of a deal, before anyone typed: what carries over from its last plan and last debrief.

    From the last plan: who was in the call and the homework (research). From the last debrief: the client's
    open commitments as agenda items to review, the questions for what is still not known, and the date of
    the next call when it was booked (else today).
    """
    today = today or date.today()
    planned = [c for c in calls if c.plan is not None]
    debriefed = [c for c in calls if c.debrief is not None]
    last_plan = max(planned, key=lambda c: (c.date, c.call_id)).plan if planned else None
    last = max(debriefed, key=lambda c: (c.date, c.call_id)).debrief if debriefed else None
    booked = last.next_call if last is not None else None
    values = new_plan_values(booked if booked is not None and booked >= today else today)
    if last_plan is not None:
        values["attendees"] = [a.model_dump() for a in last_plan.attendees]
        for k in ("goals", "obstacles", "industry", "notes"):
            values[f"research_{k}"] = getattr(last_plan.research, k)
    if last is not None:
        from ..scoring.debrief import score_debrief

        values["agenda"] = "\n".join(open_commitments(last))
        values["questions"] = "\n".join(next_plan_questions(last, score_debrief(last, deal=deal)))
    return values


def call_label(call: Call) -> str:
    """'Call on Tue 24 Nov 2026 - objective' for the call chooser."""
    objective = call.objective or "no plan"
    if len(objective) > 60:
        objective = objective[:57] + "..."
    done = " (debriefed)" if call.debrief else ""
    return f"Call on {long_date(call.date)} - {objective}{done}"


def call_choices(calls: Sequence[Call]) -> list[tuple[str, str]]:
    """Calls to debrief, newest first (those without a debrief first), then 'a call that was not planned'."""
    ordered = sorted(calls, key=lambda c: (c.debrief is None, c.date, c.call_id), reverse=True)
    return [(call_label(c), c.call_id) for c in ordered] + [("A call that was not planned", NEW_CALL)]


def default_call(calls: Sequence[Call]) -> str:
    """The latest call without a debrief, or NEW_CALL."""
    open_calls = [c for c in calls if c.debrief is None]
    return max(open_calls, key=lambda c: (c.date, c.call_id)).call_id if open_calls else NEW_CALL
