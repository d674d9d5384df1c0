"""Deal health: slipping close dates, continuation streaks, stage progress, the chain of advances, and hygiene.

Seed 002: forecast close dates pushed back 30 days, then another 30 days, are the sign of a wandering deal;
seed 004: an unbroken chain of advances leads to the close. Hygiene is what a manager checks in the CRM:
an open deal whose close date has passed, one stuck in its stage longer than the team's usual time there
(`stage_norms`), one nobody has called for weeks, one with no next meeting booked, one where the rep only
ever meets the same one person (single-threaded). A won or lost deal is never stalled or slipping.

An advance counts only when it has a dated client commitment (`counts_as_advance`, the rule the debrief form
uses too); the headline at the top of the deal is derived from the findings (`deal_verdict`), so a warning
a coach must fix never sits under "This deal is moving.". Thresholds and messages live in rubric.yaml.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping

from pydantic import BaseModel

from ..exceptions import RubricError, WorkspaceError
from ..models import ADVANCE_OUTCOMES, Call, Deal, Finding, sort_findings
from ..process import SalesProcess
from ..text import long_date
from .debrief import counted_outcome, counts_as_advance, unbacked_advance
from .rubric import Rubric, fill

__all__ = ["DealHealth", "CloseDateMove", "Verdict", "deal_health", "deal_verdict", "counts_as_advance",
           "client_contacts", "stage_before_closing", "stage_entered", "stage_norms", "DealChangedError"]

ADVANCES = ADVANCE_OUTCOMES  # the outcomes that may count as an advance; `counts_as_advance` decides
VERDICTS = ("moving", "no_warnings", "watch", "attention", "stalled", "won", "lost")


class DealChangedError(WorkspaceError):
    """A deal action refused because the deal changed since the page showed it (another coach, or an import).

    `theirs` is the deal as the workspace holds it now, so the page can show it; nothing was written.
    """

    def __init__(self, path: object, deal_id: str, theirs: Deal, problem: str):
        self.deal_id = deal_id
        self.theirs = theirs
        super().__init__(str(path), problem)


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
    continuations: int = 0  # debriefed calls that count as continuations (an advance without a dated commitment does)
    debriefed: int = 0  # calls with a debrief
    unbacked_advances: int = 0  # calls marked 'advance' without a dated client commitment: counted as continuations
    next_meeting: date | None = None  # the next meeting booked (a planned call, or the last debrief's next call)
    client_contacts: list[str] = []  # the distinct people on the client side in the deal's plans
    closed_on: date | None = None  # a won or lost deal: the day it closed
    close_reason: str | None = None  # why it was lost (or won), as the CRM or the coach recorded it
    summaries: dict[str, str] = {}  # finding code -> the same warning in a few words, for the headline
    verdict: str = "moving"  # one of VERDICTS, from `deal_verdict`
    headline: str = ""  # the one line at the top of the deal, from `deal_verdict`


@dataclass(frozen=True)
class Verdict:
    """The headline of a deal: its kind (one of VERDICTS) and the one line a coach reads first."""

    kind: str
    text: str


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
    return " → ".join(long_date(d) for d in dates)


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _ago(days: int) -> str:
    return "yesterday" if days == 1 else f"{days} days ago"


def _dates(days: Iterable[date]) -> str:
    """'Mon 5 Oct 2026, Mon 12 Oct 2026', or 'Mon 28 Sep 2026 to Mon 23 Nov 2026' for more than three dates."""
    shown = [long_date(d) for d in days]
    return f"{shown[0]} to {shown[-1]}" if len(shown) > 3 else ", ".join(shown)


def _count_setting(rubric: Rubric, key: str) -> int:
    """A whole-number setting of rubric.yaml's deal_health section (1 or more)."""
    value = rubric.deal_settings.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RubricError(rubric.source, f"deal_health.{key} must be a whole number, 1 or more.")
    return value


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


def _runs(debriefed: list[Call]) -> tuple[int, int, int]:
    """(continuations at the end, advances at the end, the longest run of advances), as the calls count."""
    counted = [counted_outcome(c.debrief) for c in debriefed]  # type: ignore[arg-type]
    advance = [counts_as_advance(c.debrief) for c in debriefed]
    streak = next((n for n, o in enumerate(reversed(counted)) if o != "continuation"), len(counted))
    chain = next((n for n, a in enumerate(reversed(advance)) if not a), len(advance))
    longest = run = 0
    for a in advance:
        run = run + 1 if a else 0
        longest = max(longest, run)
    return streak, chain, longest


