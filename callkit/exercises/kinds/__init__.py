"""The registry of exercise kinds: each kind is one module that registers itself by name.

An items file says `kind: classify` (or objective, value, compress, debrief); the registry gives the kind's
item model, check, HTML and answer form. Adding a kind is one new module with an ExerciseKind subclass and
a `register_kind(...)` call, like papermill's engine registry; a package outside callkit can add one through
the entry-point group `callkit.exercise_kinds` (each entry point names an ExerciseKind instance or class).
"""

from __future__ import annotations

from .base import AnswerForm, CheckContext, ExerciseKind, ItemBase, NotRestate, Strict, Text
from .registry import (ENTRY_POINT_GROUP, get_kind, item_models, kind_names, kind_of, load_entry_points,
                       register_kind)

# The kinds callkit ships; each module registers itself.
from . import classify, objective, value, compress, debrief  # noqa: F401  (this order is the workbooks' order)

__all__ = [
    "ENTRY_POINT_GROUP", "AnswerForm", "CheckContext", "ExerciseKind", "ItemBase", "NotRestate", "Strict", "Text",
    "get_kind", "item_models", "kind_names", "kind_of", "load_entry_points", "register_kind",
]
