"""The scorecard's HTML: total band, criteria with the rubric's check labels, findings, the suggestion."""

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
