"""Objective rules from the field15/16 round: how reps type pressure, opinions, public bodies and 'X to ...'.

The sentences are written for these tests, not taken from the labelled sets.
"""

import pytest

from callkit import assess_objective


@pytest.mark.parametrize("text", [
    "procurement to turn the order form by weds",                  # "<client> to <verb>": their planned step
    "Dorota refers us to the plant's maintenance lead",
    "Kemal's team finishes the load test on staging by the 9th",
    "contract awarded to us by the county council",                 # a public body is the client
    "call-off order issued by the authority this week",
    "Sandeep gets his regional director to the pricing briefing on Tue",
    "have accounts payable process the PO and send us the number",
])
def test_client_steps_in_field_shapes_are_advances(text):
    a = assess_objective(text)
    assert (a.is_advance, a.is_specific) == (True, True), (text, [f.message for f in a.findings])


@pytest.mark.parametrize("text", [
    "keep the pressure on their CFO",
    "I'll push for a decision on the rollout",
    "win over the head of nursing",
    "Make Farid see the cost of downtime",
    "educate the steering group on our platform",
    "get to yes on the SLA",
    "some commitment from the board",
    "aim for a verbal from Greta",
    "make sure Ottilie doesn't go quiet",
    "get Ruth's thoughts on the quote",
    "Ruth OK with the rollout plan",
    "hear more about their warehouse plans",
    "learn who signs off on capex",
])
def test_pressure_opinions_and_homework_are_not_specific(text):
    a = assess_objective(text)
    assert not a.is_specific, (text, [f.message for f in a.findings])
    assert not a.is_advance
