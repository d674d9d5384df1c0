"""Benchmark `callkit reports` against the floor: papermill + nbconvert of a one-cell notebook.

Builds a 200-rep sample workspace and prints, measured in the same run with the same worker count:
the floor per notebook, callkit's time per report, their ratio (target <= 1.5x), the speed-up from 1 to
2 workers (target >= 1.7x), the peak memory of a worker and of a kernel, the median report size, and
where the time goes. With --crm DEALS it also reports on a deals-only workspace shaped like a real CRM
export (35 sales agents, two weekly snapshots, no calls: tests/crm_exports.py). Prints figures, not pass/fail.

    .venv/bin/python benchmarks/bench_reports.py --reps 20      # a subset: a few minutes on 2 cores
    .venv/bin/python benchmarks/bench_reports.py                # all 200 reps
    .venv/bin/python benchmarks/bench_reports.py --reps 4 --crm 8800
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import psutil
from nbformat.v4 import new_code_cell, new_notebook

from callkit.reports import generate_reports
from callkit.reports.names import report_slug
from callkit.reports.run import PARAMETERS
from callkit.reports.worker import RenderTask, init_worker, render_rep
from callkit.workspace import Workspace


class PeakMemory:
    """Samples the RSS of this process's children: report workers and the kernels they start."""

    def __init__(self, every: float = 0.1):
        self.every = every
        self.worker = 0
        self.kernel = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            for child in me.children(recursive=True):
                try:
                    rss = child.memory_info().rss
                    is_kernel = any("ipykernel" in part for part in child.cmdline())
                except psutil.Error:
                    continue
                if is_kernel:
                    self.kernel = max(self.kernel, rss)
                else:
                    self.worker = max(self.worker, rss)
            self._stop.wait(self.every)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def one_cell_notebook(path: Path) -> Path:
    """The floor's notebook: a parameters cell papermill fills in, and one trivial cell."""
    cells = [new_code_cell("\n".join(f"{p} = None" for p in PARAMETERS), metadata={"tags": ["parameters"]}),
             new_code_cell("rep_id")]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}})
    nbformat.write(nb, path)
    return path


def floor(notebook: Path, rep_ids: list[str], workers: int, out: Path) -> tuple[float, list]:
    """papermill + nbconvert of the one-cell notebook per rep, in the same kind of pool callkit uses."""
    out.mkdir(parents=True)
    tasks = [RenderTask(rep_id=r, title=r, slug=report_slug(r), notebook=str(notebook),
                        parameters={p: r for p in PARAMETERS}, out_dir=str(out), failed_dir=str(out / "_failed"),
                        work_dir=str(out)) for r in rep_ids]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=init_worker, initargs=(str(out / "workers.log"),)) as pool:
        outcomes = list(pool.map(render_rep, tasks))
    wall = time.perf_counter() - start
    failed = [o for o in outcomes if o.error]
    if failed:
        sys.exit(f"the floor notebook failed: {failed[0].error}")
    return wall, outcomes


def kernel_import_seconds() -> float:
    """What a report kernel pays to import callkit's rendering code (a fresh interpreter, best of 3)."""
    code = "import time; t = time.perf_counter(); from callkit.reports import metrics, render; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(3)]
    return min(runs)


