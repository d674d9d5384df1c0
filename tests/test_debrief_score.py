"""score_debrief: outcome consistency, commitments met, what we learned, follow-ups, next call, close date."""

from __future__ import annotations

import random
from datetime import date

import pytest

from callkit.models import SEVERITY_RANK, CallPlan, CloseDateChange, Commitment, Deal, Debrief, Learned
from callkit.scoring.debrief import close_date_before, score_debrief
from callkit.scoring.plan import DEBRIEF_CHECKS

CALL_DAY = date(2026, 10, 6)
FULL_LEARNED = Learned(
    urgency="Their line upgrade starts in January", consequence="They lose the Q1 retail contract",
    attitude="Warm; liked the benchmark", competition="Talking to Acme, think they are pricey",
    decision_process="Plant manager recommends, CFO signs", budget="Around 80k in the 2027 plan",
)
PLAN = CallPlan(call_id="c0001", deal_id="d001", rep_id="r01", call_date=CALL_DAY,
                objective="Priya introduces us to her CFO by Friday",
                fallback="Priya sends us their downtime report by Thursday")
DEAL = Deal(
    deal_id="d001", rep_id="r01", account="Acme Foods", name="Line 3 monitoring", stage="discover",
    close_date=date(2026, 10, 31),
    close_date_history=[CloseDateChange(changed_on=date(2026, 8, 1), close_date=date(2026, 10, 31))],
)


def make_debrief(**changes: object) -> Debrief:
    data: dict[str, object] = dict(
        call_id="c0001", outcome="advance", best_met=True, fallback_met=True,
        commitments=[Commitment(who="Priya", what="Introduce us to the CFO", by=date(2026, 10, 9))],
        learned=FULL_LEARNED, completed_steps=["Map their current process and what it costs them"],
        follow_ups=[Commitment(who="Sam", what="Send the benchmark", by=date(2026, 10, 7))],
        next_call=date(2026, 10, 13), close_date_after=date(2026, 10, 31),
    )
    data.update(changes)
    return Debrief(**data)  # type: ignore[arg-type]


def test_complete_debrief_scores_100():
    s = score_debrief(make_debrief(), PLAN, deal=DEAL)
    assert s.total == 100
    assert s.findings == [] and s.unanswered == [] and s.suggested_questions == []
    assert s.likely_continuation is False
    assert s.close_date_moved_days == 0
    assert [c.id for c in s.criteria] == list(DEBRIEF_CHECKS)


@pytest.mark.parametrize("commitments", [
    [],
    [Commitment(who="Priya", what="Think about it")],  # no date
    [Commitment(what="Send the data", by=date(2026, 10, 9))],  # no owner
])
def test_advance_without_owner_and_date_is_a_likely_continuation(commitments):
    s = score_debrief(make_debrief(commitments=commitments))
    assert s.likely_continuation is True
    assert s.findings[0].code == "debrief.outcome.consistent"
    assert "continuation" in s.findings[0].message
    assert s.total < 100


@pytest.mark.parametrize("outcome", ["continuation", "no_sale", "order"])
def test_likely_continuation_only_flags_advances(outcome):
    s = score_debrief(make_debrief(outcome=outcome, commitments=[], best_met=False))
    assert s.likely_continuation is False


def test_objective_met_but_no_advance_is_inconsistent():
    s = score_debrief(make_debrief(outcome="continuation"), PLAN)
    finding = next(f for f in s.findings if f.code == "debrief.outcome.consistent")
    assert PLAN.objective in finding.message


def test_fallback_met_not_best_is_a_tip_quoting_the_objective():
    s = score_debrief(make_debrief(best_met=False), PLAN)
    c = s.criterion("outcome")
    assert ("best_met", False) in c.checks and ("fallback_met", True) in c.checks
    assert c.findings[0].severity == "tip" and PLAN.objective in c.findings[0].message


def test_neither_met_quotes_objective_and_fallback():
    s = score_debrief(make_debrief(best_met=False, fallback_met=False), PLAN)
    c = s.criterion("outcome")
    assert ("fallback_met", False) in c.checks and ("best_met", False) in c.checks
    assert len(c.findings) == 1
    assert PLAN.objective in c.findings[0].message and PLAN.fallback in c.findings[0].message


def test_unanswered_questions_become_suggested_questions():
    learned = FULL_LEARNED.model_copy(update={"urgency": "", "consequence": "TBD", "budget": "?"})
    s = score_debrief(make_debrief(learned=learned, close_date_after=date(2026, 11, 30)))
    assert s.unanswered == ["urgency", "consequence", "budget"]
    assert len(s.suggested_questions) == 3
    assert "What happens if you don't have this in place by 30 Nov 2026?" in s.suggested_questions
    finding = next(f for f in s.findings if f.code == "debrief.learned")
    assert "urgency" in finding.message and "budget" in finding.message
    assert s.criterion("learned").score == pytest.approx(3 / 6)


