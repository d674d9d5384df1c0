"""Writing callkit's CSV files (`callkit export`): the same column tables as the import (callkit.csv_io), so
export then import gives back the same records."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from . import csv_cells as cells
from .crm.csvfile import neutralise_cell
from .csv_io import (
    CALL_COLUMNS, CLOSE_DATE_COLUMNS, COLUMNS, DAMAGED_COLUMNS, DEAL_COLUMNS, DEAL_TABLE, DEBRIEF_TABLE, EXERCISE_TABLE,
    PLAN_TABLE, REP_COLUMNS, REP_TABLE, STAGE_CHANGE_COLUMNS, Column,
)
from .exceptions import WorkspaceError
from .models import Call, Deal, ExerciseResult, Rep


def _cells(record: Any, table: Sequence[Column]) -> list[str]:
    """A record's cells in `table`'s order ('' for every column of a missing plan or debrief)."""
    if record is None:
        return [""] * len(table)
    return [c.write(getattr(record, c.attr)) for c in table]


def _call_row(call: Call) -> list[str]:
    return [call.call_id, call.deal_id, call.rep_id, cells.format_date(call.date)] + _cells(call.plan, PLAN_TABLE) \
        + _cells(call.debrief, DEBRIEF_TABLE)


def _close_date_rows(deals: Iterable[Deal]) -> Iterator[list[str]]:
    for deal in deals:
        for change in deal.close_date_history:
            yield [deal.deal_id, cells.format_date(change.changed_on), cells.format_date(change.close_date)]


def _stage_change_rows(deals: Iterable[Deal]) -> Iterator[list[str]]:
    for deal in deals:
        for change in deal.stage_history:
            yield [deal.deal_id, cells.format_date(change.changed_on), change.stage, change.status]


def _write(path: Path, header: Sequence[str], rows: Iterable[list[str]]) -> None:
    # utf-8-sig: Excel opens the file with the right accents; callkit and pandas read it either way.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows([neutralise_cell(cell) for cell in row] for row in rows)


def _exercise_rows(results: Iterable[ExerciseResult]) -> Iterator[list[str]]:
    for result in results:
        yield _cells(result, EXERCISE_TABLE)


def write_team(out_dir: str | Path, reps: Sequence[Rep], deals: Sequence[Deal], calls: Sequence[Call],
               exercise_results: Sequence[ExerciseResult] = (), drafts: Sequence[tuple[str, str, str]] = (),
               damaged: Sequence[tuple[str, str, str, str]] = ()) -> list[Path]:
    """Write reps.csv, deals.csv, calls.csv, close_dates.csv, stage_changes.csv, exercise_results.csv and drafts.csv
    (drafts: (key, JSON text, updated_at)) into `out_dir` (created if needed), and damaged.csv when `damaged` has rows
    ((file, record, problem, stored text)); a damaged.csv of an earlier export there is removed."""
    out = Path(out_dir)
    names = ("reps", "deals", "calls", "close_dates", "stage_changes", "exercise_results", "drafts")
    files = [out / f"{name}.csv" for name in names]
    try:
        out.mkdir(parents=True, exist_ok=True)
        _write(files[0], REP_COLUMNS, (_cells(r, REP_TABLE) for r in reps))
        _write(files[1], DEAL_COLUMNS, (_cells(d, DEAL_TABLE) for d in deals))
        _write(files[2], CALL_COLUMNS, (_call_row(c) for c in calls))
        _write(files[3], CLOSE_DATE_COLUMNS, _close_date_rows(deals))
        _write(files[4], STAGE_CHANGE_COLUMNS, _stage_change_rows(deals))
        _write(files[5], COLUMNS["exercise_results"], _exercise_rows(exercise_results))
        _write(files[6], COLUMNS["drafts"], ([key, updated_at, data] for key, data, updated_at in drafts))
        damaged_file = out / "damaged.csv"
        if damaged:
            _write(damaged_file, DAMAGED_COLUMNS, (list(row) for row in damaged))
            files.append(damaged_file)
        else:
            damaged_file.unlink(missing_ok=True)
    except OSError as exc:
        raise WorkspaceError(out, f"cannot write the CSV files to {out} ({exc.strerror or exc}): choose a folder you "
                                  "can write to with --out.") from None
    return files
