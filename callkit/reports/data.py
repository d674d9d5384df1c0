"""The report data: what the batch's workers compute and each report kernel renders, as typed JSON.

This is the contract between the two sides of a report. `compute.py` (worker side: workspace, scoring,
deal health) produces a `RepData` per rep and a `TeamData` for the team; the batch writes them as small JSON
files, and `load_report` (kernel side, what rep_report.ipynb calls) reads them back without importing the
workspace or the scoring rules. The figures' labels and units live here too, so a page, the index and the
computation name every figure the same way.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Literal, Mapping, NamedTuple, Optional, TypedDict

from .names import report_slug

if TYPE_CHECKING:  # pragma: no cover
    from ..workspace import Workspace

Unit = Literal["%", "$", "score", "x", "n"]  # a share 0..1, an amount, a 0-100 score, a ratio, a count


class Figure(NamedTuple):
    """A headline figure of the report: what it is called, how it reads, which way is better."""

    label: str
    unit: Unit
    higher_is_better: bool | None  # None: neither (how many calls, the pipeline)
    about: Literal["calls", "deals"]  # from the call plans and debriefs, or from the CRM's deals
    note: str = ""  # what it is measured over, shown beside the label


FIGURES: dict[str, Figure] = {
    "calls": Figure("Calls", "n", None, "calls"),
    "plan_share": Figure("Calls with a written plan", "%", True, "calls", "of all calls"),
    "plan_score": Figure("Average plan score (0-100)", "score", True, "calls", "average over planned calls"),
    "advance_objectives": Figure("Objectives that are advances", "%", True, "calls", "of planned calls"),
    "advance_outcomes": Figure("Calls that ended in an advance or an order", "%", True, "calls",
                               "of debriefed calls"),
    "agenda_agreed": Figure("Agenda agreed with the customer before the call", "%", True, "calls",
                            "of planned calls"),
    "customer_value": Figure("Customer value answered in the customer's terms", "%", True, "calls",
                             "of planned calls"),
    "compression": Figure("Process steps planned per call (compression)", "x", True, "calls",
                          "average over planned calls"),
    "calls_per_advance": Figure("Calls per advance", "x", False, "calls", "fewer is better"),
    "pipeline": Figure("Open pipeline at the end of the period", "$", None, "deals"),
    "open_deals": Figure("Open deals", "n", None, "deals"),
    "won_amount": Figure("Won in the period", "$", True, "deals"),
    "won_deals": Figure("Deals won", "n", True, "deals"),
    "lost_deals": Figure("Deals lost", "n", None, "deals"),
    "win_rate": Figure("Win rate", "%", True, "deals", "won of the deals won or lost in the period"),
    "at_risk_amount": Figure("Open pipeline at risk", "$", False, "deals",
                             "past their close date, pushed more than once, stuck in a stage or stalled"),
    "past_close": Figure("Open deals past their close date", "n", False, "deals"),
}
CALL_KEYS = tuple(k for k, f in FIGURES.items() if f.about == "calls")
DEAL_KEYS = tuple(k for k, f in FIGURES.items() if f.about == "deals")
CALL_FIGURES = {k: FIGURES[k] for k in CALL_KEYS}
FIGURE_NOTES = {k: f.note for k, f in FIGURES.items() if f.note}

Figures = dict[str, Optional[float]]  # figure key (FIGURES) -> value; None when nothing to measure


class RepInfo(TypedDict):
    rep_id: str
    name: str
    team: str | None
    manager: str | None
    slug: str


class Period(TypedDict):
    since: str  # ISO dates
    until: str


class Counts(TypedDict):
    calls: int
    planned: int
    debriefed: int
    advances: int


class TrendWeek(TypedDict):
    """One week of the weekly chart."""

    week: str
    calls: int
    planned: int
    plan_score: float | None
    debriefed: int
    advances: int
    advance_rate: float | None


class Halves(TypedDict):
    """The average plan score of each half of the period, for the sentence under the weekly chart."""

    first: float | None
    first_planned: int
    second: float | None
    second_planned: int
    second_from: str


class SkillCheck(TypedDict):
    id: str
    label: str
    passed: int
    of: int


class Skill(TypedDict):
    id: str
    label: str
    weight: float
    score: float | None
    checks: list[SkillCheck]


class Example(TypedDict):
    """The call a coaching point quotes."""

    call_id: str
    date: str
    deal_id: str
    account: str
    deal: str
    amount: float | None


class CoachingPoint(TypedDict):
    """A rubric criterion that cost the rep most points, with the rep's worst example and a rewrite."""

    code: str
    title: str
    criterion: str | None
    count: int
    out_of: int
    cost: float
    messages: list[str]
    quote: str | None
    quote_label: str | None
    suggestion: str | None
    tip: str
    example: Example


class RepData(TypedDict):
    """Everything one rep's report shows. `deals` and `activity` are deal_figures.deal_period's summary."""

    rep: RepInfo
    period: Period
    previous_period: Period
    counts: Counts
    figures: Figures
    previous: Figures
    skills: list[Skill]
    trend: list[TrendWeek]
    halves: Halves
    points: list[CoachingPoint]
    deals: dict[str, Any]
    activity: dict[str, int]
    empty: bool
    last_call: str | None
    days_since_last_call: int | None
    exercises: list[dict[str, Any]]
    exercises_missed: list[dict[str, Any]]
    stalled_deals: int
    slipping_deals: int


class SkillScore(TypedDict):
    id: str
    label: str
    score: float | None


class PointTitle(TypedDict):
    title: str
    code: str


