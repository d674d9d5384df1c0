"""Kind `classify` (workbook 01): sort a call objective or a call outcome into its category.

Objectives are an advance (the client acts), a continuation (nobody commits to anything) or a seller action
(what we will do). Outcomes are the four of a debrief (SPIN's): an order, an advance, a continuation or no
sale - the same words workbook 05 uses, from the one table below.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import model_validator

from ...models import OUTCOME_LABELS as MODEL_OUTCOME_LABELS
from ...models import OUTCOME_PHRASES, OUTCOMES, sort_findings
from ...scoring.objective import CHECK_CODES
from ...text import join
from ..results import CheckResult, CheckSpec, blank_result
from .registry import register_kind
from .base import CheckContext, ExerciseKind, ItemBase, Text

OBJECTIVE_LABELS: dict[str, str] = {"advance": "an advance", "continuation": "a continuation", "seller_action": "a seller action"}
OUTCOME_LABELS: dict[str, str] = OUTCOME_PHRASES  # "an order", ..., "no sale": the outcomes' one home is models
# the button texts, also what is saved as the answer: the outcomes' labels, and the objectives' third category
CHOICES: dict[str, str] = {**MODEL_OUTCOME_LABELS, "seller_action": "Seller action"}
OBJECTIVE_CHOICES = ("advance", "continuation", "seller_action")
OUTCOME_CHOICES = OUTCOMES
OLD_SELLER_LABEL = "not_client_action"  # the earlier name of seller_action (objectives only)


def labels_for(about: str) -> dict[str, str]:
    """The categories an objective or an outcome is sorted into, with their words."""
    return OBJECTIVE_LABELS if about == "objective" else OUTCOME_LABELS


class ClassifyItem(ItemBase):
    """An objective to sort into advance, continuation or seller action; or an outcome into order, advance,
    continuation or no sale."""

    about: Literal["objective", "outcome"]
    text: Text
    answer: str
    why: Text

    @model_validator(mode="before")
    @classmethod
    def _answer_fits_about(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("about") not in ("objective", "outcome"):
            return data
        answer = data.get("answer")
        key = answer.strip().lower() if isinstance(answer, str) else answer
        if data["about"] == "objective":
            if key == OLD_SELLER_LABEL:
                key = "seller_action"
            if key not in OBJECTIVE_CHOICES:
                raise ValueError(f"answer {answer!r} must be one of advance, continuation or seller_action for an objective")
        elif key not in OUTCOME_CHOICES:
            hint = (" ('not_client_action' describes an objective; use continuation when the client committed to nothing)"
                    if key == OLD_SELLER_LABEL else "")
            raise ValueError(f"answer {answer!r} must be one of {join(OUTCOMES, 'or')} for an outcome{hint}")
        return {**data, "answer": key}


CLASSIFY = CheckSpec("classification", "Right: it is {right}.", "Not quite: it is {right} - you chose {given}.")
# assess_objective's finding codes, by the category they explain (their one home is the objective rules).
_PREFERRED = {
    "seller_action": CHECK_CODES["advance"],
    "continuation": CHECK_CODES["specific"] | {"objective.continuation", "objective.not_advance"},
}


def read_choice(item: ClassifyItem, answer: object) -> str | None:
    """The category a rep chose (a key, or a button's text), or None when it is not one for this item."""
    if not isinstance(answer, str):
        return None
    key = answer.strip().lower().replace(" ", "_")
    if key in ("not_a_client_action", OLD_SELLER_LABEL) and item.about == "objective":
        key = "seller_action"
    return key if key in labels_for(item.about) else None


def check_classification(item: ClassifyItem, answer: str | None) -> CheckResult:
    """Which category is it? A wrong choice hears the right one and why (so a later pass is after help)."""
    labels = labels_for(item.about)
    chosen = read_choice(item, answer)
    if chosen is None:
        return blank_result(f"Choose {_either(item.about)} first.")
    right = labels[item.answer]
    ok = chosen == item.answer
    check = CLASSIFY.run(ok, CLASSIFY.success.format(right=right), CLASSIFY.failure.format(right=right, given=labels[chosen]))
    notes = [item.why]
    agreement = _checker_agreement(item)
    if agreement:
        notes.append(agreement)
    return CheckResult(ok, 1.0 if ok else 0.0, (check,), tuple(notes), CHOICES[chosen], reveals_key=not ok)


def _either(about: str) -> str:
    return "advance, continuation or seller action" if about == "objective" else "order, advance, continuation or no sale"


def _checker_agreement(item: ClassifyItem) -> str | None:
    """What callkit's objective checker says about an objective item, when it agrees with the answer."""
    if item.about != "objective":
        return None
    from ...scoring.objective import assess_objective

    found = assess_objective(item.text)
    if found.is_advance != (item.answer == "advance"):
        return None
    if found.is_advance:
        return "callkit's objective checker agrees: the client is the one who acts."
    ranked = sort_findings(found.findings)
    preferred = _PREFERRED[item.answer]
    first = next((f for f in ranked if f.code in preferred), None)
    if first is None:
        return None
    return f"callkit's objective checker agrees: {first.message}"


class ClassifyForm:
    """One button per category; the labels are never cut off."""

    def __init__(self, item: ClassifyItem):
        import ipywidgets as widgets

        from ...ui.fields import classed

        self.item = item
        keys = OBJECTIVE_CHOICES if item.about == "objective" else OUTCOME_CHOICES
        self.choice = classed(
            widgets.ToggleButtons(options=[(CHOICES[k], k) for k in keys], value=None, style={"button_width": "auto"}),
            "ck-ex-choice",
        )
        self.widget = self.choice

    def value(self) -> str | None:
        return self.choice.value

    def restore(self, saved: Any) -> None:
        self.choice.value = read_choice(self.item, saved.answer)


class ClassifyKind(ExerciseKind):
    name = "classify"
    model = ClassifyItem
    what_to_do = "choose the category of an objective or an outcome"
    title_field = "text"
    form_class = ClassifyForm
    answer_field = "answer"

    def coerce(self, answer: object) -> object:
        return answer if isinstance(answer, str) else None

    def check(self, item: ClassifyItem, answer: Any, ctx: CheckContext) -> CheckResult:
        return check_classification(item, self.coerce(answer))  # type: ignore[arg-type]

    def item_html(self, item: ClassifyItem, ctx: CheckContext) -> str:
        from ...ui.markup import esc

        if item.about == "objective":
            return (
                f"<p><b>A call objective, written before the call:</b></p><blockquote>{esc(item.text)}</blockquote>"
                "<p>Is it an <b>advance</b> (the client acts), a <b>continuation</b> (nobody commits to anything) "
                "or a <b>seller action</b> (what we will do)?</p>"
            )
        return (
            f"<p><b>How a call ended:</b></p><blockquote>{esc(item.text)}</blockquote>"
            "<p>Which outcome is it: an <b>order</b>, an <b>advance</b> (the client committed to act), "
            "a <b>continuation</b> (no client commitment) or <b>no sale</b>?</p>"
        )


    def from_notation(self, written: str) -> object:
        return written.strip()


register_kind(ClassifyKind())
