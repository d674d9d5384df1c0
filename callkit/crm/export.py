"""An export's rows as callkit reads them: one DealRecord or Rep per row, and every problem found.

Problems are collected, not raised one at a time: `callkit import --check` lists them all (up to
`Problems.LIMIT`, then a count), and a real import refuses the whole file when there is any. Each
problem names the file, the spreadsheet row and the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Sequence, TypeVar

from ..csv_cells import CellError
from ..exceptions import CsvImportError, MappingError
from ..models import DEAL_STATUSES, Rep
from ..process import SalesProcess
from ..scoring.english import counted
from .csvfile import Records, header_key, read_records
from .profiles import CLOSED, DATE_FIELDS, REQUIRED_DEAL_FIELDS, Profile, profile_for
from .values import DateColumn, parse_amount

T = TypeVar("T")
_PIPELINE_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")  # HubSpot: "Closed Won (Sales Pipeline)"
_CLOSED_WORDS = {"closedwon": "won", "won": "won", "closedlost": "lost", "lost": "lost"}


class Problems:
    """Every problem found in the files, in file and row order; at most LIMIT are kept, the rest counted."""

    LIMIT = 50

    def __init__(self) -> None:
        self.items: list[CsvImportError] = []
        self.more = 0

    def add(self, error: CsvImportError) -> None:
        if len(self.items) < self.LIMIT:
            self.items.append(error)
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items) + self.more

    def first(self) -> CsvImportError:
        """The first problem, its message telling how many more there are."""
        first = self.items[0]
        rest = len(self) - 1
        if not rest:
            return first
        more = f" (and {counted(rest, 'more problem')}: run the import with --check to see them all)"
        return CsvImportError(first.file, first.problem.rstrip(".") + more + ".", row=first.row, column=first.column)

    def lines(self) -> list[str]:
        """One line per problem, then a count of those not shown."""
        out = [str(e) for e in self.items]
        if self.more:
            out.append(f"... and {self.more} more problems.")
        return out


@dataclass
class DealRecord:
    """What one row of a deals export says about a deal (the stage already in callkit's words)."""

    row: int
    deal_id: str
    rep: str  # the owner as exported: a rep id or a rep's name
    name: str
    stage: str | None  # a stage id of the process; None when the export says only won or lost
    status: str = "open"
    account: str = ""
    close_date: date | None = None
    amount: float | None = None
    created: date | None = None
    closed_on: date | None = None
    lost_reason: str | None = None
    team: str | None = None


@dataclass
class Export:
    """A file read with its profile: its records, and the warnings to show."""

    path: Path
    profile: Profile
    deals: list[DealRecord] = field(default_factory=list)
    reps: list[Rep] = field(default_factory=list)  # one per row of a reps (users, sales team) file
    warnings: list[str] = field(default_factory=list)
    owners: dict[str, str] = field(default_factory=dict)  # every deal id in the file -> its owner, bad rows too
    headers: dict[str, str] = field(default_factory=dict)  # callkit field -> the export's header for it

    @property
    def native(self) -> bool:
        """callkit's own CSV: its messages speak of callkit's columns."""
        return self.profile.key == "callkit"


class _Row:
    def __init__(self, records: Records, number: int, cells: list[str], columns: dict[str, int], headers: Sequence[str]):
        self.records, self.number, self.cells, self.columns, self.headers = records, number, cells, columns, headers

    def raw(self, fld: str) -> str:
        i = self.columns.get(fld)
        return self.cells[i].strip() if i is not None and i < len(self.cells) else ""

    def column(self, fld: str) -> str | None:
        i = self.columns.get(fld)
        return self.headers[i] if i is not None else None

    def error(self, problem: str, fld: str | None) -> CsvImportError:
        return CsvImportError(self.records.path, problem, row=self.number, column=self.column(fld) if fld else None)

    def parse(self, fld: str, parser: Callable[[str], T]) -> T:
        try:
            return parser(self.raw(fld))
        except CellError as exc:
            raise self.error(str(exc), fld) from None


def _stage(value: str, profile: Profile, process: SalesProcess) -> tuple[str | None, str] | None:
    """(stage id or None, status) for an exported stage name, or None when callkit cannot place it."""
    key = header_key(value)
    bare = header_key(_PIPELINE_SUFFIX.sub("", value))
    for k in (key, bare):
        target = profile.stages.get(k)
        if target in CLOSED:
            return None, target
        if target is not None and any(s.id == target for s in process.stages):
            return target, "open"
    for stage in process.stages:
        if key in (header_key(stage.id), header_key(stage.name)) or bare in (header_key(stage.id), header_key(stage.name)):
            return stage.id, "open"
    if bare in _CLOSED_WORDS:
        return None, _CLOSED_WORDS[bare]
    return None


def _check_stage_map(profile: Profile, process: SalesProcess) -> None:
    """A mapping file's stages must name stages of the workspace's process (a built-in profile's that do not
    are ignored: the export's stage names are then matched to the process by name)."""
    if profile.key != "mapping":
        return
    ids = [s.id for s in process.stages]
    for name, target in profile.stages.items():
        if target not in ids and target not in CLOSED:
            raise MappingError(profile.source, f"stages: {target!r} is not a stage of this workspace's process: use "
                               f"{', '.join(ids)}, won or lost.")


def read_deals(path: str | Path, process: SalesProcess, problems: Problems, mapping: Profile | None = None) -> Export:
    """Every row of a deals export (callkit's CSV, Salesforce, HubSpot, or any export with a mapping)."""
    records = read_records(path, "the deals export")
    profile = profile_for(records.header, records.path, "deals", mapping)
    columns = profile.columns(records.header, "deals")
    _check_stage_map(profile, process)
    out = Export(records.path, profile, warnings=list(records.warnings),
                 headers={f: records.header[i] for f, i in columns.items()})
    for fld in REQUIRED_DEAL_FIELDS + (("name",) if out.native else ()):
        if fld not in columns:
            wanted = " or ".join(repr(n) for n in profile.deals.get(fld, (fld,)))
            if out.native:
                header = ", ".join(n for f in REQUIRED_DEAL_FIELDS + ("name",) for n in profile.deals[f][:1])
                problems.add(CsvImportError(records.path, f"the required column {wanted} is missing: the header needs "
                                            f"{header}.", row=1, column=profile.deals[fld][0]))
                return out
            names = profile.deals.get(fld, (fld,))
            hint = ": add it to the report's columns, so that weekly imports can match deals" if fld == "deal_id" else ""
            problems.add(CsvImportError(records.path, f"the column {names[0]!r} (the deal's {fld.replace('_', ' ')}) is "
                                        f"missing{hint}.", row=1, column=names[0]))
            return out
    dates = {f: DateColumn((r[1][columns[f]] for r in records.rows if columns[f] < len(r[1])), profile.dates)
             for f in DATE_FIELDS if f in columns}
    seen: dict[str, int] = {}
    for number, cells in records.rows:
        row = _Row(records, number, cells, columns, records.header)
        if row.raw("deal_id"):
            out.owners.setdefault(row.raw("deal_id"), row.raw("rep"))
        try:
            out.deals.append(_deal(row, profile, process, dates, seen, out.native))
        except CsvImportError as exc:
            problems.add(exc)
    out.warnings += _ignored(records, columns, profile)
    return out


def _ignored(records: Records, columns: dict[str, int], profile: Profile) -> list[str]:
    """A warning for the columns callkit does not use."""
    used = set(columns.values())
    ignored = [h for i, h in enumerate(records.header) if i not in used and h]
    if not ignored:
        return []
    if profile.key == "callkit":
        return [f"{records.name}: column {h!r} is not a callkit column and was ignored." for h in ignored]
    return [f"{records.name}: read as {profile.name}; columns callkit does not use: "
            + ", ".join(ignored[:8]) + (" ..." if len(ignored) > 8 else "") + "."]


def _deal(row: _Row, profile: Profile, process: SalesProcess, dates: dict[str, DateColumn], seen: dict[str, int],
          native: bool) -> DealRecord:
    deal_id = row.raw("deal_id")
    if not deal_id:
        raise row.error("the deal id is blank: every deal needs one.", "deal_id")
    if deal_id in seen:
        raise row.error(f"the deal id {deal_id!r} appears twice: first in row {seen[deal_id]}.", "deal_id")
    seen[deal_id] = row.number
    rep = row.raw("rep")
    if not rep:
        raise row.error("the owner is blank: every deal needs the rep who owns it.", "rep")
    stage_text = row.raw("stage")
    if not stage_text:
        raise row.error("the stage is blank: every deal needs one.", "stage")
    placed = _stage(stage_text, profile, process)
    if placed is None:
        known = ", ".join(process.stage_ids)
        if native:
            raise row.error(f"{stage_text!r} is not a stage of this workspace's process: use one of {known}, won or lost.",
                            "stage")
        raise row.error(f"{stage_text!r} is not a stage callkit knows: map it in a mapping file's stages: section "
                        f"to one of {known}, won or lost.", "stage")
    stage, status = placed
    explicit = row.raw("status").lower()
    if explicit:
        if explicit not in DEAL_STATUSES:
            raise row.error(f"{row.raw('status')!r} is not a status: use open, won or lost.", "status")
        status = explicit
    values = {f: row.parse(f, dates[f].parse) for f in dates}
    amount = row.parse("amount", parse_amount)
    name = row.raw("name")
    if not name and native:
        raise row.error("the name is blank: every deal needs one.", "name")
    name = name or row.raw("account") or deal_id
    return DealRecord(
        row=row.number, deal_id=deal_id, rep=rep, name=name, stage=stage, status=status, account=row.raw("account"),
        close_date=values.get("close_date"), amount=amount, created=values.get("created"),
        closed_on=values.get("closed_on"), lost_reason=row.raw("lost_reason") or None, team=row.raw("team") or None,
    )


def read_reps(path: str | Path, problems: Problems, mapping: Profile | None = None) -> Export:
    """Every row of a reps file (callkit's reps.csv, a users export, or a sales-teams file with a mapping)."""
    records = read_records(path, "the reps file")
    profile = profile_for(records.header, records.path, "reps", mapping)
    columns = profile.columns(records.header, "reps")
    out = Export(records.path, profile, warnings=list(records.warnings))
    if "rep_id" not in columns and "name" not in columns:
        wanted = " or ".join(repr(n) for n in (profile.reps.get("rep_id") or ("rep_id",)))
        problems.add(CsvImportError(records.path, f"the column for the rep id, {wanted}, is missing.", row=1))
        return out
    if profile.key == "callkit":  # callkit's own reps.csv: both columns, each named (the fallbacks are for CRMs)
        missing = next((c for c in ("rep_id", "name") if c not in columns), None)
        if missing:
            problems.add(CsvImportError(records.path, f"the required column {missing!r} is missing: the header needs "
                                                      "rep_id, name.", row=1, column=missing))
            return out
    seen: dict[str, int] = {}
    for number, cells in records.rows:
        row = _Row(records, number, cells, columns, records.header)
        rep_id = row.raw("rep_id") or ("" if profile.key == "callkit" else row.raw("name"))
        if rep_id:
            out.owners.setdefault(rep_id, rep_id)  # a rep with a bad row still counts: no errors that follow from it
        try:
            if not rep_id:
                raise row.error("the rep id is blank: every rep needs one.", "rep_id")
            if profile.key == "callkit" and not row.raw("name"):
                raise row.error("the name is blank: every rep needs one.", "name")
            if rep_id in seen:
                raise row.error(f"the rep id {rep_id!r} appears twice: first in row {seen[rep_id]}.", "rep_id")
            seen[rep_id] = number
            out.reps.append(Rep(rep_id=rep_id, name=row.raw("name") or rep_id, email=row.raw("email") or None,
                                team=row.raw("team") or None, manager=row.raw("manager") or None))
        except CsvImportError as exc:
            problems.add(exc)
    out.warnings += _ignored(records, columns, profile)
    return out
