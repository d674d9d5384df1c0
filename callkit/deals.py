"""Deal health: slipping close dates, continuation streaks, stage progress, the chain of advances, and hygiene.

Seed 002: forecast close dates pushed back 30 days, then another 30 days, are the sign of a wandering deal;
seed 004: an unbroken chain of advances leads to the close. Hygiene is what a manager checks in the CRM:
an open deal whose close date has passed, one stuck in its stage longer than the team's usual time there
(`stage_norms`), one nobody has called for weeks. A won or lost deal is never stalled or slipping.
Thresholds and messages live in rubric.yaml.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping

from pydantic import BaseModel

from .models import Call, Deal, Finding, sort_findings
from .process import SalesProcess
from .scoring.plan import Rubric, fill

ADVANCES = ("advance", "order")


class CloseDateMove(BaseModel):
    """One change of the forecast close date: when it was seen and how many days it moved (later > 0)."""

    changed_on: date
    before: date
    after: date
    days: int


class DealHealth(BaseModel):
    """How a deal is moving: slips, continuations, stage progress, advances, and a stalled flag with reasons."""

    deal_id: str
    slips: int  # close-date moves later
    slip_days: int  # total days pushed
    monthly_slips: int  # moves of about a month (rubric: monthly_slip_days)
    close_date_moves: list[CloseDateMove]  # every move, earlier ones too, in order
    continuation_streak: int  # continuation outcomes in a row at the end
    stage_progress: int  # stages advanced from the first call to now
    stage: str | None  # the stage the calls show the deal reached (or the deal's own stage)
    advance_chain: int  # the current unbroken run of advances (advance or order) at the end
    longest_advance_chain: int
    calls_per_stage: dict[str, int]
    calls_per_advance: float | None
    days_since_last_advance: int | None
    stalled: bool
    reasons: list[str]  # plain-English warning signs, worst first
    findings: list[Finding]
    status: str = "open"  # open, won or lost: a closed deal is never stalled or slipping
    days_past_close: int | None = None  # an open deal's forecast close date passed this many days ago
    days_in_stage: int | None = None  # since the deal entered its current stage (stage history, else created)
    stuck: bool = False  # in its stage longer than the team's usual time there
    days_since_last_call: int | None = None


@dataclass(frozen=True)
class _Stages:
    """The stage index each call worked in (carried forward, never backwards) and the deal's own index."""

    per_call: list[int | None]
    deal_index: int | None

    def reached(self) -> int | None:
        known = [i for i in self.per_call if i is not None]
        if self.deal_index is not None:
            known.append(self.deal_index)
        return max(known) if known else None

    def before(self, position: int) -> int | None:
        """The stage reached before call `position` (the first call's own stage when it is the first)."""
        earlier = [i for i in self.per_call[:position] if i is not None]
        if earlier:
            return max(earlier)
        later = [i for i in self.per_call[position:] if i is not None]
        return later[0] if later else self.deal_index


def _close_date_moves(deal: Deal, calls: list[Call]) -> list[CloseDateMove]:
    """Forecast changes from the CRM history and the debriefs, merged by date; repeats of a date collapse."""
    seen: list[tuple[date, int, date]] = [(h.changed_on, 0, h.close_date) for h in deal.close_date_history]
    seen += [(c.date, 1, c.debrief.close_date_after) for c in calls if c.debrief and c.debrief.close_date_after]
    seen.sort(key=lambda t: (t[0], t[1]))
    if seen and deal.close_date is not None and seen[-1][2] != deal.close_date:
        seen.append((seen[-1][0], 2, deal.close_date))  # the CRM's current date, changed after the last record
    moves: list[CloseDateMove] = []
    for (_, _, before), (on, _, after) in zip(seen, seen[1:]):
        if after != before:
            moves.append(CloseDateMove(changed_on=on, before=before, after=after, days=(after - before).days))
    return moves


def _path(moves: list[CloseDateMove]) -> str:
    dates = [moves[0].before] + [m.after for m in moves] if moves else []
    return " → ".join(d.isoformat() for d in dates)


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _stages(calls: list[Call], deal: Deal, process: SalesProcess) -> _Stages:
    def index(text: str) -> int | None:
        sid = process.stage_of_activity(text)
        return process.index(sid) if sid else None

    per_call: list[int | None] = []
    running: int | None = None
    for call in calls:
        done = [i for i in map(index, call.debrief.completed_steps if call.debrief else []) if i is not None]
        planned = [i for i in map(index, call.plan.planned_steps if call.plan else []) if i is not None]
        recorded = call.plan.stage if call.plan and call.plan.stage and process.has_stage(call.plan.stage) else None
        known = done + ([process.index(recorded)] if recorded else [])  # plan.stage: where the deal stood
        here = max(known) if known else (min(planned) if planned else None)
        if here is not None:
            running = here if running is None else max(running, here)
        per_call.append(running)
    deal_index = process.index(deal.stage) if process.has_stage(deal.stage) else None
    first = next((i for i in per_call if i is not None), deal_index)
    return _Stages([first if i is None else i for i in per_call], deal_index)


