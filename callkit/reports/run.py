"""`generate_reports`: every rep's coaching report, in a pool of worker processes, then the manager's index.

1. The parent opens the workspace, settles the period (the 12 weeks up to the latest activity by default)
   and the reps (all, or one team's, or one manager's), and the team's usual days per stage.
2. Workers score every rep once (plain Python, warm imports); the parent takes the team medians and leaves
   each rep's data and the medians as small JSON files in a work folder inside the output folder.
3. Workers run rep_report.ipynb once per rep with papermill (parameters by the Python API, all strings,
   names fixed here) and export it through callkit's offline template. A rep that fails is listed with a
   one-line error and its executed notebook kept in `_failed/`; the others go on.
4. The parent writes index.html and reports.json (what a later `--rep` rerun merges with), with a warning
   when the period has nothing in it.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..exceptions import InvalidInputError, RecordNotFoundError
from . import index as index_page
from .metrics import default_period, rep_cache_path, team_cache_path, team_data, team_stage_norms, write_json
from .names import report_slug
from .progress import Progress, terminal_text
from .render import human_date
from .words import join_words, plural
from .worker import RenderOutcome, RenderTask, compute_rep, init_worker, render_rep

# The notebook's parameter names: fixed by callkit, never taken from user data.
PARAMETERS = ("workspace_path", "rep_id", "since", "until", "cache_dir")
WORK_DIR = ".callkit-work"  # cache for the kernels and the workers' log; kept only when a report failed
WORKER_LOG = "workers.log"
FAILED_DIR = "_failed"
MANIFEST = "reports.json"
PACKAGED_NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "rep_report.ipynb"


@dataclass
class RepResult:
    """One rep's report: the HTML file, or the one-line error and the notebook kept for debugging."""

    rep_id: str
    name: str
    slug: str
    html_path: Path | None = None
    error: str | None = None
    failed_notebook: Path | None = None
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None and self.html_path is not None


@dataclass
class ReportRun:
    """What a report run did: the period, one RepResult per rep asked for, the index, and where time went.

    `warnings` are what a manager must know about the period (nothing happened in it, or nothing for some
    reps); `empty` is True when nothing at all happened in it, which makes the run exit non-zero.
    """

    out_dir: Path
    index_path: Path
    since: date
    until: date
    workers: int
    results: list[RepResult]
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    empty: bool = False
    team: str | None = None
    manager: str | None = None

    @property
    def succeeded(self) -> list[RepResult]:
        return [r for r in self.results if r.ok]

    @property
    def failed(self) -> list[RepResult]:
        return [r for r in self.results if not r.ok]

    @property
    def exit_code(self) -> int:
        """0 when every report was produced for a period with something in it; 1 when any failed or the
        period was empty (a scheduler should hear about both)."""
        return 1 if self.failed or self.empty else 0


