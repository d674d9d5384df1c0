"""Deal timeline: the calls so far, stage progress, the close-date history chart and the deal's health in plain English.

The health starts with one headline derived from its findings (`callkit.scoring.deal_health.deal_verdict`); a closed deal says
when and why it closed and that it can be reopened. The timeline has a slot for the deal actions (move, won, lost,
reopen: `callkit.ui.deal_actions.DealActions`) and refreshes itself when one of them changes the deal.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Mapping, Sequence

import ipywidgets as widgets

from ..exceptions import UnknownStageError
from ..models import OUTCOME_LABELS, Call, Deal
from ..process import SalesProcess
from ..text import counted, long_date
from .markup import badge, esc, findings_html
from .fields import classed



UNBACKED_NOTE = "no dated client commitment: counts as a continuation"


def outcome_badge(call: Call) -> str:
    """The call's outcome as a coloured label; 'planned' when it has a plan and no debrief yet.

    An 'advance' without a dated client commitment says that the deal's health counts it as a continuation.
    """
    from ..scoring.debrief import unbacked_advance

    if call.outcome:
        label = badge(OUTCOME_LABELS.get(call.outcome, call.outcome), call.outcome)
        if unbacked_advance(call.debrief):
            label += f' <span class="ck-muted ck-unbacked">({esc(UNBACKED_NOTE)})</span>'
        return label
    if call.plan is not None:
        return badge("Planned", "planned")
    return badge("Not debriefed", "none")


def call_rows(calls: Sequence[Call]) -> list[dict[str, Any]]:
    """One plain row per call, oldest first: date, objective, outcome and the client's commitments."""
    rows = []
    for call in sorted(calls, key=lambda c: (c.date, c.call_id)):
        commitments = []
        if call.debrief:
            for c in call.debrief.commitments:
                when = f" by {long_date(c.by)}" if c.by else " (no date)"
                commitments.append(f"{c.who or 'someone'}: {c.what}{when}")
        rows.append(
            {
                "call_id": call.call_id,
                "date": call.date,
                "objective": call.objective or "",
                "planned": call.plan is not None,
                "outcome": call.outcome,
                "commitments": commitments,
            }
        )
    return rows


def calls_table_html(calls: Sequence[Call]) -> str:
    """The calls as an HTML table (rep text escaped)."""
    rows = call_rows(calls)
    if not rows:
        return '<p class="ck-muted">No calls on this deal yet: plan the first one.</p>'
    by_id = {c.call_id: c for c in calls}
    body = []
    for r in rows:
        objective = esc(r["objective"]) if r["planned"] else '<span class="ck-muted">no plan</span>'
        if r["planned"] and not r["objective"]:
            objective = '<span class="ck-muted">no objective written</span>'
        commits = "<br>".join(esc(c) for c in r["commitments"]) or '<span class="ck-muted">-</span>'
        body.append(
            f"<tr data-call='{esc(r['call_id'])}'><td>{esc(long_date(r['date']))}</td><td>{objective}</td>"
            f"<td>{outcome_badge(by_id[r['call_id']])}</td><td>{commits}</td></tr>"
        )
    head = "<tr><th>Date</th><th>Call objective</th><th>Outcome</th><th>Client commitments</th></tr>"
    return f'<table class="ck-table ck-calls">{head}{"".join(body)}</table>'


def stage_progress_html(deal: Deal, process: SalesProcess) -> str:
    """The process stages as chips: done, current, still to do."""
    try:
        current = process.index(deal.stage)
    except UnknownStageError:
        return f'<p class="ck-muted">Stage {esc(deal.stage)} is not in this workspace\'s sales process.</p>'
    chips = []
    for i, stage in enumerate(process.stages):
        state = "done" if i < current else "current" if i == current else "todo"
        chips.append(badge(("✓ " if state == "done" else "") + stage.name, state))
    return (
        f'<p>Stage {current + 1} of {len(process.stages)}: <b>{esc(process.stages[current].name)}</b></p>'
        f'<div class="ck-stages">{"".join(chips)}</div>'
    )


