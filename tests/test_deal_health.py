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
    assert any("Wed 30 Sep 2026 → Sat 31 Oct 2026 → Mon 30 Nov 2026 → Thu 31 Dec 2026" in r and "3 times" in r
               for r in h.reasons)
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
    assert any("continuation" in r and "Tue 15 Sep 2026" in r for r in h.reasons)


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


# -- the headline agrees with the findings --------------------------------------------------------------------

from callkit.deals import DealHealth, deal_verdict, stage_norms  # noqa: E402
from callkit.exceptions import RubricError  # noqa: E402
from callkit.models import Attendee, Finding, StageChange  # noqa: E402
from callkit.scoring.debrief import counted_outcome, counts_as_advance, score_debrief, unbacked_advance  # noqa: E402
from callkit.ui.debrief_values import advance_flag  # noqa: E402


def met(n: int, day: date, outcome: str | None, who: str | None = None, by: date | None = None,
        people: tuple[str, ...] = ("Priya Shah", "Tom Lee"), next_call: date | None = None, stage: str | None = None) -> Call:
    """A call as a rep logs it: a plan with who was there, a debrief with the client's commitment (or none)."""
    attendees = [Attendee(name=p, side="client") for p in people] + [Attendee(name="Sam Rep", side="us")]
    plan = CallPlan(call_id=f"c{n}", deal_id="d001", rep_id="r01", call_date=day, attendees=attendees, stage=stage)
    debrief = None
    if outcome:
        commitments = [Commitment(who=who or "", what="Send the usage data", by=by)] if (who or by) else []
        debrief = Debrief(call_id=f"c{n}", outcome=outcome, commitments=commitments, next_call=next_call)
    return Call(call_id=f"c{n}", deal_id="d001", rep_id="r01", date=day, plan=plan, debrief=debrief)


def coaches_example(last_outcome: str = "continuation") -> tuple[Deal, list[Call], date]:
    """The deal coaches tried: close date passed yesterday, 8 of 11 calls continuations, still in Discover,
    the last call 15 days ago; two of the three 'advances' have no dated client commitment."""
    today = date(2026, 12, 8)
    first = today - timedelta(days=15 + 70)
    plan = ["continuation", "advance", "continuation", "continuation", "advance?", "continuation", "continuation",
            "advance?", "continuation", "continuation", last_outcome]
    calls = []
    for n, outcome in enumerate(plan):
        day = first + timedelta(days=7 * n)
        if outcome == "advance":
            calls.append(met(n, day, "advance", who="Priya", by=day + timedelta(days=4), next_call=day + timedelta(days=7)))
        elif outcome == "advance?":
            calls.append(met(n, day, "advance", next_call=day + timedelta(days=7)))  # no commitment written down
        else:
            calls.append(met(n, day, outcome, next_call=day + timedelta(days=7), stage="discover"))
    the_deal = Deal(deal_id="d001", rep_id="r01", account="Acme", name="Line 3", stage="discover",
                    close_date=today - timedelta(days=1), created=first - timedelta(days=10))
    return the_deal, calls, today


def test_the_coaches_example_is_not_called_moving():
    the_deal, calls, today = coaches_example()
    h = deal_health(the_deal, calls, PROCESS, today=today)
    codes = [f.code for f in h.findings]
    assert "deal.past_close_date" in codes and h.days_past_close == 1
    past = next(f for f in h.findings if f.code == "deal.past_close_date")
    assert "Mon 7 Dec 2026" in past.message and "passed yesterday" in past.message
    assert h.continuations == 10 and h.debriefed == 11 and h.unbacked_advances == 2
    assert h.days_since_last_call == 15
    assert h.stalled and h.verdict == "stalled" and h.headline == "This deal looks stalled."
    assert "moving" not in h.headline


def test_a_problem_that_is_not_a_stall_makes_the_headline_say_why():
    the_deal, calls, today = coaches_example(last_outcome="advance")  # breaks the streak: not stalled
    calls[-1] = met(10, calls[-1].date, "advance", who="Priya", by=today + timedelta(days=3),
                    next_call=today + timedelta(days=2))
    h = deal_health(the_deal, calls, PROCESS, today=today)
    assert not h.stalled and h.advance_chain == 1
    assert h.verdict == "attention"
    assert h.headline == "This deal needs attention: the forecast close date passed yesterday."
    assert "\n" not in h.headline


