"""Small HTML fragments the widgets share: escaped text, findings lists, status lines, money and dates.

Everything a rep typed goes through `esc` before it reaches an HTML widget.
"""

from __future__ import annotations


from typing import Iterable

from ..models import Finding, sort_findings
from ..text import escape_html, long_date, short_date  # noqa: F401 - old import path of the page's dates

SEVERITY_LABELS = {"problem": "Fix", "warning": "Improve", "tip": "Tip"}


def esc(text: object) -> str:
    """HTML-escape any value (None becomes an empty string); `callkit.text.escape_html`, the one escaping."""
    return escape_html(text)


def money(amount: float | None) -> str:
    """'$48,000' (no cents), or 'no amount' when the CRM has none."""
    if amount is None:
        return "no amount"
    return f"${amount:,.0f}"


def findings_html(findings: Iterable[Finding], empty: str = "Nothing to fix here.") -> str:
    """A list of findings, worst first, each with its severity, message and tip."""
    items = sort_findings(list(findings))
    if not items:
        return f'<p class="ck-muted">{esc(empty)}</p>'
    rows = []
    for f in items:
        tip = f' <span class="ck-tip">{esc(f.tip)}</span>' if f.tip else ""
        rows.append(
            f'<li class="ck-finding ck-sev-{esc(f.severity)}" data-code="{esc(f.code)}">'
            f'<span class="ck-sev">{SEVERITY_LABELS.get(f.severity, f.severity)}</span> '
            f"{esc(f.message)}{tip}</li>"
        )
    return '<ul class="ck-findings">' + "".join(rows) + "</ul>"


def status_html(message: str, kind: str = "info") -> str:
    """One status line: kind is 'info', 'ok' or 'error'."""
    if not message:
        return ""
    return f'<div class="ck-status ck-status-{esc(kind)}">{esc(message)}</div>'


def badge(text: str, kind: str) -> str:
    """A small coloured label, e.g. an outcome ('advance') or a stage state ('done')."""
    return f'<span class="ck-badge ck-badge-{esc(kind)}">{esc(text)}</span>'