def _runs(outcomes: list[str]) -> tuple[int, int, int]:
    """(continuations at the end, advances at the end, the longest run of advances)."""
    streak = next((n for n, o in enumerate(reversed(outcomes)) if o != "continuation"), len(outcomes))
    chain = next((n for n, o in enumerate(reversed(outcomes)) if o not in ADVANCES), len(outcomes))
    longest = run = 0
    for o in outcomes:
        run = run + 1 if o in ADVANCES else 0
        longest = max(longest, run)
    return streak, chain, longest


def deal_health(deal: Deal, calls: list[Call], process: SalesProcess | None = None, today: date | None = None,
                *, rubric: Rubric | None = None, stage_norms: Mapping[str, float] | None = None) -> DealHealth:
    """Measure a deal's movement from its close-date and stage history and its calls.

    `today` defaults to the later of today and the last call; `stage_norms` (see `stage_norms()`) are the
    team's usual days per stage, for the "stuck in its stage" warning.
    """
    process = process or SalesProcess.default()
    rubric = rubric or Rubric.default()
    settings = rubric.deal_settings
    msgs = rubric.deal_messages
    calls = sorted((c for c in calls if c.deal_id == deal.deal_id), key=lambda c: (c.date, c.call_id))
    today = today or max([date.today(), *(c.date for c in calls)])
    if not deal.is_open:
        return _closed(deal, calls, process, today)

    moves = _close_date_moves(deal, calls)
    slips = [m for m in moves if m.days > 0]
    low, high = settings["monthly_slip_days"]
    monthly = [m for m in slips if low <= m.days <= high]

    debriefed = [c for c in calls if c.debrief is not None]
    outcomes = [c.debrief.outcome for c in debriefed]  # type: ignore[union-attr]
    streak, chain, longest = _runs(outcomes)
    advances = [c for c in debriefed if c.outcome in ADVANCES]

    stages = _stages(calls, deal, process)
    start = stages.before(0) if calls else stages.deal_index
    reached = stages.reached()
    progress = max(0, reached - start) if reached is not None and start is not None else 0
    stage_id = process.stages[reached].id if reached is not None else (deal.stage or None)
    per_stage = Counter(process.stages[i].id if i is not None else deal.stage for i in stages.per_call)
    order = {s: n for n, s in enumerate(process.stage_ids)}
    calls_per_stage = dict(sorted(per_stage.items(), key=lambda kv: order.get(kv[0], len(order))))

    findings: list[Finding] = []
    if len(monthly) >= settings["stalled_monthly_slips"]:
        findings.append(msgs["monthly_slips"].finding(times=_times(len(monthly)), path=_path(moves)))
    elif slips:
        findings.append(msgs["slips"].finding(times=_times(len(slips)), days=sum(m.days for m in slips),
                                              path=_path(moves)))
    if streak >= settings["stalled_continuations"]:
        dates = ", ".join(c.date.isoformat() for c in debriefed[-streak:])
        findings.append(msgs["continuations"].finding(count=streak, dates=dates))
    since_advance = max(0, (today - advances[-1].date).days) if advances else None
    if since_advance is not None and since_advance > settings["days_without_advance"]:
        findings.append(msgs["no_advance"].finding(days=since_advance, date=advances[-1].date.isoformat()))
    elif not advances and len(debriefed) >= 2:
        findings.append(msgs["never_advanced"].finding(count=len(debriefed)))

    # Stalled: a repeated warning sign, and no stage progress since the sign began.
    why: list[str] = []
    since: list[date] = []
    if len(monthly) >= settings["stalled_monthly_slips"]:
        began = monthly[-settings["stalled_monthly_slips"]].changed_on
        if not _progressed_since(began, calls, stages):
            why.append(fill(msgs["stalled"].variants.get("why_slips", ""), times=_times(len(monthly))))
            since.append(began)
    if streak >= settings["stalled_continuations"]:
        began = debriefed[-streak].date
        if not _progressed_since(began, calls, stages):
            why.append(fill(msgs["stalled"].variants.get("why_continuations", ""), count=streak))
            since.append(began)
    stalled = bool(why)
    if stalled:
        name = process.stage(stage_id).name if stage_id and process.has_stage(stage_id) else str(stage_id)
        findings.insert(0, msgs["stalled"].finding(why=" and ".join(why), since=min(since).isoformat(), stage=name))

    # Hygiene: a forecast in the past, a stage outstayed, a deal gone quiet.
    past = (today - deal.close_date).days if deal.close_date is not None and deal.close_date < today else None
    if past:
        findings.append(msgs["past_close_date"].finding(date=deal.close_date.isoformat(), days=past))
    entered = stage_entered(deal)
    in_stage = (today - entered).days if entered is not None and entered <= today else None
    usual = (stage_norms or {}).get(deal.stage)
    stuck = bool(in_stage is not None and usual and in_stage > usual * float(settings["stuck_factor"]))
    if stuck:
        name = process.stage(deal.stage).name if process.has_stage(deal.stage) else deal.stage
        findings.append(msgs["stuck"].finding(stage=name, days=in_stage, usual=f"{round(usual)} days"))
    last_call = calls[-1].date if calls else None
    quiet = (today - last_call).days if last_call is not None and last_call <= today else None
    if quiet is not None and quiet > settings["days_without_call"]:
        findings.append(msgs["quiet"].finding(days=quiet, date=last_call.isoformat()))

    findings = sort_findings(findings)
    return DealHealth(
        deal_id=deal.deal_id, slips=len(slips), slip_days=sum(m.days for m in slips), monthly_slips=len(monthly),
        close_date_moves=moves, continuation_streak=streak, stage_progress=progress, stage=stage_id,
        advance_chain=chain, longest_advance_chain=longest, calls_per_stage=calls_per_stage,
        calls_per_advance=round(len(debriefed) / len(advances), 2) if advances else None,
        days_since_last_advance=since_advance, stalled=stalled,
        reasons=[f.message for f in findings], findings=findings,
        status=deal.status, days_past_close=past, days_in_stage=in_stage, stuck=stuck, days_since_last_call=quiet,
    )


