"""Export: a workspace written as callkit's CSV files (the import format), with damaged records set aside."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..csv_export import write_team
from ..exceptions import DamagedRecordError
from ..models import Call
from .records import RecordReads


@dataclass
class ExportSummary:
    """What `callkit export` wrote: its files, a warning per record left out, and how many went to damaged.csv."""

    files: list[Path]
    warnings: list[str]
    damaged: int = 0


class Export(RecordReads):
    """Writing the workspace out as CSV files."""

    def export_csv(self, out_dir: str | Path) -> list[Path]:
        """Write the workspace as CSV files (the import format) into out_dir; see `export`. Returns the seven files in
        the order import_csv takes them (a damaged.csv is written beside them when some record could not be read)."""
        return [f for f in self.export(out_dir).files if f.name != "damaged.csv"]

    def export(self, out_dir: str | Path) -> ExportSummary:
        """Write reps.csv, deals.csv, calls.csv, close_dates.csv, stage_changes.csv, exercise_results.csv and drafts.csv
        (the import format) into out_dir.

        A record that cannot be read back (a damaged plan or debrief leaves its whole call out, so that importing the
        call again replaces it; a damaged exercise answer or draft) is left out with a warning naming it, and written
        as stored to damaged.csv beside the other files, instead of stopping the export.
        """
        damaged: list[tuple[str, str, str, str]] = []
        warnings: list[str] = []
        with self._read() as conn:
            reps, deals = self.reps(), self.deals()
            calls: list[Call] = []
            for row in conn.execute(f"{self._CALL_SQL} ORDER BY c.date, c.call_id"):
                try:
                    calls.append(self._call(row))
                except DamagedRecordError as exc:
                    stored = json.dumps({"call_id": row["call_id"], "deal_id": row["deal_id"], "rep_id": row["rep_id"],
                                         "date": row["date"], "plan": row["plan"], "debrief": row["debrief"]},
                                        ensure_ascii=False)
                    damaged.append(("calls.csv", f"call {row['call_id']}", f"its stored {exc.kind} is damaged "
                                    f"({exc.detail})", stored))
                    warnings.append(f"call {row['call_id']!r} was left out of calls.csv: its stored {exc.kind} is "
                                    f"damaged ({exc.detail}); it is in damaged.csv.")
            bad: list[DamagedRecordError] = []
            results = self.exercise_results(damaged=bad)
            for error in bad:
                damaged.append(("exercise_results.csv", f"exercise result {error.record_id}", error.detail, error.stored))
                warnings.append(f"the exercise result {error.record_id} was left out of exercise_results.csv: it is "
                                f"damaged ({error.detail}); it is in damaged.csv.")
            drafts: list[tuple[str, str, str]] = []
            for key, text, updated_at in conn.execute("SELECT key, json, updated_at FROM drafts ORDER BY key"):
                try:
                    data = json.loads(text)
                    if not isinstance(data, dict):
                        raise ValueError
                except ValueError:
                    damaged.append(("drafts.csv", f"draft {key}", "its text is not a draft's fields", text))
                    warnings.append(f"the draft {key!r} was left out of drafts.csv: it is damaged; it is in damaged.csv.")
                    continue
                drafts.append((key, json.dumps(data, ensure_ascii=False), updated_at))
        files = write_team(out_dir, reps, deals, calls, results, drafts, damaged)
        return ExportSummary(files=files, warnings=warnings, damaged=len(damaged))

