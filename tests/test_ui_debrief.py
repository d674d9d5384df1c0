"""The debrief form's logic: the advance flag, saving, the moved close date, and the next plan's questions."""

from __future__ import annotations

from datetime import date

import pytest

from callkit.models import Commitment, Debrief, Learned
from callkit.ui.debrief_form import DebriefForm
from callkit.ui.debrief_values import (
    LEARNED_QUESTIONS, NEW_CALL, advance_flag, build_debrief, call_choices, debrief_form_errors, debrief_to_values,
    default_call, next_plan_questions, prefill_next_plan,
)
from callkit.ui.plan_form import PlanForm

TODAY = date(2026, 11, 24)


def open_call_deal(ws):
    """A deal with a planned call that has no debrief yet."""
    for deal in ws.deals():
        calls = ws.calls(deal_id=deal.deal_id)
        if any(c.plan is not None and c.debrief is None for c in calls):
            return deal, calls
    pytest.skip("the sample team has no planned call waiting for a debrief")


def test_advance_flag_needs_a_dated_client_commitment():
    undated = Debrief(call_id="c1", outcome="advance", commitments=[Commitment(who="Priya", what="intro to CFO")])
    assert "no client commitment says who does it and by when" in advance_flag(undated)
    nobody = Debrief(call_id="c1", outcome="advance", commitments=[Commitment(what="intro", by=date(2026, 12, 1))])
    assert advance_flag(nobody) is not None
    dated = Debrief(call_id="c1", outcome="advance",
                    commitments=[Commitment(who="Priya", what="intro to CFO", by=date(2026, 12, 1))])
    assert advance_flag(dated) is None
    assert advance_flag(Debrief(call_id="c1", outcome="continuation")) is None


def test_the_form_shows_the_flag(ws):
    deal, calls = open_call_deal(ws)
    form = DebriefForm(ws, deal, calls, today=TODAY)
    assert form.call is not None and form.call.debrief is None  # opens on the call waiting for its debrief
    form.controls["outcome"].value = "advance"
    form.controls["commitments"].set_value([{"who": "Priya", "what": "introduces us to the CFO"}])
    form.update_score()
    assert form.flag is not None
    assert "advance" in form.flag_box.value
    form.controls["commitments"].set_value([{"who": "Priya", "what": "introduces us to the CFO",
                                             "by": date(2026, 12, 1)}])
    form.update_score()
    assert form.flag is None and form.flag_box.value == ""
    assert f'data-total="{form.score.total}"' in form.score_total.value


def test_saving_a_debrief_moves_the_close_date_and_prefills_the_next_plan(ws):
    deal, calls = open_call_deal(ws)
    form = DebriefForm(ws, deal, calls, today=TODAY)
    call = form.call
    new_close = date(2027, 3, 31)
    form.controls["outcome"].value = "advance"
    form.controls["commitments"].set_value([{"who": "Priya", "what": "books the CFO review", "by": date(2026, 12, 3)}])
    form.controls["learned_urgency"].value = "Their audit is in March"
    form.controls["next_call"].value = date(2026, 12, 3)
    form.controls["close_date_after"].value = new_close
    saved = form.save()
    assert saved is not None
    stored = ws.debrief(call.call_id)
    assert stored.outcome == "advance"
    assert stored.commitments[0].by == date(2026, 12, 3)
    assert ws.deal(deal.deal_id).close_date == new_close
    assert ws.deal(deal.deal_id).close_date_history[-1].close_date == new_close
    assert "Saved the debrief" in form.status.value
    # the next plan opens with the questions the debrief left open, on the next call's date
    plan_form = PlanForm(ws, ws.deal(deal.deal_id), today=TODAY)
    questions = plan_form.values["questions"].splitlines()
    assert len(questions) == len(stored.learned.unanswered()) == 5
    assert plan_form.values["call_date"] == date(2026, 12, 3)
    assert plan_form.call_id is None


def test_a_debrief_without_moving_the_close_date_leaves_the_history(ws):
    deal, calls = open_call_deal(ws)
    history = len(ws.deal(deal.deal_id).close_date_history)
    form = DebriefForm(ws, deal, calls, today=TODAY)
    form.controls["outcome"].value = "continuation"
    assert form.save() is not None
    assert len(ws.deal(deal.deal_id).close_date_history) == history


