"""The HTML of a workbook page: an item, the feedback after Check, the saved answer, the progress strip, the summary.

Plain functions of the session and the check results, so tests read what a rep would see. Every text a rep
typed goes through `esc`. The figures (right first time, passed, passed after help, accuracy) all come from
callkit.exercises.figures, so the strip, the summary and the coach's report say the same.
"""

from __future__ import annotations

from ...exercises.checks import CheckResult
from ...exercises.figures import AFTER_HELP, NOT_PASSED, OPEN, PASSED, ItemFigures, describe_tries
from ...exercises.items import Item
from ...exercises.kinds import CheckContext, kind_of
from ...exercises.kinds.objective import ObjectiveItem, preview_html
from ...exercises.progress import ExerciseSession
from ...models import ExerciseResult
from ...process import SalesProcess
from ..markup import esc, status_html

EXTRA_CSS = """
<style>
.ck-ex-item blockquote { border-left: 4px solid #84caff; margin: 6px 0; padding: 4px 12px; background: #f5faff; }
.ck-ex-pass { color: #067647; font-weight: 600; } .ck-ex-fail { color: #b42318; font-weight: 600; }
.ck-ex-help { color: #b54708; font-weight: 600; } .ck-ex-open { color: #98a2b3; }
.ck-ex-feedback ul { margin: 4px 0; padding-left: 18px; } .ck-ex-feedback li { margin: 3px 0; }
.ck-ex-feedback li.ck-ex-check { list-style: none; margin-left: -16px; }
.ck-ex-box { border: 1px solid #d0d5dd; border-radius: 8px; padding: 8px 12px; margin: 6px 0; }
.ck-ex-box-pass { background: #ecfdf3; border-color: #abefc6; } .ck-ex-box-fail { background: #fffaeb; border-color: #fedf89; }
.ck-ex-box-help { background: #fef6ee; border-color: #f9dbaf; }
.ck-ex-choice .widget-toggle-button, .ck-ex-outcome .widget-toggle-button { min-width: 8em; }
.ck-ex-confirm { border: 1px solid #84caff; border-radius: 8px; padding: 6px 12px; margin: 6px 0; background: #f5faff; }
</style>
"""
MARKS = {PASSED: ("✓", "pass"), AFTER_HELP: ("◐", "help"), NOT_PASSED: ("✗", "fail"), OPEN: ("○", "open")}
STATE_WORDS = {PASSED: "passed", AFTER_HELP: "passed after help", NOT_PASSED: "not passed yet", OPEN: "open"}


def item_html(item: Item, number: int, total: int, process: SalesProcess | None = None, retry: bool = False) -> str:
    """The item as the rep reads it: 'Item n of m' (or 'Retry n of m'), its context and what to do."""
    ctx = CheckContext(process) if process is not None else CheckContext()
    head = f"<h3>{'Retry' if retry else 'Item'} {number} of {total}</h3>"
    return f'<div class="ck-ex-item">{head}{kind_of(item).item_html(item, ctx)}</div>'


