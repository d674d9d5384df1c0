"""The plan form's logic: scoring as the coach types, the suggestion, compression, saving, errors, drafts."""

from __future__ import annotations

from datetime import date

import pytest

from callkit.exceptions import InvalidInputError
from callkit.models import CallPlan
from callkit.ui.plan_form import PlanForm
from callkit.ui.plan_values import (
    build_plan, compression_text, form_errors, new_plan_values, plan_data, plan_to_values, scoring_plan,
    step_options, upcoming_call,
)

TODAY = date(2026, 11, 24)
SELLER_OBJECTIVE = "Demonstrate the reporting module"
GOOD_OBJECTIVE = "Priya agrees to run a two-week pilot on two of her depots, starting by 4 December"


def deal_without_open_call(ws):
    """A deal whose calls are all debriefed: the form opens on a new plan."""
    for deal in ws.deals():
        calls = ws.calls(deal_id=deal.deal_id)
        if calls and upcoming_call(calls) is None and ws.load_draft(f"plan:{deal.deal_id}:local") is None:
            return deal
    pytest.skip("the sample team has no deal without an open call")


def finding_codes(score):
    return [f.code for f in score.findings]


def test_typing_an_objective_changes_score_and_findings(ws):
    deal = deal_without_open_call(ws)
    form = PlanForm(ws, deal, today=TODAY)
    form.controls["objective"].value = GOOD_OBJECTIVE
    good = form.update_scorecard()
    form.controls["objective"].value = SELLER_OBJECTIVE
    seller = form.update_scorecard()
    assert seller.total < good.total
    assert any("objective" in code for code in finding_codes(seller))
    assert not seller.objective.is_advance
    assert "Demonstrate the reporting module" in form.scorecard.body.value  # the finding quotes the rep's words
    assert f'data-total="{seller.total}"' in form.scorecard.total.value


def test_using_the_suggestion_raises_the_score(ws):
    deal = deal_without_open_call(ws)
    form = PlanForm(ws, deal, today=TODAY)
    form.controls["objective"].value = SELLER_OBJECTIVE
    before = form.update_scorecard()
    suggestion = form.scorecard.suggestion
    assert suggestion and suggestion != SELLER_OBJECTIVE
    assert form.scorecard.suggestion_box.layout.display != "none"
    used = form.scorecard.use()  # what the "Use this objective" button does
    assert used == suggestion
    assert form.controls["objective"].value == suggestion
    assert form.score.total > before.total


def test_compression_counter_follows_the_ticked_steps(ws):
    deal = deal_without_open_call(ws)
    form = PlanForm(ws, deal, today=TODAY)
    options = list(form.step_checks)
    assert options == step_options(ws.process, deal, ws.calls(deal_id=deal.deal_id))
    assert options, "the process offers next steps for the deal's stage"
    assert form.compression.value.startswith("No process step")
    for step in options[:3]:
        form.step_checks[step].value = True
    assert form.compression_count == 3
    assert "This call covers 3 steps" in form.compression.value
    assert form.values["planned_steps"] == options[:3]
    assert form.score.compression == 3


def test_compression_text():
    assert compression_text(1) == "This call covers 1 step (normal)."
    assert compression_text(3) == "This call covers 3 steps (good)."
    assert compression_text(5) == "This call covers 5 steps (excellent)."
    assert compression_text(0).startswith("No process step")


def test_saving_a_plan_and_reading_it_back(ws):
    deal = deal_without_open_call(ws)
    form = PlanForm(ws, deal, today=TODAY)
    c = form.controls
    c["call_date"].value = date(2026, 11, 27)
    c["attendees"].set_value([{"name": "Priya Shah", "role": "COO", "side": "client"}, {"name": "", "role": ""}])
    c["objective"].value = GOOD_OBJECTIVE
    c["fallback"].value = "Priya shares the downtime report by Friday"
    c["customer_value"].value = "They see their downtime cost next to three peers"
    c["agenda"].value = "Your goals for the quarter\n\nWhat a pilot must show\nNext steps"
    c["questions"].value = "What happens if downtime is not cut by March?"
    c["research_goals"].value = "Cut unplanned downtime by 20%"
    c["agenda_agreed"].value = True
    first = next(iter(form.step_checks))
    form.step_checks[first].value = True
    saved = form.save()
    assert isinstance(saved, CallPlan)
    stored = ws.plan(saved.call_id)
    assert stored is not None
    assert stored.objective == GOOD_OBJECTIVE
    assert stored.stage == deal.stage  # where the deal stood when the plan was written
    assert stored.agenda == ["Your goals for the quarter", "What a pilot must show", "Next steps"]
    assert [a.name for a in stored.attendees] == ["Priya Shah"]
    assert stored.planned_steps == [first]
    assert stored.research.goals == "Cut unplanned downtime by 20%"
    assert stored.call_date == date(2026, 11, 27)
    assert stored.agenda_shared and stored.agenda_agreed
    assert ws.call(saved.call_id).deal_id == deal.deal_id
    assert ws.load_draft(f"plan:{deal.deal_id}") is None
    assert "ck-status-ok" in form.status.value
    # a new form on the same deal opens the saved (not yet debriefed) plan
    again = PlanForm(ws, deal, today=TODAY)
    assert again.call_id == saved.call_id
    assert again.values["objective"] == GOOD_OBJECTIVE
    assert "Plan for the call on" in again.heading.value
    # saving again updates the same call
    again.controls["objective"].value = GOOD_OBJECTIVE + " (with her CFO)"
    assert again.save().call_id == saved.call_id
    assert ws.plan(saved.call_id).objective.endswith("(with her CFO)")


