"""Reading and writing the workspace CSV files (reps, deals, calls, close dates), with row-level validation.

Reading is all or nothing: every file is parsed and checked before the caller writes anything, and the
first problem raises CsvImportError naming the file, the spreadsheet row (header = row 1) and the column.
Cell syntaxes (dates, booleans, lists, research, learned, commitments, attendees) are in csv_cells.

calls.csv: the plan columns (objective, fallback, customer_value, agenda, agenda_shared, agenda_agreed,
agenda_agreed_on, planned_steps, questions, research, attendees, concerns, plan_stage, plan_updated_at) all blank
means the call had no plan; a blank ``outcome`` means it was not debriefed yet. ``rep_id`` is optional
and defaults to the deal's rep. close_dates.csv is the deals' close-date history (calls'
``close_date_after`` is kept with the debrief and does not add history).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

from pydantic import BaseModel, ValidationError

from . import csv_cells as cells
from .exceptions import CsvImportError, WorkspaceError
from .models import Call, CallPlan, CloseDateChange, Debrief, Deal, Learned, Rep, Research, friendly_errors
from .process import SalesProcess

REP_COLUMNS = ("rep_id", "name", "email", "team", "manager")
DEAL_COLUMNS = ("deal_id", "rep_id", "account", "name", "stage", "close_date", "amount", "created")
PLAN_COLUMNS = (
    "objective", "fallback", "customer_value", "agenda", "agenda_shared", "agenda_agreed", "agenda_agreed_on",
    "planned_steps", "questions", "research", "attendees", "concerns", "plan_stage", "plan_updated_at",
)
DEBRIEF_COLUMNS = (
    "outcome", "best_met", "fallback_met", "commitments", "learned", "completed_steps", "follow_ups",
    "next_call", "close_date_after", "notes", "debrief_updated_at",
)
CALL_COLUMNS = ("call_id", "deal_id", "rep_id", "date") + PLAN_COLUMNS + DEBRIEF_COLUMNS
CLOSE_DATE_COLUMNS = ("deal_id", "changed_on", "close_date")

REQUIRED = {
    "reps": ("rep_id", "name"),
    "deals": ("deal_id", "rep_id", "account", "name", "stage", "close_date"),
    "calls": ("call_id", "deal_id", "date", "objective"),
    "close_dates": ("deal_id", "changed_on", "close_date"),
}
COLUMNS = {"reps": REP_COLUMNS, "deals": DEAL_COLUMNS, "calls": CALL_COLUMNS, "close_dates": CLOSE_DATE_COLUMNS}
_BOOL_COLUMNS = frozenset({"agenda_shared", "agenda_agreed", "best_met", "fallback_met"})
# model field -> the calls.csv column it comes from (for pydantic errors)
_FIELD_COLUMNS = {"call_date": "date", "updated_at": "plan_updated_at"}

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@dataclass
class ImportSummary:
    """What an import added ({'reps': 8, 'deals': 40, ...}) and the warnings to show (ignored columns)."""

    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)


@dataclass
class KnownIds:
    """Ids already in the workspace, which an import must not repeat and may refer to."""

    reps: set[str] = field(default_factory=set)
    deal_reps: dict[str, str] = field(default_factory=dict)  # deal id -> its rep id
    calls: set[str] = field(default_factory=set)


@dataclass
class ParsedTeam:
    """The validated content of a set of CSV files, ready for Workspace.load_team."""

    reps: list[Rep]
    deals: list[Deal]
    calls: list[Call]
    history: dict[str, list[CloseDateChange]]  # close-date changes for deals already in the workspace
    warnings: list[str]

    def counts(self) -> dict[str, int]:
        """How many records of each kind the import adds."""
        return {
            "reps": len(self.reps),
            "deals": len(self.deals),
            "calls": len(self.calls),
            "plans": sum(c.plan is not None for c in self.calls),
            "debriefs": sum(c.debrief is not None for c in self.calls),
            "close_dates": sum(len(d.close_date_history) for d in self.deals)
            + sum(len(h) for h in self.history.values()),
        }


# -- reading one file -------------------------------------------------------------------------------------

def _column_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


@dataclass
class Row:
    """One data row of a CSV file: its spreadsheet row number and its cells by column name."""

    table: "Table"
    number: int
    values: dict[str, str]

    def raw(self, column: str) -> str:
        """The cell's text, trimmed ('' when the column is absent)."""
        return self.values.get(column, "").strip()

    def error(self, problem: str, column: str | None) -> CsvImportError:
        """A CsvImportError pointing at this row and `column`."""
        return CsvImportError(self.table.path, problem, row=self.number, column=column)

    def required(self, column: str, what: str) -> str:
        """A cell that must not be blank."""
        value = self.raw(column)
        if not value:
            raise self.error(f"the {column} is blank: every {what} needs one.", column)
        return value

    def parse(self, column: str, parser: Callable[[str], T]) -> T:
        """Parse a cell with one of csv_cells' parsers, turning its CellError into a CsvImportError."""
        try:
            return parser(self.values.get(column, ""))
        except cells.CellError as exc:
            raise self.error(str(exc), column) from None

    def required_date(self, column: str, what: str) -> date:
        """A date cell that must not be blank."""
        value = self.parse(column, cells.parse_date)
        if value is None:
            raise self.error(f"the {column} is blank: every {what} needs one.", column)
        return value


