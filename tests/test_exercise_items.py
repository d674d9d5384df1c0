"""Exercise items are data: every shipped file passes its schema, and a broken file names the file and item."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from callkit.exceptions import ExerciseItemsError
from callkit.exercises.items import (
    COACH_TOPICS,
    CUSTOM_FOLDER,
    ITEM_MODELS,
    WORKBOOKS,
    ClassifyItem,
    CompressItem,
    DebriefItem,
    ObjectiveItem,
    ValueItem,
    compress_options,
    load_items_file,
    load_workbook,
    shipped_items_path,
)
from callkit.process import SalesProcess

DATA = Path(__file__).resolve().parent.parent / "callkit" / "data" / "exercises"
KINDS = {
    "01_advance_or_continuation": ("classify", ClassifyItem),
    "02_sharpen_the_objective": ("objective", ObjectiveItem),
    "03_whats_in_it_for_the_customer": ("value", ValueItem),
    "04_compress_the_process": ("compress", CompressItem),
    "05_debrief_the_call": ("debrief", DebriefItem),
}


def raw(workbook: str) -> dict:
    return yaml.safe_load(shipped_items_path(workbook).read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict, name: str | None = None) -> Path:
    path = tmp_path / f"{name or data['workbook']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


# -- the shipped files ----------------------------------------------------------------------------


def test_every_data_file_is_a_known_workbook():
    assert sorted(p.stem for p in DATA.glob("*.yaml")) == sorted(WORKBOOKS)


@pytest.mark.parametrize("path", sorted(DATA.glob("*.yaml")), ids=lambda p: p.stem)
def test_item_file_is_valid_against_its_schema(path: Path):
    book = load_items_file(path)  # pydantic models per kind + checks against the sales process
    kind, model = KINDS[path.stem]
    assert book.kind == kind
    assert len(book.items) >= 8
    assert all(type(i) is model for i in book.items)
    assert len(set(book.item_ids)) == len(book.items)
    for item in raw(path.stem)["items"]:  # the file has no field the schema would silently drop
        assert set(item) <= set(ITEM_MODELS[kind].model_fields), item["id"]


@pytest.mark.parametrize("workbook", WORKBOOKS)
def test_items_are_loaded_from_the_data_file(workbook: str):
    book = load_workbook(workbook)
    data = raw(workbook)
    assert book.id == workbook
    assert book.title == data["title"]
    assert book.item_ids == [i["id"] for i in data["items"]]
    first = data["items"][0]
    for key, value in first.items():
        if isinstance(value, str):
            assert getattr(book.items[0], key) == value.strip()


def test_classify_items_use_the_categories_of_objectives_and_of_outcomes():
    book = load_workbook("01_advance_or_continuation")
    objectives = {i.answer for i in book.items if i.about == "objective"}
    outcomes = {i.answer for i in book.items if i.about == "outcome"}
    assert objectives == {"advance", "continuation", "seller_action"}  # what an objective can be
    assert outcomes == {"order", "advance", "continuation", "no_sale"}  # the four outcomes of a debrief (05)


def test_01_and_05_label_the_same_call_the_same_way():
    """The seed-000 call ("I presented ... I'll give him a proposal next week") is a continuation in both."""
    one = load_workbook("01_advance_or_continuation").item("proposal-next-week")
    five = load_workbook("05_debrief_the_call").item("pitched-the-product")
    assert one.about == "outcome" and one.answer == five.outcome == "continuation"
    assert load_workbook("01_advance_or_continuation").item("presented-capabilities").answer == "continuation"


def test_the_old_seller_label_still_loads_for_objectives_and_is_explained_for_outcomes(tmp_path: Path):
    data = raw("01_advance_or_continuation")
    data["items"] = [{"id": "ours-1", "about": "objective", "text": "Send the deck.", "answer": "not_client_action", "why": "Ours."}]
    book = load_items_file(write(tmp_path, data))
    assert book.items[0].answer == "seller_action"
    data["items"][0]["about"] = "outcome"
    with pytest.raises(ExerciseItemsError, match=r"item ours-1: .*order, advance, continuation or no_sale.*use continuation"):
        load_items_file(write(tmp_path, data))


def test_unquoted_yes_in_a_word_list_says_to_quote_it(tmp_path: Path):
    data = raw("02_sharpen_the_objective")
    data["items"][0]["not_restate"] = [{"words": [True], "why": "a yes is too early"}]
    with pytest.raises(ExerciseItemsError, match=r'item close-at-qualify: not_restate.words: write yes, no, on and off in quotes'):
        load_items_file(write(tmp_path, data))


def test_objective_items_name_the_people_in_the_call_and_what_not_to_restate():
    process = SalesProcess.default()
    for item in load_workbook("02_sharpen_the_objective").items:
        assert item.people, item.id
        names = [p for p in item.people if p[:1].isupper()]
        assert names and all(n in item.deal for n in names), item.id  # the people are the deal's own
        assert all(process.has_stage(s) for s in item.fits), item.id


def test_value_items_name_the_customers_stakes_in_the_scenarios_words():
    from callkit.exercises.text import shares_meaning

    for item in load_workbook("03_whats_in_it_for_the_customer").items:
        if item.ready:
            assert item.their_terms, item.id
            assert shares_meaning(item.example, item.their_terms), item.id
            assert shares_meaning(item.scenario, item.their_terms), item.id


def test_debrief_items_name_the_client_people_and_what_shows_each_commitment():
    from callkit.exercises.text import names_person, shares_meaning

    for item in load_workbook("05_debrief_the_call").items:
        assert item.people, item.id
        for c in item.accepted:
            assert any(names_person(c.who, p) for p in item.people), item.id
            assert shares_meaning(c.what, c.key_words()), item.id


def test_value_items_include_reschedule_cases():
    items = load_workbook("03_whats_in_it_for_the_customer").items
    assert any(not i.ready for i in items) and any(i.ready for i in items)
    assert all(i.example for i in items if i.ready)


def test_compress_items_model_the_call():
    """Every item gives the call's length and who attends, and the call can realistically do something."""
    from callkit.exercises.kinds.compress import CallModel

    process = SalesProcess.default()
    for item in load_workbook("04_compress_the_process").items:
        assert item.minutes and item.attendees, item.id
        assert str(item.minutes) in item.call, item.id  # the text says the same length
        assert all(set(a.roles) <= set(process.roles) for a in item.attendees), item.id
        most = CallModel(item, process).most()
        assert len(most) >= 2, item.id
        assert set(most) <= set(compress_options(item, process))


