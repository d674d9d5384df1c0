"""The sample team's simulation: each deal call by call (stage, completed process activities, forecast close
date, won or lost), and the stage and close-date history a weekly CRM export would have recorded."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from .models import Call, CallPlan, CloseDateChange, Deal, DealStatus, Debrief, Rep, StageChange
from .process import SalesProcess
from .sample import HABITS, Habit, SampleTeam, habit_of, load_phrases
from .sample_calls import CallWriter, RepState, capitalised, weekday_on_or_after

_OTHER_SLIPS = (14, 21, 45, 60)  # how far most reps push a close date that is about to pass (never ~a month)
_DEALS_PER_12_WEEKS = 4
_REPS_PER_MANAGER = 4  # the eight sample reps are two teams, each with its manager
_SNAPSHOT_DAYS = 7
_OLD_DEAL_DAYS = 90  # after this long, any call that ends without an advance may be the one where it is lost
_OLD_DEAL_LOSE_RATE = 0.2
_LATE_ORDER_RATE = 0.35  # an advance in the last stages that ends in the order even though the rep did not plan it  # the sample's CRM export comes in once a week

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


@dataclass
class _Draft:
    """A call before it has an id: its plan and debrief as keyword dicts for the models."""

    deal_id: str
    rep_id: str
    day: date
    plan: dict[str, Any] | None
    debrief: dict[str, Any] | None


class Simulation(CallWriter):
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
        states: list[RepState] = []
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

    def _make_rep(self, i: int, habit: Habit, width: int) -> RepState:
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
        return RepState(habit=habit, rep=rep, first_name=first, balances=balances)

    def _deal_context(self, state: RepState) -> tuple[dict[str, str], dict[str, Any]]:
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
            "deal_name": f"{ctx['account']} - {capitalised(product)} ({ctx['n']} {ctx['sites']})",
        }
        return ctx, extra

    def _simulate_deal(self, state: RepState, deal_id: str, block: date) -> tuple[Deal, list[_Draft]]:
        """One deal created in the block of weeks starting on `block`, worked call by call until it is won,
        lost or the sample ends; its history is what the weekly snapshots saw."""
        rng, habit = self.rng, state.habit
        window = (self.end - self.start).days + 1
        created = weekday_on_or_after(block + timedelta(days=rng.randint(0, max(0, int(window * 0.55)))))
        if created > self.end:
            created = _weekday_on_or_before(self.end)
        ctx, extra = self._deal_context(state)
        stage = rng.choices(range(len(habit.entry_weights)), weights=habit.entry_weights)[0]
        completed: list[str] = []
        forecast = created + timedelta(days=rng.randint(*habit.horizon))
        history = [CloseDateChange(changed_on=created, close_date=forecast)]
        states: list[tuple[date, str, DealStatus, date]] = [(created, self.stage_ids[stage], "open", forecast)]
        status: DealStatus = "open"
        closed_on, lost_reason, lost_note = None, None, None
        drafts: list[_Draft] = []
        streak = 0
        day = created
        while day <= self.end:
            next_day = weekday_on_or_after(day + timedelta(days=rng.randint(*habit.cadence)))
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

    def _snapshot_history(self, created: date, states: list[tuple[date, str, DealStatus, date]]
                          ) -> tuple[list[CloseDateChange], list[StageChange]]:
        """The close-date and stage history a weekly import keeps of a deal whose real story is `states`
        ((day, stage, status, close date) after each change): a change is dated by the first snapshot that
        shows it, and the first change also records where the deal was since it was created."""
        close: list[CloseDateChange] = []
        moves: list[StageChange] = []
        seen: tuple[date, str, DealStatus, date] | None = None
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

