"""Kind `debrief` (workbook 05): debrief a call from its summary - outcome, the client's commitment, open questions.

The outcome is one of the four of workbook 01 (order, advance, continuation, no sale). The commitment is
compared by meaning, part by part: the person must be the one on the client's side who committed (the item
names the client's people in the summary), the action must be the client's and the one they committed to
(`means`: words any of which shows it), and the date must be that commitment's date. An item may accept
more than one commitment (`also_accepted`: for an order, the signature itself). The rep's own words are
shown as theirs; the answer key as "the coach's version".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, cast, get_args

from pydantic import Field, model_validator

from ...models import ADVANCE_OUTCOMES, NO_ADVANCE_OUTCOMES, OUTCOMES, Commitment, Debrief, Learned, Outcome
from ...ui.markup import esc
from ...text import join, long_date
from .. import text as words
from ..results import Check, CheckResult, CheckSpec, blank_result
from .registry import register_kind
from .base import CheckContext, ExerciseKind, ItemBase, Strict, Text, WordList
from .classify import CHOICES, OUTCOME_CHOICES, OUTCOME_LABELS

# The learned topics (models.LEARNED_TOPICS) a coach asks about after the call; the budget is not one of them.
CoachTopic = Literal["urgency", "consequence", "attitude", "competition", "decision_process"]
COACH_TOPICS: tuple[str, ...] = get_args(CoachTopic)
# What a coach asks after the call (Dave Brock's debrief questions).
COACH_QUESTIONS: dict[str, str] = {
    "urgency": "Do you know their sense of urgency, or why they need to buy something?",
    "consequence": "Do you know what happens if they don't buy by the date they told you?",
    "attitude": "Do you know their attitude toward you?",
    "competition": "Do you know their attitude toward the competition?",
    "decision_process": "Do you know how they decide - who, how and by when?",
}
TOPIC_LABELS: dict[str, str] = {
    "urgency": "urgency",
    "consequence": "what happens if they don't buy by their date",
    "attitude": "their attitude to us",
    "competition": "their attitude to the competition",
    "decision_process": "their decision process",
}
# Verbs too general to show which commitment a rep means ("send", "hold"): the default `means` leaves them out.
_GENERIC = frozenset("send get give hold run start join do make have agree book take bring put set last six two three".split())


class ExpectedCommitment(Strict):
    """A client commitment the summary records: who, what, by when, and the words that show it is this one."""

    who: Text
    what: Text
    by: date
    means: WordList = Field(default_factory=list)  # default: the content words of `what`

    def key_words(self) -> list[str]:
        """The words or phrases any of which shows an answer means this commitment."""
        if self.means:
            return list(self.means)
        return [w for w in words.content_words(self.what) if w not in _GENERIC and len(w) >= 3] or [self.what]

    def coach_version(self) -> str:
        return f"{self.who} - {self.what[:1].lower() + self.what[1:]} - by {long_date(self.by)}"


class DebriefItem(ItemBase):
    """A call summary to debrief: outcome, the client's dated commitment, the questions still open."""

    summary: Text
    outcome: Outcome
    why: Text
    commitment: ExpectedCommitment | None = None
    also_accepted: list[ExpectedCommitment] = Field(default_factory=list)
    people: WordList = Field(default_factory=list)  # the client's people in the summary ("Irene Walsh, procurement manager")
    answered: dict[CoachTopic, Text] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _commitment_matches_outcome(self) -> "DebriefItem":
        if self.outcome in ADVANCE_OUTCOMES and self.commitment is None:
            raise ValueError(f"an {self.outcome} needs the client's commitment (who, what, by)")
        if self.outcome in NO_ADVANCE_OUTCOMES and (self.commitment is not None or self.also_accepted):
            raise ValueError(f"a {self.outcome.replace('_', ' ')} has no client commitment: remove it")
        return self

    @property
    def still_to_ask(self) -> list[str]:
        """The coach topics the summary leaves open, in the order a coach asks them."""
        return [t for t in COACH_TOPICS if t not in self.answered]

    @property
    def accepted(self) -> list[ExpectedCommitment]:
        """Every commitment that counts, the main one first."""
        return ([self.commitment] if self.commitment else []) + list(self.also_accepted)


