"""The live scorecard next to the plan form: total, each criterion, findings worst first, the suggested objective."""

from __future__ import annotations

from typing import Any, Callable, Mapping

import ipywidgets as widgets

from .events import guarded
from .markup import esc, findings_html, status_html
from .fields import classed

GOOD, FAIR = 75, 50  # total bands for the colour of the big number


def total_band(total: int) -> str:
    """'good', 'fair' or 'poor' for a 0..100 total."""
    return "good" if total >= GOOD else "fair" if total >= FAIR else "poor"


def suggestion_for(score: Any, objective: str) -> str | None:
    """The scorer's better objective, unless it is what the coach already has."""
    suggestion = getattr(score.objective, "suggestion", None)
    if not suggestion or suggestion.strip() == objective.strip():
        return None
    return suggestion


def total_html(score: Any) -> str:
    """The big number and whether the plan is ready."""
    ready = (
        '<div class="ck-ready">Ready for the call.</div>'
        if score.ready
        else '<div class="ck-not-ready">Not ready yet: fix what is listed under <i>What to fix first</i>.</div>'
    )
    return (
        f'<div class="ck-total ck-total-{total_band(score.total)}" data-total="{int(score.total)}">'
        f'{int(score.total)}<span class="ck-muted" style="font-size:18px"> / 100</span></div>{ready}'
    )


def check_labels(rules: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """{(criterion id, check id): the rubric's label for it}, from a Rubric's plan or debrief rules."""
    return {(cid, check_id): check.label for cid, rule in rules.items() for check_id, check in rule.checks.items()}


def criteria_html(score: Any, labels: Mapping[tuple[str, str], str] | None = None) -> str:
    """One row per criterion: label, a bar, its points of its weight and the checks it made (✓ / ✗)."""
    labels = labels or {}
    rows = []
    for c in score.criteria:
        pct = max(0, min(100, round(c.score * 100)))
        checks = " · ".join(("✓ " if passed else "✗ ") + esc(labels.get((c.id, name), name.replace("_", " ")))
                            for name, passed in c.checks)
        points = f"{round(c.score * c.weight)} of {round(c.weight)}" if c.checks else "not scored"
        rows.append(
            f'<tr data-criterion="{esc(c.id)}"><td><b>{esc(c.label)}</b><div class="ck-checks">{checks}</div></td>'
            f'<td><span class="ck-bar"><span style="width:{pct}%"></span></span></td><td>{points}</td></tr>'
        )
    return '<table class="ck-criteria">' + "".join(rows) + "</table>"


def scorecard_html(score: Any, labels: Mapping[tuple[str, str], str] | None = None) -> str:
    """Findings worst first, then the criteria (the total is shown separately, larger)."""
    return (
        '<h3>What to fix first</h3>' + findings_html(score.findings, empty="Nothing to fix: this plan is solid.")
        + '<h3>What scores what</h3>' + criteria_html(score, labels)
    )


class Scorecard(widgets.VBox):
    """Shows a PlanScore; the 'Use this objective' button hands the suggestion to `on_use` listeners."""

    def __init__(self, labels: Mapping[tuple[str, str], str] | None = None) -> None:
        self.labels = dict(labels or {})
        self.score: Any = None
        self.suggestion: str | None = None
        self._listeners: list[Callable[[str], None]] = []
        self.total = classed(widgets.HTML(""), "ck-score-total")
        self.body = classed(widgets.HTML(""), "ck-score-body")
        self.suggestion_text = widgets.HTML("")
        self.use_button = widgets.Button(description="Use this objective", button_style="success",
                                         layout=widgets.Layout(width="auto"))
        self.use_button.add_class("ck-use-suggestion")
        self.status = widgets.HTML("")
        self.suggestion_box = widgets.VBox([self.suggestion_text, self.use_button],
                                           layout=widgets.Layout(display="none"))
        self.use_button.on_click(guarded(lambda _b: self.use(), self.report))
        super().__init__([widgets.HTML("<h2>Scorecard</h2>"), self.total, self.suggestion_box, self.body, self.status])
        self.add_class("ck-scorecard")

    def report(self, message: str) -> None:
        """Show a problem inside the scorecard."""
        self.status.value = status_html(message, "error")

    def show(self, score: Any, objective: str = "") -> None:
        """Render a PlanScore (and offer its suggested objective when it differs from `objective`)."""
        self.score = score
        self.status.value = ""
        self.total.value = total_html(score)
        self.body.value = scorecard_html(score, self.labels)
        self.suggestion = suggestion_for(score, objective)
        if self.suggestion:
            self.suggestion_text.value = (
                '<b>A better objective</b><div class="ck-suggestion-text ck-suggestion">'
                f"{esc(self.suggestion)}</div>"
            )
            self.suggestion_box.layout.display = ""
        else:
            self.suggestion_text.value = ""
            self.suggestion_box.layout.display = "none"

    def on_use(self, callback: Callable[[str], None]) -> None:
        """Call `callback(suggestion)` when the coach clicks 'Use this objective'."""
        self._listeners.append(callback)

    def use(self) -> str | None:
        """Hand the current suggestion to the listeners (what the button does); returns it."""
        suggestion = self.suggestion
        if suggestion:
            for callback in self._listeners:
                callback(suggestion)
        return suggestion
