"""The functions behind each exercise, progress (in memory and in a workspace), and the workbook widget's logic."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from callkit.exceptions import CallkitError
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
from callkit.exercises.items import WORKBOOKS, load_workbook
from callkit.exercises.progress import (
    NOT_SAVED,
    ExerciseSession,
    MemoryStore,
    WorkspaceStore,
    draw_order,
    match_rep,
    next_rep_id,
    open_store,
)
from callkit.models import Rep

ROOT = Path(__file__).resolve().parent.parent
NO_ENV: dict[str, str] = {}


def item(workbook: str, item_id: str):
    return load_workbook(workbook).item(item_id)


# -- 01 advance or continuation -------------------------------------------------------------------


def test_classification_right_answer():
    it = item("01_advance_or_continuation", "downtime-logs")
    result = check_classification(it, "advance")
    assert result.passed and result.score == 1.0
    assert "Right: it is an advance" in result.feedback
    assert it.why in result.feedback


def test_classification_wrong_answer_says_why():
    it = item("01_advance_or_continuation", "demo-abc-module")
    result = check_classification(it, "advance")
    assert not result.passed and result.score == 0.0
    assert "it is not a client action, not an advance" in result.feedback
    assert "not client-driven" in result.feedback  # the item's explanation, from the data
    assert result.answer == "Advance"


def test_classification_continuation_vs_seller_action():
    it = item("01_advance_or_continuation", "keep-in-touch")
    assert check_classification(it, "continuation").passed
    wrong = check_classification(it, "not_client_action")
    assert not wrong.passed and "Good feelings are not the acid test" in wrong.feedback


def test_classification_without_a_choice_is_blank():
    result = check_classification(item("01_advance_or_continuation", "downtime-logs"), None)
    assert result.blank and not result.passed and "Choose" in result.feedback


def test_objective_checker_agreement_is_shown_only_when_it_agrees():
    from callkit.scoring.objective import assess_objective

    it = item("01_advance_or_continuation", "persuade-dave")
    result = check_classification(it, "not_client_action")
    agrees = assess_objective(it.text).is_advance is False
    assert ("objective checker agrees" in result.feedback) == agrees


# -- 02 sharpen the objective ---------------------------------------------------------------------


def test_objective_rewrite_passes_when_specific_advance_realistic():
    it = item("02_sharpen_the_objective", "keep-momentum")
    result = check_objective(it, "Maria sends us three months of downtime logs for line 3 by Friday.")
    assert result.passed, result.feedback
    assert [c.name for c in result.checks] == ["specific", "advance", "realistic"]
    assert all(c.passed for c in result.checks) and result.score == 1.0
    assert it.example in result.feedback  # a coach's version is shown once the rep passes


def test_objective_seller_action_fails_and_says_what_is_missing():
    it = item("02_sharpen_the_objective", "demo-module")
    result = check_objective(it, "Demonstrate the scheduling module to Lena and her planners on Tuesday")
    assert not result.passed and result.score < 1.0
    advance = next(c for c in result.checks if c.name == "advance")
    assert not advance.passed
    assert "not what the client will do" in advance.message  # assess_objective's reason, on the failed check
    assert it.problem in result.feedback


def test_objective_unrealistic_for_the_stage_fails_on_realism():
    it = item("02_sharpen_the_objective", "close-at-qualify")
    result = check_objective(it, "Jana signs the contract for the full warehouse rollout by Friday")
    realistic = next(c for c in result.checks if c.name == "realistic")
    assert not result.passed and not realistic.passed
    assert "Qualify" in realistic.message and "closing" in realistic.message


def test_objective_unchanged_or_blank():
    it = item("02_sharpen_the_objective", "close-at-qualify")
    same = check_objective(it, "  close the deal. ")
    assert not same.passed and "That is the original objective" in same.feedback
    assert check_objective(it, "   ").blank


# -- 03 what's in it for the customer -------------------------------------------------------------


def test_customer_value_in_their_terms_passes():
    it = item("03_whats_in_it_for_the_customer", "hospital-cfo")
    result = check_customer_value(it, ValueAnswer(it.example))
    assert result.passed, result.feedback
    assert "In the customer's terms" in result.feedback


def test_customer_value_about_us_fails_with_the_reschedule_rule():
    it = item("03_whats_in_it_for_the_customer", "hospital-cfo")
    result = check_customer_value(it, ValueAnswer("We show our savings calculator and our product roadmap"))
    assert not result.passed
    assert "Still about us" in result.feedback
    assert RESCHEDULE_RULE in result.feedback


def test_customer_value_unchanged_draft_fails():
    it = item("03_whats_in_it_for_the_customer", "line-3-downtime")
    result = check_customer_value(it, ValueAnswer(it.draft))
    assert not result.passed and "That is the draft" in result.feedback


def test_reschedule_is_right_when_nobody_could_answer():
    it = item("03_whats_in_it_for_the_customer", "get-in-front-of-coo")
    right = check_customer_value(it, ValueAnswer(reschedule=True))
    assert right.passed and "reschedule" in right.feedback
    wrong = check_customer_value(it, ValueAnswer("He gets an overview of our logistics platform"))
    assert not wrong.passed and RESCHEDULE_RULE in wrong.feedback and it.why in wrong.feedback


def test_reschedule_is_wrong_when_the_scenario_answers_it():
    it = item("03_whats_in_it_for_the_customer", "junior-attrition")
    result = check_customer_value(it, ValueAnswer(reschedule=True))
    assert not result.passed and "don't reschedule" in result.feedback


# -- 04 compress the process ----------------------------------------------------------------------

WORKSHOP = "discover-workshop"


def test_compression_good_and_realistic_passes():
    it = item("04_compress_the_process", WORKSHOP)
    chosen = ["Get their data to quantify the problem", "Agree the success criteria for a solution",
              "Meet the people affected day to day"]
    result = check_compression(it, chosen)
    assert result.passed
    assert "good compression" in result.feedback
    assert result.answer == "; ".join(chosen)


def test_compression_excellent_with_five():
    it = item("04_compress_the_process", WORKSHOP)
    chosen = ["Get their data to quantify the problem", "Agree the success criteria for a solution",
              "Meet the people affected day to day", "Confirm what happens if they do not act by their date",
              "Demo against their success criteria"]
    result = check_compression(it, chosen)
    assert result.passed and result.score == 1.0 and "excellent" in result.feedback


def test_compression_unrealistic_activity_fails_with_the_reason():
    it = item("04_compress_the_process", WORKSHOP)
    chosen = ["Get their data to quantify the problem", "Agree the success criteria for a solution",
              "Meet the people affected day to day", "Agree the value proposition with the sponsor"]
    result = check_compression(it, chosen)
    assert not result.passed
    assert '"Agree the value proposition with the sponsor" is not realistic in this call' in result.feedback
    assert "not in this workshop" in result.feedback  # the item's why, from the data


def test_compression_missing_prerequisite_fails():
    it = item("04_compress_the_process", WORKSHOP)
    chosen = ["Get their data to quantify the problem", "Meet the people affected day to day",
              "Demo against their success criteria"]
    result = check_compression(it, chosen)
    assert not result.passed
    assert '"Demo against their success criteria" needs "Agree the success criteria for a solution" first' in result.feedback


def test_compression_one_activity_is_normal_and_suggests_more():
    it = item("04_compress_the_process", WORKSHOP)
    result = check_compression(it, ["Get their data to quantify the problem"])
    assert not result.passed and 0 < result.score < 1
    assert "normal" in result.feedback and "aim for 3-4" in result.feedback
    assert "This call could also cover" in result.feedback
    assert check_compression(it, []).blank


def test_compression_levels_follow_seed_002():
    assert [compression_level(n) for n in range(7)] == ["none", "normal", "normal", "good", "good", "excellent", "excellent"]


# -- 05 debrief the call --------------------------------------------------------------------------

BRIGHTPACK = "brightpack-logs"


def test_debrief_right_answer_passes():
    it = item("05_debrief_the_call", BRIGHTPACK)
    answer = DebriefAnswer("advance", "Maria", "send six months of downtime logs", date(2026, 3, 6),
                           ("attitude", "decision_process"))
    result = check_debrief(it, answer)
    assert result.passed and result.score == 1.0, result.feedback
    assert "named, specific and dated" in result.feedback
    assert "Outcome: advance." in result.answer


def test_debrief_wrong_outcome_says_why():
    it = item("05_debrief_the_call", "loved-the-demo")
    result = check_debrief(it, DebriefAnswer("advance", ask=("urgency", "consequence", "competition", "decision_process")))
    assert not result.passed
    assert "The outcome is a continuation, not an advance" in result.feedback
    assert "likely a continuation" in result.feedback  # score_debrief's verdict on an advance with no dated commitment
    assert "Good feelings" in result.feedback or "good feeling" in result.feedback


def test_debrief_commitment_without_date_or_person_fails():
    it = item("05_debrief_the_call", BRIGHTPACK)
    result = check_debrief(it, DebriefAnswer("advance", "", "send the logs", None, ("attitude", "decision_process")))
    commitment = next(c for c in result.checks if c.name == "commitment")
    assert not result.passed and not commitment.passed
    assert "Who: it is Maria Lopez's commitment" in result.feedback
    assert "By when: Friday 6 March 2026" in result.feedback


def test_debrief_commitment_recorded_for_a_continuation_fails():
    it = item("05_debrief_the_call", "great-conversation")
    result = check_debrief(it, DebriefAnswer("continuation", "Tom", "think about it", None, tuple(it.still_to_ask)))
    assert not result.passed and "don't record one that wasn't made" in result.feedback


def test_debrief_coach_questions_missing_and_extra():
    it = item("05_debrief_the_call", BRIGHTPACK)
    answer = DebriefAnswer("advance", "Maria Lopez", "send downtime logs", date(2026, 3, 6), ("urgency",))
    result = check_debrief(it, answer)
    questions = next(c for c in result.checks if c.name == "questions")
    assert not questions.passed and not result.passed
    assert COACH_QUESTIONS["decision_process"] in result.feedback
    assert "The summary already answers urgency" in result.feedback
    assert 0 < result.score < 1


def test_debrief_without_outcome_is_blank():
    assert check_debrief(item("05_debrief_the_call", BRIGHTPACK), DebriefAnswer()).blank


# -- every shipped item can be passed with its model answer ----------------------------------------


def model_answer(it):
    """The answer a coach would give, built from the item's own data."""
    from callkit.exercises.items import ClassifyItem, CompressItem, DebriefItem, ObjectiveItem, ValueItem, compress_options

    if isinstance(it, ClassifyItem):
        return it.answer
    if isinstance(it, ObjectiveItem):
        return it.example
    if isinstance(it, ValueItem):
        return ValueAnswer(it.example or "", reschedule=not it.ready)
    if isinstance(it, CompressItem):
        blocked = {n.activity for n in it.unrealistic}
        reachable = [a for a in compress_options(it) if a not in blocked]
        return [a for a in reachable if all(r.after in reachable for r in it.requires if r.activity == a)]
    if isinstance(it, DebriefItem):
        c = it.commitment
        return DebriefAnswer(it.outcome, c.who if c else "", c.what if c else "", c.by if c else None, tuple(it.still_to_ask))
    raise TypeError(type(it))


