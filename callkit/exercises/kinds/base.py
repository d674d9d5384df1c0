"""What every exercise kind provides, and the pieces kinds share.

A kind is one module that registers an ExerciseKind by name (see callkit.exercises.kinds): the item model
(the fields of an item in the YAML file), the check (a plain function with its messages), the HTML that shows
an item, and the answer form (ipywidgets, imported only when a form is built, so checks run without Jupyter).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Callable, ClassVar, Literal, Protocol

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from ...process import SalesProcess
from .. import text as words
from ..results import Check, CheckResult

if TYPE_CHECKING:  # pragma: no cover
    from ...models import ExerciseResult
    from ...scoring.plan import Rubric

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    """A part of an items file: unknown fields are mistakes, not ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class ItemBase(Strict):
    """What every item has: its id (kept stable: reports and outside checks name items by it)."""

    id: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$")]


def word_list(value: Any) -> Any:
    """A YAML list of words or phrases: numbers are read as text; yes/no/on/off need quotes (YAML reads them as true/false)."""
    if not isinstance(value, list):
        return value
    out = []
    for v in value:
        if isinstance(v, bool):
            raise ValueError('write yes, no, on and off in quotes ("yes"): unquoted, YAML reads them as true or false')
        out.append(str(v) if isinstance(v, (int, float)) else v)
    return out


WordList = Annotated[list[Text], BeforeValidator(word_list)]


class NotRestate(Strict):
    """Something the answer must not say again (the seller action or opinion of the original), and why."""

    words: Annotated[list[Text], BeforeValidator(word_list), Field(min_length=1)]  # in any word form ("hosts us" ~ "hosted us")
    why: Text
    fails: Literal["specific", "advance", "realistic", "customer_value", "this_deal"] = "this_deal"  # the check it fails


@dataclass(frozen=True)
class CheckContext:
    """What a check may need besides the item and the answer: the sales process and the coaching rubric."""

    process: SalesProcess = field(default_factory=SalesProcess.default)
    rubric: "Rubric | None" = None

    @property
    def compression_levels(self) -> tuple[int, int]:
        """(good, excellent) from rubric.yaml: the one home of 1-2 normal, 3-4 good, 5 excellent."""
        from ...scoring.plan import compression_levels

        return compression_levels(self.rubric)


class AnswerForm(Protocol):
    """The input widgets for one item: read the answer, or put a saved answer back."""

    widget: Any

    def value(self) -> object: ...

    def restore(self, saved: "ExerciseResult") -> None: ...


class FormOfItem(Protocol):
    """An answer form built from the item alone (a form class such as ClassifyForm)."""

    def __call__(self, item: Any) -> AnswerForm: ...


class ExerciseKind(ABC):
    """One kind of exercise: its item model, its check, its HTML and its answer form, registered by `name`.

    A kind must say how it checks an answer (`check`) and shows an item (`item_html`); its answer form is
    `form_class` built from the item, or its own `form` (`has_answer_form` is checked when it is registered)."""

    name: ClassVar[str] = ""
    model: ClassVar[type[ItemBase]]
    what_to_do: ClassVar[str] = ""  # one line for a coach: what a rep does with an item of this kind
    title_field: ClassVar[str] = ""  # the item's field that names it in the summary and the coach's report
    answer_field: ClassVar[str] = ""  # the item's field that holds the coach's answer, when it is one field
    form_class: ClassVar["FormOfItem | None"] = None  # the answer form, when the item alone builds it

    def coerce(self, answer: object) -> object:
        """The answer in this kind's own type, from whatever a form or a caller passes."""
        return answer

    @abstractmethod
    def check(self, item: Any, answer: Any, ctx: CheckContext) -> CheckResult:
        """Judge one answer."""

    def problem(self, item: Any, process: SalesProcess) -> str | None:
        """What is wrong with an item for this sales process (a stage or activity it names), or None."""
        stage = getattr(item, "stage", None)
        if stage is not None and not process.has_stage(stage):
            return f"stage {stage!r} is not in the sales process: use one of {', '.join(process.stage_ids)}."
        return None

    @abstractmethod
    def item_html(self, item: Any, ctx: CheckContext) -> str:
        """The item as the rep reads it (without the 'Item n of m' heading)."""

    def title(self, item: Any) -> str:
        """The text that names the item in the summary and the coach's report (its `title_field`)."""
        return str(getattr(item, self.title_field))

    def form(self, item: Any, ctx: CheckContext, report: Callable[[str], None]) -> AnswerForm:
        """The answer widgets; `report` shows a problem in the page (for forms with live previews). By default the
        kind's `form_class` built from the item alone."""
        if self.form_class is None:  # register_kind refuses such a kind; this is for one used unregistered
            raise TypeError(f"The exercise kind {self.name!r} needs a form_class or its own form method.")
        return self.form_class(item)

    @property
    def has_answer_form(self) -> bool:
        """Whether a rep can answer items of this kind: a `form_class`, or a `form` method of its own."""
        return self.form_class is not None or type(self).form is not ExerciseKind.form

    def from_notation(self, written: str) -> object:
        """An answer from the one-line notation of a labelled answers file (see callkit.exercises.labelled); by
        default the text as written."""
        return written

    def model_answer(self, item: Any, ctx: CheckContext) -> object:
        """The answer a coach would give, built from the item's own data (by default its `answer_field`)."""
        return getattr(item, self.answer_field)


def restatement(text: str, rules: list[NotRestate]) -> tuple[str, NotRestate] | None:
    """The first phrase of an item's `not_restate` list the answer says again, with its rule."""
    for rule in rules:
        found = words.first_phrase(text, rule.words)
        if found:
            return found, rule
    return None


def names_anyone(text: str, people: list[str]) -> bool:
    """True when the text names one of the people (a name or a role)."""
    return any(words.names_person(text, p) for p in people)


def check_line(name: str, passed: bool, message: str) -> Check:
    """A check built from a message already chosen."""
    return Check(name, passed, message)