def close_date_points(deal: Deal, moves: Sequence[Any] | None = None) -> list[tuple[date, date]]:
    """(changed on, forecast close date) pairs, oldest first: from the health's moves, else the CRM history."""
    if moves:
        first = moves[0]
        start = min(deal.created or first.changed_on, first.changed_on)
        return [(start, first.before)] + [(m.changed_on, m.after) for m in moves]
    points = sorted(((c.changed_on, c.close_date) for c in deal.close_date_history), key=lambda p: p[0])
    if deal.close_date is not None and (not points or points[-1][1] != deal.close_date):
        start = points[-1][0] if points else (deal.created or deal.close_date)
        points.append((start, deal.close_date))
    return points


def slips(points: Sequence[tuple[date, date]]) -> list[tuple[date, int]]:
    """Each time the forecast moved later: (changed on, days later)."""
    out = []
    for (_, before), (changed_on, after) in zip(points, points[1:]):
        if after > before:
            out.append((changed_on, (after - before).days))
    return out


def chart_title(points: Sequence[tuple[date, date]]) -> str:
    """'Forecast close date moved later 3 times (+92 days)' or that it has not moved."""
    moved = slips(points)
    if not moved:
        return "The forecast close date has not moved later"
    days = sum(d for _, d in moved)
    times = "once" if len(moved) == 1 else f"{len(moved)} times"
    return f"Forecast close date moved later {times} (+{days} days)"


def close_date_chart_html(points: Sequence[tuple[date, date]], today: date | None = None) -> str:
    """The close-date history as an inline SVG chart (a step line up to today, each slip in red with its days)."""
    from ..charts import close_date_chart

    return close_date_chart(points, today, title=chart_title(points))


def health_facts(health: Any) -> list[str]:
    """The deal's key numbers as short sentences (plain text: the page escapes it)."""
    facts = []
    if health.status == "open":
        facts.append(f"The close date moved later {counted(health.slips, 'time')}, {health.slip_days} days in all."
                     if health.slips else "The close date has not moved later.")
    facts.append(f"{counted(health.advance_chain, 'advance')} in a row at the end."
                 if health.advance_chain else "No advance at the end of the call history.")
    if health.continuation_streak:
        n = health.continuation_streak
        facts.append(f"{counted(n, 'continuation')} in a row at the end.")
    if health.debriefed:
        n, k = health.debriefed, health.continuations
        facts.append(f"None of the {counted(n, 'debriefed call')} was a continuation." if k == 0 else
                     f"{k} of {counted(n, 'debriefed call')} " + ("was a continuation." if k == 1 else "were continuations."))
    if health.days_since_last_advance is not None:
        facts.append(f"{health.days_since_last_advance} days since the last advance.")
    if health.status == "open" and health.days_since_last_call is not None:
        facts.append(f"Last call {counted(health.days_since_last_call, 'day')} ago." if health.days_since_last_call
                     else "Last call today.")
    if health.status == "open" and health.next_meeting is not None:
        facts.append(f"Next meeting booked: {long_date(health.next_meeting)}.")
    if health.client_contacts:
        facts.append(f"People on the client side so far: {', '.join(health.client_contacts)}.")
    return facts


def headline_html(health: Any) -> str:
    """The one line at the top of the deal's health, coloured by its verdict (moving, watch, attention, ...)."""
    kind = {"moving": "ok", "won": "ok", "attention": "error", "stalled": "error"}.get(health.verdict, "info")
    return (f'<div class="ck-status ck-status-{kind} ck-verdict ck-verdict-{esc(health.verdict)}" '
            f'data-verdict="{esc(health.verdict)}"><b>{esc(health.headline)}</b></div>')


def closed_html(health: Any, can_reopen: bool = False) -> str:
    """A won or lost deal: when and why it closed, that there is no next call to plan, and how to reopen it."""
    reason = health.close_reason.strip() if health.close_reason else ""
    why = (f"<p>Why it was {esc(health.status)}: <b>{esc(reason)}</b></p>" if reason
           else f'<p class="ck-muted">No reason was recorded for why it was {esc(health.status)}.</p>')
    how = ("reopen it with “Reopen deal” under Deal actions below" if can_reopen
           else "it can be reopened, and then the next call planned again")
    return (why + f"<p>A closed deal has no next call to plan. If it was closed by mistake, {how}.</p>")