def test_the_debrief_and_its_close_date_are_saved_together_or_not_at_all(ws, monkeypatch):
    from callkit.exceptions import WorkspaceBusyError

    deal, calls = open_call_deal(ws)
    form = DebriefForm(ws, deal, calls, today=TODAY)
    call, history = form.call, ws.deal(deal.deal_id).close_date_history
    form.controls["outcome"].value = "continuation"
    form.controls["close_date_after"].value = date(2027, 4, 30)

    def busy_at_the_close_date(conn, changes):  # the workspace turns busy after the debrief row is written
        raise WorkspaceBusyError(ws.path, activity="an import")

    monkeypatch.setattr(ws, "_append_history", busy_at_the_close_date)
    assert form.save() is None
    assert ws.debrief(call.call_id) is None and ws.deal(deal.deal_id).close_date_history == history
    assert form.values["close_date_after"] == date(2027, 4, 30)  # what was typed stays in the form
    monkeypatch.undo()
    assert form.save() is not None
    assert ws.debrief(call.call_id).outcome == "continuation"
    assert ws.deal(deal.deal_id).close_date == date(2027, 4, 30)
    assert ws.deal(deal.deal_id).close_date_history[-1].changed_on == call.date


def test_invalid_debrief_keeps_values_and_shows_messages(ws):
    deal, calls = open_call_deal(ws)
    form = DebriefForm(ws, deal, calls, today=TODAY)
    call_id = form.call.call_id
    form.controls["learned_budget"].value = "60k approved"
    form.controls["commitments"].set_value([{"who": "Priya", "what": "", "by": date(2026, 12, 1)}])
    assert form.save() is None
    assert "outcome is required" in form.fields["outcome"].error_text
    assert form.fields["commitments"].error_text == "Row 1: say what will be done."
    assert form.values["learned_budget"] == "60k approved"
    assert ws.debrief(call_id) is None


def test_the_debrief_draft_survives_recreating_the_form(ws):
    deal, calls = open_call_deal(ws)
    form = DebriefForm(ws, deal, calls, today=TODAY)
    form.controls["outcome"].value = "continuation"
    form.controls["notes"].value = "Pleasant, no commitment"
    form.draft.debouncer.flush()
    again = DebriefForm(ws, deal, calls, today=TODAY)
    assert again.values["outcome"] == "continuation"
    assert again.values["notes"] == "Pleasant, no commitment"
    assert "Restored" in again.plan_info.value


def test_a_call_that_was_not_planned_creates_the_call(ws):
    deal, calls = open_call_deal(ws)
    form = DebriefForm(ws, deal, calls, today=TODAY)
    form.choose_call(NEW_CALL)
    assert form.call is None
    form.controls["call_date"].value = date(2026, 11, 23)
    form.controls["outcome"].value = "continuation"
    saved = form.save()
    assert saved is not None
    call = ws.call(saved.call_id)
    assert call.plan is None and call.debrief.outcome == "continuation" and call.date == date(2026, 11, 23)


def test_next_plan_questions_fall_back_to_the_blank_topics():
    debrief = Debrief(call_id="c1", outcome="continuation", learned=Learned(urgency="audit", budget="60k"))
    assert next_plan_questions(debrief) == [LEARNED_QUESTIONS[k] for k in
                                            ("consequence", "attitude", "competition", "decision_process")]

    class Score:
        suggested_questions = ["Who signs?"]

    assert next_plan_questions(debrief, Score()) == ["Who signs?"]


def test_prefill_adds_to_a_draft_already_started(ws):
    deal, _ = open_call_deal(ws)
    assert prefill_next_plan(ws, deal, ["Who signs?"], "browser-1", today=TODAY) is None  # no draft: nothing written
    assert ws.load_draft(f"plan:{deal.deal_id}:browser-1") is None
    ws.save_draft(f"plan:{deal.deal_id}:browser-1",
                  {"values": {"objective": "Priya books the pilot", "questions": "Who signs?"}})
    values = prefill_next_plan(ws, deal, ["Who signs?", "What budget is set aside for this?"], "browser-1", today=TODAY)
    assert values["objective"] == "Priya books the pilot"
    assert values["questions"] == "Who signs?\nWhat budget is set aside for this?"
    assert ws.load_draft(f"plan:{deal.deal_id}:browser-2") is None  # another browser's draft is untouched


def test_call_choices_and_default(ws):
    deal, calls = open_call_deal(ws)
    choices = call_choices(calls)
    assert choices[-1][1] == NEW_CALL
    open_id = default_call(calls)
    assert choices[0][1] == open_id
    assert default_call([c for c in calls if c.debrief is not None]) == NEW_CALL


def test_debrief_form_errors_and_round_trip():
    errors = {"outcome": "The outcome is required.", "follow_ups.0.what": "The what cannot be blank.",
              "learned.budget": "The budget is not valid."}
    mapped = debrief_form_errors(errors, {"follow_ups": [2]})
    assert mapped == {"outcome": "The outcome is required.", "follow_ups": "Row 2: say what will be done.",
                      "learned_budget": "The budget is not valid."}
    debrief = Debrief(call_id="c1", outcome="advance", learned=Learned(urgency="audit"),
                      commitments=[Commitment(who="P", what="intro", by=date(2026, 12, 1))], next_call=date(2026, 12, 1))
    assert build_debrief(debrief_to_values(debrief), "c1") == debrief
