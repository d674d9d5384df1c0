"""Exercise kinds are a registry: a new kind is one module (model, check, HTML, form) registered by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from callkit.exceptions import ExerciseItemsError
from callkit.exercises.checks import check_answer
from callkit.exercises.items import WORKBOOKS, load_items_file, load_workbook
from callkit.exercises.kinds import CheckContext, ExerciseKind, ItemBase, Text, get_kind, kind_names, kind_of, register_kind
from callkit.exercises.results import CheckResult, CheckSpec, blank_result


class SpotItem(ItemBase):
    """Say whether a sentence names a date."""

    sentence: Text
    dated: bool


SPOT = CheckSpec("dated", "Right.", "Look again at the sentence.")


class SpotKind(ExerciseKind):
    name = "spot_the_date"
    model = SpotItem

    def coerce(self, answer: object) -> object:
        return answer if isinstance(answer, bool) else None

    def check(self, item: SpotItem, answer: Any, ctx: CheckContext) -> CheckResult:
        if answer is None:
            return blank_result("Choose yes or no first.")
        ok = answer == item.dated
        return CheckResult(ok, float(ok), (SPOT.run(ok),), (), "Yes" if answer else "No", reveals_key=not ok)

    def item_html(self, item: SpotItem, ctx: CheckContext) -> str:
        return f"<p>{item.sentence}</p>"

    def title(self, item: SpotItem) -> str:
        return item.sentence

    def form(self, item: SpotItem, ctx: CheckContext, report: Any) -> Any:
        import ipywidgets as widgets

        class Form:
            def __init__(self) -> None:
                self.widget = widgets.ToggleButtons(options=[("Yes", True), ("No", False)], value=None)

            def value(self) -> object:
                return self.widget.value

            def restore(self, saved: Any) -> None:
                self.widget.value = saved.answer == "Yes"

        return Form()

    def from_notation(self, written: str) -> object:
        return written.strip() == "yes"

    def model_answer(self, item: SpotItem, ctx: CheckContext) -> object:
        return item.dated


def test_the_shipped_kinds_are_registered_by_name():
    assert {"classify", "objective", "value", "compress", "debrief"} <= set(kind_names())
    for workbook in WORKBOOKS:
        book = load_workbook(workbook)
        kind = get_kind(book.kind)
        assert all(kind_of(i) is kind for i in book.items)


def test_a_new_kind_is_one_registered_class(tmp_path: Path):
    register_kind(SpotKind)
    path = tmp_path / "06_spot_the_date.yaml"
    path.write_text(yaml.safe_dump({"workbook": "06_spot_the_date", "kind": "spot_the_date", "title": "Dated?",
                                    "source": "our coach", "items": [{"id": "fri", "sentence": "By Friday.", "dated": True}]}),
                    encoding="utf-8")
    book = load_items_file(path)
    it = book.item("fri")
    assert isinstance(it, SpotItem) and kind_of(it).name == "spot_the_date"
    assert check_answer(it, True).passed and not check_answer(it, False).passed and check_answer(it, "x").blank

    from callkit.exercises.progress import ExerciseSession, MemoryStore
    from callkit.ui.exercise import answer_form, item_html

    session = ExerciseSession(book, "guest", MemoryStore())
    assert session.submit(True).passed
    assert "By Friday." in item_html(it, 1, 1)
    assert answer_form(it, session.process, print).value() is None


def test_a_second_kind_with_a_taken_name_is_refused():
    class Other(SpotKind):
        pass

    register_kind(SpotKind)
    with pytest.raises(ValueError, match="already registered"):
        register_kind(Other)
    register_kind(Other, replace=True)
    register_kind(SpotKind, replace=True)


def test_a_kind_must_say_how_it_checks_shows_and_is_answered():
    class NoCheck(ExerciseKind):
        name = "no_check"
        model = SpotItem

        def item_html(self, item: SpotItem, ctx: CheckContext) -> str:
            return ""

    with pytest.raises(TypeError, match="check"):
        register_kind(NoCheck)  # abstract: cannot even be made

    class NoForm(SpotKind):
        name = "no_form"
        form = ExerciseKind.form  # back to the default, with no form_class

    with pytest.raises(ValueError, match="needs a form_class or its own form method"):
        register_kind(NoForm)
    assert "no_check" not in kind_names() and "no_form" not in kind_names()


def test_an_unknown_kind_names_the_known_ones():
    with pytest.raises(KeyError, match="use one of classify"):
        get_kind("quiz")


def test_the_checks_module_has_no_isinstance_dispatch():
    source = (Path(__file__).resolve().parent.parent / "callkit" / "exercises" / "checks.py").read_text(encoding="utf-8")
    assert "isinstance" not in source


def test_an_item_that_names_an_unknown_role_is_refused(tmp_path: Path):
    data = yaml.safe_load((Path(__file__).resolve().parent.parent / "callkit" / "data" / "exercises"
                           / "04_compress_the_process.yaml").read_text(encoding="utf-8"))
    data["items"][0]["attendees"][0]["roles"] = ["champion"]
    path = tmp_path / "04_compress_the_process.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ExerciseItemsError, match=r"item qualify-with-finance: role 'champion' is not one of the roles"):
        load_items_file(path)