@dataclass
class Table:
    """A parsed CSV file: its path, its normalised header and its non-blank rows."""

    path: Path
    kind: str
    header: list[str]
    rows: list[Row]
    warnings: list[str]

    @property
    def name(self) -> str:
        return self.path.name


def read_table(path: str | Path, kind: str) -> Table:
    """Read one CSV file of `kind` ('reps', 'deals', 'calls', 'close_dates'): encoding, separator, header."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CsvImportError(path, "the file does not exist.") from None
    except IsADirectoryError:
        raise CsvImportError(path, "this is a folder, not a CSV file.") from None
    except OSError as exc:
        raise CsvImportError(path, f"the file cannot be read ({exc.strerror}).") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvImportError(
            path, "the file is not UTF-8 text: in Excel use Save As > 'CSV UTF-8 (Comma delimited)'."
        ) from None
    records = list(csv.reader(io.StringIO(text, newline="")))
    expected = ", ".join(REQUIRED[kind])
    if not records or not any(cell.strip() for cell in records[0]):
        raise CsvImportError(path, f"the file is empty: the first row must be a header with {expected}.", row=1)
    header = [_column_key(c) for c in records[0]]
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:  # a header read as one or two columns often means another separator
        for sep, name in ((";", "';'"), ("\t", "tabs")):
            if any(sep in cell for cell in records[0]):
                raise CsvImportError(
                    path, f"the file seems to use {name} as separator: save it as CSV (comma delimited).", row=1
                )
    seen: set[str] = set()
    for column in header:
        if column and column in seen:
            raise CsvImportError(path, f"the column {column!r} appears twice in the header.", row=1, column=column)
        seen.add(column)
    if missing:
        raise CsvImportError(
            path, f"the required column {missing[0]!r} is missing: the header needs {expected}.", row=1, column=missing[0]
        )
    table = Table(path, kind, header, [], [])
    unknown = [c for c in header if c and c not in COLUMNS[kind]]
    for column in unknown:
        table.warnings.append(f"{path.name}: column {column!r} is not a callkit column and was ignored.")
    unnamed_with_data = False
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank rows, as spreadsheets often leave at the end
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header):]):
            raise CsvImportError(
                path,
                f"the row has {len(record)} cells but the header has {len(header)} columns: "
                "put quotes around text that contains a comma.",
                row=number,
            )
        values = {}
        for column, cell in zip(header, record):
            if not column:
                unnamed_with_data = unnamed_with_data or bool(cell.strip())
            elif column in COLUMNS[kind]:
                values[column] = cell
        table.rows.append(Row(table, number, values))
    if unnamed_with_data:
        table.warnings.append(f"{path.name}: a column without a name in the header was ignored.")
    return table


# -- turning rows into models ----------------------------------------------------------------------------

def _build(row: Row, model: type[M], data: Mapping[str, Any], columns: Mapping[str, str] | None = None) -> M:
    """Validate a model from a row's parsed cells; a model error points at the column it came from."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        errors = friendly_errors(exc)
        loc, sentence = next(iter(errors.items()))
        name = loc.split(".")[0]
        column = (columns or {}).get(name, _FIELD_COLUMNS.get(name, name))
        raise row.error(sentence[0].lower() + sentence[1:], column) from None


