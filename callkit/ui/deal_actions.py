"""Deal actions on the coaching page: move the deal to another stage, mark it won or lost, reopen it.

Each button is one write to the workspace (`Workspace.move_deal`, `close_deal`, `reopen_deal`), dated today
unless the coach picks another day, and recorded in the deal's stage history. The confirmation or the one
sentence that says what to fix shows next to the buttons. When the deal changed elsewhere since the page
showed it, nothing is written and the page shows the deal as it is now. `on_change(callback)` hears of
every new state of the deal (the timeline refreshes itself; the session hides the plan of a closed deal).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Protocol

import ipywidgets as widgets

from ..scoring.deal_health import DealChangedError, stage_before_closing
from ..exceptions import CallkitError
from ..models import Deal
from ..process import SalesProcess
from ..text import long_date
from .dates import DateField
from .events import error_sentence, guarded
from .fields import classed
from .markup import esc, status_html

REASON_PLACEHOLDER = "e.g. chose a cheaper tool"
REASON_HINT = "Say why it was lost before you mark it lost."


class DealActionsStore(Protocol):
    """The part of Workspace the deal actions use."""

    process: SalesProcess

    def move_deal(self, deal_id: str, stage: str, on: date | None = None, *, seen: Deal | None = None) -> Deal: ...
    def close_deal(self, deal_id: str, status: str, on: date | None = None, reason: str | None = None, *,
                   seen: Deal | None = None) -> Deal: ...
    def reopen_deal(self, deal_id: str, stage: str | None = None, on: date | None = None, *,
                    seen: Deal | None = None) -> Deal: ...


def stage_choices(process: SalesProcess) -> list[tuple[str, str]]:
    """The process stages as (name, id) for the stage dropdown, in process order."""
    return [(s.name, s.id) for s in process.stages]


def stage_label(process: SalesProcess, stage_id: str) -> str:
    """A stage's name ('Validate'), or its id when the process does not have it."""
    return process.stage(stage_id).name if process.has_stage(stage_id) else stage_id


def confirmation(before: Deal, after: Deal, process: SalesProcess, on: date) -> str:
    """What the last action did, in one sentence: 'Moved from Discover to Validate on Tue 24 Nov 2026.'"""
    when = long_date(on)
    if after.is_open and not before.is_open:
        return f"Reopened on {when}, in {stage_label(process, after.stage)}: plan the next call again."
    if after.is_open:
        return (f"Moved from {stage_label(process, before.stage)} to {stage_label(process, after.stage)} on {when}.")
    why = f" Reason: {after.lost_reason}." if after.lost_reason else ""
    return f"Marked {after.status} on {when}.{why} Reopen it if that was a mistake."