def cpu_count() -> int:
    """The cores this process may use (respects CPU affinity, e.g. in containers); the default worker count."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def default_notebook() -> Path:
    """The report notebook shipped inside the package (a copy of the repository's notebooks/rep_report.ipynb)."""
    return PACKAGED_NOTEBOOK


def generate_reports(
    workspace_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    workers: int | None = None,
    reps: Sequence[str] | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    progress: bool = True,
    notebook: str | os.PathLike[str] | None = None,
    *,
    team: str | None = None,
    manager: str | None = None,
) -> ReportRun:
    """Build one HTML coaching report per rep (or only `reps`) and index.html in `out_dir`.

    `team` and `manager` limit the run and the index to the reps of that team or that manager (matched
    ignoring case); the team medians are then that group's. `workers` defaults to the number of cores; the
    period defaults to the 12 weeks ending at the latest activity in the workspace (a call, an import, a deal
    created or closed). One rep's failure never stops the others: check `run.failed` / `run.exit_code`, and
    `run.warnings` for a period with nothing in it.
    """
    from ..workspace import Workspace

    started = time.perf_counter()
    ws_path = Path(workspace_path).resolve()
    with Workspace.open(ws_path) as ws:
        people = select_group(ws.reps(), team=team, manager=manager)
        start, end = default_period(ws, since, until)
        latest = ws.latest_activity_date()
        norms = team_stage_norms(ws)
    team_reps = [(r.rep_id, r.name) for r in people]
    names = dict(team_reps)
    selected = _select(team_reps, reps)
    timings: dict[str, float] = {"setup": time.perf_counter() - started}
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    work = out / WORK_DIR
    shutil.rmtree(work, ignore_errors=True)
    (work / "notebooks").mkdir(parents=True)
    cache = work / "cache"
    nb_path = Path(notebook).resolve() if notebook is not None else default_notebook()
    size = max(1, min(workers or cpu_count(), max(len(team_reps), 1)))
    outcomes: dict[str, RenderOutcome] = {}

    pool = ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("spawn"),
                               initializer=init_worker, initargs=(str(work / WORKER_LOG),))
    try:
        mark = time.perf_counter()
        rep_data = _score_team(pool, ws_path, team_reps, start, end, norms, progress)
        team_figures = team_data([d for d in rep_data.values() if d is not None], start, end)
        write_json(team_cache_path(cache), team_figures)
        for rep_id in selected:
            if rep_data.get(rep_id) is not None:
                write_json(rep_cache_path(cache, rep_id), rep_data[rep_id])
        timings["score_team"] = time.perf_counter() - mark

        mark = time.perf_counter()
        tasks = [_task(rep_id, names[rep_id], ws_path, start, end, cache, nb_path, out, work) for rep_id in selected]
        outcomes = _render_all(pool, tasks, names, progress)
        timings["notebooks"] = time.perf_counter() - mark
    finally:
        pool.shutdown(wait=True, cancel_futures=True)

    results = [_result(rep_id, names[rep_id], outcomes[rep_id]) for rep_id in selected]
    empty, warnings = period_warnings(people, rep_data, start, end, latest)
    mark = time.perf_counter()
    scope = " · ".join(f"{what} {value}" for what, value in (("team", team), ("manager", manager)) if value)
    index_path = index_page.write_index(out, people, rep_data, team_figures, results, start, end,
                                        warnings=warnings, scope=scope)
    timings["index"] = time.perf_counter() - mark
    if all(r.ok for r in results):
        shutil.rmtree(work, ignore_errors=True)
    return ReportRun(out_dir=out, index_path=index_path, since=start, until=end, workers=size, results=results,
                     seconds=time.perf_counter() - started, timings=timings, warnings=warnings, empty=empty,
                     team=team, manager=manager)


def select_group(reps: Sequence[Any], team: str | None = None, manager: str | None = None) -> list[Any]:
    """The reps of `team` and/or `manager` (ignoring case and spaces around), in the workspace's order.

    A team or manager no rep has is an InvalidInputError that lists the ones there are.
    """
    chosen = list(reps)
    for field_name, wanted in (("team", team), ("manager", manager)):
        if wanted is None:
            continue
        key = wanted.strip().casefold()
        known = sorted({getattr(r, field_name) for r in reps if getattr(r, field_name)}, key=str.casefold)
        chosen = [r for r in chosen if (getattr(r, field_name) or "").strip().casefold() == key]
        if not chosen:
            there = f"the {field_name}s are {join_words(known)}" if known else f"no rep has a {field_name} recorded"
            raise InvalidInputError({field_name: f"No rep has the {field_name} {wanted!r}: {there}."},
                                    what="report run")
    return chosen


def period_warnings(reps: Sequence[Any], rep_data: dict[str, dict[str, Any] | None], since: date, until: date,
                    latest: date | None) -> tuple[bool, list[str]]:
    """(nothing happened at all, the warnings to print and show in the index) for a report period.

    Nothing happened for a rep when the period holds none of their calls and no deal of theirs was created,
    won, lost or moved in it; a rep whose data failed to load is not counted as empty.
    """
    period = f"{human_date(since.isoformat())} to {human_date(until.isoformat())}"
    loaded = [(r, rep_data[r.rep_id]) for r in reps if rep_data.get(r.rep_id) is not None]
    quiet = [r for r, data in loaded if data.get("empty")]
    if loaded and len(quiet) == len(loaded):
        if latest is None:
            return True, [f"Nothing happened from {period}: the workspace has no calls or deals yet, so import your "
                          "team first (callkit import WORKSPACE --deals deals.csv)."]
        outside = latest < since or latest > until
        hint = (f"the workspace's data ends on {human_date(latest.isoformat())}, so leave out --since and --until to "
                f"report on the 12 weeks up to then" if outside else "check the dates given")
        return True, [f"Nothing happened from {period} (no calls, and no deals created, won, lost or moved): {hint}."]
    if quiet:
        shown = join_words([r.name for r in quiet[:5]] + ([f"{len(quiet) - 5} more"] if len(quiet) > 5 else []))
        return False, [f"Nothing happened from {period} for {len(quiet)} of {plural(len(loaded), 'rep')} (no calls, "
                       f"and no deals created, won, lost or moved): {shown}."]
    return False, []


