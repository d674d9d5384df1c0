"""`generate_reports`: every rep's coaching report, in a pool of worker processes, then the manager's index.

1. The parent checks it can write the output folder, opens the workspace, settles the period (the 12 weeks up
   to the latest activity by default) and the reps (all, or one team's, or one manager's), and the team's
   usual days per stage.
2. Workers score every rep once (plain Python, warm imports) and leave each reported rep's data as a small
   JSON file in a work folder inside the output folder; the parent keeps only a summary per rep
   (`compute.rep_summary`) and takes the team medians from those.
3. Workers run rep_report.ipynb once per rep with papermill (parameters by the Python API, all strings,
   names fixed here) on a kept kernel (`--engine warm`, the default) or a fresh one (`--engine standard`),
   and export it through callkit's offline template. With `scheduler`, this step runs on a Dask cluster
   instead (`callkit.reports.cluster`). A rep that fails is listed with a one-line error and its executed
   notebook kept in `_failed/`; the others go on. A worker process that dies is replaced and its rep
   tried once more (`callkit.reports.pool`).
4. The parent writes index.html and reports.json (what a later `--rep` rerun merges with), with a warning
   when the period has nothing in it.

The index only ever speaks of one period: when the folder holds reports of another period, the new reports
wait in the work folder and move in with the new index, so a run killed half way leaves the old index and
the old reports as they were. SIGTERM or Ctrl-C stops the workers and their kernels, writes the index for the
reports done so far and raises `ReportsStopped`, which says what was written.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..exceptions import InvalidInputError, RecordNotFoundError
from ..text import counted, date_range, join, short_date
from . import index as index_page
from .compute import default_period, team_data, team_stage_norms
from .data import RepSummaries, RepSummary, TeamData, team_cache_path, write_json
from .names import report_slug
from .pool import Job, JobFailed, WorkerLost, WorkerPool
from .progress import Progress, terminal_text
from .output_folder import ReportOutputError, check_output_folder, unwritable
from .result import RepResult
from .stopping import ReportsStopped, StopSignal, no_interruptions, stop_on_sigterm
from .worker import DEFAULT_ENGINE, ENGINES, RenderTask, compute_rep, init_worker, render_rep

# The notebook's parameter names: fixed by callkit, never taken from user data.
PARAMETERS = ("workspace_path", "rep_id", "since", "until", "cache_dir")
WORK_DIR = ".callkit-work"  # cache for the kernels and the workers' log; kept only when a report failed
WORKER_LOG = "workers.log"
FAILED_DIR = "_failed"
STAGING_DIR = "html"  # inside WORK_DIR: reports of a new period, until they move in with the new index
MANIFEST = "reports.json"


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
    engine: str = DEFAULT_ENGINE
    scheduler: str | None = None
    notebook: str | None = None
    retried: list[str] = field(default_factory=list)
    memory: "MemoryFigures | None" = None

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


@dataclass
class MemoryFigures:
    """The most memory (resident, bytes) the run used: this process, each worker that built reports (by
    host:pid), and the largest of their kernels. What tells a manager whether a bigger team fits the machine."""

    parent: int
    workers: dict[str, int]
    kernel: int

    def line(self) -> str:
        """One sentence for the terminal."""
        text = f"Peak memory: this process {_mb(self.parent)}"
        if self.workers:
            low, high = min(self.workers.values()), max(self.workers.values())
            each = _mb(high) if _mb(low) == _mb(high) else f"{_mb(low)} to {_mb(high)}"
            text += f", {counted(len(self.workers), 'worker')} {each} each"
        if self.kernel:
            text += f", kernels up to {_mb(self.kernel)}"
        return text + "."


def _mb(value: int) -> str:
    return f"{value / 2**20:.0f} MB"


def parent_peak_memory() -> int:
    """This process's peak resident memory in bytes."""
    from .worker import process_peak

    return process_peak(os.getpid())


