"""Score a call plan with the coaching rubric: weighted criteria made of yes/no checks, each failure explained.

The rubric (weights, messages, word lists) is data: callkit/data/rubric.yaml, read by `callkit.scoring.rubric`;
a workspace may override it with its own rubric.yaml. The rules come from the seed articles (000-004).
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from ..models import CallPlan, Finding, sort_findings
from ..process import SalesProcess
from ..text import quote, quote_list
from .criteria import CriterionBuilder, CriterionScore, weighted_total
from .objective import ObjectiveAssessment, assess_objective
from .rubric import (  # noqa: F401 - the rubric's names at their old import path
    DEBRIEF_CHECKS, PLAN_CHECKS, RUBRIC_FILE, CheckRule, CriterionRule, Rubric, compression_levels, fill,
)
from .value import about_us, assess_customer_value

# The objective rules' tips that the plan's scorecard shows too: they cost no points.
_OBJECTIVE_TIPS = frozenset({"objective.several", "objective.fallback_inside", "objective.read_as"})


class PlanScore(BaseModel):
    """A plan's score: total 0..100, per-criterion scores, findings worst first and the ready flag."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    total: int
    criteria: list[CriterionScore]
    findings: list[Finding]
    ready: bool
    objective: ObjectiveAssessment
    compression: int  # distinct process steps the call is planned to accomplish, follow-ups excluded

    def criterion(self, criterion_id: str) -> CriterionScore:
        """The score of one criterion by id (e.g. 'agenda')."""
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)


# -- cached per-text assessments -------------------------------------------------------------------


@lru_cache(maxsize=16384)
def cached_objective(text: str, stage: str | None, process: SalesProcess, people: tuple[str, ...] = ()) -> ObjectiveAssessment:
    """assess_objective, cached per (text, stage, process, client people): plans of a team repeat their wording."""
    return assess_objective(text, stage=stage, process=process, people=people)


def client_people(plan: CallPlan) -> tuple[str, ...]:
    """The client's people in the meeting, by name: a suggested objective names them instead of "the sponsor"."""
    return tuple(a.name for a in plan.attendees if a.side == "client" and a.name.strip())


@lru_cache(maxsize=16384)
def cached_customer_centric(text: str) -> bool:
    """assess_customer_value(text).is_customer_centric, cached per text."""
    return bool(assess_customer_value(text).is_customer_centric)


@lru_cache(maxsize=16384)
def cached_about_us(text: str) -> bool:
    """True when an agenda item is about us ("Our product roadmap", "Demo of the module"), cached per text."""
    return about_us(text) is not None


@lru_cache(maxsize=16384)
def cached_neutral(text: str) -> bool:
    """True when an agenda item is for nobody in particular ("Q&A", "Next steps", "Introductions")."""
    return not assess_customer_value(text).is_customer_centric


# -- the criteria ------------------------------------------------------------------------------------


def _objective(c: CriterionBuilder, plan: CallPlan, a: ObjectiveAssessment, stage: str | None,
               process: SalesProcess, rubric: Rubric) -> None:
    text = plan.objective
    if not rubric.is_answered(text):
        c.check("advance", False, "blank")
        c.covered("specific")
        return
    words = quote(text)
    hint = "suggestion" if a.suggestion else None
    c.check("advance", bool(a.is_advance), hint=hint, objective=words, suggestion=a.suggestion or "")
    c.check("specific", bool(a.is_specific), hint=hint, objective=words, suggestion=a.suggestion or "")
    for tip in a.findings:
        if tip.severity == "tip" and tip.code in _OBJECTIVE_TIPS:
            c.note(tip)  # "The advance here is ...", "... is your fallback", "callkit read 'recieve' as ..."
    if stage is not None and a.is_realistic is not None:
        implied = a.implied_stage
        implied_name = process.stage(implied).name if implied and process.has_stage(implied) else ""
        c.check("realistic", bool(a.is_realistic), None if implied_name else "unknown_implied",
                objective=words, stage=process.stage(stage).name, implied=implied_name)


def _fallback(c: CriterionBuilder, plan: CallPlan, process: SalesProcess, rubric: Rubric) -> None:
    if not c.check("present", rubric.is_answered(plan.fallback)):
        c.covered("client_action")
        return
    c.check("client_action", bool(cached_objective(plan.fallback, None, process).is_advance), fallback=quote(plan.fallback))


def _customer_value(c: CriterionBuilder, plan: CallPlan, rubric: Rubric) -> bool:
    if not c.check("answered", rubric.is_answered(plan.customer_value)):
        c.covered("their_terms")
        return False
    return c.check("their_terms", cached_customer_centric(plan.customer_value), value=quote(plan.customer_value))


def _agenda(c: CriterionBuilder, plan: CallPlan, rubric: Rubric) -> bool:
    items = [item for item in plan.agenda if rubric.is_answered(item)]
    has_items = c.check("has_items", bool(items))
    c.check("shared", plan.agenda_shared)
    if items:
        ours = [item for item in items if cached_about_us(item)]
        theirs = [item for item in items if item not in ours and not cached_neutral(item)]
        c.check("theirs", bool(theirs) or not ours, items=quote_list(ours))
    else:
        c.covered("theirs")
    on = plan.agenda_agreed_on
    if plan.agenda_agreed and on is not None and on > plan.call_date:
        c.check("agreed", False, "late", agreed_on=on.isoformat(), call_date=plan.call_date.isoformat())
        return False
    return c.check("agreed", plan.agenda_agreed) and has_items