def _person(name: str) -> str:
    """A name as typed, tidied: 'Elena (Data Lead)' -> 'Elena', spaces collapsed."""
    return " ".join(re.sub(r"\([^)]*\)", " ", name).split())


def _same_person(a: str, b: str) -> bool:
    """'Priya' and 'Priya Shah' are the same contact typed twice; 'Priya Shah' and 'Tom Shah' are not."""
    x, y = a.casefold().split(), b.casefold().split()
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    return bool(short) and long[: len(short)] == short


def client_contacts(calls: Iterable[Call]) -> list[str]:
    """The distinct people on the client side: who was in the plans' meetings, then who made a client commitment
    in a debrief (someone who committed is a contact even when the plan did not list them), first seen first."""
    calls = list(calls)
    ours = [_person(a.name) for c in calls for a in (c.plan.attendees if c.plan else []) if a.side == "us"]
    named = [a.name for c in calls for a in (c.plan.attendees if c.plan else []) if a.side == "client"]
    named += [x.who for c in calls for x in (c.debrief.commitments if c.debrief else []) if x.who]
    people: list[str] = []
    for raw in named:
        name = _person(raw)
        if not name or any(_same_person(name, us) for us in ours):
            continue
        same = next((i for i, known in enumerate(people) if _same_person(known, name)), None)
        if same is None:
            people.append(name)
        elif len(name) > len(people[same]):
            people[same] = name  # keep the fuller name
    return people


def _next_meeting(calls: list[Call], today: date) -> tuple[date | None, str | None, date | None]:
    """(the next meeting booked, why none is when none is, the date the warning quotes).

    Booked: a call on the calendar from today on after the last debriefed call, or the last debrief's next
    call date when it is today or later. None booked: the last debrief set no next call ('none'), or its
    next call is past and no call on or after it is recorded ('missed'). A call held after the last debrief
    but not debriefed yet leaves the question open: no warning.
    """
    last = max((n for n, c in enumerate(calls) if c.debrief is not None), default=None)
    if last is None:
        return None, None, None
    after = calls[last + 1:]
    planned = calls[last].debrief.next_call  # type: ignore[union-attr]
    booked = [c.date for c in after if c.date >= today] + ([planned] if planned and planned >= today else [])
    if booked:
        return min(booked), None, None
    if planned is None:
        return None, (None if after else "none"), calls[last].date
    if not any(c.date >= planned for c in after):
        return None, "missed", planned
    return None, None, None