@dataclass(frozen=True)
class DebriefAnswer:
    """A rep's debrief of a call summary: outcome, the client's commitment, the questions a coach would ask."""

    outcome: str | None = None
    who: str = ""
    what: str = ""
    by: date | None = None
    ask: tuple[str, ...] = field(default_factory=tuple)

    @property
    def has_commitment(self) -> bool:
        return bool(self.who.strip() or self.what.strip() or self.by)

    def describe(self) -> str:
        """The debrief as saved, in words."""
        parts = [f"Outcome: {(self.outcome or 'not chosen').replace('_', ' ')}."]
        if self.has_commitment:
            by = self.by.isoformat() if self.by else "no date"
            parts.append(f"Client commitment: {self.who.strip() or 'nobody named'} - {self.what.strip() or 'nothing'} - by {by}.")
        else:
            parts.append("No client commitment.")
        topics = ", ".join(TOPIC_LABELS[t] for t in COACH_TOPICS if t in self.ask) or "nothing"
        parts.append(f"A coach would still ask about: {topics}.")
        return " ".join(parts)

    @classmethod
    def from_saved(cls, saved: str) -> "DebriefAnswer":
        """The answer back from its saved words (what it cannot read stays empty)."""
        m = re.match(r"Outcome: ([a-z ]+)\.", saved)
        outcome = m.group(1).replace(" ", "_") if m else None
        who = what = ""
        by = None
        c = re.search(r"Client commitment: (.*) - (.*) - by (\d{4}-\d{2}-\d{2}|no date)\.", saved)
        if c:
            who = "" if c.group(1) == "nobody named" else c.group(1)
            what = "" if c.group(2) == "nothing" else c.group(2)
            by = date.fromisoformat(c.group(3)) if c.group(3) != "no date" else None
        tail = saved.split("A coach would still ask about:", 1)[-1]
        ask = tuple(t for t in COACH_TOPICS if TOPIC_LABELS[t] in tail)
        return cls(outcome if outcome in OUTCOMES else None, who, what, by, ask)


OUTCOME = CheckSpec("outcome", "Outcome: {right}, right.", "The outcome is {right}, not {given}.")
COMMITMENT = CheckSpec(
    "commitment",
    "Your commitment: {mine} - named, the client's own action, dated.",
    "The client's commitment is not complete: a coach wants who on their side does what, by when.",
)
NO_COMMITMENT = CheckSpec(
    "commitment",
    "No client commitment to record: right, the client committed to nothing with a name and a date.",
    "The client made no commitment with a name and a date in this call: don't record one that wasn't made.",
)
QUESTIONS = CheckSpec("questions", "Coach's questions: right - the summary leaves {open} open.", "Coach's questions: not quite.")


def check_debrief(item: DebriefItem, answer: DebriefAnswer, ctx: CheckContext | None = None) -> CheckResult:
    """Judge a debrief: the outcome, the client's dated commitment (by meaning), and what a coach would still ask."""
    from ...scoring.debrief import score_debrief

    if answer.outcome not in OUTCOMES:
        return blank_result("Choose how the call ended first.")
    right, given = OUTCOME_LABELS[item.outcome], OUTCOME_LABELS[answer.outcome]
    outcome_ok = answer.outcome == item.outcome
    outcome = OUTCOME.run(outcome_ok, OUTCOME.success.format(right=right), OUTCOME.failure.format(right=right, given=given))
    commitments = []
    if answer.what.strip():
        commitments.append(Commitment(who=answer.who.strip(), what=answer.what.strip(), by=answer.by))
    debrief = Debrief(call_id=item.id, outcome=cast(Outcome, answer.outcome), commitments=commitments, learned=Learned(**item.answered))
    scored = score_debrief(debrief)
    commitment, commitment_notes = _commitment_check(item, answer)
    if answer.outcome == "advance" and scored.likely_continuation:
        consistent = next((f for f in scored.findings if f.code.endswith("consistent")), None)
        commitment_notes.insert(0, str(consistent) if consistent else
                                "Marked as an advance, but no client commitment has an owner and a date - it is likely a continuation.")
    open_topics = [t for t in scored.unanswered if t in COACH_TOPICS]
    questions, question_notes = _questions_check(item, answer, open_topics)
    checks = (outcome, commitment, questions)
    passed = all(c.passed for c in checks)
    # the item's why names the commitment: shown once the outcome is wrong anyway, or the debrief passed
    notes = commitment_notes + question_notes + ([item.why] if passed or not outcome_ok else [])
    if passed and item.commitment:
        notes.append(f"The coach's version: {item.commitment.coach_version()}.")
    wrong = len(set(answer.ask) ^ set(open_topics))
    score = (outcome.passed + commitment.passed + (1 - wrong / len(COACH_TOPICS))) / 3
    reveals = not outcome_ok or bool(question_notes)
    return CheckResult(passed, round(score, 3), checks, tuple(words.unique(notes)), answer.describe(), reveals_key=reveals)