def _closed(deal: Deal, calls: list[Call], process: SalesProcess, today: date) -> DealHealth:
    """A won or lost deal: its record, with no warnings (it cannot slip or stall any more)."""
    debriefed = [c for c in calls if c.debrief is not None]
    streak, chain, longest = _runs([c.debrief.outcome for c in debriefed])  # type: ignore[union-attr]
    advances = [c for c in debriefed if c.outcome in ADVANCES]
    return DealHealth(
        deal_id=deal.deal_id, slips=0, slip_days=0, monthly_slips=0, close_date_moves=_close_date_moves(deal, calls),
        continuation_streak=streak, stage_progress=0, stage=deal.stage, advance_chain=chain,
        longest_advance_chain=longest, calls_per_stage={}, stalled=False, reasons=[], findings=[],
        calls_per_advance=round(len(debriefed) / len(advances), 2) if advances else None,
        days_since_last_advance=None, status=deal.status,
        days_since_last_call=(today - calls[-1].date).days if calls and calls[-1].date <= today else None,
    )


def stage_entered(deal: Deal) -> date | None:
    """When the deal entered the stage it is in now: its stage history, else the day it was created."""
    entered = None
    previous = None
    for change in deal.stage_history:
        if change.stage != previous:
            entered = change.changed_on
        previous = change.stage
    if entered is None or (len({c.stage for c in deal.stage_history}) == 1 and deal.created and deal.created < entered):
        return deal.created or entered  # one stage seen so far: it has been there since it was created
    return entered


def stage_norms(deals: Iterable[Deal], min_stays: int = 3) -> dict[str, float]:
    """The team's usual days in each stage: the median of the stays that ended (the deal moved on or closed).

    A stage with fewer than `min_stays` finished stays has no norm, so nobody is called stuck on thin evidence.
    """
    stays: Mapping[str, list[int]] = defaultdict(list)
    for deal in deals:
        changes = list(deal.stage_history)
        for here, nxt in zip(changes, changes[1:]):
            if nxt.stage != here.stage or nxt.status != here.status:
                start = deal.created if here is changes[0] and deal.created and deal.created < here.changed_on else here.changed_on
                stays[here.stage].append((nxt.changed_on - start).days)
    return {stage: float(statistics.median(days)) for stage, days in stays.items() if len(days) >= min_stays}


def _progressed_since(began: date, calls: list[Call], stages: _Stages) -> bool:
    """True when the deal reached a later stage after `began` than it had reached before it."""
    position = next((n for n, c in enumerate(calls) if c.date >= began), len(calls))
    before = stages.before(position)
    reached = stages.reached()
    return before is not None and reached is not None and reached > before
