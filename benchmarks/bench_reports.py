"""Benchmark `callkit reports` for large teams: warm kernels against papermill's floor, workers, Dask, team size.

Prints, in one run (figures, not pass/fail; the targets are issue 14's):

- batch time / papermill floor with the same workers (target <= 1.0 with warm kernels): the floor is a
  one-cell notebook through papermill's standard engine + nbconvert, one fresh kernel per notebook, in the
  same kind of worker pool;
- the 1 -> 2 workers speed-up (target >= 1.9), on the comparison team and on the largest team;
- a Dask LocalCluster with 2 worker processes against the local pool with 2 workers (target <= 1.2);
- seconds per report for teams of 16, 200 and 2,000 reps (target: flat within 20%);
- peak memory of the parent, a worker and a kernel, for each team size.

The first three are measured on the same sample workspace (`--team`, default 100 reps) reporting on every
rep (or its first `--reps`), each run scoring the whole team as a real run does. Team sizes come from
`--sizes` (default 16,200,2000); `--quick` reports on at most 200 reps of each team (the whole team is still
scored, as a real run does) so that it fits in about fifteen minutes on 2 cores.

Every run pays a start-up once (worker processes, imports, one kernel per worker: a few seconds) and then a
steady cost per rep (scoring it, running its notebook). Both are printed: the run's own progress timing gives
the time to its first rep and the pace after it (`ReportRun.timings`: score_first/score_each,
notebooks_first/notebooks_each). Seconds per report are given for the whole batch and after the start-up; the
speed-ups for the whole batch and after the start-up.

    .venv/bin/python benchmarks/bench_reports.py --quick
    .venv/bin/python benchmarks/bench_reports.py                 # every rep of every size: much longer
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from callkit.reports import generate_reports
from callkit.reports.names import report_slug
from callkit.reports.run import PARAMETERS
from callkit.reports.worker import RenderTask, init_worker, peak_memory, render_rep
from callkit.workspace import Workspace

QUICK_REPORTS = 200


def _burn(n: int) -> float:
    started = time.perf_counter()
    x = 0
    for i in range(n):
        x += i * i % 7
    return time.perf_counter() - started


def machine_ceiling(n: int = 20_000_000) -> float:
    """What 2 processes of plain Python arithmetic gain over 1 on this machine, now: the most any 2-worker run
    can gain (shared or throttled cores give less than 2)."""
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_burn, [1000, 1000]))
        started = time.perf_counter()
        list(pool.map(_burn, [n]))
        one = time.perf_counter() - started
        started = time.perf_counter()
        list(pool.map(_burn, [n // 2, n // 2]))
        two = time.perf_counter() - started
    return one / two


def one_cell_notebook(path: Path) -> Path:
    """The floor's notebook: a parameters cell papermill fills in, and one trivial cell."""
    cells = [new_code_cell("\n".join(f"{p} = None" for p in PARAMETERS), metadata={"tags": ["parameters"]}),
             new_code_cell("rep_id")]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}})
    nbformat.write(nb, path)
    return path


def _floor_worker_memory(_: int) -> dict[str, int]:
    time.sleep(0.2)  # let every worker take one of these
    return peak_memory()


def floor(notebook: Path, rep_ids: list[str], workers: int, out: Path) -> tuple[float, dict[str, int]]:
    """Wall time of papermill (standard engine) + nbconvert of the one-cell notebook per rep, `workers` processes."""
    out.mkdir(parents=True)
    tasks = [RenderTask(rep_id=r, title=r, slug=report_slug(r), notebook=str(notebook),
                        parameters={p: r for p in PARAMETERS}, out_dir=str(out), failed_dir=str(out / "_failed"),
                        work_dir=str(out), engine="standard") for r in rep_ids]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=init_worker, initargs=(str(out / "workers.log"),)) as pool:
        list(pool.map(_floor_worker_memory, range(workers)))  # workers started and warm, as in callkit's pool
        start = time.perf_counter()
        outcomes = list(pool.map(render_rep, tasks))
        wall = time.perf_counter() - start
    failed = [o for o in outcomes if o.error]
    if failed:
        sys.exit(f"the floor notebook failed: {failed[0].error}")
    return wall, max((o.memory for o in outcomes), key=lambda m: m.get("kernel", 0))


def notebooks_seconds(run) -> float:  # noqa: ANN001 - a ReportRun
    return run.timings.get("notebooks", run.seconds)


