"""A rep's coaching-report figures and the team's medians (the worker side of a report), in plain Python.

The batch's workers call `compute_rep_data` once per rep: it reads the workspace, scores every plan and
measures the deals, and returns the JSON-able `RepData` of `data.py`, which the rep's kernel only renders.
Workspace and scoring modules are imported inside the functions that need them.

Every figure is computed once, here, for the period and for the previous period of the same length, and
the page only words it: a sentence never recomputes a number the table shows in another way.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable

from .data import (CALL_KEYS, DEAL_KEYS, CoachingPoint, Example, Figures, Halves, RepData, RepSummary, Skill,
                   SkillCheck, TeamData, TrendWeek, open_cached_workspace)
from .deal_figures import deal_period
from .names import report_slug
from .period import previous_period, resolve_period, week_index, week_starts

if TYPE_CHECKING:  # pragma: no cover
    from ..models import Call, CallPlan, Deal
    from ..process import SalesProcess
    from ..workspace import Workspace

__all__ = ["compute_rep_data", "compute_team", "default_period", "open_cached_workspace", "rep_summary",
           "team_data", "team_stage_norms"]

QUOTE_LIMIT = 280
TOP_POINTS = 3
NO_PLAN_CODE = "report.no_plan"
# The rep's own words quoted as the example of a finding, by rubric criterion.
QUOTED_FIELD = {
    "objective": ("objective", "Your objective"),
    "fallback": ("fallback", "Your fallback"),
    "customer_value": ("customer_value", "What's in it for the customer"),
    "agenda": ("agenda", "Your agenda"),
    "compression": ("planned_steps", "Your planned steps"),
    "questions": ("questions", "Your questions"),
    "homework": ("research", "Your homework"),
}
NO_PLAN_TEXT = {
    "title": "Plan every call",
    "message": "{count} of your {calls} calls had no written plan.",
    "tip": ("Before each call, write what the client will do (an advance) and what's in it for the customer "
            "to invest their time now; if you can't answer that, you aren't ready and should reschedule."),
}


# -- the period ------------------------------------------------------------------------------------


def default_period(ws: "Workspace", since: Any = None, until: Any = None) -> tuple[date, date]:
    """The report period: `since`/`until` when given, else the 12 weeks ending at the latest day the data
    speaks of (a call, an import, a deal created or closed), not today: an export from 2017 is reported on 2017."""
    latest = ws.latest_activity_date() if since is None or until is None else None
    return resolve_period(since, until, latest)


def team_stage_norms(ws: "Workspace") -> dict[str, float]:
    """The team's usual days in each stage, from every deal in the workspace (what "stuck" is measured against)."""
    return ws.stage_norms()


# -- one rep ---------------------------------------------------------------------------------------


def _plan_stage(plan: "CallPlan", process: "SalesProcess") -> str | None:
    """Where the deal was when the plan was written: plan.stage, else the earliest stage of its planned steps."""
    if plan.stage and process.has_stage(plan.stage):
        return plan.stage
    indexes = [process.index(s) for s in (process.stage_of_activity(t) for t in plan.planned_steps) if s]
    return process.stages[min(indexes)].id if indexes else None


def _clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _quoted(plan: "CallPlan", criterion: str) -> tuple[str | None, str]:
    field, label = QUOTED_FIELD.get(criterion, ("objective", "Your objective"))
    value: Any = getattr(plan, field)
    if field == "research":
        value = "; ".join(v for v in (value.goals, value.obstacles, value.industry, value.notes) if v)
    elif isinstance(value, list):
        value = "; ".join(value)
    return (_clip(value) if value and value.strip() else None), label


