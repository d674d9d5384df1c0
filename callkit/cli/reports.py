"""`callkit reports` and `callkit demo`: run the batch (`callkit.reports.generate_reports`, typed keyword
arguments), print where the index is, exit non-zero on failures and on a period with nothing in it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..reports.progress import terminal_text
from ..reports.rerun import rerun_hint
from ..reports.run import WORK_DIR, WORKER_LOG, ReportRun, generate_reports
from ..reports.stopping import ReportsStopped
from ..text import date_range

DEMO_WORKSPACE = "workspace"
DEMO_REPORTS = "reports"


def _summary(run: ReportRun, workspace: str | Path, out: str | Path) -> int:
    period = date_range(run.since, run.until)
    done = len(run.succeeded)
    scope = " · ".join(f"{what} {value}" for what, value in (("team", run.team), ("manager", run.manager)) if value)
    print(f"Wrote {done} report{'s' if done != 1 else ''} for {period}{f' ({terminal_text(scope)})' if scope else ''} "
          f"in {run.seconds:.1f} s ({run.workers} worker{'s' if run.workers != 1 else ''}).")
    if run.memory is not None:
        print(run.memory.line())
    for warning in run.warnings:
        print(f"warning: {terminal_text(warning)}", file=sys.stderr)
    if run.failed:
        print(f"callkit: {len(run.failed)} report{'s' if len(run.failed) != 1 else ''} failed:", file=sys.stderr)
        for r in run.failed:
            kept = f" [notebook: {r.failed_notebook}]" if r.failed_notebook else ""
            print(f"  {terminal_text(r.rep_id)} ({terminal_text(r.name)}): {terminal_text(r.error or '')}{kept}",
                  file=sys.stderr)
        print(f"Kernel and worker messages: {run.out_dir / WORK_DIR / WORKER_LOG}", file=sys.stderr)
        print(f"Rerun just these with: {terminal_text(rerun_hint(run, workspace, out))}", file=sys.stderr)
    print("Open the team index in your browser:")
    print(run.index_path)
    return run.exit_code


def _stopped(stop: ReportsStopped) -> int:
    """Ctrl-C or SIGTERM: one line saying what was written, and the exit code a shell expects (130, 143)."""
    print(f"callkit: {terminal_text(str(stop))}", file=sys.stderr, flush=True)
    return stop.exit_code


def reports(args: argparse.Namespace) -> int:
    """`callkit reports PATH --out DIR [--workers N] [--rep ID ...] [--team T] [--manager M] [--since D --until D]
    [--notebook NB] [--engine warm|standard] [--scheduler tcp://HOST:8786]`."""
    try:
        run = generate_reports(args.path, args.out, workers=args.workers, reps=args.reps, since=args.since,
                               until=args.until, notebook=getattr(args, "notebook", None),
                               team=getattr(args, "team", None), manager=getattr(args, "manager", None),
                               engine=getattr(args, "engine", None) or "warm",
                               scheduler=getattr(args, "scheduler", None))
    except ReportsStopped as stop:
        return _stopped(stop)
    return _summary(run, args.path, args.out)


def demo(args: argparse.Namespace) -> int:
    """`callkit demo [--dir D] [--workers N]`: the sample team in D/workspace (reused if there), every report in
    D/reports, then where the index is."""
    from ..workspace import DB_NAME, Workspace

    base = Path(args.dir)
    ws_path = base / DEMO_WORKSPACE
    if (ws_path / DB_NAME).is_file():
        print(f"Using the sample workspace in {ws_path}.")
    else:
        Workspace.create(ws_path, sample=True).close()
        print(f"Created the sample team in {ws_path}.")
    try:
        run = generate_reports(ws_path, base / DEMO_REPORTS, workers=getattr(args, "workers", None))
    except ReportsStopped as stop:
        return _stopped(stop)
    return _summary(run, ws_path, base / DEMO_REPORTS)


reports_command = reports  # the names callkit.reports has exported since the first release
demo_command = demo
