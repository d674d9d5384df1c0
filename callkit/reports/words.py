"""How figures, amounts, counts and changes read in a report: "62%", "$412k", "3 open deals", "+5 pts".

Plain Python: the report kernels, the index and the terminal all use it. Counting, joining and dates come
from callkit/text.py, so a report says "1 deal" and "24 Nov 2026" the way every other page of callkit does.
"""

from __future__ import annotations

from typing import Any

from .data import FIGURES
from ..text import counted

CURRENCY = "$"  # deal amounts are shown in the CRM's currency; callkit does not convert
_CLOSE = {"%": 0.05, "score": 5.0, "x": 0.3, "n": 0.0}
_CLOSE_MONEY = 0.10  # amounts within 10% of the team median are "about the same"


def money(amount: float | None) -> str:
    """A total as a manager reads it at a glance: $950, $48k, $412k, $1.3M ('–' when unknown)."""
    if amount is None:
        return "–"
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    if value >= 999_500:
        text = f"{value / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"
    elif value >= 9_950:
        text = f"{value / 1000:.0f}k"
    elif value >= 1000:
        text = f"{value / 1000:.1f}".rstrip("0").rstrip(".") + "k"
    else:
        text = f"{value:.0f}"
    return f"{sign}{CURRENCY}{text}"


def money_full(amount: float | None) -> str:
    """One deal's amount to the unit: $48,000 ('no amount' when the CRM left it blank)."""
    if amount is None:
        return "no amount"
    return f"{CURRENCY}{amount:,.0f}"


def count_and_money(count: int, amount: float | None, word: str = "deal") -> str:
    """'3 deals, $412k' (the amount left out when none of them has one)."""
    text = counted(count, word)
    return f"{text}, {money(amount)}" if amount else text


def total_money(total: dict) -> str:
    """The amount of a group of deals ({'count', 'amount', 'unpriced'}): '$412k', or 'no amounts' when the CRM
    gave none of them an amount (open deals in many exports get one only when they close)."""
    if total.get("count") and total.get("unpriced") == total.get("count"):
        return "no amounts"
    return money(total.get("amount"))


def _count(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def fmt_figure(key: str, value: float | None) -> str:
    """A headline figure as a reader sees it: 62%, 71, 2.4, 9, $412k."""
    if value is None:
        return "–"
    unit = FIGURES[key].unit
    if unit == "%":
        return f"{round(100 * value)}%"
    if unit == "score":
        return f"{value:.0f}"
    if unit == "x":
        return f"{value:.1f}"
    if unit == "$":
        return money(value)
    return _count(value)


def _shown(key: str, value: float) -> float:
    """The figure as rounded on the page: changes are the difference of what the reader sees."""
    unit = FIGURES[key].unit
    if unit == "%":
        return round(100 * value)
    if unit == "score":
        return float(f"{value:.0f}")
    if unit == "x":
        return round(value, 1)
    return value


def change(key: str, now: float | None, before: float | None) -> tuple[str, str]:
    """(css class, words) for a figure's change against the previous period: '+5 pts', '-$40k', 'same'.

    The change is the difference of the two figures as the page shows them, so 62% after 57% reads +5 pts.
    """
    if now is None or before is None:
        return "ck-same", "–"
    unit, higher_better = FIGURES[key].unit, FIGURES[key].higher_is_better
    diff = _shown(key, now) - _shown(key, before)
    if abs(diff) < 1e-9:
        return "ck-same", "same"
    sign = "+" if diff > 0 else "-"
    if unit == "%":
        text = f"{sign}{abs(diff):.0f} pts"
    elif unit == "$":
        text = sign + money(abs(diff))
    elif unit == "x":
        text = f"{sign}{abs(diff):.1f}"
    else:
        text = f"{sign}{_count(abs(diff))}"
    if higher_better is None:
        return "ck-same", text
    return ("ck-better" if (diff > 0) == higher_better else "ck-worse"), text


def compare(key: str, mine: float | None, team: float | None) -> tuple[str, str]:
    """(css class, words) comparing the rep's figure with the team median."""
    unit, higher_better = FIGURES[key].unit, FIGURES[key].higher_is_better
    if mine is None or team is None or higher_better is None:
        return "ck-same", ""
    diff = mine - team
    close = _CLOSE_MONEY * abs(team) if unit == "$" else _CLOSE[unit]
    if abs(diff) <= close:
        return "ck-same", "about the same"
    better = (diff > 0) == higher_better
    return ("ck-better" if better else "ck-worse"), ("better than the team" if better else "below the team")


def team_value(team: dict[str, Any], key: str) -> float | None:
    """What the rep's figure is compared with: the team median, and for the win rate the team's own rate."""
    return (team.get("benchmark") or team["medians"]).get(key)
