"""One honest score: the figures the progress strip, the summary and the coach's report share (callkit.exercises.figures)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from callkit.exercises.figures import (
    figures_by_workbook,
    item_figures,
    missed_items,
    report_data,
    workbook_figures,
)
from callkit.models import ExerciseResult

WB = "01_advance_or_continuation"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def r(item: str, passed: bool, score: float | None = None, *, attempt: int = 1, after_help: bool = False,
      reveals: bool = False, workbook: str = WB, n: int = 0, answer: str = "") -> ExerciseResult:
    return ExerciseResult(rep_id="r01", workbook=workbook, item_id=item, passed=passed,
                          score=(1.0 if passed else 0.0) if score is None else score, attempt=attempt,
                          after_help=after_help, reveals_key=reveals, answered_at=T0 + timedelta(minutes=n),
                          answer=answer or f"answer {n}", feedback=f"feedback {n}")


def test_right_first_time():
    f = item_figures([r("a", True)])
    assert (f.first_passed, f.passed, f.passed_after_help, f.best_score, f.status) == (True, True, False, 1.0, "passed")


def test_passed_on_the_reps_own_after_a_miss():
    f = item_figures([r("a", False, 0.5), r("a", True)])
    assert (f.first_passed, f.first_score, f.passed, f.passed_after_help, f.best_score) == (False, 0.5, True, False, 1.0)


def test_a_pass_after_the_answer_was_shown_is_passed_after_help():
    f = item_figures([r("a", False, 0.25, reveals=True), r("a", True)])
    assert (f.passed, f.passed_after_help, f.best_score, f.status) == (False, True, 0.25, "passed after help")
    # the stored flag counts too (rows saved by another page of the same round)
    g = item_figures([r("a", False, 0.25), r("a", True, after_help=True)])
    assert g.passed_after_help and not g.passed


def test_not_passed():
    f = item_figures([r("a", False, 0.2), r("a", False, 0.6)])
    assert (f.passed, f.passed_after_help, f.best_score, f.status, f.tries) == (False, False, 0.6, "not passed", 2)


def test_no_tries_is_an_error():
    with pytest.raises(ValueError):
        item_figures([])


def rows_of_a_round() -> list[ExerciseResult]:
    return [
        r("a", True, n=1),                                          # right first time
        r("b", False, 0.5, n=2), r("b", True, n=3),                 # passed, on their own
        r("c", False, reveals=True, n=4), r("c", True, n=5),        # passed after help
        r("d", False, 0.4, n=6),                                    # not passed
    ]


def test_workbook_figures_of_a_round():
    f = workbook_figures(rows_of_a_round(), total=14)
    assert (f.answered, f.first_try, f.passed, f.passed_after_help, f.not_passed) == (4, 1, 2, 1, 1)
    assert f.accuracy == 0.25 and f.best_average == pytest.approx((1 + 1 + 0 + 0.4) / 4)
    assert f.missed == ["b", "c", "d"]
    assert f.strip_text() == "4 of 14 done: 1 right first time, 2 passed, 1 after help"
    assert f.sentence() == ("You answered 4 of 14 items: 1 right first time (25% first-try accuracy), 2 passed, "
                            "1 passed after help, 1 not passed yet. Your average best score is 60%.")
    assert f.status("zz") == "not answered"


def test_the_latest_round_counts_unless_one_is_named():
    rows = rows_of_a_round() + [r("a", False, attempt=2, n=10), r("b", True, attempt=2, n=11)]
    latest = workbook_figures(rows)
    assert latest.attempt == 2 and (latest.answered, latest.first_try) == (2, 1)
    assert workbook_figures(rows, attempt=1).answered == 4


def test_several_workbooks_need_a_name_and_each_gets_its_own_figures():
    rows = rows_of_a_round() + [r("x", True, workbook="05_debrief_the_call", n=20)]
    with pytest.raises(ValueError, match="name the workbook"):
        workbook_figures(rows)
    both = figures_by_workbook(rows, {WB: 18})
    assert set(both) == {WB, "05_debrief_the_call"} and both[WB].total == 18 and both["05_debrief_the_call"].passed == 1


def test_item_ids_keep_only_the_workbooks_items():
    f = workbook_figures(rows_of_a_round(), WB, item_ids=["a", "b", "q"])
    assert set(f.items) == {"a", "b"} and f.total == 3


def test_rows_saved_before_the_honest_score_still_count():
    old = [ExerciseResult(rep_id="r01", workbook=WB, item_id="a", passed=False, score=0.0),
           ExerciseResult(rep_id="r01", workbook=WB, item_id="a", passed=True, score=1.0)]
    f = workbook_figures(old)
    assert (f.first_try, f.passed, f.passed_after_help) == (0, 1, 0)  # nothing recorded the help: counted as passed


def test_missed_items_with_their_answers():
    missed = missed_items(rows_of_a_round())
    assert [(m.item_id, m.status, m.tries) for m in missed] == [
        ("b", "passed", 2), ("c", "passed after help", 2), ("d", "not passed", 1)]
    assert missed[0].first_answer == "answer 2" and missed[0].last_answer == "answer 3"
    assert missed[0].first_feedback == "feedback 2"


def test_report_data_names_workbooks_and_items(fresh_ws_path: Path):
    from callkit.exercises.items import load_workbook

    book = load_workbook(WB)
    ids = book.item_ids
    rows = [r(ids[0], True, n=1), r(ids[1], False, reveals=True, n=2, answer="Advance"), r(ids[1], True, n=3),
            r("gone", True, workbook="07_our_own", n=4)]
    data = report_data(rows, workspace=fresh_ws_path)
    first, own = data["workbooks"]
    assert first["title"] == book.title and first["total"] == len(ids) and first["accuracy"] == 0.5
    assert (first["first_try"], first["passed"], first["passed_after_help"]) == (1, 1, 1)
    assert first["last"] == "2026-03-02"
    assert own["title"] == "Our own" and own["total"] is None  # a workbook callkit cannot read still shows
    (missed,) = data["missed"]
    assert missed["item_id"] == ids[1] and missed["first_answer"] == "Advance" and missed["status"] == "passed after help"
    assert missed["item"] == " ".join(book.item(ids[1]).text.split())


def test_report_data_matches_what_the_rep_saw(fresh_ws_path: Path):
    """The report's figures are the session's: saved through a workspace, read back, the same numbers."""
    from callkit.exercises.items import load_workbook
    from callkit.exercises.progress import ExerciseSession, WorkspaceStore
    from callkit.workspace import Workspace

    store = WorkspaceStore(fresh_ws_path)
    rep = store.add_rep("Figures Fay")
    book = load_workbook(WB)
    session = ExerciseSession(book, rep.rep_id, store)
    for n, item_id in enumerate(list(session.order)[:6]):
        it = book.item(item_id)
        if n % 2:
            session.submit("continuation" if it.answer != "continuation" else "advance")
        session.submit(it.answer)
        session.next()
    with Workspace.open(fresh_ws_path) as ws:
        saved = ws.exercise_results(rep_id=rep.rep_id)
    (row,) = report_data(saved, workspace=fresh_ws_path)["workbooks"]
    seen = session.figures()
    assert (row["answered"], row["first_try"], row["passed"], row["passed_after_help"]) == (
        seen.answered, seen.first_try, seen.passed, seen.passed_after_help) == (6, 3, 3, 3)
