"""The words of the sample team's calls: each plan and debrief written from the phrase banks in
callkit/data/sample_phrases.yaml, in the style of the rep's habit (an advance or a seller's action, a shared
agenda or none, business questions or leading ones, dated follow-ups or vague ones)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from .models import LEARNED_TOPICS, Attendee, Commitment, Learned, Rep, Research
from .process import SalesProcess
from .sample import Habit

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")

def capitalised(text: str) -> str:
    """The text with its first letter in capitals (a sentence from a phrase bank)."""
    return text[:1].upper() + text[1:]


def weekday_on_or_after(day: date) -> date:
    """The day itself, or the Monday after it when it falls on a weekend (reps book calls on working days)."""
    return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


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


@dataclass
class RepState:
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


class CallWriter:
    """Writes the plan and debrief of one simulated call; the simulation (callkit.sample_simulation) sets its
    random generator, phrase banks and process."""

    rng: random.Random
    ph: dict[str, Any]
    process: SalesProcess
    stage_ids: list[str]
    last: int
    order_step: str
    buying: int
    stage_of: dict[str, int]
    end: date
    first_day: date

    def _call_context(self, ctx: dict[str, str], extra: dict[str, Any], day: date) -> dict[str, str]:
        rng = self.rng
        due = weekday_on_or_after(day + timedelta(days=rng.randint(2, 9)))
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
        return capitalised(template.format_map(ctx))

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
        text = capitalised(form.format_map({"who": who, "action": action, "when": ctx["when"]}))
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

    def _plan(self, state: RepState, ctx: dict[str, str], extra: dict[str, Any], day: date, stage: int,
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

    def _research(self, state: RepState, ctx: dict[str, str]) -> Research:
        rng = self.rng
        if state.draw(rng, "research", state.habit.research):
            return Research(
                goals=capitalised(ctx["goal"]),
                obstacles=capitalised(ctx["obstacle"]),
                industry=f"{capitalised(ctx['industry'])}: {ctx['trend']}",
                notes=self._pick("research_notes", ctx),
            )
        if rng.random() < 0.4:
            return Research(industry=capitalised(ctx["industry"]))
        return Research()

    def _attendees(self, state: RepState, ctx: dict[str, str], extra: dict[str, Any], stage: int,
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

    def _debrief(self, state: RepState, ctx: dict[str, str], extra: dict[str, Any], day: date,
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
                commitments.append(Commitment(who=objective.who, what=capitalised(objective.action), by=objective.due))
            else:
                act = self._client_action(self.stage_of[steps[0]], ctx)
                commitments.append(Commitment(who=act.who, what=capitalised(act.action), by=act.due))
            if habit.key == "compressor" and len(steps) > 1:
                for _ in range(rng.randint(1, 2)):
                    act = self._client_action(self.stage_of[rng.choice(steps[1:])], ctx)
                    if all(c.what != capitalised(act.action) for c in commitments):
                        commitments.append(Commitment(who=act.who, what=capitalised(act.action), by=act.due))
        elif outcome == "continuation" and (habit.monthly_slips or rng.random() < 0.2):
            commitments.append(Commitment(who=ctx["champ"], what=self._pick("vague_commitments", ctx)))
        # what we learned
        learned: dict[str, str] = {}
        for name in rng.sample(LEARNED_TOPICS, rng.randint(*habit.learned)):
            if habit.key == "wings" and name in ph["thin_learned"]:
                learned[name] = self._fill(rng.choice(ph["thin_learned"][name]), ctx)
            else:
                learned[name] = self._fill(rng.choice(ph["learned"][name]), ctx)
        # our follow-ups
        if rng.random() < habit.dated_follow_ups:
            follow_ups = [
                Commitment(who=state.first_name, what=self._fill(t, ctx),
                           by=weekday_on_or_after(day + timedelta(days=rng.randint(1, 3))))
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
