"""Kind `value` (workbook 03): what's in it for the customer to invest their time in this call, now?

The customer-value rules (assess_customer_value) judge whether an answer is in the customer's terms. The
item adds what this customer is after, in the scenario's words (`their_terms`: an answer that touches none
of it could be said to anyone), and what of the seller-centric draft it must not offer again
(`not_restate`). When the scenario gives nobody enough to answer (`ready: false`), the right answer is to
reschedule the call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field, model_validator

from ...models import sort_findings
from ...ui.markup import esc
from .. import text as words
from ..results import CheckResult, CheckSpec, blank_result, scored
from .registry import register_kind
from .base import CheckContext, ExerciseKind, ItemBase, NotRestate, Text, WordList, restatement

RESCHEDULE_MARK = "[reschedule]"  # in a labelled answers file: the reschedule box is ticked
RESCHEDULE_SAID = "I would reschedule this call."
RESCHEDULE_RULE = (
    "The article's rule: if you can't say what's in it for the customer to invest their time now, "
    "you aren't ready for the call - reschedule it."
)


class ValueItem(ItemBase):
    """A call scenario: write what's in it for the customer, or reschedule when nobody could."""

    scenario: Text
    draft: Text | None = None
    ready: bool = True
    why: Text
    example: Text | None = None
    their_terms: WordList = Field(default_factory=list)  # what this customer is after, in the scenario's words
    not_restate: list[NotRestate] = Field(default_factory=list)

    @model_validator(mode="after")
    def _example_when_ready(self) -> "ValueItem":
        if self.ready and not self.example:
            raise ValueError("an item with ready: true needs an example answer")
        return self


@dataclass(frozen=True)
class ValueAnswer:
    """An answer to 'what's in it for the customer?': the text, or the choice to reschedule."""

    text: str = ""
    reschedule: bool = False

    def describe(self) -> str:
        """The answer as saved: the text, or "I would reschedule this call." and any note."""
        if self.reschedule:
            return RESCHEDULE_SAID + (f" {self.text.strip()}" if self.text.strip() else "")
        return self.text.strip()

    @classmethod
    def from_saved(cls, saved: str) -> "ValueAnswer":
        """The answer back from its saved words."""
        if saved.startswith(RESCHEDULE_SAID):
            return cls(saved[len(RESCHEDULE_SAID):].strip(), True)
        return cls(saved, False)


CUSTOMER_TERMS = CheckSpec(
    "customer_value",
    "In the customer's terms: it says what they get for investing their time in this call.",
    "Still about us: say what the customer gets for their time, in their terms, not what we will show or tell.",
)
THEIR_STAKES = CheckSpec(
    "their_stakes",
    "It is about what this customer is after.",
    "It could be said to any customer: tie it to what this one is after, in the scenario's own words.",
)
READY = CheckSpec(
    "ready",
    "Right: nobody could answer it from what you know, so you are not ready for this call - reschedule it.",
    "You could not really answer this one: nothing in the scenario says what this customer is trying to achieve.",
)
NOT_READY = CheckSpec(
    "ready",
    "You know enough to answer it.",
    "You know enough to answer this one, so don't reschedule: write what's in it for them.",
)


