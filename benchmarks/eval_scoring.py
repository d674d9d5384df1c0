"""Agreement of the objective and customer-value rules with labelled examples, per column, with the misses.

Usage: .venv/bin/python benchmarks/eval_scoring.py [--eval-dir DIR] [--quiet]

Reads the dev sets (../shared/eval/objectives_dev.csv and customer_value_dev.csv, or --eval-dir /
$CALLKIT_EVAL_DIR) and callkit's own labelled examples (tests/data/*_extra.csv). A blank label
means "not labelled" and is not counted. Prints ratios; it never fails.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

from callkit.scoring.objective import assess_objective
from callkit.scoring.value import assess_customer_value

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
OBJECTIVE_COLUMNS = ("is_advance", "is_specific", "is_realistic")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _label(value: str | None) -> bool | None:
    value = (value or "").strip()
    return None if value == "" else value in ("1", "true", "yes")


def evaluate_objectives(path: Path) -> dict[str, tuple[int, int, list[str]]]:
    """Per column: (agreeing, labelled, misses as printable lines)."""
    out = {c: (0, 0, []) for c in OBJECTIVE_COLUMNS}
    for row in _rows(path):
        stage = (row.get("stage") or "").strip() or None
        a = assess_objective(row["text"], stage=stage)
        got = {"is_advance": a.is_advance, "is_specific": a.is_specific, "is_realistic": a.is_realistic}
        for col in OBJECTIVE_COLUMNS:
            want = _label(row.get(col))
            if want is None:
                continue
            ok, n, misses = out[col]
            if got[col] == want:
                ok += 1
            else:
                misses.append(f'    "{row["text"]}" [{stage}]: expected {int(want)}, got {got[col]}'
                              + (f" (implied stage {a.implied_stage})" if col == "is_realistic" else ""))
            out[col] = (ok, n + 1, misses)
    return out


def evaluate_values(path: Path) -> dict[str, tuple[int, int, list[str]]]:
    ok, n, misses = 0, 0, []
    for row in _rows(path):
        want = _label(row.get("is_customer_centric"))
        if want is None:
            continue
        got = assess_customer_value(row["text"]).is_customer_centric
        n += 1
        if got == want:
            ok += 1
        else:
            misses.append(f'    "{row["text"]}": expected {int(want)}, got {got}')
    return {"is_customer_centric": (ok, n, misses)}


def _report(title: str, results: dict[str, tuple[int, int, list[str]]], quiet: bool) -> None:
    print(title)
    for col, (ok, n, misses) in results.items():
        share = f"{100 * ok / n:5.1f}%" if n else "  n/a"
        print(f"  {col:<20} {share}  ({ok}/{n})")
        if not quiet:
            for line in misses:
                print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", default=os.environ.get("CALLKIT_EVAL_DIR", str(DEFAULT_EVAL)))
    parser.add_argument("--quiet", action="store_true", help="figures only, no misses")
    args = parser.parse_args(argv)
    eval_dir = Path(args.eval_dir)
    sets = [
        ("objectives dev", eval_dir / "objectives_dev.csv", evaluate_objectives),
        ("customer value dev", eval_dir / "customer_value_dev.csv", evaluate_values),
        ("objectives extra (tests/data)", ROOT / "tests" / "data" / "objectives_extra.csv", evaluate_objectives),
        ("customer value extra (tests/data)", ROOT / "tests" / "data" / "customer_value_extra.csv", evaluate_values),
    ]
    for title, path, fn in sets:
        if not path.exists():
            print(f"{title}: {path} not found, skipped")
            continue
        _report(f"{title} ({path.name})", fn(path), args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
