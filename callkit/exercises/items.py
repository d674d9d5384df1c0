"""Exercise items as data: load a workbook's YAML file and check it against the item schema.

The schema is each kind's pydantic model (callkit/exercises/kinds/, one module per kind); every problem is
raised as an ExerciseItemsError that names the file and the item, so a coach who edits a file knows what
to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Union

from pydantic import Field, StringConstraints, ValidationError, field_validator

from ..datafiles import read_yaml
from ..exceptions import ExerciseItemsError
from ..models import friendly_errors
from ..process import SalesProcess
from .kinds import get_kind, item_models, kind_names
from .kinds.base import ItemBase as _Item
from .kinds.base import Strict as _Strict
from .kinds.base import Text
from .kinds.classify import ClassifyItem
from .kinds.compress import ActivityNote, Attendee, CompressItem, Prerequisite, compress_options
from .kinds.debrief import COACH_TOPICS, CoachTopic, DebriefItem, ExpectedCommitment
from .kinds.objective import ObjectiveItem
from .kinds.value import ValueItem

WORKBOOKS: tuple[str, ...] = (
    "01_advance_or_continuation",
    "02_sharpen_the_objective",
    "03_whats_in_it_for_the_customer",
    "04_compress_the_process",
    "05_debrief_the_call",
)
CUSTOM_FOLDER = "exercises"  # a workspace's folder for a coach's own items

__all__ = [  # the item models live in their kinds' modules; these names stay importable from here
    "COACH_TOPICS", "CUSTOM_FOLDER", "ITEM_MODELS", "WORKBOOKS", "ActivityNote", "Attendee", "ClassifyItem", "CoachTopic",
    "CompressItem", "DebriefItem", "ExpectedCommitment", "Item", "ObjectiveItem", "Prerequisite", "ValueItem", "Workbook",
    "compress_options", "load_items_file", "load_workbook", "merge_workbooks", "parse_workbook", "shipped_items_path",
]

Item = Union[ClassifyItem, ObjectiveItem, ValueItem, CompressItem, DebriefItem]
ITEM_MODELS: dict[str, type[_Item]] = item_models()  # by kind name; kinds registered later are in item_models()


class _Header(_Strict):
    workbook: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    kind: str
    title: Text
    source: Text
    items: list[Any] = Field(min_length=1)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in kind_names():
            raise ValueError(f"kind {value!r} is not a kind of exercise: use one of {', '.join(kind_names())}")
        return value


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
    """The shipped items of a workbook plus a coach's own from `<workspace>/exercises/<workbook>.yaml`.

    The coach's file may hold only an `items:` list; `workbook:`, `kind:`, `title:` and `source:` default to the
    shipped workbook's (when given they must match it).
    """
    path = shipped_items_path(workbook)
    if not path.is_file():
        known = ", ".join(WORKBOOKS)
        raise ExerciseItemsError(path, f"there is no workbook called {workbook!r} (callkit ships {known}).")
    book = load_items_file(path, process=process)
    if workspace is not None:
        custom = Path(workspace) / CUSTOM_FOLDER / f"{workbook}.yaml"
        if custom.is_file():
            data = read_yaml(custom, ExerciseItemsError, "items file")
            if isinstance(data, dict):  # a coach's file may hold only `items:`: the rest is the workbook's own
                data = {"workbook": book.id, "kind": book.kind, "title": book.title, "source": book.source, **data}
            book = merge_workbooks(book, parse_workbook(data, custom, process=process), custom)
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
    kind = get_kind(header.kind)
    model = kind.model
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
        problem = kind.problem(item, proc)
        if problem:
            raise ExerciseItemsError(path, problem, item.id)
        items.append(item)  # type: ignore[arg-type]
    return Workbook(header.workbook, header.kind, header.title, header.source, tuple(items), (str(path),))


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
        sentence = str(err.get("ctx", {}).get("error", err.get("msg", ""))).rstrip(".") + "."
        field = ".".join(str(p) for p in err.get("loc", ()) if not isinstance(p, int))
        return f"{field}: {sentence}" if field else sentence
    if kind == "string_pattern_mismatch":
        return f"{loc} must be letters, digits, - or _ (no spaces)."
    if kind == "too_short" and loc == "items":
        return "items: needs at least one item."
    if "[key]" in loc:
        parent = loc.split(".[key]")[0].rsplit(".", 1)[0]
        return f"{parent}: {err.get('input')!r} must be one of {err.get('ctx', {}).get('expected', 'the known names')}."
    sentence = next(iter(friendly_errors(exc).values()))
    return f"{loc}: {sentence}" if loc else sentence