def cpu_count() -> int:
    """The cores this process may use (respects CPU affinity, e.g. in containers); the default worker count."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def default_notebook() -> Path:
    """The report notebook callkit ships: the repository's notebooks/rep_report.ipynb, which the wheel carries."""
    from ..notebook_files import notebook_path  # NotebookNotFoundError (a CallkitError) in a broken install

    return notebook_path("rep_report")


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
    engine: str = DEFAULT_ENGINE,
    scheduler: str | None = None,
) -> ReportRun:
    """Build one HTML coaching report per rep (or only `reps`) and index.html in `out_dir`.

    `team` and `manager` limit the run and the index to the reps of that team or that manager (matched
    ignoring case); the team medians are then that group's. `workers` defaults to the number of cores; the
    period defaults to the 12 weeks ending at the latest activity in the workspace (a call, an import, a deal
    created or closed). `engine` is "warm" (kernels kept between reps, the default) or "standard" (papermill's
    own, a fresh kernel per rep); `scheduler` ("tcp://HOST:8786") builds the reports on a Dask cluster.
    One rep's failure never stops the others: check `run.failed` / `run.exit_code`, and `run.warnings` for a
    period with nothing in it. Ctrl-C or SIGTERM raises `ReportsStopped` after writing the index.
    """
    from ..workspace import Workspace

    started = time.perf_counter()
    if engine not in ENGINES:
        raise InvalidInputError({"engine": f"The engine must be {' or '.join(ENGINES)} (got {engine!r})."},
                                what="report run")
    out = Path(out_dir).resolve()
    check_output_folder(out)
    if scheduler is not None:
        from .cluster import check_scheduler_address

        check_scheduler_address(scheduler)
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
    work = out / WORK_DIR
    try:
        out.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)
        (work / "notebooks").mkdir(parents=True)
    except OSError as exc:
        raise ReportOutputError(out, unwritable(out, out, exc)) from None
    cache = work / "cache"
    period = {"since": start.isoformat(), "until": end.isoformat()}
    earlier = index_page.manifest_period(out)
    html_dir = work / STAGING_DIR if earlier is not None and earlier != period else out
    html_dir.mkdir(parents=True, exist_ok=True)
    nb_path = Path(notebook).resolve() if notebook is not None else default_notebook()
    size = max(1, min(workers or cpu_count(), max(len(team_reps), 1)))
    batch = _Batch(out=out, html_dir=html_dir, names=names, people=people, selected=selected, start=start, end=end,
                   latest=latest, team=team, manager=manager, engine=engine, scheduler=scheduler,
                   notebook=str(notebook) if notebook is not None else None, workers=size, started=started,
                   timings=timings)

    pool: WorkerPool | None = None
    client: Any = None
    try:
        with stop_on_sigterm():
            if scheduler is not None:
                from .cluster import connect

                client = connect(scheduler)  # before any work: a scheduler nobody runs is one sentence
            pool = WorkerPool(size, initializer=init_worker, initargs=(str(work / WORKER_LOG),))
            mark = time.perf_counter()
            batch.summaries = _score_team(pool, ws_path, team_reps, set(selected), start, end, norms, cache,
                                          progress, batch)
            team_figures = team_data(batch.summaries.known(), start, end)
            batch.team_figures = team_figures
            write_json(team_cache_path(cache), team_figures)
            timings["score_team"] = time.perf_counter() - mark
            batch.bars[-1].record_pace(timings, "score")

            mark = time.perf_counter()
            tasks = [_task(rep_id, names[rep_id], ws_path, start, end, cache, nb_path, html_dir, work, engine)
                     for rep_id in selected]
            if scheduler is not None:
                pool.close()
                pool = None
                from .cluster import render_on_cluster

                render_on_cluster(client, tasks, cache, team_figures, nb_path, names, progress,
                                  batch.record, batch)
                client = None
            else:
                _render_all(pool, tasks, names, progress, batch)
            timings["notebooks"] = time.perf_counter() - mark
            batch.bars[-1].record_pace(timings, "notebooks")
    except (StopSignal, KeyboardInterrupt) as exc:
        signum = exc.signum if isinstance(exc, StopSignal) else signal.SIGINT
        with no_interruptions():
            if pool is not None:
                pool.kill()
                pool = None
            batch.close_bars()
            run = batch.finish(work) if batch.team_figures is not None else None
        raise ReportsStopped(signum, run, len(selected), out) from None
    finally:
        if pool is not None:
            pool.close()
        if client is not None:
            client.close()
    return batch.finish(work)