def _passed(score: Any, criterion: str, check: str) -> bool:
    """Whether a plan score's check passed (e.g. customer value 'their_terms': answered in the customer's terms)."""
    return any(name == check and ok for name, ok in score.criterion(criterion).checks)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _call_figures(calls: list["Call"], scores: dict[str, Any]) -> Figures:
    """The call-plan figures of a list of calls (scores: call id -> PlanScore of the planned ones); an "advance"
    without a dated client commitment is not counted as one (the same rule as the debrief form and deal health)."""
    from ..scoring.debrief import counts_as_advance

    planned = [c for c in calls if c.plan is not None]
    debriefed = [c for c in calls if c.debrief is not None]
    advanced = [c for c in debriefed if counts_as_advance(c.debrief)]
    return {
        "calls": len(calls),
        "plan_share": _share(len(planned), len(calls)),
        "plan_score": _mean([scores[c.call_id].total for c in planned]),
        "advance_objectives": _share(sum(bool(scores[c.call_id].objective.is_advance) for c in planned), len(planned)),
        "advance_outcomes": _share(len(advanced), len(debriefed)),
        "agenda_agreed": _share(sum(_passed(scores[c.call_id], "agenda", "agreed") for c in planned), len(planned)),
        "customer_value": _share(sum(_passed(scores[c.call_id], "customer_value", "their_terms") for c in planned),
                                 len(planned)),
        "compression": _mean([scores[c.call_id].compression for c in planned]),
        "calls_per_advance": len(debriefed) / len(advanced) if advanced else None,
    }


def _skills(scores: list[Any], rubric: Any) -> list[Skill]:
    """Per rubric criterion: the average share of its checks passed, and how often each check passed.

    The per-check counts are what make the profile agree with the headline: "Call objective 66%" is two of
    its three checks passing, and the list beside it says which one (an advance: 0 of 30) does not.
    """
    shares: dict[str, list[float]] = defaultdict(list)
    checks: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for score in scores:
        for crit in score.criteria:
            if not crit.checks:
                continue
            shares[crit.id].append(crit.score)
            for name, ok in crit.checks:
                tally = checks[crit.id][name]
                tally[0] += bool(ok)
                tally[1] += 1
    skills: list[Skill] = []
    for cid, rule in rubric.plan.items():
        rows: list[SkillCheck] = []
        for name, check in rule.checks.items():
            passed, total = checks[cid].get(name, [0, 0])
            if total:
                rows.append({"id": name, "label": check.label, "passed": passed, "of": total})
        skills.append({"id": cid, "label": rule.label, "weight": rule.weight, "score": _mean(shares.get(cid, [])),
                       "checks": rows})
    return skills


def _halves(calls: list["Call"], scores: dict[str, Any], start: date, end: date) -> Halves:
    """The average plan score over the planned calls of each half of the period (the same average as the
    headline figure, only split in two), for the sentence under the weekly chart."""
    middle = start.toordinal() + ((end - start).days + 1) // 2
    first = [scores[c.call_id].total for c in calls if c.call_id in scores and c.date.toordinal() < middle]
    second = [scores[c.call_id].total for c in calls if c.call_id in scores and c.date.toordinal() >= middle]
    return {"first": _mean(first), "first_planned": len(first), "second": _mean(second), "second_planned": len(second),
            "second_from": date.fromordinal(middle).isoformat()}


