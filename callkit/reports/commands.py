"""The old home of the `callkit reports` and `callkit demo` commands, which live in `callkit.cli.reports` now."""

from ..cli.reports import demo_command, reports_command

__all__ = ["demo_command", "reports_command"]
