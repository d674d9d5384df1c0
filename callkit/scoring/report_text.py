"""`callkit check`'s plain-text assessment, at its old import path: it lives in `callkit.cli.check`."""

from ..cli.check import check_command, format_assessment, verdict_lines  # noqa: F401
