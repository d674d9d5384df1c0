"""Two coaches on one deal, drafts per browser, questions before odd dates, switching deals, the next plan's start."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from callkit.exceptions import EditConflictError
from callkit.models import Attendee, Call, CallPlan, Commitment, Debrief, Research
from callkit.ui import session as session_module
from callkit.ui.debrief_form import DebriefForm
from callkit.ui.debrief_values import next_plan_values, open_commitments
from callkit.ui.plan_form import PlanForm
from callkit.ui.plan_values import upcoming_call
from callkit.ui.session import CoachingSession

TODAY = date(2026, 11, 24)


def open_deal_with_plan(ws):
    for deal in ws.deals():
        calls = ws.calls(deal_id=deal.deal_id)
        if deal.is_open and upcoming_call(calls) is not None:
            return deal, calls
    pytest.skip("no open deal with a planned call")


def open_deal_without_plan(ws):
    for deal in ws.deals():
        calls = ws.calls(deal_id=deal.deal_id)
        if deal.is_open and calls and upcoming_call(calls) is None:
            return deal, calls
    pytest.skip("no open deal whose calls are all debriefed")


# -- the workspace refuses stale saves ---------------------------------------------------------------------

def test_a_stale_save_is_refused_with_their_version(ws):
    deal, calls = open_deal_with_plan(ws)
    opened = upcoming_call(calls).plan
    theirs = opened.model_copy(update={"objective": "Priya books the CFO review by Friday",
                                       "updated_at": datetime(2026, 11, 24, 10, 42)})
    ws.save_plan(theirs, replaces=opened)
    mine = opened.model_copy(update={"objective": "Priya signs the pilot order"})
    with pytest.raises(EditConflictError) as info:
        ws.save_plan(mine, replaces=opened)
    assert info.value.theirs == theirs and "Someone else saved this plan" in str(info.value)
    assert ws.plan(opened.call_id).objective == "Priya books the CFO review by Friday"  # nothing written
    ws.save_plan(mine, replaces=theirs)  # choosing mine, knowingly
    assert ws.plan(opened.call_id).objective == "Priya signs the pilot order"


def test_a_deal_never_gets_two_open_planned_calls_on_one_date(ws):
    deal, _ = open_deal_without_plan(ws)
    day = date(2026, 12, 8)
    first = CallPlan(call_id=ws.new_call_id(deal.deal_id), deal_id=deal.deal_id, rep_id=deal.rep_id, call_date=day,
                     objective="Priya books the CFO review")
    ws.save_plan(first, replaces=None)
    second = first.model_copy(update={"call_id": ws.new_call_id(deal.deal_id), "objective": "Dana signs"})
    with pytest.raises(EditConflictError) as info:
        ws.save_plan(second)  # even without a version check
    assert info.value.call_id == first.call_id and "already has a planned call" in str(info.value)
    open_on_day = [c for c in ws.calls(deal_id=deal.deal_id) if c.date == day and c.debrief is None]
    assert [c.call_id for c in open_on_day] == [first.call_id]
    ws.save_plan(second.model_copy(update={"call_date": date(2026, 12, 9)}))  # another day is fine


def test_a_debrief_saved_elsewhere_is_not_overwritten(ws):
    deal, calls = open_deal_with_plan(ws)
    call = upcoming_call(calls)
    theirs = Debrief(call_id=call.call_id, outcome="continuation")
    ws.save_debrief(theirs, replaces=None)
    with pytest.raises(EditConflictError):
        ws.save_debrief(Debrief(call_id=call.call_id, outcome="no_sale"), replaces=None)
    assert ws.debrief(call.call_id).outcome == "continuation"


# -- two coaches in the forms ------------------------------------------------------------------------------

def two_coaches(form_class, ws, deal, calls):
    """The same form of one deal open in two coaches' browsers."""
    return tuple(form_class(ws, deal, calls, today=TODAY, browser=b) for b in ("coach-a", "coach-b"))


