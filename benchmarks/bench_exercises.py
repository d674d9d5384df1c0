"""How often the exercise checks agree with a sales trainer's labels: today's checks beside the checks before issue 12.

    .venv/bin/python benchmarks/bench_exercises.py [--misses] [FILE.csv ...]

Reads tests/data/exercise_answers.csv (written before the checks changed) and
tests/data/exercise_answers_more.csv (written after, to probe answers of the same kind), or the files given.
The previous checks are callkit/exercises/{items,checks}.py and callkit/data/exercises/*.yaml of commit
BASELINE, loaded from git under private names; they judge with today's scoring rules, so the difference
is the checks' own. A row the previous workbook could not take (an item it did not have, an outcome
button it did not offer) is left out of "before" and counted apart. Prints ratios, not pass/fail.
"""

from __future__ import annotations

import sys
import types
from datetime import date
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from callkit.exercises.labelled import Agreement, LabelledAnswer, agreement, current_judge, read_labelled  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from previous_rules import git_show, load_module  # noqa: E402

BASELINE = "adec225"  # the last commit with the exercise checks before issue 12
FILES = [ROOT / "tests" / "data" / "exercise_answers.csv", ROOT / "tests" / "data" / "exercise_answers_more.csv"]
_OLD_LABELS = {"seller_action": "not_client_action"}  # the previous workbook's name for the same button


def _show(path: str) -> str | None:
    return git_show(path, BASELINE)


def _load(name: str, source: str) -> types.ModuleType:
    return load_module(name, source, "callkit.exercises", BASELINE)


def previous_judge() -> Callable[[LabelledAnswer], str | None] | None:
    """The checks of BASELINE as a judge of labelled rows, or None when git cannot give them."""
    items_src = _show("callkit/exercises/items.py")
    checks_src = _show("callkit/exercises/checks.py")
    if items_src is None or checks_src is None:
        return None
    import yaml

    old_items = _load("_previous_items", items_src)
    old_checks = _load("_previous_checks", checks_src.replace("from .items import", "from ._previous_items import"))
    books: dict[str, Any] = {}

    def book(workbook: str) -> Any:
        if workbook not in books:
            text = _show(f"callkit/data/exercises/{workbook}.yaml")
            books[workbook] = None if text is None else old_items.parse_workbook(yaml.safe_load(text), f"{workbook}.yaml")
        return books[workbook]

    def judge(row: LabelledAnswer) -> str | None:
        wb = book(row.workbook)
        if wb is None or row.item_id not in wb.item_ids:
            return None
        item = wb.item(row.item_id)
        answer: Any
        if wb.kind == "classify":
            answer = _OLD_LABELS.get(row.answer.strip(), row.answer.strip())
            if answer not in old_checks.LABELS:
                return None  # the previous workbook had no button for it (order, no sale)
        elif wb.kind == "objective":
            answer = row.answer
        elif wb.kind == "value":
            text = row.answer.strip()
            mark = "[reschedule]"
            answer = (old_checks.ValueAnswer(text[len(mark):].strip(), True) if text.lower().startswith(mark)
                      else old_checks.ValueAnswer(row.answer))
        elif wb.kind == "compress":
            answer = [a.strip() for a in row.answer.split(";") if a.strip()]
        else:
            parts = [p.strip() for p in row.answer.split("|")] + [""] * 5
            outcome, who, what, by, ask = parts[:5]
            answer = old_checks.DebriefAnswer(outcome or None, who, what, date.fromisoformat(by) if by else None,
                                              tuple(t.strip() for t in ask.split(",") if t.strip()))
        result = old_checks.check_answer(item, answer)
        return "blank" if result.blank else ("pass" if result.passed else "fail")

    return judge


def _pct(agreed: int, judged: int) -> str:
    return f"{agreed / judged:6.1%} ({agreed}/{judged})" if judged else "     -"


def _print(title: str, now: Agreement, now_common: Agreement | None, before: Agreement | None) -> None:
    print(f"\n{title}")
    print(f"  {'workbook':34} {'before':>16} {'now, same rows':>16} {'now, all rows':>16}")
    books = sorted(now.by_workbook)
    for wb in books + ["overall"]:
        if wb == "overall":
            b = (before.agreed, before.judged) if before else None
            c = (now_common.agreed, now_common.judged) if now_common else None
            a = (now.agreed, now.judged)
        else:
            b = before.by_workbook.get(wb) if before else None
            c = now_common.by_workbook.get(wb) if now_common else None
            a = now.by_workbook[wb]
        print(f"  {wb:34} {_pct(*b) if b else '     -':>16} {_pct(*c) if c else '     -':>16} {_pct(*a):>16}")
    if before is not None and before.not_judged:
        print(f"  ({before.not_judged} rows left out of 'before': items or buttons the previous workbooks did not have)")


def main(argv: list[str]) -> int:
    show_misses = "--misses" in argv
    files = [Path(a) for a in argv if not a.startswith("--")] or [f for f in FILES if f.exists()]
    old = previous_judge()
    if old is None:
        print(f"(the previous checks of commit {BASELINE} are not available from git: 'before' is left out)")
    now_judge = current_judge()
    for path in files:
        rows = read_labelled(path)
        now = agreement(rows, now_judge)
        before = now_common = None
        if old is not None:
            verdicts = {r.row: old(r) for r in rows}
            common = [r for r in rows if verdicts[r.row] is not None]
            before = agreement(rows, lambda r: verdicts[r.row])
            now_common = agreement(common, now_judge)
        _print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {len(rows)} labelled answers",
               now, now_common, before)
        if show_misses:
            for row, said in now.misses:
                print(f"    row {row.row}: {row.item_id} expected {row.expected}, the check says {said}: {row.answer[:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
