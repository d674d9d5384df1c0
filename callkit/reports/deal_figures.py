"""The deal side of a rep's report: pipeline by stage, won and lost, win rate and deal hygiene, for one period.

A rep whose team keeps its deals in a CRM but writes few call plans still gets a report worth reading from
this. Everything comes from `callkit.deals.deal_health` (slips, stalls, a close date in the past, stuck in a
stage, days since the last call) and the team's `stage_norms`; nothing is measured twice. Plain JSON-able
dicts, like the rest of the report data.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

if TYPE_CHECKING:  # pragma: no cover
    from ..models import Call, Deal
    from ..process import SalesProcess

# What makes an open deal "at risk" for the manager: money that will not close when the forecast says.
AT_RISK = ("past_close", "pushed", "stuck", "stalled")
# Every flag a deal that needs attention can carry, most serious first.
FLAGS = ("stalled", "past_close", "pushed", "stuck", "slipping", "quiet")
ATTENTION_LIMIT = 15  # deals listed by name in "Open deals that need attention"; the rest are counted
CLOSED_LIMIT = 10  # won and lost deals listed by name
REASON_LIMIT = 6  # lost reasons listed; the rest are "other reasons"
NOT_RECORDED = "No reason recorded"

def _change_days(deal: "Deal", first: bool = True) -> list[date]:
    """The days the deal's stage or close date changed (`first=False`: without the first entry of each history,
    which is where the deal started, not a change)."""
    skip = 0 if first else 1
    return [s.changed_on for s in deal.stage_history[skip:]] + [c.changed_on for c in deal.close_date_history[skip:]]


def deal_as_of(deal: "Deal", day: date) -> "Deal | None":
    """The deal as the CRM showed it on `day`, from its stage and close-date history: None when it did not
    exist yet, open when it closed later. Amounts and names are today's (a CRM export keeps no history of them)."""
    if deal.created is not None and deal.created > day:
        return None
    later = [day_ for day_ in _change_days(deal) if day_ > day]
    closed = deal.status != "open" and (deal.closed_on is None or deal.closed_on <= day)
    if not later and (closed or deal.is_open):
        return deal
    stages = [s for s in deal.stage_history if s.changed_on <= day]
    closes = [c for c in deal.close_date_history if c.changed_on <= day]
    update: dict[str, Any] = {
        "stage": stages[-1].stage if stages else deal.stage,
        "stage_history": stages,
        "close_date_history": closes,
    }
    if not closed:
        update.update(status="open", closed_on=None, lost_reason=None)
        if closes:
            update["close_date"] = closes[-1].close_date
    return deal.model_copy(update=update)


def _amount(deals: Iterable["Deal"]) -> float:
    return float(sum(d.amount or 0.0 for d in deals))


def _total(deals: list["Deal"]) -> dict[str, Any]:
    return {"count": len(deals), "amount": _amount(deals), "unpriced": sum(1 for d in deals if d.amount is None)}


def _stage_name(stage: str, process: "SalesProcess") -> str:
    return process.stage(stage).name if process.has_stage(stage) else stage


def deal_row(deal: "Deal", process: "SalesProcess") -> dict[str, Any]:
    """What a report lists for one deal: who, what, where it stands, how much and when."""
    return {"deal_id": deal.deal_id, "account": deal.account, "name": deal.name,
            "stage": _stage_name(deal.stage, process), "amount": deal.amount,
            "close_date": deal.close_date.isoformat() if deal.close_date else None, "status": deal.status,
            "closed_on": deal.closed_on.isoformat() if deal.closed_on else None, "lost_reason": deal.lost_reason}


def _flags(health: Any, quiet_days: int) -> list[str]:
    flags = []
    if health.stalled:
        flags.append("stalled")
    if health.days_past_close:
        flags.append("past_close")
    if health.slips >= 2:
        flags.append("pushed")
    if health.stuck:
        flags.append("stuck")
    if health.slips and not health.stalled and health.slips < 2:
        flags.append("slipping")
    if health.days_since_last_call is not None and health.days_since_last_call > quiet_days:
        flags.append("quiet")
    return flags


STALL_SIGNS = ("monthly_slips", "continuations")  # the warnings a "stalled" reason already names


def _reasons(health: Any) -> list[str]:
    """Deal health's reasons, each said once: a stalled deal's reason already names its repeated slips or
    continuations, so those signs are not listed again under it."""
    findings = getattr(health, "findings", None)
    if not health.stalled or not findings:
        return list(health.reasons)
    return [f.message for f in findings if f.code.rsplit(".", 1)[-1] not in STALL_SIGNS]


