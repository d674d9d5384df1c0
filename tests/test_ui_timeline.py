"""The deal timeline: calls table, stage progress, close-date chart and health, rep text escaped."""

from __future__ import annotations

from datetime import date

from callkit.models import Call, CallPlan, CloseDateChange, Commitment, Deal, Debrief
from callkit.process import SalesProcess
from callkit.ui.timeline import (
    DealTimeline, call_rows, calls_table_html, chart_title, close_date_chart_html, close_date_points,
    slips, stage_progress_html,
)
from callkit.workspace import Workspace

DEAL = Deal(
    deal_id="d1", rep_id="r1", account="Acme <Corp>", name="Fleet", stage="discover", close_date=date(2027, 2, 1),
    created=date(2026, 9, 1),
    close_date_history=[CloseDateChange(changed_on=date(2026, 9, 1), close_date=date(2026, 12, 1)),
                        CloseDateChange(changed_on=date(2026, 10, 1), close_date=date(2027, 1, 1)),
                        CloseDateChange(changed_on=date(2026, 11, 1), close_date=date(2027, 2, 1))],
)


def make_call(call_id, day, objective=None, outcome=None, commitments=()):
    plan = CallPlan(call_id=call_id, deal_id="d1", rep_id="r1", call_date=day, objective=objective) if objective else None
    debrief = Debrief(call_id=call_id, outcome=outcome, commitments=list(commitments)) if outcome else None
    return Call(call_id=call_id, deal_id="d1", rep_id="r1", date=day, plan=plan, debrief=debrief)


def test_a_deal_without_a_close_date_and_a_closed_deal():
    early = Deal(deal_id="d2", rep_id="r1", name="Fleet", stage="discover")
    assert close_date_points(early) == []
    timeline = DealTimeline(early, [], SalesProcess.default(), today=date(2026, 11, 1))
    assert "no forecast close date" in timeline.chart.value
    won = Deal(deal_id="d3", rep_id="r1", name="Fleet", stage="close", status="won", close_date=date(2026, 10, 1))
    timeline = DealTimeline(won, [], SalesProcess.default(), today=date(2026, 11, 1))
    assert "This deal was won on Thu 1 Oct 2026." in timeline.health_box.value
    assert "stalled" not in timeline.health_box.value


def test_close_date_points_and_slips():
    points = close_date_points(DEAL)
    assert points == [(date(2026, 9, 1), date(2026, 12, 1)), (date(2026, 10, 1), date(2027, 1, 1)),
                      (date(2026, 11, 1), date(2027, 2, 1))]
    assert slips(points) == [(date(2026, 10, 1), 31), (date(2026, 11, 1), 31)]
    assert chart_title(points) == "Forecast close date moved later 2 times (+62 days)"
    steady = DEAL.model_copy(update={"close_date_history": []})
    assert chart_title(close_date_points(steady)) == "The forecast close date has not moved later"


def test_chart_is_an_inline_svg_with_each_slip_marked():
    html = close_date_chart_html(close_date_points(DEAL), today=date(2026, 11, 20))
    assert html.startswith("<svg") and html.endswith("</svg>")
    assert html.count("+31 d") == 2 and "Forecast close date moved later 2 times (+62 days)" in html
    assert "<script" not in html and "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    one = close_date_chart_html([(date(2026, 9, 1), date(2026, 12, 1))], today=date(2026, 9, 1))  # one point, no slip
    assert one.startswith("<svg") and " d</text>" not in one and "has not moved later" in one


def test_calls_table_shows_objective_outcome_and_commitments_escaped():
    calls = [
        make_call("c2", date(2026, 10, 20), "Priya <b>agrees</b>", "advance",
                  [Commitment(who="Priya", what="intro to CFO", by=date(2026, 10, 30))]),
        make_call("c1", date(2026, 10, 1), None, "continuation"),
        make_call("c3", date(2026, 11, 30), "Tom books the pilot"),
    ]
    rows = call_rows(calls)
    assert [r["call_id"] for r in rows] == ["c1", "c2", "c3"]
    assert rows[1]["commitments"] == ["Priya: intro to CFO by Fri 30 Oct 2026"]
    html = calls_table_html(calls)
    assert "&lt;b&gt;agrees&lt;/b&gt;" in html and "<b>agrees</b>" not in html
    assert "Continuation" in html and "Advance" in html and "Planned" in html and "no plan" in html
    assert "No calls on this deal yet" in calls_table_html([])


def test_stage_progress():
    html = stage_progress_html(DEAL, SalesProcess.default())
    assert "Stage 3 of 8" in html
    assert html.count("ck-badge-done") == 2 and html.count("ck-badge-current") == 1
    odd = DEAL.model_copy(update={"stage": "mystery"})
    assert "not in this workspace" in stage_progress_html(odd, SalesProcess.default())


def test_timeline_widget_on_a_sample_deal(sample_ws_path):
    with Workspace.open(sample_ws_path) as ws:
        deal = max(ws.deals(), key=lambda d: len(d.close_date_history))
        calls = ws.calls(deal_id=deal.deal_id)
        timeline = DealTimeline(deal, calls, ws.process, today=date(2026, 11, 24))
    assert timeline.chart.value.startswith("<svg") and "d</text>" in timeline.chart.value
    assert timeline.calls.value.count("<tr data-call=") == len(calls)
    assert ("looks stalled" in timeline.health_box.value) == timeline.health.stalled
    for finding in timeline.health.findings:
        assert finding.code in timeline.health_box.value


def test_chart_escapes_its_title():
    from callkit.charts import close_date_chart

    html = close_date_chart([(date(2026, 9, 1), date(2026, 12, 1))], title='Moved "later" <twice>')
    assert "Moved &quot;later&quot; &lt;twice&gt;" in html and "<twice>" not in html


