"""The agenda email to the customer: subject line, greeting, numbered agenda, what's in it for them, where,
who joins, sign-off. Seed 000: agreeing an agenda before the meeting lets both sides prepare."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from ..models import CallPlan, Deal, Rep
from ..text import join, long_date
from .agenda_attendees import attendee_label, one_line
from .agenda_time_zones import zone_label
from .agenda_value import customer_value_line
from .agenda_words import agenda_words


def _first_names(plan: CallPlan) -> str:
    names = [a.name.split()[0] for a in plan.attendees if a.side == "client" and a.name.strip()]
    return join(names)


def _when(plan: CallPlan, start: time | None, minutes: int | None, time_zone: str | None) -> str:
    when = long_date(plan.call_date)
    if start is None:
        return when
    begin = start.strftime("%H:%M")
    label = zone_label(time_zone, plan.call_date)
    if minutes:
        end = (datetime.combine(plan.call_date, start) + timedelta(minutes=minutes)).strftime("%H:%M")
        return f"{when}, {begin} to {end} ({label})"
    return f"{when} at {begin} ({label})"


def agenda_body(plan: CallPlan, rep: Rep | None, *, deal: Deal | None = None, start: time | None = None,
                minutes: int | None = None, time_zone: str | None = None, where: str = "") -> str:
    """The message to the customer: greeting, numbered agenda, what's in it for them, where, who joins, sign-off.

    With `start` the first sentence gives the time too (in `time_zone`, the machine's by default).
    """
    words = agenda_words()
    greeting = f"Hello {_first_names(plan)}," if _first_names(plan) else "Hello,"
    items = [f"{i}. {one_line(item)}" for i, item in enumerate(plan.agenda, start=1)] or ["1. (agenda to be agreed)"]
    lines = [
        greeting,
        "",
        "To make the best use of your time, here is what I suggest we cover in our call on "
        f"{_when(plan, start, minutes, time_zone)}:",
        "",
        *items,
    ]
    value = customer_value_line(plan, deal, words)
    if value.line:
        lines += ["", value.line]
    details: list[str] = []
    if where.strip():
        details.append("Where: " + " ".join(where.split()))
    theirs = [attendee_label(a, words) for a in plan.attendees if a.side == "client" and a.name.strip()]
    ours = [attendee_label(a, words) for a in plan.attendees if a.side == "us" and a.name.strip()]
    if theirs:
        details.append("Joining from your side: " + ", ".join(theirs))
    if ours:
        details.append("Joining from our side: " + ", ".join(ours))
    if details:
        lines += ["", *details]
    lines += [
        "",
        "Is there anything you would like to add or change? Let me know before the call, so we are both prepared.",
        "",
        "Best regards,",
        one_line(rep.name) if rep else "",
    ]
    return "\n".join(lines).rstrip() + "\n"


def agenda_subject(plan: CallPlan) -> str:
    """The email subject line."""
    return f"Agenda for our call on {long_date(plan.call_date)}"


def agenda_text(plan: CallPlan, rep: Rep | None, **details: Any) -> str:
    """Subject line and message, ready to paste into an email (`details` as for agenda_body)."""
    return f"Subject: {agenda_subject(plan)}\n\n{agenda_body(plan, rep, **details)}"
