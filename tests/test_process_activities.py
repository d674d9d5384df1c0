"""The optional fields of a process activity (minutes, who must be in the room, outside the call) and their one home."""

from __future__ import annotations

from datetime import date

import pytest

import callkit as ck
from callkit.exceptions import ProcessError, RubricError
from callkit.process import Activity

BASIC = """
stages:
  - id: meet
    activities:
      - Say hello
      - {name: Agree the budget, minutes: 15, who: [finance or sponsor]}
      - {name: Run a pilot, outside_the_call: a pilot runs for weeks}
"""


def test_an_activity_may_be_a_name_or_a_mapping():
    proc = ck.SalesProcess.from_text(BASIC)
    assert proc.stage("meet").activities == ["Say hello", "Agree the budget", "Run a pilot"]  # still a list of names
    assert proc.activity("agree the budget") == Activity("Agree the budget", 15, (("finance", "sponsor"),), "")
    assert proc.activity("Say hello") == Activity("Say hello")
    assert not proc.activity("Run a pilot").in_call
    assert proc.activity("Not in the process") == Activity("Not in the process")
    assert proc.activities_after("meet") == ["Say hello", "Agree the budget", "Run a pilot"]


def test_details_round_trip_through_yaml():
    proc = ck.SalesProcess.default()
    again = ck.SalesProcess.from_text(proc.to_yaml())
    assert again.to_dict() == proc.to_dict()
    assert again.activity("Security review") == proc.activity("Security review")
    assert again.roles == proc.roles and "decision_maker" in proc.roles


@pytest.mark.parametrize("entry, message", [
    ("{minutes: 10}", "needs a 'name:'"),
    ("{name: X, minutes: ten}", "minutes must be a whole number"),
    ("{name: X, who: 3}", "who must be a list of roles"),
    ("{name: X, colour: red}", "'colour' is not a field"),
])
def test_a_malformed_activity_says_what_to_fix(entry: str, message: str):
    with pytest.raises(ProcessError, match=message):
        ck.SalesProcess.from_text(f"stages:\n  - id: a\n    activities:\n      - {entry}\n")


def test_a_role_must_be_one_of_the_process_roles_when_it_lists_them():
    text = "roles: {sponsor: backs it}\nstages:\n  - id: a\n    activities:\n      - {name: X, who: [cfo]}\n"
    with pytest.raises(ProcessError, match="role 'cfo' is not one of the roles: sponsor"):
        ck.SalesProcess.from_text(text)


def test_the_compression_levels_have_one_home_in_the_rubric():
    from callkit.exercises.kinds.compress import compression_level
    from callkit.exercises.kinds import CheckContext
    from callkit.scoring.plan import Rubric, compression_levels, score_plan

    assert compression_levels() == (3, 5)
    custom = Rubric.from_text("plan:\n  criteria:\n    compression:\n      levels: {good: 2, excellent: 4}\n")
    assert compression_levels(custom) == (2, 4)
    assert CheckContext(rubric=custom).compression_levels == (2, 4)
    assert compression_level(2, CheckContext(rubric=custom).compression_levels) == "good"
    steps = ck.SalesProcess.default().stage("discover").activities[:2]
    plan = ck.CallPlan(call_id="c1", deal_id="d1", rep_id="r01", call_date=date(2026, 3, 2),
                       objective="Maria sends us the logs by Friday", planned_steps=steps)
    good = next(c for c in score_plan(plan, rubric=custom).criteria if c.id == "compression")
    usual = next(c for c in score_plan(plan).criteria if c.id == "compression")
    assert good.score > usual.score  # 2 steps are "good" under the custom levels, "normal" under the default
    with pytest.raises(RubricError, match="levels needs whole numbers good and excellent"):
        compression_levels(Rubric.from_text("plan:\n  criteria:\n    compression:\n      levels: {good: 5, excellent: 3}\n"))