def _check_new_id(row: Row, column: str, value: str, seen: dict[str, int], known: set[str] | Mapping[str, str]) -> None:
    if value in seen:
        raise row.error(f"the id {value!r} appears twice: first in row {seen[value]}.", column)
    if value in known:
        raise row.error(f"the id {value!r} is already in the workspace.", column)
    seen[value] = row.number


def _stage_id(row: Row, process: SalesProcess, column: str = "stage") -> str:
    value = row.required(column, "deal") if column == "stage" else row.raw(column)
    if process.has_stage(value):
        return value
    key = value.strip().lower()
    for stage in process.stages:
        if key in (stage.id.lower(), stage.name.lower()):
            return stage.id
    raise row.error(
        f"{value!r} is not a stage of this workspace's process: use one of {', '.join(process.stage_ids)}.", column
    )


def _reps(table: Table, known: KnownIds) -> list[Rep]:
    seen: dict[str, int] = {}
    reps: list[Rep] = []
    for row in table.rows:
        rep_id = row.required("rep_id", "rep")
        _check_new_id(row, "rep_id", rep_id, seen, known.reps)
        data = {c: row.raw(c) or None for c in ("email", "team", "manager")}
        reps.append(_build(row, Rep, {"rep_id": rep_id, "name": row.required("name", "rep"), **data}))
    return reps


def _deals(table: Table, reps_file: str, rep_ids: set[str], known: KnownIds, process: SalesProcess) -> list[Deal]:
    seen: dict[str, int] = {}
    deals: list[Deal] = []
    for row in table.rows:
        deal_id = row.required("deal_id", "deal")
        _check_new_id(row, "deal_id", deal_id, seen, known.deal_reps)
        rep_id = row.required("rep_id", "deal")
        if rep_id not in rep_ids:
            raise row.error(f"the rep id {rep_id!r} is not in {reps_file} nor in the workspace.", "rep_id")
        data = {
            "deal_id": deal_id,
            "rep_id": rep_id,
            "account": row.required("account", "deal"),
            "name": row.required("name", "deal"),
            "stage": _stage_id(row, process),
            "close_date": row.required_date("close_date", "deal"),
            "amount": row.parse("amount", cells.parse_number),
            "created": row.parse("created", cells.parse_date),
        }
        deals.append(_build(row, Deal, data))
    return deals


def _has_content(row: Row, columns: Iterable[str]) -> list[str]:
    """The columns of `columns` that hold something (a boolean only counts when it is true)."""
    filled = []
    for column in columns:
        if column in _BOOL_COLUMNS:
            if row.parse(column, cells.parse_bool):
                filled.append(column)
        elif row.raw(column):
            filled.append(column)
    return filled


def _plan(row: Row, call_id: str, deal_id: str, rep_id: str, call_date: date, process: SalesProcess) -> CallPlan | None:
    if not _has_content(row, PLAN_COLUMNS):
        return None
    research = row.parse("research", lambda t: cells.parse_labelled(t, cells.RESEARCH_LABELS, unlabelled="notes"))
    data = {
        "call_id": call_id,
        "deal_id": deal_id,
        "rep_id": rep_id,
        "call_date": call_date,
        "stage": _stage_id(row, process, "plan_stage") if row.raw("plan_stage") else None,
        "attendees": row.parse("attendees", cells.parse_attendees),
        "objective": row.raw("objective"),
        "fallback": row.raw("fallback"),
        "customer_value": row.raw("customer_value"),
        "agenda": row.parse("agenda", cells.parse_list),
        "agenda_shared": row.parse("agenda_shared", cells.parse_bool),
        "agenda_agreed": row.parse("agenda_agreed", cells.parse_bool),
        "agenda_agreed_on": row.parse("agenda_agreed_on", cells.parse_date),
        "planned_steps": row.parse("planned_steps", cells.parse_list),
        "questions": row.parse("questions", cells.parse_list),
        "research": _build(row, Research, research, {k: "research" for k in cells.RESEARCH_LABELS}),
        "concerns": row.parse("concerns", cells.parse_list),
        "updated_at": row.parse("plan_updated_at", cells.parse_datetime),
    }
    return _build(row, CallPlan, data)