def compute_rep_data(ws: "Workspace", rep_id: str, since: Any, until: Any,
                     norms: dict[str, float] | None = None) -> RepData:
    """Everything one rep's report shows, as JSON-able data: figures (and the previous period's), trend,
    skills, coaching points, the deals (pipeline, won and lost, hygiene) and exercise progress.

    `norms` are the team's usual days per stage (`team_stage_norms`); computed from the workspace when left out.
    """
    from ..deals import deal_health
    from ..scoring.debrief import counts_as_advance
    from ..scoring.objective import assess_objective
    from ..scoring.plan import Rubric, score_plan

    start, end = resolve_period(since, until, None)
    before_start, before_end = previous_period(start, end)
    process = ws.process
    rubric = Rubric.for_workspace(ws)
    if norms is None:
        norms = team_stage_norms(ws)
    rep = ws.rep(rep_id)
    history = ws.calls(rep_id=rep_id, until=end)  # earlier calls too: deal health needs the whole story
    calls = [c for c in history if c.date >= start]
    before = [c for c in history if before_start <= c.date <= before_end]
    rep_deals: list["Deal"] = ws.deals(rep_id=rep_id)
    deals = {d.deal_id: d for d in rep_deals}

    planned = [c for c in calls if c.plan is not None]
    debriefed = [c for c in calls if c.debrief is not None]
    advanced = [c for c in debriefed if counts_as_advance(c.debrief)]
    scores = {c.call_id: score_plan(c.plan, process=process, rubric=rubric, stage=_plan_stage(c.plan, process))
              for c in (*before, *calls) if c.plan is not None}

    by_deal: dict[str, list[Any]] = defaultdict(list)
    for c in history:
        by_deal[c.deal_id].append(c)
    now = deal_period(rep_deals, by_deal, start, end, process, rubric, norms, deal_health)
    then = deal_period(rep_deals, by_deal, before_start, before_end, process, rubric, norms, deal_health)
    figures = {**_call_figures(calls, scores), **now["figures"]}
    previous = {**_call_figures(before, scores), **then["figures"]}

    trend = _trend(calls, scores, start, end, counts_as_advance)

    points = _coaching_points(calls, planned, scores, deals, rubric, assess_objective)
    last_call = history[-1].date if history else None
    activity = {"calls": len(calls), **now["activity"]}
    return {
        "rep": {"rep_id": rep.rep_id, "name": rep.name, "team": rep.team, "manager": rep.manager,
                "slug": report_slug(rep.rep_id)},
        "period": {"since": start.isoformat(), "until": end.isoformat()},
        "previous_period": {"since": before_start.isoformat(), "until": before_end.isoformat()},
        "counts": {"calls": len(calls), "planned": len(planned), "debriefed": len(debriefed), "advances": len(advanced)},
        "figures": figures,
        "previous": previous,
        "skills": _skills([scores[c.call_id] for c in planned], rubric),
        "trend": trend,
        "halves": _halves(calls, scores, start, end),
        "points": points,
        "deals": now["summary"],
        "activity": activity,
        "empty": not (activity["calls"] or activity["created"] or activity["closed"] or activity["moved"]),
        "last_call": last_call.isoformat() if last_call else None,
        "days_since_last_call": (end - last_call).days if last_call else None,
        "exercises": (exercises := _exercises(ws, rep_id))["workbooks"],
        "exercises_missed": exercises["missed"],
        "stalled_deals": now["summary"]["hygiene"]["stalled"]["count"],
        "slipping_deals": now["summary"]["hygiene"]["slipping"]["count"],
    }


def _trend(calls: list["Call"], scores: dict[str, Any], start: date, end: date,
           counts_as_advance: Any) -> list[TrendWeek]:
    """The weekly chart: per week (Monday first) calls, planned calls and their average score, advances."""
    weeks = week_starts(start, end)
    call_counts = [0] * len(weeks)
    debriefed = [0] * len(weeks)
    advances = [0] * len(weeks)
    plan_scores: list[list[float]] = [[] for _ in weeks]
    for c in calls:
        i = week_index(c.date, start)
        call_counts[i] += 1
        if c.call_id in scores:
            plan_scores[i].append(scores[c.call_id].total)
        if c.debrief is not None:
            debriefed[i] += 1
            advances[i] += bool(counts_as_advance(c.debrief))
    return [{"week": w.isoformat(), "calls": call_counts[i], "planned": len(plan_scores[i]),
             "plan_score": _mean(plan_scores[i]), "debriefed": debriefed[i], "advances": advances[i],
             "advance_rate": _share(advances[i], debriefed[i])} for i, w in enumerate(weeks)]