def deal_period(deals: list["Deal"], calls_by_deal: Mapping[str, list["Call"]], start: date, end: date,
                process: "SalesProcess", rubric: Any, norms: Mapping[str, float] | None,
                deal_health: Callable[..., Any]) -> dict[str, Any]:
    """One rep's deals over `start`..`end`: {'figures', 'summary', 'activity'}.

    The pipeline is the deals open at the end of the period; won and lost are the deals closed in it.
    Calls after `end` are ignored, so the previous period is measured as it was then.
    """
    at_end = [d for d in (deal_as_of(deal, end) for deal in deals) if d is not None]
    open_deals = [d for d in at_end if d.is_open]
    closed = [d for d in at_end if not d.is_open and d.closed_on is not None and start <= d.closed_on <= end]
    won = [d for d in closed if d.status == "won"]
    lost = [d for d in closed if d.status == "lost"]
    quiet_days = int(rubric.deal_settings["days_without_call"])

    flagged: dict[str, list["Deal"]] = defaultdict(list)
    attention: list[tuple[bool, "Deal", dict[str, Any]]] = []
    no_calls: list["Deal"] = []
    for deal in open_deals:
        calls = [c for c in calls_by_deal.get(deal.deal_id, []) if c.date <= end]
        if not calls:
            no_calls.append(deal)
        health = deal_health(deal, calls, process=process, today=end, rubric=rubric, stage_norms=norms)
        flags = _flags(health, quiet_days)
        for flag in flags:
            flagged[flag].append(deal)
        if flags:
            row = deal_row(deal, process)
            row.update(flags=flags, reasons=_reasons(health), slips=health.slips,
                       days_past_close=health.days_past_close, days_in_stage=health.days_in_stage,
                       usual_days=(norms or {}).get(deal.stage),
                       days_since_last_call=health.days_since_last_call)
            attention.append((any(f in AT_RISK for f in flags), deal, row))
    attention.sort(key=lambda t: (not t[0], -(t[1].amount or 0.0), t[1].account.lower(), t[1].deal_id))
    at_risk = [deal for risky, deal, _ in attention if risky]

    order = {s: i for i, s in enumerate(process.stage_ids)}
    by_stage: dict[str, list["Deal"]] = defaultdict(list)
    for deal in open_deals:
        by_stage[deal.stage].append(deal)
    pipeline = [{"stage_id": stage, "stage": _stage_name(stage, process), **_total(items)}
                for stage, items in sorted(by_stage.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))]

    reasons: dict[str, list["Deal"]] = defaultdict(list)
    for deal in lost:
        reasons[(deal.lost_reason or "").strip() or NOT_RECORDED].append(deal)
    ranked = sorted(reasons.items(), key=lambda kv: (-len(kv[1]), -_amount(kv[1]), kv[0]))
    lost_reasons = [{"reason": r, "count": len(ds), "amount": _amount(ds)} for r, ds in ranked[:REASON_LIMIT]]
    rest = [d for _, ds in ranked[REASON_LIMIT:] for d in ds]
    if rest:
        lost_reasons.append({"reason": "Other reasons", "count": len(rest), "amount": _amount(rest)})

    closed_sorted = sorted(closed, key=lambda d: (d.status != "won", -(d.amount or 0.0), d.closed_on, d.deal_id))
    has_deals = bool(open_deals or closed)

    def money(items: list["Deal"]) -> float | None:
        """The deals' total amount; None when there are no deals at all, or none of these has an amount."""
        if not has_deals or (items and all(d.amount is None for d in items)):
            return None
        return _amount(items)

    figures = {
        "pipeline": money(open_deals),
        "open_deals": len(open_deals) if has_deals else None,
        "won_amount": money(won),
        "won_deals": len(won) if has_deals else None,
        "lost_deals": len(lost) if has_deals else None,
        "win_rate": len(won) / len(closed) if closed else None,
        "at_risk_amount": money(at_risk),
        "past_close": len(flagged["past_close"]) if has_deals else None,
    }
    summary = {
        "open": _total(open_deals),
        "pipeline": pipeline,
        "won": _total(won),
        "lost": _total(lost),
        "win_rate": figures["win_rate"],
        "lost_reasons": lost_reasons,
        "closed": [deal_row(d, process) for d in closed_sorted[:CLOSED_LIMIT]],
        "closed_more": _total(closed_sorted[CLOSED_LIMIT:]),
        "hygiene": {flag: _total(flagged[flag]) for flag in FLAGS},
        "at_risk": _total(at_risk),
        "attention": [row for _, _, row in attention[:ATTENTION_LIMIT]],
        "attention_more": _total([deal for _, deal, _ in attention[ATTENTION_LIMIT:]]),
        "without_calls": _total(no_calls),
        "quiet_days": quiet_days,
    }
    changes = [day for d in deals for day in _change_days(d, first=False)]
    activity = {
        "created": sum(1 for d in deals if d.created is not None and start <= d.created <= end),
        "closed": len(closed),
        "moved": sum(1 for day in changes if start <= day <= end),
        "open": len(open_deals),
    }
    return {"figures": figures, "summary": summary, "activity": activity}
