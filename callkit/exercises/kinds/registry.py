"""The registry itself: kinds by name and by item model, and the ones other packages add by entry point."""

from __future__ import annotations

from typing import Any

from .base import ExerciseKind, ItemBase

ENTRY_POINT_GROUP = "callkit.exercise_kinds"
_KINDS: dict[str, ExerciseKind] = {}
_BY_MODEL: dict[type, ExerciseKind] = {}
_entry_points_loaded = False


def register_kind(kind: ExerciseKind | type[ExerciseKind], *, replace: bool = False) -> ExerciseKind:
    """Make a kind available to items files by its name; a second kind with the same name needs replace=True."""
    if isinstance(kind, type):
        kind = kind()
    if not kind.name or not isinstance(kind.name, str):
        raise ValueError(f"{type(kind).__name__} needs a name to be registered")
    if not kind.has_answer_form:
        raise ValueError(f"The exercise kind {kind.name!r} needs a form_class or its own form method to be registered.")
    if kind.name in _KINDS and not replace and type(_KINDS[kind.name]) is not type(kind):
        raise ValueError(f"an exercise kind called {kind.name!r} is already registered")
    _KINDS[kind.name] = kind
    _BY_MODEL[kind.model] = kind
    return kind


def load_entry_points() -> None:
    """Register the kinds other installed packages offer (group callkit.exercise_kinds), once."""
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        register_kind(ep.load(), replace=True)


def kind_names() -> list[str]:
    """The names an items file may use for `kind:`."""
    load_entry_points()
    return list(_KINDS)


def get_kind(name: str) -> ExerciseKind:
    """The kind registered under `name` (KeyError naming the known kinds otherwise)."""
    if name not in _KINDS:
        load_entry_points()
    try:
        return _KINDS[name]
    except KeyError:
        raise KeyError(f"there is no exercise kind {name!r}: use one of {', '.join(_KINDS)}") from None


def kind_of(item: Any) -> ExerciseKind:
    """The kind an item belongs to, by its model."""
    for model, kind in _BY_MODEL.items():
        if isinstance(item, model):
            return kind
    raise TypeError(f"no exercise kind for {type(item).__name__}")


def item_models() -> dict[str, type[ItemBase]]:
    """Each kind's item model, by kind name."""
    load_entry_points()
    return {name: kind.model for name, kind in _KINDS.items()}
