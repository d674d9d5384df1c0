"""Every labelled answer (tests/data/exercise_answers*.csv, see EXERCISE_ANSWERS.md) gets the verdict a sales trainer gave.

The first file was written before the checks changed; the second after, to probe answers of the same kind.
A few rows are judged wrongly by callkit's scoring rules (callkit/scoring/, not the exercise checks): they
are expected failures below, strict, so the test says when the rules are fixed.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from callkit.exercises.items import WORKBOOKS, load_workbook
from callkit.exercises.kinds import CheckContext, get_kind
from callkit.exercises.labelled import LabelledAnswer, agreement, current_judge, read_labelled, verdict
from callkit.exercises.progress import ExerciseSession, MemoryStore

DATA = Path(__file__).resolve().parent / "data"
BEFORE = read_labelled(DATA / "exercise_answers.csv")
AFTER = read_labelled(DATA / "exercise_answers_more.csv")
# (item id, answer): what the scoring rule says about it
RULE_MISJUDGES = {
    ("line-3-downtime", "She gets a roadmap to 95% on time delivery from line 3"):
        'assess_customer_value reads "a roadmap to" as about us',
}
CTX = CheckContext()


def _judge(row: LabelledAnswer) -> str:
    book = load_workbook(row.workbook)
    kind = get_kind(book.kind)
    return verdict(kind.check(book.item(row.item_id), kind.coerce(kind.from_notation(row.answer)), CTX))


def _param(row: LabelledAnswer):
    marks = []
    reason = RULE_MISJUDGES.get((row.item_id, row.answer))
    if reason:
        marks.append(pytest.mark.xfail(reason=f"scoring rule: {reason}", strict=True))
    return pytest.param(row, id=f"{row.workbook[:2]}-{row.item_id}-row{row.row}", marks=marks)


@pytest.mark.parametrize("row", [_param(r) for r in BEFORE + AFTER])
def test_labelled_answer_gets_the_trainers_verdict(row: LabelledAnswer):
    assert _judge(row) == row.expected, f"{row.answer!r}: {row.why}"


def test_the_first_file_is_big_enough_and_covers_every_item():
    assert len(BEFORE) >= 150
    per_item = Counter((r.workbook, r.item_id) for r in BEFORE)
    for workbook in WORKBOOKS:
        for item_id in load_workbook(workbook).item_ids:
            assert per_item[(workbook, item_id)] >= 2, (workbook, item_id)
            rows = [r for r in BEFORE if (r.workbook, r.item_id) == (workbook, item_id)]
            assert {"pass", "fail"} <= {r.expected for r in rows}, (workbook, item_id)  # a right and a wrong answer


def test_the_cases_the_issue_names_are_labelled():
    answers = {(r.item_id, r.answer.strip()): r.expected for r in BEFORE}
    named = {
        ("demo-module", "We book a trial review with Lena's planners by the 15th"): "fail",
        ("verbal-yes-too-early", "We confirm Raj's budget"): "fail",
        ("verbal-yes-too-early", "Raj says yes by Friday"): "fail",
        ("persuade-on-price", "Dave agrees our price is fair"): "fail",
        ("site-visit-too-early", "Paul hosts us at the Brazil plant"): "fail",
        ("hospital-cfo", "She walks through our savings calculator and our references"): "fail",
        ("security-review-delay", "His launch date holds"): "pass",
        ("signed-at-harbor", "order | Irene Walsh | signed the order | 2026-03-09 | consequence, competition"): "pass",
        ("brightpack-logs", "advance | Maria | We send Maria our proposal | 2026-03-06 | attitude, decision_process"): "fail",
        ("presented-capabilities", "continuation"): "pass",
    }
    for key, expected in named.items():
        assert answers.get(key) == expected, key
    everything = [r for r in BEFORE if r.workbook.startswith("04") and r.item_id == "validate-sponsor-only"
                  and r.answer.count(";") >= 8]
    assert everything and all(r.expected == "fail" for r in everything)


def test_agreement_counts_every_row():
    found = agreement(BEFORE, current_judge())
    assert found.judged == len(BEFORE) and found.not_judged == 0
    assert found.agreed == len(BEFORE) - sum((r.item_id, r.answer) in RULE_MISJUDGES for r in BEFORE)
    assert sum(n for n, _ in found.by_workbook.values()) == found.agreed


def test_blank_rows_are_never_saved_as_a_try():
    for row in [r for r in BEFORE + AFTER if r.expected == "blank"]:
        book = load_workbook(row.workbook)
        store = MemoryStore()
        session = ExerciseSession(book, "guest", store)
        while session.current.id != row.item_id:
            session.next()
        assert session.submit(get_kind(book.kind).from_notation(row.answer)).blank
        assert store.results("guest", book.id) == []


def test_a_bad_labelled_file_names_the_row(tmp_path: Path):
    from callkit.exceptions import ExerciseItemsError

    path = tmp_path / "answers.csv"
    path.write_text("workbook,item_id,answer,expected,why\n01_advance_or_continuation,cfo-intro,advance,maybe,x\n",
                    encoding="utf-8")
    with pytest.raises(ExerciseItemsError, match="row 2: expected must be pass, fail or blank"):
        read_labelled(path)
