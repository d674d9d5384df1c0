"""A rep's way through a workbook: the order of items, what is done, saving each answer, resuming.

Answers are saved to the workspace as ExerciseResult rows (every try is kept, with its try number,
whether it came after help, and the item's first-try and best results so far); without a workspace
they stay in memory and the workbook still gives feedback. Each round through a workbook is an
*attempt*: its items come in an order drawn for that rep and attempt, the same every time it is
reopened, and different for the next attempt. After the summary, "Retry the ones I missed" goes
through the items not right first time again, in the same round.
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
from .figures import WorkbookFigures, item_figures, workbook_figures
from .items import Item, Workbook

ENV_VAR = "CALLKIT_WORKSPACE"
RESTART_HINT = (
    f"to save it, close JupyterLab and start it again with {ENV_VAR} set to your workspace folder, "
    f"e.g. `{ENV_VAR}=/path/to/workspace jupyter lab` (`callkit init PATH` creates a workspace)."
)
NOT_SAVED = f"Progress is not being saved: {RESTART_HINT[:1].upper() + RESTART_HINT[1:]}"
CLOSE_NAME = 85  # rapidfuzz score from which a typed name is close enough to ask "Did you mean ...?"


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
        self.damaged: list[CallkitError] = []  # answers of the last `results` that could not be read back
        Workspace.open(self.path).close()  # fail now, with a clear message, if it is not a workspace

    def _open(self):  # -> Workspace
        from ..workspace import Workspace

        return Workspace.open(self.path)

    def save(self, result: ExerciseResult) -> None:
        """Append one answer to the workspace."""
        with self._open() as ws:
            ws.save_exercise_result(result)

    def results(self, rep_id: str, workbook: str) -> list[ExerciseResult]:
        """This rep's answers in this workbook, oldest first; an answer that cannot be read back (damaged) is left
        out and kept in `damaged` (its item then counts as not answered yet), never shown as an error."""
        self.damaged = []
        with self._open() as ws:
            return ws.exercise_results(rep_id=rep_id, workbook=workbook, damaged=self.damaged)

    def reps(self) -> list[Rep]:
        """The workspace's reps, in the order they were added."""
        with self._open() as ws:
            return ws.reps()

    def find_rep(self, typed: str) -> "RepMatch":
        """Who a typed name means: the rep it names exactly, else the reps it is close to (nothing is added)."""
        return find_rep(typed, self.reps())

    def add_rep(self, name: str) -> Rep:
        """Add a new rep with this name (only after the rep confirmed they are new); an exact match is returned instead."""
        with self._open() as ws:
            reps = ws.reps()
            found = match_rep(name, reps)
            if found is not None:
                return found
            rep = Rep(rep_id=next_rep_id(r.rep_id for r in reps), name=" ".join(name.split()))
            ws.add_rep(rep)
            return rep


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


@dataclass(frozen=True)
class RepMatch:
    """What a typed name means: an existing rep (`rep`), reps it is close to (`close`), or someone new."""

    typed: str
    rep: Rep | None = None
    close: tuple[Rep, ...] = ()

    @property
    def is_new(self) -> bool:
        return self.rep is None and not self.close

    def question(self) -> str:
        """What the page asks before it goes on: "Did you mean Jamie Haddad?" or whether to add a new rep."""
        if self.rep is not None:
            return ""
        if self.close:
            names = [r.name for r in self.close]
            options = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
            return f"Did you mean {options}?"
        return f"{self.typed} is not in this workspace yet. Add {self.typed} as a new rep?"


def find_rep(typed: str, reps: list[Rep], limit: int = 3) -> RepMatch:
    """The rep a typed name means, or up to `limit` reps whose names are close to it (a typo, a first name only)."""
    from rapidfuzz import fuzz

    name = " ".join((typed or "").split())
    exact = match_rep(name, reps)
    if exact is not None:
        return RepMatch(name, exact)
    key = name.lower()
    scored = []
    for rep in reps:
        full = rep.name.lower()
        score = max(fuzz.ratio(key, full), fuzz.token_sort_ratio(key, full))
        words = full.split()
        if len(key.split()) == 1 and len(key) >= 3:
            score = max(score, max((fuzz.ratio(key, w) for w in words), default=0))
        if score >= CLOSE_NAME:
            scored.append((score, rep))
    scored.sort(key=lambda pair: -pair[0])
    return RepMatch(name, None, tuple(rep for _, rep in scored[:limit]))


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
        return MemoryStore(), f"Progress is not being saved: {str(exc).rstrip('.')}; {RESTART_HINT}"
    return store, f"Your answers are saved in the workspace {path} as you go."


def draw_order(item_ids: list[str], rep_id: str, workbook: str, attempt: int) -> list[str]:
    """The items' order for one attempt: drawn per rep and attempt, the same each time it is asked for."""

    def key(item_id: str) -> str:
        return hashlib.sha256(f"{rep_id}\x1f{workbook}\x1f{attempt}\x1f{item_id}".encode()).hexdigest()

    return sorted(item_ids, key=key)


@dataclass(frozen=True)
class SummaryRow:
    """One item in the end-of-workbook summary (its figures come from callkit.exercises.figures)."""

    number: int
    item_id: str
    tries: int
    best_score: float
    passed: bool  # passed without help
    first_passed: bool = False
    status: str = "not answered"  # passed, passed after help, not passed, not answered


