"""The customer agenda: email text and an .ics invitation that speak the customer's language and calendars read.

What is checked here is what the customer would see: job titles, never our labels; what's in the call for
them, said to them (or left out when it cannot be said reliably); an invitation with attendees, a place and
a time zone that parses back with icalendar to the same fields.
"""

from __future__ import annotations

import base64
import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from callkit.exceptions import DataFileError, InvalidInputError
from callkit.models import Attendee, CallPlan, Deal, Rep, build
from callkit.settings import machine_time_zone
from callkit.ui.agenda import (
    VALUE_LEAD, AgendaPanel, agenda_ics, agenda_subject, agenda_text, agenda_words, agenda_words_from_text,
    attendee_label, copy_button_html, customer_value_line, download_link_html, ics_filename, invitees, job_title,
    meeting_link, parse_start, vtimezone, zone_label,
)

REP = Rep(rep_id="r01", name="Alex Whitfield", email="alex@northwind.example")
DEAL = Deal(deal_id="d001", rep_id="r01", account="Saltmarsh Haulage", name="Maintenance planner",
            stage="discover", close_date=date(2027, 1, 8))
PEOPLE = [
    Attendee(name="Priya Shah", role="COO, economic buyer", email="priya@saltmarsh.example"),
    Attendee(name="Tom Reed", role="CFO (champion)"),
    Attendee(name="Dana Okafor", role="coach"),
    Attendee(name="Alex Whitfield", role="Account executive", side="us", email="alex@northwind.example"),
    Attendee(name="Sam Lee", role="solutions engineer, note-taker", side="us", email="sam@northwind.example"),
]
PLAN = CallPlan(
    call_id="c0300", deal_id="d001", rep_id="r01", call_date=date(2026, 11, 27), attendees=PEOPLE,
    objective="Priya books the pilot", agenda=["Your goals for the quarter", "What a pilot must show", "Next steps"],
    customer_value="They see their downtime cost against 40 peer plants",
)
BERLIN = "Europe/Berlin"
LINK = "https://meet.example.com/abc-defg-hij"


def _plan(**changes) -> CallPlan:
    return PLAN.model_copy(update=changes)


def _event(data: bytes):
    cal = Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    return cal, events[0]


def _internal_words_in(text: str) -> list[str]:
    lowered = " " + re.sub(r"[^a-z0-9]+", " ", text.lower()) + " "
    return sorted(w for w in agenda_words().internal_roles if f" {w} " in lowered)


# -- the email ----------------------------------------------------------------------------------------------

def test_agenda_text_is_ready_for_an_email():
    text = agenda_text(PLAN, REP, deal=DEAL, start=time(14, 30), minutes=60, time_zone=BERLIN, where=LINK)
    assert text.startswith("Subject: Agenda for our call on Fri 27 Nov 2026\n\n")
    assert "Hello Priya, Tom and Dana," in text
    assert "our call on Fri 27 Nov 2026, 14:30 to 15:30 (Berlin time):" in text
    assert "1. Your goals for the quarter\n2. What a pilot must show\n3. Next steps" in text
    assert "\nWhat you will get from this call: you see your downtime cost against 40 peer plants.\n" in text
    assert f"\nWhere: {LINK}\n" in text
    assert "\nJoining from your side: Priya Shah (COO), Tom Reed (CFO), Dana Okafor\n" in text
    assert "\nJoining from our side: Alex Whitfield (Account executive), Sam Lee (solutions engineer)\n" in text
    assert "add or change" in text
    assert text.rstrip().endswith("Best regards,\nAlex Whitfield")
    assert "Priya books the pilot" not in text  # the objective is ours, not for the customer


def test_the_email_never_shows_our_labels_for_people():
    text = agenda_text(PLAN, REP, deal=DEAL, start=time(9, 0), minutes=30, time_zone=BERLIN)
    assert _internal_words_in(text) == []
    assert "economic buyer" not in text and "champion" not in text and "coach" not in text.lower()


def test_without_a_time_the_email_gives_the_day_only_and_without_people_no_joining_lines():
    text = agenda_text(_plan(attendees=[], customer_value=""), None)
    assert "our call on Fri 27 Nov 2026:" in text
    assert "Hello," in text and "Joining" not in text and VALUE_LEAD not in text


