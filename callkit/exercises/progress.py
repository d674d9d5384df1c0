"""A rep's way through a workbook: the order of items, what is done, saving each answer, resuming.

Answers are saved to the workspace as ExerciseResult rows (every try is kept); without a workspace
they stay in memory and the workbook still gives feedback. Each round through a workbook is an
*attempt*: its items come in an order drawn for that rep and attempt, the same every time it is
reopened, and different for the next attempt.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Mapping, Protocol

from ..exceptions import CallkitError
from ..models import ExerciseResult, Rep
from ..process import SalesProcess
from .checks import CheckResult, check_answer
from .items import Item, Workbook

ENV_VAR = "CALLKIT_WORKSPACE"
NOT_SAVED = (
    f"Progress is not being saved: set {ENV_VAR} to your workspace folder "
    "(`callkit init PATH` creates one) and reopen this workbook."
)


class ResultStore(Protocol):
    """Where answers go: a workspace, or memory."""

    saves_progress: bool

    def save(self, result: ExerciseResult) -> None: ...

    def results(self, rep_id: str, workbook: str) -> list[ExerciseResult]: ...


class MemoryStore:
    """Answers kept in memory only, for a workbook opened without a workspace."""

    saves_progress = False

    def __init__(self) -> None:
        self._results: list[ExerciseResult] = []

    def save(self, result: ExerciseResult) -> None:
        """Keep one answer."""
        self._results.append(result)

    def results(self, rep_id: str, workbook: str) -> list[ExerciseResult]:
        """This rep's answers in this workbook, oldest first."""
        return [r for r in self._results if r.rep_id == rep_id and r.workbook == workbook]


class WorkspaceStore:
    """Answers saved in a workspace; the workspace is opened for each read or write and closed again."""

    saves_progress = True

    def __init__(self, path: str | Path):
        from ..workspace import Workspace

        self.path = Path(path)
        Workspace.open(self.path).close()  # fail now, with a clear message, if it is not a workspace

    def _open(self):  # -> Workspace
        from ..workspace import Workspace

        return Workspace.open(self.path)

    def save(self, result: ExerciseResult) -> None:
        """Append one answer to the workspace."""
        with self._open() as ws:
            ws.save_exercise_result(result)

    def results(self, rep_id: str, workbook: str) -> list[ExerciseResult]:
        """This rep's answers in this workbook, oldest first."""
        with self._open() as ws:
            return ws.exercise_results(rep_id=rep_id, workbook=workbook)

    def reps(self) -> list[Rep]:
        """The workspace's reps, in the order they were added."""
        with self._open() as ws:
            return ws.reps()

    def find_or_add_rep(self, typed: str) -> tuple[Rep, bool]:
        """The rep whose name, id or picker label is `typed`; a new name adds a rep. Returns (rep, created)."""
        with self._open() as ws:
            reps = ws.reps()
            found = match_rep(typed, reps)
            if found is not None:
                return found, False
            rep = Rep(rep_id=next_rep_id(r.rep_id for r in reps), name=" ".join(typed.split()))
            ws.add_rep(rep)
            return rep, True


def rep_label(rep: Rep) -> str:
    """How a rep appears in the name picker: 'Ana Diaz (r01)'."""
    return f"{rep.name} ({rep.rep_id})"


def match_rep(typed: str, reps: list[Rep]) -> Rep | None:
    """The rep a typed name means: its picker label, its id or its name (any case); None if new."""
    key = " ".join(typed.split()).lower()
    for rep in reps:
        if key in (rep_label(rep).lower(), rep.rep_id.lower(), rep.name.lower()):
            return rep
    return None


def next_rep_id(taken: Iterable[str]) -> str:
    """The next free id in the r01, r02, ... style."""
    used = set(taken)
    numbers = [int(m.group(1)) for t in used if (m := re.fullmatch(r"r(\d+)", t))]
    n = max(numbers, default=0) + 1
    while f"r{n:02d}" in used:
        n += 1
    return f"r{n:02d}"


def workspace_from_env(environ: Mapping[str, str] | None = None) -> Path | None:
    """The workspace folder named by CALLKIT_WORKSPACE, or None when it is not set."""
    value = (environ if environ is not None else os.environ).get(ENV_VAR, "").strip()
    return Path(value).expanduser() if value else None


def open_store(workspace: str | Path | None = None, environ: Mapping[str, str] | None = None) -> tuple[ResultStore, str]:
    """The store for answers and one line saying where progress goes (or how to turn saving on)."""
    path = Path(workspace) if workspace is not None else workspace_from_env(environ)
    if path is None:
        return MemoryStore(), NOT_SAVED
    try:
        store = WorkspaceStore(path)
    except CallkitError as exc:
        return MemoryStore(), f"Progress is not being saved: {exc}"
    return store, f"Your answers are saved in the workspace {path} as you go."


def draw_order(item_ids: list[str], rep_id: str, workbook: str, attempt: int) -> list[str]:
    """The items' order for one attempt: drawn per rep and attempt, the same each time it is asked for."""

    def key(item_id: str) -> str:
        return hashlib.sha256(f"{rep_id}\x1f{workbook}\x1f{attempt}\x1f{item_id}".encode()).hexdigest()

    return sorted(item_ids, key=key)


