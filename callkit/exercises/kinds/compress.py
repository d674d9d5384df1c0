"""Kind `compress` (workbook 04): which of the next process activities can this one call really accomplish?

The call is modelled: the item gives its length (`minutes`) and who attends (`attendees`, each with their
roles), and each activity in process.yaml says the minutes it needs and who must be in the room (or that it
happens outside any call, like a pilot). An item may override an activity for its call (`activities:`),
rule one out with its own reason (`unrealistic:`) or say that one needs another first (`requires:`).
A ticked activity that does not fit is named, with why; the rest is compression: 1-2 normal, 3-4 good,
5 excellent, the numbers read from rubric.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any, Sequence

from pydantic import Field

from ...process import Activity, SalesProcess
from ...ui.markup import esc
from ...text import counted, join
from .. import text as words
from ..results import CheckResult, CheckSpec, blank_result
from .registry import register_kind
from .base import CheckContext, ExerciseKind, ItemBase, Strict, Text

UNREALISTIC_PENALTY = 0.25
_SEARCH_LIMIT = 16  # options searched exhaustively for the most a call can do (2**16 sets at most)


class ActivityNote(Strict):
    """A process activity this call cannot accomplish, and why."""

    activity: Text
    why: Text


class Prerequisite(Strict):
    """An activity that is realistic only if another one is done in the same call."""

    activity: Text
    after: Text
    why: Text


class Attendee(Strict):
    """Someone on the client's side in the call, with their roles (process.yaml's `roles:`)."""

    name: Text
    roles: list[Text] = Field(min_length=1)


class ActivityOverride(Strict):
    """What an activity asks of this item's call, when it differs from process.yaml."""

    minutes: int | None = Field(default=None, ge=0)
    who: list[Text] | None = None
    outside_the_call: str | None = None  # "" means: this call can accomplish it after all


class CompressItem(ItemBase):
    """A deal at a stage and its next call (length, attendees): which next activities can the call accomplish?"""

    stage: Text
    deal: Text
    call: Text
    minutes: int | None = Field(default=None, ge=5)  # the call's length
    attendees: list[Attendee] = Field(default_factory=list)
    completed: list[Text] = Field(default_factory=list)
    unrealistic: list[ActivityNote] = Field(default_factory=list)
    requires: list[Prerequisite] = Field(default_factory=list)
    activities: dict[str, ActivityOverride] = Field(default_factory=dict)


def compress_options(item: CompressItem, process: SalesProcess | None = None) -> list[str]:
    """The activities a rep may tick: what is left of the deal's stage plus the next stage."""
    proc = process or SalesProcess.default()
    return proc.activities_after(item.stage, completed=item.completed)


def call_activity(item: CompressItem, name: str, process: SalesProcess) -> Activity:
    """What an activity asks of this call: process.yaml's minutes and people, with the item's overrides."""
    base = process.activity(name)
    over = next((o for key, o in item.activities.items() if key.lower() == name.lower()), None)
    if over is None:
        return base
    who = base.who if over.who is None else tuple(tuple(r.strip() for r in w.split(" or ") if r.strip()) for w in over.who)
    outside = base.outside_the_call if over.outside_the_call is None else over.outside_the_call.strip()
    minutes = base.minutes if over.minutes is None else over.minutes
    return Activity(base.name, minutes, who, outside)


def _sentence(text: str) -> str:
    """An item's reason as a sentence of its own: capital first, full stop last."""
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def role_words(role: str) -> str:
    """A role as a sentence says it: 'decision_maker' -> 'the decision maker', 'it' -> 'IT'."""
    special = {"it": "IT", "users": "the people affected day to day", "finance": "finance", "procurement": "procurement",
               "legal": "their lawyers", "owner": "the person who owns the problem"}
    return special.get(role, "the " + role.replace("_", " "))


@dataclass(frozen=True)
class CallFit:
    """How a set of ticked activities fits the call: what does not fit (with why) and the minutes used."""

    problems: tuple[tuple[str, str], ...]  # (activity, sentence)
    fitting: tuple[str, ...]
    minutes: int