def test_every_activity_of_the_default_process_says_what_it_needs_of_a_call():
    process = SalesProcess.default()
    for stage in process.stages:
        for name in stage.activities:
            act = process.activity(name)
            assert act.minutes is not None or not act.in_call, name
            assert all(role in process.roles for group in act.who for role in group), name


def test_debrief_items_commitments_match_outcomes_and_leave_questions():
    items = load_workbook("05_debrief_the_call").items
    assert {i.outcome for i in items} == {"order", "advance", "continuation", "no_sale"}
    for item in items:
        assert (item.commitment is not None) == (item.outcome in ("advance", "order")), item.id
        assert set(item.answered) <= set(COACH_TOPICS)
    assert any(item.still_to_ask for item in items)


# -- malformed files ----------------------------------------------------------------------------


def broken_copy(tmp_path: Path, workbook: str, index: int, **changes: object) -> Path:
    data = raw(workbook)
    item = data["items"][index]
    for key, value in changes.items():
        if value is None:
            item.pop(key, None)
        else:
            item[key] = value
    return write(tmp_path, data)


def test_bad_answer_names_file_item_and_field(tmp_path: Path):
    path = broken_copy(tmp_path, "01_advance_or_continuation", 2, answer="maybe")
    with pytest.raises(ExerciseItemsError) as err:
        load_items_file(path)
    item_id = raw("01_advance_or_continuation")["items"][2]["id"]
    assert err.value.item == item_id
    assert str(err.value).startswith(f"01_advance_or_continuation.yaml, item {item_id}:")
    assert "answer" in str(err.value) and "advance" in str(err.value)


