"""A deterministic sample team: reps with the call-planning habits the seed articles describe.

`make_sample_team()` simulates each deal call by call (stage, completed process activities, forecast
close date, won or lost) and writes plans and debriefs from the phrase banks in
callkit/data/sample_phrases.yaml. It simulates the period and, before it, a previous period of the same
length, so a report on the period has figures to compare with. The deals' stage and close-date history
is what a weekly CRM export would have recorded: one snapshot a week, counted back from the last day.
Only `random.Random(seed)` is used, so the same arguments always give the same team.
"""

from __future__ import annotations

import random
import dataclasses
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any


from .datafiles import packaged_text, parse_yaml

from .exceptions import DataFileError, InvalidInputError
from .models import (Attendee, Call, CallPlan, CloseDateChange, Commitment, Deal, Debrief, Learned, Rep, Research,
                     StageChange)
from .process import SalesProcess

SAMPLE_END = date(2026, 11, 20)
SAMPLE_SEED = 7

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_OTHER_SLIPS = (14, 21, 45, 60)  # how far most reps push a close date that is about to pass (never ~a month)
_DEALS_PER_12_WEEKS = 4
_REPS_PER_MANAGER = 4  # the eight sample reps are two teams, each with its manager
_SNAPSHOT_DAYS = 7
_OLD_DEAL_DAYS = 90  # after this long, any call that ends without an advance may be the one where it is lost
_OLD_DEAL_LOSE_RATE = 0.2
_LATE_ORDER_RATE = 0.35  # an advance in the last stages that ends in the order even though the rep did not plan it  # the sample's CRM export comes in once a week
_LEARNED_FIELDS = ("urgency", "consequence", "attitude", "competition", "decision_process", "budget")


@dataclass(frozen=True)
class Habit:
    """How one kind of rep plans, runs and debriefs calls; every number is a probability or a range."""

    key: str
    label: str
    description: str
    plan_rate: float  # share of calls with a plan
    steps: tuple[int, int]  # planned process activities per call
    objective: str  # advance | seller | followup | overreach | vague | oneline
    objective_rate: float  # share of plans in that style (the rest are advances)
    value_good: float  # share of customer-centric "what's in it for them"
    value_bad: str  # us | vague | none
    agenda: str  # agreed | private | script | generic | none
    agenda_shared: float
    agenda_agreed: float
    research: float  # share of plans with full homework (goals, obstacles, industry, notes)
    questions: str  # business | leading | generic | none
    advance_rate: float  # share of calls ending in an advance
    learned: tuple[int, int]  # learned fields filled in per debrief
    dated_follow_ups: float  # share of debriefs whose follow-ups have an owner and a date
    cadence: tuple[int, int]  # days between calls on a deal
    monthly_slips: bool  # pushes the close date a month whenever it gets close
    horizon: tuple[int, int]  # first forecast: days after the deal is created
    lose_rate: float  # chance a deal is lost after three continuations in a row
    entry_weights: tuple[int, ...] = (3, 4, 3, 2, 2, 1)  # how often a deal enters at prospect, qualify, ... propose


def load_habits(text: str | None = None) -> tuple[Habit, ...]:
    """The habits of callkit/data/sample_habits.yaml (or of `text`), in rep order; a wrong field names the habit."""
    source = "callkit/data/sample_habits.yaml"
    data = parse_yaml(packaged_text("sample_habits.yaml") if text is None else text, source, DataFileError)
    fields = {f.name for f in dataclasses.fields(Habit)}
    habits = []
    for n, raw in enumerate((data or {}).get("habits") or [], start=1):
        unknown = sorted(set(raw) - fields) if isinstance(raw, dict) else ["(not a mapping)"]
        if unknown:
            raise DataFileError(source, f"habit {n} has unknown fields: {', '.join(unknown)}.")
        habits.append(Habit(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}))
    if not habits:
        raise DataFileError(source, "the file needs a 'habits:' list with at least one habit.")
    return tuple(habits)


HABITS: tuple[Habit, ...] = load_habits()


@dataclass(frozen=True)
class SampleTeam:
    """A generated team: reps, their deals (open, won or lost, with the stage and close-date history of weekly
    snapshots) and calls, plus each rep's habit label.

    `start`..`end` is the period (what `callkit demo` reports on); `first_day` is where the simulation began,
    one period earlier, so the reports have a previous period to compare with. `snapshots` are the days
    the weekly CRM export was taken.
    """

    reps: list[Rep]
    deals: list[Deal]
    calls: list[Call]
    habits: dict[str, str] = field(default_factory=dict)  # rep_id -> habit label, e.g. "r01": "wings it"
    start: date | None = None
    end: date | None = None
    first_day: date | None = None
    snapshots: list[date] = field(default_factory=list)


