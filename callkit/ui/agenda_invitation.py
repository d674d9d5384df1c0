"""The .ics calendar invitation for the call: one event with the agenda message, the attendees who have an
address, the place, the meeting link and the time in the workspace's time zone."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone

from ..models import Attendee, CallPlan, Deal, Rep
from ..settings import machine_time_zone
from .agenda_attendees import one_line, usable_address
from .agenda_email import agenda_body
from .agenda_time_zones import vtimezone, zone_of
from .agenda_words import plain_words

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)


def meeting_link(where: str) -> str | None:
    """The first web address in the 'Where' text ('Teams: https://...' -> 'https://...'), else None."""
    match = _URL.search(where or "")
    if not match:
        return None
    url = match.group(0).rstrip(".,;:!?)]}'\"")
    return url if url.lower().startswith("http") else "https://" + url


def _organizer(plan: CallPlan, rep: Rep | None) -> tuple[str, str] | None:
    """(name, address) of the rep who sends the invitation, or None when no usable address is known."""
    if rep is None:
        return None
    own = usable_address(rep.email)
    if own:
        return one_line(rep.name), own
    for person in plan.attendees:  # the rep may be in the plan with an address though the CRM has none
        address = usable_address(person.email)
        if person.side == "us" and address and plain_words(person.name) == plain_words(rep.name):
            return one_line(rep.name), address
    return None


def _invited(plan: CallPlan, rep: Rep | None) -> list[tuple[Attendee, str]]:
    """Each attendee the invitation invites with the address it uses: once each, not the organizer."""
    organizer = _organizer(plan, rep)
    seen = {organizer[1].lower()} if organizer else set()
    out: list[tuple[Attendee, str]] = []
    for person in plan.attendees:
        address = usable_address(person.email)
        if address and address.lower() not in seen:
            seen.add(address.lower())
            out.append((person, address))
    return out


def invitees(plan: CallPlan, rep: Rep | None = None) -> list[Attendee]:
    """The attendees the invitation invites: those with an email address (once each; not the organizer)."""
    return [person.model_copy(update={"email": address, "name": one_line(person.name)})
            for person, address in _invited(plan, rep)]


def agenda_ics(plan: CallPlan, deal: Deal, rep: Rep | None, start: time = time(10, 0), minutes: int = 45,
               stamp: datetime | None = None, *, time_zone: str | None = None, where: str = "") -> bytes:
    """An iCalendar invitation (one VEVENT): the agenda message, attendees, the place and the time in its time zone.

    `time_zone` is an IANA name (the workspace's; the machine's when None): the start carries it and a
    VTIMEZONE describes it, so every calendar program shows the call at the right hour.
    """
    from icalendar import Calendar, Event

    name = time_zone or machine_time_zone()
    zone = zone_of(name)
    cal = Calendar()
    cal.add("prodid", "-//callkit//coaching session//EN")
    cal.add("version", "2.0")
    begin = datetime.combine(plan.call_date, start, tzinfo=zone)
    if zone is not timezone.utc:
        cal.add_component(vtimezone(name, plan.call_date.year))
    event = Event()
    event.add("uid", f"{plan.call_id}@callkit")
    event.add("dtstamp", stamp or datetime.now(timezone.utc))
    event.add("sequence", 0)
    event.add("dtstart", begin)
    event.add("dtend", begin + timedelta(minutes=minutes))
    who = f" - call with {one_line(rep.name)}" if rep else ""
    event.add("summary", one_line(f"{deal.account or deal.name}{who}"))
    event.add("description", agenda_body(plan, rep, deal=deal, start=start, minutes=minutes, time_zone=name,
                                         where=where))
    place = " ".join((where or "").split())
    if place:
        event.add("location", place)
    link = meeting_link(place)
    if link:
        event.add("url", link)
    organizer = _organizer(plan, rep)
    if organizer is not None:
        event.add("organizer", _address(organizer[1], CN=organizer[0]))
    for person, address in _invited(plan, rep):
        event.add("attendee", _address(address, CN=one_line(person.name), CUTYPE="INDIVIDUAL",
                                       ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="TRUE"))
    cal.add_component(event)
    return cal.to_ical()


def _address(email: str, **params: str):
    """A calendar address ('mailto:priya@acme.com') with its parameters (CN, ROLE, RSVP, ...)."""
    from icalendar import vCalAddress

    address = vCalAddress(f"mailto:{email}")
    for key, value in params.items():
        address.params[key] = value
    return address


def ics_filename(plan: CallPlan, deal: Deal) -> str:
    """'agenda-acme-corp-2026-11-26.ics' (letters, digits and dashes only)."""
    slug = re.sub(r"[^a-z0-9]+", "-", (deal.account or deal.name).lower()).strip("-") or "call"
    return f"agenda-{slug}-{plan.call_date.isoformat()}.ics"