def steady(run) -> float:  # noqa: ANN001 - a ReportRun
    """Seconds one more rep costs a run once it has started: its scoring plus its notebook, at the run's pace."""
    t = run.timings
    return t.get("score_each", 0.0) + t.get("notebooks_each", 0.0)


def mb(value: int) -> str:
    return f"{value / 2**20:.0f} MB"


def memory_words(run) -> str:  # noqa: ANN001 - a ReportRun
    m = run.memory
    worker = max(m.workers.values(), default=0)
    return f"parent {mb(m.parent)}, worker {mb(worker)}, kernel {mb(m.kernel)}"


def run_size(tmp: Path, size: int, cap: int | None, workers: int) -> dict[str, float | int | str]:
    """One batch on a sample team of `size` reps (built once), in a child process so that the parent's peak
    memory is this team's alone: seconds per report for the whole batch (`per_report`) and after the run's
    start-up (`steady`: one more rep's scoring plus one more report's notebook), the start-up itself, the batch
    time, the reports written and the memory words."""
    import json
    import subprocess

    folder = tmp / f"ws-{size}"
    if not folder.exists():  # built in a process of its own: not in the run's peak memory
        subprocess.run([str(Path(sys.executable).with_name("callkit")), "init", str(folder), "--sample", "--reps",
                        str(size)], check=True, capture_output=True)
    code = f"""
import json, sys, time
from pathlib import Path
from callkit.reports import generate_reports
from callkit.workspace import Workspace
tmp = Path({str(tmp)!r})
with Workspace.open(tmp / "ws-{size}") as ws:
    ids = [r.rep_id for r in ws.reps()][:{cap!r}]
run = generate_reports(tmp / "ws-{size}", tmp / "out-{size}-{workers}", workers={workers},
                       reps=ids if {cap!r} else None, progress=False)
m = run.memory
print(json.dumps({{"seconds": run.seconds, "n": len(run.succeeded), "failed": len(run.failed),
                  "parent": m.parent, "worker": max(m.workers.values(), default=0), "kernel": m.kernel,
                  "timings": run.timings}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    r = json.loads(done.stdout.strip().splitlines()[-1])
    t = r["timings"]
    n = max(r["n"], 1)
    score_each = t.get("score_each") or t.get("score_team", 0.0) / size
    notebook_each = t.get("notebooks_each") or t.get("notebooks", 0.0) / n
    steady = score_each + notebook_each
    # A full run costs its start-up once, then `steady` per rep; with --quick only `n` of the `size` reps get a
    # notebook, so the whole batch's seconds per report are what the same run would cost for every rep.
    startup = r["seconds"] - size * score_each - n * notebook_each
    words = (f"parent {mb(r['parent'])}, worker {mb(r['worker'])}, kernel {mb(r['kernel'])}; scoring the team "
             f"{t.get('score_team', 0.0):.1f} s, notebooks {t.get('notebooks', 0.0):.1f} s"
             + (f"; {r['failed']} FAILED" if r["failed"] else ""))
    return {"per_report": (startup + size * steady) / size, "steady": steady, "startup": startup,
            "seconds": r["seconds"], "written": r["n"], "words": words}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--team", type=int, default=100, help="reps in the workspace for the comparisons (default 100)")
    parser.add_argument("--reps", type=int, default=None, help="reports per comparison run (default: the whole team)")
    parser.add_argument("--sizes", default="16,200,2000", help="team sizes for seconds per report (default 16,200,2000)")
    parser.add_argument("--quick", action="store_true", help=f"report on at most {QUICK_REPORTS} reps of each team size")
    parser.add_argument("--no-dask", action="store_true", help="leave out the Dask LocalCluster run")
    parser.add_argument("--keep", action="store_true", help="keep the workspaces and reports (default: delete them)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="callkit-bench-"))
    for var, sub in {"JUPYTER_RUNTIME_DIR": "runtime", "MPLCONFIGDIR": "mpl", "IPYTHONDIR": "ipython"}.items():
        os.environ.setdefault(var, str(tmp / sub))
    began = time.perf_counter()
    ws = Workspace.create(tmp / "ws", sample=True, reps=args.team)
    counts = ws.counts()
    rep_ids = [r.rep_id for r in ws.reps()][: args.reps]
    ws.close()
    n = len(rep_ids)
    print(f"workspace: {counts['reps']} reps, {counts['calls']} calls; comparisons report on {n} reps; "
          f"{os.cpu_count()} cores; this machine's own 1 -> 2 processes ceiling (plain Python, now): "
          f"{machine_ceiling():.2f}", flush=True)

    floor_wall, floor_mem = floor(one_cell_notebook(tmp / "one_cell.ipynb"), rep_ids, 2, tmp / "floor")
    warm2 = generate_reports(tmp / "ws", tmp / "warm2", workers=2, reps=rep_ids, progress=False)
    warm1 = generate_reports(tmp / "ws", tmp / "warm1", workers=1, reps=rep_ids, progress=False)
    standard2 = generate_reports(tmp / "ws", tmp / "std2", workers=2, reps=rep_ids, progress=False, engine="standard")
    for run in (warm2, warm1, standard2):
        if run.failed:
            print(f"warning: {len(run.failed)} reports failed, e.g. {run.failed[0].rep_id}: {run.failed[0].error}")

    print()
    print(f"papermill floor (standard engine + nbconvert, one-cell notebook, 2 workers): "
          f"{floor_wall / n:.3f} s per notebook")
    print(f"callkit reports, warm kernels, 2 workers: whole batch {warm2.seconds / n:.3f} s per report "
          f"(notebooks alone {notebooks_seconds(warm2) / n:.3f} s)")
    print(f"  batch / floor: {warm2.seconds / floor_wall:.2f} (target <= 1.0); notebooks / floor: "
          f"{notebooks_seconds(warm2) / floor_wall:.2f}")
    print(f"callkit reports, standard engine, 2 workers: batch / floor {standard2.seconds / floor_wall:.2f}")
    print(f"1 -> 2 workers (warm): {warm1.seconds:.1f} s -> {warm2.seconds:.1f} s, speed-up "
          f"{warm1.seconds / warm2.seconds:.2f} (target >= 1.9); notebooks alone "
          f"{notebooks_seconds(warm1) / notebooks_seconds(warm2):.2f}; after start-up "
          f"{steady(warm1) / steady(warm2):.2f}")
    print(f"peak memory, warm, 2 workers: {memory_words(warm2)} (floor kernel {mb(floor_mem.get('kernel', 0))})",
          flush=True)

    if not args.no_dask:
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                          worker_dashboard_address=None, silence_logs=50) as cluster:
            generate_reports(tmp / "ws", tmp / "dask-warmup", workers=2, reps=rep_ids[:2], progress=False,
                             scheduler=cluster.scheduler_address)  # the workers import callkit once, as a cluster would have
            dask = generate_reports(tmp / "ws", tmp / "dask", workers=2, reps=rep_ids, progress=False,
                                    scheduler=cluster.scheduler_address)
        print(f"Dask LocalCluster, 2 worker processes: {dask.seconds:.1f} s against the local pool's "
              f"{warm2.seconds:.1f} s: {dask.seconds / warm2.seconds:.2f} (target <= 1.2)"
              + (f"; {len(dask.failed)} FAILED" if dask.failed else ""), flush=True)

    print()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    per: dict[int, dict] = {}
    for size in sizes:
        cap = QUICK_REPORTS if args.quick and size > QUICK_REPORTS else None
        r = per[size] = run_size(tmp, size, cap, 2)
        shown = f"{r['written']} of {size}" if cap else f"all {r['written']}"
        print(f"team of {size:>5} reps ({shown} reports, 2 workers): {r['per_report']:.3f} s per report for the whole "
              f"batch, {r['steady']:.3f} s per report after a start-up of {r['startup']:.1f} s; peak memory "
              f"{r['words']}", flush=True)
    if per:
        for key, what in (("per_report", "whole batch"), ("steady", "after start-up")):
            values = [r[key] for r in per.values()]
            print(f"seconds per report ({what}), largest / smallest: {max(values) / min(values):.2f} "
                  "(target: within 1.20)")
        big = max(per)
        cap = QUICK_REPORTS if args.quick and big > QUICK_REPORTS else None
        one = run_size(tmp, big, cap, 1)
        print(f"1 -> 2 workers on the team of {big} reps: {one['seconds']:.1f} s -> {per[big]['seconds']:.1f} s, "
              f"speed-up {one['seconds'] / per[big]['seconds']:.2f} (target >= 1.9); after start-up "
              f"{one['steady'] / per[big]['steady']:.2f}", flush=True)
    print(f"\nthis machine's own 1 -> 2 processes ceiling at the end (plain Python): {machine_ceiling():.2f}")
    print(f"benchmark took {time.perf_counter() - began:.0f} s")
    if args.keep:
        print(f"files in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