@pytest.mark.parametrize("role,shown", [
    ("CFO, economic buyer", "CFO"),
    ("economic buyer", ""),
    ("CFO (EB)", "CFO"),
    ("Economic Buyer (CFO)", "CFO"),
    ("VP Sales/DM", "VP Sales"),
    ("champion - VP Operations", "VP Operations"),
    ("Head of Finance and Operations, champion", "Head of Finance and Operations"),
    ("Head of Ops & Sponsor", "Head of Ops"),
    ("Director (Finance), champion", "Director (Finance)"),
    ("Decision-maker; CIO", "CIO"),
    ("likely EB", ""),
    ("our champion?", ""),
    ("technical buyer + IT Director", "IT Director"),
    ("Agile Coach", "Agile Coach"),
    ("Head of Operations", "Head of Operations"),
    ("Plant Manager (Leeds site)", "Plant Manager (Leeds site)"),
    ("", ""),
])
def test_job_title_keeps_titles_and_drops_our_labels(role, shown):
    assert job_title(role) == shown


def test_every_label_in_the_word_list_is_dropped_after_a_title():
    for label in sorted(agenda_words().internal_roles):
        assert job_title(f"CFO, {label}") == "CFO", label
        assert job_title(label.upper()) == "", label


def test_attendee_label_is_name_and_title():
    assert attendee_label(Attendee(name="Priya Shah", role="COO, champion")) == "Priya Shah (COO)"
    assert attendee_label(Attendee(name="Tom Reed", role="sponsor")) == "Tom Reed"


def test_the_word_list_is_data_a_coach_can_edit():
    from callkit.datafiles import packaged_text

    text = packaged_text("agenda.yaml").replace("internal_roles:\n", "internal_roles:\n  - deal whisperer\n", 1)
    words = agenda_words_from_text(text, "my-agenda.yaml")
    assert job_title("CFO, deal whisperer", words) == "CFO"
    assert job_title("CFO, deal whisperer") == "CFO, deal whisperer"  # the shipped list does not know it


@pytest.mark.parametrize("text,problem", [
    ("internal_roles: [a\n", "not valid YAML"),
    ("- just a list\n", "must be a mapping"),
    ("internal_roles: [champion]\nrole_qualifiers: [our]\n", "'customer_value'"),
])
def test_a_broken_word_list_names_the_file(text, problem):
    with pytest.raises(DataFileError) as err:
        agenda_words_from_text(text, "coach/agenda.yaml")
    assert str(err.value).startswith("coach/agenda.yaml: ") and problem in str(err.value)
    assert str(err.value).count(". ") == 0  # one sentence


def test_a_missing_list_is_named():
    from callkit.datafiles import packaged_text

    text = re.sub(r"\n  get_verbs:.*?\n  give_verbs", "\n  give_verbs", packaged_text("agenda.yaml"), flags=re.S)
    with pytest.raises(DataFileError, match=r"'customer_value\.get_verbs' must be a list"):
        agenda_words_from_text(text, "agenda.yaml")


# -- what's in it for the customer, said to them ----------------------------------------------------------
# Written the way reps write them (short, about the customer, sometimes shorthand); the second column is
# the line the customer reads, or None when callkit cannot turn the words reliably and leaves it out.
VALUE_CASES = [
    ("They see their downtime cost against 40 peer plants",
     "you see your downtime cost against 40 peer plants."),
    ("They get a benchmark of their downtime against peers", "a benchmark of your downtime against peers."),
    ("Priya gets a benchmark of unplanned downtime against three other manufacturers",
     "a benchmark of unplanned downtime against three other manufacturers."),
    ("A realistic rollout timeline that fits their go-live before peak season",
     "a realistic rollout timeline that fits your go-live before peak season."),
    ("Their IT director gets straight answers on security before committing any time to a pilot",
     "straight answers on security before committing any time to a pilot."),
    ("WIIFT: a second opinion on their Q3 plan from someone who has seen 12 similar rollouts",
     "a second opinion on your Q3 plan from someone who has seen 12 similar rollouts."),
    ("The maintenance team gets a prioritised list of the three biggest causes of downtime",
     "a prioritised list of the three biggest causes of downtime."),
    ("Priya can show her CFO a costed option for the Leeds site before winter",
     "you can show your CFO a costed option for the Leeds site before winter."),
    ("they'll leave with a one-page estimate of what manual scheduling costs them each month",
     "a one-page estimate of what manual scheduling costs you each month."),
    ("Give them a draft business case in their own numbers", "a draft business case in your own numbers."),
    ("The CFO sees the payback period in their own numbers", "you see the payback period in your own numbers."),
    ("The quality team sees, in their own figures, where the hours go",
     "you see, in your own figures, where the hours go."),
    ("She walks away with a costed plan she can take to her board", "a costed plan you can take to your board."),
    ("Priya and Tom get a costed plan for the Leeds depot", "a costed plan for the Leeds depot."),
    ("We show them how two peers cut overtime by a third", "we show you how two peers cut overtime by a third."),
    ("clarity on costs + a quick win for Tom's board pack", "clarity on costs + a quick win for Tom's board pack."),
    ("They're able to compare their fleet costs with peers", "you're able to compare your fleet costs with peers."),
    ("Priya will finally see the real cost of downtime", "you will finally see the real cost of downtime."),
    # "their" or "she" may mean someone else: never guessed
    ("Tom sees what two peers paid and saved in their first year", None),
    ("A look at how Acme Foods cut their overtime", None),
    ("Priya hears what Tom thinks of her plan", None),
    ("They get a benchmark. Tom gets the payback numbers for his board.", None),
    ("Their team gets a shortlist of fixes they can make themselves before the audit", None),
    # not something the customer gets: the scorecard says so, or the words are our own aim
    ("TBD", None),
    ("We get the order", None),
    ("Keep the door open", None),
    ("Stay top of mind", None),
]