@pytest.mark.parametrize("workbook", WORKBOOKS)
def test_every_item_passes_with_its_model_answer(workbook: str):
    from callkit.exercises.checks import check_answer

    failing = {}
    for it in load_workbook(workbook).items:
        result = check_answer(it, model_answer(it))
        if not result.passed:
            failing[it.id] = result.feedback
    assert not failing, failing


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


def test_memory_session_saves_and_resumes_at_the_first_open_item():
    book = load_workbook("01_advance_or_continuation")
    store = MemoryStore()
    session = ExerciseSession(book, "guest", store, clock=ticking_clock())
    order = list(session.order)
    assert session.position == 0 and session.progress_text() == f"0 of {len(order)} done, 0 passed"
    for _ in range(3):
        right = book.item(order[session.position]).answer
        assert session.submit(right).passed
        session.next()
    wrong = {"advance": "continuation"}.get(book.item(order[3]).answer, "advance")
    assert not session.submit(wrong).passed
    saved = store.results("guest", book.id)
    assert [r.item_id for r in saved] == order[:4]
    assert [r.passed for r in saved] == [True, True, True, False]
    assert all(r.attempt == 1 and r.feedback for r in saved)

    reopened = ExerciseSession(book, "guest", store)
    assert reopened.order == order
    assert reopened.position == 4 and reopened.current.id == order[4]
    assert reopened.done_ids == set(order[:4]) and reopened.passed_ids == set(order[:3])
    assert reopened.progress_text() == f"4 of {len(order)} done, 3 passed"
    assert reopened.last_result(order[3]).answer == {"advance": "Advance", "continuation": "Continuation"}[wrong]


