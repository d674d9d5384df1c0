"""The widgets of a self-paced workbook: pick your name, answer each item, check it, see why, resume later.

`open_workbook("01_advance_or_continuation")` is all a workbook notebook calls. The logic sits in
plain methods of ExerciseApp (choose_rep, check, go_next, ...) and in callkit.exercises, so tests
call them directly: ipywidgets would swallow an exception raised inside a button callback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Protocol

import ipywidgets as widgets

from ..exceptions import CallkitError
from ..exercises.checks import (
    CHOICES,
    COACH_QUESTIONS,
    OUTCOME_LABELS,
    CheckResult,
    DebriefAnswer,
    ValueAnswer,
)
from ..exercises.items import (
    COACH_TOPICS,
    ClassifyItem,
    CompressItem,
    DebriefItem,
    Item,
    ObjectiveItem,
    ValueItem,
    Workbook,
    compress_options,
    load_workbook,
)
from ..exercises.progress import (
    ExerciseSession,
    ResultStore,
    WorkspaceStore,
    open_store,
    rep_label,
)
from ..models import ExerciseResult
from ..process import SalesProcess
from .events import Debouncer, guarded
from .fields import LabeledField, classed, textarea
from .markup import esc, status_html
from .style import style_html

GUEST_ID = "guest"
OUTCOME_CHOICES = {"order": "Order", "advance": "Advance", "continuation": "Continuation", "no_sale": "No sale"}
EXTRA_CSS = """
<style>
.ck-ex-item blockquote { border-left: 4px solid #84caff; margin: 6px 0; padding: 4px 12px; background: #f5faff; }
.ck-ex-pass { color: #067647; font-weight: 600; } .ck-ex-fail { color: #b42318; font-weight: 600; }
.ck-ex-open { color: #98a2b3; }
.ck-ex-feedback ul { margin: 4px 0; padding-left: 18px; } .ck-ex-feedback li { margin: 3px 0; }
.ck-ex-feedback li.ck-ex-check { list-style: none; margin-left: -16px; }
.ck-ex-box { border: 1px solid #d0d5dd; border-radius: 8px; padding: 8px 12px; margin: 6px 0; }
.ck-ex-box-pass { background: #ecfdf3; border-color: #abefc6; } .ck-ex-box-fail { background: #fffaeb; border-color: #fedf89; }
</style>
"""


# -- HTML for items, feedback and the summary (plain functions) ----------------------------------


def item_html(item: Item, number: int, total: int, process: SalesProcess | None = None) -> str:
    """The item as the rep reads it: context and what to do."""
    proc = process or SalesProcess.default()
    head = f'<h3>Item {number} of {total}</h3>'
    if isinstance(item, ClassifyItem):
        what = "A call objective" if item.about == "objective" else "What happened in a call"
        body = (
            f"<p><b>{what}:</b></p><blockquote>{esc(item.text)}</blockquote>"
            "<p>Is this an <b>advance</b>, a <b>continuation</b>, or <b>not a client action</b> at all?</p>"
        )
    elif isinstance(item, ObjectiveItem):
        body = (
            f"<p><b>Deal</b> (stage: {esc(proc.stage(item.stage).name)}): {esc(item.deal)}</p>"
            f"<p><b>The objective to sharpen:</b></p><blockquote>{esc(item.objective)}</blockquote>"
            "<p>Rewrite it so that it is <b>specific</b>, an <b>advance</b> (the client acts) and "
            "<b>realistic</b> for where the deal is.</p>"
        )
    elif isinstance(item, ValueItem):
        draft = f"<p><b>A colleague's draft:</b> <q>{esc(item.draft)}</q></p>" if item.draft else ""
        body = (
            f"<blockquote>{esc(item.scenario)}</blockquote>{draft}"
            "<p>What's in it for the customer to invest their time in this call, now? Write it in their terms - "
            "or tick <b>reschedule</b> if nobody could answer that from what you know.</p>"
        )
    elif isinstance(item, CompressItem):
        done = "".join(f"<li>{esc(a)}</li>" for a in item.completed)
        done_html = f"<p><b>Already done in this stage:</b></p><ul>{done}</ul>" if done else ""
        body = (
            f"<p><b>Deal</b> (stage: {esc(proc.stage(item.stage).name)}): {esc(item.deal)}</p>"
            f"<p><b>The next call:</b> {esc(item.call)}</p>{done_html}"
            "<p>Tick every next activity this one call can <b>realistically</b> accomplish. "
            "The more you can compress into it, the better - if it can really happen.</p>"
        )
    elif isinstance(item, DebriefItem):
        body = (
            f"<blockquote>{esc(item.summary)}</blockquote>"
            "<p>Fill in the debrief: how did the call end, what did the client commit to (who, what, by when), "
            "and what would a coach still ask?</p>"
        )
    else:  # pragma: no cover - every kind is handled above
        raise TypeError(type(item).__name__)
    return f'<div class="ck-ex-item">{head}{body}</div>'


def feedback_html(result: CheckResult) -> str:
    """The verdict and every message, right after Check."""
    if result.blank:
        return status_html(" ".join(result.notes), "info")
    verdict = "Passed" if result.passed else "Not yet"
    css = "pass" if result.passed else "fail"
    checks = "".join(
        f'<li class="ck-ex-check"><span class="ck-ex-{"pass" if c.passed else "fail"}">{"✓" if c.passed else "✗"}</span> {esc(c.message)}</li>'
        for c in result.checks
    )
    notes = "".join(f"<li>{esc(n)}</li>" for n in result.notes)
    return (
        f'<div class="ck-ex-box ck-ex-box-{css} ck-ex-feedback"><b class="ck-ex-{css}">{verdict}</b> '
        f'<span class="ck-muted">(score {result.score:.0%})</span><ul>{checks}{notes}</ul></div>'
    )


def saved_feedback_html(saved: ExerciseResult, tries: int) -> str:
    """What the rep answered last time, with the feedback they got, for an item already done."""
    css = "pass" if saved.passed else "fail"
    verdict = "Passed" if saved.passed else "Not passed yet"
    lines = "".join(f"<li>{esc(line)}</li>" for line in saved.feedback.splitlines() if line.strip())
    times = "once" if tries == 1 else f"{tries} times"
    return (
        f'<div class="ck-ex-box ck-ex-box-{css} ck-ex-feedback"><b class="ck-ex-{css}">{verdict}</b> '
        f'<span class="ck-muted">- you checked this item {times}; your last answer:</span>'
        f"<blockquote>{esc(saved.answer)}</blockquote><ul>{lines}</ul>"
        '<span class="ck-muted">Change your answer and press Check to try again, or go on with Next.</span></div>'
    )


def summary_html(session: ExerciseSession) -> str:
    """The end of the workbook: one row per item, and one sentence overall."""
    rows = []
    for row in session.summary():
        item = session.workbook.item(row.item_id)
        state = "passed" if row.passed else ("not passed" if row.tries else "not answered")
        css = "pass" if row.passed else "fail"
        rows.append(
            f"<tr><td>{row.number}</td><td>{esc(item_title(item))}</td><td>{row.tries}</td>"
            f'<td>{row.best_score:.0%}</td><td class="ck-ex-{css}">{state}</td></tr>'
        )
    return (
        f"<h3>Summary: {esc(session.workbook.title)}</h3><p>{esc(session.summary_text())}</p>"
        '<table class="ck-table"><tr><th>#</th><th>Item</th><th>Tries</th><th>Best score</th><th></th></tr>'
        + "".join(rows)
        + "</table>"
    )


def item_title(item: Item, limit: int = 70) -> str:
    """A short line naming the item in the summary."""
    text = {
        ClassifyItem: lambda i: i.text,
        ObjectiveItem: lambda i: i.objective,
        ValueItem: lambda i: i.scenario,
        CompressItem: lambda i: i.call,
        DebriefItem: lambda i: i.summary,
    }[type(item)](item)
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def progress_strip_html(session: ExerciseSession) -> str:
    """One mark per item in this round's order: passed, answered but not passed, open; the current one framed."""
    marks = []
    passed, done = session.passed_ids, session.done_ids
    for n, item_id in enumerate(session.order):
        mark, css, state = ("✓", "pass", "passed") if item_id in passed else (
            ("✗", "fail", "not passed yet") if item_id in done else ("○", "open", "open"))
        frame = ' style="outline: 2px solid #2e90fa; border-radius: 3px;"' if n == session.position else ""
        marks.append(f'<span class="ck-ex-{css}" title="Item {n + 1}: {state}"{frame}>&nbsp;{mark}&nbsp;</span>')
    return f'<b>{esc(session.progress_text())}</b>&nbsp;&nbsp;' + "".join(marks)


def objective_preview_html(item: ObjectiveItem, text: str, process: SalesProcess | None = None) -> str:
    """A live line under the rewrite while the rep types: specific, advance, realistic."""
    from ..scoring.objective import assess_objective

    if not text.strip():
        return ""
    found = assess_objective(text, stage=item.stage, process=process)
    marks = [("Specific", found.is_specific), ("Advance", found.is_advance), ("Realistic", found.is_realistic is True)]
    parts = [f'<span class="ck-ex-{"pass" if ok else "fail"}">{"✓" if ok else "✗"} {name}</span>' for name, ok in marks]
    return '<div class="ck-hint">So far: ' + " &nbsp; ".join(parts) + "</div>"


# -- answer forms, one per kind ------------------------------------------------------------------


class AnswerForm(Protocol):
    """The input widgets for one item: read the answer, clear it, or put a previous answer back."""

    widget: widgets.Widget

    def value(self) -> object: ...

    def restore(self, saved: ExerciseResult) -> None: ...


class ClassifyForm:
    """Three buttons: advance, continuation, not a client action."""

    def __init__(self, item: ClassifyItem):
        self.choice = classed(widgets.ToggleButtons(options=[(label, key) for key, label in CHOICES.items()], value=None), "ck-ex-choice")
        self.widget = self.choice

    def value(self) -> str | None:
        return self.choice.value

    def restore(self, saved: ExerciseResult) -> None:
        keys = {label: key for key, label in CHOICES.items()}
        self.choice.value = keys.get(saved.answer)


class ObjectiveForm:
    """A text box for the rewrite, with a live specific/advance/realistic line under it."""

    def __init__(self, item: ObjectiveItem, process: SalesProcess, report: Any):
        self.item = item
        self.process = process
        self.text = textarea("The client ... by ...", rows=2)
        self.preview = widgets.HTML("")
        self._preview = Debouncer(guarded(self.update_preview, report), 0.4)
        self.text.observe(lambda _: self._preview.trigger(), names="value")
        self.widget = widgets.VBox([LabeledField("Your objective", self.text), self.preview])

    def update_preview(self) -> None:
        """Judge the text as it stands (not saved)."""
        self.preview.value = objective_preview_html(self.item, self.text.value, self.process)

    def value(self) -> str:
        return self.text.value

    def restore(self, saved: ExerciseResult) -> None:
        self.text.value = saved.answer


class ValueForm:
    """A text box for the customer's gain, and a reschedule tick box."""

    def __init__(self, item: ValueItem):
        self.text = textarea("They get ... / She leaves with ...", rows=3)
        self.reschedule = widgets.Checkbox(
            description="Nobody could answer this from what I know: I would reschedule the call", indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.widget = widgets.VBox([LabeledField("What's in it for the customer", self.text), self.reschedule])

    def value(self) -> ValueAnswer:
        return ValueAnswer(self.text.value, bool(self.reschedule.value))

    def restore(self, saved: ExerciseResult) -> None:
        marker = "I would reschedule this call."
        self.reschedule.value = saved.answer.startswith(marker)
        self.text.value = saved.answer[len(marker):].strip() if self.reschedule.value else saved.answer


class CompressForm:
    """One tick box per next activity, labelled with its stage."""

    def __init__(self, item: CompressItem, process: SalesProcess):
        self.boxes: dict[str, widgets.Checkbox] = {}
        for activity in compress_options(item, process):
            stage = process.stage_of_activity(activity)
            label = f"{activity}  ({process.stage(stage).name})" if stage else activity
            self.boxes[activity] = widgets.Checkbox(description=label, indent=False, layout=widgets.Layout(width="auto"))
        self.widget = LabeledField("What this call will accomplish", widgets.VBox(list(self.boxes.values())))

    def value(self) -> list[str]:
        return [a for a, box in self.boxes.items() if box.value]

    def restore(self, saved: ExerciseResult) -> None:
        chosen = {a.strip().lower() for a in saved.answer.split(";")}
        for activity, box in self.boxes.items():
            box.value = activity.lower() in chosen


class DebriefAnswerForm:
    """Outcome, the client's commitment (who, what, by when), and the questions a coach would still ask."""

    def __init__(self, item: DebriefItem):
        self.outcome = widgets.ToggleButtons(
            options=[(OUTCOME_CHOICES[key], key) for key in OUTCOME_LABELS],
            value=None,
        )
        self.who = widgets.Text(placeholder="Who on the client's side", layout=widgets.Layout(width="260px"))
        self.what = widgets.Text(placeholder="will do what", layout=widgets.Layout(width="420px"))
        self.by = widgets.DatePicker(layout=widgets.Layout(width="180px"))
        self.asks: dict[str, widgets.Checkbox] = {
            t: widgets.Checkbox(description=COACH_QUESTIONS[t], indent=False, layout=widgets.Layout(width="auto"))
            for t in COACH_TOPICS
        }
        self.widget = widgets.VBox([
            LabeledField("How did the call end?", self.outcome),
            LabeledField("The client's commitment (leave it blank if there was none)", widgets.HBox([self.who, self.what, self.by])),
            LabeledField("What would a coach still ask? Tick every question the summary leaves open.",
                         widgets.VBox(list(self.asks.values()))),
        ])

    def value(self) -> DebriefAnswer:
        return DebriefAnswer(
            outcome=self.outcome.value, who=self.who.value, what=self.what.value, by=self.by.value,
            ask=tuple(t for t, box in self.asks.items() if box.value),
        )

    def restore(self, saved: ExerciseResult) -> None:
        """Structured answers are shown as text above the form; the form starts empty."""


def answer_form(item: Item, process: SalesProcess, report: Any) -> AnswerForm:
    """The input widgets that fit the item's kind."""
    if isinstance(item, ClassifyItem):
        return ClassifyForm(item)
    if isinstance(item, ObjectiveItem):
        return ObjectiveForm(item, process, report)
    if isinstance(item, ValueItem):
        return ValueForm(item)
    if isinstance(item, CompressItem):
        return CompressForm(item, process)
    if isinstance(item, DebriefItem):
        return DebriefAnswerForm(item)
    raise TypeError(type(item).__name__)  # pragma: no cover


# -- the workbook app ----------------------------------------------------------------------------


class ExerciseApp:
    """A whole workbook on one page: name picker, progress, the current item, Check, feedback, summary."""

    def __init__(
        self,
        workbook: str,
        workspace: str | Path | None = None,
        environ: Mapping[str, str] | None = None,
        process: SalesProcess | None = None,
    ):
        self.process = process or SalesProcess.default()
        self.store: ResultStore
        self.store, self.saving_message = open_store(workspace, environ)
        self.session: ExerciseSession | None = None
        self.form: AnswerForm | None = None
        self._build_widgets()
        self.book: Workbook | None = None
        try:
            custom = self.store.path if isinstance(self.store, WorkspaceStore) else None
            self.book = load_workbook(workbook, workspace=custom, process=self.process)
        except CallkitError as exc:
            self.report(str(exc))
            return
        self.header.value = (
            style_html() + EXTRA_CSS + f"<h2>{esc(self.book.title)}</h2>"
            f'<p class="ck-muted">Source: {esc(self.book.source)} - {len(self.book.items)} items</p>'
        )
        if isinstance(self.store, WorkspaceStore):
            self.picker.options = [rep_label(r) for r in self.store.reps()]
            self.rep_row.layout.display = ""
        else:
            self.start(GUEST_ID)

    # -- widgets -----------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.header = widgets.HTML(style_html() + EXTRA_CSS)
        self.saving = widgets.HTML(status_html(self.saving_message, "info" if self.store.saves_progress else "error"))
        self.status = widgets.HTML("")
        self.picker = widgets.Combobox(placeholder="Pick your name, or type a new one", ensure_option=False,
                                       layout=widgets.Layout(width="360px"))
        self.picker.add_class("ck-ex-picker")
        self.start_button = classed(widgets.Button(description="Start", button_style="primary"), "ck-ex-start")
        self.start_button.on_click(guarded(lambda _: self.choose_rep(self.picker.value), self.report))
        self.rep_row = widgets.HBox([widgets.HTML("<b>Your name:</b>&nbsp;"), self.picker, self.start_button],
                                    layout=widgets.Layout(display="none"))
        self.working_as = widgets.HTML("")
        self.progress_bar = widgets.IntProgress(min=0, max=1, value=0, layout=widgets.Layout(width="360px"))
        self.progress_label = classed(widgets.HTML(""), "ck-ex-progress")
        self.progress_row = widgets.HBox([self.progress_bar, self.progress_label], layout=widgets.Layout(display="none"))
        self.item_view = widgets.HTML("")
        self.form_box = widgets.VBox()
        self.check_button = widgets.Button(description="Check", button_style="success", icon="check")
        self.prev_button = widgets.Button(description="Previous")
        self.next_button = widgets.Button(description="Next")
        for button, css in ((self.check_button, "check"), (self.prev_button, "previous"), (self.next_button, "next")):
            button.add_class(f"ck-ex-{css}-button")
        self.check_button.on_click(guarded(lambda _: self.check(), self.report))
        self.prev_button.on_click(guarded(lambda _: self.go_previous(), self.report))
        self.next_button.on_click(guarded(lambda _: self.go_next(), self.report))
        self.feedback = classed(widgets.HTML(""), "ck-ex-feedback-view")
        self.item_box = widgets.VBox(
            [self.item_view, self.form_box, widgets.HBox([self.check_button, self.prev_button, self.next_button]), self.feedback],
            layout=widgets.Layout(display="none"),
        )
        self.summary_view = classed(widgets.HTML(""), "ck-ex-summary")
        self.again_button = widgets.Button(description="Start again (new order)")
        self.again_button.on_click(guarded(lambda _: self.start_again(), self.report))
        self.review_button = widgets.Button(description="Review my answers")
        self.review_button.on_click(guarded(lambda _: self.review(), self.report))
        self.summary_box = widgets.VBox([self.summary_view, widgets.HBox([self.review_button, self.again_button])],
                                        layout=widgets.Layout(display="none"))
        self.widget = widgets.VBox([
            self.header, self.saving, self.rep_row, self.working_as, self.progress_row, self.status,
            self.item_box, self.summary_box,
        ])
        self.widget.add_class("ck-page")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def report(self, message: str) -> None:
        """Show one plain sentence about a problem."""
        self.status.value = status_html(message, "error")

    # -- actions (plain methods: tests call these) ---------------------------------------------------
    def choose_rep(self, typed: str) -> str:
        """Pick a rep by name or label, or add a new rep; then resume their workbook. Returns the greeting."""
        name = " ".join((typed or "").split())
        if not name:
            raise CallkitError("Type or pick your name first.")
        if not isinstance(self.store, WorkspaceStore):
            self.start(GUEST_ID)
            return "Progress is not being saved, so there is no name to pick."
        rep, created = self.store.find_or_add_rep(name)
        if created:
            self.picker.options = [rep_label(r) for r in self.store.reps()]
        self.start(rep.rep_id)
        greeting = f"Welcome, {rep.name}: you are new here, so you were added to the workspace." if created else (
            f"Welcome back, {rep.name}." if self.session and self.session.done_count else f"Welcome, {rep.name}.")
        self.working_as.value = status_html(greeting, "ok")
        return greeting

    def start(self, rep_id: str) -> ExerciseSession:
        """Open the workbook for a rep: resume at their first open item (or the summary when all are done)."""
        if self.book is None:
            raise CallkitError("This workbook could not be loaded.")
        self.session = ExerciseSession(self.book, rep_id, self.store, self.process)
        self.status.value = ""
        self.render()
        return self.session

    def check(self) -> CheckResult:
        """Check the answer in the form, save it, and show the feedback."""
        session = self._session()
        if self.form is None:
            raise CallkitError("There is no item to check: press Next or Start again.")
        result = session.submit(self.form.value())
        self.feedback.value = feedback_html(result)
        self._render_progress()
        return result

    def go_next(self) -> None:
        """Next item (the summary after the last)."""
        self._session().next()
        self.render()

    def go_previous(self) -> None:
        """Previous item."""
        self._session().previous()
        self.render()

    def review(self) -> None:
        """From the summary back to the first item, to look at the answers."""
        self._session().go_to(0)
        self.render()

    def start_again(self) -> None:
        """A new round through the workbook, in a new order."""
        self._session().start_again()
        self.render()

    # -- drawing -----------------------------------------------------------------------------------
    def _session(self) -> ExerciseSession:
        if self.session is None:
            raise CallkitError("Pick your name first, then press Start.")
        return self.session

    def render(self) -> None:
        """Redraw progress, the current item (with the last answer if it is done) or the summary."""
        session = self.session
        if session is None:
            return
        self._render_progress()
        item = session.current
        if item is None:
            self.form = None
            self.item_box.layout.display = "none"
            self.summary_view.value = summary_html(session)
            self.summary_box.layout.display = ""
            return
        self.summary_box.layout.display = "none"
        self.item_box.layout.display = ""
        self.item_view.value = item_html(item, session.position + 1, session.total, self.process)
        self.form = answer_form(item, self.process, self.report)
        self.form_box.children = [self.form.widget]
        saved = session.last_result(item.id)
        if saved is not None:
            self.form.restore(saved)
            self.feedback.value = saved_feedback_html(saved, session.tries(item.id))
        else:
            self.feedback.value = ""
        self.prev_button.disabled = session.position == 0
        self.next_button.description = "Finish" if session.position == session.total - 1 else "Next"

    def _render_progress(self) -> None:
        session = self._session()
        self.progress_row.layout.display = ""
        self.progress_bar.max = max(1, session.total)
        self.progress_bar.value = session.done_count
        self.progress_label.value = "&nbsp;" + progress_strip_html(session)


def open_workbook(workbook: str, workspace: str | Path | None = None) -> ExerciseApp:
    """The workbook page: progress saved to `workspace` or to $CALLKIT_WORKSPACE, else kept in memory."""
    return ExerciseApp(workbook, workspace=workspace)