class DealActions(widgets.VBox):
    """Move a deal to another stage, mark it won or lost (with a reason), or reopen it; each dated today by default."""

    def __init__(self, store: DealActionsStore, deal: Deal, today: date | None = None):
        self.store = store
        self.process = store.process
        self.deal = deal
        self.today = today or date.today()
        self._listeners: list[Callable[[Deal], Any]] = []
        self.on_date = DateField(value=self.today, description="Dated", today=self.today, css="ck-deal-date",
                                 layout=widgets.Layout(width="200px"))
        self.stage = classed(widgets.Dropdown(options=stage_choices(self.process), description="Stage",
                                              layout=widgets.Layout(width="300px")), "ck-deal-stage")
        self.move_button = classed(widgets.Button(description="Move"), "ck-deal-move")
        self.reason = classed(widgets.Text(placeholder=REASON_PLACEHOLDER, description="Why lost",
                                           layout=widgets.Layout(width="420px")), "ck-deal-reason")
        self.won_button = classed(widgets.Button(description="Mark won", button_style="success"), "ck-deal-won")
        self.lost_button = classed(widgets.Button(description="Mark lost", button_style="danger"), "ck-deal-lost")
        self.reopen_stage = classed(widgets.Dropdown(options=stage_choices(self.process), description="Back to",
                                                     layout=widgets.Layout(width="300px")), "ck-deal-reopen-stage")
        self.reopen_button = classed(widgets.Button(description="Reopen deal", button_style="warning"),
                                     "ck-deal-reopen")
        self.state = widgets.HTML("")
        self.status = classed(widgets.HTML(""), "ck-deal-actions-status")
        self.open_box = widgets.VBox([
            widgets.HBox([self.stage, self.move_button]),
            widgets.HBox([self.reason, self.won_button, self.lost_button]),
            widgets.HTML(f'<div class="ck-hint">{REASON_HINT}</div>'),
        ])
        self.closed_box = widgets.VBox([widgets.HBox([self.reopen_stage, self.reopen_button])])
        self.move_button.on_click(guarded(lambda _b: self.move(), self.report))
        self.won_button.on_click(guarded(lambda _b: self.mark_won(), self.report))
        self.lost_button.on_click(guarded(lambda _b: self.mark_lost(), self.report))
        self.reopen_button.on_click(guarded(lambda _b: self.reopen(), self.report))
        self.stage.observe(guarded(lambda _c: self._sync_move_button(), self.report), names="value")
        super().__init__([self.state, self.on_date, self.open_box, self.closed_box, self.status])
        self.add_class("ck-deal-actions")
        self._show(deal)

    # -- listening ---------------------------------------------------------------------------------
    def on_change(self, callback: Callable[[Deal], Any]) -> None:
        """Call `callback(deal)` with the deal as saved after every action (and as it now is after a refusal
        because it changed elsewhere); each listener's error is shown as one sentence, the others still run."""
        self._listeners.append(callback)

    def report(self, message: str) -> None:
        """Show one sentence that says what to fix, next to the buttons."""
        self.status.value = status_html(message, "error")

    # -- actions -----------------------------------------------------------------------------------
    def move(self) -> Deal | None:
        """Move the deal to the stage chosen in the dropdown, dated as chosen."""
        return self._act(lambda on: self.store.move_deal(self.deal.deal_id, self.stage.value, on, seen=self.deal))

    def mark_won(self) -> Deal | None:
        """Mark the deal won, dated as chosen (the "Why lost" box is for lost deals only)."""
        return self._act(lambda on: self.store.close_deal(self.deal.deal_id, "won", on, None, seen=self.deal))

    def mark_lost(self) -> Deal | None:
        """Mark the deal lost with the reason typed in the box, dated as chosen."""
        return self._act(lambda on: self.store.close_deal(self.deal.deal_id, "lost", on, self.reason.value or None,
                                                          seen=self.deal))

    def reopen(self) -> Deal | None:
        """Reopen a closed deal in the stage chosen (by default the one it was in before it closed)."""
        return self._act(lambda on: self.store.reopen_deal(self.deal.deal_id, self.reopen_stage.value, on,
                                                           seen=self.deal))

    def _act(self, write: Callable[[date], Deal]) -> Deal | None:
        if not self.on_date.valid:
            self.report(self.on_date.error)
            return None
        on = self.on_date.value or self.today
        before = self.deal
        try:
            after = write(on)
        except DealChangedError as exc:
            self._show(exc.theirs)
            self.report(str(exc))
            self._tell(exc.theirs)
            return None
        except CallkitError as exc:
            self.report(error_sentence(exc))
            return None
        self.reason.value = ""
        self._show(after)
        self.status.value = status_html(confirmation(before, after, self.process, on), "ok")
        self._tell(after)
        return after

    def _tell(self, deal: Deal) -> None:
        for listener in self._listeners:
            guarded(listener, self.report)(deal)

    # -- showing the deal --------------------------------------------------------------------------
    def _show(self, deal: Deal) -> None:
        """Offer the actions that fit the deal as it is: move/won/lost when open, reopen when closed."""
        self.deal = deal
        if deal.is_open:
            where = stage_label(self.process, deal.stage)
            self.state.value = (f"<p>Open, in <b>{esc(where)}</b>. Move it when the customer has done this stage's "
                                "steps; mark it won or lost when they decide.</p>")
            if self.process.has_stage(deal.stage):
                self.stage.value = deal.stage
            self.open_box.layout.display = ""
            self.closed_box.layout.display = "none"
        else:
            when = f" on {long_date(deal.closed_on)}" if deal.closed_on else ""
            self.state.value = (f"<p>This deal was <b>{esc(deal.status)}</b>{esc(when)}. Reopen it if it was "
                                "closed by mistake.</p>")
            back = stage_before_closing(deal)
            if self.process.has_stage(back):
                self.reopen_stage.value = back
            self.open_box.layout.display = "none"
            self.closed_box.layout.display = ""
        self._sync_move_button()

    def _sync_move_button(self) -> None:
        self.move_button.disabled = not self.deal.is_open or self.stage.value == self.deal.stage
        self.move_button.tooltip = ("Choose another stage first" if self.move_button.disabled and self.deal.is_open
                                    else "")
