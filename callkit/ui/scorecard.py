"""The live scorecard next to the plan form: total, the suggested objective, what to fix first, each criterion.

It opens with at most three findings, worst first (what to fix before the call); the others wait under a
"more" fold that says how many, so a projector shows the few things that matter.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import ipywidgets as widgets

from ..models import Finding, sort_findings
from ..text import counted
from .events import guarded
from .markup import esc, findings_html, status_html
from .fields import classed

GOOD, FAIR = 75, 50  # total bands for the colour of the big number
FIX_FIRST = 3  # findings shown before the "more" fold
NOTHING_TO_FIX = "Nothing to fix: this plan is solid."


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


def split_findings(findings: Sequence[Finding], first: int = FIX_FIRST) -> tuple[list[Finding], list[Finding]]:
    """(the `first` findings to fix first, the rest), worst first."""
    ordered = sort_findings(list(findings))
    return ordered[:first], ordered[first:]


def more_title(count: int) -> str:
    """The fold's title: '2 more findings' / '1 more finding'."""
    return counted(count, "more finding")


def fix_first_html(score: Any, first: int = FIX_FIRST) -> str:
    """'What to fix first': at most `first` findings, worst first."""
    top, _rest = split_findings(score.findings, first)
    return '<h3>What to fix first</h3>' + findings_html(top, empty=NOTHING_TO_FIX)


def more_findings_html(score: Any, first: int = FIX_FIRST) -> str:
    """The findings after the first few (inside the "more" fold), or '' when there are none."""
    _top, rest = split_findings(score.findings, first)
    return findings_html(rest) if rest else ""


def criteria_section_html(score: Any, labels: Mapping[tuple[str, str], str] | None = None) -> str:
    """'What scores what' and the criteria table."""
    return '<h3>What scores what</h3>' + criteria_html(score, labels)


def scorecard_html(score: Any, labels: Mapping[tuple[str, str], str] | None = None, first: int = FIX_FIRST) -> str:
    """The scorecard as one page fragment: the first findings, the rest in a <details> fold, then the criteria."""
    _top, rest = split_findings(score.findings, first)
    more = (f'<details class="ck-more"><summary>{esc(more_title(len(rest)))}</summary>'
            f'{more_findings_html(score, first)}</details>') if rest else ""
    return fix_first_html(score, first) + more + criteria_section_html(score, labels)


class ScoreBody(widgets.VBox):
    """What to fix first, the "more" fold (an Accordion: it stays open while the scorecard updates), the criteria."""

    def __init__(self, first: int = FIX_FIRST):
        self.first = first
        self.fix_first = classed(widgets.HTML(""), "ck-fix-first")
        self.more_body = widgets.HTML("")
        self.more = classed(widgets.Accordion(children=[self.more_body], selected_index=None,
                                              layout=widgets.Layout(display="none")), "ck-more")
        self.criteria = classed(widgets.HTML(""), "ck-criteria-section")
        self.more_count = 0  # how many findings wait under the fold
        super().__init__([self.fix_first, self.more, self.criteria])

    def show(self, score: Any, labels: Mapping[tuple[str, str], str] | None = None) -> None:
        """Render a score: the first findings, how many more (folded), the criteria."""
        _top, rest = split_findings(score.findings, self.first)
        self.more_count = len(rest)
        self.fix_first.value = fix_first_html(score, self.first)
        self.more_body.value = more_findings_html(score, self.first)
        self.more.titles = (more_title(len(rest)),)
        if not rest:
            self.more.selected_index = None
        self.more.layout.display = "" if rest else "none"
        self.criteria.value = criteria_section_html(score, labels)

    @property
    def value(self) -> str:
        """Everything the body shows, as one HTML text (the first findings, the folded ones, the criteria)."""
        return self.fix_first.value + self.more_body.value + self.criteria.value


class Scorecard(widgets.VBox):
    """Shows a PlanScore; the 'Use this objective' button hands the suggestion to `on_use` listeners."""

    def __init__(self, labels: Mapping[tuple[str, str], str] | None = None) -> None:
        self.labels = dict(labels or {})
        self.score: Any = None
        self.suggestion: str | None = None
        self._listeners: list[Callable[[str], None]] = []
        self.total = classed(widgets.HTML(""), "ck-score-total")
        self.body = classed(ScoreBody(), "ck-score-body")
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
        self.body.show(score, self.labels)
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
