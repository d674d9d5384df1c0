"""The scorecard's HTML: total band, criteria with the rubric's check labels, three findings first and the rest folded, the suggestion."""

from __future__ import annotations

from datetime import date

from callkit.models import CallPlan
from callkit.scoring.plan import Rubric, score_plan
from callkit.ui.scorecard import Scorecard, check_labels, criteria_html, suggestion_for, total_band, total_html

PLAN = CallPlan(call_id="c1", deal_id="d1", rep_id="r1", call_date=date(2026, 11, 24),
                objective="Demonstrate the <reporting> module")


def test_total_band_and_html():
    assert [total_band(t) for t in (90, 75, 60, 50, 10)] == ["good", "good", "fair", "fair", "poor"]
    score = score_plan(PLAN)
    html = total_html(score)
    assert f'data-total="{score.total}"' in html and "Not ready yet" in html


def test_criteria_use_the_rubric_labels():
    rubric = Rubric.default()
    labels = check_labels(rubric.plan)
    score = score_plan(PLAN, rubric=rubric)
    html = criteria_html(score, labels)
    objective = next(c for c in score.criteria if c.id == "objective")
    first_check = objective.checks[0][0]
    assert labels[("objective", first_check)] in html
    assert html.count("<tr") == len(score.criteria)
    for c in score.criteria:
        assert f'data-criterion="{c.id}"' in html


def test_scorecard_offers_the_suggestion_unless_it_is_already_used():
    card = Scorecard()
    score = score_plan(PLAN)
    card.show(score, PLAN.objective)
    suggestion = score.objective.suggestion
    assert suggestion, "a seller-centric objective gets a suggestion"
    assert card.suggestion == suggestion and card.suggestion_box.layout.display != "none"
    assert "&lt;reporting&gt;" in card.body.value and "<reporting>" not in card.body.value
    used = []
    card.on_use(used.append)
    assert card.use() == suggestion and used == [suggestion]
    assert suggestion_for(score, suggestion) is None
    card.show(score, suggestion)
    assert card.suggestion is None and card.suggestion_box.layout.display == "none"


def test_three_findings_first_the_rest_folded_with_their_count():
    from callkit.models import Finding, sort_findings
    from callkit.ui.markup import esc
    from callkit.ui.scorecard import FIX_FIRST, ScoreBody, more_title, scorecard_html, split_findings

    score = score_plan(PLAN)
    ordered = sort_findings(list(score.findings))
    assert len(ordered) > FIX_FIRST == 3, "a seller-centric plan has more than three findings"
    top, rest = split_findings(score.findings)
    assert top == ordered[:3] and rest == ordered[3:]
    assert more_title(1) == "1 more finding" and more_title(4) == "4 more findings"

    card = Scorecard()
    card.show(score, PLAN.objective)
    body = card.body
    assert isinstance(body, ScoreBody) and body.more_count == len(rest)
    assert body.fix_first.value.count('class="ck-finding ') == 3
    for f in top:
        assert f'data-code="{f.code}"' in body.fix_first.value
    assert body.more_body.value.count('class="ck-finding ') == len(rest)
    assert body.more.titles == (more_title(len(rest)),) and body.more.layout.display == ""
    assert body.more.selected_index is None  # folded until the coach opens it
    assert all(esc(f.message) in body.value for f in ordered)  # `value`: everything the body shows

    body.more.selected_index = 0  # the coach opened it: it stays open while the plan is rescored
    card.show(score_plan(PLAN.model_copy(update={"fallback": "Priya shares the report by Friday"})), PLAN.objective)
    assert body.more.selected_index == 0

    few = [Finding(code="a", severity="tip", message="A tip."), Finding(code="b", severity="problem", message="Fix it.")]
    card.show(score.model_copy(update={"findings": few}), PLAN.objective)
    assert body.more.layout.display == "none" and body.more_count == 0
    assert body.fix_first.value.index('data-code="b"') < body.fix_first.value.index('data-code="a"')  # worst first
    card.show(score.model_copy(update={"findings": []}), PLAN.objective)
    assert "Nothing to fix" in body.fix_first.value

    static = scorecard_html(score)
    assert static.count("<details") == 1 and f"<summary>{more_title(len(rest))}</summary>" in static
    assert static.index("<details") > static.index(f'data-code="{top[-1].code}"')
