"""Score a debrief the way a coach runs one after the call (seeds 000, 002, 003, 004).

Checks: an 'advance' really has a dated client commitment, the objective or at least the fallback was met,
what we learned (urgency, consequence, attitude, competition, decision process, budget), our follow-ups
with owners and dates, a next call, and whether the close date moved. Unanswered questions become
suggested questions for the next plan.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from ..models import NO_ADVANCE_OUTCOMES, SEVERITY_RANK, CallPlan, Deal, Debrief, Finding, sort_findings
from ..text import quote, quote_list, short_date
from .criteria import CriterionBuilder, CriterionScore, weighted_total
from .rubric import Rubric, fill


class DebriefScore(BaseModel):
    """A debrief's score: total 0..100, criteria, findings worst first, and what to ask next time."""

    total: int
    criteria: list[CriterionScore]
    findings: list[Finding]
    likely_continuation: bool  # marked 'advance' but no client commitment has an owner and a date
    unanswered: list[str]  # Learned fields still blank (e.g. 'urgency')
    suggested_questions: list[str]  # one per unanswered field, for the next plan
    close_date_moved_days: int | None = None  # days the close date moved later in this call; None if unknown

    def criterion(self, criterion_id: str) -> CriterionScore:
        """The score of one criterion by id (e.g. 'learned')."""
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)


def close_date_before(deal: Deal, call_date: date | None, after: date) -> date | None:
    """The forecast close date in force before the call, from the deal's history; None when it cannot be told."""
    history = sorted(deal.close_date_history, key=lambda h: h.changed_on)
    if not history:
        return deal.close_date
    if call_date is not None:
        earlier = [h for h in history if h.changed_on < call_date]
        return earlier[-1].close_date if earlier else None
    matches = [i for i, h in enumerate(history) if h.close_date == after]
    if not matches:
        return history[-1].close_date
    i = matches[-1]
    return history[i - 1].close_date if i > 0 else None


def has_dated_commitment(debrief: Debrief) -> bool:
    """True when at least one of the client's commitments says who does it and by when."""
    return any(c.is_dated for c in debrief.commitments)


def unbacked_advance(debrief: Debrief | None) -> bool:
    """True when a call is marked 'advance' but no client commitment says who does it and by when.

    Such a call is a continuation in disguise: the debrief form flags it, the debrief score loses the
    'consistent' check, and deal health counts it as a continuation.
    """
    return debrief is not None and debrief.outcome == "advance" and not has_dated_commitment(debrief)


def counts_as_advance(debrief: Debrief | None) -> bool:
    """Whether a debriefed call counts as an advance in the deal's story: the one rule callkit uses everywhere.

    An order always counts (the client bought); an 'advance' counts only with a dated client commitment (a
    who and a by-when), because without one it is a continuation. No debrief, a continuation or a no-sale
    never counts. Deal health (advance chain, days since the last advance, stalled) and the debrief form use
    this; reports should too: `counts_as_advance(call.debrief)` instead of `call.outcome in ADVANCE_OUTCOMES`.
    """
    if debrief is None:
        return False
    return debrief.outcome == "order" or (debrief.outcome == "advance" and has_dated_commitment(debrief))


def counted_outcome(debrief: Debrief) -> str:
    """The outcome a call counts as: its own, except an 'advance' without a dated client commitment, a continuation."""
    return "continuation" if unbacked_advance(debrief) else debrief.outcome


def _outcome(c: CriterionBuilder, debrief: Debrief, plan: CallPlan | None) -> bool:
    likely_continuation = unbacked_advance(debrief)
    if debrief.outcome in NO_ADVANCE_OUTCOMES and debrief.best_met:
        variant = "met_but_no_advance_plan" if plan is not None and plan.objective else "met_but_no_advance"
        c.check("consistent", False, variant, objective=quote(plan.objective) if plan is not None else "")
    else:
        c.check("consistent", not likely_continuation)
    met = debrief.best_met or debrief.fallback_met
    with_plan = "with_plan" if plan is not None and plan.objective and plan.fallback else None
    values = {"objective": quote(plan.objective), "fallback": quote(plan.fallback)} if plan is not None else {}
    if not c.check("fallback_met", met, with_plan, **values):
        c.covered("best_met")
    else:
        c.check("best_met", debrief.best_met, "with_plan" if plan is not None and plan.objective else None, **values)
    return likely_continuation


def _learned(c: CriterionBuilder, debrief: Debrief, rubric: Rubric, when: date | None) -> tuple[list[str], list[str]]:
    rules = c.rule.checks
    extra = c.rule.extra
    day = short_date(when) if when else str(extra.get("date_fallback") or "your date")
    unanswered: list[str] = []
    for field in rules:
        answered = rubric.is_answered(str(getattr(debrief.learned, field, "") or ""))
        if answered:
            c.check(field, True)
        else:
            c.covered(field)
            unanswered.append(field)
    questions = [fill(rules[f].variants.get("question", ""), date=day) for f in unanswered]
    if unanswered:
        labels = [rules[f].label[:1].lower() + rules[f].label[1:] for f in unanswered]
        unknown = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
        worst = min((rules[f].severity for f in unanswered), key=SEVERITY_RANK.__getitem__)
        tip = extra.get("tip")
        c.findings.append(Finding(
            code="debrief.learned", severity=worst, message=fill(str(extra.get("message", "")), unknown=unknown),
            tip=" ".join([tip or "", *(f'"{q}"' for q in questions[:2])]).strip(),
        ))
    return unanswered, [q for q in questions if q]


def _follow_up(c: CriterionBuilder, debrief: Debrief) -> None:
    if not c.check("recorded", bool(debrief.follow_ups)):
        c.covered("dated")
        return
    undated = [f.what for f in debrief.follow_ups if not f.is_dated]
    c.check("dated", not undated, count=len(undated), steps=quote_list(undated))


def score_debrief(debrief: Debrief, plan: CallPlan | None = None, *, deal: Deal | None = None,
                  rubric: Rubric | None = None) -> DebriefScore:
    """Score a debrief 0..100; with the plan, messages quote its objective; with the deal, a moved close date shows."""
    rubric = rubric or Rubric.default()
    b = {cid: CriterionBuilder(rule) for cid, rule in rubric.debrief.items()}
    likely_continuation = _outcome(b["outcome"], debrief, plan)
    when = debrief.close_date_after or (deal.close_date if deal is not None else None)
    unanswered, questions = _learned(b["learned"], debrief, rubric, when)
    _follow_up(b["follow_up"], debrief)
    if debrief.outcome != "no_sale":  # after a no-sale there is no next call to set
        b["next_call"].check("set", debrief.next_call is not None)
    moved: int | None = None
    after = debrief.close_date_after
    if deal is not None and after is not None:
        before = close_date_before(deal, plan.call_date if plan is not None else None, after)
        if before is not None:
            moved = (after - before).days
            b["close_date"].check("held", moved <= 0, before=before.isoformat(), after=after.isoformat(), days=moved)
    criteria = [x.build() for x in b.values()]
    findings = [f for crit in criteria for f in crit.findings]
    return DebriefScore(
        total=weighted_total(criteria), criteria=criteria, findings=sort_findings(findings),
        likely_continuation=likely_continuation, unanswered=unanswered, suggested_questions=questions,
        close_date_moved_days=moved,
    )
