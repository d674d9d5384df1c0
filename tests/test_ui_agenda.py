"""The customer agenda: email text and an .ics invitation that calendar programs can read."""

from __future__ import annotations

import base64
import re
from datetime import date, datetime, time

import pytest
from icalendar import Calendar

from callkit.exceptions import InvalidInputError
from callkit.models import Attendee, CallPlan, Deal, Rep
from callkit.ui.agenda import (
    AgendaPanel, agenda_ics, agenda_subject, agenda_text, download_link_html, ics_filename, parse_start,
)

REP = Rep(rep_id="r01", name="Alex Whitfield", email="alex@northwind.example")
DEAL = Deal(deal_id="d001", rep_id="r01", account="Saltmarsh Haulage", name="Maintenance planner",
            stage="discover", close_date=date(2027, 1, 8))
PLAN = CallPlan(
    call_id="c0300", deal_id="d001", rep_id="r01", call_date=date(2026, 11, 27),
    attendees=[Attendee(name="Priya Shah", role="COO"), Attendee(name="Tom Reed", role="CFO"),
               Attendee(name="Alex Whitfield", role="Account executive", side="us")],
    objective="Priya books the pilot", agenda=["Your goals for the quarter", "What a pilot must show", "Next steps"],
)


def test_agenda_text_is_ready_for_an_email():
    text = agenda_text(PLAN, REP)
    assert text.startswith("Subject: Agenda for our call on Fri 27 Nov 2026\n")
    assert "Hello Priya and Tom," in text
    assert "1. Your goals for the quarter\n2. What a pilot must show\n3. Next steps" in text
    assert "Joining: Priya Shah (COO), Tom Reed (CFO), Alex Whitfield (Account executive)" in text
    assert "add or change" in text
    assert text.rstrip().endswith("Alex Whitfield")
    assert "Priya books the pilot" not in text  # the objective is ours, not for the customer


def test_the_ics_invitation_parses_and_carries_the_agenda():
    stamp = datetime(2026, 11, 24, 9, 0)
    data = agenda_ics(PLAN, DEAL, REP, start=time(14, 30), minutes=60, stamp=stamp)
    cal = Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == datetime(2026, 11, 27, 14, 30)
    assert event.decoded("dtend") == datetime(2026, 11, 27, 15, 30)
    assert str(event["uid"]) == "c0300@callkit"
    assert str(event["summary"]) == "Saltmarsh Haulage - call with Alex Whitfield"
    description = str(event["description"])
    assert "1. Your goals for the quarter" in description and "3. Next steps" in description
    assert str(event["organizer"]) == "mailto:alex@northwind.example"


def test_download_link_is_a_data_uri_of_the_file():
    data = agenda_ics(PLAN, DEAL, REP)
    html = download_link_html(data, ics_filename(PLAN, DEAL))
    assert 'download="agenda-saltmarsh-haulage-2026-11-27.ics"' in html
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)", html).group(1)
    assert base64.b64decode(encoded) == data


@pytest.mark.parametrize("text,expected", [("10:00", time(10, 0)), ("9.30", time(9, 30)), ("14h15", time(14, 15))])
def test_parse_start(text, expected):
    assert parse_start(text) == expected


@pytest.mark.parametrize("text", ["", "25:00", "ten", "10:75"])
def test_parse_start_rejects_with_a_sentence(text):
    with pytest.raises(InvalidInputError) as err:
        parse_start(text)
    assert err.value.errors == {"start": "The start time must look like 10:00."}


def test_panel_updates_and_reports_a_bad_start_time():
    panel = AgendaPanel(DEAL, REP)
    panel.update(PLAN)
    assert panel.text.value == agenda_text(PLAN, REP)
    assert "ck-ics-link" in panel.link.value
    panel.start.value = "noon"
    assert panel.link.value == ""
    assert "10:00" in panel.status.value
    panel.start.value = "11:00"
    assert "ck-ics-link" in panel.link.value
    empty = PLAN.model_copy(update={"agenda": []})
    panel.update(empty)
    assert "no agenda items yet" in panel.status.value
    assert agenda_subject(empty) in panel.text.value