@dataclass(frozen=True)
class SummaryRow:
    """One item in the end-of-workbook summary."""

    number: int
    item_id: str
    tries: int
    best_score: float
    passed: bool


class ExerciseSession:
    """One rep working through one workbook: current item, checks, saved answers, resume, summary."""

    def __init__(
        self,
        workbook: Workbook,
        rep_id: str,
        store: ResultStore | None = None,
        process: SalesProcess | None = None,
        clock: Callable[[], datetime] | None = None,
    ):
        self.workbook = workbook
        self.rep_id = rep_id
        self.store: ResultStore = store if store is not None else MemoryStore()
        self.process = process or SalesProcess.default()
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        known = set(workbook.item_ids)
        saved = [r for r in self.store.results(rep_id, workbook.id) if r.item_id in known]
        self._results: list[ExerciseResult] = saved
        self.attempt = max((r.attempt for r in saved), default=1)
        self.order = draw_order(workbook.item_ids, rep_id, workbook.id, self.attempt)
        self.position = self.resume_position()

    # -- where the rep is --------------------------------------------------------------------------
    @property
    def attempt_results(self) -> list[ExerciseResult]:
        """The answers of the current attempt, oldest first."""
        return [r for r in self._results if r.attempt == self.attempt]

    @property
    def done_ids(self) -> set[str]:
        """Items answered at least once in this attempt."""
        return {r.item_id for r in self.attempt_results}

    @property
    def passed_ids(self) -> set[str]:
        """Items passed in this attempt."""
        return {r.item_id for r in self.attempt_results if r.passed}

    @property
    def total(self) -> int:
        return len(self.order)

    @property
    def done_count(self) -> int:
        return len(self.done_ids)

    @property
    def is_complete(self) -> bool:
        """Every item of the workbook has been answered in this attempt."""
        return self.done_count == self.total

    def resume_position(self) -> int:
        """The first item not answered yet in this attempt (the total when all are done)."""
        done = self.done_ids
        return next((i for i, item_id in enumerate(self.order) if item_id not in done), self.total)

    @property
    def current(self) -> Item | None:
        """The item on screen, or None when the rep is at the summary."""
        if self.position >= self.total:
            return None
        return self.workbook.item(self.order[self.position])

    def progress_text(self) -> str:
        """'3 of 8 done' (and how many passed)."""
        passed = len(self.passed_ids)
        return f"{self.done_count} of {self.total} done, {passed} passed"

    def go_to(self, position: int) -> None:
        """Show item `position` (0-based); the total means the summary."""
        self.position = max(0, min(position, self.total))

    def next(self) -> None:
        """Move to the next item, or to the summary after the last one."""
        self.go_to(self.position + 1)

    def previous(self) -> None:
        """Move back one item."""
        self.go_to(self.position - 1)

    def next_open(self) -> None:
        """Move to the next unanswered item after this one, wrapping round; the summary when all are done."""
        done = self.done_ids
        n = self.total
        for step in range(1, n + 1):
            i = (self.position + step) % n
            if self.order[i] not in done:
                self.position = i
                return
        self.position = n

    # -- answering ---------------------------------------------------------------------------------
    def last_result(self, item_id: str) -> ExerciseResult | None:
        """The latest saved answer to an item in this attempt."""
        found = [r for r in self.attempt_results if r.item_id == item_id]
        return found[-1] if found else None

    def tries(self, item_id: str) -> int:
        """How many times the rep checked this item in this attempt."""
        return sum(1 for r in self.attempt_results if r.item_id == item_id)

    def submit(self, answer: object) -> CheckResult:
        """Check the answer to the current item and save it (a blank answer is judged but not saved)."""
        item = self.current
        if item is None:
            raise CallkitError("This workbook is finished: press Start again for a new round.")
        result = check_answer(item, answer, self.process)
        if result.blank:
            return result
        saved = ExerciseResult(
            rep_id=self.rep_id,
            workbook=self.workbook.id,
            item_id=item.id,
            answer=result.answer,
            score=min(1.0, max(0.0, result.score)),
            passed=result.passed,
            feedback=result.feedback,
            answered_at=self._clock(),
            attempt=self.attempt,
        )
        self.store.save(saved)
        self._results.append(saved)
        return result

    def start_again(self) -> None:
        """A new attempt: every item open again, in a newly drawn order (saved answers are kept)."""
        self.attempt += 1
        self.order = draw_order(self.workbook.item_ids, self.rep_id, self.workbook.id, self.attempt)
        self.position = 0

    # -- the end -----------------------------------------------------------------------------------
    def summary(self) -> list[SummaryRow]:
        """One row per item in this attempt's order: tries, best score, passed."""
        rows = []
        for n, item_id in enumerate(self.order, start=1):
            mine = [r for r in self.attempt_results if r.item_id == item_id]
            rows.append(SummaryRow(n, item_id, len(mine), max((r.score for r in mine), default=0.0), any(r.passed for r in mine)))
        return rows

    def summary_text(self) -> str:
        """One sentence for the end of the workbook."""
        rows = self.summary()
        answered = [r for r in rows if r.tries]
        passed = sum(r.passed for r in rows)
        if not answered:
            return "Nothing answered yet in this round."
        average = sum(r.best_score for r in answered) / len(answered)
        return (
            f"You answered {len(answered)} of {len(rows)} items and passed {passed}; "
            f"your average best score is {average:.0%}."
        )