class RepSummary(TypedDict):
    """The few hundred bytes of a rep's data that the team figures, the index and "who to coach first" use."""

    rep: RepInfo
    period: Period
    counts: Counts
    figures: Figures
    previous: Figures
    skills: list[SkillScore]
    deals: dict[str, Any]
    points: list[PointTitle]
    empty: bool
    activity: dict[str, int]


class TeamTotals(TypedDict):
    pipeline: float
    open_deals: int
    won_amount: float
    won_deals: int
    lost_deals: int
    win_rate: float | None
    at_risk_amount: float
    calls: int


class MostAtRisk(TypedDict):
    amount: float
    count: int


class TeamData(TypedDict):
    """The team's medians, totals and benchmarks that every rep's page is compared with."""

    period: Period
    reps: int
    active_reps: int
    deal_reps: int
    closing_reps: int
    medians: Figures
    benchmark: Figures
    skills: dict[str, float | None]
    totals: TeamTotals
    most_at_risk: MostAtRisk
    empty_reps: list[str]


class Report(TypedDict):
    """What rep_report.ipynb shows: the rep's data, the team's, and a note when no workspace was given."""

    rep: RepData
    team: TeamData
    note: str | None


_workspaces: dict[str, Any] = {}


def open_cached_workspace(path: str | os.PathLike[str]) -> "Workspace":
    """The workspace at `path`, opened once per process (report workers reuse it for every rep)."""
    from ..workspace import Workspace

    key = str(Path(path).resolve())
    if key not in _workspaces:
        _workspaces[key] = Workspace.open(key)
    ws: Workspace = _workspaces[key]
    return ws


def team_cache_path(cache_dir: str | os.PathLike[str]) -> Path:
    """Where the batch runner leaves the team's medians for the report kernels."""
    return Path(cache_dir) / "team.json"


def rep_cache_path(cache_dir: str | os.PathLike[str], rep_id: str) -> Path:
    """Where the batch runner leaves one rep's report data for that rep's kernel."""
    return Path(cache_dir) / "reps" / f"{report_slug(rep_id)}.json"


def compact_json(data: Any) -> str:
    """`data` as JSON text without spaces (what the batch writes and passes between processes)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (a kernel never reads half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(compact_json(data), encoding="utf-8")
    os.replace(tmp, path)


class RepSummaries(Mapping[str, Optional[RepSummary]]):
    """Every rep's summary in a batch, by rep id, kept as the JSON text the worker sent (None: the rep's data
    could not be computed) and decoded only when asked for, one at a time: the parent of a 2,000-rep run holds
    a few hundred bytes per rep, not a tree of objects per rep."""

    def __init__(self) -> None:
        self._text: dict[str, str | None] = {}

    def add(self, rep_id: str, text: str | None) -> None:
        self._text[rep_id] = text

    def __getitem__(self, rep_id: str) -> RepSummary | None:
        text = self._text[rep_id]
        return None if text is None else json.loads(text)

    def __iter__(self) -> Iterator[str]:
        return iter(self._text)

    def __len__(self) -> int:
        return len(self._text)

    def known(self) -> Iterator[RepSummary]:
        """The summaries that could be computed, decoded one at a time (for `compute.team_data`)."""
        return (json.loads(text) for text in self._text.values() if text is not None)


def load_report(workspace_path: str | None, rep_id: str | None, since: str | None, until: str | None,
                cache_dir: str | None = None) -> Report:
    """What rep_report.ipynb shows: {'rep': ..., 'team': ..., 'note': ...}.

    With `cache_dir` (a batch run), read the data the runner computed; otherwise open the workspace
    (`workspace_path`, else $CALLKIT_WORKSPACE, else a fresh sample team) and compute it here.
    """
    team: TeamData | None = None
    rep: RepData | None = None
    if cache_dir:
        team = _read_json(team_cache_path(cache_dir))
        if rep_id is not None:
            rep = _read_json(rep_cache_path(cache_dir, rep_id))
            if rep is not None and rep["rep"]["rep_id"] != rep_id:
                rep = None
    if team is not None and rep is not None:
        return {"rep": rep, "team": team, "note": None}
    from . import compute  # only without a batch's cache: the kernel then scores the calls itself

    ws, note = _workspace_for(workspace_path)
    start, end = compute.default_period(ws, since, until)
    if rep_id is None:
        reps = ws.reps()
        if not reps:
            from ..exceptions import WorkspaceError

            raise WorkspaceError(ws.path, f"The workspace {ws.path} has no reps yet: import your team first.")
        rep_id = reps[0].rep_id
    if team is None:
        team, all_reps = compute.compute_team(ws, start, end)
        if rep_id not in all_reps:
            ws.rep(rep_id)  # raises RecordNotFoundError naming the id
        return {"rep": all_reps[rep_id], "team": team, "note": note}
    return {"rep": compute.compute_rep_data(ws, rep_id, start, end, compute.team_stage_norms(ws)), "team": team,
            "note": note}


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _workspace_for(workspace_path: str | None) -> tuple["Workspace", str | None]:
    path = workspace_path or os.environ.get("CALLKIT_WORKSPACE")
    if path:
        return open_cached_workspace(path), None
    import atexit
    import shutil
    import tempfile

    from ..workspace import Workspace

    scratch = Path(tempfile.mkdtemp(prefix="callkit-sample-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    folder = scratch / "workspace"
    ws = Workspace.create(folder, sample=True)
    _workspaces[str(folder.resolve())] = ws
    return ws, ("No workspace was given (workspace_path or the CALLKIT_WORKSPACE variable), "
                "so this report shows the sample team.")
