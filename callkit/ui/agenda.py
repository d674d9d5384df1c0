"""The agenda for the customer: plain text to paste into an email and an .ics invitation with the agenda in it.

Seed 000: agreeing an agenda with the customer before the meeting lets both sides prepare.

Everything here is written TO the customer: attendees show their job titles, never our internal labels
("economic buyer", "champion"); the plan's customer value becomes "What you will get from this call: ..."
when its words can be turned to the customer reliably. The word lists are callkit/data/agenda.yaml.

This module is the AgendaPanel the coach sees; the email text is agenda_email, the invitation agenda_invitation,
the time zones agenda_time_zones, the attendees agenda_attendees and the customer value agenda_value. Every
name they offer can still be imported from here.
"""

from __future__ import annotations

import base64
import html
import re
from datetime import time

import ipywidgets as widgets

from ..exceptions import InvalidInputError
from ..models import CallPlan, Deal, Rep
from ..settings import machine_time_zone, time_zone_name
from ..text import join
from .agenda_attendees import attendee_label, job_title, one_line, usable_address
from .agenda_email import agenda_body, agenda_subject, agenda_text
from .agenda_invitation import agenda_ics, ics_filename, invitees, meeting_link
from .agenda_time_zones import UTC_NAMES, vtimezone, zone_label, zone_of
from .agenda_value import NO_VALUE_NOTE, VALUE_LEAD, ValueLine, customer_value_line
from .agenda_words import (
    WORDS_FILE,
    WORDS_SOURCE,
    AgendaWords,
    ValueWords,
    agenda_words,
    agenda_words_from_text,
)
from .events import guarded
from .fields import classed
from .markup import esc, status_html

__all__ = [
    "DURATIONS", "NO_VALUE_NOTE", "UTC_NAMES", "VALUE_LEAD", "WORDS_FILE", "WORDS_SOURCE", "ZONE_HINT", "AgendaPanel",
    "AgendaWords", "ValueLine", "ValueWords", "agenda_body", "agenda_ics", "agenda_subject", "agenda_text",
    "agenda_words", "agenda_words_from_text", "attendee_label", "copy_button_html", "customer_value_line",
    "download_link_html", "ics_filename", "invitees", "job_title", "meeting_link", "one_line", "parse_start",
    "usable_address", "vtimezone", "zone_label", "zone_of",
]

DURATIONS = (30, 45, 60, 90)
ZONE_HINT = ("The workspace's time zone: a coach sets it in settings.yaml in the workspace folder "
             "(time_zone: Europe/Berlin).")


def parse_start(text: str) -> time:
    """'10:00', '9:30' or '14h15' as a time; InvalidInputError with one sentence otherwise."""
    match = re.fullmatch(r"\s*(\d{1,2})[:.h](\d{2})\s*", text or "")
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise InvalidInputError({"start": "The start time must look like 10:00."}, what="invitation")


def download_link_html(data: bytes, filename: str, label: str = "Download the invitation (.ics)") -> str:
    """A link that downloads `data` as a calendar file, with no server round trip (a data: URI)."""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="ck-ics-link" download="{esc(filename)}" href="data:text/calendar;charset=utf-8;base64,{encoded}"'
        f' style="font-weight:600">{esc(label)}</a>'
    )


# The copy button: the browser copies what the email box shows (with the rep's edits), or the text it carries.
_COPY_JS = (
    "var b=this,root=b.closest('.ck-agenda-panel'),box=root&&root.querySelector('.ck-agenda-text textarea'),"
    "text=box?box.value:b.getAttribute('data-text'),note=b.parentNode.querySelector('.ck-copied');"
    "function say(m){if(note){note.textContent=m;clearTimeout(b._ckTimer);"
    "if(m){b._ckTimer=setTimeout(function(){note.textContent='';},8000);}}}"
    "function byHand(){var t=document.createElement('textarea');t.value=text;t.style.position='fixed';"
    "t.style.opacity='0';document.body.appendChild(t);t.select();var ok=false;"
    "try{ok=document.execCommand('copy');}catch(e){}document.body.removeChild(t);"
    "say(ok?'Copied':'Could not copy: select the text and press Ctrl+C.');}"
    "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(text)"
    ".then(function(){say('Copied');},byHand);}else{byHand();}"
)


def copy_button_html(text: str, label: str = "Copy the email") -> str:
    """A button that copies the email (subject and message) to the clipboard in the browser and says 'Copied'."""
    return (
        f'<button type="button" class="ck-copy-email jupyter-button" data-text="{esc(text)}" '
        f'onclick="{html.escape(_COPY_JS, quote=True)}">{esc(label)}</button>'
        ' <span class="ck-copied" role="status" aria-live="polite" style="margin-left:8px;color:#1a7f37;'
        'font-weight:600"></span>'
    )