def check_customer_value(item: ValueItem, answer: ValueAnswer, ctx: CheckContext | None = None) -> CheckResult:
    """Judge 'what's in it for the customer': the customer-value rules, this customer's stakes, the reschedule rule."""
    from ...scoring.value import assess_customer_value

    text = " ".join(answer.text.split())
    said = answer.describe()
    if not item.ready:
        if answer.reschedule:
            return CheckResult(True, 1.0, (READY.run(True),), (item.why,), said)
        if words.is_blank(text):
            return blank_result("Write what's in it for the customer - or tick reschedule if nobody could say.")
        return CheckResult(False, 0.0, (READY.run(False),), (item.why, RESCHEDULE_RULE), said, reveals_key=True)
    if answer.reschedule:
        return CheckResult(False, 0.0, (NOT_READY.run(False),), (item.why,), said)
    if words.is_blank(text):
        return blank_result("Write what's in it for the customer first - or tick reschedule if nobody could say.")
    if item.draft and words.same_words(text, item.draft):
        check = CUSTOMER_TERMS.run(False, failure="That is the draft as it stands: rewrite it in the customer's terms.")
        return CheckResult(False, 0.0, (check,), (item.why,), text)
    found = assess_customer_value(text)
    findings = [f for f in sort_findings(found.findings) if f.severity != "tip"]
    said_again = restatement(text, item.not_restate)
    rules_ok = found.is_customer_centric and said_again is None
    rules_fail = None
    if said_again:
        rules_fail = f'It still offers what the draft offered ("{said_again[0]}"): {said_again[1].why}'
    elif findings:
        rules_fail = f"Still about us: {findings[0].message}" if findings[0].code.endswith("about_us") else findings[0].message
    checks = [CUSTOMER_TERMS.run(rules_ok, failure=rules_fail)]
    if item.their_terms:
        checks.append(THEIR_STAKES.run(words.shares_meaning(text, item.their_terms)))
    passed = all(c.passed for c in checks)
    if passed:
        notes = [f"The coach's version: {item.example}"]
    else:
        shown = {c.message for c in checks}
        notes = [str(f) for f in findings if not any(f.message in m for m in shown)] + [item.why]
    return CheckResult(passed, scored(tuple(checks)), tuple(checks), tuple(words.unique(notes)), text)


class ValueForm:
    """A text box for the customer's gain, and a reschedule tick box."""

    def __init__(self, item: ValueItem):
        import ipywidgets as widgets

        from ...ui.fields import LabeledField, textarea

        self.text = textarea("They get ... / She leaves with ...", rows=3)
        self.reschedule = widgets.Checkbox(
            description="Reschedule: nobody could answer this from what I know", indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.reschedule.add_class("ck-ex-reschedule")
        self.widget = widgets.VBox([LabeledField("What's in it for the customer", self.text), self.reschedule])

    def value(self) -> ValueAnswer:
        return ValueAnswer(self.text.value, bool(self.reschedule.value))

    def restore(self, saved: Any) -> None:
        answer = ValueAnswer.from_saved(saved.answer)
        self.reschedule.value = answer.reschedule
        self.text.value = answer.text


class ValueKind(ExerciseKind):
    name = "value"
    model = ValueItem
    what_to_do = "say what's in it for the customer, or reschedule"
    title_field = "scenario"
    form_class = ValueForm

    def coerce(self, answer: object) -> object:
        if isinstance(answer, ValueAnswer):
            return answer
        return ValueAnswer("" if answer is None else str(answer))

    def check(self, item: ValueItem, answer: Any, ctx: CheckContext) -> CheckResult:
        return check_customer_value(item, self.coerce(answer), ctx)  # type: ignore[arg-type]

    def item_html(self, item: ValueItem, ctx: CheckContext) -> str:
        draft = f"<p><b>A colleague's draft:</b> <q>{esc(item.draft)}</q></p>" if item.draft else ""
        return (
            f"<blockquote>{esc(item.scenario)}</blockquote>{draft}"
            "<p>What's in it for the customer to invest their time in this call, now? Write it in their terms - "
            "or tick <b>reschedule</b> if nobody could answer that from what you know.</p>"
        )


    def from_notation(self, written: str) -> object:
        text = written.strip()
        if text.lower().startswith(RESCHEDULE_MARK):
            return ValueAnswer(text[len(RESCHEDULE_MARK):].strip(), True)
        return ValueAnswer(written)

    def model_answer(self, item: ValueItem, ctx: CheckContext) -> object:
        return ValueAnswer(item.example or "", reschedule=not item.ready)


register_kind(ValueKind())
