"""Agreement of the objective and customer-value rules with labelled examples, per column, before and after.

Usage: .venv/bin/python benchmarks/eval_scoring.py [--eval-dir DIR] [--misses] [--no-previous]

Reads the dev sets (../shared/eval/objectives_dev.csv and customer_value_dev.csv, or --eval-dir /
$CALLKIT_EVAL_DIR) and callkit's own labelled examples (tests/data/objectives_*.csv and
customer_value_*.csv). A blank label means "not labelled" and is not counted. For every file it
prints the agreement of today's rules and, in the same run, of the rules before issue 9 (loaded
from git, see previous_rules.py). The `*_check*.csv` files were written by coaches who never saw
the scorer's answers, and their misses are not printed: they estimate how the rules do on text
they were not tuned to. Then suggestion quality: the share of suggestions that pass callkit's own
advance, specific and realistic checks, and that keep the person the rep named. Prints figures; it
never fails.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
DATA = ROOT / "tests" / "data"
OBJECTIVE_COLUMNS = ("is_advance", "is_specific", "is_realistic")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _label(value: str | None) -> bool | None:
    value = (value or "").strip()
    return None if value == "" else value in ("1", "true", "yes")


def objective_agreement(rows: list[dict[str, str]], assess: Callable) -> dict[str, tuple[int, int, list[str]]]:
    """Per column: (agreeing, labelled, misses as printable lines)."""
    out: dict[str, tuple[int, int, list[str]]] = {c: (0, 0, []) for c in OBJECTIVE_COLUMNS}
    for row in rows:
        stage = (row.get("stage") or "").strip() or None
        a = assess(row["text"], stage=stage)
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


def value_agreement(rows: list[dict[str, str]], assess: Callable) -> dict[str, tuple[int, int, list[str]]]:
    ok, n, misses = 0, 0, []
    for row in rows:
        want = _label(row.get("is_customer_centric"))
        if want is None:
            continue
        got = assess(row["text"]).is_customer_centric
        n += 1
        if got == want:
            ok += 1
        else:
            misses.append(f'    "{row["text"]}": expected {int(want)}, got {got}')
    return {"is_customer_centric": (ok, n, misses)}


def suggestion_quality(rows: list[dict[str, str]]) -> tuple[int, int, int, int]:
    """(suggestions, passing callkit's own checks, originals naming a client person, suggestions keeping that person)."""
    from callkit.scoring.lexicon import default_lexicon
    from callkit.scoring.objective import assess_objective
    from callkit.scoring.objective.parse import ObjectiveReader

    lex = default_lexicon()
    made = passing = named = kept = 0
    for row in rows:
        stage = (row.get("stage") or "").strip() or None
        a = assess_objective(row["text"], stage=stage)
        if a.suggestion is None:
            continue
        made += 1
        again = assess_objective(a.suggestion, stage=stage)
        passing += again.is_advance and again.is_specific and again.is_realistic is not False
        reader = ObjectiveReader(lex, lex.read(row["text"]))
        span = reader.party_span(0, reader.n)
        if span is None:
            continue
        words = [w for w in reader.orig[span[0]:span[1]] if w.lower() not in ("the", "a", "an", "their", "her", "his")]
        if not words or words[-1].lower() in lex.generic_client_words:
            continue
        named += 1
        kept += words[-1].lower().removesuffix("'s") in a.suggestion.lower()
    return made, passing, named, kept


def _share(ok: int, n: int) -> str:
    return f"{100 * ok / n:5.1f}% ({ok}/{n})" if n else "  n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", default=os.environ.get("CALLKIT_EVAL_DIR", str(DEFAULT_EVAL)))
    parser.add_argument("--misses", action="store_true", help="print the misses of the sets the rules were tuned on")
    parser.add_argument("--no-previous", action="store_true", help="skip the rules before issue 9")
    args = parser.parse_args(argv)

    from callkit.scoring.objective import assess_objective
    from callkit.scoring.value import assess_customer_value

    previous = None
    if not args.no_previous:
        from previous_rules import BASELINE, previous

        previous = previous()
        print(f"previous rules: commit {BASELINE}" if previous else "previous rules: not available (no git history here)")
    eval_dir = Path(args.eval_dir)
    files = [eval_dir / "objectives_dev.csv", eval_dir / "customer_value_dev.csv",
             *sorted(DATA.glob("objectives_*.csv")), *sorted(DATA.glob("customer_value_*.csv"))]
    objective_rows: list[dict[str, str]] = []
    pooled: dict[str, list[int]] = {}  # held-out column -> [ok now, ok before, rows]
    weakest: dict[str, tuple[float, str]] = {}
    for path in files:
        if not path.exists():
            print(f"{path}: not found, skipped")
            continue
        rows = _rows(path)
        is_objective = path.name.startswith("objectives")
        held_out = "_check" in path.name
        now = (objective_agreement if is_objective else value_agreement)(
            rows, assess_objective if is_objective else assess_customer_value)
        before = None
        if previous is not None:
            before = (objective_agreement if is_objective else value_agreement)(rows, previous[0] if is_objective else previous[1])
        print(f"\n{path.name} ({len(rows)} rows{', held out: never tuned on' if held_out else ''})")
        print(f"  {'column':<20} {'now':>18}   {'before issue 9':>18}")
        for col, (ok, n, misses) in now.items():
            was = _share(*before[col][:2]) if before else ""
            print(f"  {col:<20} {_share(ok, n):>18}   {was:>18}")
        if held_out:
            for col, (ok, n, _) in now.items():
                tally = pooled.setdefault(col, [0, 0, 0])
                tally[0] += ok
                tally[1] += before[col][0] if before else 0
                tally[2] += n
                if n and (col not in weakest or ok / n < weakest[col][0]):
                    weakest[col] = (ok / n, path.name)
        if args.misses and not held_out:
            for col, (_, _, misses) in now.items():
                for line in misses:
                    print(f"{col}: {line.strip()}")
        if is_objective:
            objective_rows.extend(rows)
    if pooled:
        print("\nall held-out (*_check*) rows together")
        print(f"  {'column':<20} {'now':>18}   {'before issue 9':>18}   weakest set now")
        for col, (ok, was, n) in pooled.items():
            low, name = weakest[col]
            print(f"  {col:<20} {_share(ok, n):>18}   {_share(was, n) if previous else '':>18}   "
                  f"{100 * low:.1f}% ({name})")
    made, passing, named, kept = suggestion_quality(objective_rows)
    print(f"\nsuggestions over all labelled objectives: {made}")
    print(f"  pass callkit's own advance, specific and realistic checks: {_share(passing, made)}")
    print(f"  keep the client person the rep named:                     {_share(kept, named)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
