"""callkit's exceptions: one base class, and specific subclasses that carry what a caller needs."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping


class CallkitError(Exception):
    """Base class of every error callkit raises on purpose; its message is one plain sentence."""


class DataFileError(CallkitError):
    """A data file a coach may edit (process, rubric, word lists) is missing or malformed; names the file."""

    def __init__(self, path: str | Path | None, problem: str):
        self.path = str(path) if path is not None else None
        self.problem = problem
        where = f"{self.path}: " if self.path else ""
        super().__init__(f"{where}{problem}")


class ProcessError(DataFileError):
    """A sales-process file is missing or malformed."""


class RubricError(DataFileError):
    """A scoring rubric file (weights and coaching messages) is missing or malformed."""


class LexiconError(DataFileError):
    """A word-list file (lexicon.yaml) is missing or malformed; names the file and the list."""


class MappingError(DataFileError):
    """A CRM mapping file (`callkit import --columns`) callkit cannot use; names the file and what to fix."""


class UnknownStageError(CallkitError, KeyError):
    """A stage id that the sales process does not have."""

    def __init__(self, stage: str, valid: Iterable[str]):
        self.stage = stage
        self.valid = list(valid)
        super().__init__(f"Unknown stage {stage!r}: use one of {', '.join(self.valid)}.")

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return self.args[0]


class InvalidInputError(CallkitError, ValueError):
    """Input that does not make a valid record; `errors` maps each field to one plain sentence."""

    def __init__(self, errors: Mapping[str, str], what: str = "input"):
        self.errors = dict(errors)
        self.what = what
        super().__init__(_one_sentence(list(self.errors.values()), what))


def _one_sentence(sentences: list[str], what: str) -> str:
    """One problem is its own sentence; several become 'The call plan needs fixing: the ... (and 2 more).'"""
    if not sentences:
        return f"The {what} is not valid."
    if len(sentences) == 1:
        return sentences[0]
    first = sentences[0].rstrip(".")
    if first.startswith("The "):
        first = "the " + first[4:]
    return f"The {what} needs fixing: {first} (and {len(sentences) - 1} more)."


class WorkspaceError(CallkitError):
    """Something is wrong with a workspace folder or its database."""

    def __init__(self, path: str | Path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(problem)


class NotAWorkspaceError(WorkspaceError):
    """The path does not hold a callkit workspace."""

    def __init__(self, path: str | Path):
        super().__init__(path, f"{path} is not a callkit workspace: create one with `callkit init {path}`.")


class SchemaVersionError(WorkspaceError):
    """The workspace was written by a newer callkit than this one."""

    def __init__(self, path: str | Path, found: int, supported: int):
        self.found = found
        self.supported = supported
        super().__init__(
            path,
            f"{path} was written by a newer callkit (schema {found}, this one reads up to {supported}): "
            "upgrade callkit to open it.",
        )


class WorkspaceBusyError(WorkspaceError):
    """Another program held the workspace's database for longer than callkit waits (at most 10 s); nothing was written.

    `activity` is what that program is doing when it said so ("an import", "creating the sample team"), else None;
    `pid` its process id when known. The message is one sentence: wait for it to finish, then try again.
    """

    def __init__(self, path: str | Path, activity: str | None = None, pid: int | None = None,
                 program: str | None = None):
        self.activity = activity
        self.pid = pid
        self.program = program
        if activity:
            who = f"{program} (process {pid})" if program and pid else (f"process {pid}" if pid else "another program")
            problem = (f"The workspace {path} is busy with {activity} in {who}: wait until it has finished, "
                       "then try again.")
        else:
            problem = (f"The workspace {path} is busy: another program is writing to it; wait a moment, "
                       "then try again.")
        super().__init__(path, problem)


class WorkspaceReadOnlyError(WorkspaceError):
    """A change to a workspace that this user may only read (its folder or database file is not writable)."""

    def __init__(self, path: str | Path, what: str = "change it"):
        self.what = what
        super().__init__(
            path,
            f"The workspace {path} is read-only for you, so you can view it but not {what}: ask its owner for write "
            "access to the folder, or copy the folder somewhere you can write and open the copy.",
        )


class DamagedRecordError(WorkspaceError):
    """A record stored in the workspace that callkit cannot read back (a plan, a debrief, an exercise answer, a draft).

    `kind` is "plan", "debrief", "exercise result" or "draft"; `record_id` the call id, result number or draft key;
    `stored` the stored text as it is, so nothing is lost (`callkit export` writes it to damaged.csv).
    """

    def __init__(self, path: str | Path, kind: str, record_id: str, detail: str, stored: str = "", remedy: str = ""):
        self.kind = kind
        self.record_id = record_id
        self.detail = detail
        self.stored = stored
        what = f"of call {record_id!r}" if kind in ("plan", "debrief") else repr(record_id)
        remedy = remedy or (
            "import the call again from a calls.csv row with `callkit import` (it replaces a damaged call), or ask "
            "whoever looks after the workspace to do so; `callkit export` saves the stored text in damaged.csv"
            if kind in ("plan", "debrief") else
            "`callkit export` saves the stored text in damaged.csv; the rest of the workspace is not affected")
        super().__init__(path, f"The stored {kind} {what} in {path} is damaged ({detail}): {remedy}.")


class RecordNotFoundError(CallkitError, LookupError):
    """A rep, deal or call id that is not in the workspace."""

    def __init__(self, kind: str, record_id: str):
        self.kind = kind
        self.record_id = record_id
        super().__init__(f"There is no {kind} with id {record_id!r} in this workspace.")


class CsvImportError(CallkitError):
    """A CSV file that cannot be imported; names the file, the spreadsheet row and the column."""

    def __init__(self, file: str | Path, problem: str, row: int | None = None, column: str | None = None):
        self.file = str(file)
        self.row = row
        self.column = column
        self.problem = problem
        where = Path(self.file).name
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column {column!r}"
        super().__init__(f"{where}: {problem}")


class ExerciseItemsError(CallkitError):
    """An exercise items file that is malformed; names the file and the item."""

    def __init__(self, file: str | Path, problem: str, item: str | int | None = None):
        self.file = str(file)
        self.item = item
        self.problem = problem
        where = Path(self.file).name + (f", item {item}" if item is not None else "")
        super().__init__(f"{where}: {problem}")


class WorkshopError(CallkitError):
    """`callkit workshop` cannot start: the port is taken, or the coaching notebook cannot be found."""


class ReportError(CallkitError):
    """One rep's coaching report could not be produced."""

    def __init__(self, rep_id: str, problem: str):
        self.rep_id = rep_id
        self.problem = problem
        super().__init__(f"Report for rep {rep_id!r} failed: {problem}")


class EditConflictError(CallkitError):
    """A save that would overwrite someone else's newer version of a plan or debrief (two coaches at once).

    `theirs` is the version now in the workspace, so the page can show both and let the coach choose;
    nothing was written.
    """

    def __init__(self, kind: str, call_id: str, theirs: object, problem: str):
        self.kind = kind
        self.call_id = call_id
        self.theirs = theirs
        self.problem = problem
        super().__init__(problem)