class CallModel:
    """One item's call: its options, what each needs, and which sets of them fit the time and the room."""

    def __init__(self, item: CompressItem, process: SalesProcess):
        self.item = item
        self.process = process
        self.options = compress_options(item, process)
        self.by_key = {a.lower(): a for a in self.options}
        self.roles = {r for a in item.attendees for r in a.roles}
        self.unrealistic = {n.activity.lower(): n.why for n in item.unrealistic}

    def canonical(self, chosen: Sequence[str]) -> list[str]:
        """The ticked names as the process writes them, each once, in process order; unknown names at the end."""
        keys = words.unique([c.strip().lower() for c in chosen if c and c.strip()])
        known = [a for a in self.options if a.lower() in keys]
        return known + [c.strip() for c in chosen if c.strip() and c.strip().lower() not in self.by_key]

    def own_problem(self, name: str) -> str | None:
        """Why one activity cannot happen in this call on its own terms (not counting time or order), or None."""
        key = name.lower()
        if key not in self.by_key:
            return f'"{name}" is not one of the next activities for a deal in this stage.'
        if key in self.unrealistic:
            return f'"{name}" does not fit this call. {_sentence(self.unrealistic[key])}'
        act = call_activity(self.item, name, self.process)
        if not act.in_call:
            return f'"{name}" does not fit: {act.outside_the_call} - this call can agree it (an advance), not accomplish it.'
        if self.item.attendees:
            missing = [group for group in act.who if not set(group) & self.roles]
            if missing:
                need = join([" or ".join(role_words(r) for r in group) for group in missing])
                present = join([a.name for a in self.item.attendees])
                return f'"{name}" does not fit: it needs {need} in the room, and this call has {present}.'
        return None

    def minutes_of(self, name: str) -> int:
        return call_activity(self.item, name, self.process).minutes or 0

    def fit(self, picked: Sequence[str]) -> CallFit:
        """Everything that does not fit among `picked` (already canonical), worst first, and the minutes the rest take."""
        problems: list[tuple[str, str]] = []
        ok: list[str] = []
        for name in picked:
            why = self.own_problem(name)
            if why:
                problems.append((name, why))
            else:
                ok.append(name)
        changed = True
        while changed:  # a chain: what needs an activity that does not fit does not fit either
            changed = False
            keys = {a.lower() for a in ok}
            for r in self.item.requires:
                act = self.by_key.get(r.activity.lower(), r.activity)
                if act in ok and r.after.lower() not in keys:
                    problems.append((act, f'"{act}" needs "{self.by_key.get(r.after.lower(), r.after)}" first. {_sentence(r.why)}'))
                    ok.remove(act)
                    changed = True
                    break
        used = 0
        fitting: list[str] = []
        late: list[str] = []
        limit = self.item.minutes
        for name in ok:
            need = self.minutes_of(name)
            if limit is not None and used + need > limit:
                late.append(name)
                continue
            used += need
            fitting.append(name)
        if late:
            wanted = used + sum(self.minutes_of(n) for n in late)
            named = join([f'"{n}"' for n in late])
            verb = "does" if len(late) == 1 else "do"
            problems.append((late[0], f"Not enough time: what you ticked needs about {wanted} minutes and the call has "
                                      f"{limit}, so {named} {verb} not fit after the first {used} minutes."))
        return CallFit(tuple(problems), tuple(fitting), used)

    def most(self) -> list[str]:
        """The largest set of activities this call can realistically accomplish (the first such set in process order)."""
        candidates = [a for a in self.options if self.own_problem(a) is None][:_SEARCH_LIMIT]
        for size in range(len(candidates), 0, -1):
            for combo in combinations(candidates, size):
                if not self.fit(list(combo)).problems:
                    return list(combo)
        return []

    def also_fits(self, fitting: Sequence[str], used: int) -> list[str]:
        """Activities not ticked that would still fit next to the ones that fit (time, room and order)."""
        out: list[str] = []
        chosen = list(fitting)
        for name in self.options:
            if name in chosen:
                continue
            trial = [a for a in self.options if a in chosen or a == name]
            if not self.fit(trial).problems:
                chosen.append(name)
                out.append(name)
        return out