def item_title(item: Item, limit: int = 70) -> str:
    """A short line naming the item in the summary."""
    flat = " ".join(kind_of(item).title(item).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _verdict(passed: bool, after_help: bool) -> tuple[str, str]:
    if passed and after_help:
        return "Passed after help", "help"
    return ("Passed", "pass") if passed else ("Not yet", "fail")


def feedback_html(result: CheckResult, after_help: bool = False) -> str:
    """The verdict and every message, right after Check; a pass after the answer was shown says so."""
    if result.blank:
        return status_html(" ".join(result.notes), "info")
    verdict, css = _verdict(result.passed, after_help)
    checks = "".join(
        f'<li class="ck-ex-check"><span class="ck-ex-{"pass" if c.passed else "fail"}">{"✓" if c.passed else "✗"}</span> {esc(c.message)}</li>'
        for c in result.checks
    )
    notes = "".join(f"<li>{esc(n)}</li>" for n in result.notes)
    help_line = ('<p class="ck-muted">The feedback had already shown you the answer, so this counts as passed after '
                 "help: it does not change your first-try result or your best score.</p>") if css == "help" else ""
    return (
        f'<div class="ck-ex-box ck-ex-box-{css} ck-ex-feedback"><b class="ck-ex-{css}">{verdict}</b> '
        f'<span class="ck-muted">(score {result.score:.0%})</span><ul>{checks}{notes}</ul>{help_line}</div>'
    )


def saved_feedback_html(saved: ExerciseResult, tries: int, figures: ItemFigures | None = None) -> str:
    """What the rep answered last time, with the feedback they got, for an item already done."""
    status = figures.status if figures is not None else (PASSED if saved.passed else NOT_PASSED)
    css = {PASSED: "pass", AFTER_HELP: "help"}.get(status, "fail")
    verdict = {PASSED: "Passed", AFTER_HELP: "Passed after help"}.get(status, "Not passed yet")
    first = ""
    if figures is not None:
        first = " Right first time." if figures.first_passed else " Not right first time."
    lines = "".join(f"<li>{esc(line)}</li>" for line in saved.feedback.splitlines() if line.strip())
    return (
        f'<div class="ck-ex-box ck-ex-box-{css} ck-ex-feedback"><b class="ck-ex-{css}">{verdict}</b> '
        f'<span class="ck-muted">- you checked this item {describe_tries(tries)}.{first} Your last answer:</span>'
        f"<blockquote>{esc(saved.answer)}</blockquote><ul>{lines}</ul>"
        '<span class="ck-muted">Change your answer and press Check to try again, or go on with Next.</span></div>'
    )


def progress_strip_html(session: ExerciseSession) -> str:
    """One mark per item in this round's order - passed, passed after help, not passed, open - the current one framed."""
    figures = session.figures()
    marks = []
    current = session.current.id if session.current is not None else None
    for n, item_id in enumerate(session.order):
        status = figures.status(item_id)
        mark, css = MARKS[status]
        frame = ' style="outline: 2px solid #2e90fa; border-radius: 3px;"' if item_id == current else ""
        marks.append(f'<span class="ck-ex-{css}" title="Item {n + 1}: {STATE_WORDS[status]}"{frame}>&nbsp;{mark}&nbsp;</span>')
    return f"<b>{esc(figures.strip_text())}</b>&nbsp;&nbsp;" + "".join(marks)


def notices_html(session: ExerciseSession) -> str:
    """What the rep must know about their saved answers, one status line each ("" when all is well): answers that
    could not be read back (damaged in the workspace), and answers checked but not saved yet because the workspace
    is busy or read-only."""
    return status_html(session.notice, "error") + status_html(session.save_notice, "error")


def summary_html(session: ExerciseSession) -> str:
    """The end of the workbook: one sentence, then one row per item with its first try, best score and result."""
    rows = []
    for row in session.summary():
        item = session.workbook.item(row.item_id)
        mark, css = MARKS[row.status]
        first = "–" if not row.tries else ("✓" if row.first_passed else "✗")
        rows.append(
            f"<tr><td>{row.number}</td><td>{esc(item_title(item))}</td><td>{row.tries}</td><td>{first}</td>"
            f'<td>{row.best_score:.0%}</td><td class="ck-ex-{css}">{mark} {STATE_WORDS[row.status]}</td></tr>'
        )
    return (
        f"<h3>Summary: {esc(session.workbook.title)}</h3><p>{esc(session.summary_text())}</p>"
        '<table class="ck-table"><tr><th>#</th><th>Item</th><th>Tries</th><th>Right first time</th>'
        "<th>Best score</th><th>Result</th></tr>" + "".join(rows) + "</table>"
        '<p class="ck-muted">Passed after help: the feedback had shown the answer before you got it right. '
        "Your best score counts only the tries before that.</p>"
    )


def objective_preview_html(item: ObjectiveItem, text: str, process: SalesProcess | None = None) -> str:
    """A live line under the rewrite while the rep types: specific, advance, realistic, and this deal."""
    return preview_html(item, text, CheckContext(process) if process is not None else CheckContext())
