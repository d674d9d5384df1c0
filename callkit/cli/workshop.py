"""`callkit workshop`: the coaching page for a live session."""

from __future__ import annotations

import argparse


def workshop_command(args: argparse.Namespace) -> int:
    """`callkit workshop PATH [--port N] [--host H] [--token T] [--no-browser]`."""
    from ..workshop import workshop_command as serve

    return serve(args)
