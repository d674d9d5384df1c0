"""`callkit reports` and `callkit demo`: the manager's weekly reports, and the sample team's."""

from __future__ import annotations

import argparse


def reports(args: argparse.Namespace) -> int:
    """`callkit reports PATH --out DIR [--workers N] [--rep ID ...] [--team T] [--manager M] [--since D --until D]
    [--notebook NB] [--engine warm|standard] [--scheduler tcp://HOST:8786]`."""
    from ..reports.commands import reports_command

    return reports_command(args)


def demo(args: argparse.Namespace) -> int:
    """`callkit demo [--dir DIR] [--workers N]`: the sample team and every rep's report, then where the index is."""
    from ..reports.commands import demo_command

    return demo_command(args)
