"""The sales process: the default stages, custom files, and clear errors for malformed ones."""

from __future__ import annotations

from pathlib import Path

import pytest

import callkit as ck
from callkit.exceptions import UnknownStageError
from callkit.process import DEFAULT_STAGE_IDS, SalesProcess


def test_default_process_has_the_eight_stages_in_order():
    proc = ck.SalesProcess.default()
    assert proc.stage_ids == list(DEFAULT_STAGE_IDS)
    for stage in proc.stages:
        assert 3 <= len(stage.activities) <= 6, stage.id


def test_default_activities_match_the_issue_examples():
    proc = ck.SalesProcess.default()
    qualify = [a.lower() for a in proc.stage("qualify").activities]
    assert "confirm a budget range" in qualify
    assert "identify who decides and how" in qualify
    validate = " | ".join(proc.stage("validate").activities).lower()
    for cue in ("pilot", "site visit", "reference", "business case", "security", "economic buyer"):
        assert cue in validate


def test_index_next_stages_and_last_steps():
    proc = ck.SalesProcess.default()
    assert proc.index("prospect") == 0
    assert proc.index("close") == 7
    assert [s.id for s in proc.next_stages("propose")] == ["negotiate", "close"]
    assert proc.next_stages("close") == []
    assert proc.is_last_steps("negotiate") and proc.is_last_steps("close")
    assert not proc.is_last_steps("propose")


def test_activities_after_covers_the_rest_of_the_stage_and_the_next():
    proc = ck.SalesProcess.default()
    discover = proc.stage("discover").activities
    solution = proc.stage("solution").activities
    assert proc.activities_after("discover") == discover + solution
    done = [discover[0].upper()]  # completed activities match case-insensitively
    assert proc.activities_after("discover", completed=done) == discover[1:] + solution
    assert proc.activities_after("close", lookahead=3) == proc.stage("close").activities
    assert proc.stage_of_activity(solution[1].lower()) == "solution"
    assert proc.stage_of_activity("Something else") is None


def test_unknown_stage_names_the_valid_ids():
    proc = ck.SalesProcess.default()
    with pytest.raises(ck.UnknownStageError) as err:
        proc.stage("discovery")
    assert "discovery" in str(err.value) and "discover" in err.value.valid
    assert isinstance(err.value, ck.CallkitError)


def test_custom_process_round_trips_through_yaml(tmp_path: Path):
    path = tmp_path / "process.yaml"
    path.write_text(
        "name: Inside sales\nstages:\n"
        "  - id: connect\n    activities: [Book a discovery call, Confirm the pain]\n"
        "  - id: demo\n    name: Demo\n    activities: [Demo on their data]\n"
        "  - id: close\n    activities: [Signed order]\n",
        encoding="utf-8",
    )
    proc = ck.SalesProcess.from_yaml(path)
    assert proc.stage_ids == ["connect", "demo", "close"]
    assert proc.stage("connect").name == "Connect"
    again = ck.SalesProcess.from_text(proc.to_yaml())
    assert again.to_dict() == proc.to_dict()


@pytest.mark.parametrize(
    "text, problem",
    [
        ("stages: [\n", "not valid YAML"),
        ("name: x\n", "'stages:' list"),
        ("stages:\n  - activities: [a]\n", "stage 1 has no 'id'"),
        ("stages:\n  - id: a\n    activities: [x]\n  - id: a\n    activities: [y]\n", "appears twice"),
        ("stages:\n  - id: a\n    activities: []\n", "needs an 'activities:' list"),
        ("stages:\n  - just text\n", "must be a mapping"),
    ],
)
def test_malformed_process_file_names_file_and_problem(tmp_path: Path, text: str, problem: str):
    (tmp_path / "bad_process.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ck.ProcessError, match="bad_process.yaml") as err:
        ck.SalesProcess.from_yaml(tmp_path / "bad_process.yaml")
    assert problem in str(err.value)


def test_missing_process_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(ck.ProcessError, match="does not exist"):
        ck.SalesProcess.from_yaml(tmp_path / "nope.yaml")


def test_a_stage_is_found_by_its_id_or_its_name_in_any_case():
    proc = SalesProcess.default()
    assert proc.stage_id_for("discover") == proc.stage_id_for("Discover") == proc.stage_id_for(" DISCOVER ") == "discover"
    assert proc.find_stage("Nowhere") is None
    with pytest.raises(UnknownStageError, match="use one of prospect, qualify"):
        proc.stage_id_for("Nowhere")
