"""Benchmark `callkit reports` for large teams: warm kernels against papermill's floor, workers, Dask, team size.

Prints, in one run (figures, not pass/fail; the targets are issue 14's):

- batch time / papermill floor with the same workers (target <= 1.0 with warm kernels): the floor is a
  one-cell notebook through papermill's standard engine + nbconvert, one fresh kernel per notebook, in the
  same kind of worker pool;
- the 1 -> 2 workers speed-up (target >= 1.9);
- a Dask LocalCluster with 2 worker processes against the local pool with 2 workers (target <= 1.2);
- seconds per report for teams of 16, 200 and 2,000 reps (target: flat within 20%);
- peak memory of the parent, a worker and a kernel, for each team size.

The first three are measured on the same sample workspace (`--team`, default 100 reps) reporting on every
rep (or its first `--reps`), each run scoring the whole team as a real run does. Team sizes come from `--sizes` (default 16,200,2000); `--quick` reports on
at most 200 reps of each team (the whole team is still scored, as a real run does) so that it fits in about
ten minutes on 2 cores.

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


def mb(value: int) -> str:
    return f"{value / 2**20:.0f} MB"


def memory_words(run) -> str:  # noqa: ANN001 - a ReportRun
    m = run.memory
    worker = max(m.workers.values(), default=0)
    return f"parent {mb(m.parent)}, worker {mb(worker)}, kernel {mb(m.kernel)}"


def run_size(tmp: Path, size: int, cap: int | None, workers: int) -> tuple[float, int, str]:
    """(seconds per report, reports written, memory) for a fresh sample team of `size` reps, in a child
    process so that the parent's peak memory is this team's alone."""
    import json
    import subprocess

    folder = tmp / f"ws-{size}"
    subprocess.run([str(Path(sys.executable).with_name("callkit")), "init", str(folder), "--sample", "--reps", str(size)],
                   check=True, capture_output=True)  # built in a process of its own: not in the run's peak memory
    code = f"""
import json, sys, time
from pathlib import Path
from callkit.reports import generate_reports
from callkit.workspace import Workspace
tmp = Path({str(tmp)!r})
with Workspace.open(tmp / "ws-{size}") as ws:
    ids = [r.rep_id for r in ws.reps()][:{cap!r}]
run = generate_reports(tmp / "ws-{size}", tmp / "out-{size}", workers={workers}, reps=ids if {cap!r} else None,
                       progress=False)
m = run.memory
print(json.dumps({{"seconds": run.seconds, "n": len(run.succeeded), "failed": len(run.failed),
                  "parent": m.parent, "worker": max(m.workers.values(), default=0), "kernel": m.kernel,
                  "score": run.timings.get("score_team", 0.0), "notebooks": run.timings.get("notebooks", 0.0)}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    r = json.loads(done.stdout.strip().splitlines()[-1])
    words = (f"parent {mb(r['parent'])}, worker {mb(r['worker'])}, kernel {mb(r['kernel'])}; scoring the team "
             f"{r['score']:.1f} s, notebooks {r['notebooks']:.1f} s" + (f"; {r['failed']} FAILED" if r["failed"] else ""))
    # Per report: the notebooks over the reports written, plus the rest of the batch (scoring the whole team,
    # the index) over the team; with every rep reported on, that is simply the batch time over the reps.
    rest = r["seconds"] - r["notebooks"]
    return r["notebooks"] / max(r["n"], 1) + rest / size, r["n"], words


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
          f"{os.cpu_count()} cores", flush=True)

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
          f"{notebooks_seconds(warm1) / notebooks_seconds(warm2):.2f}")
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
    per: dict[int, float] = {}
    for size in sizes:
        cap = QUICK_REPORTS if args.quick and size > QUICK_REPORTS else None
        seconds, written, words = run_size(tmp, size, cap, 2)
        per[size] = seconds
        shown = f"{written} of {size}" if cap else f"all {written}"
        print(f"team of {size:>5} reps ({shown} reports, 2 workers): {seconds:.3f} s per report; peak memory {words}",
              flush=True)
    if per:
        low, high = min(per.values()), max(per.values())
        print(f"seconds per report, largest / smallest: {high / low:.2f} (target: within 1.20)")
    print(f"\nbenchmark took {time.perf_counter() - began:.0f} s")
    if args.keep:
        print(f"files in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
