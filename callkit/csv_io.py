"""callkit's own CSV format (reps, deals, calls, close dates): one declarative column table per file.

The tables (REP_TABLE, DEAL_TABLE, CALL_TABLE, CLOSE_DATE_TABLE) say each column's header, the field it
holds and how a cell is read and written; `write_team` (callkit export) and the readers use the same
tables. Reps and deals are read through callkit.crm, like any CRM export (its "callkit" profile);
calls and close dates are read here. A bad row raises CsvImportError naming the file, the spreadsheet
row (header = row 1) and the column - or, with a Problems collector, is recorded for `--check`.
Cell syntaxes (dates, booleans, lists, research, learned, commitments, attendees) are in csv_cells.

calls.csv: the plan columns (objective, fallback, customer_value, agenda, agenda_shared, agenda_agreed,
agenda_agreed_on, planned_steps, questions, research, attendees, concerns, plan_stage, plan_updated_at) all blank
means the call had no plan; a blank ``outcome`` means it was not debriefed yet. ``rep_id`` is optional
and defaults to the deal's rep. close_dates.csv is the deals' close-date history (calls'
``close_date_after`` is kept with the debrief and does not add history).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, TypedDict, TypeVar, cast

from pydantic import BaseModel, ValidationError

from . import csv_cells as cells
from .crm.csvfile import check_row_width, parse_rows, read_csv_file, sniff_separator
from .exceptions import CsvImportError
from .models import (
    DEAL_STATUSES, Call, CallPlan, CloseDateChange, DealStatus, Debrief, ExerciseResult, Learned, Research, StageChange,
    friendly_errors,
)
from .process import SalesProcess

if TYPE_CHECKING:  # pragma: no cover
    from .crm.export import Problems

@dataclass(frozen=True)
class Column:
    """One column of callkit's CSV format: its header, the record field it holds, and how a cell is read and written.

    The same table drives `callkit import` (read) and `callkit export` (write), so the two cannot drift:
    export then import gives back the same records.
    """

    name: str
    read: Callable[[str], Any] = str.strip  # free text, trimmed
    write: Callable[[Any], str] = lambda value: "" if value is None else str(value)
    field: str = ""
    required: bool = False

    @property
    def attr(self) -> str:
        """The record field: `field`, else the header."""
        return self.field or self.name


def _research(text: str) -> dict[str, str]:
    return cells.parse_labelled(text, cells.RESEARCH_LABELS, unlabelled="notes")


def _learned(text: str) -> dict[str, str]:
    return cells.parse_labelled(text, cells.LEARNED_LABELS)


class CellSyntax(TypedDict):
    """How one kind of cell (a date, a yes/no, a list, ...) is read from text and written back."""

    read: Callable[[str], Any]
    write: Callable[[Any], str]


_DATE = CellSyntax(read=cells.parse_date, write=cells.format_date)
_BOOL = CellSyntax(read=cells.parse_bool, write=cells.format_bool)
_LIST = CellSyntax(read=cells.parse_list, write=cells.format_list)
_WHEN = CellSyntax(read=cells.parse_datetime, write=cells.format_datetime)
_PEOPLE = CellSyntax(read=cells.parse_commitments, write=cells.format_commitments)

REP_TABLE: tuple[Column, ...] = (
    Column("rep_id", required=True), Column("name", required=True), Column("email"), Column("team"), Column("manager"),
)
DEAL_TABLE: tuple[Column, ...] = (
    Column("deal_id", required=True), Column("rep_id", required=True), Column("account"), Column("name", required=True),
    Column("stage", required=True), Column("close_date", **_DATE),
    Column("amount", read=cells.parse_number, write=cells.format_number), Column("created", **_DATE),
    Column("status"), Column("closed_on", **_DATE), Column("lost_reason"),
)
PLAN_TABLE: tuple[Column, ...] = (
    Column("objective"), Column("fallback"), Column("customer_value"), Column("agenda", **_LIST),
    Column("agenda_shared", **_BOOL), Column("agenda_agreed", **_BOOL), Column("agenda_agreed_on", **_DATE),
    Column("planned_steps", **_LIST), Column("questions", **_LIST),
    Column("research", read=_research, write=lambda r: cells.format_labelled(r.model_dump(), cells.RESEARCH_LABELS)),
    Column("attendees", read=cells.parse_attendees, write=cells.format_attendees), Column("concerns", **_LIST),
    Column("plan_stage", field="stage"), Column("plan_updated_at", field="updated_at", **_WHEN),
)
DEBRIEF_TABLE: tuple[Column, ...] = (
    Column("outcome", read=cells.parse_outcome), Column("best_met", **_BOOL), Column("fallback_met", **_BOOL),
    Column("commitments", **_PEOPLE),
    Column("learned", read=_learned, write=lambda l: cells.format_labelled(l.model_dump(), cells.LEARNED_LABELS)),
    Column("completed_steps", **_LIST), Column("follow_ups", **_PEOPLE), Column("next_call", **_DATE),
    Column("close_date_after", **_DATE), Column("notes"), Column("debrief_updated_at", field="updated_at", **_WHEN),
)
CALL_TABLE: tuple[Column, ...] = (
    Column("call_id", required=True), Column("deal_id", required=True), Column("rep_id"),
    Column("date", required=True, **_DATE),
) + PLAN_TABLE + DEBRIEF_TABLE
CLOSE_DATE_TABLE: tuple[Column, ...] = (
    Column("deal_id", required=True), Column("changed_on", required=True, **_DATE),
    Column("close_date", required=True, **_DATE),
)
STAGE_CHANGE_TABLE: tuple[Column, ...] = (
    Column("deal_id", required=True), Column("changed_on", required=True, **_DATE), Column("stage", required=True),
    Column("status"),
)
_MAYBE = CellSyntax(read=cells.parse_optional_bool, write=cells.format_optional_bool)
_SCORE = CellSyntax(read=cells.parse_number, write=cells.format_number)
_COUNT = CellSyntax(read=cells.parse_count, write=str)
EXERCISE_TABLE: tuple[Column, ...] = (  # every field of ExerciseResult: a rebuilt workspace keeps each rep's progress
    Column("rep_id", required=True), Column("workbook", required=True), Column("item_id", required=True),
    Column("answer", read=lambda t: t), Column("score", **_SCORE), Column("passed", **_BOOL),
    Column("feedback", read=lambda t: t), Column("answered_at", **_WHEN), Column("attempt", **_COUNT),
    Column("try_number", **_COUNT), Column("after_help", **_BOOL), Column("reveals_key", **_BOOL),
    Column("first_passed", **_MAYBE), Column("first_score", **_SCORE), Column("best_passed", **_BOOL),
    Column("best_score", **_SCORE), Column("retry", **_BOOL),
)
DRAFT_TABLE: tuple[Column, ...] = (  # what a coach had typed but not saved yet, per browser (see callkit.ui.draft)
    Column("key", required=True), Column("updated_at", required=True), Column("data", required=True, read=lambda t: t),
)
TABLES = {"reps": REP_TABLE, "deals": DEAL_TABLE, "calls": CALL_TABLE, "close_dates": CLOSE_DATE_TABLE,
          "stage_changes": STAGE_CHANGE_TABLE, "exercise_results": EXERCISE_TABLE, "drafts": DRAFT_TABLE}
DAMAGED_COLUMNS = ("file", "record", "problem", "stored")

REP_COLUMNS = tuple(c.name for c in REP_TABLE)
DEAL_COLUMNS = tuple(c.name for c in DEAL_TABLE)
PLAN_COLUMNS = tuple(c.name for c in PLAN_TABLE)
DEBRIEF_COLUMNS = tuple(c.name for c in DEBRIEF_TABLE)
CALL_COLUMNS = tuple(c.name for c in CALL_TABLE)
CLOSE_DATE_COLUMNS = tuple(c.name for c in CLOSE_DATE_TABLE)
STAGE_CHANGE_COLUMNS = tuple(c.name for c in STAGE_CHANGE_TABLE)
REQUIRED = {kind: tuple(c.name for c in table if c.required) for kind, table in TABLES.items()}
COLUMNS = {kind: tuple(c.name for c in table) for kind, table in TABLES.items()}
_BOOL_COLUMNS = frozenset(c.name for c in CALL_TABLE if c.read is cells.parse_bool)
# model field -> the calls.csv column it comes from (for pydantic errors)
_FIELD_COLUMNS = {"call_date": "date", "updated_at": "plan_updated_at"}

T = TypeVar("T")
H = TypeVar("H")  # one change in a deal's history
M = TypeVar("M", bound=BaseModel)


@dataclass
class ImportSummary:
    """What an import did ({'reps': 8, 'deals': 40, 'updated': 3, ...}, see ImportPlan.summary) and its warnings."""

    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)


@dataclass
class KnownIds:
    """Ids already in the workspace, which an import must not repeat and may refer to."""

    reps: set[str] = field(default_factory=set)
    deal_reps: dict[str, str] = field(default_factory=dict)  # deal id -> its rep id
    calls: set[str] = field(default_factory=set)


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
    path, text = read_csv_file(path)
    separator, text = sniff_separator(text)
    records = [record for _, record in parse_rows(path, text, separator)]
    expected = ", ".join(REQUIRED[kind])
    if not records or not any(cell.strip() for cell in records[0]):
        raise CsvImportError(path, f"the file is empty: the first row must be a header with {expected}.", row=1)
    header = [_column_key(c) for c in records[0]]
    missing = [c for c in REQUIRED[kind] if c not in header]
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
    if separator != ",":
        table.warnings.append(f"{path.name}: read with {'tabs' if separator == chr(9) else repr(separator)} between columns.")
    unknown = [c for c in header if c and c not in COLUMNS[kind]]
    for column in unknown:
        table.warnings.append(f"{path.name}: column {column!r} is not a callkit column and was ignored.")
    unnamed_with_data = False
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank rows, as spreadsheets often leave at the end
        check_row_width(path, header, record, number)
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
    data: dict[str, Any] = {c.attr: row.parse(c.name, c.read) for c in PLAN_TABLE if c.name != "plan_stage"}
    data["research"] = _build(row, Research, data["research"], {k: "research" for k in cells.RESEARCH_LABELS})
    data["stage"] = _stage_id(row, process, "plan_stage") if row.raw("plan_stage") else None
    return _build(row, CallPlan, {"call_id": call_id, "deal_id": deal_id, "rep_id": rep_id, "call_date": call_date, **data})


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
    data: dict[str, Any] = {c.attr: row.parse(c.name, c.read) for c in DEBRIEF_TABLE}
    data["learned"] = _build(row, Learned, data["learned"], {k: "learned" for k in cells.LEARNED_LABELS})
    return _build(row, Debrief, {"call_id": call_id, **data}, {"updated_at": "debrief_updated_at"})


def _collect(problems: "Problems | None", rows: Iterable[Row], read: Callable[[Row], T]) -> list[T]:
    """Read every row; with `problems`, a bad row is recorded and skipped, else it raises at once."""
    out: list[T] = []
    for row in rows:
        try:
            out.append(read(row))
        except CsvImportError as exc:
            if problems is None:
                raise
            problems.add(exc)
    return out


def read_calls(table: Table, files: Mapping[str, str], known: KnownIds, process: SalesProcess,
               problems: "Problems | None" = None) -> list[Call]:
    """The calls of a calls.csv table; their deals and reps must be in the workspace or in this import."""
    seen: dict[str, int] = {}

    def one(row: Row) -> Call:
        call_id = row.required("call_id", "call")
        _check_new_id(row, "call_id", call_id, seen, known.calls)
        deal_id = row.required("deal_id", "call")
        if deal_id not in known.deal_reps:
            raise row.error(f"the deal id {deal_id!r} is not in {files['deals']} nor in the workspace.", "deal_id")
        rep_id = row.raw("rep_id") or known.deal_reps[deal_id]
        if rep_id not in known.reps:
            raise row.error(f"the rep id {rep_id!r} is not in {files['reps']} nor in the workspace.", "rep_id")
        call_date = row.required_date("date", "call")
        plan = _plan(row, call_id, deal_id, rep_id, call_date, process)
        debrief = _debrief(row, call_id)
        return Call(call_id=call_id, deal_id=deal_id, rep_id=rep_id, date=call_date, plan=plan, debrief=debrief)

    return _collect(problems, table.rows, one)


def read_close_dates(table: Table, deals_file: str, deal_ids: Iterable[str],
                     problems: "Problems | None" = None) -> dict[str, list[CloseDateChange]]:
    """A close_dates.csv table: each deal's close-date history, in file order."""
    def one(row: Row) -> CloseDateChange:
        return CloseDateChange(changed_on=row.required_date("changed_on", "close-date change"),
                               close_date=row.required_date("close_date", "close-date change"))

    return _deal_history(table, deals_file, deal_ids, problems, "close-date change", one)


