"""The checks behind each exercise: one plain function per kind, each returning a CheckResult.

Like an autograder, every check has a success message and a failure message, so the rep always
hears why. The judging itself comes from callkit's scoring rules (assess_objective,
assess_customer_value, score_debrief) and from the explanations in the item files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

from ..models import OUTCOMES, Commitment, Debrief, Learned, sort_findings
from ..process import SalesProcess
from ..scoring.objective import CHECK_CODES
from .items import (
    COACH_TOPICS,
    ClassifyItem,
    CompressItem,
    DebriefItem,
    Item,
    ObjectiveItem,
    ValueItem,
    compress_options,
)

LABELS: dict[str, str] = {
    "advance": "an advance",
    "continuation": "a continuation",
    "not_client_action": "not a client action",
}
# assess_objective's finding codes, by the check they explain (their one home is the objective rules).
VAGUE_CODES = CHECK_CODES["specific"]
ADVANCE_CODES = CHECK_CODES["advance"]
REALISM_CODES = CHECK_CODES["realistic"]
CHOICES: dict[str, str] = {"advance": "Advance", "continuation": "Continuation", "not_client_action": "Not a client action"}
OUTCOME_LABELS: dict[str, str] = {"order": "an order", "advance": "an advance", "continuation": "a continuation", "no_sale": "no sale"}
# What a coach asks after the call (seed 000, Dave Brock's debrief questions).
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
RESCHEDULE_RULE = (
    "The rule from seed 001: if you can't say what's in it for the customer to invest their time now, "
    "you aren't ready for the call - reschedule it."
)
COMPRESSION_TARGET = 3  # "good" compression (seed 002: 1-2, then 3-4, then 5)
COMPRESSION_EXCELLENT = 5
UNREALISTIC_PENALTY = 0.25


@dataclass(frozen=True)
class Check:
    """One named check: whether it passed and the message the rep sees."""

    name: str
    passed: bool
    message: str


@dataclass(frozen=True)
class CheckSpec:
    """A check's name with its success and failure messages."""

    name: str
    success: str
    failure: str

    def run(self, passed: bool, success: str | None = None, failure: str | None = None) -> Check:
        """The check's outcome, with the default message unless a more specific one is given."""
        text = (success or self.success) if passed else (failure or self.failure)
        return Check(self.name, passed, text)


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one answer: passed, score 0..1, the checks with their messages, and coaching notes."""

    passed: bool
    score: float
    checks: tuple[Check, ...] = ()
    notes: tuple[str, ...] = ()
    answer: str = ""  # the answer in words, as saved
    blank: bool = False  # nothing to judge yet: not saved

    @property
    def lines(self) -> list[str]:
        """Every message in order: the checks, then the notes."""
        return [c.message for c in self.checks] + list(self.notes)

    @property
    def feedback(self) -> str:
        """The feedback as saved with the result: one message per line."""
        return "\n".join(self.lines)


def blank_result(message: str) -> CheckResult:
    """A result for an answer with nothing in it yet (not saved, not scored)."""
    return CheckResult(passed=False, score=0.0, notes=(message,), blank=True)


@dataclass(frozen=True)
class ValueAnswer:
    """An answer to 'what's in it for the customer?': the text, or the choice to reschedule."""

    text: str = ""
    reschedule: bool = False

    def describe(self) -> str:
        if self.reschedule:
            return "I would reschedule this call." + (f" {self.text.strip()}" if self.text.strip() else "")
        return self.text.strip()


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
        parts = [f"Outcome: {(self.outcome or 'not chosen').replace('_', ' ')}."]
        if self.has_commitment:
            by = self.by.isoformat() if self.by else "no date"
            parts.append(f"Client commitment: {self.who.strip() or 'nobody named'} - {self.what.strip() or 'nothing'} - by {by}.")
        else:
            parts.append("No client commitment.")
        topics = ", ".join(TOPIC_LABELS[t] for t in COACH_TOPICS if t in self.ask) or "nothing"
        parts.append(f"A coach would still ask about: {topics}.")
        return " ".join(parts)