def test_two_coaches_on_one_planned_call_choose_instead_of_losing_work(ws):
    deal, calls = open_deal_with_plan(ws)
    first, second = two_coaches(PlanForm, ws, deal, calls)
    first.controls["objective"].value = "Priya books the CFO review for 2 December"
    assert first.save() is not None
    second.controls["objective"].value = "Dana agrees to a pilot on two depots"
    assert second.save() is None  # refused: nothing overwritten
    assert ws.plan(first.call_id).objective == "Priya books the CFO review for 2 December"
    assert second.conflict.visible and "Someone else saved this plan" in second.conflict.message.value
    table = second.conflict.table.value
    assert "Dana agrees to a pilot on two depots" in table and "Priya books the CFO review for 2 December" in table
    assert second.controls["objective"].value == "Dana agrees to a pilot on two depots"  # what was typed is kept
    assert second.keep_mine() is not None
    assert ws.plan(first.call_id).objective == "Dana agrees to a pilot on two depots"
    # now the first coach is behind: their next save is refused too, and they take the other version
    first.controls["fallback"].value = "Priya shares the downtime report"
    assert first.save() is None and first.conflict.visible
    first.take_theirs()
    assert first.controls["objective"].value == "Dana agrees to a pilot on two depots" and not first.conflict.visible
    assert first.save() is not None  # in step again


def test_two_coaches_planning_a_new_call_on_the_same_date_get_one_call(ws):
    deal, calls = open_deal_without_plan(ws)
    first, second = two_coaches(PlanForm, ws, deal, calls)
    for form, objective in ((first, "Priya books the CFO review"), (second, "Priya shares the downtime data")):
        form.controls["call_date"].value = date(2026, 12, 8)
        form.controls["objective"].value = objective
    saved = first.save()
    assert saved is not None
    assert second.save() is None and "already has a planned call" in second.conflict.message.value
    assert second.keep_mine() is not None
    open_calls = [c for c in ws.calls(deal_id=deal.deal_id) if c.date == date(2026, 12, 8) and c.debrief is None]
    assert [c.call_id for c in open_calls] == [saved.call_id]
    assert open_calls[0].plan.objective == "Priya shares the downtime data"


def test_two_coaches_debriefing_one_call(ws):
    deal, calls = open_deal_with_plan(ws)
    first, second = two_coaches(DebriefForm, ws, deal, calls)
    first.controls["outcome"].value = "continuation"
    assert first.save() is not None
    second.controls["outcome"].value = "no_sale"
    second.controls["notes"].value = "They chose the incumbent"
    assert second.save() is None and second.conflict.visible
    assert "They chose the incumbent" in second.conflict.table.value
    second.take_theirs()
    assert second.controls["outcome"].value == "continuation"


def test_drafts_belong_to_the_browser(ws):
    deal, calls = open_deal_with_plan(ws)
    call = upcoming_call(calls)
    typing = DebriefForm(ws, deal, calls, today=TODAY, browser="coach-a")
    typing.controls["notes"].value = "Half-typed by coach A"
    typing.draft.debouncer.flush()
    assert DebriefForm(ws, deal, calls, today=TODAY, browser="coach-a").controls["notes"].value == "Half-typed by coach A"
    other = DebriefForm(ws, deal, calls, today=TODAY, browser="coach-b")
    assert other.controls["notes"].value == "" and "Restored" not in other.plan_info.value
    assert other.call.call_id == call.call_id


# -- dates that look wrong are asked about; errors go once fixed -----------------------------------------

def test_a_debrief_of_a_future_call_or_a_past_close_date_asks_first(ws):
    deal, calls = open_deal_with_plan(ws)
    call = upcoming_call(calls)
    ahead = DebriefForm(ws, deal, calls, today=date.fromordinal(call.date.toordinal() - 5))  # the call is 5 days ahead
    ahead.controls["outcome"].value = "continuation"
    assert ahead.save() is None and ws.debrief(call.call_id) is None
    assert "in the future" in ahead.confirm_text.value and ahead.confirm.layout.display == ""
    assert ahead.save(confirmed=True) is not None and ws.debrief(call.call_id) is not None

    deal, calls = open_deal_with_plan(ws)
    call = upcoming_call(calls)
    form = DebriefForm(ws, deal, calls, today=call.date)
    form.controls["outcome"].value = "continuation"
    form.controls["close_date_after"].value = date(2026, 1, 15)
    assert form.save() is None and ws.debrief(call.call_id) is None
    assert "Thu 15 Jan 2026 is in the past" in form.confirm_text.value
    form.controls["close_date_after"].value = deal.close_date  # back to the deal's date: nothing to ask
    assert form.save() is not None


def test_the_outcome_error_goes_when_an_outcome_is_chosen(ws):
    deal, calls = open_deal_with_plan(ws)
    form = DebriefForm(ws, deal, calls, today=TODAY)
    assert form.save() is None
    assert "outcome" in form.fields["outcome"].error_text.lower()
    form.controls["outcome"].value = "advance"
    assert form.fields["outcome"].error_text == ""