def _deal_history(table: Table, deals_file: str, deal_ids: Iterable[str], problems: "Problems | None", what: str,
                  read: Callable[[Row], H]) -> dict[str, list[H]]:
    """Each deal's changes in a history file (close dates, stages), in file order; every deal must be known."""
    known = set(deal_ids)

    def one(row: Row) -> tuple[str, H]:
        deal_id = row.required("deal_id", what)
        if deal_id not in known:
            raise row.error(f"the deal id {deal_id!r} is not in {deals_file} nor in the workspace.", "deal_id")
        return deal_id, read(row)

    history: dict[str, list[H]] = {}
    for deal_id, change in _collect(problems, table.rows, one):
        history.setdefault(deal_id, []).append(change)
    return history


def read_exercise_results(table: Table, rep_ids: Iterable[str], reps_file: str,
                          problems: "Problems | None" = None) -> list[ExerciseResult]:
    """An exercise_results.csv table (callkit export): every saved answer, each rep in the workspace or this import."""
    known = set(rep_ids)

    def one(row: Row) -> ExerciseResult:
        rep_id = row.required("rep_id", "exercise answer")
        if rep_id not in known:
            raise row.error(f"the rep id {rep_id!r} is not in {reps_file} nor in the workspace.", "rep_id")
        data = {c.attr: row.parse(c.name, c.read) for c in EXERCISE_TABLE if c.name in row.table.header}
        data = {k: v for k, v in data.items() if v is not None or k in ("first_passed", "first_score", "best_score",
                                                                         "answered_at")}
        return _build(row, ExerciseResult, data)

    return _collect(problems, table.rows, one)