def test_blank_answers_are_not_saved():
    book = load_workbook("02_sharpen_the_objective")
    store = MemoryStore()
    session = ExerciseSession(book, "guest", store)
    assert session.submit("   ").blank
    assert store.results("guest", book.id) == []


def test_finishing_shows_the_summary_and_start_again_draws_a_new_order():
    book = load_workbook("01_advance_or_continuation")
    store = MemoryStore()
    session = ExerciseSession(book, "guest", store, clock=ticking_clock())
    first_order = list(session.order)
    for n, item_id in enumerate(first_order):
        it = book.item(item_id)
        session.submit(it.answer if n % 2 == 0 else ("advance" if it.answer != "advance" else "continuation"))
        session.next()
    assert session.is_complete and session.current is None
    rows = session.summary()
    assert [r.item_id for r in rows] == first_order
    assert sum(r.passed for r in rows) == (len(first_order) + 1) // 2
    assert session.summary_text().startswith(f"You answered {len(first_order)} of {len(first_order)} items and passed")

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
    reps = [Rep(rep_id="r01", name="Ana Diaz"), Rep(rep_id="r07", name="Ben Ode")]
    assert match_rep("ana  diaz", reps).rep_id == "r01"
    assert match_rep("Ben Ode (r07)", reps).rep_id == "r07"
    assert match_rep("R07", reps).rep_id == "r07"
    assert match_rep("Cleo", reps) is None
    assert next_rep_id(["r01", "r07", "coach"]) == "r08"
    assert next_rep_id([]) == "r01"


