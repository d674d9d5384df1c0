"""Export then import gives back every plan and debrief exactly, whatever the text holds.

The five value changes the hostile run found (an agenda item ending in a backslash, a client named
"[us] ...", a commitment owner with a ':', a commitment text ending "by <date>", a learned text with a
line break before a label) are pinned as examples; hypothesis then round-trips random plans and debriefs
whose text mixes those characters with line breaks, quotes and the characters a spreadsheet would run
(= + - @ at the start of a cell).
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from callkit.models import Attendee, Call, CallPlan, Commitment, Deal, Debrief, Learned, Rep, Research
from test_csv_import import rebuilt

# Pieces of text chosen to hit every escape of callkit's cell syntaxes, and plain words between them.
PIECES = st.sampled_from([
    "Priya", "CFO", "pilot", "x", "by", "By", "2026-03-20", "3/20/2026", "[us]", "[client]", "[", "]",
    "urgency:", "budget:", "goals:", "notes:", "decision process:", ":", ";", "\\", "\\;", "\\\\", "\n", "\r\n",
    ",", '"', "'", "''", "=", "+", "-", "@", "=SUM(A1)", "+cmd|' /C calc'!A0", "@SUM(1)", "-5", "\t", "(", ")",
    "(COO)", "<", ">", "é", "€", "日本",
])
SPACES = st.sampled_from(["", " ", " "])


@st.composite
def texts(draw, *, line_breaks: bool = True, min_size: int = 0) -> str:
    """Text as a coach could type it: pieces with or without spaces between, no blank ends (a cell is trimmed)."""
    parts = draw(st.lists(st.tuples(PIECES, SPACES), min_size=min_size, max_size=7))
    text = "".join(p + s for p, s in parts).strip()
    if not line_breaks:
        text = " ".join(text.split())
    return text


items = texts(min_size=1).filter(bool)
one_line = texts(line_breaks=False, min_size=1).filter(bool)
day = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def attendees(draw) -> Attendee:
    name = draw(one_line.filter(lambda t: not t.endswith((")", ">")) or True))
    return Attendee(name=name, role=draw(st.one_of(st.just(""), one_line.filter(lambda t: "(" not in t and ")" not in t))),
                    side=draw(st.sampled_from(["client", "us"])))


@st.composite
def commitments(draw) -> Commitment:
    return Commitment(who=draw(st.one_of(st.just(""), one_line)), what=draw(items),
                      by=draw(st.one_of(st.none(), day)))


@st.composite
def plans(draw, call_id: str, when: date) -> CallPlan:
    return CallPlan(
        call_id=call_id, deal_id="d001", rep_id="r01", call_date=when,
        attendees=draw(st.lists(attendees(), max_size=3)),
        objective=draw(texts()), fallback=draw(texts()), customer_value=draw(texts()),
        agenda=draw(st.lists(items, max_size=3)), agenda_shared=draw(st.booleans()),
        planned_steps=draw(st.lists(items, max_size=2)), questions=draw(st.lists(items, max_size=2)),
        research=Research(goals=draw(texts()), obstacles=draw(texts()), industry=draw(texts()), notes=draw(texts())),
        concerns=draw(st.lists(items, max_size=2)),
        updated_at=datetime(2026, 3, 9, 17, 45),
    )


@st.composite
def debriefs(draw, call_id: str) -> Debrief:
    return Debrief(
        call_id=call_id, outcome=draw(st.sampled_from(["order", "advance", "continuation", "no_sale"])),
        best_met=draw(st.booleans()), fallback_met=draw(st.booleans()),
        commitments=draw(st.lists(commitments(), max_size=3)),
        learned=Learned(urgency=draw(texts()), consequence=draw(texts()), attitude=draw(texts()),
                        competition=draw(texts()), decision_process=draw(texts()), budget=draw(texts())),
        completed_steps=draw(st.lists(items, max_size=2)),
        follow_ups=draw(st.lists(commitments(), max_size=2)),
        next_call=draw(st.one_of(st.none(), day)), notes=draw(texts()),
        updated_at=datetime(2026, 3, 10, 16, 0),
    )


@st.composite
def call_lists(draw) -> list[Call]:
    out = []
    for n in range(draw(st.integers(min_value=1, max_value=3))):
        call_id, when = f"c{n + 1:04d}", draw(day)
        plan = draw(st.one_of(st.none(), plans(call_id, when)))
        debrief = draw(st.one_of(st.none(), debriefs(call_id)))
        out.append(Call(call_id=call_id, deal_id="d001", rep_id="r01", date=when, plan=plan, debrief=debrief))
    return out


REPS = [Rep(rep_id="r01", name="Zoë Müller")]
DEALS = [Deal(deal_id="d001", rep_id="r01", account="=Acme", name="+Line 3", stage="discover")]


def round_trip(calls: list[Call]) -> list[Call]:
    """The calls as a workspace rebuilt from `callkit export` has them."""
    with tempfile.TemporaryDirectory() as folder:
        _, deals, back = rebuilt(REPS, DEALS, calls, Path(folder))
    assert deals == DEALS
    return back


def _expected(calls: list[Call]) -> list[Call]:
    return sorted(calls, key=lambda c: (c.date, c.call_id))


def _one(plan: CallPlan | None = None, debrief: Debrief | None = None) -> list[Call]:
    return [Call(call_id="c0001", deal_id="d001", rep_id="r01", date=date(2026, 3, 10), plan=plan, debrief=debrief)]


def _plan(**fields) -> CallPlan:
    return CallPlan(call_id="c0001", deal_id="d001", rep_id="r01", call_date=date(2026, 3, 10), **fields)


def _debrief(**fields) -> Debrief:
    return Debrief(call_id="c0001", outcome="advance", **fields)


FOUND = {
    "agenda item ending in a backslash": _one(_plan(agenda=["Pricing \\", "C:\\temp\\"])),
    "client attendee named [us] ...": _one(_plan(attendees=[Attendee(name="[us] Bob", role="CFO"),
                                                            Attendee(name="[us]x")])),
    "commitment owner with a colon": _one(debrief=_debrief(commitments=[Commitment(who="Acme: Priya", what="intro")])),
    "commitment text ending by <date>": _one(debrief=_debrief(
        commitments=[Commitment(who="Priya", what="Ship the kit by 2026-03-20"),
                     Commitment(what="Sign by 3/20/2026", by=date(2026, 4, 1))])),
    "learned text with a line break before a label": _one(debrief=_debrief(
        learned=Learned(urgency="audit in Q3\nbudget: 40k", attitude="warm\r\nconsequence: fines"))),
    "formula cells and a genuine leading quote": _one(_plan(objective="=HYPERLINK(\"http://x\")", fallback="'=kept",
                                                          customer_value="@SUM(1)", agenda=["-5% churn", "+1"]),
                                                    _debrief(notes="\tindented", follow_ups=[Commitment(what="-x")])),
    "a line break in the objective, commas in later cells": _one(_plan(objective="Priya\nPriya",
                                                                     attendees=[Attendee(name="Priya,")],
                                                                     research=Research(notes=",,,"))),
}


@pytest.mark.parametrize("calls", list(FOUND.values()), ids=list(FOUND))
def test_the_value_changes_found_are_fixed(calls: list[Call]) -> None:
    assert round_trip(calls) == _expected(calls)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(call_lists())
@example(FOUND["commitment text ending by <date>"])
def test_random_plans_and_debriefs_round_trip(calls: list[Call]) -> None:
    assert round_trip(calls) == _expected(calls)
