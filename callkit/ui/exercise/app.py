"""The workbook page: pick your name, answer each item, check it, see why, resume later, retry the ones you missed.

The logic sits in plain methods of ExerciseApp (choose_rep, confirm_rep, add_new_rep, check, go_next,
retry_missed, ...) and in callkit.exercises, so tests call them directly: ipywidgets would swallow an
exception raised inside a button callback, so every handler goes through callkit.ui.events.guarded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import ipywidgets as widgets

from ...exceptions import CallkitError
from ...exercises.checks import CheckResult
from ...exercises.items import Workbook, load_workbook
from ...exercises.progress import ExerciseSession, RepMatch, ResultStore, WorkspaceStore, open_store, rep_label
from ...process import SalesProcess
from ..events import guarded
from ..fields import classed
from ..markup import esc, status_html
from ..style import style_html
from .forms import AnswerForm, answer_form
from .render import (
    EXTRA_CSS, feedback_html, item_html, notices_html, progress_strip_html, saved_feedback_html, summary_html,
)

GUEST_ID = "guest"


class ExerciseApp:
    """A whole workbook on one page: name picker, progress, the current item, Check, feedback, summary, retry."""

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
        self.pending: RepMatch | None = None  # a typed name waiting for the rep to confirm who they are
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
            f'<p class="ck-muted">From {esc(self.book.source)} · {len(self.book.items)} items</p>'
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
        self.notices = classed(widgets.HTML(""), "ck-ex-notices")  # damaged or not yet saved answers (notices_html)
        self.picker = widgets.Combobox(placeholder="Pick your name, or type a new one", ensure_option=False,
                                       layout=widgets.Layout(width="360px"))
        self.picker.add_class("ck-ex-picker")
        self.start_button = classed(widgets.Button(description="Start", button_style="primary"), "ck-ex-start")
        self.start_button.on_click(guarded(lambda _: self.choose_rep(self.picker.value), self.report))
        self.rep_row = widgets.HBox([widgets.HTML("<b>Your name:</b>&nbsp;"), self.picker, self.start_button],
                                    layout=widgets.Layout(display="none"))
        self.question = widgets.HTML("")
        self.confirm_buttons = widgets.HBox()
        self.confirm_box = classed(widgets.VBox([self.question, self.confirm_buttons], layout=widgets.Layout(display="none")),
                                   "ck-ex-confirm")
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
        auto = widgets.Layout(width="auto")
        self.retry_button = classed(widgets.Button(description="Retry the ones I missed", button_style="warning", layout=auto),
                                    "ck-ex-retry")
        self.retry_button.on_click(guarded(lambda _: self.retry_missed(), self.report))
        self.again_button = classed(widgets.Button(description="Start again (new order)", layout=auto), "ck-ex-again")
        self.again_button.on_click(guarded(lambda _: self.start_again(), self.report))
        self.review_button = classed(widgets.Button(description="Review my answers", layout=auto), "ck-ex-review")
        self.review_button.on_click(guarded(lambda _: self.review(), self.report))
        self.summary_box = widgets.VBox(
            [self.summary_view, widgets.HBox([self.retry_button, self.review_button, self.again_button])],
            layout=widgets.Layout(display="none"))
        self.widget = widgets.VBox([
            self.header, self.saving, self.rep_row, self.confirm_box, self.working_as, self.progress_row, self.status,
            self.notices, self.item_box, self.summary_box,
        ])
        self.widget.add_class("ck-page")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def report(self, message: str) -> None:
        """Show one plain sentence about a problem."""
        self.status.value = status_html(message, "error")

    # -- picking a name (plain methods: tests call these) --------------------------------------------
    def choose_rep(self, typed: str) -> str:
        """Start for the rep a typed name or label means; a close or a new name asks first. Returns what the page says."""
        name = " ".join((typed or "").split())
        if not name:
            raise CallkitError("Type or pick your name first.")
        if not isinstance(self.store, WorkspaceStore):
            self.start(GUEST_ID)
            return "Progress is not being saved, so there is no name to pick."
        match = self.store.find_rep(name)
        if match.rep is not None:
            return self._begin(match.rep.rep_id, match.rep.name, created=False)
        self.pending = match
        self._ask(match)
        return match.question()

    def _ask(self, match: RepMatch) -> None:
        buttons = []
        for rep in match.close:
            b = classed(widgets.Button(description=f"Yes, I'm {rep.name}", button_style="primary",
                                       layout=widgets.Layout(width="auto")), "ck-ex-confirm-rep")
            b.on_click(guarded(lambda _, rid=rep.rep_id: self.confirm_rep(rid), self.report))
            buttons.append(b)
        new_label = f"No, I'm new: add {match.typed}" if match.close else f"Yes, add {match.typed}"
        add = classed(widgets.Button(description=new_label, layout=widgets.Layout(width="auto")), "ck-ex-confirm-new")
        add.on_click(guarded(lambda _: self.add_new_rep(), self.report))
        back = classed(widgets.Button(description="Let me retype it", layout=widgets.Layout(width="auto")), "ck-ex-confirm-back")
        back.on_click(guarded(lambda _: self.cancel_pick(), self.report))
        self.question.value = f"<b>{esc(match.question())}</b>"
        self.confirm_buttons.children = [*buttons, add, back]
        self.confirm_box.layout.display = ""

    def confirm_rep(self, rep_id: str) -> str:
        """The rep said which existing rep they are: start their workbook."""
        store = self._workspace_store()
        rep = next((r for r in store.reps() if r.rep_id == rep_id), None)
        if rep is None:
            raise CallkitError("That rep is no longer in the workspace: type your name again.")
        return self._begin(rep.rep_id, rep.name, created=False)

    def add_new_rep(self) -> str:
        """The rep confirmed they are new: add them to the workspace and start."""
        store = self._workspace_store()
        if self.pending is None:
            raise CallkitError("Type your name and press Start first.")
        rep = store.add_rep(self.pending.typed)
        self.picker.options = [rep_label(r) for r in store.reps()]
        return self._begin(rep.rep_id, rep.name, created=True)

    def cancel_pick(self) -> None:
        """Back to the name box without starting."""
        self.pending = None
        self.confirm_box.layout.display = "none"

    def _workspace_store(self) -> WorkspaceStore:
        if not isinstance(self.store, WorkspaceStore):
            raise CallkitError("Progress is not being saved, so there is no name to pick.")
        return self.store

    def _begin(self, rep_id: str, name: str, created: bool) -> str:
        self.cancel_pick()
        label = next((o for o in self.picker.options if o.endswith(f"({rep_id})")), None)
        if label:
            self.picker.value = label  # the name box shows who is working now, not what was typed
        self.start(rep_id)
        if created:
            greeting = f"Welcome, {name}: you were added to the workspace as a new rep."
        elif self.session and self.session.done_count:
            greeting = f"Welcome back, {name}."
        else:
            greeting = f"Welcome, {name}."
        self.working_as.value = status_html(greeting, "ok")
        return greeting

    # -- working through the workbook ----------------------------------------------------------------
    def start(self, rep_id: str) -> ExerciseSession:
        """Open the workbook for a rep: resume at their first open item (or the summary when all are done)."""
        if self.book is None:
            raise CallkitError("This workbook could not be loaded.")
        self.session = ExerciseSession(self.book, rep_id, self.store, self.process)
        self.status.value = ""
        self.render()
        return self.session

    def check(self) -> CheckResult:
        """Check the answer in the form, save it (unless it is blank), and show the feedback."""
        session = self._session()
        if self.form is None or session.current is None:
            raise CallkitError("There is no item to check: press Next or Start again.")
        item_id = session.current.id
        result = session.submit(self.form.value())
        refresh = getattr(self.form, "refresh", None)  # a form with a live line brings it up to date
        if callable(refresh):
            refresh()
        saved = None if result.blank else session.last_result(item_id)
        self.feedback.value = feedback_html(result, after_help=bool(saved and saved.after_help))
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

    def retry_missed(self) -> list[str]:
        """A round through the items not right first time, with empty forms; it ends at the summary."""
        missed = self._session().start_retry()
        self.render()
        return missed

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
            missed = session.missed_ids()
            self.retry_button.description = f"Retry the ones I missed ({len(missed)})"
            self.retry_button.layout.display = "" if missed else "none"
            self.summary_box.layout.display = ""
            return
        self.summary_box.layout.display = "none"
        self.item_box.layout.display = ""
        queue = session.queue
        self.item_view.value = item_html(item, session.position + 1, len(queue), self.process, retry=session.retrying)
        self.form = answer_form(item, self.process, self.report)
        self.form_box.children = [self.form.widget]
        saved = session.last_result(item.id)
        if saved is not None and not session.retrying:
            self.form.restore(saved)
            self.feedback.value = saved_feedback_html(saved, session.tries(item.id), session.figures().items.get(item.id))
        else:
            self.feedback.value = ""
        self.prev_button.disabled = session.position == 0
        self.next_button.description = "Finish" if session.position == len(queue) - 1 else "Next"

    def _render_progress(self) -> None:
        session = self._session()
        self.progress_row.layout.display = ""
        self.progress_bar.max = max(1, session.total)
        self.progress_bar.value = session.done_count
        self.progress_label.value = "&nbsp;" + progress_strip_html(session)
        self.notices.value = notices_html(session)


def open_workbook(workbook: str, workspace: str | Path | None = None) -> ExerciseApp:
    """The workbook page: progress saved to `workspace` or to $CALLKIT_WORKSPACE, else kept in memory."""
    return ExerciseApp(workbook, workspace=workspace)