def test_verdicts_follow_the_worst_finding():
    base = deal_health(deal(), [], PROCESS, today=TODAY)
    fix = Finding(code="deal.a", severity="problem", message="A went wrong.")
    fix2 = Finding(code="deal.b", severity="problem", message="B went wrong.")
    fix3 = Finding(code="deal.c", severity="problem", message="C went wrong.")
    watch = Finding(code="deal.w", severity="warning", message="W is worth a look.")
    tip = Finding(code="deal.t", severity="tip", message="T helps.")

    def verdict(findings, **update):
        return deal_verdict(base.model_copy(update={"findings": findings, "summaries": {"deal.a": "a is wrong"},
                                                    **update}))

    assert verdict([]).kind == "no_warnings"
    assert verdict([], advance_chain=2) == verdict([tip], advance_chain=2)  # a tip never changes the headline
    assert verdict([], advance_chain=2).text == "This deal is moving."
    assert verdict([watch, tip], advance_chain=3).text == "Keep an eye on this deal: W is worth a look."
    assert verdict([fix, watch], advance_chain=3).text == "This deal needs attention: a is wrong."
    assert verdict([fix, fix2, fix3]).text == "This deal needs attention: a is wrong, B went wrong and 1 more."
    assert verdict([fix], stalled=True).text == "This deal looks stalled."
    assert verdict([], status="won", closed_on=date(2026, 11, 3)).text == "This deal was won on Tue 3 Nov 2026."
    assert verdict([], status="lost").text == "This deal is lost."


def test_no_sample_deal_shows_a_fix_under_a_reassuring_headline(sample_ws_path):
    from callkit.workspace import Workspace

    with Workspace.open(sample_ws_path) as ws:
        deals, today = ws.deals(), ws.latest_activity_date()
        norms = stage_norms(deals)
        verdicts = set()
        for d in deals:
            h = deal_health(d, ws.calls(deal_id=d.deal_id), ws.process, today=today, stage_norms=norms)
            severities = {f.severity for f in h.findings}
            verdicts.add(h.verdict)
            if "problem" in severities:
                assert h.verdict in ("attention", "stalled"), (d.deal_id, h.headline)
            elif "warning" in severities:
                assert h.verdict == "watch", (d.deal_id, h.headline)
            elif d.is_open:
                assert h.verdict in ("moving", "no_warnings"), (d.deal_id, h.headline)
    assert {"attention", "watch", "won", "lost"} <= verdicts


def test_the_headline_wording_is_in_the_rubric(tmp_path: Path):
    (tmp_path / "rubric.yaml").write_text(
        "deal_health:\n  messages:\n    headline:\n      attention: 'Look here first: {why}.'\n"
        "    past_close_date:\n      short: closing date gone by {ago}\n", encoding="utf-8")
    the_deal, calls, today = coaches_example(last_outcome="advance")
    calls[-1] = met(10, calls[-1].date, "advance", who="Priya", by=today, next_call=today + timedelta(days=2))
    h = deal_health(the_deal, calls, PROCESS, today=today, rubric=Rubric.for_workspace(tmp_path))
    assert h.headline == "Look here first: closing date gone by yesterday."


# -- an advance counts only with a dated client commitment ------------------------------------------------------

def test_one_rule_for_what_counts_as_an_advance():
    dated = Debrief(call_id="c1", outcome="advance", commitments=[Commitment(who="Priya", what="intro", by=TODAY)])
    undated = Debrief(call_id="c1", outcome="advance", commitments=[Commitment(who="Priya", what="think about it")])
    nobody = Debrief(call_id="c1", outcome="advance", commitments=[Commitment(what="send data", by=TODAY)])
    order = Debrief(call_id="c1", outcome="order")
    assert counts_as_advance(dated) and counts_as_advance(order)
    assert not any(counts_as_advance(d) for d in (undated, nobody, None, Debrief(call_id="c1", outcome="continuation")))
    assert counted_outcome(undated) == "continuation" and counted_outcome(dated) == "advance"
    for d in (dated, undated, nobody, order):  # the form's flag, the debrief score and deal health agree
        assert (advance_flag(d) is not None) == unbacked_advance(d) == score_debrief(d).likely_continuation
        assert unbacked_advance(d) == (d.outcome == "advance" and not counts_as_advance(d))


