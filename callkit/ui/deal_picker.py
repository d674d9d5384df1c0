"""Deal picker: choose a rep, then one of their deals; shows account, stage, amount and forecast close date."""

from __future__ import annotations

from datetime import date
from typing import Callable, Protocol, Sequence

import ipywidgets as widgets

from ..exceptions import RecordNotFoundError, UnknownStageError
from ..models import Deal, Rep
from ..process import SalesProcess
from ..text import long_date
from .events import guarded
from .markup import esc, money, status_html


class DealSource(Protocol):
    """The part of Workspace the picker reads."""

    process: SalesProcess

    def reps(self) -> list[Rep]: ...
    def rep(self, rep_id: str) -> Rep: ...
    def deals(self, rep_id: str | None = None) -> list[Deal]: ...
    def deal(self, deal_id: str) -> Deal: ...


def stage_name(process: SalesProcess, stage_id: str) -> str:
    """The stage's display name, or the id itself when the process does not know it."""
    try:
        return process.stage(stage_id).name
    except UnknownStageError:
        return stage_id


def rep_options(reps: Sequence[Rep]) -> list[tuple[str, str]]:
    """Dropdown options for reps: ('Ana Silva - Enterprise', 'r01'), sorted by name."""
    out = []
    for rep in sorted(reps, key=lambda r: (r.name.lower(), r.rep_id)):
        label = f"{rep.name} - {rep.team}" if rep.team else rep.name
        out.append((label, rep.rep_id))
    return out


def deal_title(deal: Deal) -> str:
    """'Account - deal name', without repeating the account when the deal name already starts with it."""
    if deal.name.lower().startswith(deal.account.lower()):
        return deal.name
    return f"{deal.account} - {deal.name}"


def closing_text(deal: Deal) -> str:
    """'closes 2026-06-30', 'no close date yet', or 'won 2026-06-05' / 'lost 2026-05-02' for a closed deal."""
    if not deal.is_open:
        return f"{deal.status} {deal.closed_on.isoformat()}" if deal.closed_on else deal.status
    return f"closes {deal.close_date.isoformat()}" if deal.close_date else "no close date yet"


def deal_label(deal: Deal, process: SalesProcess) -> str:
    """One line: account - deal name | stage | amount | closes date (or won / lost)."""
    return f"{deal_title(deal)} | {stage_name(process, deal.stage)} | {money(deal.amount)} | {closing_text(deal)}"


def deal_options(deals: Sequence[Deal], process: SalesProcess) -> list[tuple[str, str]]:
    """Dropdown options for a rep's deals: open deals first, soonest forecast close date first (no date last);
    then won and lost deals, most recently closed first."""
    def order(d: Deal) -> tuple[bool, int, str]:
        if d.is_open:
            return False, d.close_date.toordinal() if d.close_date else date.max.toordinal(), d.deal_id
        return True, -(d.closed_on or date.min).toordinal(), d.deal_id

    return [(deal_label(d, process), d.deal_id) for d in sorted(deals, key=order)]


def pick_deal(source: DealSource, rep_id: str | None, deal_id: str) -> Deal:
    """The deal with this id; when a rep is given it must be theirs (RecordNotFoundError otherwise)."""
    deal = source.deal(deal_id)
    if rep_id is not None and deal.rep_id != rep_id:
        raise RecordNotFoundError(f"deal of rep {rep_id}", deal_id)
    return deal


def deal_card_html(deal: Deal, rep: Rep | None, process: SalesProcess) -> str:
    """The deal at a glance: account, deal, rep, stage, amount and forecast close date."""
    rows = [
        ("Account", esc(deal.account or "not in the CRM")),
        ("Deal", esc(deal.name)),
        ("Rep", esc(rep.name) if rep else esc(deal.rep_id)),
        ("Stage", esc(stage_name(process, deal.stage))),
        ("Amount", esc(money(deal.amount))),
        ("Forecast close", esc(long_date(deal.close_date))) if deal.is_open
        else (deal.status.capitalize(), esc(long_date(deal.closed_on))),
    ]
    if deal.lost_reason:
        rows.append(("Why lost", esc(deal.lost_reason)))
    cells = "".join(f'<span class="ck-fact"><span class="ck-muted">{k}</span> <b>{v}</b></span>' for k, v in rows)
    return (f'<div class="ck-card ck-deal-card" style="display:flex;flex-wrap:wrap;gap:4px 22px;padding:6px 12px">'
            f"{cells}</div>")


class DealPicker(widgets.VBox):
    """Rep dropdown, deal dropdown and the deal card; `on_pick(callback)` gets the chosen Deal."""

    def __init__(self, source: DealSource):
        self.source = source
        self.process = source.process
        self._listeners: list[Callable[[Deal], None]] = []
        self.deal: Deal | None = None
        self.status = widgets.HTML("")
        self.rep_dropdown = widgets.Dropdown(
            options=[("Choose a rep", "")] + rep_options(source.reps()), value="", description="Rep",
            layout=widgets.Layout(width="420px"),
        )
        self.rep_dropdown.add_class("ck-rep-picker")
        self.deal_dropdown = widgets.Dropdown(
            options=[("Choose a rep first", "")], value="", description="Deal",
            layout=widgets.Layout(width="760px"),
        )
        self.deal_dropdown.add_class("ck-deal-picker")
        self.card = widgets.HTML("")
        self.rep_dropdown.observe(guarded(self._rep_changed, self.report), names="value")
        self.deal_dropdown.observe(guarded(self._deal_changed, self.report), names="value")
        super().__init__([widgets.HBox([self.rep_dropdown, self.deal_dropdown]), self.card, self.status])
        self.add_class("ck-picker")

    def on_pick(self, callback: Callable[[Deal], None]) -> None:
        """Call `callback(deal)` whenever a deal is chosen."""
        self._listeners.append(callback)

    def report(self, message: str) -> None:
        """Show a problem under the dropdowns."""
        self.status.value = status_html(message, "error")

    def select(self, rep_id: str | None = None, deal_id: str | None = None) -> Deal | None:
        """Choose a rep (and a deal): with only a deal id, its rep is chosen too. Returns the chosen deal."""
        if deal_id:
            deal = pick_deal(self.source, rep_id, deal_id)
            rep_id = deal.rep_id
        if rep_id:
            self.source.rep(rep_id)  # RecordNotFoundError names an unknown rep
            self.rep_dropdown.value = rep_id
        if deal_id:
            self.deal_dropdown.value = deal_id
        return self.deal

    def _rep_changed(self, change: dict) -> None:
        rep_id = change["new"]
        self.status.value = ""
        if not rep_id:
            self.deal_dropdown.options = [("Choose a rep first", "")]
            return
        deals = self.source.deals(rep_id=rep_id)
        placeholder = ("Choose a deal", "") if deals else ("This rep has no deals", "")
        self.deal_dropdown.options = [placeholder] + deal_options(deals, self.process)
        self.deal_dropdown.value = ""

    def _deal_changed(self, change: dict) -> None:
        deal_id = change["new"]
        if not deal_id:
            self.deal = None
            self.card.value = ""
            return
        deal = pick_deal(self.source, self.rep_dropdown.value or None, deal_id)
        self.show(deal)
        for callback in self._listeners:
            callback(deal)

    def show(self, deal: Deal) -> None:
        """Show this deal's card (also after a save changed its close date)."""
        self.deal = deal
        self.card.value = deal_card_html(deal, self.source.rep(deal.rep_id), self.process)