def _mine(answer: DebriefAnswer) -> str:
    by = long_date(answer.by) if answer.by else "no date"
    return f"{answer.who.strip()} - {answer.what.strip()} - {by}"


def _commitment_check(item: DebriefItem, answer: DebriefAnswer) -> tuple[Check, list[str]]:
    if not item.accepted:
        return NO_COMMITMENT.run(not answer.has_commitment), []
    if not answer.has_commitment:
        what = "who signed, or what they booked" if item.outcome == "order" else "who on their side does what, by when"
        return COMMITMENT.run(False, failure=f"No client commitment recorded: write {what}."), []
    # the commitment the rep means is the one whose action they wrote; among those, the closest
    found = [_commitment_problems(item, expected, answer) for expected in item.accepted]
    best = min(found, key=lambda problems: (any(p.startswith("What:") for p in problems), len(problems)))
    return COMMITMENT.run(not best, COMMITMENT.success.format(mine=_mine(answer)), best[0] if best else None), best[1:]


def _client_people(item: DebriefItem) -> list[str]:
    return list(item.people) or [c.who for c in item.accepted]


def _commitment_problems(item: DebriefItem, expected: ExpectedCommitment, answer: DebriefAnswer) -> list[str]:
    """What is wrong with the rep's commitment compared with one commitment of the summary, part by part."""
    from ...scoring.objective import assess_objective

    problems = []
    who = answer.who.strip()
    committer = [expected.who] + [p for p in item.people if set(words.name_words(p)) & set(words.name_words(expected.who))]
    if not who:
        problems.append("Who: name the person on the client's side who committed.")
    elif words.is_seller_side(who):
        problems.append("Who: that is our side - name the person on the client's side who committed.")
    elif not any(words.names_person(who, c) for c in committer):
        if any(words.names_person(who, p) for p in _client_people(item)):
            problems.append(f"Who: {who} is on the client's side, but the commitment in the summary is someone else's.")
        else:
            problems.append(f"Who: {who} is not anyone on the client's side in this summary - name who committed.")
    what = answer.what.strip()
    if not what:
        problems.append("What: write what they will do.")
    else:
        found = assess_objective(f"{who or 'They'} {what[:1].lower() + what[1:]}")
        if words.starts_with_us(what) or any(f.code == "objective.seller_action" for f in found.findings):
            problems.append("What: that is our action - write what the client will do.")
        elif not words.shares_meaning(what, expected.key_words()):
            problems.append("What: that is not the commitment the client made in this call - read the summary again.")
    if answer.by is None:
        problems.append("By when: without a date it is not a commitment anyone can check.")
    elif answer.by != expected.by:
        problems.append("By when: that is not the date the summary gives for this commitment.")
    return problems


