"""`callkit init`, `callkit import` and `callkit export`: a team's data into and out of a workspace."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..exceptions import InvalidInputError
from ..text import counted
from .arguments import EXIT_ERROR

SAMPLE_REPS = 8  # the sample team's size without --reps


def init_command(args: argparse.Namespace) -> int:
    from ..workspace import Workspace

    if args.reps is not None and not args.sample:
        raise InvalidInputError({"reps": "--reps sets the size of the sample team: add --sample, or leave --reps out."},
                                "command")
    with Workspace.create(args.path, sample=args.sample, reps=args.reps or SAMPLE_REPS) as ws:
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


def import_command(args: argparse.Namespace) -> int:
    from ..crm.refresh import summary_lines
    from ..reports.period import parse_day
    from ..workspace import Workspace

    as_of = parse_day(args.as_of, "as-of")
    with Workspace.open(args.path) as ws:
        if ws.read_only:  # said before reading any file: the import could only fail at the end
            from ..exceptions import WorkspaceReadOnlyError

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
    if extras is None:
        return []
    n = extras.summary
    line = (f"{'Would add' if check else 'Added'} {counted(n['exercise_results'], 'exercise answer')} and "
            f"{counted(n['drafts'], 'draft')}")
    if n["already_there"]:
        line += f" ({n['already_there']:,} already in the workspace, kept as they are)"
    return [line + "."]


def export_command(args: argparse.Namespace) -> int:
    from ..workspace import Workspace

    with Workspace.open(args.path) as ws:
        summary = ws.export(args.out)
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    files = summary.files
    print(f"Exported {len(files)} files to {args.out}: " + ", ".join(Path(f).name for f in files) + ".")
    if summary.damaged:
        many = summary.damaged != 1
        print(f"{counted(summary.damaged, 'damaged record')} could not be read and {'were' if many else 'was'} left out; "
              f"damaged.csv holds {'them' if many else 'it'} as stored.")
    return 0
