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


@pytest.mark.parametrize("text", [
    "Pen test done on their side by the 12th",                     # a check of theirs, finished
    "their infosec review complete by mon",
    "Aproval from the trust's digital board for the trial",         # a capitalised typo before "from"
    "verbal yes from Mireille to roll out at both depots",          # what they say yes to, after "to"
    "Tobias commits to the 2-yr plan if the pilot goes well",       # a condition after the step is not vague
    "Get Ulla's site survey by thurs",                              # a named person's own document, handed over
    "Anouk agrees to meet at the trade show stand Weds 11am",       # a meeting at a trade show, with a time
])
def test_finished_checks_conditions_and_named_documents_are_advances(text):
    a = assess_objective(text)
    assert (a.is_advance, a.is_specific) == (True, True), (text, [f.message for f in a.findings])


@pytest.mark.parametrize("text", [
    "Win the contract for the Leiden depot",                        # the whole sale: our aim
    "land the business this quarter",
    "throw in training if they sign by the 30th",                   # their signature is only the condition
    "Do they have a budget for 2027?",                              # a question about how things are
    "does their IT team use SSO?",
    "Marta takes the next step by the 3rd",                         # "the next step" names no step
    "our security review done by fri",                              # our own check
])
def test_our_aims_conditions_and_questions_are_not_advances(text):
    a = assess_objective(text)
    assert not a.is_advance, (text, [f.message for f in a.findings])
