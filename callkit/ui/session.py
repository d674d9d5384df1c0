"""The whole coaching page: pick a deal, see its history, plan the next call, send the agenda, debrief.

`open_session()` is what notebooks/coaching_session.ipynb calls; it never raises into the page: a
problem (no workspace chosen, a folder that is not a workspace) becomes one plain sentence.

The four tabs are fixed containers whose content is swapped, so saving never moves the coach to another
tab. Switching deals hides the tabs behind "Loading <deal>..." until the new deal's first tab is built, so no
keystroke reaches the previous deal. On the page the coach reads the deal's history at once; its plan, agenda
and debrief tabs are built right after (each says "Loading <deal>..." until then), so a switch does not wait
for some 500 form widgets to reach the browser. Without a running kernel (plain Python, tests) everything is
built before `open_deal` returns. Drafts belong to the browser: the page's script puts the browser's
id into a hidden field (`ck-browser-id`), kept across reloads; an id that arrives after a deal's forms were
built gives them that browser's drafts (and what was typed meanwhile becomes its draft).
"""

from __future__ import annotations

import asyncio
import os
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ..exceptions import CallkitError, RecordNotFoundError
from ..models import CallPlan, Deal, Debrief
from .agenda import AgendaPanel
from .deal_picker import DealPicker, deal_title
from .draft import DraftKeeper
from .debrief_form import DebriefForm
from .events import guarded
from .markup import esc, status_html
from .plan_form import PlanForm
from .style import style_html
from .timeline import DealTimeline
from .fields import classed

WORKSPACE_ENV = "CALLKIT_WORKSPACE"
TAB_TITLES = ("1. The deal so far", "2. Plan the next call", "3. Agenda for the customer", "4. Debrief the call")
BUILD_AFTER = 0.3  # seconds: time for the browser to draw the deal's first tab before the others are sent
LOCAL_BROWSER = "local"  # the draft owner when no browser id arrived (plain Python, tests)
NO_WORKSPACE = (
    "No workspace chosen: set workspace_path in the first cell, or set the CALLKIT_WORKSPACE environment "
    "variable to the workspace folder (`callkit workshop PATH` does this for you)."
)


def resolve_workspace_path(workspace_path: str | os.PathLike | None = None) -> Path | None:
    """The workspace folder: the argument, else $CALLKIT_WORKSPACE, else None."""
    chosen = workspace_path or os.environ.get(WORKSPACE_ENV) or None
    return Path(chosen).expanduser() if chosen else None