REALISM = CheckSpec(
    "realism",
    "Realistic: everything you ticked can happen in this call, with these people, in this time.",
    "Some of what you ticked cannot happen in this call - why is below.",
)
COMPRESSION = CheckSpec("compression", "Good compression.", "Not much compression yet.")


def compression_level(count: int, levels: tuple[int, int] | None = None) -> str:
    """The words for how many activities one call accomplishes: none, normal, good, excellent (rubric.yaml)."""
    good, excellent = levels or CheckContext().compression_levels
    if count >= excellent:
        return "excellent"
    if count >= good:
        return "good"
    return "normal" if count >= 1 else "none"


def check_compression(item: CompressItem, chosen: Sequence[str], process: SalesProcess | None = None,
                      ctx: CheckContext | None = None) -> CheckResult:
    """How many next activities the call realistically accomplishes, and which ticked ones do not fit and why."""
    ctx = ctx or (CheckContext(process) if process is not None else CheckContext())
    model = CallModel(item, ctx.process)
    picked = model.canonical(list(chosen or []))
    if not picked:
        return blank_result("Tick the activities this call can accomplish first.")
    levels = ctx.compression_levels
    fit = model.fit(picked)
    best = model.most()
    good = len(fit.fitting)
    target = min(levels[0], len(best))
    cap = max(1, min(levels[1], len(best)))
    realism = REALISM.run(not fit.problems)
    message = _compression_message(good, levels, len(best), item)
    if fit.problems:
        message = f"{good} of the {len(picked)} activities you ticked can happen in this call."
    compression = COMPRESSION.run(good >= target, message, message)
    notes = [why for _, why in fit.problems]
    missed = model.also_fits(fit.fitting, fit.minutes)
    if not fit.problems and good < cap and missed:
        notes.append("This call could also cover: " + "; ".join(missed[: cap - good]) + ".")
    if not fit.problems and item.minutes and fit.fitting:
        notes.append(f"What you ticked takes about {fit.minutes} of the call's {item.minutes} minutes.")
    score = max(0.0, min(good, cap) / cap - UNREALISTIC_PENALTY * (len(picked) - good))
    passed = realism.passed and compression.passed
    reveals = not passed and bool(fit.problems or missed)
    return CheckResult(passed, round(score, 3), (realism, compression), tuple(notes), "; ".join(picked), reveals_key=reveals)


def _compression_message(good: int, levels: tuple[int, int], most: int, item: CompressItem) -> str:
    level = compression_level(good, levels)
    lo, hi = levels
    things = counted(good, "realistic activity", "realistic activities")
    if level == "none":
        return "None of what you ticked can realistically happen in this call."
    if level == "normal":
        if good >= most:
            return (f"{things}: that is all this call can do with the people and the time it has. Plan the next one "
                    "with the people the other activities need.")
        span = f"{lo}-{hi - 1}" if hi - 1 > lo else str(lo)
        return (f"{things}: normal. The game in Dave Brock's article is to ask \"how many of the next activities "
                f"can we accomplish in this call?\" - aim for {span}.")
    if level == "good":
        return f"{things}: good compression. Teams that play the game get to {hi}."
    return f"{things}: excellent compression - as many as Dave Brock's team plans into one call."