def test_a_plan_error_goes_when_the_field_is_fixed(ws):
    deal, calls = open_deal_without_plan(ws)
    form = PlanForm(ws, deal, calls, today=TODAY)
    form.controls["call_date"].value = None
    assert form.save() is None and form.fields["call_date"].error_text
    form.controls["call_date"].value = date(2026, 12, 8)
    assert form.fields["call_date"].error_text == ""


# -- the page: stay on the tab, load a deal behind a sign, closed deals --------------------------------------

def test_switching_deals_hides_the_old_tabs_until_the_new_ones_are_built(ws, monkeypatch):
    deals = [d for d in ws.deals() if d.is_open][:2]
    page = CoachingSession(ws, deal_id=deals[0].deal_id, today=TODAY)
    seen = []
    real = session_module.DealTimeline.for_workspace

    def spy(*args, **kwargs):
        seen.append((page.tabs.layout.display, page.loading.layout.display, page.loading.value, page.plan_form))
        return real(*args, **kwargs)

    monkeypatch.setattr(session_module.DealTimeline, "for_workspace", spy)
    old_form = page.plan_form
    page.picker.select(deal_id=deals[1].deal_id)
    tabs_display, loading_display, loading_text, form_while_loading = seen[0]
    assert tabs_display == "none" and loading_display == "" and "Loading" in loading_text
    assert form_while_loading is None  # the old deal's form is gone before the new deal loads
    assert old_form.controls["objective"].comm is None  # closed: a late keystroke reaches nothing
    assert page.tabs.layout.display == "" and page.loading.layout.display == "none"
    assert page.plan_form.deal.deal_id == deals[1].deal_id


def test_on_the_page_the_forms_follow_the_deals_first_tab_and_a_quick_switch_drops_the_old_build(ws):
    import asyncio

    deals = [d for d in ws.deals() if d.is_open][:2]

    async def walk():
        page = CoachingSession(ws, today=TODAY)
        page.open_deal(deals[0])  # inside a running event loop, as in a kernel
        assert page.plan_form is None and "Loading" in page.panes[1].children[0].value
        first_history = page.timeline
        assert first_history.comm is not None  # open while it is on the page
        page.open_deal(deals[1])  # before the first deal's forms were built
        page.tabs.selected_index = 1  # the coach opens the plan tab at once: it is built now
        assert page.plan_form is not None and page.plan_form.deal.deal_id == deals[1].deal_id
        assert first_history.comm is None  # the dropped switch's widgets are closed too
        built = page.plan_form
        await asyncio.sleep(session_module.BUILD_AFTER + 0.2)  # the timers of both switches have fired
        assert page.plan_form is built and page.debrief_form.deal.deal_id == deals[1].deal_id
        page.open_deal(deals[0])
        assert built not in page.panes[1].children  # off the page at once, closed once the next deal is drawn
        await asyncio.sleep(session_module.BUILD_AFTER + 0.2)
        assert built.controls["objective"].comm is None
        assert page.plan_form.deal.deal_id == deals[0].deal_id and page.panes[1].children == (page.plan_form,)

    asyncio.run(walk())


def test_a_closed_deal_offers_no_next_plan(ws):
    closed = next((d for d in ws.deals() if not d.is_open), None)
    if closed is None:
        pytest.skip("the sample team has no won or lost deal")
    page = CoachingSession(ws, deal_id=closed.deal_id, today=TODAY)
    assert page.plan_form is None and page.agenda is None
    assert f"This deal is {closed.status}" in page.panes[1].children[0].value
    assert page.debrief_form is not None  # a last call can still be debriefed


def test_the_browser_id_decides_whose_drafts_the_page_shows(ws):
    deal, _ = open_deal_without_plan(ws)
    ws.save_draft(f"plan:{deal.deal_id}:browser-7", {"values": {"objective": "Typed in browser 7"}})
    page = CoachingSession(ws, today=TODAY, browser="browser-7")
    page.picker.select(deal_id=deal.deal_id)
    assert page.plan_form.controls["objective"].value == "Typed in browser 7"
    stranger = CoachingSession(ws, deal_id=deal.deal_id, today=TODAY, browser="browser-8")
    assert stranger.plan_form.controls["objective"].value == ""


def test_a_browser_id_arriving_after_the_deal_opened_shows_that_browsers_draft(ws):
    deal, _ = open_deal_without_plan(ws)
    ws.save_draft(f"plan:{deal.deal_id}:browser-7", {"values": {"objective": "Typed in browser 7 last week"}})
    page = CoachingSession(ws, deal_id=deal.deal_id, today=TODAY)  # opened from the link: no browser id yet
    assert page.plan_form.controls["objective"].value == ""
    page.browser_field.value = "browser-7"  # the page's script sends it
    assert page.plan_form.controls["objective"].value == "Typed in browser 7 last week"
    assert page.plan_form.draft.key == f"plan:{deal.deal_id}:browser-7"
    assert page.debrief_form.browser == "browser-7"


