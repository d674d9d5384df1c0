"""score_plan and the Rubric: every criterion's checks, partial credit, weights from YAML, ready flag, findings."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
import yaml

from callkit.exceptions import RubricError, UnknownStageError
from callkit.models import SEVERITY_RANK, CallPlan, Research
from callkit.process import SalesProcess
from callkit.scoring.plan import PLAN_CHECKS, Rubric, score_plan

PROCESS = SalesProcess.default()
DISCOVER = PROCESS.stage("discover").activities
CALL_DAY = date(2026, 10, 6)

ADVANCE = "Priya introduces us to her CFO by Friday"  # DESIGN.md's advance
SELLER_ACTION = "Demonstrate the ABC module"  # seed 004: not an advance
VAGUE = "Keep the momentum going"  # seed 004: too general
CENTRIC = "They get a benchmark of their downtime against peers"
ABOUT_US = "Hear about our product"
FALLBACK = "Priya sends us their downtime report by Thursday"
BUSINESS_Q = "What does an hour of downtime cost you today?"


def make_plan(**changes: object) -> CallPlan:
    """A plan a coach would call complete; `changes` override fields."""
    data: dict[str, object] = dict(
        call_id="c0001", deal_id="d001", rep_id="r01", call_date=CALL_DAY,
        objective=ADVANCE, fallback=FALLBACK, customer_value=CENTRIC,
        agenda=["Their downtime numbers", "Success criteria", "Next steps"],
        agenda_shared=True, agenda_agreed=True, agenda_agreed_on=date(2026, 10, 2),
        planned_steps=list(DISCOVER), questions=[BUSINESS_Q, "Who else signs off on a change like this?"],
        research=Research(goals="Cut unplanned downtime by 20%", obstacles="Old PLCs, no budget until Q2",
                          industry="Food packaging; tight margins"),
    )
    data.update(changes)
    return CallPlan(**data)  # type: ignore[arg-type]


def crit(score, cid):
    return score.criterion(cid)


def codes(score) -> list[str]:
    return [f.code for f in score.findings]


# -- the whole plan ----------------------------------------------------------------------------------


def test_complete_plan_scores_100_and_is_ready_without_findings():
    s = score_plan(make_plan(), PROCESS)
    assert s.total == 100
    assert s.ready is True
    assert s.findings == []
    assert s.compression == len(DISCOVER)
    assert [c.id for c in s.criteria] == list(PLAN_CHECKS)
    assert s.objective.is_advance


def test_blank_plan_scores_0_is_not_ready_and_explains_itself():
    s = score_plan(CallPlan(call_id="c1", deal_id="d1", rep_id="r1", call_date=CALL_DAY))
    assert s.total == 0
    assert s.ready is False
    assert s.findings[0].code == "plan.not_ready"
    assert "reschedule" in (s.findings[0].tip or "")
    assert all(c.score == 0 for c in s.criteria)


# -- objective ---------------------------------------------------------------------------------------


def test_objective_that_is_seller_action_fails_advance_and_quotes_it():
    s = score_plan(make_plan(objective=SELLER_ACTION))
    c = crit(s, "objective")
    assert ("advance", False) in c.checks
    finding = next(f for f in c.findings if f.code == "plan.objective.advance")
    assert SELLER_ACTION in finding.message
    assert finding.severity == "problem"
    assert s.ready is False


def test_vague_objective_fails_specific():
    s = score_plan(make_plan(objective=VAGUE))
    c = crit(s, "objective")
    assert ("specific", False) in c.checks
    assert any(f.code == "plan.objective.specific" and VAGUE in f.message for f in c.findings)


def test_realistic_check_is_skipped_without_stage_and_runs_with_one():
    signs = "The client signs the renewal for 3 years"  # closing: only realistic in the last steps
    no_stage = crit(score_plan(make_plan(objective=signs)), "objective")
    assert [name for name, _ in no_stage.checks] == ["advance", "specific"]
    early = crit(score_plan(make_plan(objective=signs), stage="qualify"), "objective")
    assert ("realistic", False) in early.checks
    finding = next(f for f in early.findings if f.code == "plan.objective.realistic")
    assert "Qualify" in finding.message and signs in finding.message
    late = crit(score_plan(make_plan(objective=signs), stage="negotiate"), "objective")
    assert ("realistic", True) in late.checks
    assert not any(f.code == "plan.objective.realistic" for f in late.findings)


def test_the_stage_recorded_on_the_plan_is_used_when_none_is_given():
    signs = "The client signs the renewal for 3 years"
    early = crit(score_plan(make_plan(objective=signs, stage="qualify")), "objective")
    assert ("realistic", False) in early.checks
    overridden = crit(score_plan(make_plan(objective=signs, stage="qualify"), stage="negotiate"), "objective")
    assert ("realistic", True) in overridden.checks


def test_unknown_stage_is_a_clear_error_naming_valid_ids():
    with pytest.raises(UnknownStageError, match="discover"):
        score_plan(make_plan(), stage="dicsover")


def test_blank_objective_gets_one_finding_for_both_checks():
    c = crit(score_plan(make_plan(objective="   ")), "objective")
    assert c.checks == [("advance", False), ("specific", False)]
    assert [f.code for f in c.findings] == ["plan.objective.advance"]
    assert c.findings[0].message == "The plan has no call objective."


# -- fallback ------------------------------------------------------------------------------------------


def test_fallback_missing_and_fallback_that_is_ours():
    missing = crit(score_plan(make_plan(fallback="")), "fallback")
    assert missing.checks == [("present", False), ("client_action", False)]
    assert [f.code for f in missing.findings] == ["plan.fallback.present"]
    ours = crit(score_plan(make_plan(fallback="We send the updated proposal")), "fallback")
    assert ours.checks == [("present", True), ("client_action", False)]
    assert "We send the updated proposal" in ours.findings[0].message
    assert ours.score == 0.5


# -- customer value -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", "TBD", " - ", "n/a", "🙂"])
def test_customer_value_not_answered(value):
    s = score_plan(make_plan(customer_value=value))
    c = crit(s, "customer_value")
    assert c.score == 0
    assert [f.code for f in c.findings] == ["plan.customer_value.answered"]
    assert s.ready is False


def test_customer_value_about_us_fails_their_terms_and_readiness():
    s = score_plan(make_plan(customer_value=ABOUT_US))
    c = crit(s, "customer_value")
    assert c.checks == [("answered", True), ("their_terms", False)]
    assert ABOUT_US in c.findings[0].message
    assert s.ready is False
    assert "customer value" in s.findings[0].message


# -- agenda ------------------------------------------------------------------------------------------------


def test_agenda_checks_each_fail_with_their_own_finding():
    none = crit(score_plan(make_plan(agenda=[], agenda_shared=False, agenda_agreed=False, agenda_agreed_on=None)),
                "agenda")
    assert none.checks == [("has_items", False), ("shared", False), ("theirs", False), ("agreed", False)]
    assert {f.code for f in none.findings} == {"plan.agenda.has_items", "plan.agenda.shared", "plan.agenda.agreed"}
    shared_only = crit(score_plan(make_plan(agenda_agreed=False, agenda_agreed_on=None)), "agenda")
    assert shared_only.checks == [("has_items", True), ("shared", True), ("theirs", True), ("agreed", False)]
    assert round(shared_only.score, 3) == round(3 / 4, 3)


@pytest.mark.parametrize("agenda", [
    ["Our product roadmap", "Our product tour", "Q&A"],
    ["About our company", "Demo of the reporting module", "Pricing and packages"],
])
def test_an_agenda_of_only_our_items_gets_a_finding(agenda):
    c = crit(score_plan(make_plan(agenda=agenda)), "agenda")
    assert ("theirs", False) in c.checks
    finding = next(f for f in c.findings if f.code == "plan.agenda.theirs")
    assert "ours" in finding.message and agenda[0] in finding.message


@pytest.mark.parametrize("agenda", [
    ["Our product roadmap", "Their downtime numbers for Q3", "Next steps"],
    ["Introductions", "Q&A", "Next steps"],             # nothing of ours either: no finding
    ["Their goals for Q3", "Walk through their scrap data"],
])
def test_an_agenda_with_their_items_or_only_neutral_ones_passes(agenda):
    assert ("theirs", True) in crit(score_plan(make_plan(agenda=agenda)), "agenda").checks


def test_an_objective_that_is_not_an_advance_caps_the_plan():
    advance = score_plan(make_plan(), PROCESS)
    seller = score_plan(make_plan(objective=SELLER_ACTION), PROCESS)
    assert advance.total == 100
    assert seller.total <= 50 and advance.total - seller.total >= 50
    ready = next(f for f in seller.findings if f.code == "plan.not_ready")
    assert "at most 50" in ready.tip
    vague = score_plan(make_plan(objective=VAGUE), PROCESS)
    assert vague.total <= 50


def test_a_workspace_rubric_can_set_or_switch_off_the_cap():
    off = Rubric.from_text("plan:\n  ready:\n    cap_without_advance: 100\n")
    assert score_plan(make_plan(objective=SELLER_ACTION), PROCESS, off).total > 50
    lower = Rubric.from_text("plan:\n  ready:\n    cap_without_advance: 30\n")
    assert score_plan(make_plan(objective=SELLER_ACTION), PROCESS, lower).total == 30
    with pytest.raises(RubricError, match="cap_without_advance"):
        Rubric.from_text("plan:\n  ready:\n    cap_without_advance: lots\n")


def test_agenda_agreed_after_the_call_is_not_agreed_before_it():
    s = score_plan(make_plan(agenda_agreed_on=date(2026, 10, 9)))
    c = crit(s, "agenda")
    assert ("agreed", False) in c.checks
    assert "2026-10-09" in c.findings[0].message and CALL_DAY.isoformat() in c.findings[0].message
    assert s.ready is False


def test_agenda_agreed_on_the_call_day_counts():
    assert crit(score_plan(make_plan(agenda_agreed_on=CALL_DAY)), "agenda").score == 1


# -- compression ----------------------------------------------------------------------------------------------


ALL_STEPS = [a for s in PROCESS.stages for a in s.activities]


@pytest.mark.parametrize(
    "n, score",
    [(0, 0.0), (1, 1 / 3), (2, 1 / 3), (3, 2 / 3), (4, 2 / 3), (5, 1.0), (7, 1.0)],
)
def test_compression_levels(n, score):
    s = score_plan(make_plan(planned_steps=ALL_STEPS[:n]))
    c = crit(s, "compression")
    assert s.compression == n
    assert c.score == pytest.approx(score)
    assert (len(c.findings) == 1) == (score < 1)


def test_compression_counts_distinct_steps_and_not_follow_ups():
    steps = [DISCOVER[0], DISCOVER[0].upper(), "Follow up on the pricing question", DISCOVER[1]]
    assert score_plan(make_plan(planned_steps=steps)).compression == 2


def test_follow_up_only_plan_gets_a_finding():
    s = score_plan(make_plan(planned_steps=["Follow up on the proposal", "Check in on the pilot"]))
    assert s.compression == 0
    finding = next(f for f in s.findings if f.code == "plan.compression.purpose")
    assert "follow up" in finding.message.lower() and "Follow up on the proposal" in finding.message
    assert "sole purpose" in finding.message


def test_follow_up_objective_without_steps_is_follow_up_only():
    s = score_plan(make_plan(objective="Follow up after the demo", agenda=["Recap the demo"], planned_steps=[]))
    finding = next(f for f in s.findings if f.code == "plan.compression.purpose")
    assert "sole purpose" in finding.message


def test_plan_without_steps_but_real_purpose_gets_the_plain_finding():
    s = score_plan(make_plan(planned_steps=[]), stage="discover")
    finding = next(f for f in s.findings if f.code == "plan.compression.purpose")
    assert "sole purpose" not in finding.message
    assert DISCOVER[0] in (finding.tip or "")  # the next activities of the process, with a stage


# -- homework and questions --------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["goals", "obstacles", "industry"])
def test_each_homework_field_is_a_check(field):
    research = make_plan().research.model_copy(update={field: ""})
    c = crit(score_plan(make_plan(research=research)), "homework")
    assert (field, False) in c.checks and c.score == pytest.approx(2 / 3)
    assert [f.code for f in c.findings] == [f"plan.homework.{field}"]


def test_questions_none_generic_and_business():
    none = crit(score_plan(make_plan(questions=[])), "questions")
    assert none.checks == [("has_questions", False), ("business_context", False)]
    assert len(none.findings) == 1
    generic = crit(score_plan(make_plan(questions=["Any questions?", "Does that make sense?"])), "questions")
    assert generic.checks == [("has_questions", True), ("business_context", False)]
    assert "Any questions?" in generic.findings[0].message
    business = crit(score_plan(make_plan(questions=["Any questions?", BUSINESS_Q])), "questions")
    assert business.score == 1


@pytest.mark.parametrize("question", [
    "What happens if this isn't in place by your go-live date?",
    "How do you measure success for the plant this year?",
    "Who else is involved in the decision?",
    "What is the impact of late shipments on your customers?",
])
def test_business_context_cues(question):
    assert Rubric.default().has_business_context(question)


@pytest.mark.parametrize("question", ["Any questions?", "How are you?", "Did you like our demo?", "Is it sunny?"])
def test_not_business_context(question):
    assert not Rubric.default().has_business_context(question)


# -- total, weights and the rubric file -----------------------------------------------------------------------------


def test_total_is_the_weighted_average_of_criteria():
    s = score_plan(make_plan(fallback="", questions=[], planned_steps=DISCOVER[:1]))
    weights = Rubric.default().weights()
    expected = round(100 * sum(weights[c.id] * c.score for c in s.criteria) / sum(weights.values()))
    assert s.total == expected
    assert 0 < s.total < 100


def test_default_weights_come_from_the_yaml_file():
    data = yaml.safe_load((Path(__file__).parent.parent / "callkit" / "data" / "rubric.yaml").read_text())
    assert Rubric.default().weights() == {k: float(v["weight"]) for k, v in data["plan"]["criteria"].items()}


def test_workspace_rubric_overrides_weights_and_messages(tmp_path: Path):
    (tmp_path / "rubric.yaml").write_text(
        "plan:\n  criteria:\n    homework: {weight: 0}\n"
        "    fallback:\n      weight: 40\n      checks:\n        present: {message: 'Write a fallback, please.'}\n",
        encoding="utf-8",
    )
    rubric = Rubric.for_workspace(tmp_path)
    assert rubric.weights()["homework"] == 0 and rubric.weights()["fallback"] == 40
    assert rubric.weights()["objective"] == Rubric.default().weights()["objective"]  # merged over the default
    plan = make_plan(fallback="", research=Research())
    s = score_plan(plan, rubric=rubric)
    assert "Write a fallback, please." in [f.message for f in s.findings]
    w = rubric.weights()
    assert s.total == round(100 * sum(w[c.id] * c.score for c in s.criteria) / sum(w.values()))
    assert s.total != score_plan(plan).total


def test_workspace_without_rubric_uses_the_default(tmp_path: Path):
    assert Rubric.for_workspace(tmp_path) is Rubric.default()


@pytest.mark.parametrize("text, words", [
    ("plan:\n  criteria:\n    homework: {weight: -1}\n", "weight"),
    ("plan:\n  criteria:\n    charisma: {weight: 3}\n", "charisma"),
    ("plan:\n  criteria:\n    fallback:\n      checks:\n        present: {message: 'Hi {name}'}\n", "{name}"),
    ("plan:\n  criteria:\n    fallback:\n      checks:\n        present: {severity: fatal}\n", "severity"),
    ("plan: [1, 2\n", "line"),
    ("- just a list\n", "mapping"),
])
def test_bad_rubric_files_raise_a_plain_rubric_error(tmp_path: Path, text: str, words: str):
    path = tmp_path / "rubric.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RubricError) as err:
        Rubric.load(path)
    assert words in str(err.value) and str(path.name) in str(err.value)


def test_missing_rubric_file_is_a_rubric_error(tmp_path: Path):
    with pytest.raises(RubricError, match="does not exist"):
        Rubric.load(tmp_path / "nope.yaml")


# -- ready ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("changes, phrase", [
    (dict(objective=SELLER_ACTION), "objective"),
    (dict(customer_value=""), "customer value"),
    (dict(agenda_agreed=False, agenda_agreed_on=None), "agenda"),
])
def test_not_ready_without_advance_value_or_agreed_agenda(changes, phrase):
    s = score_plan(make_plan(**changes))
    assert s.ready is False
    assert s.findings[0].code == "plan.not_ready" and phrase in s.findings[0].message


def test_ready_without_homework_or_questions():
    s = score_plan(make_plan(questions=[], research=Research()))
    assert s.ready is True and s.total < 100
    assert "plan.not_ready" not in codes(s)


# -- every lost point has a finding (property-style over generated plans) -------------------------------------------


POOLS = {
    "objective": [ADVANCE, SELLER_ACTION, VAGUE, "", "TBD", "Hassan agrees to introduce us to the head of procurement by next Wednesday",
                  "Follow up after the demo", "We present our roadmap to the architecture team", "Close the deal"],
    "fallback": ["", FALLBACK, "We send the deck", "They agree to another call"],
    "customer_value": ["", "TBD", CENTRIC, ABOUT_US, "Get a demo", "A one-page estimate of the overtime they could save"],
    "agenda": [[], ["Intro"], ["Their numbers", "Success criteria"]],
    "questions": [[], ["Any questions?"], [BUSINESS_Q], ["How are you?", "Who decides?"]],
}


def random_plan(rng: random.Random, n: int) -> tuple[CallPlan, str | None]:
    agreed_on = rng.choice([None, date(2026, 10, 1), date(2026, 10, 9)])
    steps = rng.sample(ALL_STEPS, rng.randint(0, 6)) + rng.choice([[], ["Follow up on pricing"]])
    plan = CallPlan(
        call_id=f"c{n}", deal_id="d1", rep_id="r1", call_date=CALL_DAY,
        objective=rng.choice(POOLS["objective"]), fallback=rng.choice(POOLS["fallback"]),
        customer_value=rng.choice(POOLS["customer_value"]), agenda=rng.choice(POOLS["agenda"]),
        agenda_shared=rng.random() < 0.5, agenda_agreed=rng.random() < 0.5, agenda_agreed_on=agreed_on,
        planned_steps=steps, questions=rng.choice(POOLS["questions"]),
        research=Research(goals=rng.choice(["", "grow"]), obstacles=rng.choice(["", "budget"]),
                          industry=rng.choice(["", "TBD", "retail"])),
    )
    return plan, rng.choice([None, *PROCESS.stage_ids])


def test_every_lost_point_has_a_finding_over_many_plans():
    rng = random.Random(3)
    for n in range(300):
        plan, stage = random_plan(rng, n)
        s = score_plan(plan, PROCESS, stage=stage)
        assert 0 <= s.total <= 100
        ranks = [SEVERITY_RANK[f.severity] for f in s.findings]
        assert ranks == sorted(ranks), "findings are worst first"
        for c in s.criteria:
            assert 0 <= c.score <= 1
            mine = [f for f in s.findings if f.code.startswith(f"plan.{c.id}.")]
            assert (c.score < 1) == bool(mine), (c.id, c.checks, mine)
            assert c.findings == mine
        assert s.ready == ("plan.not_ready" not in codes(s))
        for f in s.findings:
            assert f.message and "{" not in f.message and "}" not in f.message


# -- bad input never raises -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t ", "x" * 10_000, "Le client signe le contrat 🚀🚀🚀", "🙂🙂🙂", "顧客が契約に署名する"])
def test_odd_text_in_every_field_never_raises(text):
    plan = make_plan(objective=text, fallback=text, customer_value=text, agenda=[text], planned_steps=[text],
                     questions=[text], research=Research(goals=text, obstacles=text, industry=text))
    s = score_plan(plan, stage="discover")
    assert 0 <= s.total <= 100
    assert all(len(f.message) < 600 for f in s.findings)  # long texts are quoted short


def test_sample_team_plans_score_with_a_finding_for_every_lost_point():
    from callkit.sample import make_sample_team

    team = make_sample_team(reps=4, weeks=6)
    stage_of = {d.deal_id: d.stage for d in team.deals}
    scores = [score_plan(c.plan, PROCESS, stage=stage_of[c.deal_id]) for c in team.calls if c.plan is not None]
    assert scores
    for s in scores:
        for c in s.criteria:
            if c.score < 1:
                assert c.findings
            else:  # a full score may carry tips that cost nothing ("The advance here is ...")
                assert all(f.severity == "tip" for f in c.findings), c.findings
    assert len({s.total for s in scores}) > 3  # the reps' habits show in the scores


def test_rubric_for_an_open_workspace_reads_its_file(fresh_ws_path: Path):
    from callkit.workspace import Workspace

    (fresh_ws_path / "rubric.yaml").write_text("plan:\n  criteria:\n    questions: {weight: 35}\n", encoding="utf-8")
    with Workspace.open(fresh_ws_path) as ws:
        rubric = Rubric.for_workspace(ws)
        plan = next(c.plan for c in ws.calls() if c.plan is not None)
    assert rubric.weights()["questions"] == 35
    assert 0 <= score_plan(plan, rubric=rubric).total <= 100
