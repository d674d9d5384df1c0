"""The smaller faults of the hostile run, each with its one sentence: a non-UTF-8 process.yaml or rubric.yaml, a
misspelt rubric section, an exercise override file holding only `items:`, a cell over the csv module's 128 KiB."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from callkit.exceptions import ProcessError, RubricError
from callkit.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "callkit.cli", *args], capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=300)


def test_a_process_yaml_saved_in_windows_1252_is_one_sentence(tmp_path: Path) -> None:
    Workspace.create(tmp_path / "ws").close()
    process = tmp_path / "ws" / "process.yaml"
    text = process.read_text(encoding="utf-8").replace("name: Prospect", "name: Prospect – première étape", 1)
    assert "première" in text
    process.write_bytes(text.encode("cp1252"))
    line = text[: text.index("première")].count("\n") + 1
    with Workspace.open(tmp_path / "ws") as ws, pytest.raises(ProcessError) as info:
        ws.process
    assert str(info.value).endswith(f"the sales-process file is not UTF-8 text (line {line} has a character saved in "
                                    "another encoding): open it in a text editor and save it as UTF-8.")
    result = cli("check", "Priya introduces us to the CFO by Friday", "--stage", "discover", "--workspace",
                 str(tmp_path / "ws"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "not UTF-8 text" in result.stderr and "unexpected" not in result.stderr


def test_a_rubric_yaml_in_latin_1_is_one_sentence(tmp_path: Path) -> None:
    from callkit.scoring.rubric import Rubric

    (tmp_path / "rubric.yaml").write_bytes("plan:\n  messages:\n    note: 'Très bien'\n".encode("latin-1"))
    with pytest.raises(RubricError, match=r"the rubric file is not UTF-8 text \(line 3 has"):
        Rubric.for_workspace(tmp_path)


@pytest.mark.parametrize("key, suggestion", [("plna", "plan"), ("debreif", "debrief"), ("deal-health", "deal_health")])
def test_a_misspelt_rubric_section_is_named_with_the_right_one(key: str, suggestion: str) -> None:
    from callkit.scoring.rubric import Rubric

    with pytest.raises(RubricError) as info:
        Rubric.from_text(f"{key}:\n  weights: {{objective: 30}}\n", source="rubric.yaml")
    assert f"'{key}:' is not a section of the rubric: did you mean '{suggestion}:'" in str(info.value)
    assert str(info.value).startswith("rubric.yaml")


def test_an_unknown_rubric_section_lists_the_sections() -> None:
    from callkit.scoring.rubric import Rubric

    sections = "'placeholders:', 'plan:', 'debrief:', 'deal_health:'"
    with pytest.raises(RubricError, match=rf"'zzz:' is not a section of the rubric: use {sections}\."):
        Rubric.from_text("zzz: 1\n", source="rubric.yaml")
    assert Rubric.from_text("plan:\n  weights: {}\n", source="rubric.yaml") is not None  # a right one still works


def test_an_exercise_override_holding_only_items_works(tmp_path: Path) -> None:
    from callkit.exercises.items import CUSTOM_FOLDER, load_workbook

    (tmp_path / CUSTOM_FOLDER).mkdir()
    (tmp_path / CUSTOM_FOLDER / "01_advance_or_continuation.yaml").write_text(yaml.safe_dump({"items": [
        {"id": "our-pilot", "about": "outcome", "text": "They signed the pilot agreement.", "answer": "advance",
         "why": "The client acted, with energy, toward a decision."}]}), encoding="utf-8")
    book = load_workbook("01_advance_or_continuation", workspace=tmp_path)
    shipped = load_workbook("01_advance_or_continuation")
    assert book.item_ids == shipped.item_ids + ["our-pilot"]
    assert book.title == shipped.title and book.kind == shipped.kind


def test_an_exercise_override_for_another_workbook_is_refused(tmp_path: Path) -> None:
    from callkit.exceptions import ExerciseItemsError
    from callkit.exercises.items import CUSTOM_FOLDER, load_workbook

    (tmp_path / CUSTOM_FOLDER).mkdir()
    (tmp_path / CUSTOM_FOLDER / "01_advance_or_continuation.yaml").write_text(
        "workbook: 02_sharpen_the_objective\nitems: []\n", encoding="utf-8")
    with pytest.raises(ExerciseItemsError):
        load_workbook("01_advance_or_continuation", workspace=tmp_path)


def test_the_cli_imports_a_cell_over_128_kib(tmp_path: Path) -> None:
    assert cli("init", str(tmp_path / "ws")).returncode == 0
    notes = "Long thread. " * 20_000  # 260 KB
    (tmp_path / "reps.csv").write_text("rep_id,name\nr01,Ana\n", encoding="utf-8")
    (tmp_path / "deals.csv").write_text("deal_id,rep_id,name,stage\nd001,r01,Line 7,discover\n", encoding="utf-8")
    (tmp_path / "calls.csv").write_text(f'call_id,deal_id,date,outcome,notes\nc0001,d001,2026-03-10,advance,"{notes}"\n',
                                        encoding="utf-8")
    result = cli("import", str(tmp_path / "ws"), "--reps", str(tmp_path / "reps.csv"), "--deals",
                 str(tmp_path / "deals.csv"), "--calls", str(tmp_path / "calls.csv"))
    assert result.returncode == 0, result.stderr
    with Workspace.open(tmp_path / "ws") as ws:
        assert ws.call("c0001").debrief.notes == notes.strip()
    big = "x" * (1024 * 1024 + 1)
    (tmp_path / "calls.csv").write_text(f"call_id,deal_id,date,outcome,notes\nc0002,d001,2026-03-11,advance,{big}\n",
                                        encoding="utf-8")
    result = cli("import", str(tmp_path / "ws"), "--deals", str(tmp_path / "deals.csv"), "--calls",
                 str(tmp_path / "calls.csv"))
    assert result.returncode == 1
    assert result.stderr == ("callkit: calls.csv, row 2, column 'notes': this cell holds 1.0 MB of text; callkit reads "
                             "cells of up to 1 MB: shorten it (or check the file for a stray quote).\n")