def _questions_check(item: DebriefItem, answer: DebriefAnswer, open_topics: list[str]) -> tuple[Check, list[str]]:
    asked = set(answer.ask)
    notes = [f"A coach would still ask: {COACH_QUESTIONS[t]}" for t in open_topics if t not in asked]
    notes += [
        f'The summary already answers {TOPIC_LABELS[t]}: "{item.answered[t]}"'
        for t in COACH_TOPICS
        if t in asked and t not in open_topics and t in item.answered
    ]
    ok = not notes
    opened = join([TOPIC_LABELS[t] for t in open_topics]) or "nothing"
    if not open_topics:
        success = "Coach's questions: right - the summary answers every question a coach would ask."
    else:
        success = QUESTIONS.success.format(open=opened)
    return QUESTIONS.run(ok, success), notes


class DebriefAnswerForm:
    """Outcome, the client's commitment (who, what, by when), and the questions a coach would still ask."""

    def __init__(self, item: DebriefItem):
        import ipywidgets as widgets

        from ...ui.fields import LabeledField, classed

        self.outcome = classed(widgets.ToggleButtons(
            options=[(CHOICES[key], key) for key in OUTCOME_CHOICES], value=None, style={"button_width": "auto"},
        ), "ck-ex-outcome")
        self.who = widgets.Text(placeholder="Who on the client's side", layout=widgets.Layout(width="240px"))
        self.what = widgets.Text(placeholder="will do what", layout=widgets.Layout(width="400px"))
        self.by = widgets.DatePicker(layout=widgets.Layout(width="170px"))
        for w, css in ((self.who, "who"), (self.what, "what"), (self.by, "by")):
            w.add_class(f"ck-ex-{css}")
        self.asks: dict[str, Any] = {
            t: widgets.Checkbox(description=COACH_QUESTIONS[t], indent=False, layout=widgets.Layout(width="auto"))
            for t in COACH_TOPICS
        }
        self.widget = widgets.VBox([
            LabeledField("How did the call end?", self.outcome),
            LabeledField("The client's commitment (leave it blank if there was none)", widgets.HBox([self.who, self.what, self.by])),
            LabeledField("What would a coach still ask? Tick every question the summary leaves open.",
                         widgets.VBox(list(self.asks.values()))),
        ])

    def value(self) -> DebriefAnswer:
        return DebriefAnswer(
            outcome=self.outcome.value, who=self.who.value, what=self.what.value, by=self.by.value,
            ask=tuple(t for t, box in self.asks.items() if box.value),
        )

    def restore(self, saved: Any) -> None:
        answer = DebriefAnswer.from_saved(saved.answer)
        self.outcome.value = answer.outcome
        self.who.value, self.what.value, self.by.value = answer.who, answer.what, answer.by
        for topic, box in self.asks.items():
            box.value = topic in answer.ask


class DebriefKind(ExerciseKind):
    name = "debrief"
    model = DebriefItem
    what_to_do = "debrief a call from its summary"
    title_field = "summary"
    form_class = DebriefAnswerForm

    def coerce(self, answer: object) -> object:
        return answer if isinstance(answer, DebriefAnswer) else DebriefAnswer()

    def check(self, item: DebriefItem, answer: Any, ctx: CheckContext) -> CheckResult:
        return check_debrief(item, self.coerce(answer), ctx)  # type: ignore[arg-type]

    def item_html(self, item: DebriefItem, ctx: CheckContext) -> str:
        return (
            f"<blockquote>{esc(item.summary)}</blockquote>"
            "<p>Fill in the debrief: how did the call end, what did the client commit to (who, what, by when), "
            "and what would a coach still ask?</p>"
        )


    def from_notation(self, written: str) -> object:
        """'outcome | who | what | by (YYYY-MM-DD or blank) | topics, comma separated'."""
        parts = [p.strip() for p in written.split("|")] + [""] * 5
        outcome, who, what, by, ask = parts[:5]
        topics = tuple(t.strip() for t in ask.split(",") if t.strip())
        return DebriefAnswer(outcome or None, who, what, date.fromisoformat(by) if by else None, topics)

    def model_answer(self, item: DebriefItem, ctx: CheckContext) -> object:
        c = item.commitment
        return DebriefAnswer(item.outcome, c.who if c else "", c.what if c else "", c.by if c else None, tuple(item.still_to_ask))


register_kind(DebriefKind())
