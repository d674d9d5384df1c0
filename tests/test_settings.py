"""A workspace's settings.yaml: the time zone of its calls, read with one-sentence errors that name the file."""

from __future__ import annotations

import pytest

from callkit.exceptions import CallkitError, DataFileError
from callkit.settings import SETTINGS_NAME, SettingsError, WorkspaceSettings, machine_time_zone, time_zone_name
from callkit.workspace import Workspace


def _write(folder, text: str):
    path = folder / SETTINGS_NAME
    path.write_text(text, encoding="utf-8")
    return path


def test_without_the_file_the_zone_is_the_machines(tmp_path):
    assert WorkspaceSettings.for_folder(tmp_path).time_zone == machine_time_zone()


def test_the_machine_zone_is_tzlocals_iana_name():
    import tzlocal

    assert machine_time_zone() == time_zone_name(tzlocal.get_localzone_name())


def test_the_machine_zone_is_utc_when_it_cannot_be_told(monkeypatch):
    import tzlocal

    def broken():
        raise ValueError("no zone")

    monkeypatch.setattr(tzlocal, "get_localzone_name", broken)
    assert machine_time_zone() == "UTC"
    monkeypatch.setattr(tzlocal, "get_localzone_name", lambda: None)
    assert machine_time_zone() == "UTC"


@pytest.mark.parametrize("text,zone", [
    ("time_zone: Europe/Berlin\n", "Europe/Berlin"),
    ("time_zone: america/new_york\n", "America/New_York"),  # forgiving about case
    ("time_zone: America/New York\n", "America/New_York"),
    ("\ufefftime_zone: Asia/Kolkata  # our calls\n", "Asia/Kolkata"),
    ("# nothing set yet\n", None),
    ("time_zone:\n", None),
])
def test_the_zone_from_settings_yaml(tmp_path, text, zone):
    _write(tmp_path, text)
    assert WorkspaceSettings.for_folder(tmp_path).time_zone == (zone or machine_time_zone())


@pytest.mark.parametrize("text,problem", [
    ("time_zone: Europe/Berln\n", "time_zone 'Europe/Berln' is not a time zone: write Europe/Berlin."),
    ("time_zone: Mars/Olympus\n",
     "time_zone 'Mars/Olympus' is not a time zone: write an IANA name like Europe/Berlin."),
    ("time_zone: 5\n", "time_zone 5 is not a time zone: write an IANA name like Europe/Berlin."),
    ("timezone: Europe/Berlin\n", "'timezone' is not a setting callkit knows: write time_zone."),
    ("- Europe/Berlin\n", "the file must hold settings like 'time_zone: Europe/Berlin'."),
    ("time_zone: [Europe/Berlin\n", "the file is not valid YAML at line 2."),
])
def test_a_wrong_setting_is_one_sentence_naming_the_file(tmp_path, text, problem):
    path = _write(tmp_path, text)
    with pytest.raises(SettingsError) as err:
        WorkspaceSettings.for_folder(tmp_path)
    assert isinstance(err.value, DataFileError) and isinstance(err.value, CallkitError)
    assert err.value.path == str(path)
    assert str(err.value) == f"{path}: {problem}"


def test_every_setting_has_a_docstring():
    for name, field in WorkspaceSettings.model_fields.items():
        assert field.description and len(field.description) > 30, name


def test_the_workspace_exposes_its_settings(tmp_path):
    with Workspace.create(tmp_path / "ws") as ws:
        assert ws.settings.time_zone == machine_time_zone()
        _write(ws.path, "time_zone: Europe/Lisbon\n")
        assert ws.settings.time_zone == "Europe/Lisbon"  # a coach's edit counts without reopening
        _write(ws.path, "time_zone: Lisbon\n")
        with pytest.raises(SettingsError, match=r"settings\.yaml: time_zone 'Lisbon' is not a time zone"):
            ws.settings
