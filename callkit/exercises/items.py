"""Exercise items as data: load a workbook's YAML file and check it against the item schema.

The schema is the pydantic models below (one per exercise kind); every problem is raised as an
ExerciseItemsError that names the file and the item, so a coach who edits a file knows what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from ..datafiles import read_yaml
from ..exceptions import ExerciseItemsError
from ..models import Outcome, friendly_errors
from ..process import SalesProcess

WORKBOOKS: tuple[str, ...] = (
    "01_advance_or_continuation",
    "02_sharpen_the_objective",
    "03_whats_in_it_for_the_customer",
    "04_compress_the_process",
    "05_debrief_the_call",
)
Kind = Literal["classify", "objective", "value", "compress", "debrief"]
Label = Literal["advance", "continuation", "not_client_action"]
CoachTopic = Literal["urgency", "consequence", "attitude", "competition", "decision_process"]
COACH_TOPICS: tuple[str, ...] = ("urgency", "consequence", "attitude", "competition", "decision_process")
CUSTOM_FOLDER = "exercises"  # a workspace's folder for a coach's own items

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class _Item(_Strict):
    id: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$")]


class ClassifyItem(_Item):
    """An objective or outcome to classify as advance, continuation or not a client action."""

    about: Literal["objective", "outcome"]
    text: Text
    answer: Label
    why: Text


class ObjectiveItem(_Item):
    """A weak call objective for a deal at a stage, to be rewritten."""

    stage: Text
    deal: Text
    objective: Text
    problem: Text
    example: Text


class ValueItem(_Item):
    """A call scenario: write what's in it for the customer, or reschedule when nobody could."""

    scenario: Text
    draft: Text | None = None
    ready: bool = True
    why: Text
    example: Text | None = None

    @model_validator(mode="after")
    def _example_when_ready(self) -> "ValueItem":
        if self.ready and not self.example:
            raise ValueError("an item with ready: true needs an example answer")
        return self


class ActivityNote(_Strict):
    """A process activity this call cannot accomplish, and why."""

    activity: Text
    why: Text


class Prerequisite(_Strict):
    """An activity that is realistic only if another one is done in the same call."""

    activity: Text
    after: Text
    why: Text


class CompressItem(_Item):
    """A deal at a stage and its next call: which next activities can the call accomplish?"""

    stage: Text
    deal: Text
    call: Text
    completed: list[Text] = Field(default_factory=list)
    unrealistic: list[ActivityNote] = Field(default_factory=list)
    requires: list[Prerequisite] = Field(default_factory=list)


class ExpectedCommitment(_Strict):
    """The client's commitment a debrief should record."""

    who: Text
    what: Text
    by: date


class DebriefItem(_Item):
    """A call summary to debrief: outcome, the client's dated commitment, the questions still open."""

    summary: Text
    outcome: Outcome
    why: Text
    commitment: ExpectedCommitment | None = None
    answered: dict[CoachTopic, Text] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _commitment_matches_outcome(self) -> "DebriefItem":
        if self.outcome == "advance" and self.commitment is None:
            raise ValueError("an advance needs the client's commitment (who, what, by)")
        if self.outcome in ("continuation", "no_sale") and self.commitment is not None:
            raise ValueError(f"a {self.outcome.replace('_', ' ')} has no client commitment: remove it")
        return self

    @property
    def still_to_ask(self) -> list[str]:
        """The coach topics the summary leaves open, in the seed's order."""
        return [t for t in COACH_TOPICS if t not in self.answered]


Item = Union[ClassifyItem, ObjectiveItem, ValueItem, CompressItem, DebriefItem]
ITEM_MODELS: dict[str, type[_Item]] = {
    "classify": ClassifyItem,
    "objective": ObjectiveItem,
    "value": ValueItem,
    "compress": CompressItem,
    "debrief": DebriefItem,
}


class _Header(_Strict):
    workbook: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    kind: Kind
    title: Text
    source: Text
    items: list[Any] = Field(min_length=1)


@dataclass(frozen=True)
class Workbook:
    """A workbook's items, in file order, with the kind of exercise they are."""

    id: str
    kind: str
    title: str
    source: str
    items: tuple[Item, ...]
    files: tuple[str, ...] = ()

    @property
    def item_ids(self) -> list[str]:
        return [i.id for i in self.items]

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError naming it otherwise)."""
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(f"workbook {self.id} has no item {item_id!r}")


# -- loading -------------------------------------------------------------------------------------


def shipped_items_path(workbook: str) -> Path:
    """The items file callkit ships for a workbook (callkit/data/exercises/<workbook>.yaml)."""
    return Path(str(resources.files("callkit").joinpath(f"data/exercises/{workbook}.yaml")))


def load_workbook(
    workbook: str, workspace: str | Path | None = None, process: SalesProcess | None = None
) -> Workbook:
    """The shipped items of a workbook plus a coach's own from `<workspace>/exercises/<workbook>.yaml`."""
    path = shipped_items_path(workbook)
    if not path.is_file():
        known = ", ".join(WORKBOOKS)
        raise ExerciseItemsError(path, f"there is no workbook called {workbook!r} (callkit ships {known}).")
    book = load_items_file(path, process=process)
    if workspace is not None:
        custom = Path(workspace) / CUSTOM_FOLDER / f"{workbook}.yaml"
        if custom.is_file():
            book = merge_workbooks(book, load_items_file(custom, process=process), custom)
    return book