@pytest.mark.parametrize("workbook, index, changes, says", [
    ("02_sharpen_the_objective", 0, {"example": None},
     r"02_sharpen_the_objective\.yaml, item close-at-qualify: example: .*required"),  # a missing field is named
    ("03_whats_in_it_for_the_customer", 1, {"id": None}, r"item 2: id"),  # an item without id: named by position
    ("02_sharpen_the_objective", 3, {"stage": "discovery"},
     r"item site-visit-too-early: stage 'discovery' .*prospect, qualify"),  # an unknown stage: the valid ones listed
    ("05_debrief_the_call", 0, {"commitment": None}, r"item brightpack-logs: an advance needs the client's commitment"),
    ("05_debrief_the_call", 0, {"commitment": {"who": "Maria", "what": "Send logs", "by": "Friday"}},
     r"item brightpack-logs: commitment\.by: .*date like"),
    ("01_advance_or_continuation", 0, {"colour": "red"}, r"item demo-abc-module: colour"),  # an unknown field
])
def test_a_broken_item_is_named_with_what_is_wrong(tmp_path: Path, workbook: str, index: int,
                                                   changes: dict[str, object], says: str):
    path = broken_copy(tmp_path, workbook, index, **changes)
    with pytest.raises(ExerciseItemsError, match=says):
        load_items_file(path)


def test_misspelled_activity_is_named(tmp_path: Path):
    data = raw("04_compress_the_process")
    data["items"][0]["unrealistic"][0]["activity"] = "Meet the people affected"
    path = write(tmp_path, data)
    with pytest.raises(ExerciseItemsError, match=r"item qualify-with-finance: activity 'Meet the people affected' is not one"):
        load_items_file(path)


def test_duplicate_ids_are_refused(tmp_path: Path):
    data = raw("01_advance_or_continuation")
    data["items"][5]["id"] = data["items"][1]["id"]
    with pytest.raises(ExerciseItemsError, match=r"item persuade-dave: this id is used twice"):
        load_items_file(write(tmp_path, data))


def test_invalid_yaml_gives_the_line(tmp_path: Path):
    path = tmp_path / "01_advance_or_continuation.yaml"
    path.write_text("workbook: 01_advance_or_continuation\nkind: classify\nitems:\n  - id: a\n    why: one: two\n", encoding="utf-8")
    with pytest.raises(ExerciseItemsError, match=r"01_advance_or_continuation\.yaml: the file is not valid YAML at line 5"):
        load_items_file(path)


def test_wrong_kind_and_file_name_mismatch(tmp_path: Path):
    data = raw("01_advance_or_continuation")
    data["kind"] = "quiz"
    with pytest.raises(ExerciseItemsError, match=r"kind: kind 'quiz' is not a kind of exercise: use one of classify, objective"):
        load_items_file(write(tmp_path, data))
    data = raw("01_advance_or_continuation")
    with pytest.raises(ExerciseItemsError, match=r"is named renamed\.yaml"):
        load_items_file(write(tmp_path, data, name="renamed"))


def test_missing_file_and_unknown_workbook(tmp_path: Path):
    with pytest.raises(ExerciseItemsError, match="does not exist"):
        load_items_file(tmp_path / "nothing.yaml")
    with pytest.raises(ExerciseItemsError, match="no workbook called '99_nothing'"):
        load_workbook("99_nothing")


# -- a coach's own items --------------------------------------------------------------------------


def custom_file(folder: Path, items: list[dict], kind: str = "classify") -> Path:
    (folder / CUSTOM_FOLDER).mkdir(parents=True, exist_ok=True)
    data = {"workbook": "01_advance_or_continuation", "kind": kind, "title": "Our own", "source": "our coach", "items": items}
    return write(folder / CUSTOM_FOLDER, data)


def test_coach_items_in_the_workspace_are_added(tmp_path: Path):
    custom_file(tmp_path, [{"id": "our-1", "about": "outcome", "text": "They signed the pilot agreement.",
                            "answer": "advance", "why": "The client acted."}])
    book = load_workbook("01_advance_or_continuation", workspace=tmp_path)
    shipped = load_workbook("01_advance_or_continuation")
    assert book.item_ids == shipped.item_ids + ["our-1"]
    assert book.item("our-1").why == "The client acted."


def test_coach_items_must_not_reuse_an_id(tmp_path: Path):
    path = custom_file(tmp_path, [{"id": "persuade-dave", "about": "outcome", "text": "x", "answer": "advance", "why": "y"}])
    with pytest.raises(ExerciseItemsError) as err:
        load_workbook("01_advance_or_continuation", workspace=tmp_path)
    assert err.value.file == str(path) and err.value.item == "persuade-dave"