def crm_reports(tmp: Path, deals: int, workers: int) -> None:
    """Reports on a deals-only workspace filled from a Maven-shaped export and its refresh a week later."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from crm_exports import maven_next_week, maven_pipeline

    files = maven_pipeline(tmp / "crm", n=deals)
    later = maven_next_week(files["deals"], tmp / "crm" / "next_week.csv")
    with Workspace.create(tmp / "crm-ws") as ws:
        for export in (files["deals"], later):
            ws.import_files(export, reps=files["reps"], columns=files["columns"])
    run = generate_reports(tmp / "crm-ws", tmp / "crm-out", workers=workers, progress=False)
    sizes = [r.html_path.stat().st_size for r in run.results if r.html_path]
    n = max(len(run.results), 1)
    print(f"deals-only workspace ({deals} deals, {n} reps, no calls, {workers} workers): {run.seconds:.1f} s, "
          f"{run.seconds / n:.3f} s per report; scoring the team {run.timings.get('score_team', 0):.2f} s; "
          f"largest report {max(sizes, default=0) / 1024:.1f} KB; {len(run.failed)} failed")


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--team", type=int, default=200, help="reps in the sample workspace (default 200)")
    parser.add_argument("--reps", type=int, default=None, help="report on the first N reps only (default: all)")
    parser.add_argument("--workers", type=int, default=2, help="worker count to compare with the floor (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the workspace and reports (default: delete them)")
    parser.add_argument("--crm", type=int, default=0, metavar="DEALS",
                        help="also report on a deals-only workspace shaped like a CRM export with this many deals")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="callkit-bench-"))
    for var, sub in {"JUPYTER_RUNTIME_DIR": "runtime", "MPLCONFIGDIR": "mpl", "IPYTHONDIR": "ipython"}.items():
        os.environ.setdefault(var, str(tmp / sub))
    start = time.perf_counter()
    ws = Workspace.create(tmp / "ws", sample=True, reps=args.team)
    counts = ws.counts()
    rep_ids = [r.rep_id for r in ws.reps()][: args.reps or None]
    ws.close()
    print(f"workspace: {counts['reps']} reps, {counts['calls']} calls ({time.perf_counter() - start:.1f} s to build); "
          f"reporting on {len(rep_ids)} reps, {os.cpu_count()} cores")

    notebook = one_cell_notebook(tmp / "one_cell.ipynb")
    with PeakMemory() as floor_mem:
        floor_wall, floor_outcomes = floor(notebook, rep_ids, args.workers, tmp / "floor")
    with PeakMemory() as mem:
        run = generate_reports(tmp / "ws", tmp / "out", workers=args.workers, reps=rep_ids, progress=False)
    if run.failed:
        print(f"warning: {len(run.failed)} reports failed, e.g. {run.failed[0].rep_id}: {run.failed[0].error}")
    one = generate_reports(tmp / "ws", tmp / "out1", workers=1, reps=rep_ids, progress=False)

    n = len(rep_ids)
    per_floor = floor_wall / n
    per_report = run.seconds / n
    sizes = [r.html_path.stat().st_size for r in run.results if r.html_path]
    floor_exec = _mean([o.timings.get("execute", 0.0) for o in floor_outcomes])
    floor_export = _mean([o.timings.get("export", 0.0) for o in floor_outcomes])
    ours_exec = _mean([r.timings.get("execute", 0.0) for r in run.results])
    ours_export = _mean([r.timings.get("export", 0.0) for r in run.results])

    print()
    print(f"floor (papermill + nbconvert, one-cell notebook, {args.workers} workers): {per_floor:.3f} s per notebook")
    print(f"callkit reports ({args.workers} workers):                            {per_report:.3f} s per report")
    print(f"ratio callkit / floor:                                       {per_report / per_floor:.2f}x (target <= 1.5x)")
    print(f"1 worker: {one.seconds:.1f} s, {args.workers} workers: {run.seconds:.1f} s -> "
          f"speed-up {one.seconds / run.seconds:.2f}x (target >= 1.7x for 2 workers)")
    print(f"peak memory: worker {mem.worker / 2**20:.0f} MiB, kernel {mem.kernel / 2**20:.0f} MiB "
          f"(floor: worker {floor_mem.worker / 2**20:.0f} MiB, kernel {floor_mem.kernel / 2**20:.0f} MiB)")
    print(f"report size: median {statistics.median(sizes) / 1024:.1f} KB, largest {max(sizes) / 1024:.1f} KB "
          f"(target < 200 KB); index {run.index_path.stat().st_size / 1024:.1f} KB")
    print()
    print("where the time goes (wall seconds, whole run unless 'per report'):")
    print(f"  parent: open the workspace, settle the period:      {run.timings.get('setup', 0):.2f} s")
    print(f"  scoring the team in the workers (incl. pool start): {run.timings.get('score_team', 0):.2f} s "
          f"(all {counts['reps']} reps: the medians need everyone)")
    print(f"  notebooks (papermill + export, all reps):           {run.timings.get('notebooks', 0):.2f} s")
    print(f"  index.html:                                         {run.timings.get('index', 0):.3f} s")
    print(f"  per report, inside a worker: execute {ours_exec:.3f} s (floor {floor_exec:.3f} s), "
          f"export {ours_export:.3f} s (floor {floor_export:.3f} s)")
    print(f"  kernel import of callkit.reports.metrics + render: {kernel_import_seconds():.3f} s")
    if args.crm:
        print()
        crm_reports(tmp, args.crm, args.workers)
    if args.keep:
        print(f"\nfiles in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