@dataclass
class _Batch:
    """One run's state while it goes: what the parent keeps per rep, and how to write the index at the end
    (or when the run is stopped half way)."""

    out: Path
    html_dir: Path
    names: dict[str, str]
    people: list[Any]
    selected: list[str]
    start: date
    end: date
    latest: date | None
    team: str | None
    manager: str | None
    engine: str
    scheduler: str | None
    notebook: str | None
    workers: int
    started: float
    timings: dict[str, float]
    summaries: RepSummaries = field(default_factory=RepSummaries)
    team_figures: TeamData | None = None
    outcomes: dict[str, RepResult] = field(default_factory=dict)
    retried: list[str] = field(default_factory=list)
    bars: list[Progress] = field(default_factory=list)

    def record(self, outcome: RepResult) -> None:
        self.outcomes[outcome.rep_id] = outcome

    def close_bars(self) -> None:
        for bar in self.bars:
            bar.close()

    def finish(self, work: Path) -> ReportRun:
        """Move reports of a new period into place, write index.html for the period, and say what was done."""
        results = [_result(rep_id, self.names[rep_id], self.outcomes[rep_id])
                   for rep_id in self.selected if rep_id in self.outcomes]
        if self.html_dir != self.out:
            # A new period moves in: the old index and list go first, so that a kill while the reports move
            # leaves no index at all (the next run starts afresh), never one pointing at two periods' reports.
            for name in (index_page.MANIFEST, index_page.INDEX):
                (self.out / name).unlink(missing_ok=True)
            for r in results:
                final = self.out / f"{r.slug}.html"
                if r.ok and r.html_path is not None:
                    os.replace(r.html_path, final)
                    r.html_path = final
                else:
                    final.unlink(missing_ok=True)
        empty, warnings = period_warnings(self.people, self.summaries, self.start, self.end, self.latest)
        mark = time.perf_counter()
        scope = " · ".join(f"{what} {value}" for what, value in (("team", self.team), ("manager", self.manager))
                           if value)
        index_path = index_page.write_index(self.out, self.people, self.summaries, self.team_figures or {},
                                            results, self.start, self.end, warnings=warnings, scope=scope)
        self.timings["index"] = time.perf_counter() - mark
        if all(r.ok for r in results):
            shutil.rmtree(work, ignore_errors=True)
        return ReportRun(out_dir=self.out, index_path=index_path, since=self.start, until=self.end,
                         workers=self.workers, results=results, seconds=time.perf_counter() - self.started,
                         timings=self.timings, warnings=warnings, empty=empty, team=self.team, manager=self.manager,
                         engine=self.engine, scheduler=self.scheduler, notebook=self.notebook,
                         retried=list(self.retried), memory=self.memory_figures())

    def memory_figures(self) -> MemoryFigures:
        workers: dict[str, int] = {}
        kernel = 0
        for outcome in self.outcomes.values():
            if outcome.worker and outcome.memory:
                workers[outcome.worker] = max(workers.get(outcome.worker, 0), outcome.memory.get("worker", 0))
                kernel = max(kernel, outcome.memory.get("kernel", 0))
        return MemoryFigures(parent=parent_peak_memory(), workers=workers, kernel=kernel)


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
            there = f"the {field_name}s are {join(known)}" if known else f"no rep has a {field_name} recorded"
            raise InvalidInputError({field_name: f"No rep has the {field_name} {wanted!r}: {there}."},
                                    what="report run")
    return chosen