# -- the health: a headline that agrees with the findings; a closed deal; the team's norms in the page ----------

from datetime import timedelta  # noqa: E402

from callkit.deals import deal_health, stage_norms  # noqa: E402
from callkit.models import Attendee  # noqa: E402
from callkit.ui.timeline import health_facts, health_html, outcome_badge  # noqa: E402

PROCESS = SalesProcess.default()


def test_a_fix_never_sits_under_a_reassuring_headline():
    today = date(2026, 12, 8)
    late = DEAL.model_copy(update={"close_date": today - timedelta(days=1), "close_date_history": []})
    calls = [make_call("c1", today - timedelta(days=15), "Priya books the pilot", "advance",
                       [Commitment(who="Priya", what="book the pilot", by=today)])]
    html = DealTimeline(late, calls, PROCESS, today=today).health_box.value
    assert "This deal needs attention: the forecast close date passed yesterday" in html
    assert "This deal is moving" not in html
    assert html.index('data-verdict="attention"') < html.index('data-code="deal.past_close_date"')


def test_health_html_escapes_what_reps_typed_in_the_headline_and_facts():
    calls = [Call(call_id=f"c{n}", deal_id="d1", rep_id="r1", date=date(2026, 10, 1) + timedelta(days=14 * n),
                  plan=CallPlan(call_id=f"c{n}", deal_id="d1", rep_id="r1", call_date=date(2026, 10, 1) + timedelta(days=14 * n),
                                attendees=[Attendee(name="<i>Priya</i>", side="client")]),
                  debrief=Debrief(call_id=f"c{n}", outcome="advance", next_call=date(2026, 12, 1),
                                  commitments=[Commitment(who="<i>Priya</i>", what="x", by=date(2026, 11, 30))]))
             for n in range(3)]
    steady = DEAL.model_copy(update={"close_date_history": []})
    health = deal_health(steady, calls, PROCESS, today=date(2026, 11, 20))
    assert health.client_contacts == ["<i>Priya</i>"] and health.verdict == "watch"
    html = health_html(health)
    assert "<i>" not in html and "&lt;i&gt;Priya&lt;/i&gt;" in html
    assert "Next meeting booked: Tue 1 Dec 2026." in health_facts(health)
    assert "None of the 3 debriefed calls was a continuation." in health_facts(health)


def test_a_closed_deal_says_when_and_why_and_that_it_can_be_reopened():
    lost = DEAL.model_copy(update={"status": "lost", "closed_on": date(2026, 11, 2), "lost_reason": "Chose <Acme>"})
    timeline = DealTimeline(lost, [make_call("c1", date(2026, 10, 1), None, "continuation")], PROCESS,
                            today=date(2026, 11, 20))
    html = timeline.health_box.value
    assert "This deal was lost on Mon 2 Nov 2026." in html and "Why it was lost: <b>Chose &lt;Acme&gt;</b>" in html
    assert "no next call to plan" in html and "it can be reopened" in html
    assert "deal.past_close_date" not in html and "moved later" not in html
    unexplained = DEAL.model_copy(update={"status": "won", "closed_on": date(2026, 11, 2)})
    assert "No reason was recorded for why it was won." in health_html(deal_health(unexplained, [], PROCESS))


def test_an_advance_without_a_dated_commitment_says_how_it_counts():
    undated = make_call("c1", date(2026, 10, 1), "Priya agrees", "advance", [Commitment(who="Priya", what="think")])
    dated = make_call("c2", date(2026, 10, 8), "Priya agrees", "advance",
                      [Commitment(who="Priya", what="intro", by=date(2026, 10, 9))])
    assert "counts as a continuation" in outcome_badge(undated)
    assert "counts as a continuation" not in outcome_badge(dated)
    assert calls_table_html([undated, dated]).count("counts as a continuation") == 1


def test_the_page_uses_the_teams_stage_norms(fresh_ws_path):
    with Workspace.open(fresh_ws_path) as ws:
        deals = ws.deals()
        norms = stage_norms(deals)
        today = ws.latest_activity_date()
        stuck = [d for d in deals if d.is_open and deal_health(d, ws.calls(deal_id=d.deal_id), ws.process, today=today,
                                                               stage_norms=norms).stuck]
        assert stuck, "the sample team has deals stuck in a stage"
        timeline = DealTimeline.for_workspace(ws, stuck[0], today=today)
        assert timeline.health.stuck and timeline.stage_norms == norms
        assert 'data-code="deal.stuck"' in timeline.health_box.value
        assert timeline.actions is not None and timeline.actions_slot.children == (timeline.actions,)
        assert "under Deal actions below" not in timeline.health_box.value  # open deal: nothing about reopening


def test_the_timeline_follows_the_deal_actions(fresh_ws_path):
    with Workspace.open(fresh_ws_path) as ws:
        deal = next(d for d in ws.deals() if d.is_open and d.stage == "discover")
        heard = []
        timeline = DealTimeline.for_workspace(ws, deal, today=date(2026, 11, 24), on_change=heard.append)
        timeline.actions.stage.value = "validate"
        timeline.actions.move()
        assert "<b>Validate</b>" in timeline.stages.value and timeline.deal.stage == "validate"
        timeline.actions.reason.value = "No budget this year"
        timeline.actions.mark_lost()
        html = timeline.health_box.value
        assert "This deal was lost on Tue 24 Nov 2026." in html and "No budget this year" in html
        assert "reopen it with “Reopen deal” under Deal actions below" in html
        assert [d.status for d in heard] == ["open", "lost"] and heard[-1] == ws.deal(deal.deal_id)