# -- 01 advance or continuation ------------------------------------------------------------------

CLASSIFY = CheckSpec("classification", "Right: it is {right}.", "Not quite: it is {right}, not {given}.")


def check_classification(item: ClassifyItem, answer: str | None) -> CheckResult:
    """Advance, continuation or not a client action? The item's explanation says why."""
    if answer not in LABELS:
        return blank_result("Choose advance, continuation or not a client action first.")
    right = LABELS[item.answer]
    ok = answer == item.answer
    check = CLASSIFY.run(ok, CLASSIFY.success.format(right=right), CLASSIFY.failure.format(right=right, given=LABELS[answer]))
    notes = [item.why]
    agreement = _checker_agreement(item)
    if agreement:
        notes.append(agreement)
    return CheckResult(ok, 1.0 if ok else 0.0, (check,), tuple(notes), CHOICES[answer])


def _checker_agreement(item: ClassifyItem) -> str | None:
    """What callkit's objective checker says about an objective item, when it agrees with the answer."""
    if item.about != "objective":
        return None
    from ..scoring.objective import assess_objective

    found = assess_objective(item.text)
    if found.is_advance != (item.answer == "advance"):
        return None
    if found.is_advance:
        return "callkit's objective checker agrees: the client is the one who acts."
    preferred = (VAGUE_CODES | {"objective.continuation"}) if item.answer == "continuation" else ADVANCE_CODES
    ranked = sort_findings(found.findings)
    first = next((f for f in ranked if f.code in preferred), None) or next((f for f in ranked if f.code in ADVANCE_CODES), None)
    reason = first.message if first else "it is not an action by the client."
    return f"callkit's objective checker agrees: {reason}"


# -- 02 sharpen the objective --------------------------------------------------------------------

SPECIFIC = CheckSpec(
    "specific",
    "Specific: at the end of the call it is a clear yes or no whether it happened.",
    "Not specific yet: say who does what, by when, so that at the end of the call it is a yes or no.",
)
ADVANCE = CheckSpec(
    "advance",
    "An advance: the client acts, with energy, during or right after the call.",
    "Not an advance yet: it says what you will do - say what the client will do.",
)
REALISTIC = CheckSpec(
    "realistic",
    "Realistic for a deal in the {stage} stage.",
    "Not realistic for a deal in the {stage} stage: aim at most one stage ahead.",
)


def check_objective(item: ObjectiveItem, text: str, process: SalesProcess | None = None) -> CheckResult:
    """Judge a rewritten objective with assess_objective: passed when specific, an advance and realistic."""
    from ..scoring.objective import assess_objective

    rewrite = " ".join((text or "").split())
    if not rewrite:
        return blank_result("Write your rewrite of the objective first.")
    if _same_words(rewrite, item.objective):
        return CheckResult(False, 0.0, (), ("That is the original objective: rewrite it.", item.problem), rewrite)
    proc = process or SalesProcess.default()
    stage_name = proc.stage(item.stage).name
    found = assess_objective(rewrite, stage=item.stage, process=proc)
    findings = sort_findings(found.findings)

    def reason(codes: frozenset[str]) -> str | None:
        return next((f.message for f in findings if f.code in codes), None)

    realistic_fail = REALISTIC.failure.format(stage=stage_name)
    if found.implied_stage and proc.has_stage(found.implied_stage):
        implied = proc.stage(found.implied_stage).name
        realistic_fail = f"Not realistic for a deal in the {stage_name} stage: it belongs to the {implied} stage."
    checks = (
        SPECIFIC.run(found.is_specific, failure=reason(VAGUE_CODES)),
        ADVANCE.run(found.is_advance, failure=reason(ADVANCE_CODES)),
        REALISTIC.run(found.is_realistic is True, REALISTIC.success.format(stage=stage_name),
                      reason(REALISM_CODES) or realistic_fail),
    )
    passed = all(c.passed for c in checks)
    notes: list[str] = []
    if passed:
        notes.append(f"One coach's version: {item.example}")
    else:
        shown = {c.message for c in checks}
        notes.extend(f.message for f in findings if f.severity != "tip" and f.message not in shown)
        notes.append(f"What was wrong with the original: {item.problem}")
        if found.suggestion and not _same_words(found.suggestion, rewrite):
            notes.append(f"Try something like: {found.suggestion}")
    score = sum(c.passed for c in checks) / len(checks)
    return CheckResult(passed, round(score, 3), checks, tuple(_unique(notes)), rewrite)