def _select(team: list[tuple[str, str]], reps: Sequence[str] | None) -> list[str]:
    """The rep ids to report on, in the workspace's order; an unknown id raises RecordNotFoundError."""
    known = [rep_id for rep_id, _ in team]
    if not reps:
        return known
    wanted = list(dict.fromkeys(reps))
    for rep_id in wanted:
        if rep_id not in known:
            raise RecordNotFoundError("rep", rep_id)
    return [rep_id for rep_id in known if rep_id in wanted]


def _score_team(pool: ProcessPoolExecutor, ws_path: Path, team: list[tuple[str, str]], start: date, end: date,
                norms: dict[str, float], progress: bool) -> dict[str, dict[str, Any] | None]:
    """Every rep's report data, computed in the workers; a rep whose data fails to load maps to None."""
    bar = Progress(len(team), "Scoring the team", progress)
    futures = {pool.submit(compute_rep, str(ws_path), rep_id, start.isoformat(), end.isoformat(), norms): rep_id
               for rep_id, _ in team}
    data: dict[str, dict[str, Any] | None] = {}
    for future in as_completed(futures):
        rep_id = futures[future]
        try:
            _, data[rep_id], _error = future.result()
        except Exception:  # a worker that died: the rep's own notebook run will show what went wrong
            data[rep_id] = None
        bar.step()
    bar.close()
    return data


def _task(rep_id: str, name: str, ws_path: Path, start: date, end: date, cache: Path, notebook: Path,
          out: Path, work: Path) -> RenderTask:
    values = (str(ws_path), rep_id, start.isoformat(), end.isoformat(), str(cache))
    return RenderTask(
        rep_id=rep_id, title=f"Coaching report: {name}", slug=report_slug(rep_id), notebook=str(notebook),
        parameters=dict(zip(PARAMETERS, values)), out_dir=str(out), failed_dir=str(out / FAILED_DIR),
        work_dir=str(work / "notebooks"),
    )


def _render_all(pool: ProcessPoolExecutor, tasks: Iterable[RenderTask], names: dict[str, str],
                progress: bool) -> dict[str, RenderOutcome]:
    tasks = list(tasks)
    bar = Progress(len(tasks), "Writing reports", progress)
    futures: dict[Future[RenderOutcome], RenderTask] = {pool.submit(render_rep, t): t for t in tasks}
    outcomes: dict[str, RenderOutcome] = {}
    for future in as_completed(futures):
        task = futures[future]
        try:
            outcome = future.result()
        except Exception as exc:  # the worker process itself died (not just the kernel)
            outcome = RenderOutcome(rep_id=task.rep_id, slug=task.slug,
                                    error=f"the report worker stopped unexpectedly ({type(exc).__name__})")
        outcomes[task.rep_id] = outcome
        who = f"{terminal_text(task.rep_id)} ({terminal_text(names[task.rep_id])})"
        if outcome.error:
            bar.say(f"failed: {who}: {terminal_text(outcome.error)}")
        else:
            bar.say(f"done: {who} in {outcome.seconds:.1f} s", quiet_on_terminal=True)
        bar.step()
    bar.close()
    return outcomes


def _result(rep_id: str, name: str, outcome: RenderOutcome) -> RepResult:
    return RepResult(
        rep_id=rep_id, name=name, slug=outcome.slug,
        html_path=Path(outcome.html_path) if outcome.html_path else None, error=outcome.error,
        failed_notebook=Path(outcome.failed_notebook) if outcome.failed_notebook else None,
        seconds=outcome.seconds, timings=dict(outcome.timings),
    )


def rerun_hint(run: ReportRun, workspace_path: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> str:
    """The command that reruns just the failed reps, quoted for a POSIX shell."""
    import shlex

    parts = ["callkit", "reports", shlex.quote(str(workspace_path)), "--out", shlex.quote(str(out_dir))]
    for flag, value in (("--team", run.team), ("--manager", run.manager)):
        if value:
            parts += [flag, shlex.quote(value)]
    for r in run.failed:
        parts += ["--rep", shlex.quote(r.rep_id)]
    parts += ["--since", run.since.isoformat(), "--until", run.until.isoformat()]
    return " ".join(parts)

