"""A deterministic sample team: reps with the call-planning habits the seed articles describe.

`make_sample_team()` simulates each deal call by call (stage, completed process activities, forecast
close date, won or lost) and writes plans and debriefs from the phrase banks in
callkit/data/sample_phrases.yaml. It simulates the period and, before it, a previous period of the same
length, so a report on the period has figures to compare with. The deals' stage and close-date history
is what a weekly CRM export would have recorded: one snapshot a week, counted back from the last day.
Only `random.Random(seed)` is used, so the same arguments always give the same team.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .datafiles import packaged_text, parse_yaml
from .exceptions import DataFileError, InvalidInputError
from .models import Call, Deal, Rep

if TYPE_CHECKING:  # pragma: no cover
    from .workspace import Workspace

SAMPLE_END = date(2026, 11, 20)
SAMPLE_SEED = 7


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
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}  # YAML lists: ranges
        habits.append(Habit(**values))
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
    from .sample_simulation import Simulation

    return Simulation(reps, weeks, SAMPLE_SEED if seed is None else seed, end, earlier).run()


def load_sample_team(ws: "Workspace", reps: int = 8, seed: int | None = None) -> SampleTeam:
    """Build the sample team (`reps` reps, the default period; `seed=None`: the default seed) and load it into the
    workspace in one transaction, as `callkit init --sample` does; returns the team."""
    team = make_sample_team(reps=reps, seed=seed)
    ws.load_team(team.reps, team.deals, team.calls)
    return team


# -- phrase banks ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def load_phrases() -> dict[str, Any]:
    """The phrase banks of callkit/data/sample_phrases.yaml (cached; treat as read-only)."""
    return parse_yaml(packaged_text("sample_phrases.yaml"), "callkit/data/sample_phrases.yaml", DataFileError)