@pytest.mark.parametrize("value,line", VALUE_CASES)
def test_customer_value_is_said_to_the_customer_or_left_out(value, line):
    result = customer_value_line(_plan(customer_value=value), DEAL)
    if line is None:
        assert result.line is None
        assert result.note.startswith("The email leaves out what's in it for the customer: ")
        assert value.split()[0] in result.note  # the rep sees which words
    else:
        assert result.line == VALUE_LEAD + line
        assert result.note == ""


def test_a_plan_without_customer_value_has_no_line_and_tells_the_rep():
    result = customer_value_line(_plan(customer_value=""), DEAL)
    assert result.line is None and "does not say yet" in result.note
    assert VALUE_LEAD not in agenda_text(_plan(customer_value=""), REP)


def test_the_email_carries_the_line_only_when_it_reads_right():
    good = agenda_text(_plan(customer_value="They get a benchmark of their downtime against peers"), REP, deal=DEAL)
    assert "What you will get from this call: a benchmark of your downtime against peers." in good
    unsure = agenda_text(_plan(customer_value="Tom sees what two peers paid and saved in their first year"), REP,
                         deal=DEAL)
    assert VALUE_LEAD not in unsure and "two peers" not in unsure


# -- time zones -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,label", [("Europe/Berlin", "Berlin time"), ("America/New_York", "New York time"),
                                        ("Etc/UTC", "UTC"), ("UTC", "UTC"), ("Etc/GMT-5", "UTC+5"),
                                        ("Asia/Kolkata", "Kolkata time")])
def test_zone_label(name, label):
    assert zone_label(name, date(2026, 11, 27)) == label


@pytest.mark.parametrize("name", ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
                                  "America/Sao_Paulo", "Europe/London", "Pacific/Chatham", "Asia/Jerusalem"])
@pytest.mark.parametrize("year", [2026, 2027])
def test_the_vtimezone_gives_the_same_hour_as_the_time_zone_database(name, year):
    """What a calendar program computes from the VTIMEZONE alone matches zoneinfo all year round."""
    text = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" + vtimezone(name, year).to_ical()
            + b"END:VCALENDAR\r\n")
    parsed = Calendar.from_ical(text).timezones[0]
    assert str(parsed["tzid"]) == name
    own = parsed.to_tz(lookup_tzid=False)
    zone = ZoneInfo(name)
    moment = datetime(year, 1, 1, tzinfo=timezone.utc)
    while moment.year == year:
        local = moment.astimezone(zone).replace(tzinfo=None)
        assert own.utcoffset(local) == zone.utcoffset(local), (name, local)
        moment += timedelta(hours=11)


def test_zones_with_summer_time_get_yearly_rules_as_outlook_expects():
    text = vtimezone("Europe/Berlin", 2026).to_ical().decode()
    assert "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n" in text
    assert "BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n" in text
    assert "RDATE" not in text
    us = vtimezone("America/New_York", 2026).to_ical().decode()
    assert "BYDAY=2SU;BYMONTH=3" in us and "BYDAY=1SU;BYMONTH=11" in us


