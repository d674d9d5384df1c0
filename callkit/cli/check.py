"""`callkit check`: one objective scored as a coach would say it (the verdicts, the findings, a better objective)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from ..process import SalesProcess
from ..scoring.objective import ObjectiveAssessment, assess_objective

_SEVERITY_LABEL = {"problem": "Fix", "warning": "Watch", "tip": "Tip"}


def _marks(stream: TextIO) -> tuple[str, str, str]:
    """Check marks the terminal can print: a tick and a cross, or plain words."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "\u2713\u2717\u2013".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "[ok]", "[no]", "[--]"
    return "\u2713", "\u2717", "\u2013"


def verdict_lines(a: ObjectiveAssessment, process: SalesProcess, marks: tuple[str, str, str] = ("[ok]", "[no]", "[--]")) -> list[str]:
    """One line per check: a mark, the check's name and a few words why."""
    ok, no, skip = marks
    stage_name = process.stage(a.stage).name if a.stage else None
    implied_name = process.stage(a.implied_stage).name if a.implied_stage and process.has_stage(a.implied_stage) else None
    lines = [
        f"  {ok if a.is_advance else no} Advance    "
        + ("the client acts, with energy, in a way that moves the sale" if a.is_advance else "not an action by the client that moves the sale"),
        f"  {ok if a.is_specific else no} Specific   "
        + ("a plain yes or no at the end of the call" if a.is_specific else "you could not say yes or no at the end of the call"),
    ]
    if a.is_realistic is None:
        lines.append(f"  {skip} Realistic  not checked: give the deal's stage with --stage")
    elif a.is_realistic:
        fits = f"fits a deal at {stage_name}" + (f" (it belongs to {implied_name})" if implied_name else "")
        lines.append(f"  {ok} Realistic  {fits}")
    else:
        lines.append(f"  {no} Realistic  belongs to {implied_name}, too far ahead of {stage_name}")
    return lines


def format_assessment(a: ObjectiveAssessment, process: SalesProcess | None = None,
                      marks: tuple[str, str, str] = ("[ok]", "[no]", "[--]")) -> str:
    """The whole assessment as plain text: verdicts, what a coach would say, and a better objective."""
    process = process or SalesProcess.default()
    shown = " ".join(a.text.split()) or "(empty)"
    if len(shown) > 200:
        shown = shown[:200].rsplit(" ", 1)[0] + "..."
    out = [f'Objective: "{shown}"']
    if a.stage:
        out.append(f"Deal stage: {process.stage(a.stage).name}")
    out.append("")
    out.extend(verdict_lines(a, process, marks))
    checks = 3 if a.is_realistic is not None else 2
    passed = round(a.score * checks)
    out.append("")
    out.append(f"{passed} of {checks} checks passed." + (" A good objective." if passed == checks else ""))
    if a.findings:
        out.append("")
        out.append("What a coach would say:")
        for f in a.findings:
            out.append(f"  - {_SEVERITY_LABEL[f.severity]}: {f.message}")
            if f.tip:
                out.append(f"    {f.tip}")
    if a.suggestion:
        out.append("")
        out.append("Try instead:")
        out.append(f"  {a.suggestion}")
    return "\n".join(out)


def _process_for(workspace: str | None) -> SalesProcess:
    if not workspace:
        return SalesProcess.default()
    from ..workspace import Workspace

    ws = Workspace.open(workspace)
    try:
        return ws.process
    finally:
        ws.close()


def check_command(objective: str, stage: str | None = None, as_json: bool = False, workspace: str | None = None) -> int:
    """`callkit check`: print one objective's assessment (or its JSON) and return the exit code (0).

    The stage is a stage id or name of the process ("discover" or "Discover"); an unknown one raises
    UnknownStageError, which the command line prints as one line (exit 1).
    """
    process = _process_for(workspace)
    stage_id = process.stage_id_for(stage) if stage else None  # "Discover" works as well as "discover"
    assessment = assess_objective(objective, stage=stage_id, process=process)
    if as_json:
        print(json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_assessment(assessment, process, _marks(sys.stdout)))
    return 0


def command(args: argparse.Namespace) -> int:
    """`callkit check OBJECTIVE [--stage S] [--workspace WS] [--json]`."""
    return check_command(args.objective, stage=args.stage, as_json=args.json, workspace=args.workspace)
