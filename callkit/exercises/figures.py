"""One honest score: the figures the progress strip, the summary and the coach's report all show.

Per item, in one round (attempt) of a workbook:
- **right first time**: the first check of the item passed;
- **passed**: a check passed before the feedback had shown the answer (right first time, or later on
  the rep's own);
- **passed after help**: it passed only after an earlier feedback had shown the answer (the right label,
  a suggestion that passes, the coach's version);
- **best score**: the best score before help (checks after help do not raise it).

Per workbook: answered, right first time, passed, passed after help, not passed, **first-try accuracy**
(right first time / answered) and the average best score. Every screen and report takes these from
`workbook_figures`, so they never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..models import ExerciseResult
from ..text import counted

PASSED, AFTER_HELP, NOT_PASSED, OPEN = "passed", "passed after help", "not passed", "not answered"


@dataclass(frozen=True)
class ItemFigures:
    """One item in one round: its tries and what they add up to."""

    item_id: str
    tries: int
    first_passed: bool
    first_score: float
    best_score: float  # before help
    passed: bool  # passed without help
    passed_after_help: bool
    first: ExerciseResult
    last: ExerciseResult

    @property
    def status(self) -> str:
        """passed, passed after help or not passed."""
        return PASSED if self.passed else (AFTER_HELP if self.passed_after_help else NOT_PASSED)


def item_figures(tries: Sequence[ExerciseResult]) -> ItemFigures:
    """The figures of one item from its tries in one round, oldest first (at least one)."""
    if not tries:
        raise ValueError("an item's figures need at least one try")
    helped = False
    best = 0.0
    passed = after_help = False
    for result in tries:
        helped = helped or result.after_help
        if helped:
            after_help = after_help or result.passed
        else:
            best = max(best, result.score)
            passed = passed or result.passed
        helped = helped or result.reveals_key
    first = tries[0]
    return ItemFigures(first.item_id, len(tries), first.passed, first.score, best, passed,
                       after_help and not passed, first, tries[-1])


@dataclass(frozen=True)
class WorkbookFigures:
    """One round of one workbook: how many items were answered, right first time, passed, passed after help."""

    workbook: str
    attempt: int
    total: int | None  # items in the workbook, when known
    items: dict[str, ItemFigures]

    @property
    def answered(self) -> int:
        return len(self.items)

    @property
    def first_try(self) -> int:
        """Items right first time."""
        return sum(f.first_passed for f in self.items.values())

    @property
    def passed(self) -> int:
        """Items passed without help (right first time included)."""
        return sum(f.passed for f in self.items.values())

    @property
    def passed_after_help(self) -> int:
        return sum(f.passed_after_help for f in self.items.values())

    @property
    def not_passed(self) -> int:
        return self.answered - self.passed - self.passed_after_help

    @property
    def accuracy(self) -> float | None:
        """First-try accuracy: right first time / answered (None before any answer)."""
        return self.first_try / self.answered if self.answered else None

    @property
    def best_average(self) -> float | None:
        """The average best score (before help) over the answered items."""
        return sum(f.best_score for f in self.items.values()) / self.answered if self.answered else None

    @property
    def missed(self) -> list[str]:
        """The items not right first time, in the order they were first answered."""
        return [i for i, f in self.items.items() if not f.first_passed]

    def status(self, item_id: str) -> str:
        """passed, passed after help, not passed or not answered."""
        found = self.items.get(item_id)
        return found.status if found else OPEN

    def strip_text(self) -> str:
        """The progress strip's line: '5 of 14 done: 3 right first time, 4 passed, 1 after help'."""
        of = f" of {self.total}" if self.total else ""
        text = f"{self.answered}{of} done: {self.first_try} right first time, {self.passed} passed"
        if self.passed_after_help:
            text += f", {self.passed_after_help} after help"
        return text

    def sentence(self) -> str:
        """The summary's sentence, with the same figures as the strip and the coach's report."""
        if not self.answered:
            return "Nothing answered yet in this round."
        of = f" of {self.total}" if self.total else ""
        parts = [f"You answered {self.answered}{of} items: {self.first_try} right first time "
                 f"({self.accuracy:.0%} first-try accuracy), {self.passed} passed"]
        if self.passed_after_help:
            parts.append(f"{self.passed_after_help} passed after help")
        if self.not_passed:
            parts.append(f"{self.not_passed} not passed yet")
        return ", ".join(parts) + f". Your average best score is {self.best_average:.0%}."

    def as_row(self) -> dict:
        """Plain data for a report: the figures, with the words they are shown with."""
        return {
            "workbook": self.workbook, "attempt": self.attempt, "total": self.total, "answered": self.answered,
            "first_try": self.first_try, "passed": self.passed, "passed_after_help": self.passed_after_help,
            "not_passed": self.not_passed, "accuracy": self.accuracy, "best_average": self.best_average,
            "missed": len(self.missed),
        }


