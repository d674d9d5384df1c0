"""The deal timeline: calls table, stage progress, close-date chart and health, rep text escaped."""

from __future__ import annotations

from datetime import date

from callkit.models import Call, CallPlan, CloseDateChange, Commitment, Deal, Debrief
from callkit.process import SalesProcess
from callkit.ui.timeline import (
    DealTimeline, call_rows, calls_table_html, chart_title, close_date_chart_png, close_date_points, png_img_html,
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
    assert "This deal is won." in timeline.health_box.value and "stalled" not in timeline.health_box.value.split("</b>")[0]


def test_close_date_points_and_slips():
    points = close_date_points(DEAL)
    assert points == [(date(2026, 9, 1), date(2026, 12, 1)), (date(2026, 10, 1), date(2027, 1, 1)),
                      (date(2026, 11, 1), date(2027, 2, 1))]
    assert slips(points) == [(date(2026, 10, 1), 31), (date(2026, 11, 1), 31)]
    assert chart_title(points) == "Forecast close date moved later 2 times (+62 days)"
    steady = DEAL.model_copy(update={"close_date_history": []})
    assert chart_title(close_date_points(steady)) == "The forecast close date has not moved later"


def test_chart_is_a_png():
    png = close_date_chart_png(close_date_points(DEAL))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 2000


def test_calls_table_shows_objective_outcome_and_commitments_escaped():
    calls = [
        make_call("c2", date(2026, 10, 20), "Priya <b>agrees</b>", "advance",
                  [Commitment(who="Priya", what="intro to CFO", by=date(2026, 10, 30))]),
        make_call("c1", date(2026, 10, 1), None, "continuation"),
        make_call("c3", date(2026, 11, 30), "Tom books the pilot"),
    ]
    rows = call_rows(calls)
    assert [r["call_id"] for r in rows] == ["c1", "c2", "c3"]
    assert rows[1]["commitments"] == ["Priya: intro to CFO by 2026-10-30"]
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
    assert "data:image/png;base64," in timeline.chart.value
    assert timeline.calls.value.count("<tr data-call=") == len(calls)
    assert ("looks stalled" in timeline.health_box.value) == timeline.health.stalled
    for finding in timeline.health.findings:
        assert finding.code in timeline.health_box.value


def test_chart_html_escapes_its_alt_text():
    html = png_img_html(b"\x89PNG", 'Moved "later" <twice>')
    assert 'alt="Moved &quot;later&quot; &lt;twice&gt;"' in html
    assert html.count("<") == 1