def test_advances_without_a_dated_commitment_count_as_continuations():
    days = [date(2026, 9, 1) + timedelta(days=14 * n) for n in range(4)]
    calls = [met(0, days[0], "advance", who="Priya", by=days[0] + timedelta(days=3))]
    calls += [met(n, days[n], "advance", who="Priya") for n in (1, 2, 3)]  # "Priya will think about it": no date
    h = deal_health(deal(), calls, PROCESS, today=TODAY)
    assert h.advance_chain == 0 and h.longest_advance_chain == 1
    assert h.continuation_streak == 3 and h.continuations == 3 and h.unbacked_advances == 3
    assert h.days_since_last_advance == (TODAY - days[0]).days
    assert h.stalled and any(f.code == "deal.no_advance" for f in h.findings)
    unbacked = next(f for f in h.findings if f.code == "deal.unbacked_advances")
    assert unbacked.severity == "tip" and unbacked.message.startswith("3 calls marked advance")
    assert "Tue 29 Sep 2026" in unbacked.message
    backed = [met(n, d, "advance", who="Priya", by=d + timedelta(days=3)) for n, d in enumerate(days)]
    moving = deal_health(deal(), backed, PROCESS, today=days[-1] + timedelta(days=1))
    assert moving.advance_chain == 4 and not moving.stalled and moving.unbacked_advances == 0


# -- hygiene: next meeting, days since the last call, stuck, single-threaded --------------------------------------

def codes(h: DealHealth) -> list[str]:
    return [f.code for f in h.findings]


def test_no_next_meeting_booked():
    last = date(2026, 11, 10)
    none = deal_health(deal(), [met(1, last, "advance", who="Priya", by=last)], PROCESS, today=TODAY)
    finding = next(f for f in none.findings if f.code == "deal.no_next_meeting")
    assert finding.message == "No next meeting is booked: the debrief of the call on Tue 10 Nov 2026 set none."
    assert none.next_meeting is None and none.verdict == "watch" and "no next meeting booked" in none.headline

    missed = deal_health(deal(), [met(1, last, "advance", who="Priya", by=last, next_call=date(2026, 11, 17))],
                         PROCESS, today=TODAY)
    assert "due on Tue 17 Nov 2026 and no call on or after it" in str(missed.findings)

    booked = deal_health(deal(), [met(1, last, "advance", who="Priya", by=last, next_call=date(2026, 11, 26))],
                         PROCESS, today=TODAY)
    assert "deal.no_next_meeting" not in codes(booked) and booked.next_meeting == date(2026, 11, 26)

    planned = deal_health(deal(), [met(1, last, "advance", who="Priya", by=last), met(2, date(2026, 11, 27), None)],
                          PROCESS, today=TODAY)
    assert "deal.no_next_meeting" not in codes(planned) and planned.next_meeting == date(2026, 11, 27)

    held_not_debriefed = [met(1, last, "advance", who="Priya", by=last, next_call=date(2026, 11, 17)),
                          met(2, date(2026, 11, 17), None)]
    assert "deal.no_next_meeting" not in codes(deal_health(deal(), held_not_debriefed, PROCESS, today=TODAY))
    assert "deal.no_next_meeting" not in codes(deal_health(deal(), [], PROCESS, today=TODAY))


