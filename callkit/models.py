"""The records callkit works with (pydantic v2): reps, deals, call plans, debriefs, findings.

A *call* is one meeting on a deal: it may have a plan (written before), a debrief (written after),
both, or - for the rep who wings it - only a debrief.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal, Mapping, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .exceptions import InvalidInputError

Severity = Literal["problem", "warning", "tip"]
Outcome = Literal["order", "advance", "continuation", "no_sale"]
#: SPIN's four call outcomes (seed 004), best first.
OUTCOMES: tuple[str, ...] = ("order", "advance", "continuation", "no_sale")
#: How pages, reports and exercises name each outcome.
OUTCOME_LABELS: dict[str, str] = {"order": "Order", "advance": "Advance", "continuation": "Continuation",
                                  "no_sale": "No sale"}
#: The same names in a sentence: "the call ended in an advance".
OUTCOME_PHRASES: dict[str, str] = {"order": "an order", "advance": "an advance", "continuation": "a continuation",
                                   "no_sale": "no sale"}
#: The outcomes that move a sale on; an advance counts only with a dated client commitment
#: (`callkit.scoring.debrief.counts_as_advance`).
ADVANCE_OUTCOMES: tuple[str, ...] = ("order", "advance")
#: The outcomes after which a continuation or no sale has no client commitment to record.
NO_ADVANCE_OUTCOMES: tuple[str, ...] = ("continuation", "no_sale")
DealStatus = Literal["open", "won", "lost"]
DEAL_STATUSES: tuple[str, ...] = ("open", "won", "lost")
SEVERITY_RANK = {"problem": 0, "warning": 1, "tip": 2}


class _Model(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, validate_assignment=False, extra="forbid")


def _text_list(value: Any) -> Any:
    """Accept a list or a ';'/newline separated string; drop blank items."""
    if value is None:
        return []
    if isinstance(value, str):
        parts = value.replace("\n", ";").split(";")
        return [p.strip() for p in parts if p.strip()]
    if isinstance(value, (list, tuple)):
        return [v.strip() if isinstance(v, str) else v for v in value if not (isinstance(v, str) and not v.strip())]
    return value


class Finding(_Model):
    """What a coach would say about one thing: a code, how bad it is, a plain-English message, a tip."""

    code: str
    severity: Severity
    message: str
    tip: str | None = None

    def __str__(self) -> str:
        return self.message + (f" {self.tip}" if self.tip else "")


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Worst first: problems, then warnings, then tips (stable within a severity)."""
    return sorted(findings, key=lambda f: SEVERITY_RANK[f.severity])


class Rep(_Model):
    """A sales rep."""

    rep_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    email: str | None = None
    team: str | None = None
    manager: str | None = None


class CloseDateChange(_Model):
    """One entry of a deal's close-date history, as a CRM records it."""

    changed_on: date
    close_date: date


class StageChange(_Model):
    """One entry of a deal's stage history: on `changed_on` the deal was seen at `stage` (and won, lost or open)."""

    changed_on: date
    stage: str = Field(min_length=1)
    status: DealStatus = "open"


class Deal(_Model):
    """An opportunity: where it stands in the process, when it is forecast to close, and whether it is won or lost.

    CRMs leave the account, the close date and the amount blank on early deals, so callkit does too. A
    won or lost deal keeps the stage it was last in, the date it closed (`closed_on`) and, for a lost
    one, the reason when the CRM records it.
    """

    deal_id: str = Field(min_length=1)
    rep_id: str = Field(min_length=1)
    account: str = ""
    name: str = Field(min_length=1)
    stage: str = Field(min_length=1)
    close_date: date | None = None
    amount: float | None = Field(default=None, ge=0)
    created: date | None = None
    status: DealStatus = "open"
    closed_on: date | None = None
    lost_reason: str | None = None
    close_date_history: list[CloseDateChange] = Field(default_factory=list)
    stage_history: list[StageChange] = Field(default_factory=list)

    @model_validator(mode="after")
    def _closed_has_a_date(self) -> "Deal":
        if self.status != "open" and self.closed_on is None:
            self.closed_on = self.close_date  # a CRM's close date of a closed deal is the day it closed
        if self.status == "open":
            self.closed_on = None
        return self

    @property
    def is_open(self) -> bool:
        """Still being worked: neither won nor lost."""
        return self.status == "open"


