"""Deal timeline: the calls so far, stage progress, the close-date history chart and the deal's health in plain English."""

from __future__ import annotations

import base64
import io
from datetime import date
from typing import Any, Sequence

import ipywidgets as widgets

from ..exceptions import UnknownStageError
from ..models import Call, Deal
from ..process import SalesProcess
from ..scoring.english import counted
from .markup import badge, esc, findings_html, long_date
from .fields import classed

OUTCOME_LABELS = {
    "order": "Order",
    "advance": "Advance",
    "continuation": "Continuation",
    "no_sale": "No sale",
}


def outcome_badge(call: Call) -> str:
    """The call's outcome as a coloured label; 'planned' when it has a plan and no debrief yet."""
    if call.outcome:
        return badge(OUTCOME_LABELS.get(call.outcome, call.outcome), call.outcome)
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
                when = f" by {c.by.isoformat()}" if c.by else " (no date)"
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


def close_date_chart_png(points: Sequence[tuple[date, date]], today: date | None = None) -> bytes:
    """A PNG of the close-date history: a step line up to today, each slip marked in red with its days."""
    from datetime import timedelta

    from matplotlib.dates import DateFormatter
    from matplotlib.figure import Figure

    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    end = max([*xs, today]) if today else xs[-1]
    fig = Figure(figsize=(7.5, 2.8), dpi=100)
    ax = fig.add_subplot()
    ax.step(xs + [end], ys + [ys[-1]], where="post", color="#2e90fa", linewidth=2)
    ax.plot(xs, ys, "o", color="#2e90fa", markersize=5)
    for (_, before), (changed_on, after) in zip(points, points[1:]):
        if after <= before:
            continue
        ax.plot([changed_on], [after], "o", color="#d92d20", markersize=9)
        ax.annotate(f"+{(after - before).days} d", (changed_on, after), textcoords="offset points", xytext=(0, 8),
                    ha="center", color="#b42318", fontsize=10, fontweight="bold")
    ax.set_title(chart_title(points), fontsize=12, loc="left")
    ax.set_xlabel("when the forecast was changed")
    ax.set_ylabel("forecast close")
    pad = timedelta(days=7)
    ax.set_xlim(min(xs) - pad, end + pad)
    low, high = min(ys), max(ys)
    spread = max((high - low).days // 4, 15)
    ax.set_ylim(low - timedelta(days=spread), high + timedelta(days=spread))
    ax.xaxis.set_major_formatter(DateFormatter("%d %b"))
    ax.yaxis.set_major_formatter(DateFormatter("%d %b %y"))
    ax.grid(True, alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def png_img_html(png: bytes, alt: str) -> str:
    """An inline <img> for a PNG (works offline and in exported pages)."""
    data = base64.b64encode(png).decode("ascii")
    return f'<img class="ck-chart" alt="{esc(alt)}" src="data:image/png;base64,{data}" style="max-width:100%">'


def health_facts(health: Any) -> list[str]:
    """The deal's key numbers as short sentences."""
    facts = [
        (f"The close date moved later {counted(health.slips, 'time')}, "
         f"{health.slip_days} days in all." if health.slips else "The close date has not moved later."),
        f"{counted(health.advance_chain, 'advance')} in a row at the end."
        if health.advance_chain else "No advance at the end of the call history.",
    ]
    if health.continuation_streak:
        n = health.continuation_streak
        facts.append(f"{counted(n, 'continuation')} in a row at the end.")
    if health.days_since_last_advance is not None:
        facts.append(f"{health.days_since_last_advance} days since the last advance.")
    return facts


def health_html(health: Any) -> str:
    """The deal's health (a DealHealth) in plain English: a headline, key numbers and the findings worst first."""
    status = getattr(health, "status", "open")
    if status != "open":
        return f"<p><b>This deal is {esc(status)}.</b> A closed deal is no longer stalled or slipping.</p>"
    head = ('<p class="ck-error">This deal looks stalled.</p>' if health.stalled
            else "<p><b>This deal is moving.</b></p>")
    facts = "".join(f"<li>{esc(f)}</li>" for f in health_facts(health))
    return head + f"<ul>{facts}</ul>" + findings_html(health.findings, empty="No warning signs on this deal.")


class DealTimeline(widgets.VBox):
    """The deal so far: stage progress, close-date chart, health and the calls table."""

    def __init__(self, deal: Deal, calls: Sequence[Call], process: SalesProcess, today: date | None = None,
                 rubric: Any = None):
        from ..deals import deal_health

        self.deal = deal
        self.health = deal_health(deal, list(calls), process=process, today=today, rubric=rubric)
        points = close_date_points(deal, self.health.close_date_moves)
        self.stages = widgets.HTML(stage_progress_html(deal, process))
        chart = (png_img_html(close_date_chart_png(points, today or date.today()), chart_title(points)) if points
                 else "<p class='ck-muted'>The CRM has no forecast close date for this deal yet.</p>")
        self.chart = classed(widgets.HTML(chart), "ck-close-chart")
        self.health_box = classed(widgets.HTML(health_html(self.health)), "ck-health")
        self.calls = classed(widgets.HTML(calls_table_html(calls)), "ck-calls-table")
        super().__init__(
            [
                widgets.HTML("<h3>Where the deal stands</h3>"), self.stages,
                widgets.HTML("<h3>Forecast close date</h3>"), self.chart,
                widgets.HTML("<h3>How healthy is it?</h3>"), self.health_box,
                widgets.HTML("<h3>Calls so far</h3>"), self.calls,
            ]
        )
        self.add_class("ck-timeline")
