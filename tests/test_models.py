"""Models: what a plan and a debrief hold, and one plain sentence per invalid field."""

from __future__ import annotations

from datetime import date

import pytest

import callkit as ck
from callkit.models import build, sort_findings


def _plan(**extra):
    data = {"call_id": "c1", "deal_id": "d1", "rep_id": "r1", "call_date": "2026-03-14"}
    data.update(extra)
    return data


def test_plan_accepts_lists_as_text_and_agreed_agenda_implies_shared():
    plan = build(ck.CallPlan, _plan(agenda="Their goals; Our pilot plan;; ", agenda_agreed_on="2026-03-10"))
    assert plan.agenda == ["Their goals", "Our pilot plan"]
    assert plan.agenda_shared and plan.agenda_agreed
    assert plan.call_date == date(2026, 3, 14)


def test_validation_errors_are_one_plain_sentence_per_field():
    with pytest.raises(ck.InvalidInputError) as err:
        build(ck.CallPlan, _plan(call_date="14/03/2026", deal_id="", agenda_agreed_on="soon"))
    errors = err.value.errors
    assert errors["call_date"] == "The call date must be a date like 2026-03-14."
    assert errors["deal_id"] == "The deal id cannot be blank."
    assert errors["agenda_agreed_on"] == "The agenda agreed date must be a date like 2026-03-14."
    assert str(err.value) == "The call plan needs fixing: the deal id cannot be blank (and 2 more)."


def test_missing_and_literal_fields():
    with pytest.raises(ck.InvalidInputError) as err:
        build(ck.Debrief, {"outcome": "great"})
    assert err.value.errors["call_id"] == "The call id is required."
    assert "must be one of" in err.value.errors["outcome"] and "continuation" in err.value.errors["outcome"]


def test_nested_errors_name_the_inner_field():
    with pytest.raises(ck.InvalidInputError) as err:
        build(ck.Debrief, {"call_id": "c1", "outcome": "advance", "commitments": [{"who": "Priya", "what": "intro", "by": "friday"}]})
    assert err.value.errors == {"commitments.0.by": "The 'by when' date must be a date like 2026-03-14."}


def test_negative_amount_and_unknown_field():
    with pytest.raises(ck.InvalidInputError) as err:
        build(ck.Deal, {"deal_id": "d", "rep_id": "r", "account": "A", "name": "N", "stage": "qualify",
                        "close_date": "2026-05-01", "amount": -5, "colour": "red"})
    assert err.value.errors["amount"] == "The amount cannot be negative."
    assert err.value.errors["colour"] == "The colour is not a field callkit knows."


def test_commitment_is_dated_needs_owner_and_date():
    assert ck.Commitment(who="Priya", what="Intro to CFO", by="2026-03-20").is_dated
    assert not ck.Commitment(who="", what="Intro to CFO", by="2026-03-20").is_dated
    assert not ck.Commitment(who="Priya", what="Intro to CFO").is_dated


def test_learned_lists_unanswered_questions():
    learned = ck.Learned(urgency="Audit in June", budget="  ")
    assert learned.budget == ""
    assert learned.unanswered() == ["consequence", "attitude", "competition", "decision_process", "budget"]


def test_call_exposes_outcome_and_objective():
    plan = build(ck.CallPlan, _plan(objective="Priya agrees to a pilot"))
    call = ck.Call(call_id="c1", deal_id="d1", rep_id="r1", date=plan.call_date, plan=plan,
                   debrief=ck.Debrief(call_id="c1", outcome="advance"))
    assert call.outcome == "advance" and call.objective == "Priya agrees to a pilot"
    bare = ck.Call(call_id="c2", deal_id="d1", rep_id="r1", date=plan.call_date)
    assert bare.outcome is None and bare.objective == ""


def test_findings_sort_worst_first():
    tip = ck.Finding(code="t", severity="tip", message="a tip")
    problem = ck.Finding(code="p", severity="problem", message="a problem")
    warning = ck.Finding(code="w", severity="warning", message="a warning")
    assert [f.code for f in sort_findings([tip, problem, warning])] == ["p", "w", "t"]


def test_public_api_names_resolve():
    for name in ("SalesProcess", "CallPlan", "Debrief", "Finding", "CallkitError", "Rep", "Deal", "Commitment"):
        assert getattr(ck, name) is not None
    with pytest.raises(AttributeError):
        ck.does_not_exist  # noqa: B018