class Attendee(_Model):
    """Someone in the meeting, with their role (e.g. 'CFO', 'economic buyer', 'our SE') and, optionally, their email.

    The email address goes into the calendar invitation. It is read forgivingly: spaces, a 'mailto:' in front,
    angle brackets and a name in front ('Priya Shah <priya@acme.com>') are fine; blank means none.
    """

    name: str = Field(min_length=1)
    role: str = ""
    side: Literal["client", "us"] = "client"
    email: str | None = None

    @field_validator("email", mode="before")
    @classmethod
    def _email_address(cls, value: Any) -> Any:
        from pydantic_core import PydanticCustomError

        if value is None:
            return None
        if not isinstance(value, str):
            raise PydanticCustomError("email", "write an address like priya@acme.com")
        text = value.strip().rstrip(".,;").strip()
        if text.lower().startswith("mailto:"):
            text = text[len("mailto:"):].strip()
        if not text:
            return None
        from email_validator import EmailNotValidError, validate_email

        try:
            return validate_email(text, check_deliverability=False, allow_display_name=True).normalized
        except EmailNotValidError:
            raise PydanticCustomError(
                "email", "'{text}' is not an address like priya@acme.com", {"text": text}
            ) from None


class Research(_Model):
    """Homework before the call (seed 003): the customer's goals, obstacles and industry."""

    goals: str = ""
    obstacles: str = ""
    industry: str = ""
    notes: str = ""

    def is_empty(self) -> bool:
        return not (self.goals or self.obstacles or self.industry or self.notes)


class Commitment(_Model):
    """Who does what by when: a client commitment, or one of our follow-ups."""

    who: str = ""
    what: str = Field(min_length=1)
    by: date | None = None

    @property
    def is_dated(self) -> bool:
        return bool(self.who) and self.by is not None


class CallPlan(_Model):
    """A pre-call plan: what the call must achieve for the client and for us, and how."""

    call_id: str = Field(min_length=1)
    deal_id: str = Field(min_length=1)
    rep_id: str = Field(min_length=1)
    call_date: date
    stage: str | None = None  # the deal's stage when the plan was written (for the 'realistic' check)
    attendees: list[Attendee] = Field(default_factory=list)
    objective: str = ""  # the best client commitment we aim for
    fallback: str = ""  # the minimum acceptable client commitment
    customer_value: str = ""  # what's in it for the customer to invest their time, now
    agenda: list[str] = Field(default_factory=list)
    agenda_shared: bool = False  # sent to the customer before the call
    agenda_agreed: bool = False  # the customer agreed to it before the call
    agenda_agreed_on: date | None = None
    planned_steps: list[str] = Field(default_factory=list)  # process activities this call should accomplish
    questions: list[str] = Field(default_factory=list)
    research: Research = Field(default_factory=Research)
    concerns: list[str] = Field(default_factory=list)  # concerns the customer is expected to raise
    updated_at: datetime | None = None

    _lists = field_validator("agenda", "planned_steps", "questions", "concerns", mode="before")(_text_list)

    @model_validator(mode="after")
    def _agreed_implies_shared(self) -> "CallPlan":
        if self.agenda_agreed or self.agenda_agreed_on is not None:
            self.agenda_shared = True
            self.agenda_agreed = True
        return self


class Learned(_Model):
    """What a coach asks after the call (seed 000); blank = we still do not know."""

    urgency: str = ""  # why now, their sense of urgency
    consequence: str = ""  # what happens if they don't buy by their date
    attitude: str = ""  # their attitude to us
    competition: str = ""  # who else, and what they think of them
    decision_process: str = ""  # who decides, how, when
    budget: str = ""

    def unanswered(self) -> list[str]:
        return [name for name, value in self.model_dump().items() if not value]


#: The topics a coach asks about after every call (seed 000), in the order forms, files and reports show them.
LEARNED_TOPICS: tuple[str, ...] = tuple(Learned.model_fields)


class Debrief(_Model):
    """What happened in a call, told right after it."""

    call_id: str = Field(min_length=1)
    outcome: Outcome
    best_met: bool = False  # the plan's objective (best commitment) was met
    fallback_met: bool = False  # at least the fallback commitment was met
    commitments: list[Commitment] = Field(default_factory=list)  # the client's
    learned: Learned = Field(default_factory=Learned)
    completed_steps: list[str] = Field(default_factory=list)
    follow_ups: list[Commitment] = Field(default_factory=list)  # ours, with dates
    next_call: date | None = None
    close_date_after: date | None = None  # the forecast close date after the call
    notes: str = ""
    updated_at: datetime | None = None

    _lists = field_validator("completed_steps", mode="before")(_text_list)