def merge_workbooks(base: Workbook, extra: Workbook, extra_path: str | Path) -> Workbook:
    """Add a coach's items to a workbook; the kind must match and the ids must be new."""
    if extra.kind != base.kind:
        raise ExerciseItemsError(extra_path, f"kind must be {base.kind!r} like the workbook it adds to, not {extra.kind!r}.")
    taken = set(base.item_ids)
    for item in extra.items:
        if item.id in taken:
            raise ExerciseItemsError(extra_path, "this id is already used by a shipped item: choose another.", item.id)
    return Workbook(base.id, base.kind, base.title, base.source, base.items + extra.items, base.files + extra.files)


def load_items_file(path: str | Path, process: SalesProcess | None = None) -> Workbook:
    """Read and validate one items file; any problem raises ExerciseItemsError naming the file and item."""
    path = Path(path)
    data = read_yaml(path, ExerciseItemsError, "items file")
    return parse_workbook(data, path, process=process)


def parse_workbook(data: object, path: str | Path, process: SalesProcess | None = None) -> Workbook:
    """Validate parsed YAML data against the schema of its kind; `path` names it in errors."""
    if not isinstance(data, dict):
        raise ExerciseItemsError(path, "the file must start with workbook:, kind:, title:, source: and items:.")
    try:
        header = _Header.model_validate(data)
    except ValidationError as exc:
        raise ExerciseItemsError(path, _problem(exc)) from None
    stem = Path(path).stem
    if header.workbook != stem:
        raise ExerciseItemsError(path, f"the file says workbook: {header.workbook} but is named {stem}.yaml: make them the same.")
    model = ITEM_MODELS[header.kind]
    proc = process or SalesProcess.default()
    items: list[Item] = []
    seen: set[str] = set()
    for n, raw in enumerate(header.items, start=1):
        label = _item_label(raw, n)
        if not isinstance(raw, dict):
            raise ExerciseItemsError(path, "each item must be a mapping of fields (id:, ...).", label)
        try:
            item = model.model_validate(raw)
        except ValidationError as exc:
            raise ExerciseItemsError(path, _problem(exc), label) from None
        if item.id in seen:
            raise ExerciseItemsError(path, "this id is used twice: every item needs its own id.", item.id)
        seen.add(item.id)
        problem = _process_problem(item, proc)
        if problem:
            raise ExerciseItemsError(path, problem, item.id)
        items.append(item)  # type: ignore[arg-type]
    return Workbook(header.workbook, header.kind, header.title, header.source, tuple(items), (str(path),))


def compress_options(item: CompressItem, process: SalesProcess | None = None) -> list[str]:
    """The activities a rep may tick: what is left of the deal's stage plus the next stage."""
    proc = process or SalesProcess.default()
    return proc.activities_after(item.stage, completed=item.completed)


def _process_problem(item: _Item, process: SalesProcess) -> str | None:
    """What is wrong with an item's stage or activities for this sales process, or None."""
    stage = getattr(item, "stage", None)
    if stage is None:
        return None
    if not process.has_stage(stage):
        return f"stage {stage!r} is not in the sales process: use one of {', '.join(process.stage_ids)}."
    if not isinstance(item, CompressItem):
        return None
    own = {a.lower() for a in process.stage(stage).activities}
    for done in item.completed:
        if done.lower() not in own:
            return f"completed activity {done!r} is not an activity of the {stage} stage."
    options = {a.lower() for a in compress_options(item, process)}
    named = [n.activity for n in item.unrealistic] + [r.activity for r in item.requires] + [r.after for r in item.requires]
    for activity in named:
        if activity.lower() not in options:
            return f"activity {activity!r} is not one of the next activities after {stage} (check the spelling against process.yaml)."
    for r in item.requires:
        if r.activity.lower() == r.after.lower():
            return f"activity {r.activity!r} cannot require itself."
    return None


def _item_label(raw: object, n: int) -> str | int:
    """The item's id when it has a usable one, else its position (1 = first)."""
    if isinstance(raw, dict):
        rid = raw.get("id")
        if isinstance(rid, (str, int)) and str(rid).strip():
            return str(rid).strip()
    return n


def _problem(exc: ValidationError) -> str:
    """One plain sentence for the first schema error."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err.get("loc", ()))
    kind = err.get("type", "")
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err.get("msg", ""))).rstrip(".") + "."
    if kind == "string_pattern_mismatch":
        return f"{loc} must be letters, digits, - or _ (no spaces)."
    if kind == "too_short" and loc == "items":
        return "items: needs at least one item."
    if "[key]" in loc:
        parent = loc.split(".[key]")[0].rsplit(".", 1)[0]
        return f"{parent}: {err.get('input')!r} must be one of {err.get('ctx', {}).get('expected', 'the known names')}."
    sentence = next(iter(friendly_errors(exc).values()))
    return f"{loc}: {sentence}" if loc else sentence
