"""The `callkit` command line: errors are one line on stderr and a non-zero exit (tracebacks only with --debug)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from . import __version__
from .exceptions import CallkitError

EXIT_ERROR = 1  # a CallkitError: bad input, bad workspace, failed reports
EXIT_USAGE = 2  # argparse's own exit code for bad arguments


def _cmd_init(args: argparse.Namespace) -> int:
    from .workspace import Workspace

    with Workspace.create(args.path, sample=args.sample, reps=args.reps) as ws:
        counts = ws.counts()
    if args.sample:
        print(
            f"Created a sample workspace in {args.path}: {counts['reps']} reps, {counts['deals']} deals, "
            f"{counts['calls']} calls ({counts['plans']} planned, {counts['debriefs']} debriefed)."
        )
    else:
        print(
            f"Created an empty workspace in {args.path}. Add your team with: callkit import {args.path} "
            "--deals deals.csv [--reps reps.csv] [--calls calls.csv] (a CRM export works too: see 'From your CRM')"
        )
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from .crm.refresh import summary_lines
    from .scoring.english import counted
    from .reports.period import parse_day
    from .workspace import Workspace

    as_of = parse_day(args.as_of, "as-of")
    with Workspace.open(args.path) as ws:
        if ws.read_only:  # said before reading any file: the import could only fail at the end
            from .exceptions import WorkspaceReadOnlyError

            raise WorkspaceReadOnlyError(args.path, "import into it")
        plan = ws.plan_import(args.deals, reps=args.reps, calls=args.calls, close_dates=args.close_dates,
                              stage_changes=args.stage_changes,
                              columns=args.columns, as_of=as_of)
        extras = None
        if args.exercise_results or args.drafts:
            extras = ws.plan_extras(exercise_results=args.exercise_results, drafts=args.drafts, plan=plan)
        warnings = plan.warnings + (extras.warnings if extras else [])
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        problems = list(plan.problems.lines()) + (list(extras.problems.lines()) if extras else [])
        count = len(plan.problems) + (len(extras.problems) if extras else 0)
        if args.check:
            if count:
                print(f"callkit: {counted(count, 'problem')} found, nothing was imported:", file=sys.stderr)
                for line in problems:
                    print(f"  {line}", file=sys.stderr)
                return EXIT_ERROR
            print("No problems found.")
            for line in summary_lines(plan, args.path, check=True) + _extras_lines(extras, check=True):
                print(line)
            return 0
        ws.apply_import(plan, extras)
    for line in summary_lines(plan, args.path, check=False) + _extras_lines(extras, check=False):
        print(line)
    return 0


def _extras_lines(extras, check: bool) -> list[str]:  # noqa: ANN001 - callkit.workspace.ExtrasPlan | None
    """The line about exercise answers and drafts of an import, when it brought any."""
    from .scoring.english import counted

    if extras is None:
        return []
    n = extras.summary
    line = (f"{'Would add' if check else 'Added'} {counted(n['exercise_results'], 'exercise answer')} and "
            f"{counted(n['drafts'], 'draft')}")
    if n["already_there"]:
        line += f" ({n['already_there']:,} already in the workspace, kept as they are)"
    return [line + "."]


def _cmd_export(args: argparse.Namespace) -> int:
    from .workspace import Workspace

    with Workspace.open(args.path) as ws:
        summary = ws.export(args.out)
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    files = summary.files
    print(f"Exported {len(files)} files to {args.out}: " + ", ".join(Path(f).name for f in files) + ".")
    if summary.damaged:
        print(f"{summary.damaged} damaged record{'s' if summary.damaged != 1 else ''} could not be read and "
              f"{'were' if summary.damaged != 1 else 'was'} left out; damaged.csv holds {'them' if summary.damaged != 1 else 'it'} "
              "as stored.")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from .scoring.report_text import check_command

    return check_command(args.objective, stage=args.stage, as_json=args.json, workspace=args.workspace)


def _cmd_reports(args: argparse.Namespace) -> int:
    from .reports import reports_command

    return reports_command(args)


def _cmd_demo(args: argparse.Namespace) -> int:
    from .reports import demo_command

    return demo_command(args)


def _cmd_workshop(args: argparse.Namespace) -> int:
    from .workshop import workshop_command

    return workshop_command(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="callkit",
        description="Plan better sales calls: score objectives and plans, coach a deal live, report on the team.",
    )
    parser.add_argument("--version", action="version", version=f"callkit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback when something fails")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        p.set_defaults(handler=handler)
        return p

    p = add("demo", _cmd_demo, "create the sample workspace, build every rep's report and print where the index is")
    p.add_argument("--dir", default="callkit-demo", help="folder for the sample workspace and reports (default: ./callkit-demo)")
    p.add_argument("--workers", type=int, default=None, help="parallel report workers (default: number of cores)")

    p = add("init", _cmd_init, "create a new workspace (SQLite database + process.yaml)")
    p.add_argument("path", help="folder to create")
    p.add_argument("--sample", action="store_true", help="fill it with the sample team")
    p.add_argument("--reps", type=int, default=8, help="number of sample reps (with --sample; default 8)")

    p = add("import", _cmd_import, "import a CRM export or callkit's CSV files, all or nothing; importing the same "
                                   "deals again updates them and keeps a dated snapshot")
    p.add_argument("path", help="workspace folder")
    p.add_argument("--deals", required=True, help="deals export: callkit's deals.csv, a Salesforce opportunity report, "
                                                  "a HubSpot deals export, or any export with --columns")
    p.add_argument("--reps", default=None, help="reps file (reps.csv, a users or sales-teams export); without it, reps "
                                                "are created from the deal owners")
    p.add_argument("--calls", default=None, help="calls.csv (plans and debriefs)")
    p.add_argument("--close-dates", dest="close_dates", default=None, help="close_dates.csv (close-date history)")
    p.add_argument("--stage-changes", dest="stage_changes", default=None, help="stage_changes.csv (stage history)")
    p.add_argument("--exercise-results", dest="exercise_results", default=None,
                   help="exercise_results.csv from `callkit export` (the reps' exercise progress)")
    p.add_argument("--drafts", default=None, help="drafts.csv from `callkit export` (what coaches had typed, not saved yet)")
    p.add_argument("--columns", default=None, metavar="MAP.yaml", help="mapping file: which column of the export "
                                                                        "holds which field, and what its stages mean")
    p.add_argument("--check", action="store_true", help="check the files and list every problem; import nothing")
    p.add_argument("--as-of", dest="as_of", default=None, metavar="DATE",
                   help="the date of the export (default: today, or the export's latest date when it is older)")

    p = add("export", _cmd_export, "export a workspace to CSV files (the import format), exercise progress and drafts "
                                   "included")
    p.add_argument("path", help="workspace folder")
    p.add_argument("--out", required=True, help="folder for the CSV files")

    p = add("check", _cmd_check, "score one call objective as a coach would")
    p.add_argument("objective", help="the call objective, in quotes")
    p.add_argument("--stage", default=None, help="the deal's current stage id (e.g. discover)")
    p.add_argument("--workspace", default=None, help="use this workspace's sales process")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")

    p = add("reports", _cmd_reports, "build one HTML coaching report per rep and an index for the manager")
    p.add_argument("path", help="workspace folder")
    p.add_argument("--out", required=True, help="folder for the HTML reports")
    p.add_argument("--workers", type=int, default=None, help="parallel workers (default: number of cores)")
    p.add_argument("--rep", action="extend", nargs="+", dest="reps", metavar="ID", help="only these reps (e.g. --rep r01 r02; repeatable)")
    p.add_argument("--team", default=None, metavar="T", help="only the reps of this team, in the reports and the index")
    p.add_argument("--manager", default=None, metavar="M", help="only the reps of this manager, in the reports and the index")
    p.add_argument("--since", default=None, help="period start, YYYY-MM-DD")
    p.add_argument("--until", default=None, help="period end, YYYY-MM-DD (default: the period is the 12 weeks "
                   "ending at the latest activity in the workspace: a call, an import, a deal created or closed)")
    p.add_argument("--notebook", default=None, help="run your own copy of rep_report.ipynb (same parameters)")
    p.add_argument("--engine", choices=("warm", "standard"), default="warm",
                   help="warm: each worker keeps its kernel between reps (default, fastest); standard: papermill's "
                        "own engine, a fresh kernel per rep")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:8786",
                   help="build the reports on a Dask cluster (pip install 'callkit[dask]'); this machine scores "
                        "the team and writes the files")

    p = add("workshop", _cmd_workshop, "open the coaching notebook as a page for a live session")
    p.add_argument("path", help="workspace folder")
    p.add_argument("--port", type=int, default=8866, help="port (default 8866)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument("--token", default=None, help="the token in the page's address (default: a new random one "
                   "each run; at least 8 characters)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.handler(args) or 0)
    except CallkitError as exc:
        if args.debug:
            raise
        print(f"callkit: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("callkit: stopped.", file=sys.stderr)
        return 130
    except Exception as exc:  # an unexpected bug: still one line unless --debug
        if args.debug:
            raise
        print(f"callkit: unexpected error: {type(exc).__name__}: {exc} (rerun with --debug for details)", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
