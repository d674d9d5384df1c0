"""The functions behind each exercise, progress (in memory and in a workspace), and the workbook widget's logic."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from browser import free_port, interrupt, launch, needs_chromium, wait_for_port

from callkit.exceptions import CallkitError, WorkspaceReadOnlyError
from callkit.exercises.checks import (
    COACH_QUESTIONS,
    RESCHEDULE_RULE,
    DebriefAnswer,
    ValueAnswer,
    check_classification,
    check_compression,
    check_customer_value,
    check_debrief,
    check_objective,
    compression_level,
)
from callkit.exercises.items import WORKBOOKS, compress_options, load_workbook
from callkit.exercises.progress import (
    NOT_SAVED,
    ExerciseSession,
    MemoryStore,
    WorkspaceStore,
    draw_order,
    find_rep,
    match_rep,
    next_rep_id,
    open_store,
)
from callkit.models import ExerciseResult, Rep

ROOT = Path(__file__).resolve().parent.parent
NO_ENV: dict[str, str] = {}


def item(workbook: str, item_id: str):
    return load_workbook(workbook).item(item_id)


# -- 01 advance or continuation -------------------------------------------------------------------


def test_classification_right_answer():
    it = item("01_advance_or_continuation", "downtime-logs")
    result = check_classification(it, "advance")
    assert result.passed and result.score == 1.0 and not result.reveals_key
    assert "Right: it is an advance" in result.feedback
    assert it.why in result.feedback


def test_classification_wrong_answer_names_the_right_one_and_so_reveals_it():
    it = item("01_advance_or_continuation", "demo-abc-module")
    result = check_classification(it, "advance")
    assert not result.passed and result.score == 0.0 and result.reveals_key
    assert "Not quite: it is a seller action - you chose an advance." in result.feedback
    assert "not client-driven" in result.feedback  # the item's explanation, from the data
    assert result.answer == "Advance"
    assert "not not" not in result.feedback


def test_objectives_and_outcomes_have_their_own_categories():
    objective = item("01_advance_or_continuation", "send-proposal")
    outcome = item("01_advance_or_continuation", "presented-capabilities")
    assert check_classification(objective, "seller_action").passed
    assert check_classification(objective, "Seller action").passed  # the button's text works too
    assert check_classification(objective, "not_client_action").passed  # the earlier name of the same category
    assert check_classification(objective, "order").blank  # not a category of an objective
    assert check_classification(outcome, "continuation").passed
    assert check_classification(outcome, "seller_action").blank  # an outcome is order, advance, continuation or no sale
    assert not check_classification(outcome, "no_sale").passed


def test_classification_continuation_vs_seller_action():
    it = item("01_advance_or_continuation", "keep-in-touch")
    assert check_classification(it, "continuation").passed
    wrong = check_classification(it, "no_sale")
    assert not wrong.passed and "Good feelings are not the acid test" in wrong.feedback


def test_classification_without_a_choice_is_blank():
    result = check_classification(item("01_advance_or_continuation", "downtime-logs"), None)
    assert result.blank and not result.passed and "order, advance, continuation or no sale" in result.feedback


def test_objective_checker_agreement_is_shown_only_when_it_agrees():
    from callkit.scoring.objective import assess_objective

    it = item("01_advance_or_continuation", "persuade-dave")
    result = check_classification(it, "seller_action")
    agrees = assess_objective(it.text).is_advance is False
    assert ("objective checker agrees" in result.feedback) == agrees


# -- 02 sharpen the objective ---------------------------------------------------------------------


def test_objective_rewrite_passes_when_specific_advance_realistic_and_names_who():
    it = item("02_sharpen_the_objective", "keep-momentum")
    result = check_objective(it, "Maria sends us three months of downtime logs for line 3 by Friday.")
    assert result.passed, result.feedback
    assert [c.name for c in result.checks] == ["specific", "advance", "realistic", "this_deal"]
    assert all(c.passed for c in result.checks) and result.score == 1.0
    assert f"The coach's version: {it.example}" in result.feedback  # shown as the coach's, once the rep passes


def test_objective_seller_action_dressed_up_fails_on_the_advance():
    it = item("02_sharpen_the_objective", "demo-module")
    result = check_objective(it, "We book a trial review with Lena's planners by the 15th")
    advance = result.check("advance")
    assert not result.passed and not advance.passed
    assert "not what the client will do" in advance.message  # assess_objective's reason, on the failed check
    assert it.problem in result.feedback


def test_objective_restating_the_original_fails_the_check_the_item_names():
    visit = item("02_sharpen_the_objective", "site-visit-too-early")
    result = check_objective(visit, "Paul hosts us at the Brazil plant")
    assert not result.passed and result.check("advance").passed
    assert 'It still says "hosts us"' in result.check("realistic").message  # the rules alone call it realistic
    price = check_objective(item("02_sharpen_the_objective", "persuade-on-price"), "Dave accepts that our price is fair by Monday")
    assert not price.passed and not price.check("advance").passed
    assert 'It still says "fair"' in price.feedback


def test_objective_must_name_someone_in_the_call():
    it = item("02_sharpen_the_objective", "verbal-yes-too-early")
    result = check_objective(it, "The CFO confirms the budget range by Friday")
    assert not result.passed
    assert result.check("this_deal").message == "Say who in the call will act: Raj or the operations director."
    assert check_objective(it, "Raj confirms a budget range and tells us who decides, and by when.").passed


def test_objective_unrealistic_for_the_stage_fails_on_realism():
    it = item("02_sharpen_the_objective", "close-at-qualify")
    result = check_objective(it, "Jana signs the contract for the full warehouse rollout by Friday")
    realistic = result.check("realistic")
    assert not result.passed and not realistic.passed
    assert "Qualify" in realistic.message and "closing" in realistic.message
    yes = check_objective(item("02_sharpen_the_objective", "verbal-yes-too-early"), "Raj says yes by Friday")
    assert not yes.passed and not yes.check("realistic").passed


def test_a_suggestion_that_passes_reveals_the_answer():
    it = item("02_sharpen_the_objective", "demo-module")
    result = check_objective(it, "We book a trial review with Lena's planners by the 15th")
    suggestion = next(n for n in result.notes if n.startswith("Try something like: "))
    assert result.reveals_key
    assert check_objective(it, suggestion.removeprefix("Try something like: ")).passed


def test_objective_unchanged_or_blank():
    it = item("02_sharpen_the_objective", "close-at-qualify")
    same = check_objective(it, "  close the deal. ")
    assert not same.passed and "That is the original objective" in same.feedback
    assert check_objective(it, "   ").blank
    assert check_objective(it, "tbd").blank  # a placeholder is nothing to judge yet


# -- 03 what's in it for the customer -------------------------------------------------------------


def test_customer_value_in_their_terms_passes():
    it = item("03_whats_in_it_for_the_customer", "hospital-cfo")
    result = check_customer_value(it, ValueAnswer(it.example))
    assert result.passed, result.feedback
    assert "In the customer's terms" in result.feedback and f"The coach's version: {it.example}" in result.feedback


def test_customer_value_the_draft_with_she_in_front_fails():
    it = item("03_whats_in_it_for_the_customer", "hospital-cfo")
    result = check_customer_value(it, ValueAnswer("She walks through our savings calculator and our references"))
    assert not result.passed
    assert "Still about us" in result.feedback
    assert RESCHEDULE_RULE not in result.feedback  # she can be answered: no advice to reschedule
    assert result.feedback.count("is about us") == 1  # said once, not repeated as a note


def test_customer_value_short_but_in_their_terms_passes():
    it = item("03_whats_in_it_for_the_customer", "security-review-delay")
    assert check_customer_value(it, ValueAnswer("His launch date holds")).passed


def test_customer_value_that_could_be_said_to_anyone_fails_on_their_stakes():
    it = item("03_whats_in_it_for_the_customer", "pitch-new-module")
    ready = item("03_whats_in_it_for_the_customer", "junior-attrition")
    result = check_customer_value(ready, ValueAnswer("She gets a clear plan that helps her team work better"))
    assert not result.check("their_stakes").passed or not result.passed
    assert not check_customer_value(it, ValueAnswer("They get insights that help them grow")).passed


def test_customer_value_unchanged_draft_fails():
    it = item("03_whats_in_it_for_the_customer", "line-3-downtime")
    result = check_customer_value(it, ValueAnswer(it.draft))
    assert not result.passed and "That is the draft" in result.feedback


def test_reschedule_is_right_when_nobody_could_answer():
    it = item("03_whats_in_it_for_the_customer", "get-in-front-of-coo")
    right = check_customer_value(it, ValueAnswer(reschedule=True))
    assert right.passed and "reschedule" in right.feedback
    wrong = check_customer_value(it, ValueAnswer("He gets an overview of our logistics platform"))
    assert not wrong.passed and RESCHEDULE_RULE in wrong.feedback and it.why in wrong.feedback and wrong.reveals_key
    assert "seed" not in RESCHEDULE_RULE


def test_a_blank_answer_to_a_reschedule_item_is_not_judged():
    it = item("03_whats_in_it_for_the_customer", "pitch-new-module")
    assert check_customer_value(it, ValueAnswer("   ")).blank
    assert check_customer_value(it, ValueAnswer("?")).blank


def test_reschedule_is_wrong_when_the_scenario_answers_it():
    it = item("03_whats_in_it_for_the_customer", "junior-attrition")
    result = check_customer_value(it, ValueAnswer(reschedule=True))
    assert not result.passed and "don't reschedule" in result.feedback


# -- 04 compress the process ----------------------------------------------------------------------

WORKSHOP = "discover-workshop"
A = {
    "data": "Get their data to quantify the problem", "criteria": "Agree the success criteria for a solution",
    "meet": "Meet the people affected day to day", "conseq": "Confirm what happens if they do not act by their date",
    "demo": "Demo against their success criteria", "vp": "Agree the value proposition with the sponsor",
}


def test_compression_good_and_realistic_passes():
    it = item("04_compress_the_process", WORKSHOP)
    chosen = [A["data"], A["criteria"], A["meet"]]
    result = check_compression(it, chosen)
    assert result.passed
    assert "good compression" in result.feedback
    assert result.answer == "; ".join(chosen)
    assert "takes about 45 of the call's 90 minutes" in result.feedback


def test_compression_excellent_with_five():
    it = item("04_compress_the_process", WORKSHOP)
    result = check_compression(it, [A["data"], A["criteria"], A["meet"], A["conseq"], A["demo"]])
    assert result.passed and result.score == 1.0 and "excellent" in result.feedback


def test_compression_someone_missing_from_the_room_is_named():
    it = item("04_compress_the_process", "discover-finance-only")
    result = check_compression(it, ["Map their current process and what it costs them", A["data"], A["conseq"]])
    assert not result.passed
    assert ('"Map their current process and what it costs them" does not fit: it needs the person who owns the problem '
            "or the people affected day to day in the room, and this call has Kim's finance manager.") in result.feedback


def test_compression_a_pilot_a_site_visit_and_references_do_not_happen_in_a_call():
    it = item("04_compress_the_process", "validate-sponsor-only")
    result = check_compression(it, ["Pilot or trial", "Site visit", "Reference calls", "Access to the economic buyer",
                                    "Confirm the decision date and the approvers"])
    assert not result.passed and not result.check("realism").passed
    assert '"Pilot or trial" does not fit: a pilot runs for weeks' in result.feedback
    assert '"Site visit" does not fit' in result.feedback and '"Reference calls" does not fit' in result.feedback


def test_compression_everything_ticked_in_a_short_call_runs_out_of_time():
    it = item("04_compress_the_process", "first-meeting")
    result = check_compression(it, compress_options(it))
    assert not result.passed
    assert "Not enough time: what you ticked needs about" in result.feedback and "the call has 30" in result.feedback


def test_compression_all_a_thin_call_can_do_passes():
    it = item("04_compress_the_process", "validate-sponsor-only")
    result = check_compression(it, ["Access to the economic buyer", "Confirm the decision date and the approvers"])
    assert result.passed, result.feedback
    assert "that is all this call can do" in result.feedback


def test_compression_unrealistic_activity_fails_with_the_reason():
    it = item("04_compress_the_process", WORKSHOP)
    result = check_compression(it, [A["data"], A["criteria"], A["meet"], A["vp"]])
    assert not result.passed and result.reveals_key
    assert '"Agree the value proposition with the sponsor" does not fit this call. The sponsor' in result.feedback
    assert "not in this workshop" in result.feedback  # the item's why, from the data


def test_compression_missing_prerequisite_fails():
    it = item("04_compress_the_process", WORKSHOP)
    result = check_compression(it, [A["data"], A["meet"], A["demo"]])
    assert not result.passed
    assert '"Demo against their success criteria" needs "Agree the success criteria for a solution" first' in result.feedback


def test_compression_one_activity_is_normal_and_suggests_more():
    it = item("04_compress_the_process", WORKSHOP)
    result = check_compression(it, [A["data"]])
    assert not result.passed and 0 < result.score < 1
    assert "normal" in result.feedback and "aim for 3-4" in result.feedback
    assert "This call could also cover" in result.feedback
    assert check_compression(it, []).blank


def test_compression_levels_come_from_the_rubric():
    assert [compression_level(n) for n in range(7)] == ["none", "normal", "normal", "good", "good", "excellent", "excellent"]
    assert compression_level(2, (2, 4)) == "good" and compression_level(4, (2, 4)) == "excellent"


def test_an_item_may_override_what_an_activity_needs(tmp_path: Path):
    import yaml

    from callkit.exercises.items import load_items_file

    data = yaml.safe_load((ROOT / "callkit" / "data" / "exercises" / "04_compress_the_process.yaml").read_text(encoding="utf-8"))
    raw = next(i for i in data["items"] if i["id"] == "validate-sponsor-only")
    raw["activities"] = {"Reference calls": {"outside_the_call": "", "minutes": 20}}  # a reference joins this call
    path = tmp_path / "04_compress_the_process.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    it = load_items_file(path).item("validate-sponsor-only")
    result = check_compression(it, ["Reference calls", "Access to the economic buyer", "Confirm the decision date and the approvers"])
    assert result.passed, result.feedback


# -- 05 debrief the call --------------------------------------------------------------------------

BRIGHTPACK = "brightpack-logs"


def test_debrief_right_answer_passes_and_shows_the_reps_words_as_theirs():
    it = item("05_debrief_the_call", BRIGHTPACK)
    answer = DebriefAnswer("advance", "Maria", "sends the line 3 downtime logs", date(2026, 3, 6),
                           ("attitude", "decision_process"))
    result = check_debrief(it, answer)
    assert result.passed and result.score == 1.0, result.feedback
    commitment = result.check("commitment")
    assert commitment.message == ("Your commitment: Maria - sends the line 3 downtime logs - Fri 6 Mar 2026 - "
                                  "named, the client's own action, dated.")
    assert "The coach's version: Maria Lopez - send six months of downtime logs - by Fri 6 Mar 2026." in result.feedback
    assert "Outcome: advance." in result.answer


def test_debrief_our_action_in_the_clients_name_fails():
    it = item("05_debrief_the_call", BRIGHTPACK)
    result = check_debrief(it, DebriefAnswer("advance", "Maria", "We send Maria our proposal", date(2026, 3, 6),
                                             ("attitude", "decision_process")))
    assert not result.passed
    assert result.check("commitment").message == "What: that is our action - write what the client will do."
    assert "Maria Lopez" not in result.feedback and "downtime logs" not in result.feedback  # the key is not shown


def test_debrief_an_order_may_record_the_signature():
    it = item("05_debrief_the_call", "signed-at-harbor")
    answer = DebriefAnswer("order", "Irene Walsh", "signed the order", date(2026, 3, 9), ("consequence", "competition"))
    assert check_debrief(it, answer).passed
    late = DebriefAnswer("order", "Irene Walsh", "signed the order", date(2026, 4, 20), ("consequence", "competition"))
    assert "By when: that is not the date the summary gives" in check_debrief(it, late).feedback


def test_debrief_the_wrong_client_person_or_our_side_is_named():
    it = item("05_debrief_the_call", "pilot-on-line-3")
    other = check_debrief(it, DebriefAnswer("advance", "Maria Lopez", "start the pilot", date(2026, 4, 13), ("competition",)))
    assert "Who: Maria Lopez is on the client's side, but the commitment in the summary is someone else's." in other.feedback
    ours = check_debrief(it, DebriefAnswer("advance", "me", "start the pilot", date(2026, 4, 13), ("competition",)))
    assert "Who: that is our side" in ours.feedback
    typo = check_debrief(it, DebriefAnswer("advance", "Sam Patell", "start the pilot", date(2026, 4, 13), ("competition",)))
    assert typo.passed, typo.feedback


def test_debrief_wrong_outcome_says_why():
    it = item("05_debrief_the_call", "loved-the-demo")
    result = check_debrief(it, DebriefAnswer("advance", ask=("urgency", "consequence", "competition", "decision_process")))
    assert not result.passed and result.reveals_key
    assert "The outcome is a continuation, not an advance" in result.feedback
    assert "likely a continuation" in result.feedback  # score_debrief's verdict on an advance with no dated commitment
    assert "Good feelings" in result.feedback or "good feeling" in result.feedback


def test_debrief_commitment_without_date_or_person_fails():
    it = item("05_debrief_the_call", BRIGHTPACK)
    result = check_debrief(it, DebriefAnswer("advance", "", "send the logs", None, ("attitude", "decision_process")))
    commitment = result.check("commitment")
    assert not result.passed and not commitment.passed
    assert "Who: name the person on the client's side who committed." in result.feedback
    assert "By when: without a date it is not a commitment anyone can check." in result.feedback


def test_debrief_commitment_recorded_for_a_continuation_fails():
    it = item("05_debrief_the_call", "great-conversation")
    result = check_debrief(it, DebriefAnswer("continuation", "Tom", "think about it", None, tuple(it.still_to_ask)))
    assert not result.passed and "don't record one that wasn't made" in result.feedback


def test_debrief_coach_questions_missing_and_extra():
    it = item("05_debrief_the_call", BRIGHTPACK)
    answer = DebriefAnswer("advance", "Maria Lopez", "send downtime logs", date(2026, 3, 6), ("urgency",))
    result = check_debrief(it, answer)
    questions = result.check("questions")
    assert not questions.passed and not result.passed and result.reveals_key
    assert COACH_QUESTIONS["decision_process"] in result.feedback
    assert "The summary already answers urgency" in result.feedback
    assert 0 < result.score < 1


def test_debrief_without_outcome_is_blank():
    assert check_debrief(item("05_debrief_the_call", BRIGHTPACK), DebriefAnswer()).blank


# -- every shipped item can be passed with its model answer ----------------------------------------


@pytest.mark.parametrize("workbook", WORKBOOKS)
def test_every_item_passes_with_its_model_answer(workbook: str):
    from callkit.exercises.checks import check_answer
    from callkit.exercises.kinds import CheckContext, get_kind

    failing = {}
    book = load_workbook(workbook)
    kind = get_kind(book.kind)
    for it in book.items:
        result = check_answer(it, kind.model_answer(it, CheckContext()))
        if not result.passed:
            failing[it.id] = result.feedback
    assert not failing, failing


def test_no_feedback_or_item_text_names_a_seed_file():
    import re

    for workbook in WORKBOOKS:
        text = (ROOT / "callkit" / "data" / "exercises" / f"{workbook}.yaml").read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        assert not re.search(r"seed \d", body, re.I), workbook


# -- progress in memory ---------------------------------------------------------------------------


def ticking_clock():
    start = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
    steps = iter(range(10_000))
    return lambda: start + timedelta(seconds=next(steps))


def test_order_is_stable_within_an_attempt_and_differs_between_attempts():
    ids = load_workbook("01_advance_or_continuation").item_ids
    first = draw_order(ids, "r01", "01_advance_or_continuation", 1)
    assert first == draw_order(ids, "r01", "01_advance_or_continuation", 1)
    assert sorted(first) == sorted(ids)
    assert first != draw_order(ids, "r01", "01_advance_or_continuation", 2)
    assert first != draw_order(ids, "r02", "01_advance_or_continuation", 1)


def wrong_label(it) -> str:
    """A category that is wrong for a classify item (and one its buttons offer)."""
    return "continuation" if it.answer != "continuation" else "advance"


def test_memory_session_saves_and_resumes_at_the_first_open_item():
    book = load_workbook("01_advance_or_continuation")
    store = MemoryStore()
    session = ExerciseSession(book, "guest", store, clock=ticking_clock())
    order = list(session.order)
    assert session.position == 0 and session.progress_text() == f"0 of {len(order)} done: 0 right first time, 0 passed"
    for _ in range(3):
        right = book.item(order[session.position]).answer
        assert session.submit(right).passed
        session.next()
    wrong = wrong_label(book.item(order[3]))
    assert not session.submit(wrong).passed
    saved = store.results("guest", book.id)
    assert [r.item_id for r in saved] == order[:4]
    assert [r.passed for r in saved] == [True, True, True, False]
    assert all(r.attempt == 1 and r.feedback and r.try_number == 1 for r in saved)
    assert [r.first_passed for r in saved] == [True, True, True, False] and saved[3].reveals_key

    reopened = ExerciseSession(book, "guest", store)
    assert reopened.order == order
    assert reopened.position == 4 and reopened.current.id == order[4]
    assert reopened.done_ids == set(order[:4]) and reopened.passed_ids == set(order[:3])
    assert reopened.progress_text() == f"4 of {len(order)} done: 3 right first time, 3 passed"
    assert reopened.last_result(order[3]).answer == {"advance": "Advance", "continuation": "Continuation"}[wrong]


def test_a_pass_after_the_feedback_named_the_answer_counts_as_passed_after_help():
    book = load_workbook("01_advance_or_continuation")
    store = MemoryStore()
    session = ExerciseSession(book, "guest", store, clock=ticking_clock())
    it = session.current
    assert not session.submit(wrong_label(it)).passed  # the feedback names the right category
    assert session.submit(it.answer).passed
    first, second = store.results("guest", book.id)
    assert (first.try_number, first.after_help, first.reveals_key) == (1, False, True)
    assert (second.try_number, second.after_help) == (2, True)
    assert second.first_passed is False and second.first_score == 0.0  # the first try is stored with every row
    assert second.best_passed is False and second.best_score == 0.0  # a pass after help raises neither
    figures = session.figures()
    assert (figures.first_try, figures.passed, figures.passed_after_help) == (0, 0, 1)
    assert figures.status(it.id) == "passed after help"
    assert session.progress_text().endswith("0 passed, 1 after help")


def test_a_later_pass_on_the_reps_own_counts_as_passed():
    book = load_workbook("03_whats_in_it_for_the_customer")
    store = MemoryStore()
    session = ExerciseSession(book, "guest", store, clock=ticking_clock())
    while session.current.id != "hospital-cfo":
        session.next()
    first = session.submit(ValueAnswer("She saves money"))  # its feedback gives hints, not the answer
    assert not first.passed and not first.reveals_key
    assert session.submit(ValueAnswer("She gets supply-cost savings from her own data that she can defend to the board")).passed
    f = session.figures().items["hospital-cfo"]
    assert (f.first_passed, f.passed, f.passed_after_help, f.best_score) == (False, True, False, 1.0)


def test_the_strip_the_summary_and_the_report_figures_agree():
    from callkit.exercises.figures import figures_by_workbook, workbook_figures

    book = load_workbook("01_advance_or_continuation")
    store = MemoryStore()
    session = ExerciseSession(book, "guest", store, clock=ticking_clock())
    for n, item_id in enumerate(list(session.order)):
        it = book.item(item_id)
        if n % 3 == 0:
            session.submit(wrong_label(it))
            if n % 2 == 0:
                session.submit(it.answer)  # after help
        else:
            session.submit(it.answer)
        session.next()
    figures = session.figures()
    saved = store.results("guest", book.id)
    report = figures_by_workbook(saved, {book.id: len(book.items)})[book.id]
    assert report.as_row() == figures.as_row() == workbook_figures(saved, book.id, total=len(book.items)).as_row()
    rows = session.summary()
    assert sum(r.passed for r in rows) == figures.passed and sum(r.first_passed for r in rows) == figures.first_try
    assert f"{figures.passed} passed" in session.progress_text() and f"{figures.passed} passed" in session.summary_text()
    assert f"{figures.accuracy:.0%} first-try accuracy" in session.summary_text()
    assert figures.passed + figures.passed_after_help + figures.not_passed == figures.answered == len(book.items)


def test_retry_the_ones_i_missed():
    book = load_workbook("01_advance_or_continuation")
    store = MemoryStore()
    session = ExerciseSession(book, "guest", store, clock=ticking_clock())
    missed = []
    for n, item_id in enumerate(list(session.order)):
        it = book.item(item_id)
        if n in (1, 4):
            session.submit(wrong_label(it))
            missed.append(item_id)
        else:
            session.submit(it.answer)
        session.next()
    assert session.current is None and session.missed_ids() == missed
    assert session.start_retry() == missed
    assert session.retrying and session.current.id == missed[0] and session.queue == missed
    session.submit(book.item(missed[0]).answer)
    session.next()
    session.submit(wrong_label(book.item(missed[1])))
    session.next()
    assert session.current is None and not session.retrying  # back at the summary
    retried = [r for r in store.results("guest", book.id) if r.retry]
    assert [r.item_id for r in retried] == missed and all(r.after_help for r in retried)
    figures = session.figures()
    assert figures.first_try == len(book.items) - 2 and figures.passed_after_help == 1 and figures.not_passed == 1
    assert session.missed_ids() == missed  # first tries do not change


def test_nothing_to_retry_is_a_plain_message():
    book = load_workbook("01_advance_or_continuation")
    session = ExerciseSession(book, "guest", MemoryStore())
    with pytest.raises(CallkitError, match="nothing to retry"):
        session.start_retry()


def test_blank_answers_are_not_saved():
    store = MemoryStore()
    session = ExerciseSession(load_workbook("02_sharpen_the_objective"), "guest", store)
    assert session.submit("   ").blank
    value = ExerciseSession(load_workbook("03_whats_in_it_for_the_customer"), "guest", store)
    while value.current.id != "pitch-new-module":  # a reschedule item: a blank text used to be saved as a failure
        value.next()
    assert value.submit(ValueAnswer("")).blank
    assert store.results("guest", "02_sharpen_the_objective") == []
    assert store.results("guest", "03_whats_in_it_for_the_customer") == []


def test_finishing_shows_the_summary_and_start_again_draws_a_new_order():
    book = load_workbook("01_advance_or_continuation")
    store = MemoryStore()
    session = ExerciseSession(book, "guest", store, clock=ticking_clock())
    first_order = list(session.order)
    for n, item_id in enumerate(first_order):
        it = book.item(item_id)
        session.submit(it.answer if n % 2 == 0 else wrong_label(it))
        session.next()
    assert session.is_complete and session.current is None
    rows = session.summary()
    assert [r.item_id for r in rows] == first_order
    assert sum(r.passed for r in rows) == (len(first_order) + 1) // 2
    assert session.summary_text().startswith(f"You answered {len(first_order)} of {len(first_order)} items: ")

    reopened = ExerciseSession(book, "guest", store)
    assert reopened.current is None  # a finished attempt reopens at its summary
    reopened.start_again()
    assert reopened.attempt == 2 and reopened.position == 0 and reopened.done_count == 0
    assert reopened.order != first_order
    reopened.submit(book.item(reopened.order[0]).answer)
    again = ExerciseSession(book, "guest", store)
    assert again.attempt == 2 and again.order == reopened.order and again.position == 1


def test_submitting_after_the_end_is_a_plain_error():
    book = load_workbook("01_advance_or_continuation")
    session = ExerciseSession(book, "guest", MemoryStore())
    session.go_to(session.total)
    with pytest.raises(CallkitError, match="finished"):
        session.submit("advance")


def test_rep_matching_and_new_ids():
    reps = [Rep(rep_id="r01", name="Ana Diaz"), Rep(rep_id="r07", name="Ben Ode"), Rep(rep_id="r08", name="Jamie Haddad")]
    assert match_rep("ana  diaz", reps).rep_id == "r01"
    assert match_rep("Ben Ode (r07)", reps).rep_id == "r07"
    assert match_rep("R07", reps).rep_id == "r07"
    assert match_rep("Cleo", reps) is None
    assert next_rep_id(["r01", "r07", "coach"]) == "r08"
    assert next_rep_id([]) == "r01"


def test_a_name_one_letter_off_asks_did_you_mean():
    reps = [Rep(rep_id="r01", name="Ana Diaz"), Rep(rep_id="r08", name="Jamie Haddad")]
    close = find_rep("Jamie Hadad", reps)
    assert close.rep is None and [r.rep_id for r in close.close] == ["r08"]
    assert close.question() == "Did you mean Jamie Haddad?"
    assert find_rep("haddad jamie", reps).close[0].rep_id == "r08"  # the words the other way round
    assert find_rep("jamie haddad", reps).rep.rep_id == "r08"  # exact, any case: no question
    new = find_rep("Cleo Park", reps)
    assert new.is_new and new.question() == "Cleo Park is not in this workspace yet. Add Cleo Park as a new rep?"


def test_without_a_workspace_progress_is_not_saved_and_says_how():
    store, message = open_store(None, environ=NO_ENV)
    assert isinstance(store, MemoryStore) and message == NOT_SAVED
    assert "CALLKIT_WORKSPACE" in message and "callkit init" in message
    assert "close JupyterLab and start it again" in message and "reopen this workbook" not in message


def test_a_wrong_workspace_path_is_explained(tmp_path: Path):
    store, message = open_store(None, environ={"CALLKIT_WORKSPACE": str(tmp_path / "nope")})
    assert isinstance(store, MemoryStore)
    assert message.startswith("Progress is not being saved:") and "nope" in message and "start it again" in message


# -- progress in a workspace ----------------------------------------------------------------------


def test_workspace_store_saves_every_answer_and_resumes(fresh_ws_path: Path):
    from callkit.workspace import Workspace

    store, message = open_store(fresh_ws_path)
    assert isinstance(store, WorkspaceStore) and "saved" in message
    assert store.find_rep("Resume Rita").is_new
    rep = store.add_rep("Resume Rita")
    book = load_workbook("05_debrief_the_call")
    session = ExerciseSession(book, rep.rep_id, store)
    first = book.item(session.order[0])
    session.submit(DebriefAnswer(first.outcome))
    session.next()
    session.submit(DebriefAnswer("no_sale"))

    with Workspace.open(fresh_ws_path) as ws:
        saved = ws.exercise_results(rep_id=rep.rep_id, workbook=book.id)
        frame = ws.exercise_results_frame(rep_id=rep.rep_id)
    assert [r.item_id for r in saved] == session.order[:2]
    assert saved[0].answer.startswith(f"Outcome: {first.outcome.replace('_', ' ')}.")
    assert list(frame["item_id"]) == session.order[:2] and set(frame["attempt"]) == {1}
    assert {"try_number", "after_help", "first_passed", "best_score"} <= set(frame.columns)  # the honest score, stored

    reopened = ExerciseSession(book, rep.rep_id, store)
    assert reopened.order == session.order and reopened.position == 2
    assert ExerciseSession(book, "someone-else", store).done_count == 0


def test_a_new_name_is_added_only_after_the_rep_confirms(fresh_ws_path: Path):
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("01_advance_or_continuation", workspace=fresh_ws_path)
    before = len(app.store.reps())
    question = app.choose_rep("  Zoe   Quist ")
    assert question == "Zoe Quist is not in this workspace yet. Add Zoe Quist as a new rep?"
    assert len(app.store.reps()) == before and app.session is None and app.confirm_box.layout.display == ""
    app.cancel_pick()
    assert app.confirm_box.layout.display == "none" and len(app.store.reps()) == before
    app.choose_rep("Zoe Quist")
    greeting = app.add_new_rep()
    reps = app.store.reps()
    assert len(reps) == before + 1 and reps[-1].name == "Zoe Quist"
    assert "you were added to the workspace" in greeting
    assert app.session.rep_id == reps[-1].rep_id and app.confirm_box.layout.display == "none"
    assert "Zoe Quist" in " ".join(app.picker.options)
    assert "Welcome, Zoe Quist." == ExerciseApp("01_advance_or_continuation", workspace=fresh_ws_path).choose_rep("zoe quist")


def test_a_name_one_letter_off_does_not_create_a_ghost_rep(fresh_ws_path: Path):
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("01_advance_or_continuation", workspace=fresh_ws_path)
    existing = app.store.reps()[0]
    typo = existing.name[:-1] + existing.name[-1] * 2  # one letter more
    before = len(existing and app.store.reps())
    question = app.choose_rep(typo)
    assert question == f"Did you mean {existing.name}?"
    assert len(app.store.reps()) == before and app.session is None
    labels = [b.description for b in app.confirm_buttons.children]
    assert labels[0] == f"Yes, I'm {existing.name}" and labels[1] == f"No, I'm new: add {typo}"
    greeting = app.confirm_rep(existing.rep_id)
    assert greeting.startswith("Welcome") and app.session.rep_id == existing.rep_id
    assert len(app.store.reps()) == before


def test_app_closed_halfway_and_reopened_continues(fresh_ws_path: Path):
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("01_advance_or_continuation", workspace=fresh_ws_path)
    assert app.rep_row.layout.display == "" and app.session is None
    app.choose_rep("Halfway Hana")
    app.add_new_rep()
    label = next(o for o in app.picker.options if o.startswith("Halfway Hana ("))
    book = app.book
    for _ in range(3):
        app.form.choice.value = book.item(app.session.current.id).answer
        result = app.check()
        assert result.passed and "Passed" in app.feedback.value
        app.go_next()
    assert f"<b>3 of {len(book.items)} done: 3 right first time, 3 passed</b>" in app.progress_label.value
    assert app.progress_label.value.count("✓") == 3 and app.progress_label.value.count("○") == len(book.items) - 3
    assert app.progress_bar.value == 3

    again = ExerciseApp("01_advance_or_continuation", workspace=fresh_ws_path)
    greeting = again.choose_rep(label)
    assert greeting.startswith("Welcome back")
    assert again.session.position == 3
    assert "Item 4 of" in again.item_view.value
    again.go_previous()
    assert "you checked this item once. Right first time." in again.feedback.value  # a done item shows its last answer
    assert again.form.choice.value == book.item(again.session.current.id).answer


def test_app_shows_passed_after_help_and_offers_a_retry_round():
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("01_advance_or_continuation", environ=NO_ENV)
    book = app.book
    it = book.item(app.session.current.id)
    app.form.choice.value = wrong_label(it)
    app.check()
    assert "Not yet" in app.feedback.value
    app.form.choice.value = it.answer
    app.check()
    assert "Passed after help" in app.feedback.value and "◐" in app.progress_label.value
    app.go_next()
    for _ in range(app.session.total - 1):
        app.form.choice.value = book.item(app.session.current.id).answer
        app.check()
        app.go_next()
    assert app.summary_box.layout.display == ""
    assert "passed after help" in app.summary_view.value
    assert app.retry_button.layout.display == "" and app.retry_button.description == "Retry the ones I missed (1)"
    app.retry_missed()
    assert "Retry 1 of 1" in app.item_view.value and app.form.choice.value is None  # the form starts empty
    assert app.next_button.description == "Finish"
    app.go_next()
    assert app.summary_box.layout.display == ""


def test_button_labels_are_never_cut_off():
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("01_advance_or_continuation", environ=NO_ENV)
    assert app.form.choice.style.button_width == "auto"
    app = ExerciseApp("05_debrief_the_call", environ=NO_ENV)
    assert app.form.outcome.style.button_width == "auto"
    assert [label for label, _ in app.form.outcome.options] == ["Order", "Advance", "Continuation", "No sale"]


# -- the workbook widget without a workspace ------------------------------------------------------


def test_app_without_workspace_runs_as_guest_and_gives_feedback():
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("04_compress_the_process", environ=NO_ENV)
    assert "Progress is not being saved" in app.saving.value and "start it again" in app.saving.value
    assert app.session is not None and app.session.rep_id == "guest"
    assert app.rep_row.layout.display == "none"
    first = app.session.current
    box = next(iter(app.form.boxes.values()))
    box.value = True
    result = app.check()
    assert result.answer == next(iter(app.form.boxes))
    assert "compression" in app.feedback.value or "realistic" in app.feedback.value
    assert app.session.last_result(first.id) is not None
    assert "minutes" in app.item_view.value and "in the room" in app.item_view.value


def test_app_check_with_nothing_chosen_does_not_save():
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("01_advance_or_continuation", environ=NO_ENV)
    result = app.check()
    assert result.blank and app.session.done_count == 0 and "Choose" in app.feedback.value


def test_app_goes_to_the_summary_after_the_last_item():
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("03_whats_in_it_for_the_customer", environ=NO_ENV)
    for _ in range(app.session.total):
        app.form.reschedule.value = True
        app.check()
        app.go_next()
    assert app.summary_box.layout.display == "" and app.item_box.layout.display == "none"
    assert "Summary: What" in app.summary_view.value and "customer?" in app.summary_view.value
    assert "You answered 10 of 10 items" in app.summary_view.value
    assert app.session.summary_text() in app.summary_view.value.replace("&#x27;", "'")
    app.start_again()
    assert app.session.attempt == 2 and app.item_box.layout.display == ""


def test_debrief_form_builds_the_answer_and_restores_it():
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("05_debrief_the_call", environ=NO_ENV)
    it = app.session.current
    form = app.form
    form.outcome.value = it.outcome
    if it.commitment:
        form.who.value, form.what.value, form.by.value = it.commitment.who, it.commitment.what, it.commitment.by
    for topic in it.still_to_ask:
        form.asks[topic].value = True
    result = app.check()
    assert result.passed, result.feedback
    app.go_next()
    app.go_previous()
    assert app.form.outcome.value == it.outcome and app.form.value() == form.value()


def test_objective_form_previews_while_typing():
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("02_sharpen_the_objective", environ=NO_ENV)
    app.form.text.value = "Demonstrate our product"
    assert "✗ Advance" in app.form.preview.value  # no event loop in tests: the debouncer runs at once


def test_rep_text_is_escaped_in_the_page():
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("02_sharpen_the_objective", environ=NO_ENV)
    app.form.text.value = "<script>alert(1)</script> Maria sends <b>logs</b> by Friday"
    app.check()
    app.go_next()
    app.go_previous()
    assert "<script>" not in app.feedback.value and "&lt;script&gt;" in app.feedback.value


def test_an_unknown_workbook_is_reported_in_the_page():
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("06_not_shipped", environ=NO_ENV)
    assert app.book is None and "there is no workbook called &#x27;06_not_shipped&#x27;" in app.status.value


def test_a_broken_coach_items_file_is_reported_in_the_page(fresh_ws_path: Path):
    from callkit.ui.exercise import ExerciseApp

    folder = fresh_ws_path / "exercises"
    folder.mkdir()
    (folder / "01_advance_or_continuation.yaml").write_text(
        "workbook: 01_advance_or_continuation\nkind: classify\ntitle: Ours\nsource: our coach\n"
        "items:\n  - {id: ours-1, about: outcome, text: They signed, answer: yes, why: It is signed}\n",
        encoding="utf-8",
    )
    app = ExerciseApp("01_advance_or_continuation", workspace=fresh_ws_path)
    assert app.book is None
    assert "01_advance_or_continuation.yaml, item ours-1: answer True must be one of order" in app.status.value


# -- the notebooks --------------------------------------------------------------------------------


@pytest.mark.parametrize("workbook", WORKBOOKS)
def test_notebook_is_clean_thin_and_names_its_source(workbook: str):
    nb = json.loads((ROOT / "exercises" / f"{workbook}.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    markdown = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert len(code) <= 2
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    assert f'open_workbook("{workbook}")' in "".join(code[-1]["source"])
    assert "Run All Cells" in markdown
    assert "seed" not in markdown.lower()  # a rep does not know the seed files
    assert "before JupyterLab starts" in markdown and "CALLKIT_WORKSPACE" in markdown  # not "reopen the workbook"
    for title in __import__("re").findall(r'"([^"]+)"', load_workbook(workbook).source):
        assert title in markdown  # the lesson names the article the items come from


def test_each_workbook_notebook_is_found_and_an_unknown_one_is_one_sentence(tmp_path):
    from callkit.exceptions import ExerciseItemsError
    from callkit.exercises.notebooks import copy_workbooks, workbook_notebook

    assert [workbook_notebook(w).name for w in WORKBOOKS] == [f"{w}.ipynb" for w in WORKBOOKS]
    with pytest.raises(ExerciseItemsError, match="there is no workbook called 'nope'"):
        workbook_notebook("nope")
    assert [p.name for p in copy_workbooks(tmp_path)] == [f"{w}.ipynb" for w in WORKBOOKS]
    assert copy_workbooks(tmp_path) == []


# -- a rep in a real browser: answer two items, close, reopen, continue -------------------------------

def _open_as(page, url: str, name: str, new: bool = False) -> None:
    page.goto(url, timeout=90_000)
    page.wait_for_selector(".ck-ex-picker input", timeout=90_000)
    page.fill(".ck-ex-picker input", name)
    page.click(".ck-ex-start")
    if new:  # a new name is added only once the rep says so
        page.click(".ck-ex-confirm-new", timeout=60_000)
    page.wait_for_selector(".ck-ex-progress b", timeout=60_000)


@needs_chromium
def test_a_rep_stops_halfway_and_continues_in_the_browser(fresh_ws_path: Path):
    import os
    import subprocess
    import sys

    sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    from callkit.workspace import Workspace

    port = free_port()
    env = dict(os.environ, CALLKIT_WORKSPACE=str(fresh_ws_path))
    voila = Path(sys.executable).with_name("voila")
    proc = subprocess.Popen(
        [str(voila), str(ROOT / "exercises" / "01_advance_or_continuation.ipynb"), f"--port={port}", "--no-browser",
         "--Voila.ip=127.0.0.1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    total = len(load_workbook("01_advance_or_continuation").items)
    try:
        wait_for_port(port, proc)
        with sync_api.sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            _open_as(page, url, "Browser Bea", new=True)
            assert f"0 of {total} done" in page.inner_text(".ck-ex-progress")
            for n in (1, 2):
                assert f"Item {n} of {total}" in page.inner_text(".ck-ex-item")
                page.locator(".ck-ex-choice button", has_text="Continuation").click()
                page.click(".ck-ex-check-button")
                page.wait_for_function(
                    f"document.querySelector('.ck-ex-progress').innerText.includes('{n} of {total} done')")
                assert "it is" in page.inner_text(".ck-ex-feedback-view")  # the verdict and why
                page.click(".ck-ex-next-button")
                page.wait_for_function(f"document.querySelector('.ck-ex-item').innerText.includes('Item {n + 1} of')")
            page.close()

            page = browser.new_page()  # closed halfway; open the workbook again
            _open_as(page, url, "browser bea")
            assert f"2 of {total} done" in page.inner_text(".ck-ex-progress")
            assert f"Item 3 of {total}" in page.inner_text(".ck-ex-item")
            browser.close()
    finally:
        interrupt(proc)
    with Workspace.open(fresh_ws_path) as ws:
        rep = next(r for r in ws.reps() if r.name == "Browser Bea")
        saved = ws.exercise_results(rep_id=rep.rep_id, workbook="01_advance_or_continuation")
    assert len(saved) == 2 and all(r.answer == "Continuation" and r.feedback for r in saved)


# -- what the page says about saved answers -----------------------------------------------------------------------

class _TroubledStore(MemoryStore):
    """A store with one saved answer it could not read back, and a workspace that refuses writes."""

    def __init__(self, folder: str) -> None:
        super().__init__()
        self.damaged = ["one unreadable answer"]
        self.folder = folder
        self.read_only = True

    def save(self, result: ExerciseResult) -> None:
        if self.read_only:
            raise WorkspaceReadOnlyError(self.folder)
        super().save(result)


def test_notices_html_says_what_happened_to_saved_answers_escaped():
    from callkit.ui.exercise import notices_html

    book = load_workbook("01_advance_or_continuation")
    assert notices_html(ExerciseSession(book, "r01", MemoryStore())) == ""
    session = ExerciseSession(book, "r01", _TroubledStore("/srv/<team>"))
    page = notices_html(session)
    assert "1 of your saved answers could not be read back" in page and session.save_notice == ""
    session.submit(session.current.answer)
    page = notices_html(session)
    assert "The workspace /srv/&lt;team&gt; is read-only for you" in page and "<team>" not in page
    assert "Your answer is kept on this page until you close it." in page


def test_the_page_shows_damaged_and_unsaved_answers_and_clears_them_once_saved():
    from callkit.ui.exercise import ExerciseApp, GUEST_ID

    app = ExerciseApp("01_advance_or_continuation", environ=NO_ENV)
    assert app.notices.value == ""
    store = _TroubledStore("/srv/team")
    app.store = store
    app.start(GUEST_ID)
    assert "could not be read back" in app.notices.value and "read-only" not in app.notices.value
    app.form.choice.value = app.book.item(app.session.current.id).answer
    app.check()
    assert "is read-only for you" in app.notices.value and "kept on this page" in app.notices.value
    store.read_only = False  # the owner gave write access: the next check saves both answers
    app.go_next()
    app.form.choice.value = app.book.item(app.session.current.id).answer
    app.check()
    assert "read-only" not in app.notices.value and len(store.results(GUEST_ID, app.book.id)) == 2
