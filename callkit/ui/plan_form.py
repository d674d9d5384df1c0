"""The plan form: every CallPlan field, the next process steps as checkboxes, a live scorecard, drafts and saving.

The mapping between the form and the model lives in plan_values.py (plain functions tests call directly).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable, Mapping, Protocol, Sequence

import ipywidgets as widgets

from ..exceptions import InvalidInputError, RecordNotFoundError
from ..models import Call, CallPlan, Deal
from ..process import SalesProcess
from ..text import long_date
from .conflict import ConflictPanel, save_or_compare
from .dates import DateField, date_errors
from .debrief_values import next_plan_values
from .draft import NOT_SAVED_NOW, DraftKeeper, as_date, not_saved_sentence, plan_draft_key
from .events import Debouncer, contains, guarded
from .fields import LabeledField, classed, textarea
from .markup import esc, status_html
from .plan_values import (
    TEXT_FIELDS, build_plan, compression_text, form_errors, plan_to_values, scoring_plan,
    step_options, upcoming_call,
)
from .rows import Column, RowsEditor, watch_edits
from .scorecard import Scorecard, check_labels

ATTENDEE_COLUMNS = (
    Column("name", "Name", placeholder="e.g. Priya Shah"),
    Column("role", "Role", placeholder="e.g. CFO"),
    Column("email", "Email (for the invitation)", placeholder="e.g. priya@acme.com"),
    Column("side", "Side", kind="choice", options=(("Client", "client"), ("Us", "us")), width="110px"),
)

# Labels and prompts (hints may contain markup: they are written here, never by a rep).
LABELS = {
    "call_date": ("Date of the call", ""),
    "attendees": ("Who will be in the call", "Their people and ours, with their roles."),
    "research_goals": ("Homework: what is the customer trying to achieve?",
                       "<q>We have to understand what they value, what they are trying to achieve, what stands in "
                       "their way of achieving it, and whether they even care.</q>"),
    "research_obstacles": ("What stands in their way?", ""),
    "research_industry": ("Their industry and company, in a sentence", ""),
    "research_notes": ("Other notes", ""),
    "customer_value": ("What's in it for the customer to invest their time in this call, now?",
                       "In their terms, not ours: <q>What does the customer get as a result of investing their time "
                       "in the call and does that create value for them?</q> If you can't answer it, you aren't "
                       "ready: reschedule the call."),
    "objective": ("Call objective: what will the client do?",
                  "An advance: an action with energy by the client, during or right after the call, that moves the "
                  "sale toward a decision, specific enough to be a yes or a no when the call ends. "
                  "<q>Demonstrate the ABC module</q> is what we do, not an advance."),
    "fallback": ("Fallback: the least the client must commit to for the call to be worth it", ""),
    "planned_steps": ("Next steps from the sales process this call will cover",
                      "<q>How many of the next activities in our sales process can we accomplish in this call?</q> "
                      "1-2 is normal, 3-4 good, 5 excellent. Follow-ups cannot be a call's sole purpose."),
    "agenda": ("Agenda for the customer (one item per line)",
               "Agree it with the customer before the meeting so both of you are prepared: reps who did "
               "made far fewer calls than necessary (<q>agreeing to an agenda, prior to the meeting, "
               "enable[s] much more progress</q>)."),
    "agenda_status": ("Agenda sent and agreed?", ""),
    "questions": ("Questions to ask (one per line)",
                  "<q>Do you know his sense of urgency or why he needs to buy something? Do you know what happens if "
                  "he doesn't buy ... by the date he has told you? Do you know his attitude toward you and the "
                  "competition?</q>"),
    "concerns": ("Concerns they may raise (one per line)", ""),
}
PLACEHOLDERS = {
    "objective": "e.g. Priya introduces us to her CFO and books a 30-minute business-case review by Friday",
    "fallback": "e.g. Priya shares last quarter's downtime report before the end of the week",
    "customer_value": "e.g. They leave with a benchmark of their downtime against three peers",
    "agenda": "e.g. Your goals for the quarter\nWhat a pilot would need to show\nNext steps",
    "questions": "e.g. What happens if this is not fixed by March?",
}
COMPARED = {  # the fields shown side by side when two coaches saved the same plan
    "call_date": "Date of the call", "objective": "Objective", "fallback": "Fallback",
    "customer_value": "What's in it for the customer", "attendees": "Who will be in the call", "agenda": "Agenda",
    "planned_steps": "Process steps", "questions": "Questions", "concerns": "Concerns",
    "research_goals": "Their goals", "research_obstacles": "What stands in their way",
    "research_industry": "Industry", "research_notes": "Other notes",
    "agenda_shared": "Agenda sent", "agenda_agreed": "Agenda agreed",
}


class PlanStore(Protocol):
    """The part of Workspace the plan form uses."""

    process: SalesProcess

    def save_plan(self, plan: CallPlan, *, replaces: CallPlan | None = ...) -> None: ...
    def new_call_id(self, deal_id: str) -> str: ...
    def call(self, call_id: str) -> Call: ...
    def calls(self, deal_id: str | None = None) -> list[Call]: ...
    def save_draft(self, key: str, data: dict) -> None: ...
    def load_draft(self, key: str) -> dict | None: ...
    def delete_draft(self, key: str) -> None: ...


# -- the widget ------------------------------------------------------------------------------------
class PlanForm(widgets.VBox):
    """Plan the next call of one deal, with a live scorecard; the draft is kept as the coach types."""

    def __init__(self, store: PlanStore, deal: Deal, calls: Sequence[Call] | None = None,
                 today: date | None = None, score_delay: float = 0.05, draft_delay: float = 1.0, browser: str = "local"):
        self.store = store
        self.deal = deal
        self.process = store.process
        self.today = today or date.today()
        self.calls = list(calls) if calls is not None else store.calls(deal_id=deal.deal_id)
        self.call_id: str | None = None
        self.opened: CallPlan | None = None  # the saved version this page started from (None: a new plan)
        self.score: Any = None
        self._loading = False
        self._change_listeners: list[Callable[[], None]] = []
        self._save_listeners: list[Callable[[CallPlan], None]] = []
        from ..scoring.rubric import Rubric

        self.rubric = Rubric.for_workspace(store)
        self.browser = browser
        self.draft = DraftKeeper(store, plan_draft_key(deal.deal_id, browser), self._draft_data, draft_delay,
                                 on_problem=self.report)
        self.scorer = Debouncer(guarded(self.update_scorecard, self.report), score_delay)

        self._build_widgets()
        values, note = self._starting_values()
        self.set_values(values)
        self.heading.value = self._heading_html(note)
        self.update_scorecard()

    # -- construction ------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.controls: dict[str, widgets.Widget] = {
            "call_date": DateField(today=self.today, layout=widgets.Layout(width="200px")),
            "attendees": RowsEditor(ATTENDEE_COLUMNS, add_label="Add a person", today=self.today),
            "agenda_shared": widgets.Checkbox(description="Sent to the customer", indent=False),
            "agenda_agreed": widgets.Checkbox(description="The customer agreed to it", indent=False),
            "agenda_agreed_on": DateField(description="on", today=self.today, layout=widgets.Layout(width="200px")),
        }
        rows = {"objective": 2, "fallback": 2, "customer_value": 3, "agenda": 4, "questions": 4, "concerns": 2}
        for name in TEXT_FIELDS:
            self.controls[name] = textarea(PLACEHOLDERS.get(name, ""), rows=rows.get(name, 2))
        self.steps_box = widgets.VBox()
        self.compression = classed(widgets.HTML(""), "ck-compression")
        self.step_checks: dict[str, widgets.Checkbox] = {}

        self.fields: dict[str, LabeledField] = {}
        for name, control in self.controls.items():
            if name in ("agenda_shared", "agenda_agreed", "agenda_agreed_on"):
                continue
            label, hint = LABELS[name]
            self.fields[name] = LabeledField(label, control, hint, css=f"ck-{name.replace('_', '-')}")
        label, hint = LABELS["planned_steps"]
        self.fields["planned_steps"] = LabeledField(
            label, widgets.VBox([self.steps_box, self.compression]), hint, css="ck-planned-steps")
        label, hint = LABELS["agenda_status"]
        self.fields["agenda_agreed_on"] = LabeledField(
            label, widgets.HBox([self.controls["agenda_shared"], self.controls["agenda_agreed"],
                                 self.controls["agenda_agreed_on"]]), hint, css="ck-agenda-status")

        watch_edits(self.controls.values(), guarded(self._edited, self.report))

        self.scorecard = Scorecard(check_labels(self.rubric.plan))
        self.scorecard.on_use(guarded(self.use_suggestion, self.report))
        self.save_button = widgets.Button(description="Save the plan", button_style="primary",
                                          layout=widgets.Layout(width="auto"))
        self.save_button.add_class("ck-save-plan")
        self.save_button.on_click(guarded(lambda _b: self.save(), self.report))
        self.status = classed(widgets.HTML(""), "ck-plan-status")
        self.conflict = ConflictPanel("plan")
        self.conflict.on_choice(guarded(self.keep_mine, self.report), guarded(self.take_theirs, self.report))
        self._theirs: CallPlan | None = None
        self.heading = classed(widgets.HTML(""), "ck-plan-heading")

        f = self.fields
        section = lambda title: widgets.HTML(f'<h3 class="ck-section">{title}</h3>')  # noqa: E731
        left = widgets.VBox(
            [
                self.heading,
                f["call_date"],
                section("1. What must the call achieve?"), f["objective"], f["fallback"], f["planned_steps"],
                section("2. Why should they give you this time?"), f["customer_value"],
                section("3. Do your homework"), f["attendees"], f["research_goals"], f["research_obstacles"],
                f["research_industry"], f["research_notes"],
                section("4. How will the call run?"), f["agenda"], f["agenda_agreed_on"], f["questions"],
                f["concerns"],
                widgets.HBox([self.save_button, self.status]), self.conflict,
            ],
            layout=widgets.Layout(width="58%", padding="0 16px 0 0"),
        )
        right = classed(widgets.VBox([self.scorecard], layout=widgets.Layout(width="42%")), "ck-side")
        super().__init__([widgets.HBox([left, right], layout=widgets.Layout(width="100%"))])
        self.add_class("ck-plan-form")

    def _starting_values(self) -> tuple[dict[str, Any], str]:
        call = upcoming_call(self.calls)
        self.opened = call.plan if call is not None else None
        draft = self.draft.load()
        if draft:
            saved_at = draft.get("saved_at")
            when = f" (saved {saved_at[:16].replace('T', ' ')})" if saved_at else ""
            values = draft.get("values", draft)
            if self.opened is not None and values.get("call_id") != self.opened.call_id:
                self.opened = None  # the draft is of another (new) plan
            return values, f"Restored what you typed before{when} in this browser; it is not saved as a plan yet."
        if self.opened is not None:
            return plan_to_values(self.opened), ""
        return next_plan_values(self.deal, self.calls, self.today), ""

    def _heading_html(self, note: str = "") -> str:
        if self.call_id and self._call_exists(self.call_id):
            title = f"<h2>Plan for the call on {esc(long_date(as_date(self.controls['call_date'].value)))}</h2>"
        else:
            title = "<h2>Plan the next call</h2>"
        return title + (status_html(note, "info") if note else "")

    # -- values ------------------------------------------------------------------------------------
    @property
    def values(self) -> dict[str, Any]:
        """What the form holds now, as plain values (the mapping functions' input)."""
        c = self.controls
        out: dict[str, Any] = {
            "call_id": self.call_id,
            "call_date": c["call_date"].kept_value,
            "attendees": c["attendees"].value,
            "agenda_shared": c["agenda_shared"].value,
            "agenda_agreed": c["agenda_agreed"].value,
            "agenda_agreed_on": c["agenda_agreed_on"].kept_value,
            "planned_steps": [s for s, box in self.step_checks.items() if box.value],
        }
        for name in TEXT_FIELDS:
            out[name] = c[name].value
        return out

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Fill the form (from a plan, a draft or an empty plan) without saving a draft."""
        self._loading = True
        try:
            c = self.controls
            self.call_id = values.get("call_id") or None
            c["call_date"].value = values.get("call_date")
            c["attendees"].set_value(values.get("attendees") or [])
            for name in TEXT_FIELDS:
                c[name].value = str(values.get(name) or "")
            c["agenda_shared"].value = bool(values.get("agenda_shared"))
            c["agenda_agreed"].value = bool(values.get("agenda_agreed"))
            c["agenda_agreed_on"].value = values.get("agenda_agreed_on")
            self._set_steps(list(values.get("planned_steps") or []))
        finally:
            self._loading = False
        self.clear_errors()

    def _set_steps(self, chosen: list[str]) -> None:
        self.step_checks = {}
        for step in step_options(self.process, self.deal, self.calls, chosen):
            box = widgets.Checkbox(value=step in chosen, description=step, indent=False,
                                   layout=widgets.Layout(width="auto"))
            box.add_class("ck-step")
            box.observe(guarded(self._edited, self.report), names="value")
            self.step_checks[step] = box
        self.steps_box.children = list(self.step_checks.values()) or [
            widgets.HTML('<span class="ck-muted">The sales process has no next steps for this stage.</span>')]
        self._show_compression()

    def _show_compression(self) -> None:
        self.compression.value = esc(compression_text(self.compression_count))

    @property
    def compression_count(self) -> int:
        """How many process steps are ticked."""
        return sum(1 for box in self.step_checks.values() if box.value)

    def _draft_data(self) -> dict:
        return {"values": self.values, "saved_at": datetime.now().isoformat(timespec="seconds")}

    # -- events ------------------------------------------------------------------------------------
    def _edited(self, change: Any = None) -> None:
        if self._loading:
            return
        owner = getattr(change, "owner", None) if not isinstance(change, dict) else change.get("owner")
        for field in self.fields.values():
            if field.error_text and owner is not None and contains(field.control, owner):
                field.clear_error()  # the coach is fixing it: the red line goes
        self._show_compression()
        self.status.value = ""
        self.draft.changed()
        self.scorer.trigger()

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call `callback()` after the scorecard caught up with an edit."""
        self._change_listeners.append(callback)

    def on_save(self, callback: Callable[[CallPlan], None]) -> None:
        """Call `callback(plan)` after a successful save."""
        self._save_listeners.append(callback)

    def report(self, message: str) -> None:
        """Show a problem under the Save button."""
        self.status.value = status_html(message, "error")

    # -- actions -----------------------------------------------------------------------------------
    def preview_plan(self) -> CallPlan:
        """The plan as it stands, half-filled or not (for the scorecard and the agenda)."""
        return scoring_plan(self.values, self.deal, self.call_id or "new", today=self.today)

    def update_scorecard(self) -> Any:
        """Score the form now and show it (what the debounced typing handler calls)."""
        from ..scoring.plan import score_plan

        plan = self.preview_plan()
        stage = self.deal.stage if self.process.has_stage(self.deal.stage) else None
        self.score = score_plan(plan, process=self.process, rubric=self.rubric, stage=stage)
        self.scorecard.show(self.score, plan.objective)
        for callback in self._change_listeners:
            callback()
        return self.score

    def use_suggestion(self, suggestion: str | None = None) -> str | None:
        """Put the suggested objective into the objective box and rescore at once."""
        suggestion = suggestion or self.scorecard.suggestion
        if not suggestion:
            return None
        self.controls["objective"].value = suggestion
        self.scorer.cancel()
        self.update_scorecard()
        return suggestion

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Put each sentence next to its field."""
        self.clear_errors()
        mapped = form_errors(errors, self.controls["attendees"].row_numbers())
        for name, message in mapped.items():
            self.fields.get(name, self.fields["call_date"]).show_error(message)

    def clear_errors(self) -> None:
        """Hide every field's error line."""
        for field in self.fields.values():
            field.clear_error()

    def _call_exists(self, call_id: str) -> bool:
        try:
            return self.store.call(call_id) is not None
        except RecordNotFoundError:
            return False

    def save(self) -> CallPlan | None:
        """Validate and save the plan; on a problem show it next to the field, keep the values, return None.

        When someone else saved this plan (or planned a call of this deal on the same date) since this page
        opened it, nothing is written: both versions are shown and the coach chooses (keep_mine / take_theirs).
        """
        values = dict(self.values)
        if date_errors(self.controls):  # each box shows its own sentence; a bad date is never saved as "no date"
            self.status.value = status_html("Not saved yet: fix the dates marked in red.", "error")
            return None
        try:
            build_plan(values, self.deal, self.call_id or "new")
        except InvalidInputError as exc:
            self.show_errors(exc.errors)
            self.status.value = status_html("Not saved yet: fix what is marked in red.", "error")
            return None
        call_id = self.call_id
        try:
            if not call_id or (call_id not in {c.call_id for c in self.calls} and self._call_exists(call_id)):
                call_id = self.store.new_call_id(self.deal.deal_id)  # a new plan, or its id was taken meanwhile
        except NOT_SAVED_NOW as exc:
            self._not_saved(exc)
            return None
        return self._write(build_plan(values, self.deal, call_id), self.opened)

    def _not_saved(self, exc: Exception) -> None:
        """The workspace could not take the plan just now: say so next to Save, keep the text (and its draft)."""
        self.draft.save_now()
        self.status.value = status_html(not_saved_sentence(exc, "plan"), "error")
        return None

    def _write(self, plan: CallPlan, replaces: CallPlan | None) -> CallPlan | None:
        plan = plan.model_copy(update={"updated_at": datetime.now().replace(microsecond=0)})
        if not save_or_compare(self, lambda: self.store.save_plan(plan, replaces=replaces), CallPlan, plan_to_values,
                               COMPARED):
            return None
        self.opened = plan
        call_id = plan.call_id
        self.draft.discard()
        self.call_id = call_id
        self.calls = [c for c in self.calls if c.call_id != call_id] + [
            Call(call_id=call_id, deal_id=plan.deal_id, rep_id=plan.rep_id, date=plan.call_date, plan=plan)]
        self.clear_errors()
        self.heading.value = self._heading_html()
        self.status.value = status_html(f"Saved the plan for the call on {long_date(plan.call_date)}.", "ok")
        for callback in self._save_listeners:
            callback(plan)
        return plan

    def keep_mine(self) -> CallPlan | None:
        """After a refused save: save this page's plan over the other version (into its call)."""
        theirs = self._theirs
        call_id = theirs.call_id if theirs is not None else (self.call_id or self.store.new_call_id(self.deal.deal_id))
        try:
            plan = build_plan(dict(self.values), self.deal, call_id)
        except InvalidInputError as exc:
            self.show_errors(exc.errors)
            return None
        return self._write(plan, theirs)

    def take_theirs(self) -> None:
        """After a refused save: show the other version in the form (this page's text is replaced)."""
        theirs = self._theirs
        self.conflict.hide()
        self._theirs = None
        if theirs is None:
            return
        self.opened = theirs
        if theirs.call_id not in {c.call_id for c in self.calls}:
            self.calls.append(Call(call_id=theirs.call_id, deal_id=theirs.deal_id, rep_id=theirs.rep_id,
                                   date=theirs.call_date, plan=theirs))
        self.set_values(plan_to_values(theirs))
        self.draft.discard()
        self.heading.value = self._heading_html()
        self.status.value = status_html("Showing the version saved by someone else.", "info")
        self.update_scorecard()