def test_days_since_the_last_call_threshold_is_in_the_rubric(tmp_path: Path):
    calls = [met(1, TODAY - timedelta(days=20), "advance", who="Priya", by=TODAY, next_call=TODAY + timedelta(days=1))]
    assert "deal.quiet" not in codes(deal_health(deal(), calls, PROCESS, today=TODAY))
    (tmp_path / "rubric.yaml").write_text("deal_health:\n  days_without_call: 14\n", encoding="utf-8")
    h = deal_health(deal(), calls, PROCESS, today=TODAY, rubric=Rubric.for_workspace(tmp_path))
    quiet = next(f for f in h.findings if f.code == "deal.quiet")
    assert quiet.message == "No call for 20 days (the last one was on Sat 31 Oct 2026)."
    assert h.verdict == "watch" and "no call for 20 days" in h.headline


def test_stuck_in_a_stage_longer_than_the_team_usually_is():
    entered = TODAY - timedelta(days=80)
    stuck_deal = deal().model_copy(update={"created": TODAY - timedelta(days=120), "stage_history": [
        StageChange(changed_on=TODAY - timedelta(days=120), stage="qualify"), StageChange(changed_on=entered, stage="discover")]})
    team = [Deal(deal_id=f"t{n}", rep_id="r01", name="x", stage="solution", created=date(2026, 1, 1),
                 stage_history=[StageChange(changed_on=date(2026, 1, 1), stage="discover"),
                                StageChange(changed_on=date(2026, 1, 1) + timedelta(days=days), stage="solution")])
            for n, days in enumerate((20, 30, 40))]
    norms = stage_norms(team)
    assert norms == {"discover": 30.0}
    h = deal_health(stuck_deal, [], PROCESS, today=TODAY, stage_norms=norms)
    assert h.stuck and h.days_in_stage == 80
    assert "In Discover for 80 days; the team usually moves on after 30 days." in h.reasons
    assert not deal_health(stuck_deal, [], PROCESS, today=TODAY).stuck  # no norms: nobody is called stuck
    assert not deal_health(stuck_deal, [], PROCESS, today=TODAY, stage_norms={"discover": 60.0}).stuck  # 80 < 1.5 x 60


def test_single_threaded_deal(tmp_path: Path):
    days = [date(2026, 10, 1), date(2026, 10, 15), date(2026, 11, 1)]
    only_priya = [met(n, d, "advance", who="Priya", by=d + timedelta(days=2), people=(name,), next_call=TODAY)
                  for n, (d, name) in enumerate(zip(days, ("Priya Shah", "Priya", "priya shah")))]
    h = deal_health(deal(), only_priya, PROCESS, today=TODAY)
    assert h.client_contacts == ["Priya Shah"]
    single = next(f for f in h.findings if f.code == "deal.single_threaded")
    assert single.message == "Single-threaded: Priya Shah is the only person on the client side in all 3 planned calls."
    assert "Priya Shah" in single.tip and h.headline == "Keep an eye on this deal: only one contact on the client side (Priya Shah)."

    with_cfo = only_priya[:2] + [met(2, days[2], "advance", who="Dave", by=TODAY, people=("Priya Shah", "Dave Ng"),
                                     next_call=TODAY)]
    assert "deal.single_threaded" not in codes(deal_health(deal(), with_cfo, PROCESS, today=TODAY))
    assert "deal.single_threaded" not in codes(deal_health(deal(), only_priya[:1], PROCESS, today=TODAY))  # first call
    elena = only_priya[:2] + [met(2, days[2], "advance", who="Elena (Data Lead)", by=TODAY, people=("Priya Shah",),
                                  next_call=TODAY)]
    h = deal_health(deal(), elena, PROCESS, today=TODAY)  # she committed, so the rep reached her: not single-threaded
    assert h.client_contacts == ["Priya Shah", "Elena"] and "deal.single_threaded" not in codes(h)
    ours = only_priya[:2] + [met(2, days[2], "advance", who="Sam", by=TODAY, people=("Priya Shah",), next_call=TODAY)]
    assert deal_health(deal(), ours, PROCESS, today=TODAY).client_contacts == ["Priya Shah"]  # Sam Rep is on our side
    nobody_listed = [met(n, d, "advance", who="Priya", by=d, people=(), next_call=TODAY) for n, d in enumerate(days)]
    assert "deal.single_threaded" not in codes(deal_health(deal(), nobody_listed, PROCESS, today=TODAY))

    (tmp_path / "rubric.yaml").write_text("deal_health:\n  single_threaded_after_calls: 4\n", encoding="utf-8")
    relaxed = deal_health(deal(), only_priya, PROCESS, today=TODAY, rubric=Rubric.for_workspace(tmp_path))
    assert "deal.single_threaded" not in codes(relaxed)
    (tmp_path / "rubric.yaml").write_text("deal_health:\n  single_threaded_after_calls: 0\n", encoding="utf-8")
    with pytest.raises(RubricError, match="single_threaded_after_calls must be a whole number, 1 or more"):
        deal_health(deal(), only_priya, PROCESS, today=TODAY, rubric=Rubric.for_workspace(tmp_path))


