"""What the command line's arguments may be: each bad value is refused with one sentence before any work starts."""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_ERROR = 1  # a CallkitError: bad input, bad workspace, failed reports
EXIT_USAGE = 2  # argparse's own exit code for bad arguments


def _at_least_one(text: str, what: str, too_few: str) -> int:
    """A whole number, 1 or more; `too_few` is the sentence for 0 or less ({value} is filled in)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of {what}: give a whole number, 1 or more") from None
    if value < 1:
        raise argparse.ArgumentTypeError(too_few.format(value=value))
    return value


def workers(text: str) -> int:
    """`--workers N`: a whole number, 1 or more."""
    return _at_least_one(text, "workers", "{value} workers cannot build anything: give 1 or more (the default is "
                                          "one per core)")


def reps(text: str) -> int:
    """`--reps N` of the sample team: a whole number, 1 or more."""
    return _at_least_one(text, "reps", "a sample team needs at least 1 rep, not {value}")


def out_folder(text: str) -> str:
    """`--out DIR`: a folder to write into, or one to create; not an existing file."""
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a file, not a folder: give a folder for the output (it is "
                                         "created if it does not exist)")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise argparse.ArgumentTypeError(f"{parent} is a file, so {text} cannot be created: give another "
                                                 "folder")
            break
    return text