# -- the invitation -------------------------------------------------------------------------------------------

def test_the_ics_invitation_parses_back_with_every_field():
    stamp = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
    where = f"Video call: {LINK}."
    data = agenda_ics(PLAN, DEAL, REP, start=time(14, 30), minutes=60, stamp=stamp, time_zone=BERLIN, where=where)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.rstrip().endswith(b"END:VCALENDAR")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded as RFC 5545 asks
    cal, event = _event(data)
    assert str(cal["version"]) == "2.0" and cal.get_missing_tzids() == set()
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == [BERLIN]
    assert event["dtstart"].params["TZID"] == BERLIN
    start = event.decoded("dtstart")
    assert start == datetime(2026, 11, 27, 14, 30, tzinfo=ZoneInfo(BERLIN))
    assert start.utcoffset() == timedelta(hours=1)
    assert event.decoded("dtend") - start == timedelta(minutes=60)
    assert str(event["uid"]) == "c0300@callkit"
    assert str(event["summary"]) == "Saltmarsh Haulage - call with Alex Whitfield"
    assert str(event["location"]) == where
    assert str(event["url"]) == LINK
    description = str(event["description"])
    assert "1. Your goals for the quarter" in description and "3. Next steps" in description
    assert f"Where: {where}" in description and "14:30 to 15:30 (Berlin time)" in description
    organizer = event["organizer"]
    assert str(organizer) == "mailto:alex@northwind.example" and organizer.params["CN"] == "Alex Whitfield"
    attendees = event["attendee"]
    assert [str(a) for a in attendees] == ["mailto:priya@saltmarsh.example", "mailto:sam@northwind.example"]
    for attendee, name in zip(attendees, ["Priya Shah", "Sam Lee"]):
        assert attendee.params["CN"] == name
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["RSVP"] == "TRUE"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert _internal_words_in(data.decode()) == []


def test_a_summer_call_is_at_the_summer_offset():
    data = agenda_ics(_plan(call_date=date(2026, 7, 2)), DEAL, REP, start=time(9, 0), time_zone=BERLIN)
    _cal, event = _event(data)
    assert event.decoded("dtstart").utcoffset() == timedelta(hours=2)


def test_in_utc_the_times_are_utc_and_need_no_vtimezone():
    data = agenda_ics(PLAN, DEAL, REP, start=time(10, 0), time_zone="Etc/UTC")
    cal, event = _event(data)
    assert b"DTSTART:20261127T100000Z" in data and not list(cal.walk("VTIMEZONE"))
    assert event.decoded("dtstart") == datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)


def test_without_a_zone_the_machine_zone_is_used():
    data = agenda_ics(PLAN, DEAL, REP, start=time(10, 0))
    _cal, event = _event(data)
    assert event.decoded("dtstart").utcoffset() == ZoneInfo(machine_time_zone()).utcoffset(datetime(2026, 11, 27, 10))


def test_no_place_no_location_and_a_place_without_link_no_url():
    _cal, bare = _event(agenda_ics(PLAN, DEAL, REP, time_zone=BERLIN))
    assert "location" not in bare and "url" not in bare
    _cal, room = _event(agenda_ics(PLAN, DEAL, REP, time_zone=BERLIN, where="Room 4B, Saltmarsh depot"))
    assert str(room["location"]) == "Room 4B, Saltmarsh depot" and "url" not in room


@pytest.mark.parametrize("where,link", [
    ("https://zoom.us/j/123456?pwd=abc", "https://zoom.us/j/123456?pwd=abc"),
    ("Teams (https://teams.microsoft.com/l/meetup-join/19%3a).", "https://teams.microsoft.com/l/meetup-join/19%3a"),
    ("www.example.com/room", "https://www.example.com/room"),
    ("Room 4B", None),
    ("", None),
])
def test_meeting_link(where, link):
    assert meeting_link(where) == link


def test_the_rep_is_organizer_from_the_plan_when_the_crm_has_no_address():
    rep = REP.model_copy(update={"email": None})
    _cal, event = _event(agenda_ics(PLAN, DEAL, rep, time_zone=BERLIN))
    assert str(event["organizer"]) == "mailto:alex@northwind.example"
    assert "mailto:alex@northwind.example" not in [str(a) for a in event["attendee"]]
    nobody = _plan(attendees=[Attendee(name="Priya Shah", role="COO")])
    _cal, bare = _event(agenda_ics(nobody, DEAL, None, time_zone=BERLIN))
    assert "organizer" not in bare and "attendee" not in bare


