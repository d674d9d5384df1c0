"""The agenda for the customer: plain text to paste into an email and an .ics invitation with the agenda in it.

Seed 000: agreeing an agenda with the customer before the meeting lets both sides prepare.
"""

from __future__ import annotations

import base64
import re
from datetime import datetime, time, timedelta, timezone

import ipywidgets as widgets

from ..exceptions import InvalidInputError
from ..models import CallPlan, Deal, Rep
from .events import guarded
from .markup import esc, long_date, status_html
from .fields import classed

DURATIONS = (30, 45, 60, 90)


def _first_names(plan: CallPlan) -> str:
    names = [a.name.split()[0] for a in plan.attendees if a.side == "client" and a.name.strip()]
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def agenda_body(plan: CallPlan, rep: Rep | None) -> str:
    """The message to the customer: greeting, numbered agenda, who joins, a request to add or change, sign-off."""
    greeting = f"Hello {_first_names(plan)}," if _first_names(plan) else "Hello,"
    items = [f"{i}. {item}" for i, item in enumerate(plan.agenda, start=1)] or ["1. (agenda to be agreed)"]
    lines = [
        greeting,
        "",
        f"To make the best use of your time, here is what I suggest we cover in our call on {long_date(plan.call_date)}:",
        "",
        *items,
    ]
    people = [f"{a.name} ({a.role})" if a.role else a.name for a in plan.attendees if a.name.strip()]
    if people:
        lines += ["", "Joining: " + ", ".join(people)]
    lines += [
        "",
        "Is there anything you would like to add or change? Let me know before the call, so we are both prepared.",
        "",
        "Best regards,",
        rep.name if rep else "",
    ]
    return "\n".join(lines).rstrip() + "\n"


def agenda_subject(plan: CallPlan) -> str:
    """The email subject line."""
    return f"Agenda for our call on {long_date(plan.call_date)}"


def agenda_text(plan: CallPlan, rep: Rep | None) -> str:
    """Subject line and message, ready to paste into an email."""
    return f"Subject: {agenda_subject(plan)}\n\n{agenda_body(plan, rep)}"


def parse_start(text: str) -> time:
    """'10:00', '9:30' or '14h15' as a time; InvalidInputError with one sentence otherwise."""
    match = re.fullmatch(r"\s*(\d{1,2})[:.h](\d{2})\s*", text or "")
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise InvalidInputError({"start": "The start time must look like 10:00."}, what="invitation")


def agenda_ics(plan: CallPlan, deal: Deal, rep: Rep | None, start: time = time(10, 0), minutes: int = 45,
               stamp: datetime | None = None) -> bytes:
    """An iCalendar invitation (one VEVENT) whose description is the agenda message."""
    from icalendar import Calendar, Event, vCalAddress, vText

    cal = Calendar()
    cal.add("prodid", "-//callkit//coaching session//EN")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", f"{plan.call_id}@callkit")
    event.add("dtstamp", stamp or datetime.now(timezone.utc))
    begin = datetime.combine(plan.call_date, start)
    event.add("dtstart", begin)
    event.add("dtend", begin + timedelta(minutes=minutes))
    who = f" - call with {rep.name}" if rep else ""
    event.add("summary", f"{deal.account or deal.name}{who}")
    event.add("description", agenda_body(plan, rep))
    if rep is not None and rep.email:
        organizer = vCalAddress(f"mailto:{rep.email}")
        organizer.params["cn"] = vText(rep.name)
        event.add("organizer", organizer)
    cal.add_component(event)
    return cal.to_ical()


def ics_filename(plan: CallPlan, deal: Deal) -> str:
    """'agenda-acme-corp-2026-11-26.ics' (letters, digits and dashes only)."""
    slug = re.sub(r"[^a-z0-9]+", "-", (deal.account or deal.name).lower()).strip("-") or "call"
    return f"agenda-{slug}-{plan.call_date.isoformat()}.ics"


def download_link_html(data: bytes, filename: str, label: str = "Download the invitation (.ics)") -> str:
    """A link that downloads `data` as a calendar file, with no server round trip (a data: URI)."""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="ck-ics-link" download="{esc(filename)}" href="data:text/calendar;charset=utf-8;base64,{encoded}"'
        f' style="font-weight:600">{esc(label)}</a>'
    )


class AgendaPanel(widgets.VBox):
    """Email text and .ics download for the plan being prepared; `update(plan)` refreshes both."""

    def __init__(self, deal: Deal, rep: Rep | None):
        self.deal = deal
        self.rep = rep
        self.plan: CallPlan | None = None
        self.start = widgets.Text(value="10:00", description="Starts at", layout=widgets.Layout(width="200px"))
        self.minutes = widgets.Dropdown(options=[(f"{m} minutes", m) for m in DURATIONS], value=45,
                                        description="Length", layout=widgets.Layout(width="220px"))
        self.text = classed(widgets.Textarea(rows=16, layout=widgets.Layout(width="100%")), "ck-agenda-text")
        self.link = classed(widgets.HTML(""), "ck-ics")
        self.status = widgets.HTML("")
        for control in (self.start, self.minutes):
            control.observe(guarded(lambda _c: self.refresh(), self.report), names="value")
        super().__init__(
            [
                widgets.HTML("<h2>Agenda for the customer</h2><p class='ck-hint'>Send it before the call and ask "
                             "them to add or change what they want: both sides come prepared.</p>"),
                widgets.HTML("<b>Email text</b> (copy and paste)"), self.text,
                widgets.HBox([self.start, self.minutes]), self.link, self.status,
            ]
        )
        self.add_class("ck-agenda")

    def report(self, message: str) -> None:
        """Show a problem under the link."""
        self.status.value = status_html(message, "error")

    def update(self, plan: CallPlan) -> None:
        """Show the agenda of this plan."""
        self.plan = plan
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the text and the invitation from the current plan, start time and length."""
        if self.plan is None:
            return
        self.text.value = agenda_text(self.plan, self.rep)
        note = "" if self.plan.agenda else "The plan has no agenda items yet: add them in the plan."
        try:
            start = parse_start(self.start.value)
        except InvalidInputError as exc:
            self.link.value = ""
            self.status.value = status_html(exc.errors["start"], "error")
            return
        ics = agenda_ics(self.plan, self.deal, self.rep, start=start, minutes=int(self.minutes.value))
        self.link.value = download_link_html(ics, ics_filename(self.plan, self.deal))
        self.status.value = status_html(note, "info") if note else ""
