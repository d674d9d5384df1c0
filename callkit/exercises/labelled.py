"""Labelled answers: a CSV of (workbook, item id, answer, expected, why) that says how a sales trainer judges answers.

A coach can write one for their own items and see where the checks disagree (`agreement(...)`). The answer
column uses one line per answer, in the notation of the item's kind:

- classify: the category key (advance, continuation, seller_action, order, no_sale)
- objective: the rewrite as typed
- value: the text as typed; "[reschedule]" first when the reschedule box is ticked
- compress: the ticked activities, separated by ";"
- debrief: "outcome | who | what | by (YYYY-MM-DD or blank) | topics a coach would still ask, comma separated"

`expected` is pass, fail or blank (nothing to judge: not saved).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..exceptions import ExerciseItemsError
from .items import Workbook, load_workbook
from .kinds import CheckContext, get_kind
from .results import CheckResult

EXPECTED = ("pass", "fail", "blank")
COLUMNS = ("workbook", "item_id", "answer", "expected", "why")


@dataclass(frozen=True)
class LabelledAnswer:
    """One labelled answer: which item, the answer in the kind's notation, what a trainer expects, and why."""

    row: int  # as a spreadsheet shows it (the header is row 1)
    workbook: str
    item_id: str
    answer: str
    expected: str
    why: str


def read_labelled(path: str | Path) -> list[LabelledAnswer]:
    """Read a labelled answers file; a bad row raises ExerciseItemsError naming the row."""
    path = Path(path)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS[:4] if c not in (reader.fieldnames or [])]
        if missing:
            raise ExerciseItemsError(path, f"the file needs the columns {', '.join(COLUMNS)} (missing: {', '.join(missing)}).")
        rows = []
        for n, raw in enumerate(reader, start=2):
            expected = (raw.get("expected") or "").strip().lower()
            if expected not in EXPECTED:
                raise ExerciseItemsError(path, f"row {n}: expected must be pass, fail or blank, not {expected!r}.")
            rows.append(LabelledAnswer(n, raw["workbook"].strip(), raw["item_id"].strip(), raw.get("answer") or "",
                                       expected, (raw.get("why") or "").strip()))
    return rows


def verdict(result: CheckResult) -> str:
    """pass, fail or blank: what a check said, in the labelled file's words."""
    return "blank" if result.blank else ("pass" if result.passed else "fail")


Judge = Callable[[LabelledAnswer], "str | None"]  # a verdict, or None when the judge has no such item


def current_judge(ctx: CheckContext | None = None) -> Judge:
    """Today's checks as a judge of labelled rows."""
    ctx = ctx or CheckContext()
    books: dict[str, Workbook] = {}

    def judge(row: LabelledAnswer) -> str | None:
        book = books.get(row.workbook) or books.setdefault(row.workbook, load_workbook(row.workbook, process=ctx.process))
        try:
            item = book.item(row.item_id)
        except KeyError:
            return None
        kind = get_kind(book.kind)
        return verdict(kind.check(item, kind.coerce(kind.from_notation(row.answer)), ctx))

    return judge


@dataclass(frozen=True)
class Agreement:
    """How often a judge agrees with the labels: overall and per workbook, and the rows where it does not."""

    agreed: int
    judged: int
    by_workbook: dict[str, tuple[int, int]]
    misses: tuple[tuple[LabelledAnswer, str], ...]
    not_judged: int = 0  # rows whose item the judge does not have

    @property
    def share(self) -> float:
        return self.agreed / self.judged if self.judged else 0.0


def agreement(rows: Iterable[LabelledAnswer], judge: Judge) -> Agreement:
    """Run the judge on every row and count agreement with the labels."""
    agreed = judged = skipped = 0
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for row in rows:
        said = judge(row)
        if said is None:
            skipped += 1
            continue
        judged += 1
        per[row.workbook][1] += 1
        if said == row.expected:
            agreed += 1
            per[row.workbook][0] += 1
        else:
            misses.append((row, said))
    return Agreement(agreed, judged, {k: (v[0], v[1]) for k, v in sorted(per.items())}, tuple(misses), skipped)