def test_invalid_input_keeps_the_values_and_shows_the_message(ws):
    deal = deal_without_open_call(ws)
    calls_before = len(ws.calls(deal_id=deal.deal_id))
    form = PlanForm(ws, deal, today=TODAY)
    form.controls["call_date"].value = None
    form.controls["objective"].value = SELLER_OBJECTIVE
    form.controls["attendees"].set_value([{"name": "Priya", "role": "COO"}, {"name": "", "role": "CFO"}])
    assert form.save() is None
    assert "call date is required" in form.fields["call_date"].error_text
    assert form.fields["attendees"].error_text.startswith("Row 2:")
    assert form.fields["call_date"].error.layout.display != "none"
    assert "Not saved yet" in form.status.value
    assert form.values["objective"] == SELLER_OBJECTIVE
    assert form.controls["attendees"].raw_rows()[1]["role"] == "CFO"
    assert len(ws.calls(deal_id=deal.deal_id)) == calls_before
    # fixing it clears the messages and saves
    form.controls["call_date"].value = date(2026, 11, 30)
    form.controls["attendees"].set_value([{"name": "Priya", "role": "COO"}])
    assert form.save() is not None
    assert form.fields["call_date"].error_text == ""


def test_the_draft_survives_recreating_the_form(ws):
    deal = deal_without_open_call(ws)
    form = PlanForm(ws, deal, today=TODAY)
    form.controls["objective"].value = "Priya books the CFO meeting"
    form.controls["call_date"].value = date(2026, 12, 2)
    form.controls["attendees"].set_value([{"name": "Priya Shah", "role": "COO", "side": "client"}])
    form.controls["attendees"].add_row()
    step = next(iter(form.step_checks))
    form.step_checks[step].value = True
    form.draft.debouncer.flush()
    again = PlanForm(ws, deal, today=TODAY)
    assert again.values["objective"] == "Priya books the CFO meeting"
    assert again.values["call_date"] == date(2026, 12, 2)
    assert again.values["attendees"] == [{"name": "Priya Shah", "role": "COO", "email": "", "side": "client"}]
    assert again.values["planned_steps"] == [step]
    assert "Restored" in again.heading.value
    other_browser = PlanForm(ws, deal, today=TODAY, browser="another-coach")
    assert other_browser.values["objective"] == "" and "Restored" not in other_browser.heading.value


def test_plan_values_round_trip(ws):
    deal = deal_without_open_call(ws)
    plan = next(c.plan for c in ws.calls(deal_id=deal.deal_id) if c.plan is not None)
    values = plan_to_values(plan)
    rebuilt = build_plan(values, deal, plan.call_id)
    assert rebuilt.model_dump(exclude={"updated_at", "deal_id", "rep_id"}) == plan.model_dump(
        exclude={"updated_at", "deal_id", "rep_id"})


def test_plan_data_leaves_a_missing_date_out_and_build_names_the_field(ws):
    deal = deal_without_open_call(ws)
    values = new_plan_values(TODAY)
    values["call_date"] = None
    assert "call_date" not in plan_data(values, deal, "c9999")
    with pytest.raises(InvalidInputError) as err:
        build_plan(values, deal, "c9999")
    assert "call_date" in err.value.errors
    assert scoring_plan(values, deal, today=TODAY).call_date == TODAY  # the scorecard still works


def test_form_errors_maps_nested_fields():
    errors = {"research.goals": "The goals is not valid.", "attendees.0.name": "The name cannot be blank.",
              "call_date": "The call date is required."}
    mapped = form_errors(errors, row_numbers=[3])
    assert mapped == {"research_goals": "The goals is not valid.", "attendees": "Row 3: The name cannot be blank.",
                      "call_date": "The call date is required."}


def test_rep_text_is_escaped_in_the_scorecard(ws):
    deal = deal_without_open_call(ws)
    form = PlanForm(ws, deal, today=TODAY)
    form.controls["objective"].value = "<script>alert(1)</script> demo"
    form.update_scorecard()
    html = form.scorecard.body.value + form.scorecard.suggestion_text.value
    assert "<script>" not in html