def period_warnings(reps: Sequence[Any], rep_data: Mapping[str, RepSummary | None], since: date, until: date,
                    latest: date | None) -> tuple[bool, list[str]]:
    """(nothing happened at all, the warnings to print and show in the index) for a report period.

    Nothing happened for a rep when the period holds none of their calls and no deal of theirs was created,
    won, lost or moved in it; a rep whose data failed to load is not counted as empty.
    """
    period = date_range(since, until)
    loaded = [(r, data) for r in reps if (data := rep_data.get(r.rep_id)) is not None]
    quiet = [r for r, data in loaded if data.get("empty")]
    if loaded and len(quiet) == len(loaded):
        if latest is None:
            return True, [f"Nothing happened from {period}: the workspace has no calls or deals yet, so import your "
                          "team first (callkit import WORKSPACE --deals deals.csv)."]
        outside = latest < since or latest > until
        hint = (f"the workspace's data ends on {short_date(latest)}, so leave out --since and --until to "
                f"report on the 12 weeks up to then" if outside else "check the dates given")
        return True, [f"Nothing happened from {period} (no calls, and no deals created, won, lost or moved): {hint}."]
    if quiet:
        shown = join([r.name for r in quiet[:5]] + ([f"{len(quiet) - 5} more"] if len(quiet) > 5 else []))
        return False, [f"Nothing happened from {period} for {len(quiet)} of {counted(len(loaded), 'rep')} (no calls, "
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


def _score_team(pool: WorkerPool, ws_path: Path, team: list[tuple[str, str]], selected: set[str], start: date,
                end: date, norms: dict[str, float], cache: Path, progress: bool,
                batch: _Batch) -> RepSummaries:
    """Every rep's summary, computed in the workers (the reps to report on also get their data file in
    `cache`); a rep whose data fails to load maps to None."""
    bar = Progress(len(team), "Scoring the team", progress)
    batch.bars.append(bar)
    names = dict(team)
    jobs = [Job(rep_id, compute_rep, (str(ws_path), rep_id, start.isoformat(), end.isoformat(), norms,
                                      str(cache) if rep_id in selected else None))
            for rep_id, _ in team]
    data = RepSummaries()

    def done(job: Job, result: Any) -> None:
        if isinstance(result, (WorkerLost, JobFailed)):  # the rep's own notebook run will show what went wrong
            data.add(job.key, None)
        else:
            data.add(job.key, result[1])
        bar.step()

    def retry(job: Job, exitcode: int | None) -> None:
        bar.say(f"a report worker stopped while scoring {_who(job.key, names)}; trying again on a new worker")

    pool.run(jobs, done, retry)
    bar.close()
    return data


def _who(rep_id: str, names: dict[str, str]) -> str:
    return f"{terminal_text(rep_id)} ({terminal_text(names.get(rep_id, rep_id))})"


def _task(rep_id: str, name: str, ws_path: Path, start: date, end: date, cache: Path, notebook: Path,
          out: Path, work: Path, engine: str = DEFAULT_ENGINE) -> RenderTask:
    values = (str(ws_path), rep_id, start.isoformat(), end.isoformat(), str(cache))
    return RenderTask(
        rep_id=rep_id, title=f"Coaching report: {name}", slug=report_slug(rep_id), notebook=str(notebook),
        parameters=dict(zip(PARAMETERS, values)), out_dir=str(out), failed_dir=str(out_failed(out, work)),
        work_dir=str(work / "notebooks"), engine=engine,
    )


def out_failed(html_dir: Path, work: Path) -> Path:
    """Where failed notebooks are kept: `_failed/` in the output folder (also when reports are staged)."""
    return (work.parent if html_dir.is_relative_to(work) else html_dir) / FAILED_DIR


def report_done(bar: Progress, task: RenderTask, outcome: RepResult, names: dict[str, str]) -> None:
    """The progress line for one finished report, the same for the local pool and a Dask cluster."""
    who = _who(task.rep_id, names)
    if outcome.error:
        bar.say(f"failed: {who}: {terminal_text(outcome.error)}")
    else:
        bar.say(f"done: {who} in {outcome.seconds:.1f} s", quiet_on_terminal=True)
    bar.step()


def _render_all(pool: WorkerPool, tasks: list[RenderTask], names: dict[str, str], progress: bool,
                batch: _Batch) -> None:
    bar = Progress(len(tasks), "Writing reports", progress)
    batch.bars.append(bar)
    by_rep = {t.rep_id: t for t in tasks}

    def done(job: Job, result: Any) -> None:
        task = by_rep[job.key]
        if isinstance(result, WorkerLost):
            kept = keep_parameterized(task)
            outcome = RepResult(rep_id=task.rep_id, slug=task.slug, error=result.reason,
                                failed_notebook=Path(kept) if kept else None)
        elif isinstance(result, JobFailed):
            outcome = RepResult(rep_id=task.rep_id, slug=task.slug, error=result.error)
        else:
            outcome = result
        batch.record(outcome)
        report_done(bar, task, outcome, names)

    def retry(job: Job, exitcode: int | None) -> None:
        batch.retried.append(job.key)
        bar.say(f"a report worker stopped while writing {_who(job.key, names)}; trying again on a new worker")

    pool.run([Job(t.rep_id, render_rep, (t,)) for t in tasks], done, retry)
    bar.close()


def keep_parameterized(task: RenderTask) -> str | None:
    """The rep's notebook with its parameters filled in, in `_failed/`, when no executed one could be kept."""
    try:
        import papermill

        path = Path(task.failed_dir) / f"{task.slug}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        papermill.execute_notebook(task.notebook, str(path), parameters=task.parameters, prepare_only=True,
                                   progress_bar=False)
        return str(path)
    except Exception:  # noqa: BLE001 - keeping the notebook is a courtesy; the error line is what matters
        return None


def _result(rep_id: str, name: str, outcome: RepResult) -> RepResult:
    """The worker's record with the rep's name, as the run reports it."""
    return replace(outcome, rep_id=rep_id, name=name, timings=dict(outcome.timings))