def test_what_was_typed_before_the_browser_id_arrived_becomes_that_browsers_draft(ws):
    deal, _ = open_deal_without_plan(ws)
    page = CoachingSession(ws, deal_id=deal.deal_id, today=TODAY)
    page.plan_form.controls["objective"].value = "Kofi books the plant visit by Friday"
    page.browser_field.value = "browser-9"
    assert page.plan_form.controls["objective"].value == "Kofi books the plant visit by Friday"  # the form stays
    assert ws.load_draft(f"plan:{deal.deal_id}:browser-9")["values"]["objective"] == "Kofi books the plant visit by Friday"
    assert ws.load_draft(f"plan:{deal.deal_id}:local") is None
    page.plan_form.controls["objective"].value = "Kofi books the plant visit for his 3 shift leads by Friday"
    page.plan_form.draft.debouncer.flush()
    assert ws.load_draft(f"plan:{deal.deal_id}:browser-9")["values"]["objective"].endswith("3 shift leads by Friday")


# -- the next plan starts from the last call ------------------------------------------------------------------

def test_the_next_plan_carries_people_homework_commitments_and_questions(ws):
    deal, _ = open_deal_without_plan(ws)
    plan = CallPlan(call_id="x1", deal_id=deal.deal_id, rep_id=deal.rep_id, call_date=date(2026, 11, 10),
                    attendees=[Attendee(name="Priya Shah", role="COO"), Attendee(name="Tom Reed", side="us")],
                    research=Research(goals="Cut downtime 20%", industry="Food"), objective="Priya books the CFO")
    debrief = Debrief(call_id="x1", outcome="advance", next_call=date(2026, 12, 3),
                      commitments=[Commitment(who="Priya", what="shares the downtime report", by=date(2026, 11, 20))],
                      learned={"urgency": "Audit in March"})
    calls = [Call(call_id="x1", deal_id=deal.deal_id, rep_id=deal.rep_id, date=plan.call_date, plan=plan,
                  debrief=debrief)]
    values = next_plan_values(deal, calls, today=TODAY)
    assert [a["name"] for a in values["attendees"]] == ["Priya Shah", "Tom Reed"]
    assert values["research_goals"] == "Cut downtime 20%" and values["research_industry"] == "Food"
    assert values["agenda"] == "Review: shares the downtime report (Priya, due Fri 20 Nov 2026)"
    assert open_commitments(debrief) == [values["agenda"]]
    assert len(values["questions"].splitlines()) == 5  # every topic but urgency is still unknown
    assert values["call_date"] == date(2026, 12, 3) and values["objective"] == ""
    assert next_plan_values(deal, calls, today=date(2026, 12, 10))["call_date"] == date(2026, 12, 10)


def test_marking_a_deal_lost_on_the_page_closes_its_planning_and_reopening_brings_it_back(ws):
    deal = next(d for d in ws.deals() if d.is_open)
    page = CoachingSession(ws, deal_id=deal.deal_id, today=TODAY)
    timeline = page.timeline
    actions = timeline.actions
    actions.reason.value = "Chose a cheaper tool"
    assert actions.mark_lost() is not None
    assert ws.deal(deal.deal_id).status == "lost"
    assert page.timeline is timeline and "lost" in actions.status.value.lower()  # tab 1 keeps its confirmation
    assert page.plan_form is None and "This deal is lost" in page.panes[1].children[0].value
    assert "lost" in page.picker.card.value.lower()
    assert actions.reopen() is not None
    assert ws.deal(deal.deal_id).is_open and page.plan_form is not None
    assert page.plan_form.deal.is_open


def test_the_comparison_shows_dates_rows_and_blanks_as_a_coach_reads_them():
    from datetime import date

    from callkit.ui.conflict import differences, shown

    assert shown(date(2026, 12, 8)) == "Tue 8 Dec 2026"
    assert shown("") == shown(None) == shown([]) == "-"
    assert shown(True) == "yes"
    rows = differences({"call_date": date(2026, 12, 8), "objective": "Priya signs"},
                       {"call_date": date(2026, 12, 9), "objective": "Priya signs"},
                       {"call_date": "Call date", "objective": "Objective"})
    assert rows == [("Call date", "Tue 8 Dec 2026", "Wed 9 Dec 2026")]
