"""The debrief form: outcome, the client's commitments, what was learned, follow-ups, next call, new close date.

On save it writes the debrief (and the new close date when it moved) and pre-fills the next plan's
questions with what is still unknown (seed 000's debrief questions). The logic is in debrief_values.py.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable, Mapping, Sequence

import ipywidgets as widgets

from ..exceptions import InvalidInputError
from ..models import OUTCOME_LABELS, Call, Debrief, Deal
from ..text import counted, long_date
from .debrief_values import (
    LEARNED_FIELDS, LEARNED_LABELS, NEW_CALL, OUTCOME_HELP, DebriefStore, advance_flag, build_debrief, call_choices,
    debrief_form_errors, debrief_to_values, default_call, new_debrief_values, next_plan_questions, prefill_next_plan,
    scoring_debrief,
)
from .conflict import ConflictPanel, save_or_compare
from .dates import DateField, date_errors
from .draft import NOT_SAVED_NOW, DraftKeeper, as_date, debrief_draft_key, not_saved_sentence
from .events import Debouncer, contains, guarded
from .fields import LabeledField, classed, textarea
from .markup import esc, findings_html, status_html
from .plan_values import step_options
from .rows import Column, RowsEditor, watch_edits
from .scorecard import total_band

COMMITMENT_COLUMNS = (
    Column("who", "Who", placeholder="e.g. Priya", width="140px"),
    Column("what", "What", placeholder="e.g. introduces us to the CFO", width="270px"),
    Column("by", "By when", kind="date", width="160px"),
)
COMPARED = {  # the fields shown side by side when two coaches saved the same debrief
    "outcome": "How it ended", "commitments": "Client commitments", "follow_ups": "Our follow-ups",
    **{f"learned_{k}": v for k, v in LEARNED_LABELS.items()}, "completed_steps": "Process steps done",
    "next_call": "Next call", "close_date_after": "Forecast close date", "notes": "Notes",
    "best_met": "Objective met", "fallback_met": "Fallback met",
}


# -- the widget ------------------------------------------------------------------------------------
class DebriefForm(widgets.VBox):
    """Debrief one call of a deal, with its score and the advance flag; drafts kept as the coach types."""

    def __init__(self, store: DebriefStore, deal: Deal, calls: Sequence[Call], today: date | None = None,
                 score_delay: float = 0.05, draft_delay: float = 1.0, browser: str = "local"):
        self.store = store
        self.deal = deal
        self.process = store.process
        self.today = today or date.today()
        self.calls = {c.call_id: c for c in calls}
        self.score: Any = None
        self.flag: str | None = None
        self.browser = browser
        self.opened: Debrief | None = None  # the saved debrief this page started from (None: a new one)
        self._theirs: Debrief | None = None
        self._loading = False
        self._save_listeners: list[Callable[[Debrief, dict | None], None]] = []
        self.draft: DraftKeeper | None = None
        self._draft_delay = draft_delay
        from ..scoring.rubric import Rubric

        self.rubric = Rubric.for_workspace(store)
        self.scorer = Debouncer(guarded(self.update_score, self.report), score_delay)
        self._build_widgets()
        self.choose_call(default_call(list(self.calls.values())))

    def _build_widgets(self) -> None:
        self.call_dropdown = widgets.Dropdown(options=call_choices(list(self.calls.values())),
                                              layout=widgets.Layout(width="640px"))
        self.call_dropdown.add_class("ck-debrief-call")
        self.call_dropdown.observe(guarded(lambda ch: self.choose_call(ch["new"]), self.report), names="value")
        self.plan_info = widgets.HTML("")
        self.controls: dict[str, widgets.Widget] = {
            "call_date": DateField(today=self.today, layout=widgets.Layout(width="200px")),
            "outcome": widgets.ToggleButtons(options=[(OUTCOME_LABELS[o], o) for o in OUTCOME_HELP], value=None,
                                             tooltips=list(OUTCOME_HELP.values())),
            "best_met": widgets.Checkbox(description="The objective was met", indent=False),
            "fallback_met": widgets.Checkbox(description="At least the fallback was met", indent=False),
            "commitments": RowsEditor(COMMITMENT_COLUMNS, add_label="Add a commitment", today=self.today),
            "follow_ups": RowsEditor(COMMITMENT_COLUMNS, add_label="Add a follow-up", today=self.today),
            "next_call": DateField(today=self.today, layout=widgets.Layout(width="200px")),
            "close_date_after": DateField(today=self.today, layout=widgets.Layout(width="200px")),
            "notes": textarea(rows=3),
        }
        for name in LEARNED_FIELDS:
            self.controls[f"learned_{name}"] = textarea(rows=1)
        self.steps_box = widgets.VBox()
        self.step_checks: dict[str, widgets.Checkbox] = {}

        labels = {
            "call_date": ("Date of the call", ""),
            "outcome": ("How did it end?", "An advance needs an action by the client, with a date; a pleasant "
                        "call with no commitment is a continuation."),
            "commitments": ("What the client committed to (who, what, by when)", ""),
            "follow_ups": ("Our follow-ups (who, what, by when)", "Executives expect follow-up: date each one."),
            "next_call": ("Next call", ""),
            "close_date_after": ("Forecast close date now", "Change it only if it really moved."),
            "notes": ("Notes", ""),
        }
        labels.update({f"learned_{k}": (v, "") for k, v in LEARNED_LABELS.items()})
        self.fields: dict[str, LabeledField] = {}
        for name, (label, hint) in labels.items():
            self.fields[name] = LabeledField(label, self.controls[name], hint,
                                             css=f"ck-debrief-{name.replace('_', '-')}")
        self.fields["met"] = LabeledField("Did the call achieve its objective?", widgets.HBox(
            [self.controls["best_met"], self.controls["fallback_met"]]))
        self.fields["completed_steps"] = LabeledField("Process steps done in this call", self.steps_box)

        watch_edits(self.controls.values(), guarded(self._edited, self.report))

        self.score_total = classed(widgets.HTML(""), "ck-debrief-total")
        self.flag_box = classed(widgets.HTML(""), "ck-advance-flag")
        self.score_body = widgets.HTML("")
        self.save_button = widgets.Button(description="Save the debrief", button_style="primary",
                                          layout=widgets.Layout(width="auto"))
        self.save_button.add_class("ck-save-debrief")
        self.save_button.on_click(guarded(lambda _b: self.save(), self.report))
        self.status = classed(widgets.HTML(""), "ck-debrief-status")
        self.confirm_text = widgets.HTML("")
        self.confirm_button = classed(widgets.Button(description="Save anyway", button_style="warning",
                                                     layout=widgets.Layout(width="auto")), "ck-save-anyway")
        self.confirm_button.on_click(guarded(lambda _b: self.save(confirmed=True), self.report))
        self.confirm = classed(widgets.HBox([self.confirm_text, self.confirm_button],
                                            layout=widgets.Layout(display="none")), "ck-confirm")
        self.conflict = ConflictPanel("debrief")
        self.conflict.on_choice(guarded(self.keep_mine, self.report), guarded(self.take_theirs, self.report))

        f = self.fields
        left = widgets.VBox(
            [
                widgets.HTML("<h2>Debrief a call</h2>"), self.call_dropdown, f["call_date"], self.plan_info,
                f["outcome"], f["met"], f["commitments"],
                widgets.HTML('<h3 class="ck-section">What did you learn?</h3>'),
                *[f[f"learned_{k}"] for k in LEARNED_FIELDS],
                f["completed_steps"], f["follow_ups"], f["next_call"], f["close_date_after"], f["notes"],
                widgets.HBox([self.save_button, self.status]), self.confirm, self.conflict,
            ],
            layout=widgets.Layout(width="58%", padding="0 16px 0 0"),
        )
        right = widgets.VBox([widgets.HTML("<h2>Debrief score</h2>"), self.score_total, self.flag_box,
                              self.score_body], layout=widgets.Layout(width="42%"))
        right.add_class("ck-side")
        super().__init__([widgets.HBox([left, right], layout=widgets.Layout(width="100%"))])
        self.add_class("ck-debrief-form")

    # -- which call ----------------------------------------------------------------------------------
    @property
    def call(self) -> Call | None:
        """The call being debriefed, or None for a call that was not planned."""
        return self.calls.get(self.call_dropdown.value)

    def choose_call(self, call_id: str) -> None:
        """Show the debrief of this call (its saved debrief, its draft, or an empty one)."""
        if self.call_dropdown.value != call_id:
            self.call_dropdown.value = call_id  # observing calls back here
            return
        call = self.calls.get(call_id)
        key = debrief_draft_key(call_id if call else f"{NEW_CALL}:{self.deal.deal_id}", self.browser)
        if self.draft is not None:
            self.draft.debouncer.flush()
        self.draft = DraftKeeper(self.store, key, lambda: {"values": self.values}, self._draft_delay,
                                 on_problem=self.report)
        draft = self.draft.load()
        note = ""
        self.opened = call.debrief if call else None
        self._hide_questions()
        if draft:
            values, note = draft.get("values", draft), "Restored what you typed before in this browser; it is not saved yet."
        elif call and call.debrief:
            values = debrief_to_values(call.debrief, call.date)
        else:
            values = new_debrief_values(self.deal, call.date if call else self.today)
        self.fields["call_date"].layout.display = "none" if call else ""
        plan = call.plan if call else None
        self.fields["met"].layout.display = "" if plan is not None else "none"
        info = ""
        if plan is not None:
            info = (f"<div class='ck-card'><b>Objective:</b> {esc(plan.objective) or '<i>none written</i>'}<br>"
                    f"<b>Fallback:</b> {esc(plan.fallback) or '<i>none written</i>'}</div>")
        self.plan_info.value = info + (status_html(note, "info") if note else "")
        self.set_values(values)
        self.update_score()

    # -- values ------------------------------------------------------------------------------------
    @property
    def values(self) -> dict[str, Any]:
        """What the form holds now, as plain values."""
        out = {name: control.kept_value if isinstance(control, DateField) else control.value
               for name, control in self.controls.items()}
        out["completed_steps"] = [s for s, box in self.step_checks.items() if box.value]
        return out

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Fill the form without saving a draft."""
        self._loading = True
        try:
            for name, control in self.controls.items():
                value = values.get(name)
                if isinstance(control, RowsEditor):
                    control.set_value(value or [])
                elif isinstance(control, DateField):
                    control.value = value
                elif isinstance(control, widgets.Checkbox):
                    control.value = bool(value)
                elif name == "outcome":
                    control.value = value if value in OUTCOME_HELP else None
                else:
                    control.value = str(value or "")
            self._set_steps(list(values.get("completed_steps") or []))
        finally:
            self._loading = False
        for field in self.fields.values():
            field.clear_error()

    def _set_steps(self, chosen: list[str]) -> None:
        call = self.call
        planned = list(call.plan.planned_steps) if call and call.plan else []
        options = planned or step_options(self.process, self.deal, [], ())
        options += [s for s in chosen if s not in options]
        self.step_checks = {}
        for step in options:
            box = widgets.Checkbox(value=step in chosen, description=step, indent=False,
                                   layout=widgets.Layout(width="auto"))
            box.observe(guarded(self._edited, self.report), names="value")
            self.step_checks[step] = box
        self.steps_box.children = list(self.step_checks.values())

    def _edited(self, change: Any = None) -> None:
        if self._loading:
            return
        owner = change.get("owner") if isinstance(change, dict) else getattr(change, "owner", None)
        for field in self.fields.values():
            if field.error_text and owner is not None and contains(field.control, owner):
                field.clear_error()  # the coach is fixing it ("The outcome is required." goes once one is chosen)
        self.status.value = ""
        self._hide_questions()
        if self.draft is not None:
            self.draft.changed()
        self.scorer.trigger()

    def report(self, message: str) -> None:
        """Show a problem under the Save button."""
        self.status.value = status_html(message, "error")

    def on_save(self, callback: Callable[[Debrief, dict | None], None]) -> None:
        """Call `callback(debrief, next_plan_values)` after a successful save."""
        self._save_listeners.append(callback)

    # -- actions -----------------------------------------------------------------------------------
    def update_score(self) -> Any:
        """Score the debrief as it stands and show the score and the advance flag."""
        from ..scoring.debrief import score_debrief

        call = self.call
        try:
            debrief = scoring_debrief(self.values, call.call_id if call else "new")
        except InvalidInputError:
            debrief = None
        if debrief is None:
            self.score, self.flag = None, None
            self.score_total.value = '<p class="ck-muted">Choose how the call ended to see the score.</p>'
            self.flag_box.value = ""
            self.score_body.value = ""
            return None
        self.score = score_debrief(debrief, plan=call.plan if call else None, deal=self.deal, rubric=self.rubric)
        self.flag = advance_flag(debrief)
        self.score_total.value = (f'<div class="ck-total ck-total-{total_band(self.score.total)}" '
                                  f'data-total="{int(self.score.total)}">{int(self.score.total)}'
                                  f'<span class="ck-muted" style="font-size:18px"> / 100</span></div>')
        self.flag_box.value = status_html(self.flag, "error") if self.flag else ""
        unknown = [LEARNED_LABELS[u] for u in debrief.learned.unanswered() if u in LEARNED_LABELS]
        gaps = ("<h3>Still unknown (goes into the next plan)</h3><ul>"
                + "".join(f"<li>{esc(u)}</li>" for u in unknown) + "</ul>") if unknown else ""
        self.score_body.value = findings_html(self.score.findings, empty="A complete debrief.") + gaps
        return self.score

    def _hide_questions(self) -> None:
        self.confirm.layout.display = "none"
        self.conflict.hide()

    def confirmations(self, values: Mapping[str, Any], call_date: date | None) -> list[str]:
        """What to ask before saving: a debrief of a call dated in the future, a forecast close date in the past."""
        asks = []
        if call_date is not None and call_date > self.today:
            asks.append(f"This call is dated {long_date(call_date)}, which is in the future: was it really held?")
        after = as_date(values.get("close_date_after"))
        if after is not None and after < self.today and after != self.deal.close_date:
            asks.append(f"The forecast close date {long_date(after)} is in the past: is that the date they will decide?")
        return asks

    def save(self, confirmed: bool = False) -> Debrief | None:
        """Validate and save; record a moved close date; pre-fill the next plan. None (and errors shown) on a problem.

        A date that looks wrong (see `confirmations`) is asked about first: nothing is saved until the coach
        presses "Save anyway". A debrief saved by someone else meanwhile is shown beside this one (keep_mine /
        take_theirs).
        """
        call = self.call
        values = self.values
        try:
            call_id = call.call_id if call else self.store.new_call_id(self.deal.deal_id)
        except NOT_SAVED_NOW as exc:
            self._not_saved(exc)
            return None
        call_date = call.date if call else as_date(values.get("call_date"))
        if date_errors(self.controls):  # each box shows its own sentence; a bad date is never saved as "no date"
            self.status.value = status_html("Not saved yet: fix the dates marked in red.", "error")
            return None
        try:
            debrief = build_debrief(values, call_id)
            if call_date is None:
                raise InvalidInputError({"call_date": "The call date is required."}, what="debrief")
        except InvalidInputError as exc:
            for field in self.fields.values():
                field.clear_error()
            rows = {k: self.controls[k].row_numbers() for k in ("commitments", "follow_ups")}
            for name, message in debrief_form_errors(exc.errors, rows).items():
                self.fields.get(name, self.fields["outcome"]).show_error(message)
            self.status.value = status_html("Not saved yet: fix what is marked in red.", "error")
            return None
        asks = [] if confirmed else self.confirmations(values, call_date)
        if asks:
            self.confirm_text.value = status_html(" ".join(asks), "error")
            self.confirm.layout.display = ""
            self.status.value = status_html("Not saved yet: check the date.", "error")
            return None
        return self._write(debrief, call, call_date, self.opened)

    def _not_saved(self, exc: Exception) -> None:
        """The workspace could not take the debrief just now: say so next to Save, keep the text (and its draft)."""
        if self.draft is not None:
            self.draft.save_now()
        self.status.value = status_html(not_saved_sentence(exc, "debrief"), "error")
        return None

    def keep_mine(self) -> Debrief | None:
        """After a refused save: save this page's debrief over the other version."""
        call = self.call
        if call is None:
            return None
        try:
            debrief = build_debrief(self.values, call.call_id)
        except InvalidInputError:
            return self.save(confirmed=True)
        return self._write(debrief, call, call.date, self._theirs)

    def take_theirs(self) -> None:
        """After a refused save: show the other version in the form (this page's text is replaced)."""
        theirs, call = self._theirs, self.call
        self.conflict.hide()
        self._theirs = None
        if theirs is None or call is None:
            return
        self.opened = theirs
        self.calls[call.call_id] = call.model_copy(update={"debrief": theirs})
        self.set_values(debrief_to_values(theirs, call.date))
        if self.draft is not None:
            self.draft.discard()
        self.update_score()
        self.status.value = status_html("Showing the version saved by someone else.", "info")

    def _write(self, debrief: Debrief, call: Call | None, call_date: date, replaces: Debrief | None) -> Debrief | None:
        self.confirm.layout.display = "none"
        call_id = debrief.call_id
        debrief = debrief.model_copy(update={"updated_at": datetime.now().replace(microsecond=0)})
        moved = debrief.close_date_after is not None and debrief.close_date_after != self.deal.close_date
        new_close_date = debrief.close_date_after if moved else None

        def write() -> None:  # the debrief and the close date it moved to: one transaction
            if call is None:
                self.store.save_call(Call(call_id=call_id, deal_id=self.deal.deal_id, rep_id=self.deal.rep_id,
                                          date=call_date, debrief=debrief), new_close_date=new_close_date)
            else:
                self.store.save_debrief(debrief, replaces=replaces, new_close_date=new_close_date)

        if not save_or_compare(self, write, Debrief, lambda theirs: debrief_to_values(theirs, call_date), COMPARED):
            return None
        if new_close_date is not None:
            self.deal = self.deal.model_copy(update={"close_date": new_close_date})
        from ..scoring.debrief import score_debrief

        plan = call.plan if call else None
        score = score_debrief(debrief, plan=plan, deal=self.deal, rubric=self.rubric)
        questions = next_plan_questions(debrief, score)
        next_values = prefill_next_plan(self.store, self.deal, questions, self.browser, call_date=debrief.next_call,
                                        today=self.today)
        if self.draft is not None:
            self.draft.discard()
        saved = Call(call_id=call_id, deal_id=self.deal.deal_id, rep_id=self.deal.rep_id, date=call_date,
                     plan=plan, debrief=debrief)
        self.calls[call_id] = saved
        self.call_dropdown.options = call_choices(list(self.calls.values()))
        self.choose_call(call_id)
        moved_note = f" The forecast close date is now {long_date(debrief.close_date_after)}." if moved else ""
        asked = f" {counted(len(questions), 'open question')} went into the next plan." \
            if questions else ""
        self.status.value = status_html(f"Saved the debrief.{moved_note}{asked}", "ok")
        for callback in self._save_listeners:
            callback(debrief, next_values)
        return debrief