def habit_of(index: int) -> Habit:
    """The habit of the rep at position `index` (0-based): the eight habits repeat in order."""
    return HABITS[index % len(HABITS)]


def make_sample_team(reps: int = 8, weeks: int = 12, seed: int | None = SAMPLE_SEED, end: date = SAMPLE_END,
                     earlier_weeks: int | None = None) -> SampleTeam:
    """Build a deterministic team of `reps` reps: a period of `weeks` weeks ending on `end`, and before it
    `earlier_weeks` more (default: as many), whose deals and calls give the period's figures a comparison.

    The same arguments always give the same team; `seed=None` means the default seed (7), never a random one.
    """
    errors: dict[str, str] = {}
    if not isinstance(reps, int) or isinstance(reps, bool) or reps < 1:
        errors["reps"] = "The sample team needs at least 1 rep."
    if not isinstance(weeks, int) or isinstance(weeks, bool) or weeks < 1:
        errors["weeks"] = "The sample period must be at least 1 week."
    if not isinstance(end, date):
        errors["end"] = "The end of the sample period must be a date like 2026-11-20."
    if earlier_weeks is not None and (not isinstance(earlier_weeks, int) or isinstance(earlier_weeks, bool)
                                      or earlier_weeks < 0):
        errors["earlier_weeks"] = "The weeks before the sample period must be 0 or more."
    if errors:
        raise InvalidInputError(errors, what="sample team")
    if isinstance(end, datetime):
        end = end.date()
    earlier = weeks if earlier_weeks is None else earlier_weeks
    return _Generator(reps, weeks, SAMPLE_SEED if seed is None else seed, end, earlier).run()


# -- phrase banks ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def load_phrases() -> dict[str, Any]:
    """The phrase banks of callkit/data/sample_phrases.yaml (cached; treat as read-only)."""
    return parse_yaml(packaged_text("sample_phrases.yaml"), "callkit/data/sample_phrases.yaml", DataFileError)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _weekday_on_or_after(day: date) -> date:
    return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def _weekday_on_or_before(day: date) -> date:
    return day - timedelta(days=day.weekday() - 4) if day.weekday() >= 5 else day


def _add_month(day: date) -> date:
    """The same day next month (the last day when the month is shorter): a forecast 'pushed a month'."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def _when(call_day: date, due: date) -> str:
    """'by Friday', 'by next Wednesday' or 'by 14 October', as a rep would write it."""
    weekday = _WEEKDAYS[due.weekday()]
    monday = call_day - timedelta(days=call_day.weekday())
    weeks_ahead = (due - monday).days // 7
    if weeks_ahead == 0:
        return f"by {weekday}"
    if weeks_ahead == 1:
        return f"by next {weekday}"
    return f"by {due.day} {_MONTHS[due.month - 1]}"


# -- the simulation ------------------------------------------------------------------------------------


@dataclass
class _Draft:
    """A call before it has an id: its plan and debrief as keyword dicts for the models."""

    deal_id: str
    rep_id: str
    day: date
    plan: dict[str, Any] | None
    debrief: dict[str, Any] | None


@dataclass
class _RepState:
    """One rep and running balances that keep their plan and advance shares close to the habit's rates."""

    habit: Habit
    rep: Rep
    first_name: str
    balances: dict[str, float]

    def draw(self, rng: random.Random, what: str, rate: float) -> bool:
        """A random yes/no that is more likely the further this rep is behind `rate` so far (0 and 1 are absolute)."""
        if rate <= 0.0 or rate >= 1.0:
            return rate >= 1.0
        self.balances[what] += rate
        if rng.random() < min(1.0, max(0.0, self.balances[what])):
            self.balances[what] -= 1.0
            return True
        return False


@dataclass
class _Objective:
    """A plan's objective, and - when it is a client action - who commits to what by when."""

    text: str
    kind: str  # advance | overreach | seller | vague | followup | oneline
    who_key: str = ""  # champ | buyer | tech | proc
    who: str = ""
    action: str = ""
    due: date | None = None


