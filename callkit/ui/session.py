"""The whole coaching page: pick a deal, see its history, plan the next call, send the agenda, debrief.

`open_session()` is what notebooks/coaching_session.ipynb calls; it never raises into the page: a
problem (no workspace chosen, a folder that is not a workspace) becomes one plain sentence.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ..exceptions import CallkitError, RecordNotFoundError
from ..models import CallPlan, Deal, Debrief
from .agenda import AgendaPanel
from .deal_picker import DealPicker
from .debrief_form import DebriefForm
from .events import guarded
from .markup import esc, status_html
from .plan_form import PlanForm
from .style import style_html
from .timeline import DealTimeline
from .fields import classed

WORKSPACE_ENV = "CALLKIT_WORKSPACE"
TAB_TITLES = ("1. The deal so far", "2. Plan the next call", "3. Agenda for the customer", "4. Debrief the call")
NO_WORKSPACE = (
    "No workspace chosen: set workspace_path in the first cell, or set the CALLKIT_WORKSPACE environment "
    "variable to the workspace folder (`callkit workshop PATH` does this for you)."
)


def resolve_workspace_path(workspace_path: str | os.PathLike | None = None) -> Path | None:
    """The workspace folder: the argument, else $CALLKIT_WORKSPACE, else None."""
    chosen = workspace_path or os.environ.get(WORKSPACE_ENV) or None
    return Path(chosen).expanduser() if chosen else None


def close_tree(widget: widgets.Widget) -> None:
    """Close a widget and everything inside it (frees the kernel's side when a deal is switched)."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()


class CoachingSession(widgets.VBox):
    """The page for one workspace: deal picker on top, then tabs for history, plan, agenda and debrief."""

    def __init__(self, workspace: Any, rep_id: str | None = None, deal_id: str | None = None,
                 today: date | None = None):
        self.ws = workspace
        self.today = today or date.today()
        self.deal: Deal | None = None
        self.timeline: DealTimeline | None = None
        self.plan_form: PlanForm | None = None
        self.agenda: AgendaPanel | None = None
        self.debrief_form: DebriefForm | None = None
        self.status = widgets.HTML("")
        self.picker = DealPicker(workspace)
        self.picker.on_pick(guarded(self.open_deal, self.report))
        self.tabs = classed(widgets.Tab(layout=widgets.Layout(display="none")), "ck-tabs")
        self.empty = widgets.HTML('<p class="ck-muted">Choose a rep and one of their deals to start.</p>')
        header = widgets.HTML(
            style_html() + "<h1>Coaching session</h1>"
            f'<p class="ck-muted">Workspace: {esc(Path(str(workspace.path)).name)}. Walk one deal from where it '
            "stands to the plan for the next call, then debrief it.</p>"
        )
        super().__init__([header, self.picker, self.status, self.empty, self.tabs])
        self.add_class("ck-page")
        if rep_id or deal_id:
            self.picker.select(rep_id, deal_id)

    def report(self, message: str) -> None:
        """Show a problem under the picker."""
        self.status.value = status_html(message, "error")

    # -- building the tabs for one deal ----------------------------------------------------------------
    def open_deal(self, deal: Deal) -> None:
        """Build the four tabs for this deal (what picking a deal does)."""
        self.status.value = ""
        old = list(self.tabs.children)
        self.deal = deal
        calls = self.ws.calls(deal_id=deal.deal_id)
        rep = self.ws.rep(deal.rep_id)
        self.timeline = DealTimeline(deal, calls, self.ws.process, today=self.today, rubric=self._rubric())
        self.agenda = AgendaPanel(deal, rep)
        self.plan_form = self._make_plan_form(deal, calls)
        self.debrief_form = self._make_debrief_form(deal, calls)
        self.tabs.children = [self.timeline, self.plan_form, self.agenda, self.debrief_form]
        self.tabs.titles = TAB_TITLES
        self.tabs.selected_index = 0
        self.tabs.layout.display = ""
        self.empty.layout.display = "none"
        for widget in old:
            close_tree(widget)

    def _rubric(self) -> Any:
        from ..scoring.plan import Rubric

        return Rubric.for_workspace(self.ws)

    def _make_plan_form(self, deal: Deal, calls: list) -> PlanForm:
        form = PlanForm(self.ws, deal, calls, today=self.today)
        form.on_change(guarded(self._plan_changed, form.report))
        form.on_save(guarded(self._plan_saved, form.report))
        if self.agenda is not None:
            self.agenda.update(form.preview_plan())
        return form

    def _make_debrief_form(self, deal: Deal, calls: list) -> DebriefForm:
        form = DebriefForm(self.ws, deal, calls, today=self.today)
        form.on_save(guarded(self._debrief_saved, form.report))
        return form

    def _replace_tab(self, index: int, widget: widgets.Widget) -> None:
        children = list(self.tabs.children)
        old = children[index]
        children[index] = widget
        selected = self.tabs.selected_index
        self.tabs.children = children
        self.tabs.titles = TAB_TITLES
        self.tabs.selected_index = selected
        close_tree(old)

    # -- keeping the tabs in step ----------------------------------------------------------------------
    def _plan_changed(self) -> None:
        if self.plan_form is not None and self.agenda is not None:
            self.agenda.update(self.plan_form.preview_plan())

    def _refresh_history(self) -> list:
        assert self.deal is not None
        self.deal = self.ws.deal(self.deal.deal_id)
        calls = self.ws.calls(deal_id=self.deal.deal_id)
        self.timeline = DealTimeline(self.deal, calls, self.ws.process, today=self.today, rubric=self._rubric())
        self._replace_tab(0, self.timeline)
        self.picker.show(self.deal)
        return calls

    def _plan_saved(self, plan: CallPlan) -> None:
        calls = self._refresh_history()
        self.debrief_form = self._make_debrief_form(self.deal, calls)
        self._replace_tab(3, self.debrief_form)
        self._plan_changed()

    def _debrief_saved(self, debrief: Debrief, next_values: dict) -> None:
        calls = self._refresh_history()
        self.plan_form = self._make_plan_form(self.deal, calls)
        self._replace_tab(1, self.plan_form)


def open_session(workspace_path: str | os.PathLike | None = None, rep_id: str | None = None,
                 deal_id: str | None = None) -> widgets.Widget:
    """The coaching page for a workspace (argument, else $CALLKIT_WORKSPACE), or one plain sentence saying what is wrong."""
    path = resolve_workspace_path(workspace_path)
    if path is None:
        return widgets.HTML(style_html() + status_html(NO_WORKSPACE, "error"))
    from ..workspace import Workspace

    try:
        ws = Workspace.open(path)
    except CallkitError as exc:
        return widgets.HTML(style_html() + status_html(str(exc), "error"))
    try:
        return CoachingSession(ws, rep_id=rep_id or None, deal_id=deal_id or None)
    except RecordNotFoundError as exc:
        session = CoachingSession(ws)
        session.report(f"{exc} Choose a rep and a deal below.")
        return session