def deal_health(deal: Deal, calls: list[Call], process: SalesProcess | None = None, today: date | None = None,
                *, rubric: Rubric | None = None, stage_norms: Mapping[str, float] | None = None) -> DealHealth:
    """Measure a deal's movement from its close-date and stage history and its calls.

    `today` defaults to the later of today and the last call; `stage_norms` (see `stage_norms()`) are the
    team's usual days per stage, for the "stuck in its stage" warning. The health's `verdict` and
    `headline` come from `deal_verdict`.
    """
    process = process or SalesProcess.default()
    rubric = rubric or Rubric.default()
    settings = rubric.deal_settings
    msgs = rubric.deal_messages
    calls = sorted((c for c in calls if c.deal_id == deal.deal_id), key=lambda c: (c.date, c.call_id))
    today = today or max([date.today(), *(c.date for c in calls)])
    if not deal.is_open:
        return _closed(deal, calls, today, rubric)

    moves = _close_date_moves(deal, calls)
    slips = [m for m in moves if m.days > 0]
    low, high = settings["monthly_slip_days"]
    monthly = [m for m in slips if low <= m.days <= high]

    debriefed = [c for c in calls if c.debrief is not None]
    streak, chain, longest = _runs(debriefed)
    advances = [c for c in debriefed if counts_as_advance(c.debrief)]
    unbacked = [c for c in debriefed if unbacked_advance(c.debrief)]

    stages = _stages(calls, deal, process)
    start = stages.before(0) if calls else stages.deal_index
    reached = stages.reached()
    progress = max(0, reached - start) if reached is not None and start is not None else 0
    stage_id = process.stages[reached].id if reached is not None else (deal.stage or None)
    per_stage = Counter(process.stages[i].id if i is not None else deal.stage for i in stages.per_call)
    order = {s: n for n, s in enumerate(process.stage_ids)}
    calls_per_stage = dict(sorted(per_stage.items(), key=lambda kv: order.get(kv[0], len(order))))

    findings: list[Finding] = []
    summaries: dict[str, str] = {}

    def warn(name: str, variant: str | None = None, **values: Any) -> Finding:
        rule = msgs[name]
        finding = rule.finding(variant, **values)
        if finding.tip:  # a tip may quote the deal's facts too ("Ask Priya who else ...")
            finding = finding.model_copy(update={"tip": fill(finding.tip, **values)})
        findings.append(finding)
        if rule.variants.get("short"):
            summaries[finding.code] = fill(rule.variants["short"], **values)
        return finding

    if len(monthly) >= settings["stalled_monthly_slips"]:
        warn("monthly_slips", times=_times(len(monthly)), path=_path(moves))
    elif slips:
        warn("slips", times=_times(len(slips)), days=sum(m.days for m in slips), path=_path(moves))
    if streak >= settings["stalled_continuations"]:
        warn("continuations", count=streak, dates=_dates(c.date for c in debriefed[-streak:]))
    since_advance = max(0, (today - advances[-1].date).days) if advances else None
    if since_advance is not None and since_advance > settings["days_without_advance"]:
        warn("no_advance", days=since_advance, date=long_date(advances[-1].date))
    elif not advances and len(debriefed) >= 2:
        warn("never_advanced", count=len(debriefed))
    if unbacked:
        warn("unbacked_advances", items=f"{len(unbacked)} call" + ("s" if len(unbacked) > 1 else ""),
             dates=_dates(c.date for c in unbacked))

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
        warn("stalled", why=" and ".join(why), since=long_date(min(since)), stage=name)
        findings.insert(0, findings.pop())  # the verdict first: the signs that make it follow

    # Hygiene: a forecast in the past, a stage outstayed, a deal gone quiet, no next meeting, one contact.
    past = (today - deal.close_date).days if deal.close_date is not None and deal.close_date < today else None
    if past:
        warn("past_close_date", date=long_date(deal.close_date), days=past, ago=_ago(past))
    entered = stage_entered(deal)
    in_stage = (today - entered).days if entered is not None and entered <= today else None
    usual = (stage_norms or {}).get(deal.stage)
    stuck = bool(in_stage is not None and usual and in_stage > usual * float(settings["stuck_factor"]))
    if stuck and usual is not None:
        name = process.stage(deal.stage).name if process.has_stage(deal.stage) else deal.stage
        warn("stuck", stage=name, days=in_stage, usual=f"{round(usual)} days")
    last_call = calls[-1].date if calls else None
    quiet = (today - last_call).days if last_call is not None and last_call <= today else None
    if quiet is not None and quiet > settings["days_without_call"]:
        warn("quiet", days=quiet, date=long_date(last_call))
    next_meeting, missing, quoted = _next_meeting(calls, today)
    if missing is not None:
        warn("no_next_meeting", "missed" if missing == "missed" else None, date=long_date(quoted))
    contacts = client_contacts(calls)
    with_client = sum(1 for c in calls if c.plan and any(a.side == "client" for a in c.plan.attendees))
    if len(contacts) == 1 and with_client >= _count_setting(rubric, "single_threaded_after_calls"):
        warn("single_threaded", who=contacts[0], count=with_client)

    health = DealHealth(
        deal_id=deal.deal_id, slips=len(slips), slip_days=sum(m.days for m in slips), monthly_slips=len(monthly),
        close_date_moves=moves, continuation_streak=streak, stage_progress=progress, stage=stage_id,
        advance_chain=chain, longest_advance_chain=longest, calls_per_stage=calls_per_stage,
        calls_per_advance=round(len(debriefed) / len(advances), 2) if advances else None,
        days_since_last_advance=since_advance, stalled=stalled,
        reasons=[], findings=sort_findings(findings), summaries=summaries,
        status=deal.status, days_past_close=past, days_in_stage=in_stage, stuck=stuck, days_since_last_call=quiet,
        continuations=sum(counted_outcome(c.debrief) == "continuation" for c in debriefed),  # type: ignore[arg-type]
        debriefed=len(debriefed), unbacked_advances=len(unbacked), next_meeting=next_meeting,
        client_contacts=contacts,
    )
    health.reasons = [f.message for f in health.findings]
    return _judged(health, rubric)