def _debrief(row: Row, call_id: str) -> Debrief | None:
    outcome = row.parse("outcome", cells.parse_outcome)
    if outcome is None:
        filled = _has_content(row, DEBRIEF_COLUMNS[1:])
        if filled:
            raise row.error(
                f"the outcome is blank but the debrief column {filled[0]!r} is filled: set the outcome "
                "(order, advance, continuation or no_sale), or clear the debrief columns.",
                "outcome",
            )
        return None
    learned = row.parse("learned", lambda t: cells.parse_labelled(t, cells.LEARNED_LABELS))
    data = {
        "call_id": call_id,
        "outcome": outcome,
        "best_met": row.parse("best_met", cells.parse_bool),
        "fallback_met": row.parse("fallback_met", cells.parse_bool),
        "commitments": row.parse("commitments", cells.parse_commitments),
        "learned": _build(row, Learned, learned, {k: "learned" for k in cells.LEARNED_LABELS}),
        "completed_steps": row.parse("completed_steps", cells.parse_list),
        "follow_ups": row.parse("follow_ups", cells.parse_commitments),
        "next_call": row.parse("next_call", cells.parse_date),
        "close_date_after": row.parse("close_date_after", cells.parse_date),
        "notes": row.raw("notes"),
        "updated_at": row.parse("debrief_updated_at", cells.parse_datetime),
    }
    return _build(row, Debrief, data, {"updated_at": "debrief_updated_at"})


def _calls(table: Table, files: Mapping[str, str], rep_ids: set[str], deal_reps: Mapping[str, str], known: KnownIds,
           process: SalesProcess) -> list[Call]:
    seen: dict[str, int] = {}
    calls: list[Call] = []
    for row in table.rows:
        call_id = row.required("call_id", "call")
        _check_new_id(row, "call_id", call_id, seen, known.calls)
        deal_id = row.required("deal_id", "call")
        if deal_id not in deal_reps:
            raise row.error(f"the deal id {deal_id!r} is not in {files['deals']} nor in the workspace.", "deal_id")
        rep_id = row.raw("rep_id") or deal_reps[deal_id]
        if rep_id not in rep_ids:
            raise row.error(f"the rep id {rep_id!r} is not in {files['reps']} nor in the workspace.", "rep_id")
        call_date = row.required_date("date", "call")
        plan = _plan(row, call_id, deal_id, rep_id, call_date, process)
        debrief = _debrief(row, call_id)
        calls.append(Call(call_id=call_id, deal_id=deal_id, rep_id=rep_id, date=call_date, plan=plan, debrief=debrief))
    return calls


def _close_dates(table: Table, deals_file: str, deal_ids: Iterable[str]) -> dict[str, list[CloseDateChange]]:
    known = set(deal_ids)
    history: dict[str, list[CloseDateChange]] = {}
    for row in table.rows:
        deal_id = row.required("deal_id", "close-date change")
        if deal_id not in known:
            raise row.error(f"the deal id {deal_id!r} is not in {deals_file} nor in the workspace.", "deal_id")
        change = CloseDateChange(
            changed_on=row.required_date("changed_on", "close-date change"),
            close_date=row.required_date("close_date", "close-date change"),
        )
        history.setdefault(deal_id, []).append(change)
    return history


def parse_team(
    reps: str | Path,
    deals: str | Path,
    calls: str | Path,
    close_dates: str | Path | None,
    process: SalesProcess,
    known: KnownIds,
) -> ParsedTeam:
    """Read and check every file completely; raise CsvImportError at the first problem, write nothing."""
    tables = {
        "reps": read_table(reps, "reps"),
        "deals": read_table(deals, "deals"),
        "calls": read_table(calls, "calls"),
    }
    if close_dates is not None:
        tables["close_dates"] = read_table(close_dates, "close_dates")
    files = {kind: table.name for kind, table in tables.items()}
    new_reps = _reps(tables["reps"], known)
    rep_ids = known.reps | {r.rep_id for r in new_reps}
    new_deals = _deals(tables["deals"], files["reps"], rep_ids, known, process)
    deal_reps = {**known.deal_reps, **{d.deal_id: d.rep_id for d in new_deals}}
    new_calls = _calls(tables["calls"], files, rep_ids, deal_reps, known, process)
    history: dict[str, list[CloseDateChange]] = {}
    if "close_dates" in tables:
        history = _close_dates(tables["close_dates"], files["deals"], deal_reps)
        new_deals = [
            d.model_copy(update={"close_date_history": history.pop(d.deal_id)}) if d.deal_id in history else d
            for d in new_deals
        ]
    warnings = [w for table in tables.values() for w in table.warnings]
    return ParsedTeam(new_reps, new_deals, new_calls, history, warnings)