def health_html(health: Any, can_reopen: bool = False) -> str:
    """The deal's health (a DealHealth) in plain English: its headline, key numbers and the findings worst first.

    The headline comes from the findings, so a "Fix" never sits under "This deal is moving.". A closed deal
    says when and why it closed and that it can be reopened (`can_reopen`: the page shows the Reopen button).
    """
    facts = "".join(f"<li>{esc(f)}</li>" for f in health_facts(health))
    if health.status != "open":
        return headline_html(health) + closed_html(health, can_reopen) + f'<ul class="ck-facts">{facts}</ul>'
    return (headline_html(health) + f'<ul class="ck-facts">{facts}</ul>'
            + findings_html(health.findings, empty="No warning signs on this deal."))


class DealTimeline(widgets.VBox):
    """The deal so far: stage progress, close-date chart, health, the deal actions (when attached) and the calls.

    `stage_norms` are the team's usual days per stage (`callkit.scoring.deal_health.stage_norms` over the workspace's deals)
    for the "stuck in its stage" warning; `DealTimeline.for_workspace` passes them and attaches the actions.
    """

    def __init__(self, deal: Deal, calls: Sequence[Call], process: SalesProcess, today: date | None = None,
                 rubric: Any = None, stage_norms: Mapping[str, float] | None = None):
        self.deal = deal
        self.calls_list = list(calls)
        self.process = process
        self.today = today
        self.rubric = rubric
        self.stage_norms = dict(stage_norms or {})
        self.actions: widgets.Widget | None = None
        self.stages = widgets.HTML()
        self.chart = classed(widgets.HTML(), "ck-close-chart")
        self.health_box = classed(widgets.HTML(), "ck-health")
        self.calls = classed(widgets.HTML(calls_table_html(self.calls_list)), "ck-calls-table")
        self.actions_title = widgets.HTML("<h3>Deal actions</h3>", layout=widgets.Layout(display="none"))
        self.actions_slot = classed(widgets.VBox([]), "ck-deal-actions-slot")
        self.show_deal(deal)
        super().__init__(
            [
                widgets.HTML("<h3>Where the deal stands</h3>"), self.stages,
                widgets.HTML("<h3>Forecast close date</h3>"), self.chart,
                widgets.HTML("<h3>How healthy is it?</h3>"), self.health_box,
                self.actions_title, self.actions_slot,
                widgets.HTML("<h3>Calls so far</h3>"), self.calls,
            ]
        )
        self.add_class("ck-timeline")

    @classmethod
    def for_workspace(cls, workspace: Any, deal: Deal, today: date | None = None, rubric: Any = None,
                      on_change: Callable[[Deal], Any] | None = None) -> "DealTimeline":
        """The timeline of a deal in a workspace: its calls, the workspace's rubric, the team's stage norms, and
        the deal actions attached (`on_change(deal)` runs after the timeline has refreshed itself)."""
        from ..scoring.rubric import Rubric
        from .deal_actions import DealActions

        timeline = cls(deal, workspace.calls(deal_id=deal.deal_id), workspace.process, today=today,
                       rubric=rubric if rubric is not None else Rubric.for_workspace(workspace),
                       stage_norms=workspace.stage_norms())
        actions = DealActions(workspace, deal, today=today)
        timeline.attach_actions(actions)
        if on_change is not None:
            actions.on_change(on_change)
        return timeline

    def attach_actions(self, actions: widgets.Widget) -> None:
        """Put the deal actions under the health; when they change the deal, the timeline shows the new state."""
        self.actions = actions
        self.actions_slot.children = [actions]
        self.actions_title.layout.display = ""
        on_change = getattr(actions, "on_change", None)
        if on_change is not None:
            on_change(self.show_deal)
        self.health_box.value = health_html(self.health, can_reopen=True)

    def show_deal(self, deal: Deal) -> None:
        """Show the deal as it is now (after a move, a win, a loss or a reopening): stages, chart and health."""
        from ..scoring.deal_health import deal_health

        self.deal = deal
        self.health = deal_health(deal, self.calls_list, process=self.process, today=self.today, rubric=self.rubric,
                                  stage_norms=self.stage_norms)
        points = close_date_points(deal, self.health.close_date_moves)
        self.stages.value = stage_progress_html(deal, self.process)
        self.chart.value = (close_date_chart_html(points, self.today or date.today())
                            if points else "<p class='ck-muted'>The CRM has no forecast close date for this deal yet.</p>")
        self.health_box.value = health_html(self.health, can_reopen=self.actions is not None)