def test_invitees_are_the_people_with_an_address_once_each():
    doubled = _plan(attendees=[*PEOPLE, Attendee(name="P. Shah", email="PRIYA@saltmarsh.example")])
    assert [a.name for a in invitees(doubled, REP)] == ["Priya Shah", "Sam Lee"]
    assert [a.name for a in invitees(doubled)] == ["Priya Shah", "Alex Whitfield", "Sam Lee"]


def test_download_link_is_a_data_uri_of_the_file():
    data = agenda_ics(PLAN, DEAL, REP, time_zone=BERLIN)
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


# -- email addresses of attendees ----------------------------------------------------------------------------

@pytest.mark.parametrize("typed,stored", [
    ("priya@acme.com", "priya@acme.com"),
    ("  Priya.Shah@ACME.com ", "Priya.Shah@acme.com"),
    ("mailto:priya@acme.com", "priya@acme.com"),
    ("<priya@acme.com>", "priya@acme.com"),
    ("Priya Shah <priya@acme.com>", "priya@acme.com"),
    ("priya@acme.com.", "priya@acme.com"),
    ("", None),
    (None, None),
])
def test_attendee_email_is_read_forgivingly(typed, stored):
    assert Attendee(name="Priya Shah", email=typed).email == stored


@pytest.mark.parametrize("typed", ["priya at acme", "priya@", "priya@@acme.com", "priya@acme"])
def test_a_wrong_email_is_one_sentence(typed):
    with pytest.raises(InvalidInputError) as err:
        build(CallPlan, {"call_id": "c1", "deal_id": "d1", "rep_id": "r1", "call_date": "2026-11-27",
                         "attendees": [{"name": "Priya Shah", "email": typed}]}, what="call plan")
    message = err.value.errors["attendees.0.email"]
    assert message.startswith("The email is not valid: ") and message.endswith("like priya@acme.com.")
    assert message.count(". ") == 0


# -- the panel ---------------------------------------------------------------------------------------------

def test_panel_updates_and_reports_a_bad_start_time():
    panel = AgendaPanel(DEAL, REP, time_zone=BERLIN)
    panel.update(PLAN)
    expected = agenda_text(PLAN, REP, deal=DEAL, start=time(10, 0), minutes=45, time_zone=BERLIN, where="")
    assert panel.text.value == expected
    assert "ck-ics-link" in panel.link.value and "ck-copy-email" in panel.copy.value
    panel.start.value = "noon"
    assert panel.link.value == ""
    assert "10:00" in panel.status.value
    panel.start.value = "11:00"
    assert "ck-ics-link" in panel.link.value
    empty = PLAN.model_copy(update={"agenda": []})
    panel.update(empty)
    assert "no agenda items yet" in panel.status.value
    assert agenda_subject(empty) in panel.text.value


def test_panel_where_box_goes_into_email_and_invitation():
    panel = AgendaPanel(DEAL, REP, time_zone=BERLIN)
    panel.update(PLAN)
    panel.where.value = LINK
    assert f"Where: {LINK}" in panel.text.value
    data = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", panel.link.value).group(1))
    _cal, event = _event(data)
    assert str(event["location"]) == LINK and str(event["url"]) == LINK
    assert event["dtstart"].params["TZID"] == BERLIN


def test_panel_defaults_to_the_machine_zone_and_shows_it():
    panel = AgendaPanel(DEAL, REP)
    assert panel.time_zone == machine_time_zone()
    assert f"Time zone: {machine_time_zone()}" in panel.zone_note.value
    assert "settings.yaml" in panel.zone_note.value
    with pytest.raises(InvalidInputError) as err:
        AgendaPanel(DEAL, REP, time_zone="Mars/Olympus_Mons")
    assert str(err.value) == ("The time_zone 'Mars/Olympus_Mons' is not a time zone: "
                              "write an IANA name like Europe/Berlin.")
    assert AgendaPanel(DEAL, REP, time_zone="europe/berlin").time_zone == BERLIN


def test_panel_tells_the_rep_what_the_email_leaves_out():
    panel = AgendaPanel(DEAL, REP, time_zone=BERLIN)
    panel.update(_plan(customer_value="Tom sees what two peers paid and saved in their first year"))
    assert "leaves out what&#x27;s in it for the customer" in panel.status.value
    assert "no email address for Tom Reed and Dana Okafor" in panel.status.value