def test_consequence_question_without_any_date_says_your_date():
    s = score_debrief(make_debrief(learned=Learned(), close_date_after=None))
    assert any(q.endswith("by your date?") for q in s.suggested_questions)
    assert len(s.unanswered) == 6 and s.criterion("learned").score == 0


def test_follow_ups_missing_or_undated():
    none = score_debrief(make_debrief(follow_ups=[])).criterion("follow_up")
    assert none.checks == [("recorded", False), ("dated", False)] and len(none.findings) == 1
    undated = score_debrief(make_debrief(follow_ups=[Commitment(who="Sam", what="Send the ROI sheet")]))
    c = undated.criterion("follow_up")
    assert c.checks == [("recorded", True), ("dated", False)]
    assert "Send the ROI sheet" in c.findings[0].message


def test_next_call_missing_and_not_needed_after_no_sale():
    missing = score_debrief(make_debrief(next_call=None))
    assert "debrief.next_call.set" in [f.code for f in missing.findings]
    lost = score_debrief(make_debrief(outcome="no_sale", next_call=None, best_met=False, commitments=[]))
    assert lost.criterion("next_call").checks == []
    assert "debrief.next_call.set" not in [f.code for f in lost.findings]


def test_close_date_moved_later_is_a_warning():
    s = score_debrief(make_debrief(close_date_after=date(2026, 11, 30)), PLAN, deal=DEAL)
    assert s.close_date_moved_days == 30
    finding = next(f for f in s.findings if f.code == "debrief.close_date.held")
    assert finding.severity == "warning"
    assert "2026-10-31" in finding.message and "2026-11-30" in finding.message


def test_close_date_pulled_in_or_unknown_is_not_a_finding():
    earlier = score_debrief(make_debrief(close_date_after=date(2026, 10, 15)), PLAN, deal=DEAL)
    assert earlier.close_date_moved_days == -16 and earlier.criterion("close_date").score == 1
    no_deal = score_debrief(make_debrief(close_date_after=date(2026, 12, 31)), PLAN)
    assert no_deal.close_date_moved_days is None and no_deal.criterion("close_date").checks == []


def test_close_date_before_reads_the_history_around_the_call():
    deal = DEAL.model_copy(update={"close_date": date(2026, 11, 30), "close_date_history": [
        CloseDateChange(changed_on=date(2026, 8, 1), close_date=date(2026, 10, 31)),
        CloseDateChange(changed_on=CALL_DAY, close_date=date(2026, 11, 30)),  # recorded from this debrief
    ]})
    assert close_date_before(deal, CALL_DAY, date(2026, 11, 30)) == date(2026, 10, 31)
    assert close_date_before(deal, None, date(2026, 11, 30)) == date(2026, 10, 31)
    s = score_debrief(make_debrief(close_date_after=date(2026, 11, 30)), deal=deal)
    assert s.close_date_moved_days == 30


def test_every_lost_point_has_a_finding_over_many_debriefs():
    rng = random.Random(11)
    fields = list(Learned.model_fields)
    for n in range(300):
        debrief = Debrief(
            call_id=f"c{n}", outcome=rng.choice(["order", "advance", "continuation", "no_sale"]),
            best_met=rng.random() < 0.4, fallback_met=rng.random() < 0.5,
            commitments=rng.choice([[], [Commitment(who="Ana", what="Send data", by=date(2026, 10, 9))],
                                    [Commitment(what="Think")]]),
            learned=Learned(**{f: rng.choice(["", "TBD", "known"]) for f in fields}),
            follow_ups=rng.choice([[], [Commitment(who="Sam", what="Send", by=date(2026, 10, 8))],
                                   [Commitment(what="Call")]]),
            next_call=rng.choice([None, date(2026, 10, 20)]),
            close_date_after=rng.choice([None, date(2026, 10, 31), date(2026, 11, 30), date(2026, 10, 1)]),
        )
        s = score_debrief(debrief, rng.choice([None, PLAN]), deal=rng.choice([None, DEAL]))
        assert 0 <= s.total <= 100
        ranks = [SEVERITY_RANK[f.severity] for f in s.findings]
        assert ranks == sorted(ranks)
        for c in s.criteria:
            mine = [f for f in s.findings if f.code.startswith(f"debrief.{c.id}")]
            assert (c.score < 1) == bool(mine), (c.id, c.checks)
        assert len(s.suggested_questions) == len(s.unanswered)


def test_minimal_debrief_never_raises():
    s = score_debrief(Debrief(call_id="c1", outcome="continuation"), CallPlan(call_id="c1", deal_id="d", rep_id="r",
                                                                             call_date=CALL_DAY))
    assert 0 <= s.total <= 100 and s.findings