class CompressKind(ExerciseKind):
    name = "compress"
    model = CompressItem
    what_to_do = "tick what one call can really accomplish"
    title_field = "call"

    def coerce(self, answer: object) -> object:
        if answer is None:
            return []
        if isinstance(answer, str):
            return [a for a in answer.split(";")]
        return list(answer)  # type: ignore[call-overload]

    def check(self, item: CompressItem, answer: Any, ctx: CheckContext) -> CheckResult:
        return check_compression(item, self.coerce(answer), ctx=ctx)  # type: ignore[arg-type]

    def problem(self, item: CompressItem, process: SalesProcess) -> str | None:
        found = super().problem(item, process)
        if found:
            return found
        own = {a.lower() for a in process.stage(item.stage).activities}
        for done in item.completed:
            if done.lower() not in own:
                return f"completed activity {done!r} is not an activity of the {item.stage} stage."
        options = {a.lower() for a in compress_options(item, process)}
        named = ([n.activity for n in item.unrealistic] + [r.activity for r in item.requires]
                 + [r.after for r in item.requires] + list(item.activities))
        for activity in named:
            if activity.lower() not in options:
                return f"activity {activity!r} is not one of the next activities after {item.stage} (check the spelling against process.yaml)."
        for r in item.requires:
            if r.activity.lower() == r.after.lower():
                return f"activity {r.activity!r} cannot require itself."
        if process.roles:
            used = [r for a in item.attendees for r in a.roles]
            used += [r.strip() for o in item.activities.values() for w in (o.who or []) for r in w.split(" or ")]
            for role in used:
                if role not in process.roles:
                    return f"role {role!r} is not one of the roles in process.yaml: {', '.join(process.roles)}."
        return None

    def item_html(self, item: CompressItem, ctx: CheckContext) -> str:
        proc = ctx.process
        done = "".join(f"<li>{esc(a)}</li>" for a in item.completed)
        done_html = f"<p><b>Already done in this stage:</b></p><ul>{done}</ul>" if done else ""
        facts = []
        if item.minutes:
            facts.append(f"{item.minutes} minutes")
        if item.attendees:
            facts.append("in the room: " + esc(join([a.name for a in item.attendees])))
        facts_html = f'<p class="ck-muted">{" · ".join(facts)}</p>' if facts else ""
        return (
            f"<p><b>Deal</b> (stage: {esc(proc.stage(item.stage).name)}): {esc(item.deal)}</p>"
            f"<p><b>The next call:</b> {esc(item.call)}</p>{facts_html}{done_html}"
            "<p>Tick every next activity this one call can <b>realistically</b> accomplish - with the people in "
            "the room and in the time it has. The more you can compress into it, the better, if it can really "
            "happen.</p>"
        )

    def form(self, item: CompressItem, ctx: CheckContext, report: Any) -> "CompressForm":
        return CompressForm(item, ctx.process)

    def from_notation(self, written: str) -> object:
        return [a.strip() for a in written.split(";") if a.strip()]

    def model_answer(self, item: CompressItem, ctx: CheckContext) -> object:
        return CallModel(item, ctx.process).most()


class CompressForm:
    """One tick box per next activity, with its stage and about how long it takes."""

    def __init__(self, item: CompressItem, process: SalesProcess):
        import ipywidgets as widgets

        from ...ui.fields import LabeledField

        self.boxes: dict[str, Any] = {}
        rows = []
        for activity in compress_options(item, process):
            stage = process.stage_of_activity(activity)
            act = call_activity(item, activity, process)
            hint = [process.stage(stage).name] if stage else []
            if act.minutes:
                hint.append(f"about {act.minutes} min")
            box = widgets.Checkbox(description=activity, indent=False, layout=widgets.Layout(width="auto"))
            box.add_class("ck-ex-activity")
            self.boxes[activity] = box
            rows.append(widgets.HBox([box, widgets.HTML(f'<span class="ck-muted">{esc(" · ".join(hint))}</span>')]))
        self.widget = LabeledField("What this call will accomplish", widgets.VBox(rows))

    def value(self) -> list[str]:
        return [a for a, box in self.boxes.items() if box.value]

    def restore(self, saved: Any) -> None:
        chosen = {a.strip().lower() for a in saved.answer.split(";")}
        for activity, box in self.boxes.items():
            box.value = activity.lower() in chosen


register_kind(CompressKind())

__all__ = ["ActivityNote", "Attendee", "CallModel", "CompressItem", "Prerequisite", "check_compression",
           "compress_options", "compression_level"]
