"""Speed of importing a real-sized CRM export: prints figures, not pass/fail.

An export shaped like the public Maven "CRM Sales Opportunities" data set (8,800 opportunities, 35 sales
agents, 6 managers; blank accounts and close dates on early deals; see tests/crm_exports.py) is imported into
a new workspace with its mapping file, then the same 8,800 opportunities a week later (some engaged, won or
lost) are imported on top: the weekly refresh. Each import (`callkit import`'s work: read, check, plan, write
in one transaction with its snapshot) is timed, target under 5 s each on a 2-core machine, and set against a
baseline measured in the same run: the same file read with a plain `csv.DictReader` and written with one
`executemany` into a bare table, no checks, no mapping, no history.

Run: .venv/bin/python benchmarks/bench_import.py [--deals 8800] [--repeats 3]
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from crm_exports import maven_next_week, maven_pipeline  # noqa: E402

from callkit.workspace import Workspace  # noqa: E402

TARGET_S = 5.0


def baseline(path: Path, db: Path) -> float:
    """Seconds to read the export with csv.DictReader and write it with executemany: the floor for any import."""
    t0 = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as fh:
        rows = [(r["opportunity_id"], r["sales_agent"], r["account"], r["product"], r["deal_stage"], r["engage_date"],
                 r["close_date"], r["close_value"]) for r in csv.DictReader(fh)]
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("CREATE TABLE IF NOT EXISTS deals (deal_id TEXT PRIMARY KEY, rep TEXT, account TEXT, name TEXT, "
                     "stage TEXT, created TEXT, close_date TEXT, amount TEXT)")
        conn.executemany("INSERT OR REPLACE INTO deals VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.close()
    return time.perf_counter() - t0


def one_round(folder: Path, files: dict[str, Path], next_week: Path) -> tuple[float, float, float, dict[str, int]]:
    """(first import s, weekly refresh s, baseline s, refresh summary) in a new workspace."""
    folder.mkdir(parents=True)
    base = baseline(files["deals"], folder / "baseline.sqlite")
    with Workspace.create(folder / "ws") as ws:
        t0 = time.perf_counter()
        first = ws.import_files(files["deals"], reps=files["reps"], columns=files["columns"])
        t1 = time.perf_counter()
        refresh = ws.import_files(next_week, reps=files["reps"], columns=files["columns"])
        t2 = time.perf_counter()
    assert first.summary["deals"] > 0 and not refresh.problems
    return t1 - t0, t2 - t1, base, refresh.summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=8800)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        files = maven_pipeline(tmp_path / "export", n=args.deals)
        next_week = maven_next_week(files["deals"], tmp_path / "export" / "sales_pipeline_next_week.csv")
        rounds = [one_round(tmp_path / f"run{i}", files, next_week) for i in range(args.repeats)]
    first = statistics.median(r[0] for r in rounds)
    refresh = statistics.median(r[1] for r in rounds)
    base = statistics.median(r[2] for r in rounds)
    summary = rounds[0][3]
    n = args.deals
    print(f"{n:,} deals, 35 agents, median of {args.repeats} runs (2-core target: under {TARGET_S:.0f} s each)")
    print(f"  first import:   {first:6.2f} s  {n / first:9,.0f} deals/s  {first / base:5.1f}x the baseline  "
          f"{'OK' if first < TARGET_S else 'SLOWER THAN TARGET'}")
    print(f"  weekly refresh: {refresh:6.2f} s  {n / refresh:9,.0f} deals/s  {refresh / base:5.1f}x the baseline  "
          f"{'OK' if refresh < TARGET_S else 'SLOWER THAN TARGET'}")
    print(f"  baseline (csv.DictReader + executemany, no checks): {base:6.3f} s  {n / base:9,.0f} deals/s")
    print("  refresh found: " + ", ".join(f"{v:,} {k}" for k, v in summary.items()
                                          if k in ("updated", "unchanged", "slipped", "won", "lost", "disappeared")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
