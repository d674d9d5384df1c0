"""How amounts, counts and changes read in a report: "$412k", "3 open deals", "+5 pts".

Plain Python: the report kernels, the index and the terminal all use it. Counting, joining and dates come
from callkit/text.py, so a report says "1 deal" and "24 Nov 2026" the way every other page of callkit does.
"""

from __future__ import annotations

from ..text import counted

CURRENCY = "$"  # deal amounts are shown in the CRM's currency; callkit does not convert


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

