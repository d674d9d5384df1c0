"""Picking a deal, and the whole page: opening on a deal, the tabs staying in step after saves."""

from __future__ import annotations

from datetime import date

import pytest

from callkit.exceptions import RecordNotFoundError
from callkit.ui.deal_picker import DealPicker, deal_card_html, deal_label, deal_options, pick_deal, rep_options
from callkit.ui.session import NO_WORKSPACE, TAB_TITLES, CoachingSession, open_session, resolve_workspace_path
from callkit.workspace import Workspace

TODAY = date(2026, 11, 24)


def test_rep_and_deal_options(ws):
    reps = ws.reps()
    options = rep_options(reps)
    assert len(options) == len(reps)
    assert [label for label, _ in options] == sorted(label for label, _ in options)
    rep_id = options[0][1]
    deals = ws.deals(rep_id=rep_id)
    deal_opts = deal_options(deals, ws.process)
    assert {v for _, v in deal_opts} == {d.deal_id for d in deals}
    listed = [ws.deal(v) for _, v in deal_opts]
    closes = [d.close_date for d in listed if d.is_open]
    assert closes == sorted(closes)
    assert [d.is_open for d in listed] == sorted((d.is_open for d in listed), reverse=True)  # open deals first
    deal = next(d for d in deals if d.is_open)
    label = deal_label(deal, ws.process)
    assert deal.close_date.isoformat() in label and ws.process.stage(deal.stage).name in label


def test_deals_from_a_crm_without_close_dates_or_accounts_and_closed_deals():
    from callkit.models import Deal
    from callkit.process import SalesProcess

    process = SalesProcess.default()
    early = Deal(deal_id="a", rep_id="r", name="Fleet pilot", stage="discover")
    dated = Deal(deal_id="b", rep_id="r", account="Acme", name="Line 3", stage="propose", close_date=date(2026, 7, 1))
    won = Deal(deal_id="c", rep_id="r", name="Renewal", stage="close", status="won", close_date=date(2026, 6, 1))
    lost = Deal(deal_id="d", rep_id="r", name="Upsell", stage="propose", status="lost", close_date=date(2026, 6, 3),
                lost_reason="<b>Price</b> too high")
    options = deal_options([won, early, lost, dated], process)
    assert [v for _, v in options] == ["b", "a", "d", "c"]  # open by close date, undated last, then closed, latest first
    assert options[1][0] == "Fleet pilot | Discover | no amount | no close date yet"
    assert options[2][0].endswith("| lost 2026-06-03")
    card = deal_card_html(lost, None, process)
    assert "not in the CRM" in card and "Wed 3 Jun 2026" in card and "&lt;b&gt;Price&lt;/b&gt; too high" in card


def test_picking_a_rep_then_a_deal(ws):
    picker = DealPicker(ws)
    picked = []
    picker.on_pick(picked.append)
    rep = ws.reps()[1]
    picker.rep_dropdown.value = rep.rep_id
    values = [v for _, v in picker.deal_dropdown.options if v]
    assert sorted(values) == sorted(d.deal_id for d in ws.deals(rep_id=rep.rep_id))
    picker.deal_dropdown.value = values[0]
    assert [d.deal_id for d in picked] == [values[0]]
    deal = ws.deal(values[0])
    assert deal.account.replace("&", "&amp;") in picker.card.value
    assert f"${deal.amount:,.0f}" in picker.card.value


def test_select_by_deal_alone_chooses_its_rep(ws):
    deal = ws.deals()[5]
    picker = DealPicker(ws)
    assert picker.select(deal_id=deal.deal_id).deal_id == deal.deal_id
    assert picker.rep_dropdown.value == deal.rep_id
    other = next(r for r in ws.reps() if r.rep_id != deal.rep_id)
    with pytest.raises(RecordNotFoundError):
        pick_deal(ws, other.rep_id, deal.deal_id)


def test_deal_card_escapes_text(ws):
    deal = ws.deals()[0].model_copy(update={"account": "<Acme & Co>"})
    html = deal_card_html(deal, ws.rep(deal.rep_id), ws.process)
    assert "&lt;Acme &amp; Co&gt;" in html and "<Acme" not in html


def test_open_session_without_a_workspace_says_how_to_set_one(monkeypatch):
    monkeypatch.delenv("CALLKIT_WORKSPACE", raising=False)
    assert resolve_workspace_path(None) is None
    page = open_session()
    assert NO_WORKSPACE.split(":")[0] in page.value
    assert "CALLKIT_WORKSPACE" in page.value


def test_open_session_on_a_folder_that_is_not_a_workspace(tmp_path):
    page = open_session(tmp_path)
    assert "is not a callkit workspace" in page.value


def test_open_session_from_the_environment_opens_straight_on_a_deal(fresh_ws_path, monkeypatch):
    monkeypatch.setenv("CALLKIT_WORKSPACE", str(fresh_ws_path))
    with Workspace.open(fresh_ws_path) as ws:
        deal = ws.deals()[3]
    page = open_session(deal_id=deal.deal_id)
    assert isinstance(page, CoachingSession)
    assert page.deal.deal_id == deal.deal_id
    assert tuple(page.tabs.titles) == TAB_TITLES
    assert page.tabs.layout.display != "none"
    page.ws.close()


def test_open_session_with_an_unknown_deal_reports_it(fresh_ws_path):
    page = open_session(fresh_ws_path, deal_id="d999")
    assert "d999" in page.status.value and page.deal is None
    page.ws.close()


def test_session_keeps_the_tabs_in_step(ws):
    deal = next(d for d in ws.deals() if d.is_open and all(c.debrief for c in ws.calls(deal_id=d.deal_id)))
    page = CoachingSession(ws, deal_id=deal.deal_id, today=TODAY)
    tabs_before = list(page.tabs.children)
    plan_form = page.plan_form
    page.tabs.selected_index = 1
    plan_form.controls["objective"].value = "Priya agrees to a pilot on two depots by 4 December"
    plan_form.controls["agenda"].value = "Your goals\nPilot scope"
    plan_form.update_scorecard()
    assert "1. Your goals" in page.agenda.text.value  # the agenda follows the plan
    plan = plan_form.save()
    assert plan is not None
    assert plan.call_id in page.timeline.calls.value  # the saved plan shows in the history
    assert page.tabs.selected_index == 1 and list(page.tabs.children) == tabs_before  # the coach stays on the plan
    assert "Saved the plan" in plan_form.status.value
    debrief_form = page.debrief_form
    assert debrief_form.call.call_id == plan.call_id  # and waits for its debrief
    debrief_form.controls["outcome"].value = "continuation"
    debrief_form.controls["close_date_after"].value = date(2027, 6, 30)
    assert debrief_form.save() is not None
    assert page.plan_form is not plan_form and page.plan_form.call_id is None  # a fresh plan for the next call
    assert page.plan_form.values["questions"]
    assert "Wed 30 Jun 2027" in page.picker.card.value
    # switching deals rebuilds the tabs
    other = next(d for d in ws.deals() if d.deal_id != deal.deal_id and d.is_open)
    page.picker.select(deal_id=other.deal_id)
    assert page.deal.deal_id == other.deal_id and page.plan_form.deal.deal_id == other.deal_id