class ExerciseSession:
    """One rep working through one workbook: current item, checks, saved answers, resume, summary, retry round."""

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
        damaged = len(getattr(self.store, "damaged", ()))
        #: One sentence for the page when some saved answers could not be read back, else "".
        self.notice = "" if not damaged else (
            f"{damaged} of your saved answers could not be read back (damaged in the workspace) and "
            + ("is left out: that item counts" if damaged == 1 else "are left out: those items count")
            + " as not answered yet.")
        self._results: list[ExerciseResult] = saved
        #: Answers checked but not saved yet (the workspace was busy or read-only), and why, in one sentence.
        self.unsaved: list[ExerciseResult] = []
        self.save_notice = ""
        self.attempt = max((r.attempt for r in saved), default=1)
        self.order = draw_order(workbook.item_ids, rep_id, workbook.id, self.attempt)
        self.retry_order: list[str] | None = None  # the items of a "Retry the ones I missed" round, while in one
        self.position = self.resume_position()

    # -- where the rep is --------------------------------------------------------------------------
    @property
    def attempt_results(self) -> list[ExerciseResult]:
        """The answers of the current attempt, oldest first."""
        return [r for r in self._results if r.attempt == self.attempt]

    def figures(self) -> WorkbookFigures:
        """This round's figures: the same ones the strip, the summary and the coach's report show."""
        return workbook_figures(self._results, self.workbook.id, attempt=self.attempt, item_ids=self.workbook.item_ids)

    @property
    def done_ids(self) -> set[str]:
        """Items answered at least once in this attempt."""
        return {r.item_id for r in self.attempt_results}

    @property
    def passed_ids(self) -> set[str]:
        """Items passed without help in this attempt."""
        return {i for i, f in self.figures().items.items() if f.passed}

    @property
    def retrying(self) -> bool:
        """True during a "Retry the ones I missed" round."""
        return self.retry_order is not None

    @property
    def queue(self) -> list[str]:
        """The items the rep goes through now: the round's order, or the ones being retried."""
        return self.retry_order if self.retry_order is not None else self.order

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
        if self.position >= len(self.queue):
            return None
        return self.workbook.item(self.queue[self.position])

    def progress_text(self) -> str:
        """'3 of 8 done: 2 right first time, 3 passed' (the figures' own words)."""
        return self.figures().strip_text()

    def go_to(self, position: int) -> None:
        """Show item `position` (0-based) of the queue; its length means the summary (which ends a retry round)."""
        self.position = max(0, min(position, len(self.queue)))
        if self.position == len(self.queue) and self.retrying:
            self.retry_order = None
            self.position = self.total

    def next(self) -> None:
        """Move to the next item, or to the summary after the last one."""
        self.go_to(self.position + 1)

    def previous(self) -> None:
        """Move back one item."""
        self.go_to(self.position - 1)

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
        before = [r for r in self.attempt_results if r.item_id == item.id]
        draft = ExerciseResult(
            rep_id=self.rep_id,
            workbook=self.workbook.id,
            item_id=item.id,
            answer=result.answer,
            score=min(1.0, max(0.0, result.score)),
            passed=result.passed,
            feedback=result.feedback,
            answered_at=self._clock(),
            attempt=self.attempt,
            try_number=len(before) + 1,
            after_help=any(r.reveals_key or r.after_help for r in before),
            reveals_key=result.reveals_key,
            retry=self.retrying,
        )
        figures = item_figures(before + [draft])
        saved = draft.model_copy(update={
            "first_passed": figures.first_passed, "first_score": figures.first_score,
            "best_passed": figures.passed, "best_score": figures.best_score,
        })
        self._results.append(saved)
        self.unsaved.append(saved)
        self.save_pending()
        return result

    def save_pending(self) -> bool:
        """Save the answers the workspace could not take yet (busy or read-only); True when none is left.

        A busy workspace keeps the answers in memory (they count on the page) and `save_notice` says so in
        one sentence; the next answer, or this call, tries again.
        """
        from ..exceptions import WorkspaceBusyError, WorkspaceReadOnlyError

        while self.unsaved:
            try:
                self.store.save(self.unsaved[0])
            except (WorkspaceBusyError, WorkspaceReadOnlyError) as exc:
                kept = len(self.unsaved)
                self.save_notice = (f"{exc} Your {'answer is' if kept == 1 else f'{kept} answers are'} kept on "
                                    "this page" + (" and saved with your next answer." if isinstance(
                                        exc, WorkspaceBusyError) else " until you close it."))
                return False
            self.unsaved.pop(0)
        self.save_notice = ""
        return True

    def start_again(self) -> None:
        """A new attempt: every item open again, in a newly drawn order (saved answers are kept)."""
        self.attempt += 1
        self.order = draw_order(self.workbook.item_ids, self.rep_id, self.workbook.id, self.attempt)
        self.retry_order = None
        self.position = 0

    def missed_ids(self) -> list[str]:
        """The items of this round not right first time, in the round's order."""
        missed = set(self.figures().missed)
        return [i for i in self.order if i in missed]

    def start_retry(self) -> list[str]:
        """A "Retry the ones I missed" round through the items not right first time (same round, forms start empty)."""
        missed = self.missed_ids()
        if not missed:
            raise CallkitError("There is nothing to retry: every item you answered was right first time.")
        self.retry_order = missed
        self.position = 0
        return missed

    # -- the end -----------------------------------------------------------------------------------
    def summary(self) -> list[SummaryRow]:
        """One row per item in this attempt's order: tries, first try, best score, where it stands."""
        figures = self.figures()
        rows = []
        for n, item_id in enumerate(self.order, start=1):
            f = figures.items.get(item_id)
            if f is None:
                rows.append(SummaryRow(n, item_id, 0, 0.0, False))
            else:
                rows.append(SummaryRow(n, item_id, f.tries, f.best_score, f.passed, f.first_passed, f.status))
        return rows

    def summary_text(self) -> str:
        """The sentence at the end of the workbook (the figures' own words)."""
        return self.figures().sentence()