def _coaching_points(calls: list["Call"], planned: list["Call"], scores: dict[str, Any], deals: dict[str, Any],
                     rubric: Any, assess_objective: Any) -> list[CoachingPoint]:
    """The rubric criteria that cost this rep most points over the period (calls without a plan count as
    losing every point; the points a plan loses to the cap on objectives that are not advances count against
    the objective), each with the rep's own worst example, quoted, and a suggested rewrite."""
    cost: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    worst: dict[str, tuple[float, date, Any, list[Any]]] = {}
    for call in planned:
        score = scores[call.call_id]
        counted = [c for c in score.criteria if c.checks]
        total_weight = sum(c.weight for c in counted) or 1.0
        # The rubric caps a plan whose objective is not a client advance: those points are the objective's too.
        capped = max(0.0, 100 * sum(c.weight * c.score for c in counted) / total_weight - score.total)
        for crit in counted:
            lost = 100 * crit.weight * (1 - crit.score) / total_weight + (capped if crit.id == "objective" else 0.0)
            if lost <= 0 or not crit.findings:
                continue
            cost[crit.id] += lost
            count[crit.id] += 1
            if crit.id not in worst or (lost, call.date) > worst[crit.id][:2]:
                worst[crit.id] = (lost, call.date, call, list(crit.findings))

    unplanned = [c for c in calls if c.plan is None]
    if unplanned:
        cost[NO_PLAN_CODE] = 100.0 * len(unplanned)
        count[NO_PLAN_CODE] = len(unplanned)

    points: list[CoachingPoint] = []
    for key in sorted(cost, key=lambda k: (-cost[k], k))[:TOP_POINTS]:
        if key == NO_PLAN_CODE:
            points.append({
                "code": key, "title": NO_PLAN_TEXT["title"], "criterion": None, "count": len(unplanned),
                "out_of": len(calls), "cost": round(cost[key] / len(calls), 1),
                "messages": [NO_PLAN_TEXT["message"].format(count=len(unplanned), calls=len(calls))],
                "quote": None, "quote_label": None, "suggestion": None, "tip": NO_PLAN_TEXT["tip"],
                "example": _example(unplanned[-1], deals),
            })
            continue
        _, _, call, findings = worst[key]
        rule = rubric.plan[key]
        first = findings[0]
        check = rule.checks.get(first.code.rsplit(".", 1)[-1])
        quote, quote_label = _quoted(call.plan, key)
        suggestion = None
        if key == "objective":
            suggestion = scores[call.call_id].objective.suggestion
        elif key == "fallback" and call.plan.fallback.strip():
            suggestion = assess_objective(call.plan.fallback).suggestion
        points.append({
            "code": first.code, "title": rule.label, "criterion": key, "count": count[key],
            "out_of": len(planned), "cost": round(cost[key] / len(planned), 1),
            "messages": [f.message for f in findings[:2]], "quote": quote, "quote_label": quote_label,
            "suggestion": _clip(suggestion) if suggestion else None,
            "tip": check.tip if check is not None else first.tip,
            "example": _example(call, deals),
        })
    return points


def _example(call: "Call", deals: dict[str, Any]) -> Example:
    deal = deals.get(call.deal_id)
    return {"call_id": call.call_id, "date": call.date.isoformat(), "deal_id": call.deal_id,
            "account": deal.account if deal else "", "deal": deal.name if deal else "",
            "amount": deal.amount if deal else None}


def _exercises(ws: "Workspace", rep_id: str) -> dict[str, Any]:
    """The rep's exercise figures, exactly as the workbooks' own progress line and summary show them (one
    function computes them all): per workbook answered, right first time, first-try accuracy, passed, passed
    after help; and the items missed at the first try, with the rep's answers."""
    from ..exercises.figures import report_data

    return report_data(ws.exercise_results(rep_id=rep_id), workspace=ws.path)


# -- the team --------------------------------------------------------------------------------------

SUMMARY_DEAL_TOTALS = ("open", "won", "lost", "at_risk")


