"""The YAML data files a coach may edit (process, rubric, word lists, exercise items): read once, errors name the file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Callable

import yaml

from .exceptions import CallkitError

#: Builds the error for a file: called with (path or source name, one-sentence problem).
ErrorFactory = Callable[[Any, str], CallkitError]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when PyYAML has it: several times faster


def packaged_text(name: str) -> str:
    """The text of a data file shipped in callkit/data/ (e.g. "process.yaml")."""
    return resources.files("callkit").joinpath(f"data/{name}").read_text(encoding="utf-8")


def parse_yaml(text: str, source: str | Path | None, error: ErrorFactory) -> Any:
    """Parse YAML text; invalid YAML raises `error(source, ...)` with the line number."""
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise error(source, f"the file is not valid YAML{line}.") from None


def read_yaml(path: str | Path, error: ErrorFactory, what: str = "file") -> Any:
    """Read and parse a YAML file (a BOM is fine); a missing or unreadable file raises `error(path, ...)`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error(path, f"the {what} does not exist.") from None
    except UnicodeDecodeError as exc:
        raise error(path, not_utf8(path.read_bytes(), exc, what)) from None
    except OSError as exc:
        raise error(path, f"the {what} cannot be read ({exc.strerror or exc}).") from None
    return parse_yaml(text, path, error)


def not_utf8(data: bytes, exc: UnicodeDecodeError, what: str = "file") -> str:
    """The sentence for a data file saved in another encoding than UTF-8, naming the line of the first such character."""
    line = data.count(b"\n", 0, exc.start) + 1
    return (f"the {what} is not UTF-8 text (line {line} has a character saved in another encoding): open it in a text "
            "editor and save it as UTF-8.")