# -- writing ------------------------------------------------------------------------------------------

def _rep_row(rep: Rep) -> list[str]:
    return [rep.rep_id, rep.name, rep.email or "", rep.team or "", rep.manager or ""]


def _deal_row(deal: Deal) -> list[str]:
    return [
        deal.deal_id, deal.rep_id, deal.account, deal.name, deal.stage, cells.format_date(deal.close_date),
        cells.format_number(deal.amount), cells.format_date(deal.created),
    ]


def _plan_cells(plan: CallPlan | None) -> list[str]:
    if plan is None:
        return [""] * len(PLAN_COLUMNS)
    return [
        plan.objective,
        plan.fallback,
        plan.customer_value,
        cells.format_list(plan.agenda),
        cells.format_bool(plan.agenda_shared),
        cells.format_bool(plan.agenda_agreed),
        cells.format_date(plan.agenda_agreed_on),
        cells.format_list(plan.planned_steps),
        cells.format_list(plan.questions),
        cells.format_labelled(plan.research.model_dump(), cells.RESEARCH_LABELS),
        cells.format_attendees(plan.attendees),
        cells.format_list(plan.concerns),
        plan.stage or "",
        cells.format_datetime(plan.updated_at),
    ]


def _debrief_cells(debrief: Debrief | None) -> list[str]:
    if debrief is None:
        return [""] * len(DEBRIEF_COLUMNS)
    return [
        debrief.outcome,
        cells.format_bool(debrief.best_met),
        cells.format_bool(debrief.fallback_met),
        cells.format_commitments(debrief.commitments),
        cells.format_labelled(debrief.learned.model_dump(), cells.LEARNED_LABELS),
        cells.format_list(debrief.completed_steps),
        cells.format_commitments(debrief.follow_ups),
        cells.format_date(debrief.next_call),
        cells.format_date(debrief.close_date_after),
        debrief.notes,
        cells.format_datetime(debrief.updated_at),
    ]


def _call_row(call: Call) -> list[str]:
    return [call.call_id, call.deal_id, call.rep_id, cells.format_date(call.date)] + _plan_cells(call.plan) + _debrief_cells(call.debrief)


def _close_date_rows(deals: Iterable[Deal]) -> Iterator[list[str]]:
    for deal in deals:
        for change in deal.close_date_history:
            yield [deal.deal_id, cells.format_date(change.changed_on), cells.format_date(change.close_date)]


def _write(path: Path, header: Sequence[str], rows: Iterable[list[str]]) -> None:
    # utf-8-sig: Excel opens the file with the right accents; callkit and pandas read it either way.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def write_team(out_dir: str | Path, reps: Sequence[Rep], deals: Sequence[Deal], calls: Sequence[Call]) -> list[Path]:
    """Write reps.csv, deals.csv, calls.csv and close_dates.csv into `out_dir` (created if needed)."""
    out = Path(out_dir)
    files = [out / "reps.csv", out / "deals.csv", out / "calls.csv", out / "close_dates.csv"]
    try:
        out.mkdir(parents=True, exist_ok=True)
        _write(files[0], REP_COLUMNS, (_rep_row(r) for r in reps))
        _write(files[1], DEAL_COLUMNS, (_deal_row(d) for d in deals))
        _write(files[2], CALL_COLUMNS, (_call_row(c) for c in calls))
        _write(files[3], CLOSE_DATE_COLUMNS, _close_date_rows(deals))
    except OSError as exc:
        raise WorkspaceError(out, f"cannot write the CSV files to {out} ({exc.strerror or exc}).") from None
    return files