def test_text_typed_by_reps_is_escaped_in_the_panel_html():
    nasty = "<img src=x onerror=alert(1)> & \"quotes\""
    plan = _plan(agenda=[nasty], customer_value=f"Tom sees what two peers paid {nasty} in their first year",
                 attendees=[Attendee(name=nasty, role="CFO")])
    deal = DEAL.model_copy(update={"account": nasty})
    panel = AgendaPanel(deal, REP, time_zone=BERLIN)
    panel.update(plan)
    panel.where.value = nasty
    assert nasty in panel.text.value  # the email itself is plain text
    for html in (panel.copy.value, panel.status.value, panel.link.value):
        assert "<img" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;" in panel.copy.value


def test_copy_button_carries_the_email_escaped_and_copies_in_the_browser():
    html = copy_button_html('Subject: a "b" <c>\n\nHello')
    assert 'data-text="Subject: a &quot;b&quot; &lt;c&gt;\n\nHello"' in html
    assert "navigator.clipboard.writeText" in html.replace("&#x27;", "'")
    assert "Copy the email" in html and 'class="ck-copied"' in html


# -- attendees with addresses in callkit's CSV files ---------------------------------------------------------

@pytest.mark.parametrize("cell,people", [
    ("Priya Shah (COO) <priya@acme.com>; [us] Tom Reed (solutions engineer)",
     [Attendee(name="Priya Shah", role="COO", email="priya@acme.com"),
      Attendee(name="Tom Reed", role="solutions engineer", side="us")]),
    ("Priya Shah <priya@acme.com>", [Attendee(name="Priya Shah", email="priya@acme.com")]),
    ("[us] Alex Whitfield (account executive) < alex@northwind.example >",
     [Attendee(name="Alex Whitfield", role="account executive", side="us", email="alex@northwind.example")]),
    ("Priya Shah (COO) <>", [Attendee(name="Priya Shah", role="COO")]),
    ("Priya Shah (COO)", [Attendee(name="Priya Shah", role="COO")]),
])
def test_attendee_cells_read_an_address_in_angle_brackets(cell, people):
    from callkit.csv_cells import parse_attendees

    assert parse_attendees(cell) == people


@pytest.mark.parametrize("people", [
    [Attendee(name="Priya Shah", role="COO, economic buyer", email="priya@acme.com"),
     Attendee(name="Tom Reed", role="", email="tom@acme.com"),
     Attendee(name="Dana (Ops)", role="", email="dana@acme.com"),
     Attendee(name="Odd <name>", role=""),
     Attendee(name="Sam; Lee", role="SE; overlay", side="us", email="sam@northwind.example")],
])
def test_attendee_cells_write_what_they_read(people):
    from callkit.csv_cells import format_attendees, parse_attendees

    cell = format_attendees(people)
    assert "Priya Shah (COO, economic buyer) <priya@acme.com>" in cell
    assert parse_attendees(cell) == people


def test_a_wrong_address_in_a_cell_is_one_sentence():
    from callkit.csv_cells import CellError, parse_attendees

    with pytest.raises(CellError) as err:
        parse_attendees("Priya Shah (COO) <priya at acme>")
    assert str(err.value) == ("the email address in 'Priya Shah (COO) <priya at acme>' is not valid: "
                              "write it like 'Priya Shah (COO) <priya@acme.com>'.")


def test_export_then_import_gives_the_same_attendees_back(tmp_path):
    from callkit.workspace import Workspace

    plan = PLAN.model_copy(update={"stage": "discover"})
    with Workspace.create(tmp_path / "a") as ws:
        ws.load_team([REP], [DEAL], [])
        ws.save_plan(plan)
        files = ws.export_csv(tmp_path / "csv")
        saved = ws.call(plan.call_id).plan.attendees
    assert saved == PEOPLE
    calls_csv = next(f for f in files if f.name == "calls.csv").read_text(encoding="utf-8")
    assert "Priya Shah (COO, economic buyer) <priya@saltmarsh.example>" in calls_csv
    by_name = {f.name: f for f in files}
    with Workspace.create(tmp_path / "b") as ws:
        ws.import_csv(reps=by_name["reps.csv"], deals=by_name["deals.csv"], calls=by_name["calls.csv"],
                      close_dates=by_name.get("close_dates.csv"))
        assert ws.call(plan.call_id).plan.attendees == PEOPLE