def _rounds(results: Iterable[ExerciseResult]) -> dict[str, dict[int, dict[str, list[ExerciseResult]]]]:
    """workbook -> attempt -> item -> tries (oldest first, in the order given)."""
    out: dict[str, dict[int, dict[str, list[ExerciseResult]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for r in results:
        out[r.workbook][r.attempt][r.item_id].append(r)
    return out


def workbook_figures(results: Iterable[ExerciseResult], workbook: str | None = None, *, attempt: int | None = None,
                     item_ids: Sequence[str] | None = None, total: int | None = None) -> WorkbookFigures:
    """The figures of one workbook's round (the latest round unless `attempt` is given), from saved results.

    `results` may hold several workbooks (then name `workbook`) and rounds, oldest first as the workspace
    returns them. `item_ids` keeps only the workbook's current items; `total` is how many it has.
    """
    rows = list(results)
    books = _rounds(rows)
    if workbook is None:
        names = sorted(books)
        if len(names) > 1:
            raise ValueError("these results are from several workbooks: name the workbook")
        workbook = names[0] if names else ""
    rounds = books.get(workbook, {})
    chosen = attempt if attempt is not None else max(rounds, default=1)
    items = rounds.get(chosen, {})
    keep = set(item_ids) if item_ids is not None else None
    figures = {i: item_figures(t) for i, t in items.items() if keep is None or i in keep}
    if total is None and item_ids is not None:
        total = len(item_ids)
    return WorkbookFigures(workbook, chosen, total, figures)


def figures_by_workbook(results: Iterable[ExerciseResult], totals: dict[str, int] | None = None) -> dict[str, WorkbookFigures]:
    """Every workbook the results touch, its latest round's figures; `totals` gives each workbook's item count."""
    rows = list(results)
    totals = totals or {}
    return {wb: workbook_figures(rows, wb, total=totals.get(wb)) for wb in sorted({r.workbook for r in rows})}


@dataclass(frozen=True)
class MissedItem:
    """An item the rep did not get right first time: what they answered first, and where it stands now."""

    workbook: str
    item_id: str
    first_answer: str
    first_feedback: str
    last_answer: str
    status: str  # passed (later, on their own), passed after help, not passed
    tries: int


def missed_items(results: Iterable[ExerciseResult], workbook: str | None = None) -> list[MissedItem]:
    """The items not right first time in each workbook's latest round (or one workbook's), with the answers given."""
    rows = list(results)
    books = [workbook] if workbook else sorted({r.workbook for r in rows})
    out = []
    for wb in books:
        figures = workbook_figures(rows, wb)
        for item_id in figures.missed:
            f = figures.items[item_id]
            out.append(MissedItem(wb, item_id, f.first.answer, f.first.feedback, f.last.answer, f.status, f.tries))
    return out


def describe_tries(n: int) -> str:
    """'once', '3 times'."""
    return "once" if n == 1 else counted(n, "time")


def report_data(results: Iterable[ExerciseResult], workspace: "str | object | None" = None) -> dict:
    """What the coach's report shows of one rep's exercises, from their saved results (any order of workbooks).

    `workbooks`: one row per workbook touched, latest round - title, items, answered, right first time,
    first-try accuracy (0..1 or None), passed, passed after help, not passed, average best score, last day.
    `missed`: the items not right first time in those rounds, with the item's text, the first and the last
    answer and where each stands now. A workbook callkit cannot read (a broken coach file) still shows, by id.
    """
    from .items import Workbook, load_workbook
    from .kinds import kind_of

    rows = list(results)
    path = getattr(workspace, "path", workspace)
    books: dict[str, Workbook | None] = {}
    for wb in sorted({r.workbook for r in rows}):
        try:
            books[wb] = load_workbook(wb, workspace=path)  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - a workbook callkit does not ship, or a broken coach file: show it by id
            books[wb] = None
    totals = {wb: len(b.items) for wb, b in books.items() if b is not None}
    out_rows = []
    for wb, figures in figures_by_workbook(rows, totals).items():
        book = books.get(wb)
        days = [r.answered_at.date().isoformat() for r in rows if r.workbook == wb and r.answered_at is not None]
        out_rows.append({**figures.as_row(), "title": book.title if book is not None else _title_from_id(wb),
                         "last": max(days) if days else None})
    missed = []
    for m in missed_items(rows):
        book = books.get(m.workbook)
        text = m.item_id
        if book is not None and m.item_id in book.item_ids:
            it = book.item(m.item_id)
            text = " ".join(kind_of(it).title(it).split())
        missed.append({"workbook": m.workbook, "title": book.title if book is not None else _title_from_id(m.workbook),
                       "item_id": m.item_id, "item": text, "first_answer": m.first_answer, "last_answer": m.last_answer,
                       "status": m.status, "tries": m.tries})
    return {"workbooks": out_rows, "missed": missed}


def _title_from_id(workbook: str) -> str:
    """'05_debrief_the_call' -> 'Debrief the call'."""
    words = workbook.split("_")
    if words and words[0].isdigit():
        words = words[1:]
    text = " ".join(words).strip() or workbook
    return text[:1].upper() + text[1:]