def test_a_coach_can_reword_the_new_warnings(tmp_path: Path):
    (tmp_path / "rubric.yaml").write_text(
        "deal_health:\n  messages:\n    no_next_meeting:\n      message: 'Nothing in the diary since {date}.'\n",
        encoding="utf-8")
    last = date(2026, 11, 10)
    h = deal_health(deal(), [met(1, last, "advance", who="Priya", by=last)], PROCESS, today=TODAY,
                    rubric=Rubric.for_workspace(tmp_path))
    assert "Nothing in the diary since Tue 10 Nov 2026." in h.reasons
    (tmp_path / "rubric.yaml").write_text(
        "deal_health:\n  messages:\n    single_threaded:\n      message: 'Only {whom}.'\n", encoding="utf-8")
    with pytest.raises(RubricError, match="whom"):
        Rubric.for_workspace(tmp_path)


def test_a_closed_deal_says_when_it_closed_and_why():
    lost = deal().model_copy(update={"status": "lost", "closed_on": date(2026, 11, 2), "lost_reason": "No budget"})
    h = deal_health(lost, [met(1, date(2026, 10, 1), "continuation")], PROCESS, today=TODAY)
    assert h.findings == [] and h.verdict == "lost" and h.headline == "This deal was lost on Mon 2 Nov 2026."
    assert h.closed_on == date(2026, 11, 2) and h.close_reason == "No budget" and h.continuations == 1


def test_the_workspace_computes_the_same_stage_norms_in_sql(ws):
    """Workspace.stage_norms (one SQL query) agrees with stage_norms over the deals, also on the edge cases: a
    deal created before its first stage entry, a stay that ends by closing in the same stage, a stage entered
    twice, a repeated entry that is no move, and a stage with fewer than three finished stays (no norm)."""
    from callkit.models import Rep

    assert ws.stage_norms() == stage_norms(ws.deals())  # the sample team
    ws.add_rep(Rep(rep_id="norms", name="Norma Stay"))
    start = date(2025, 1, 6)

    def history(*steps: tuple[int, str, str]) -> list[StageChange]:
        return [StageChange(changed_on=start + timedelta(days=d), stage=s, status=st) for d, s, st in steps]

    shapes = [
        (start - timedelta(days=9), history((0, "qualify", "open"), (12, "discover", "open"), (40, "solution", "open"))),
        (None, history((0, "qualify", "open"), (5, "qualify", "open"), (21, "discover", "open"),
                       (30, "discover", "won"))),
        (start, history((0, "discover", "open"), (14, "solution", "open"), (20, "discover", "open"),
                        (33, "solution", "open"))),
        (start + timedelta(days=3), history((0, "negotiate", "open"), (8, "negotiate", "lost"))),
    ]
    for n, (created, changes) in enumerate(shapes * 2):
        last = changes[-1]
        ws.add_deal(Deal(deal_id=f"norm-{n}", rep_id="norms", name=f"Norm {n}", stage=last.stage, status=last.status,
                         closed_on=last.changed_on if last.status != "open" else None, created=created,
                         stage_history=changes))
    deals = ws.deals()
    assert ws.stage_norms() == stage_norms(deals)
    only_new = stage_norms([d for d in deals if d.rep_id == "norms"])
    assert "negotiate" not in only_new  # two finished stays: too few for a norm