def close_tree(widget: widgets.Widget) -> None:
    """Close a widget and everything inside it, with their layout and style models (frees both the kernel's
    and the browser's side when a deal is switched)."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    for part in ("layout", "style"):
        model = getattr(widget, part, None)
        if isinstance(model, widgets.Widget) and model.comm is not None:
            model.close()
    widget.close()


class CoachingSession(widgets.VBox):
    """The page for one workspace: deal picker on top, then tabs for history, plan, agenda and debrief."""

    def __init__(self, workspace: Any, rep_id: str | None = None, deal_id: str | None = None,
                 today: date | None = None, browser: str | None = None):
        self.ws = workspace
        self.today = today or date.today()
        self.deal: Deal | None = None
        self._opened = 0  # counts deal switches: a deferred build for an earlier deal is dropped
        self._pending: Any = None  # the build of the current deal's forms, while it waits
        self._to_close: list[widgets.Widget] = []  # earlier deals' widgets, closed once the next deal is drawn
        self.timeline: DealTimeline | None = None
        self.plan_form: PlanForm | None = None
        self.agenda: AgendaPanel | None = None
        self.debrief_form: DebriefForm | None = None
        self.status = widgets.HTML("")
        self.browser_field = classed(widgets.Text(value=browser or "", layout=widgets.Layout(display="none")),
                                     "ck-browser-id")
        self.browser_field.observe(guarded(self._browser_arrived, self.report), names="value")
        self.picker = DealPicker(workspace)
        self.picker.on_pick(guarded(self.open_deal, self.report))
        self.panes = [classed(widgets.VBox(), f"ck-pane-{i + 1}") for i in range(len(TAB_TITLES))]
        self.tabs = classed(widgets.Tab(children=self.panes, layout=widgets.Layout(display="none")), "ck-tabs")
        self.tabs.titles = TAB_TITLES
        self.tabs.observe(guarded(self._tab_chosen, self.report), names="selected_index")
        self.loading = classed(widgets.HTML("", layout=widgets.Layout(display="none")), "ck-loading")
        self.empty = widgets.HTML('<p class="ck-muted">Choose a rep and one of their deals to start.</p>')
        header = widgets.HTML(
            style_html() + '<div class="ck-header"><h1>Coaching session</h1>'
            f'<span class="ck-muted">Workspace: {esc(Path(str(workspace.path)).name)}. Walk one deal from where '
            "it stands to the plan for the next call, then debrief it.</span></div>"
        )
        super().__init__([header, self.browser_field, self.picker, self.status, self.empty, self.loading, self.tabs])
        self.add_class("ck-page")
        if rep_id or deal_id:
            self.picker.select(rep_id, deal_id)

    @property
    def browser(self) -> str:
        """Whose drafts these are: the browser's id the page sent, else 'local'."""
        return self.browser_field.value.strip() or LOCAL_BROWSER

    def _browser_arrived(self, change: dict) -> None:
        """The page sent its browser id after a deal's forms were built (a deal opened from the link): the forms
        take this browser's drafts. When the coach has already typed, what they typed becomes this browser's
        draft; otherwise the forms are built again, showing this browser's draft from an earlier visit."""
        forms: list[tuple[Any, DraftKeeper]] = [(f, f.draft) for f in (self.plan_form, self.debrief_form)
                                                if f is not None and f.draft is not None]
        if self.deal is None or not forms or all(d.key.endswith(f":{self.browser}") for _, d in forms):
            return
        for _, draft in forms:
            draft.debouncer.flush()
        if not any(draft.written for _, draft in forms):
            self._build_forms(self.deal, self.ws.calls(deal_id=self.deal.deal_id))
            return
        for form, draft in forms:
            form.browser = self.browser
            draft.move_to(f"{draft.key.rsplit(':', 1)[0]}:{self.browser}")

    def report(self, message: str) -> None:
        """Show a problem under the picker."""
        self.status.value = status_html(message, "error")

    # -- building the tabs for one deal ----------------------------------------------------------------
    def open_deal(self, deal: Deal) -> None:
        """Build the four tabs for this deal (what picking a deal does); the old deal's tabs go first."""
        self.status.value = ""
        self.loading.value = status_html(f"Loading {deal_title(deal)}...", "info")
        self.loading.layout.display = ""
        self.tabs.layout.display = "none"
        self.empty.layout.display = "none"
        self._to_close += self._close_forms(later=True)
        self.deal = deal
        self._opened += 1
        try:
            self.timeline = self._make_timeline(deal)
            self.panes[0].children = [self.timeline]
            calls = self.timeline.calls_list
            for index in (1, 2, 3):
                self.panes[index].children = [widgets.HTML(status_html(f"Loading {deal_title(deal)}...", "info"))]
        finally:
            self.loading.layout.display = "none"
            self.loading.value = ""
        self.tabs.selected_index = 0
        self.tabs.layout.display = ""
        self._soon(self._opened, deal, calls)

    def _close_old(self) -> None:
        """Close the widgets of deals shown before (already off the page), whichever switch left them."""
        old, self._to_close = self._to_close, []
        for widget in old:
            close_tree(widget)

    def _soon(self, opened: int, deal: Deal, calls: list) -> None:
        """Close the previous deal's widgets (already off the page) and build the plan, agenda and debrief tabs
        once the browser has drawn the deal's first tab (BUILD_AFTER seconds), or at once when the coach opens
        one of them before that."""
        def build(*_: Any) -> None:
            self._close_old()
            if opened == self._opened and self._pending is not None:  # still the deal the coach chose
                self._pending = None
                self._build_forms(deal, calls)

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no kernel: close and build now
            self._pending = build
            build()
            return
        self._pending = guarded(build, self.report)
        loop.call_later(BUILD_AFTER, self._pending)

    def _tab_chosen(self, change: dict) -> None:
        """A tab was opened: build the deal's forms now if they are still waiting."""
        if change.get("new") not in (None, 0) and self._pending is not None:
            self._pending()

    def _make_timeline(self, deal: Deal) -> DealTimeline:
        return DealTimeline.for_workspace(self.ws, deal, today=self.today, rubric=self._rubric(),
                                          on_change=guarded(self._deal_changed, self.report))

    def _deal_changed(self, deal: Deal) -> None:
        """A deal action (moved, won, lost, reopened): the plan, agenda and debrief tabs follow; tab 1 has
        already refreshed itself and keeps its confirmation."""
        self.deal = deal
        self._opened += 1  # a build still pending for the deal as it was is dropped: this one replaces it
        self._pending = None
        self._close_old()
        self.picker.show(deal)
        for form in (self.plan_form, self.debrief_form):
            draft = getattr(form, "draft", None)
            if draft is not None:
                draft.debouncer.flush()
        self._build_forms(deal, self.ws.calls(deal_id=deal.deal_id))

    def _close_forms(self, later: bool = False) -> list[widgets.Widget]:
        """Save what the previous deal's forms had pending and take their widgets off the page; close them now,
        or return them for closing `later` (the browser then draws the next deal first)."""
        for form in (self.plan_form, self.debrief_form):
            draft = getattr(form, "draft", None)
            if draft is not None:
                draft.debouncer.flush()
        old: list[widgets.Widget] = []
        for pane in self.panes:
            old += pane.children
            pane.children = []
        self.plan_form = self.agenda = self.debrief_form = None
        if not later:
            for widget in old:
                close_tree(widget)
            old = []
        return old

    def _fill(self, index: int, widget: widgets.Widget) -> None:
        """Put a tab's content in place (the tab itself stays: the coach stays where they are)."""
        old = list(self.panes[index].children)
        self.panes[index].children = [widget]
        for w in old:
            if w is not widget:
                close_tree(w)

    def _build_forms(self, deal: Deal, calls: list) -> None:
        if deal.is_open:
            self.agenda = AgendaPanel(deal, self.ws.rep(deal.rep_id), time_zone=self.ws.settings.time_zone)
            self.plan_form = self._make_plan_form(deal, calls)
            self._fill(1, self.plan_form)
            self._fill(2, self.agenda)
        else:
            self.plan_form = self.agenda = None
            closed = (f"This deal is {deal.status}: there is no next call to plan. Reopen it in the first tab to "
                      "plan again.")
            self._fill(1, widgets.HTML(status_html(closed, "info")))
            self._fill(2, widgets.HTML(status_html(closed, "info")))
        self.debrief_form = self._make_debrief_form(deal, calls)
        self._fill(3, self.debrief_form)

    def _rubric(self) -> Any:
        from ..scoring.plan import Rubric

        return Rubric.for_workspace(self.ws)

    def _make_plan_form(self, deal: Deal, calls: list) -> PlanForm:
        form = PlanForm(self.ws, deal, calls, today=self.today, browser=self.browser)
        form.on_change(guarded(self._plan_changed, form.report))
        form.on_save(guarded(self._plan_saved, form.report))
        if self.agenda is not None:
            self.agenda.update(form.preview_plan())
        return form

    def _make_debrief_form(self, deal: Deal, calls: list) -> DebriefForm:
        form = DebriefForm(self.ws, deal, calls, today=self.today, browser=self.browser)
        form.on_save(guarded(self._debrief_saved, form.report))
        return form

    # -- keeping the tabs in step ----------------------------------------------------------------------
    def _plan_changed(self) -> None:
        if self.plan_form is not None and self.agenda is not None:
            self.agenda.update(self.plan_form.preview_plan())

    def _refresh_history(self) -> list:
        assert self.deal is not None
        self.deal = self.ws.deal(self.deal.deal_id)
        self.timeline = self._make_timeline(self.deal)
        self._fill(0, self.timeline)
        self.picker.show(self.deal)
        return self.timeline.calls_list

    def _plan_saved(self, plan: CallPlan) -> None:
        calls = self._refresh_history()
        assert self.deal is not None  # _refresh_history has just read it again
        self.debrief_form = self._make_debrief_form(self.deal, calls)
        self._fill(3, self.debrief_form)
        self._plan_changed()

    def _debrief_saved(self, debrief: Debrief, next_values: dict | None) -> None:
        calls = self._refresh_history()
        if self.deal is not None and self.deal.is_open:
            self.plan_form = self._make_plan_form(self.deal, calls)
            self._fill(1, self.plan_form)
            self._plan_changed()


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
        return problem_page(str(exc))
    except Exception as exc:  # noqa: BLE001 - the page shows one sentence, never a traceback
        return problem_page(unexpected_problem(path, exc))
    try:
        try:
            return CoachingSession(ws, rep_id=rep_id or None, deal_id=deal_id or None)
        except RecordNotFoundError as exc:
            session = CoachingSession(ws)
            session.report(f"{exc} Choose a rep and a deal below.")
            return session
    except CallkitError as exc:  # e.g. a process.yaml that does not read: the workspace's files are read lazily
        ws.close()
        return problem_page(str(exc))
    except Exception as exc:  # noqa: BLE001
        ws.close()
        return problem_page(unexpected_problem(path, exc))


def problem_page(sentence: str) -> widgets.Widget:
    """What the page shows instead of the session when the workspace cannot be used: the sentence, escaped."""
    return classed(widgets.HTML(style_html() + status_html(sentence, "error")), "ck-session-problem")


def unexpected_problem(path: Path, exc: Exception) -> str:
    """One sentence for a problem callkit did not foresee (no traceback on the page)."""
    return (f"The workspace {path} could not be opened ({type(exc).__name__}): run `callkit --debug workshop "
            f"{path}` in a terminal to see why.")
