"""Who to coach first: plan quality and deal risk in one order, with the reason in words.

A rep's priority is the sum of three parts, each between 0 and 1, so none of them can hide the others:

- plan quality: how far their average plan score is below the team median (in points out of 100), or how
  far their share of calls with a written plan is below the team's, whichever is larger;
- deal risk: the amount of their open pipeline at risk (past its close date, pushed more than once, stuck
  in a stage, stalled) against the rep with the most at risk (by count when no deal has an amount);
- win rate: how far it is below the team's (all its closed deals), once they closed at least `MIN_CLOSED`
  deals and when it is at least `MIN_WIN_GAP` below.

The reasons are the parts that count, largest first, as a manager would say them:
"3 open deals past their close date, $412k".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..text import counted
from .words import money

MIN_CLOSED = 3  # a win rate on fewer closed deals says little
MIN_WIN_GAP = 0.05  # a win rate less than 5 points below the team's is not a reason to coach
REASON_LIMIT = 3  # reasons shown per rep: the first of each part that counts, then the others


@dataclass
class Priority:
    """How much a rep needs coaching now (higher first) and why, in words."""

    score: float
    reasons: list[str] = field(default_factory=list)
    parts: dict[str, float] = field(default_factory=dict)


def _deal_reasons(deals: Mapping[str, Any]) -> list[str]:
    hygiene = deals["hygiene"]
    out = []
    for flag, word in (("past_close", "open deal past its close date|open deals past their close date"),
                       ("stalled", "stalled deal|stalled deals"),
                       ("pushed", "deal pushed back more than once|deals pushed back more than once"),
                       ("stuck", "deal stuck in its stage|deals stuck in their stage")):
        entry = hygiene.get(flag) or {}
        if entry.get("count"):
            one, many = word.split("|")
            text = counted(entry["count"], one, many)
            out.append(f"{text}, {money(entry['amount'])}" if entry["amount"] else text)
    return out


def coaching_priority(rep: Mapping[str, Any] | None, team: Mapping[str, Any]) -> Priority:
    """The priority of one rep's report data against the team's (`compute.team_data`); None data: no report."""
    if rep is None:
        return Priority(score=0.0, reasons=["no figures: the report could not be built"])
    medians = team["medians"]
    figures = rep["figures"]
    parts: dict[str, float] = {}
    reasons: dict[str, list[str]] = {}

    calls = rep["counts"]["calls"]
    if calls and medians.get("plan_score") is not None:
        score = figures.get("plan_score")
        gap = max(0.0, medians["plan_score"] - (score or 0.0)) / 100
        unplanned = calls - rep["counts"]["planned"]
        share_gap = max(0.0, (medians.get("plan_share") or 0.0) - (figures.get("plan_share") or 0.0))
        parts["plan"] = max(gap, share_gap)
        words = []
        if share_gap > gap:
            words.append(f"no written plan for {unplanned} of {counted(calls, 'call')}")
        elif gap > 0:
            shown = "no plans" if score is None else f"plan score {score:.0f}"
            words.append(f"{shown}, team median {medians['plan_score']:.0f}")
        reasons["plan"] = words

    deals = rep["deals"]
    most = team.get("most_at_risk") or {}
    risk = deals["at_risk"]
    if most.get("amount"):
        parts["deals"] = risk["amount"] / most["amount"]
    elif most.get("count"):
        parts["deals"] = risk["count"] / most["count"]
    reasons["deals"] = _deal_reasons(deals) if risk["count"] else []

    closed = deals["won"]["count"] + deals["lost"]["count"]
    rate, team_rate = figures.get("win_rate"), (team.get("benchmark") or medians).get("win_rate")
    if rate is not None and team_rate is not None and closed >= MIN_CLOSED and team_rate - rate >= MIN_WIN_GAP:
        parts["win_rate"] = team_rate - rate
        reasons["win_rate"] = [f"won {round(100 * rate)}% of {counted(closed, 'closed deal')}, the team "
                               f"{round(100 * team_rate)}%"]

    ordered = sorted((k for k in parts if parts[k] > 0 and reasons.get(k)), key=lambda k: -parts[k])
    words = [reasons[k][0] for k in ordered] + [w for k in ordered for w in reasons[k][1:]]
    return Priority(score=round(sum(parts.values()), 4), reasons=words[:REASON_LIMIT], parts=parts)