def _steps(plan: CallPlan, process: SalesProcess, rubric: Rubric) -> tuple[list[str], list[str]]:
    """The plan's distinct process steps and its follow-up steps (a process activity is never a follow-up)."""
    steps: list[str] = []
    follow_ups: list[str] = []
    seen: set[str] = set()
    for step in plan.planned_steps:
        key = " ".join(step.lower().split())
        if key in seen or not rubric.is_answered(step):
            continue
        seen.add(key)
        if process.stage_of_activity(step) is None and rubric.is_follow_up(step):
            follow_ups.append(step)
        else:
            steps.append(step)
    return steps, follow_ups


def _compression(c: CriterionBuilder, plan: CallPlan, stage: str | None, process: SalesProcess,
                 rubric: Rubric) -> int:
    steps, follow_ups = _steps(plan, process, rubric)
    count = len(steps)
    nxt = ""
    if stage is not None:
        nxt = "; ".join(process.activities_after(stage, completed=plan.planned_steps)[:5])
    hint = "next_hint" if nxt else None
    if count == 0:
        purposes = [t for t in [plan.objective, *plan.agenda] if rubric.is_answered(t)] + follow_ups
        if follow_ups or (purposes and all(rubric.is_follow_up(t) for t in purposes)):
            shown = follow_ups or purposes
            c.check("purpose", False, "follow_up_only", hint, steps=quote_list(shown), next=nxt)
        else:
            c.check("purpose", False, hint=hint, next=nxt)
    else:
        c.check("purpose", True)
    if count == 0:  # the purpose finding explains the missing levels
        c.covered("good")
        c.covered("excellent")
    elif c.check("good", count >= compression_levels(rubric)[0], hint=hint, count=count, steps=quote_list(steps), next=nxt):
        c.check("excellent", count >= compression_levels(rubric)[1], hint=hint, count=count, next=nxt)
    else:
        c.covered("excellent")
    return count


def _homework(c: CriterionBuilder, plan: CallPlan, rubric: Rubric) -> None:
    research = plan.research
    c.check("goals", rubric.is_answered(research.goals))
    c.check("obstacles", rubric.is_answered(research.obstacles))
    c.check("industry", rubric.is_answered(research.industry))


def _questions(c: CriterionBuilder, plan: CallPlan, rubric: Rubric) -> None:
    questions = [q for q in plan.questions if rubric.is_answered(q)]
    if not c.check("has_questions", bool(questions)):
        c.covered("business_context")
        return
    c.check("business_context", any(rubric.has_business_context(q) for q in questions), questions=quote_list(questions))


def score_plan(plan: CallPlan, process: SalesProcess | None = None, rubric: Rubric | None = None,
               *, stage: str | None = None) -> PlanScore:
    """Score a call plan 0..100 with the rubric; the deal's stage (`stage`, else plan.stage) enables the 'realistic' check."""
    process = process or SalesProcess.default()
    rubric = rubric or Rubric.default()
    if stage is None:
        stage = plan.stage
    if stage is not None:
        process.index(stage)  # unknown stage ids raise UnknownStageError naming the valid ones
    assessment = cached_objective(plan.objective, stage, process, client_people(plan))
    rules = rubric.plan
    builders = {cid: CriterionBuilder(rule) for cid, rule in rules.items()}
    _objective(builders["objective"], plan, assessment, stage, process, rubric)
    _fallback(builders["fallback"], plan, process, rubric)
    value_ok = _customer_value(builders["customer_value"], plan, rubric)
    agenda_ok = _agenda(builders["agenda"], plan, rubric)
    compression = _compression(builders["compression"], plan, stage, process, rubric)
    _homework(builders["homework"], plan, rubric)
    _questions(builders["questions"], plan, rubric)
    criteria = [b.build() for b in builders.values()]

    missing = [key for key, ok in (("advance", bool(assessment.is_advance) and rubric.is_answered(plan.objective)),
                                   ("customer_value", value_ok), ("agenda", agenda_ok)) if not ok]
    findings: list[Finding] = []
    total = weighted_total(criteria)
    capped = "advance" in missing and total > rubric.cap_without_advance
    if capped:
        total = int(rubric.cap_without_advance)  # seed 004: a call that asks nothing of the client is wasted
    if missing:
        phrases = [rubric.ready_missing[m] for m in missing]
        joined = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
        findings.append(rubric.ready.finding(hint="capped" if capped else None, missing=joined,
                                             cap=f"{rubric.cap_without_advance:g}"))
    for crit in criteria:
        findings.extend(crit.findings)
    return PlanScore.model_construct(
        total=total, criteria=criteria, findings=sort_findings(findings),
        ready=not missing, objective=assessment, compression=compression,
    )
