"""`callkit notebooks DIR`: editable copies of the coaching notebook, the rep report and the five workbooks."""

from __future__ import annotations

import argparse

from ..notebook_files import copy_notebooks
from ..text import counted


def notebooks_command(args: argparse.Namespace) -> int:
    """Copy the notebooks into DIR (workbooks into DIR/exercises); files already there are kept unless --force."""
    written = copy_notebooks(args.dir, overwrite=args.force)
    if written:
        print(f"Copied {counted(len(written), 'notebook')} to {args.dir}: " + ", ".join(p.name for p in written) + ".")
    else:
        print(f"{args.dir} already holds every notebook (use --force to replace them with callkit's own).")
    print("Run your own rep report with: callkit reports WS --out DIR --notebook "
          f"{args.dir}/rep_report.ipynb")
    return 0