class Call(_Model):
    """One meeting on a deal: its plan and debrief, either of which may be missing."""

    call_id: str = Field(min_length=1)
    deal_id: str = Field(min_length=1)
    rep_id: str = Field(min_length=1)
    date: date
    plan: CallPlan | None = None
    debrief: Debrief | None = None

    @property
    def outcome(self) -> str | None:
        return self.debrief.outcome if self.debrief else None

    @property
    def objective(self) -> str:
        return self.plan.objective if self.plan else ""


class ExerciseResult(_Model):
    """One answer a rep gave in a self-paced exercise, with its score and the feedback shown."""

    rep_id: str = Field(min_length=1)
    workbook: str = Field(min_length=1)  # e.g. "01_advance_or_continuation"
    item_id: str = Field(min_length=1)
    answer: str = ""
    score: float = Field(default=0.0, ge=0, le=1)
    passed: bool = False
    feedback: str = ""
    answered_at: datetime | None = None
    attempt: int = Field(default=1, ge=1)  # the rep's round through the workbook (1 = first time)
    # One honest score (callkit.exercises.figures computes these; rows saved before them read as unknown/False):
    try_number: int = Field(default=1, ge=1)  # this item's n-th check in this round
    after_help: bool = False  # checked after an earlier feedback had shown the answer
    reveals_key: bool = False  # this feedback showed the answer (the right label, the coach's version, ...)
    first_passed: bool | None = None  # the item's first try in this round passed
    first_score: float | None = Field(default=None, ge=0, le=1)  # the score of that first try
    best_passed: bool = False  # passed by now without help
    best_score: float | None = Field(default=None, ge=0, le=1)  # the best score by now, tries after help not counted
    retry: bool = False  # answered in a "Retry the ones I missed" round


# -- plain-English validation errors ---------------------------------------------------------------

_FIELD_NAMES = {
    "call_date": "call date",
    "agenda_agreed_on": "agenda agreed date",
    "close_date": "close date",
    "close_date_after": "new close date",
    "next_call": "next call date",
    "rep_id": "rep id",
    "deal_id": "deal id",
    "call_id": "call id",
    "customer_value": "customer value",
    "changed_on": "change date",
    "closed_on": "closed date",
    "lost_reason": "lost reason",
    "by": "'by when' date",
}


def _label(loc: tuple) -> str:
    parts = [str(p) for p in loc if not isinstance(p, int)]
    name = parts[-1] if parts else "value"
    return _FIELD_NAMES.get(name, name.replace("_", " "))


def _sentence(err: Mapping[str, Any]) -> str:
    label = _label(tuple(err.get("loc", ())))
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return f"The {label} is required."
    if kind in ("string_too_short",):
        return f"The {label} cannot be blank."
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"The {label} must be a date like 2026-03-14."
    if kind == "literal_error":
        return f"The {label} must be one of {ctx.get('expected', 'the allowed values')}."
    if kind in ("greater_than_equal", "greater_than"):
        return f"The {label} cannot be negative."
    if kind.startswith("float") or kind.startswith("int"):
        return f"The {label} must be a number."
    if kind.startswith("bool"):
        return f"The {label} must be yes or no."
    if kind == "extra_forbidden":
        return f"The {label} is not a field callkit knows."
    return f"The {label} is not valid: {err.get('msg', '')}."


def friendly_errors(exc: ValidationError) -> dict[str, str]:
    """One plain sentence per field: {'call_date': 'The call date must be a date like 2026-03-14.'}."""
    out: dict[str, str] = {}
    for err in exc.errors():
        key = ".".join(str(p) for p in err.get("loc", ())) or "value"
        out.setdefault(key, _sentence(err))
    return out


M = TypeVar("M", bound=BaseModel)


def build(model: type[M], data: Mapping[str, Any], what: str | None = None) -> M:
    """Validate `data` into `model`, raising InvalidInputError with one plain sentence per field."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        label = what or re.sub(r"(?<!^)(?=[A-Z][a-z])", " ", model.__name__).lower()
        raise InvalidInputError(friendly_errors(exc), what=label) from None