class _Generator:
    """Simulates every deal of every rep with one random.Random, then numbers the calls by date."""

    def __init__(self, reps: int, weeks: int, seed: int, end: date, earlier_weeks: int):
        self.n_reps = reps
        self.weeks = weeks
        self.end = end
        self.start = end - timedelta(weeks=weeks) + timedelta(days=1)
        self.first_day = self.start - timedelta(weeks=earlier_weeks)
        self.blocks = [self.start - timedelta(weeks=weeks * k) for k in range(-(-earlier_weeks // weeks), 0, -1)]
        self.blocks = [max(b, self.first_day) for b in self.blocks] + [self.start]
        days = (self.end - self.first_day).days
        self.snapshots = [self.end - timedelta(days=d) for d in range(days - days % _SNAPSHOT_DAYS, -1, -_SNAPSHOT_DAYS)]
        self.rng = random.Random(seed)
        self.ph = load_phrases()
        self.process = SalesProcess.default()
        self.stage_ids = self.process.stage_ids
        self.last = len(self.stage_ids) - 1
        self.order_step = self.process.stages[-1].activities[0]
        self.buying = max(0, len(self.stage_ids) - 3)  # propose, negotiate, close: the customer is buying
        self.stage_of = {a: i for i, s in enumerate(self.process.stages) for a in s.activities}

    # -- team, reps, deals -----------------------------------------------------------------------
    def run(self) -> SampleTeam:
        rng = self.rng
        rep_width = max(2, len(str(self.n_reps)))
        base = max(1, round(_DEALS_PER_12_WEEKS * self.weeks / 12))
        states: list[_RepState] = []
        for i in range(self.n_reps):
            habit = habit_of(i) if i < len(HABITS) else self._vary(habit_of(i))
            states.append(self._make_rep(i, habit, rep_width))
        offsets = [-1, 0, 0, 1] * (len(states) // 4 + 1)  # some reps carry one deal more or less; the team total holds
        rng.shuffle(offsets)
        deal_counts = [max(1, base + offset) for offset in offsets[: len(states)]]
        deals: list[Deal] = []
        drafts: list[_Draft] = []
        number = 0
        deal_width = max(3, len(str(sum(deal_counts) * len(self.blocks))))
        for state, count in zip(states, deal_counts):
            for block in self.blocks:
                for _ in range(count):
                    number += 1
                    deal, deal_drafts = self._simulate_deal(state, f"d{number:0{deal_width}d}", block)
                    deals.append(deal)
                    drafts.extend(deal_drafts)
        drafts.sort(key=lambda d: (d.day, d.deal_id))
        call_width = max(4, len(str(len(drafts))))
        calls = []
        for n, d in enumerate(drafts, start=1):
            call_id = f"c{n:0{call_width}d}"
            plan = (CallPlan(call_id=call_id, deal_id=d.deal_id, rep_id=d.rep_id, call_date=d.day, **d.plan)
                    if d.plan is not None else None)
            debrief = Debrief(call_id=call_id, **d.debrief) if d.debrief is not None else None
            calls.append(Call(call_id=call_id, deal_id=d.deal_id, rep_id=d.rep_id, date=d.day, plan=plan,
                              debrief=debrief))
        return SampleTeam(
            reps=[s.rep for s in states],
            deals=deals,
            calls=calls,
            habits={s.rep.rep_id: s.habit.label for s in states},
            start=self.start,
            end=self.end,
            first_day=self.first_day,
            snapshots=list(self.snapshots),
        )

    def _vary(self, habit: Habit) -> Habit:
        """The same habit with a little personal variation, for teams larger than eight."""
        rng = self.rng

        def nudge(p: float) -> float:
            return p if p in (0.0, 1.0) else min(0.98, max(0.02, p + rng.uniform(-0.08, 0.08)))

        lo, hi = habit.cadence
        shift = rng.choice((-1, 0, 1))
        shared = nudge(habit.agenda_shared)
        return replace(
            habit,
            plan_rate=nudge(habit.plan_rate),
            agenda_shared=shared,
            agenda_agreed=min(nudge(habit.agenda_agreed), shared),
            advance_rate=nudge(habit.advance_rate),
            research=nudge(habit.research),
            cadence=(max(3, lo + shift), max(4, hi + shift)),
        )

    def _make_rep(self, i: int, habit: Habit, width: int) -> _RepState:
        ph = self.ph
        firsts, lasts = ph["rep_first_names"], ph["rep_last_names"]
        first = firsts[i % len(firsts)]
        last = lasts[(i + i // len(firsts)) % len(lasts)]
        group = i // _REPS_PER_MANAGER
        rep = Rep(
            rep_id=f"r{i + 1:0{width}d}",
            name=f"{first} {last}",
            email=f"{first}.{last}@{ph['company']}.example".lower(),
            team=ph["teams"][group % len(ph["teams"])],
            manager=ph["managers"][group % len(ph["managers"])],
        )
        balances = {what: self.rng.random() - 0.5 for what in ("plan", "advance", "research", "agreed")}
        return _RepState(habit=habit, rep=rep, first_name=first, balances=balances)

    def _deal_context(self, state: _RepState) -> tuple[dict[str, str], dict[str, Any]]:
        """Names, roles, account and industry facts shared by every call of one deal."""
        rng, ph = self.rng, self.ph
        ind = rng.choice(ph["industries"])
        firsts = rng.sample(ph["first_names"], 4)
        surnames = [rng.choice(ph["last_names"]) for _ in range(4)]
        product = rng.choice(ph["products"])
        amount = rng.randrange(24, 481) * 500
        ctx = {
            "champ": firsts[0], "champ_role": rng.choice(ind["champion_roles"]),
            "buyer": firsts[1], "buyer_role": rng.choice(ph["buyer_roles"]),
            "tech": firsts[2], "tech_role": rng.choice(ph["tech_roles"]),
            "proc": firsts[3], "proc_role": rng.choice(ph["proc_roles"]),
            "account": rng.choice(ind["accounts"]), "industry": ind["name"], "peers": ind["peers"],
            "site": rng.choice(ind["sites"]), "sites": ind["site_plural"], "team": rng.choice(ind["teams"]),
            "data": rng.choice(ind["data"]), "metric": rng.choice(ind["metrics"]), "goal": rng.choice(ind["goals"]),
            "obstacle": rng.choice(ind["obstacles"]), "trend": rng.choice(ind["trends"]),
            "season": rng.choice(ind["seasons"]), "competitor": rng.choice(ph["competitors"]),
            "amount": f"${amount:,}", "n": str(rng.randint(2, 4)), "weeks": str(rng.randint(2, 6)),
            "company": ph["company"], "product": product, "rep": state.first_name,
            "when": "", "date_text": "", "month": "", "quarter": "",
        }
        extra = {
            "industry": ind,
            "amount": float(amount),
            "surnames": dict(zip(("champ", "buyer", "tech", "proc"), surnames)),
            "engineer": f"{rng.choice(ph['rep_first_names'])} {rng.choice(ph['rep_last_names'])}",
            "deal_name": f"{ctx['account']} - {_cap(product)} ({ctx['n']} {ctx['sites']})",
        }
        return ctx, extra

    def _simulate_deal(self, state: _RepState, deal_id: str, block: date) -> tuple[Deal, list[_Draft]]:
        """One deal created in the block of weeks starting on `block`, worked call by call until it is won,
        lost or the sample ends; its history is what the weekly snapshots saw."""
        rng, habit = self.rng, state.habit
        window = (self.end - self.start).days + 1
        created = _weekday_on_or_after(block + timedelta(days=rng.randint(0, max(0, int(window * 0.55)))))
        if created > self.end:
            created = _weekday_on_or_before(self.end)
        ctx, extra = self._deal_context(state)
        stage = rng.choices(range(len(habit.entry_weights)), weights=habit.entry_weights)[0]
        completed: list[str] = []
        forecast = created + timedelta(days=rng.randint(*habit.horizon))
        history = [CloseDateChange(changed_on=created, close_date=forecast)]
        states: list[tuple[date, str, str, date]] = [(created, self.stage_ids[stage], "open", forecast)]
        status, closed_on, lost_reason, lost_note = "open", None, None, None
        drafts: list[_Draft] = []
        streak = 0
        day = created
        while day <= self.end:
            next_day = _weekday_on_or_after(day + timedelta(days=rng.randint(*habit.cadence)))
            call_ctx = self._call_context(ctx, extra, day)
            available = self.process.activities_after(self.stage_ids[stage], completed, lookahead=1)
            final_week = (self.end - day).days < 5
            planned_only = final_week and habit.plan_rate >= 0.5 and rng.random() < 0.5
            has_plan = planned_only or state.draw(rng, "plan", habit.plan_rate)
            plan, objective = (self._plan(state, call_ctx, extra, day, stage, available) if has_plan
                               else (None, None))
            if planned_only:
                drafts.append(_Draft(deal_id, state.rep.rep_id, day, plan, None))
                break
            # what happened in the call
            steps: list[str] = []
            if state.draw(rng, "advance", habit.advance_rate):
                streak = 0
                outcome = "advance"
                if not (habit.key == "wings" and rng.random() < 0.3):  # "it went well" with nothing agreed
                    steps = list(plan["planned_steps"]) if plan and plan["planned_steps"] else available[:1]
                    if len(steps) > 2 and rng.random() < 0.3:
                        steps = steps[:-1]
                    if stage >= self.buying and self.order_step not in steps and rng.random() < _LATE_ORDER_RATE:
                        steps.append(self.order_step)  # a customer this far along may simply sign
                    if self.order_step in steps:
                        outcome = "order"
                    completed.extend(steps)
                    stage = self._stage_after(stage, steps, completed)
            else:
                streak += 1
                lose = habit.lose_rate if streak >= 3 else 0.0
                if (day - created).days > _OLD_DEAL_DAYS:  # a deal that drags on for months dies in the end
                    lose += _OLD_DEAL_LOSE_RATE
                outcome = "no_sale" if lose and rng.random() < lose else "continuation"
            # the forecast close date after the call
            new_forecast = self._forecast_after(habit, day, forecast, outcome)
            if new_forecast != forecast:
                history.append(CloseDateChange(changed_on=day, close_date=new_forecast))
                forecast = new_forecast
            ended = outcome in ("order", "no_sale")
            if ended:  # the CRM's close date of a won or lost deal is the day it closed
                status, closed_on = ("won" if outcome == "order" else "lost"), day
                if status == "lost":
                    lost = rng.choice(self.ph["lost_deals"])
                    lost_reason, lost_note = self._fill(lost["reason"], call_ctx), self._fill(lost["note"], call_ctx)
            states.append((day, self.stage_ids[stage], status, day if ended else forecast))
            debrief = self._debrief(state, call_ctx, extra, day, plan, objective, outcome, steps, forecast,
                                    None if ended else next_day, changed=len(history) > 1 and
                                    history[-1].changed_on == day, lost_note=lost_note)
            drafts.append(_Draft(deal_id, state.rep.rep_id, day, plan, debrief))
            if ended:
                break
            day = next_day
        close_history, stage_history = self._snapshot_history(created, states)
        deal = Deal(
            deal_id=deal_id,
            rep_id=state.rep.rep_id,
            account=ctx["account"],
            name=extra["deal_name"],
            stage=self.stage_ids[stage],
            close_date=closed_on or forecast,
            amount=extra["amount"],
            created=created,
            status=status,
            closed_on=closed_on,
            lost_reason=lost_reason,
            close_date_history=close_history,
            stage_history=stage_history,
        )
        return deal, drafts

    def _snapshot_history(self, created: date, states: list[tuple[date, str, str, date]]
                          ) -> tuple[list[CloseDateChange], list[StageChange]]:
        """The close-date and stage history a weekly import keeps of a deal whose real story is `states`
        ((day, stage, status, close date) after each change): a change is dated by the first snapshot that
        shows it, and the first change also records where the deal was since it was created."""
        close: list[CloseDateChange] = []
        moves: list[StageChange] = []
        seen: tuple[date, str, str, date] | None = None
        for snap in self.snapshots:
            if snap < created:
                continue
            now = [s for s in states if s[0] <= snap][-1]
            if seen is not None:
                _, stage, status, close_date = now
                if status == "open" and close_date != seen[3]:
                    if not close:
                        close.append(CloseDateChange(changed_on=created, close_date=seen[3]))
                    close.append(CloseDateChange(changed_on=snap, close_date=close_date))
                if (stage, status) != (seen[1], seen[2]):
                    if not moves:
                        moves.append(StageChange(changed_on=created, stage=seen[1], status=seen[2]))
                    moves.append(StageChange(changed_on=snap, stage=stage, status=status))
            seen = now
        return close, moves

    def _stage_after(self, stage: int, steps: list[str], completed: list[str]) -> int:
        """Move to the furthest stage touched, then on while at least half of a stage's activities are done."""
        if self.order_step in steps:
            return self.last
        idx = max([stage] + [self.stage_of[s] for s in steps])
        done = set(completed)
        while idx < self.last:
            count = sum(1 for a in self.process.stages[idx].activities if a in done)
            if count * 2 < len(self.process.stages[idx].activities):
                break
            idx += 1
        return idx

    def _forecast_after(self, habit: Habit, day: date, forecast: date, outcome: str) -> date:
        if outcome == "order":
            return day
        if outcome == "no_sale":
            return forecast
        left = (forecast - day).days
        new = forecast
        if habit.monthly_slips:  # seed 002: "pushed back 30 days, then another 30 days, then another"
            if left < 7 or (outcome == "continuation" and left <= 21):
                new = _add_month(forecast)
                while (new - day).days < 7:
                    new = _add_month(new)
            return new
        if left < 7:
            new = forecast + timedelta(days=self.rng.choice(_OTHER_SLIPS))
            while (new - day).days < 7:
                new += timedelta(days=14)
        return new

    def _call_context(self, ctx: dict[str, str], extra: dict[str, Any], day: date) -> dict[str, str]:
        rng = self.rng
        due = _weekday_on_or_after(day + timedelta(days=rng.randint(2, 9)))
        nxt = 1 if day.month == 12 else day.month + 1
        quarter = (day.month - 1) // 3 + 1
        call_ctx = dict(ctx)
        call_ctx.update(
            when=_when(day, due),
            date_text=f"{due.day} {_MONTHS[due.month - 1]}",
            month=_MONTHS[nxt - 1],
            quarter=f"Q{quarter % 4 + 1}",
            data=rng.choice(extra["industry"]["data"]),
            due=due.isoformat(),
        )
        return call_ctx

    # -- text ----------------------------------------------------------------------------------------
    def _fill(self, template: str, ctx: dict[str, str]) -> str:
        return _cap(template.format_map(ctx))

    def _pick(self, key: str, ctx: dict[str, str]) -> str:
        return self._fill(self.rng.choice(self.ph[key]), ctx)

    def _who(self, key: str, ctx: dict[str, str]) -> str:
        return f"{ctx[key]} ({ctx[key + '_role']})" if self.rng.random() < 0.5 else ctx[key]

    def _client_action(self, stage: int, ctx: dict[str, str], bank: list[dict[str, str]] | None = None
                       ) -> _Objective:
        rng = self.rng
        item = rng.choice(bank if bank is not None else self.ph["advances"][self.stage_ids[stage]])
        who = self._who(item["who"], ctx)
        action = item["do"].format_map(ctx)
        forms = self.ph["advance_forms"]
        if action.startswith("agree "):  # not "agrees to agree ..."
            forms = [f for f in forms if "agrees" not in f]
        form = rng.choice(forms)
        text = _cap(form.format_map({"who": who, "action": action, "when": ctx["when"]}))
        return _Objective(text=text, kind="advance", who_key=item["who"], who=who, action=action,
                          due=date.fromisoformat(ctx["due"]))

    def _objective(self, habit: Habit, ctx: dict[str, str], stage: int, planned: list[str]) -> _Objective:
        rng = self.rng
        styled = rng.random() < habit.objective_rate
        style = habit.objective if styled else "advance"
        target = max([stage] + [self.stage_of[s] for s in planned])
        if style == "overreach":
            if stage <= 2:
                if rng.random() < 0.25:
                    return _Objective(self._pick("overreach_objectives", ctx), "overreach")
                obj = self._client_action(stage, ctx, self.ph["overreach_actions"])
                obj.kind = "overreach"
                return obj
            style = "advance"
        if style == "advance":
            return self._client_action(min(target, self.last), ctx)
        if style == "followup":
            return _Objective(self._fill(rng.choice(self.ph["followup_objectives"][self._tier(stage)]), ctx), style)
        bank = {"seller": "seller_objectives", "vague": "vague_objectives", "oneline": "oneline_objectives"}[style]
        return _Objective(self._pick(bank, ctx), style)

    def _tier(self, stage: int) -> str:
        """early (prospect..discover), middle (solution, validate) or late (propose..close)."""
        return "early" if stage <= 2 else ("middle" if stage <= 4 else "late")

    def _plan(self, state: _RepState, ctx: dict[str, str], extra: dict[str, Any], day: date, stage: int,
              available: list[str]) -> tuple[dict[str, Any], _Objective]:
        rng, ph, habit = self.rng, self.ph, state.habit
        planned = available[: rng.randint(*habit.steps)]
        objective = self._objective(habit, ctx, stage, planned)
        stage_id = self.process.stages[stage].id
        if habit.key == "wings":  # a one-line plan: the objective and nothing else
            return {"objective": objective.text, "stage": stage_id,
                    "updated_at": datetime.combine(day, time(rng.randint(7, 9), rng.choice((0, 15, 30, 45)))),
                    "planned_steps": planned}, objective
        early = stage <= 2
        fallback = ""
        if habit.objective in ("advance", "overreach", "followup") or rng.random() < 0.3:
            fallback = self._fill(rng.choice(ph["fallbacks"][self._tier(stage)]),
                                  {**ctx, "who": self._who("champ", ctx)})
        elif rng.random() < 0.6:
            fallback = self._pick("weak_fallbacks", ctx)
        if rng.random() < habit.value_good:
            value = self._pick("customer_value", ctx)
        elif habit.value_bad == "us":
            value = self._pick("us_value", ctx)
        elif habit.value_bad == "vague" and rng.random() < 0.7:
            value = self._pick("vague_value", ctx)
        else:  # seed 001: nothing written for "what's in it for the customer"
            value = ""
        agenda = self._agenda(habit, ctx)
        agreed = bool(agenda) and state.draw(rng, "agreed", habit.agenda_agreed)
        shared_only = (habit.agenda_shared - habit.agenda_agreed) / max(1e-9, 1.0 - habit.agenda_agreed)
        shared = agreed or (bool(agenda) and rng.random() < shared_only)
        agreed_on = max(self.first_day, day - timedelta(days=rng.randint(1, 4))) if agreed else None
        plan = {
            "stage": stage_id,
            "attendees": self._attendees(state, ctx, extra, stage, objective),
            "objective": objective.text,
            "fallback": fallback,
            "customer_value": value,
            "agenda": agenda,
            "agenda_shared": shared,
            "agenda_agreed": agreed,
            "agenda_agreed_on": agreed_on,
            "planned_steps": planned,
            "questions": self._questions(habit, ctx),
            "research": self._research(state, ctx),
            "concerns": [self._fill(c, ctx) for c in rng.sample(ph["concerns"], rng.randint(1, 2) if
                                                                  habit.research >= 0.5 else rng.randint(0, 1))],
            "updated_at": datetime.combine(max(self.first_day, day - timedelta(days=rng.randint(0, 3 if early else 2))),
                                           time(rng.randint(7, 18), rng.choice((0, 15, 30, 45)))),
        }
        return plan, objective

    def _agenda(self, habit: Habit, ctx: dict[str, str]) -> list[str]:
        rng, ph = self.rng, self.ph
        if habit.agenda in ("agreed", "private"):
            items = [self._fill(t, ctx) for t in rng.sample(ph["agenda_items"], rng.randint(2, 4))]
            return items + [rng.choice(ph["agenda_close"])]
        if habit.agenda == "script":
            items = ph["script_agenda"]
            chosen = sorted(rng.sample(range(len(items)), rng.randint(3, 5)))
            return [self._fill(items[i], ctx) for i in chosen]
        if habit.agenda == "generic":
            items = ph["generic_agenda"]
            return [items[i] for i in sorted(rng.sample(range(len(items)), rng.randint(1, 3)))]
        return []

    def _questions(self, habit: Habit, ctx: dict[str, str]) -> list[str]:
        rng, ph = self.rng, self.ph
        if habit.questions == "business":
            return [self._fill(q, ctx) for q in rng.sample(ph["business_questions"], rng.randint(3, 5))]
        if habit.questions == "leading":
            return ([self._fill(q, ctx) for q in rng.sample(ph["leading_questions"], rng.randint(2, 3))]
                    + rng.sample(ph["generic_questions"], 1))
        if habit.questions == "generic":
            return rng.sample(ph["generic_questions"], rng.randint(0, 3))
        return []

    def _research(self, state: _RepState, ctx: dict[str, str]) -> Research:
        rng = self.rng
        if state.draw(rng, "research", state.habit.research):
            return Research(
                goals=_cap(ctx["goal"]),
                obstacles=_cap(ctx["obstacle"]),
                industry=f"{_cap(ctx['industry'])}: {ctx['trend']}",
                notes=self._pick("research_notes", ctx),
            )
        if rng.random() < 0.4:
            return Research(industry=_cap(ctx["industry"]))
        return Research()

    def _attendees(self, state: _RepState, ctx: dict[str, str], extra: dict[str, Any], stage: int,
                   objective: _Objective) -> list[Attendee]:
        rng, habit = self.rng, state.habit
        keys = ["champ"]
        if stage >= 3 or (habit.research >= 0.8 and rng.random() < 0.5) or objective.who_key == "buyer":
            keys.append("buyer")
        if stage in (3, 4) or objective.who_key == "tech":
            keys.append("tech")
        if stage >= 5 or objective.who_key == "proc":
            keys.append("proc")
        people = [Attendee(name=f"{ctx[k]} {extra['surnames'][k]}", role=ctx[k + "_role"], side="client")
                  for k in keys]
        people.append(Attendee(name=state.rep.name, role="account executive", side="us"))
        if stage in (3, 4) and (habit.key == "script" or rng.random() < 0.5):
            people.append(Attendee(name=extra["engineer"], role=self.ph["our_roles"]["se"], side="us"))
        return people

    def _debrief(self, state: _RepState, ctx: dict[str, str], extra: dict[str, Any], day: date,
                 plan: dict[str, Any] | None, objective: _Objective | None, outcome: str, steps: list[str],
                 forecast: date, next_day: date | None, changed: bool, lost_note: str | None = None) -> dict[str, Any]:
        rng, ph, habit = self.rng, self.ph, state.habit
        won = outcome in ("advance", "order")
        # best / fallback commitment met
        if plan is None or objective is None:
            best = fallback = False
        elif outcome == "order":
            best = fallback = True
        elif objective.kind in ("advance", "overreach"):
            best = won and objective.kind == "advance" and bool(steps) and rng.random() < 0.8
            fallback = won and bool(steps)
        else:  # we did what we set out to do (presented, touched base) - which is not a client commitment
            best = rng.random() < 0.7
            fallback = best or won
        # the client's commitments
        commitments: list[Commitment] = []
        if won and steps:
            if best and objective is not None and objective.due is not None:
                commitments.append(Commitment(who=objective.who, what=_cap(objective.action), by=objective.due))
            else:
                act = self._client_action(self.stage_of[steps[0]], ctx)
                commitments.append(Commitment(who=act.who, what=_cap(act.action), by=act.due))
            if habit.key == "compressor" and len(steps) > 1:
                for _ in range(rng.randint(1, 2)):
                    act = self._client_action(self.stage_of[rng.choice(steps[1:])], ctx)
                    if all(c.what != _cap(act.action) for c in commitments):
                        commitments.append(Commitment(who=act.who, what=_cap(act.action), by=act.due))
        elif outcome == "continuation" and (habit.monthly_slips or rng.random() < 0.2):
            commitments.append(Commitment(who=ctx["champ"], what=self._pick("vague_commitments", ctx)))
        # what we learned
        learned: dict[str, str] = {}
        for name in rng.sample(_LEARNED_FIELDS, rng.randint(*habit.learned)):
            if habit.key == "wings" and name in ph["thin_learned"]:
                learned[name] = self._fill(rng.choice(ph["thin_learned"][name]), ctx)
            else:
                learned[name] = self._fill(rng.choice(ph["learned"][name]), ctx)
        # our follow-ups
        if rng.random() < habit.dated_follow_ups:
            follow_ups = [
                Commitment(who=state.first_name, what=self._fill(t, ctx),
                           by=_weekday_on_or_after(day + timedelta(days=rng.randint(1, 3))))
                for t in rng.sample(ph["follow_ups"], rng.randint(1, 2))
            ]
        else:
            follow_ups = [Commitment(who=state.first_name if rng.random() < 0.5 else "", what=t)
                          for t in rng.sample(ph["weak_follow_ups"], rng.randint(0, 1 if habit.key == "wings" else 2))]
        # notes
        if outcome == "order":
            notes = self._pick("order_notes", ctx)
        elif outcome == "no_sale":
            notes = lost_note or ""
        elif habit.key == "wings":
            notes = self._pick("wings_notes", ctx)
        elif outcome == "advance":
            notes = self._pick("advance_notes", ctx) if steps else self._pick("continuation_notes", ctx)
        elif habit.monthly_slips:
            notes = self._pick("slipper_notes", ctx)
        else:
            notes = self._pick("continuation_notes", ctx)
        books_next = habit.dated_follow_ups >= 0.5 or rng.random() < 0.3
        late = habit.key == "wings" and rng.random() < 0.5
        return {
            "outcome": outcome,
            "best_met": best,
            "fallback_met": fallback,
            "commitments": commitments,
            "learned": Learned(**learned),
            "completed_steps": steps,
            "follow_ups": follow_ups,
            "next_call": next_day if next_day is not None and books_next else None,
            "close_date_after": forecast if (changed or habit.key != "wings" or rng.random() < 0.4) else None,
            "notes": notes,
            "updated_at": datetime.combine(min(self.end, day + timedelta(days=rng.randint(1, 3) if late else 0)),
                                           time(rng.randint(15, 19), rng.choice((0, 10, 25, 40, 55)))),
        }
