"""deal_health on hand-built deals: slips, monthly slips, continuation streaks, stalls, the chain of advances."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from callkit.deals import deal_health
from callkit.models import Call, CallPlan, CloseDateChange, Commitment, Deal, Debrief
from callkit.process import SalesProcess
from callkit.scoring.plan import Rubric

PROCESS = SalesProcess.default()
DISCOVER = PROCESS.stage("discover").activities
SOLUTION = PROCESS.stage("solution").activities
VALIDATE = PROCESS.stage("validate").activities
TODAY = date(2026, 11, 20)


def deal(stage: str = "discover", history: list[tuple[date, date]] = (), close: date | None = None) -> Deal:
    changes = [CloseDateChange(changed_on=on, close_date=cd) for on, cd in history]
    current = close or (changes[-1].close_date if changes else date(2026, 12, 31))
    return Deal(deal_id="d001", rep_id="r01", account="Acme", name="Line 3", stage=stage, close_date=current,
                close_date_history=changes)


def call(n: int, day: date, outcome: str | None, steps: list[str] = (), close_after: date | None = None,
         planned: list[str] = (), deal_id: str = "d001") -> Call:
    plan = CallPlan(call_id=f"c{n}", deal_id=deal_id, rep_id="r01", call_date=day, planned_steps=list(planned))
    debrief = None
    if outcome:
        commitments = [Commitment(who="Ana", what="Send data", by=day + timedelta(days=3))] if outcome == "advance" else []
        debrief = Debrief(call_id=f"c{n}", outcome=outcome, completed_steps=list(steps), commitments=commitments,
                          close_date_after=close_after)
    return Call(call_id=f"c{n}", deal_id=deal_id, rep_id="r01", date=day, plan=plan, debrief=debrief)


# Seed 002's wandering deal: the forecast pushed back 30 days, then another 30, then another.
WANDERING = [
    (date(2026, 7, 1), date(2026, 9, 30)),
    (date(2026, 9, 25), date(2026, 10, 31)),
    (date(2026, 10, 27), date(2026, 11, 30)),
    (date(2026, 11, 18), date(2026, 12, 31)),
]


def test_wandering_deal_has_monthly_slips_and_a_reason_with_the_dates():
    h = deal_health(deal(history=WANDERING), [], PROCESS, today=TODAY)
    assert h.slips == 3 and h.monthly_slips == 3
    assert h.slip_days == 31 + 30 + 31
    assert any("2026-09-30 → 2026-10-31 → 2026-11-30 → 2026-12-31" in r and "3 times" in r for r in h.reasons)
    assert h.findings[0].severity == "problem"


def test_slips_merge_history_and_debriefs_without_double_counting():
    history = [(date(2026, 8, 1), date(2026, 10, 31)), (date(2026, 9, 10), date(2026, 11, 30))]
    calls = [
        call(1, date(2026, 9, 10), "continuation", close_after=date(2026, 11, 30)),  # the same move, seen twice
        call(2, date(2026, 10, 12), "continuation", close_after=date(2027, 2, 28)),  # only in the debrief
    ]
    h = deal_health(deal(history=history, close=date(2027, 2, 28)), calls, PROCESS, today=TODAY)
    assert h.slips == 2
    assert h.slip_days == 30 + 90
    assert h.monthly_slips == 1  # the 90-day push is a slip, not a monthly one
    assert [m.days for m in h.close_date_moves] == [30, 90]


def test_a_close_date_pulled_in_is_not_a_slip():
    history = [(date(2026, 8, 1), date(2026, 12, 31)), (date(2026, 9, 1), date(2026, 11, 30))]
    h = deal_health(deal(history=history), [], PROCESS, today=TODAY)
    assert h.slips == 0 and h.slip_days == 0 and h.close_date_moves[0].days == -31
    assert h.reasons == []


def test_continuation_streak_counts_the_run_at_the_end():
    calls = [call(1, date(2026, 9, 1), "continuation"), call(2, date(2026, 9, 8), "advance", DISCOVER[:1]),
             call(3, date(2026, 9, 15), "continuation"), call(4, date(2026, 9, 22), "continuation"),
             call(5, date(2026, 10, 1), None)]  # planned, not debriefed yet: does not break the streak
    h = deal_health(deal(), calls, PROCESS, today=TODAY)
    assert h.continuation_streak == 2


def test_stalled_by_continuations_without_stage_progress():
    calls = [call(1, date(2026, 9, 1), "advance", DISCOVER[:1]),
             call(2, date(2026, 9, 15), "continuation", DISCOVER[1:2]),
             call(3, date(2026, 10, 1), "continuation")]
    h = deal_health(deal(), calls, PROCESS, today=TODAY)
    assert h.stalled is True
    assert h.findings[0].code == "deal.stalled"
    assert "last 2 calls" in h.reasons[0] and "Discover" in h.reasons[0]
    assert any("continuation" in r and "2026-09-15" in r for r in h.reasons)


def test_not_stalled_when_continuations_still_moved_the_stage():
    calls = [call(1, date(2026, 9, 1), "advance", DISCOVER[:1]),
             call(2, date(2026, 9, 15), "continuation", SOLUTION[:1]),
             call(3, date(2026, 10, 1), "continuation")]
    h = deal_health(deal(stage="solution"), calls, PROCESS, today=TODAY)
    assert h.continuation_streak == 2 and h.stalled is False
    assert h.stage_progress == 1


def test_stalled_by_monthly_slips_without_progress_but_not_after_progress():
    calls = [call(1, date(2026, 9, 1), "advance", DISCOVER[:2]), call(2, date(2026, 10, 20), "advance", DISCOVER[2:3])]
    stuck = deal_health(deal(history=WANDERING), calls, PROCESS, today=TODAY)
    assert stuck.stalled is True and "slipped by about a month" in stuck.reasons[0]
    moving = deal_health(deal(stage="validate", history=WANDERING),
                         calls + [call(3, date(2026, 11, 10), "advance", VALIDATE[:1])], PROCESS, today=TODAY)
    assert moving.monthly_slips == 3 and moving.stalled is False


def test_advance_chain_current_and_longest():
    outcomes = ["advance", "advance", "advance", "continuation", "advance", "order"]
    calls = [call(n, date(2026, 9, 1) + timedelta(days=7 * n), o) for n, o in enumerate(outcomes)]
    h = deal_health(deal(), calls, PROCESS, today=TODAY)
    assert h.advance_chain == 2 and h.longest_advance_chain == 3
    assert h.calls_per_advance == pytest.approx(6 / 5, abs=0.01)
    broken = deal_health(deal(), calls + [call(9, date(2026, 11, 1), "continuation")], PROCESS, today=TODAY)
    assert broken.advance_chain == 0 and broken.continuation_streak == 1


def test_stage_progress_calls_per_stage_and_days_since_last_advance():
    calls = [call(1, date(2026, 9, 1), "advance", DISCOVER[:2]),
             call(2, date(2026, 9, 10), "continuation", planned=DISCOVER[2:3]),
             call(3, date(2026, 9, 20), "advance", SOLUTION[:1]),
             call(4, date(2026, 10, 1), "advance", VALIDATE[:1]),
             call(5, date(2026, 10, 10), "continuation")]
    h = deal_health(deal(stage="validate"), calls, PROCESS, today=date(2026, 10, 31))
    assert h.stage_progress == 2  # discover -> validate
    assert h.stage == "validate"
    assert h.calls_per_stage == {"discover": 2, "solution": 1, "validate": 2}
    assert h.days_since_last_advance == 30
    assert h.calls_per_advance == pytest.approx(5 / 3, abs=0.01)


def test_stage_progress_from_the_deal_stage_when_steps_are_unknown():
    calls = [call(1, date(2026, 9, 1), "advance", planned=DISCOVER[:1]), call(2, date(2026, 9, 20), "advance")]
    h = deal_health(deal(stage="propose"), calls, PROCESS, today=TODAY)
    assert h.stage_progress == PROCESS.index("propose") - PROCESS.index("discover")


def test_the_stage_recorded_on_a_plan_counts_for_stage_progress():
    first = call(1, date(2026, 9, 1), "advance")
    first.plan.stage = "qualify"  # no steps named: the plan still says where the deal stood
    later = call(2, date(2026, 9, 20), "advance")
    later.plan.stage = "solution"
    h = deal_health(deal(stage="solution"), [first, later], PROCESS, today=TODAY)
    assert h.stage_progress == PROCESS.index("solution") - PROCESS.index("qualify")
    assert h.calls_per_stage == {"qualify": 1, "solution": 1}


def test_long_time_without_advance_and_never_advanced():
    old = deal_health(deal(), [call(1, date(2026, 8, 1), "advance"), call(2, date(2026, 8, 20), "continuation")],
                      PROCESS, today=TODAY)
    assert old.days_since_last_advance == (TODAY - date(2026, 8, 1)).days
    assert any(f.code == "deal.no_advance" for f in old.findings)
    never = deal_health(deal(), [call(1, date(2026, 9, 1), "no_sale"), call(2, date(2026, 9, 20), "continuation")],
                        PROCESS, today=TODAY)
    assert never.days_since_last_advance is None and never.calls_per_advance is None
    assert any(f.code == "deal.never_advanced" for f in never.findings)


def test_no_calls_and_other_deals_calls_never_raise():
    h = deal_health(deal(), [call(1, date(2026, 9, 1), "continuation", deal_id="d999")], PROCESS, today=TODAY)
    assert h.continuation_streak == 0 and h.calls_per_stage == {} and h.stage_progress == 0
    assert h.stalled is False and h.reasons == [] and h.advance_chain == 0


def test_deal_in_a_stage_the_process_does_not_know_still_works():
    h = deal_health(deal(stage="legacy"), [call(1, date(2026, 9, 1), "continuation")], PROCESS, today=TODAY)
    assert h.calls_per_stage == {"legacy": 1} and h.stage_progress == 0


def test_thresholds_come_from_the_rubric(tmp_path: Path):
    (tmp_path / "rubric.yaml").write_text("deal_health:\n  stalled_continuations: 3\n", encoding="utf-8")
    calls = [call(1, date(2026, 9, 1), "continuation"), call(2, date(2026, 9, 8), "continuation")]
    assert deal_health(deal(), calls, PROCESS, today=TODAY).stalled is True
    assert deal_health(deal(), calls, PROCESS, today=TODAY, rubric=Rubric.for_workspace(tmp_path)).stalled is False