def rep_summary(data: RepData) -> RepSummary:
    """The part of a rep's report data that the team figures, the index and "who to coach first" use: the
    figures and counts, the skill scores, the deal totals and the first coaching point; a few hundred bytes
    instead of the whole report, so a batch keeps one of these per rep and not every rep's report."""
    deals = data["deals"]
    return {
        "rep": data["rep"],
        "period": data["period"],
        "counts": data["counts"],
        "figures": data["figures"],
        "previous": data["previous"],
        "skills": [{"id": s["id"], "label": s["label"], "score": s["score"]} for s in data["skills"]],
        "deals": {**{key: deals[key] for key in SUMMARY_DEAL_TOTALS}, "win_rate": deals.get("win_rate"),
                  "hygiene": deals["hygiene"]},
        "points": [{"title": p["title"], "code": p["code"]} for p in data["points"][:1]],
        "empty": data["empty"],
        "activity": data["activity"],
    }



def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def team_data(reps: Iterable[RepSummary], since: date, until: date) -> TeamData:
    """The team's medians of every headline figure and skill, its totals, what each figure is compared with
    (`benchmark`), and the largest deal risk of any rep (what "who to coach first" measures against).

    Call figures are the median over the reps with calls in the period; deal figures over the reps with
    deals (open at the end of the period, or closed in it); the win rate is the team's own. One pass over
    `reps`, which may be a stream: only the figures' values are kept, never a rep's summary.
    """
    values: dict[str, list[float]] = defaultdict(list)
    skills: dict[str, list[float]] = defaultdict(list)
    count = active = deal_reps = closing = 0
    won = lost = open_deals = calls = risky_most = 0
    pipeline = won_amount = at_risk = risk_most = 0.0
    empty: list[str] = []
    for rep in reps:
        count += 1
        figures, deals = rep["figures"], rep["deals"]
        if rep["counts"]["calls"]:
            active += 1
            for key in CALL_KEYS:
                if figures.get(key) is not None:
                    values[key].append(figures[key])  # type: ignore[arg-type]
            for skill in rep["skills"]:
                scores = skills[skill["id"]]  # a skill nobody was scored on still has its (empty) median
                if skill["score"] is not None:
                    scores.append(skill["score"])
        if figures.get("open_deals") is not None:
            deal_reps += 1
            for key in DEAL_KEYS:
                if figures.get(key) is not None:
                    values[key].append(figures[key])  # type: ignore[arg-type]
        closing += figures.get("win_rate") is not None
        won += deals["won"]["count"]
        lost += deals["lost"]["count"]
        open_deals += deals["open"]["count"]
        pipeline += deals["open"]["amount"]
        won_amount += deals["won"]["amount"]
        at_risk += deals["at_risk"]["amount"]
        risk_most = max(risk_most, deals["at_risk"]["amount"])
        risky_most = max(risky_most, deals["at_risk"]["count"])
        calls += rep["counts"]["calls"]
        if rep.get("empty"):
            empty.append(rep["rep"]["rep_id"])
    medians: Figures = {key: _median(values[key]) for key in (*CALL_KEYS, *DEAL_KEYS)}
    team_rate = won / (won + lost) if won + lost else None
    return {
        "period": {"since": since.isoformat(), "until": until.isoformat()},
        "reps": count,
        "active_reps": active,
        "deal_reps": deal_reps,
        "closing_reps": closing,
        "medians": medians,
        # What a rep's figure is compared with: the median rep's, except the win rate, which is the whole team's
        # (won of all its closed deals): a median of rates over a handful of deals each says little.
        "benchmark": {**medians, "win_rate": team_rate},
        "skills": {cid: _median(scores) for cid, scores in skills.items()},
        "totals": {"pipeline": pipeline, "open_deals": open_deals, "won_amount": won_amount, "won_deals": won,
                   "lost_deals": lost, "win_rate": team_rate, "at_risk_amount": at_risk, "calls": calls},
        "most_at_risk": {"amount": risk_most, "count": risky_most},
        "empty_reps": empty,
    }


def compute_team(ws: "Workspace", since: date, until: date) -> tuple[TeamData, dict[str, RepData]]:
    """Every rep's data and the team medians, in one process (the notebook's path when run on its own)."""
    norms = team_stage_norms(ws)
    reps = {r.rep_id: compute_rep_data(ws, r.rep_id, since, until, norms) for r in ws.reps()}
    return team_data([rep_summary(r) for r in reps.values()], since, until), reps