# -- 03 what's in it for the customer ------------------------------------------------------------

CUSTOMER_TERMS = CheckSpec(
    "customer_value",
    "In the customer's terms: it says what they get for investing their time in this call.",
    "Still about us: say what the customer gets for their time, in their terms, not what we will show or tell.",
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


def check_customer_value(item: ValueItem, answer: ValueAnswer) -> CheckResult:
    """Judge 'what's in it for the customer' with assess_customer_value and the reschedule rule (seed 001)."""
    from ..scoring.value import assess_customer_value

    said = answer.describe()
    if not item.ready:
        ok = answer.reschedule
        notes = [item.why] + ([] if ok else [RESCHEDULE_RULE])
        return CheckResult(ok, 1.0 if ok else 0.0, (READY.run(ok),), tuple(notes), said)
    if answer.reschedule:
        return CheckResult(False, 0.0, (NOT_READY.run(False),), (item.why,), said)
    text = " ".join(answer.text.split())
    if not text:
        return blank_result("Write what's in it for the customer first - or tick reschedule if nobody could say.")
    if item.draft and _same_words(text, item.draft):
        check = CUSTOMER_TERMS.run(False, failure="That is the draft as it stands: rewrite it in the customer's terms.")
        return CheckResult(False, 0.0, (check,), (item.why, RESCHEDULE_RULE), text)
    found = assess_customer_value(text)
    ok = found.is_customer_centric
    if ok:
        notes = [f"One coach's version: {item.example}"]
    else:
        notes = [str(f) for f in sort_findings(found.findings) if f.severity != "tip"] + [item.why, RESCHEDULE_RULE]
    return CheckResult(ok, 1.0 if ok else 0.0, (CUSTOMER_TERMS.run(ok),), tuple(_unique(notes)), text)


# -- 04 compress the process ---------------------------------------------------------------------

REALISM = CheckSpec(
    "realism",
    "Realistic: everything you ticked can happen in this call.",
    "Some of what you ticked cannot happen in this call.",
)
COMPRESSION = CheckSpec(
    "compression",
    "Good compression.",
    "Not much compression yet.",
)


def compression_level(count: int) -> str:
    """The seed-002 words for how many activities one call accomplishes."""
    if count >= COMPRESSION_EXCELLENT:
        return "excellent"
    if count >= COMPRESSION_TARGET:
        return "good"
    return "normal" if count >= 1 else "none"


def check_compression(item: CompressItem, chosen: Sequence[str], process: SalesProcess | None = None) -> CheckResult:
    """How many next activities the call realistically accomplishes (1-2 normal, 3-4 good, 5 excellent)."""
    options = compress_options(item, process)
    by_key = {a.lower(): a for a in options}
    picked = _unique([by_key.get(c.strip().lower(), c.strip()) for c in chosen if c.strip()])
    if not picked:
        return blank_result("Tick the activities this call can accomplish first.")
    unrealistic = {n.activity.lower(): n.why for n in item.unrealistic}
    picked_keys = {p.lower() for p in picked}
    problems: list[str] = []
    for p in picked:
        key = p.lower()
        if key not in by_key:
            problems.append(f'"{p}" is not one of the next activities for a deal in this stage.')
        elif key in unrealistic:
            problems.append(f'"{p}" is not realistic in this call: {unrealistic[key]}')
    for r in item.requires:
        if r.activity.lower() in picked_keys and r.after.lower() not in picked_keys:
            problems.append(f'"{r.activity}" needs "{r.after}" first: {r.why}')
    good = len(picked) - len(problems)
    reachable = [a for a in options if a.lower() not in unrealistic]
    target = min(COMPRESSION_TARGET, len(reachable))
    cap = max(1, min(COMPRESSION_EXCELLENT, len(reachable)))
    realism = REALISM.run(not problems)
    compression = COMPRESSION.run(good >= target, _compression_message(good), _compression_message(good))
    notes = problems[:]
    missed = [a for a in reachable if a.lower() not in picked_keys and _prerequisites_met(item, a, picked_keys)]
    if good < cap and missed:
        notes.append("This call could also cover: " + "; ".join(missed[: cap - good]) + ".")
    score = max(0.0, min(good, cap) / cap - UNREALISTIC_PENALTY * len(problems))
    passed = realism.passed and compression.passed
    return CheckResult(passed, round(score, 3), (realism, compression), tuple(notes), "; ".join(picked))


def _compression_message(good: int) -> str:
    level = compression_level(good)
    if level == "none":
        return "None of what you ticked can realistically happen in this call."
    if level == "normal":
        return (
            f"{good} realistic {'activity' if good == 1 else 'activities'}: normal. The game from seed 002 is to ask "
            '"how many of the next activities can we accomplish in this call?" - aim for 3-4.'
        )
    if level == "good":
        return f"{good} realistic activities: good compression. Teams that play the game get to 5."
    return f"{good} realistic activities: excellent compression - the 5 key activities Dave Brock's team plans for."


def _prerequisites_met(item: CompressItem, activity: str, picked: set[str]) -> bool:
    """True when the activity needs nothing, or what it needs is ticked too."""
    return all(r.after.lower() in picked for r in item.requires if r.activity.lower() == activity.lower())


# -- 05 debrief the call -------------------------------------------------------------------------

OUTCOME = CheckSpec("outcome", "Outcome: {right}, right.", "The outcome is {right}, not {given}.")
COMMITMENT = CheckSpec(
    "commitment",
    "Client commitment: {who} will {what} by {by} - named, specific and dated.",
    "The client's commitment is not complete: a coach wants who on their side does what, by when.",
)
NO_COMMITMENT = CheckSpec(
    "commitment",
    "No client commitment to record: right, the client committed to nothing with a name and a date.",
    "The client made no commitment with a name and a date in this call: don't record one that wasn't made.",
)
QUESTIONS = CheckSpec(
    "questions",
    "Coach's questions: right - the summary leaves {open} open.",
    "Coach's questions: not quite.",
)


def check_debrief(item: DebriefItem, answer: DebriefAnswer) -> CheckResult:
    """Judge a debrief: the outcome, the client's dated commitment, and what a coach would still ask."""
    from ..scoring.debrief import score_debrief

    if answer.outcome not in OUTCOMES:
        return blank_result("Choose the outcome of the call first.")
    right, given = OUTCOME_LABELS[item.outcome], OUTCOME_LABELS[answer.outcome]
    outcome = OUTCOME.run(
        answer.outcome == item.outcome, OUTCOME.success.format(right=right), OUTCOME.failure.format(right=right, given=given)
    )
    notes: list[str] = [item.why]
    commitments = []
    if answer.what.strip():
        commitments.append(Commitment(who=answer.who.strip(), what=answer.what.strip(), by=answer.by))
    debrief = Debrief(call_id=item.id, outcome=answer.outcome, commitments=commitments, learned=Learned(**item.answered))
    scored = score_debrief(debrief)
    commitment, commitment_notes = _commitment_check(item, answer)
    if answer.outcome == "advance" and scored.likely_continuation:
        consistent = next((f for f in scored.findings if f.code.endswith("consistent")), None)
        commitment_notes.insert(0, str(consistent) if consistent else
                                "Marked as an advance, but no client commitment has an owner and a date - it is likely a continuation.")
    open_topics = [t for t in scored.unanswered if t in COACH_TOPICS]
    questions, question_notes = _questions_check(item, answer, open_topics)
    checks = (outcome, commitment, questions)
    notes = commitment_notes + question_notes + notes
    wrong = len(set(answer.ask) ^ set(open_topics))
    score = (outcome.passed + commitment.passed + (1 - wrong / len(COACH_TOPICS))) / 3
    return CheckResult(all(c.passed for c in checks), round(score, 3), checks, tuple(_unique(notes)), answer.describe())


def _commitment_check(item: DebriefItem, answer: DebriefAnswer) -> tuple[Check, list[str]]:
    expected = item.commitment
    if expected is None:
        ok = not answer.has_commitment
        return NO_COMMITMENT.run(ok), []
    notes: list[str] = []
    if not _shares_name(answer.who, expected.who):
        notes.append(f"Who: it is {expected.who}'s commitment - name the person on the client's side.")
    if not answer.what.strip():
        notes.append(f"What: write what they will do ({expected.what.lower()}).")
    elif not _shares_words(answer.what, expected.what):
        notes.append(f"What: the commitment in the summary is: {expected.what.lower()}.")
    if answer.by is None:
        notes.append(f"By when: {_long(expected.by)} - without a date it is not a commitment anyone can check.")
    elif answer.by != expected.by:
        notes.append(f"By when: the summary says {_long(expected.by)}, not {_long(answer.by)}.")
    ok = not notes
    success = COMMITMENT.success.format(who=expected.who, what=expected.what.lower(), by=_long(expected.by))
    return COMMITMENT.run(ok, success), notes


def _questions_check(item: DebriefItem, answer: DebriefAnswer, open_topics: list[str]) -> tuple[Check, list[str]]:
    asked = set(answer.ask)
    notes = [f"A coach would still ask: {COACH_QUESTIONS[t]}" for t in open_topics if t not in asked]
    notes += [
        f'The summary already answers {TOPIC_LABELS[t]}: "{item.answered[t]}"'
        for t in COACH_TOPICS
        if t in asked and t not in open_topics and t in item.answered
    ]
    ok = not notes
    opened = _join([TOPIC_LABELS[t] for t in open_topics]) or "nothing"
    if not open_topics:
        success = "Coach's questions: right - the summary answers every question a coach would ask."
    else:
        success = QUESTIONS.success.format(open=opened)
    return QUESTIONS.run(ok, success), notes


# -- dispatch and helpers ------------------------------------------------------------------------


def check_answer(item: Item, answer: object, process: SalesProcess | None = None) -> CheckResult:
    """Run the check that fits the item's kind."""
    if isinstance(item, ClassifyItem):
        return check_classification(item, answer if isinstance(answer, str) else None)
    if isinstance(item, ObjectiveItem):
        return check_objective(item, str(answer or ""), process)
    if isinstance(item, ValueItem):
        return check_customer_value(item, answer if isinstance(answer, ValueAnswer) else ValueAnswer(str(answer or "")))
    if isinstance(item, CompressItem):
        return check_compression(item, list(answer or []), process)  # type: ignore[call-overload]
    if isinstance(item, DebriefItem):
        return check_debrief(item, answer if isinstance(answer, DebriefAnswer) else DebriefAnswer())
    raise TypeError(f"no check for {type(item).__name__}")


_WORD = re.compile(r"[a-z0-9']+")
_STOP = frozenset("the and for with from that this their they them will our your into onto last next".split())


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in _STOP}


def _same_words(a: str, b: str) -> bool:
    return _WORD.findall(a.lower()) == _WORD.findall(b.lower())


def _shares_name(given: str, expected: str) -> bool:
    """True when the rep named the person: any of the expected name's words appears."""
    return bool(_words(given) & _words(expected))


def _shares_words(given: str, expected: str) -> bool:
    """True when the rep's 'what' shares a content word (4+ letters) with the expected one."""
    return bool({w for w in _words(given) if len(w) >= 4} & {w for w in _words(expected) if len(w) >= 4})


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    return [v for v in values if not (v in seen or seen.add(v))]