def read_drafts(table: Table, problems: "Problems | None" = None) -> list[tuple[str, dict, str]]:
    """A drafts.csv table (callkit export): (key, the form's fields, when they were typed) per draft."""
    import json

    seen: dict[str, int] = {}

    def one(row: Row) -> tuple[str, dict, str]:
        key = row.required("key", "draft")
        if key in seen:
            raise row.error(f"the draft {key!r} appears twice: first in row {seen[key]}.", "key")
        seen[key] = row.number
        when = row.parse("updated_at", cells.parse_datetime)
        try:
            data = json.loads(row.values.get("data", ""))
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise row.error("the data is not a draft as callkit exports it (the form's fields as JSON): "
                            "export the workspace again, or leave this row out.", "data")
        return key, data, row.raw("updated_at") if when else ""

    return _collect(problems, table.rows, one)


def read_stage_changes(table: Table, deals_file: str, deal_ids: Iterable[str], process: SalesProcess,
                       problems: "Problems | None" = None) -> dict[str, list[StageChange]]:
    """A stage_changes.csv table: each deal's stage history (the stage it was seen at, and open/won/lost), in file order."""
    def one(row: Row) -> StageChange:
        stage = _stage_id(row, process)
        status = (row.raw("status") or "open").strip().lower()
        if status not in DEAL_STATUSES:
            raise row.error(f"{row.raw('status')!r} is not a deal status: use open, won or lost.", "status")
        return StageChange(changed_on=row.required_date("changed_on", "stage change"), stage=stage,
                           status=cast(DealStatus, status))

    return _deal_history(table, deals_file, deal_ids, problems, "stage change", one)


def __getattr__(name: str) -> Any:
    """`write_team` (callkit export's writer) moved to callkit.csv_export; it is still importable from here."""
    if name == "write_team":
        from .csv_export import write_team

        return write_team
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