def _closed(deal: Deal, calls: list[Call], today: date, rubric: Rubric) -> DealHealth:
    """A won or lost deal: its record, with no warnings (it cannot slip or stall any more)."""
    debriefed = [c for c in calls if c.debrief is not None]
    streak, chain, longest = _runs(debriefed)
    advances = [c for c in debriefed if counts_as_advance(c.debrief)]
    health = DealHealth(
        deal_id=deal.deal_id, slips=0, slip_days=0, monthly_slips=0, close_date_moves=_close_date_moves(deal, calls),
        continuation_streak=streak, stage_progress=0, stage=deal.stage, advance_chain=chain,
        longest_advance_chain=longest, calls_per_stage={}, stalled=False, reasons=[], findings=[],
        calls_per_advance=round(len(debriefed) / len(advances), 2) if advances else None,
        days_since_last_advance=None, status=deal.status,
        days_since_last_call=(today - calls[-1].date).days if calls and calls[-1].date <= today else None,
        continuations=sum(counted_outcome(c.debrief) == "continuation" for c in debriefed),  # type: ignore[arg-type]
        debriefed=len(debriefed), unbacked_advances=sum(unbacked_advance(c.debrief) for c in debriefed),
        client_contacts=client_contacts(calls), closed_on=deal.closed_on, close_reason=deal.lost_reason,
    )
    return _judged(health, rubric)


def _judged(health: DealHealth, rubric: Rubric) -> DealHealth:
    verdict = deal_verdict(health, rubric=rubric)
    health.verdict, health.headline = verdict.kind, verdict.text
    return health


def _join(parts: list[str], more: int, rubric: Rubric) -> str:
    if more:
        parts = [*parts, fill(rubric.deal_messages["headline"].variants.get("more", "{count} more"), count=more)]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def deal_verdict(health: DealHealth, *, rubric: Rubric | None = None) -> Verdict:
    """The headline of a deal, derived from its findings so it always agrees with them.

    Won or lost: says so, with the day it closed. Stalled: "This deal looks stalled." Any finding a coach
    must fix (a problem): "This deal needs attention: ..." naming the worst of them in a few words. Only
    warnings: "Keep an eye on this deal: ...". No problem and no warning: "This deal is moving." when the
    last debriefed call counted as an advance, else "No warning signs on this deal yet." (tips never change
    the headline). The wording is rubric.yaml's deal_health.messages.headline.
    """
    rubric = rubric or Rubric.default()
    texts = rubric.deal_messages["headline"]
    variants = texts.variants
    if health.status != "open":
        if health.closed_on is None:
            return Verdict(health.status, fill(variants.get("closed_undated", ""), status=health.status))
        return Verdict(health.status, fill(variants.get(health.status, ""), date=long_date(health.closed_on)))
    if health.stalled:
        return Verdict("stalled", fill(variants.get("stalled", "")))
    for severity, kind in (("problem", "attention"), ("warning", "watch")):
        worst = [f for f in health.findings if f.severity == severity]
        if worst:
            limit = _count_setting(rubric, "headline_reasons")
            parts = [health.summaries.get(f.code) or f.message.rstrip(".") for f in worst[:limit]]
            return Verdict(kind, fill(variants.get(kind, ""), why=_join(parts, len(worst) - len(parts), rubric)))
    if health.advance_chain:
        return Verdict("moving", fill(texts.message))
    return Verdict("no_warnings", fill(variants.get("no_warnings", "")))


def stage_before_closing(deal: Deal) -> str:
    """The stage a closed deal was in while it was still open (its stage history), else its stage now: where
    reopening a deal closed by mistake puts it back."""
    open_stages = [s.stage for s in deal.stage_history if s.status == "open"]
    return open_stages[-1] if open_stages else deal.stage


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


MIN_STAYS = 3  # finished stays a stage needs before it has a norm (Workspace.stage_norms uses it too)


def stage_norms(deals: Iterable[Deal], min_stays: int = MIN_STAYS) -> dict[str, float]:
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