class AgendaPanel(widgets.VBox):
    """Email text, a copy button and the .ics download for the plan being prepared; `update(plan)` refreshes them.

    `time_zone` is the IANA name the call's time is in (the workspace's setting); the machine's when None.
    """

    def __init__(self, deal: Deal, rep: Rep | None, time_zone: str | None = None):
        self.deal = deal
        self.rep = rep
        try:  # a wrong name fails here, in one sentence, not in the middle of a refresh
            self.time_zone = time_zone_name(time_zone) if time_zone else machine_time_zone()
        except ValueError as exc:
            raise InvalidInputError({"time_zone": f"The {exc}"}, what="invitation") from None
        self.plan: CallPlan | None = None
        wide = {"description_width": "initial"}
        self.start = widgets.Text(value="10:00", description="Starts at", style=wide,
                                  layout=widgets.Layout(width="160px"))
        self.minutes = widgets.Dropdown(options=[(f"{m} minutes", m) for m in DURATIONS], value=45,
                                        description="Length", style=wide, layout=widgets.Layout(width="190px"))
        self.zone_note = classed(widgets.HTML(
            f'<span class="ck-muted" title="{esc(ZONE_HINT)}">Time zone: {esc(self.time_zone)}</span>',
            layout=widgets.Layout(margin="0 0 0 12px")), "ck-agenda-zone")
        self.where = classed(widgets.Text(value="", description="Where / meeting link",
                                          placeholder="Room 4B, or the video call link",
                                          style={"description_width": "initial"},
                                          layout=widgets.Layout(width="640px")), "ck-agenda-where")
        self.text = classed(widgets.Textarea(rows=24, layout=widgets.Layout(width="100%")), "ck-agenda-text")
        self.copy = classed(widgets.HTML(""), "ck-copy")
        self.link = classed(widgets.HTML(""), "ck-ics")
        self.status = classed(widgets.HTML(""), "ck-agenda-status")
        for control in (self.start, self.minutes, self.where):
            control.observe(guarded(lambda _c: self.refresh(), self.report), names="value")
        super().__init__(
            [
                widgets.HTML("<h2>Agenda for the customer</h2><p class='ck-hint'>Send it before the call and ask "
                             "them to add or change what they want: both sides come prepared.</p>"),
                widgets.HBox([self.start, self.minutes, self.zone_note], layout=widgets.Layout(align_items="center")),
                self.where,
                widgets.HTML("<b>Email text</b> (copy it, or change it here first)"), self.text,
                self.copy, self.link, self.status,
            ]
        )
        self.add_class("ck-agenda")
        self.add_class("ck-agenda-panel")  # the copy button finds the email box inside it

    def report(self, message: str) -> None:
        """Show a problem under the link."""
        self.status.value = status_html(message, "error")

    def update(self, plan: CallPlan) -> None:
        """Show the agenda of this plan."""
        self.plan = plan
        self.refresh()

    def notes(self) -> list[str]:
        """What the rep should know about the email and the invitation (shown under the link)."""
        if self.plan is None:
            return []
        out: list[str] = []
        if not self.plan.agenda:
            out.append("The plan has no agenda items yet: add them in the plan.")
        value = customer_value_line(self.plan, self.deal)
        if value.note:
            out.append(value.note)
        missing = [one_line(a.name) for a in self.plan.attendees
                   if a.side == "client" and a.name.strip() and not usable_address(a.email)]
        if missing:
            shown = join(missing[:3] + ([f"{len(missing) - 3} more"] if len(missing) > 3 else []))
            out.append(f"The invitation has no email address for {shown}: add it in the plan to invite them.")
        if self.rep is not None and (self.rep.email or "").strip() and not usable_address(self.rep.email):
            out.append(f"{one_line(self.rep.name)}'s email address in the workspace is not an address like "
                       "alex@acme.com, so the invitation is sent without an organizer: correct it in reps.csv "
                       "and import again.")
        return out

    def refresh(self) -> None:
        """Rebuild the text, the copy button and the invitation from the plan, start time, length and place."""
        if self.plan is None:
            return
        try:
            start = parse_start(self.start.value)
        except InvalidInputError as exc:
            start = None
            problem = exc.errors["start"]
        else:
            problem = ""
        details = {"deal": self.deal, "start": start, "minutes": int(self.minutes.value) if start else None,
                   "time_zone": self.time_zone, "where": self.where.value}
        self.text.value = agenda_text(self.plan, self.rep, **details)
        self.copy.value = copy_button_html(self.text.value)
        if start is None:
            self.link.value = ""
            self.status.value = status_html(problem, "error")
            return
        ics = agenda_ics(self.plan, self.deal, self.rep, start=start, minutes=int(self.minutes.value),
                         time_zone=self.time_zone, where=self.where.value)
        self.link.value = download_link_html(ics, ics_filename(self.plan, self.deal))
        self.status.value = "".join(status_html(note, "info") for note in self.notes())