def test_without_a_workspace_progress_is_not_saved_and_says_how():
    store, message = open_store(None, environ=NO_ENV)
    assert isinstance(store, MemoryStore) and message == NOT_SAVED
    assert "CALLKIT_WORKSPACE" in message and "callkit init" in message


def test_a_wrong_workspace_path_is_explained(tmp_path: Path):
    store, message = open_store(None, environ={"CALLKIT_WORKSPACE": str(tmp_path / "nope")})
    assert isinstance(store, MemoryStore)
    assert message.startswith("Progress is not being saved:") and "nope" in message


# -- progress in a workspace ----------------------------------------------------------------------


def test_workspace_store_saves_every_answer_and_resumes(fresh_ws_path: Path):
    from callkit.workspace import Workspace

    store, message = open_store(fresh_ws_path)
    assert isinstance(store, WorkspaceStore) and "saved" in message
    rep, created = store.find_or_add_rep("Resume Rita")
    assert created
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

    reopened = ExerciseSession(book, rep.rep_id, store)
    assert reopened.order == session.order and reopened.position == 2
    assert ExerciseSession(book, "someone-else", store).done_count == 0


def test_choosing_a_new_name_adds_the_rep(fresh_ws_path: Path):
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("01_advance_or_continuation", workspace=fresh_ws_path)
    before = len(app.store.reps())
    greeting = app.choose_rep("  Zoe   Quist ")
    reps = app.store.reps()
    assert len(reps) == before + 1 and reps[-1].name == "Zoe Quist"
    assert "you were added to the workspace" in greeting
    assert app.session.rep_id == reps[-1].rep_id
    assert "Zoe Quist" in " ".join(app.picker.options)
    assert "Welcome, Zoe Quist." == ExerciseApp("01_advance_or_continuation", workspace=fresh_ws_path).choose_rep("zoe quist")


