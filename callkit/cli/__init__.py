"""The `callkit` command line: errors are one line on stderr and a non-zero exit (tracebacks only with --debug).

One module per group of commands: team_data (init, import, export), check, reports (reports, demo),
notebooks, workshop;
arguments says what each argument may be. The commands turn the arguments into the library's keyword
arguments; the library never sees an argparse Namespace.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

from .. import __version__
from ..exceptions import CallkitError
from . import arguments, check, reports as reports_commands, team_data
from .arguments import EXIT_ERROR, EXIT_USAGE
from .notebooks import notebooks_command
from .workshop import workshop_command

__all__ = ["main", "build_parser", "EXIT_ERROR", "EXIT_USAGE"]


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command, with its help texts."""
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

    p = add("demo", reports_commands.demo, "create the sample workspace, build every rep's report and print where the index is")
    p.add_argument("--dir", default="callkit-demo", help="folder for the sample workspace and reports (default: ./callkit-demo)")
    p.add_argument("--workers", type=arguments.workers, default=None, help="parallel report workers (default: number of cores)")

    p = add("init", team_data.init_command, "create a new workspace (SQLite database + process.yaml)")
    p.add_argument("path", help="folder to create")
    p.add_argument("--sample", action="store_true", help="fill it with the sample team")
    p.add_argument("--reps", type=arguments.reps, default=None, help="number of sample reps (with --sample; default 8)")

    p = add("import", team_data.import_command, "import a CRM export or callkit's CSV files, all or nothing; importing the same "
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

    p = add("export", team_data.export_command, "export a workspace to CSV files (the import format), exercise progress and drafts "
                                   "included")
    p.add_argument("path", help="workspace folder")
    p.add_argument("--out", required=True, type=arguments.out_folder, help="folder for the CSV files")

    p = add("check", check.command, "score one call objective as a coach would")
    p.add_argument("objective", help="the call objective, in quotes")
    p.add_argument("--stage", default=None, help="the deal's current stage, by id or name (e.g. discover or Discover)")
    p.add_argument("--workspace", default=None, help="use this workspace's sales process")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")

    p = add("reports", reports_commands.reports, "build one HTML coaching report per rep and an index for the manager")
    p.add_argument("path", help="workspace folder")
    p.add_argument("--out", required=True, type=arguments.out_folder, help="folder for the HTML reports")
    p.add_argument("--workers", type=arguments.workers, default=None, help="parallel workers (default: number of cores)")
    p.add_argument("--rep", action="append", dest="reps", metavar="ID",
                   help="only this rep (repeat it for more: --rep r01 --rep r02)")
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

    p = add("notebooks", notebooks_command, "copy the coaching notebook, the rep report and the five exercise "
                                            "workbooks into a folder, to edit them there")
    p.add_argument("dir", help="folder for the copies (made if needed; workbooks go into DIR/exercises)")
    p.add_argument("--force", action="store_true", help="replace copies already in the folder")

    p = add("workshop", workshop_command, "open the coaching notebook as a page for a live session")
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
    except BrokenPipeError:  # `callkit check ... | head`: the reader has what it wanted
        sys.stderr.close()
        return 0
    except Exception as exc:  # an unexpected bug: still one line unless --debug
        if args.debug:
            raise
        print(f"callkit: unexpected error: {type(exc).__name__}: {exc} (rerun with --debug for details)", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
