"""`callkit workshop`: the coaching page for a live session."""

from __future__ import annotations

import argparse


def workshop_command(args: argparse.Namespace) -> int:
    """`callkit workshop PATH [--port N] [--host H] [--token T] [--no-browser]`."""
    from ..workshop import serve_workshop

    return serve_workshop(args.path, host=args.host, port=args.port, token=getattr(args, "token", None),
                          open_browser=not args.no_browser, debug=bool(getattr(args, "debug", False)))