def test_app_closed_halfway_and_reopened_continues(fresh_ws_path: Path):
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("01_advance_or_continuation", workspace=fresh_ws_path)
    assert app.rep_row.layout.display == "" and app.session is None
    app.choose_rep("Halfway Hana")
    label = next(o for o in app.picker.options if o.startswith("Halfway Hana ("))
    book = app.book
    for _ in range(3):
        app.form.choice.value = book.item(app.session.current.id).answer
        result = app.check()
        assert result.passed and "Passed" in app.feedback.value
        app.go_next()
    assert f"<b>3 of {len(book.items)} done, 3 passed</b>" in app.progress_label.value
    assert app.progress_label.value.count("✓") == 3 and app.progress_label.value.count("○") == len(book.items) - 3
    assert app.progress_bar.value == 3

    again = ExerciseApp("01_advance_or_continuation", workspace=fresh_ws_path)
    greeting = again.choose_rep(label)
    assert greeting.startswith("Welcome back")
    assert again.session.position == 3
    assert "Item 4 of" in again.item_view.value
    again.go_previous()
    assert "you checked this item once" in again.feedback.value  # a done item shows the last answer and feedback
    assert again.form.choice.value == book.item(again.session.current.id).answer


# -- the workbook widget without a workspace ------------------------------------------------------


def test_app_without_workspace_runs_as_guest_and_gives_feedback():
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("04_compress_the_process", environ=NO_ENV)
    assert "Progress is not being saved" in app.saving.value
    assert app.session is not None and app.session.rep_id == "guest"
    assert app.rep_row.layout.display == "none"
    first = app.session.current
    box = next(iter(app.form.boxes.values()))
    box.value = True
    result = app.check()
    assert result.answer == next(iter(app.form.boxes))
    assert "compression" in app.feedback.value or "realistic" in app.feedback.value
    assert app.session.last_result(first.id) is not None


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
    app.start_again()
    assert app.session.attempt == 2 and app.item_box.layout.display == ""


def test_debrief_form_builds_the_answer():
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


def test_objective_form_previews_while_typing():
    from callkit.ui.exercise import ExerciseApp

    app = ExerciseApp("02_sharpen_the_objective", environ=NO_ENV)
    app.form.text.value = "Demonstrate our product"
    assert "✗ Advance" in app.form.preview.value  # no event loop in tests: the debouncer runs at once


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
    assert "01_advance_or_continuation.yaml, item ours-1: answer: The answer must be one of" in app.status.value


# -- the notebooks --------------------------------------------------------------------------------


@pytest.mark.parametrize("workbook", WORKBOOKS)
def test_notebook_is_clean_thin_and_names_its_source(workbook: str):
    nb = json.loads((ROOT / "exercises" / f"{workbook}.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    markdown = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert len(code) <= 2
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    assert f'open_workbook("{workbook}")' in "".join(code[-1]["source"])
    assert "(seed 00" in markdown and "Run All Cells" in markdown
    source = load_workbook(workbook).source
    assert source.split(" (seed")[0] in markdown  # the lesson names the article the items come from


# -- a rep in a real browser: answer two items, close, reopen, continue -------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, proc, timeout: float = 60) -> None:
    import socket
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the Voila server exited early"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("the Voila server did not start listening")


def _open_as(page, url: str, name: str) -> None:
    page.goto(url, timeout=90_000)
    page.wait_for_selector(".ck-ex-picker input", timeout=90_000)
    page.fill(".ck-ex-picker input", name)
    page.click(".ck-ex-start")
    page.wait_for_selector(".ck-ex-progress b", timeout=60_000)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium "
                    "(apt-get install chromium): the real-browser exercise test needs it")
def test_a_rep_stops_halfway_and_continues_in_the_browser(fresh_ws_path: Path):
    import os
    import signal
    import subprocess
    import sys

    sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    from callkit.workspace import Workspace

    port = _free_port()
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
        _wait_for_port(port, proc)
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            _open_as(page, url, "Browser Bea")
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
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    with Workspace.open(fresh_ws_path) as ws:
        rep = next(r for r in ws.reps() if r.name == "Browser Bea")
        saved = ws.exercise_results(rep_id=rep.rep_id, workbook="01_advance_or_continuation")
    assert len(saved) == 2 and all(r.answer == "Continuation" and r.feedback for r in saved)
