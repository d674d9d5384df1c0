"""`mypy callkit` with the configuration in pyproject.toml finds no type errors (CI runs it with the other slow tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_type_errors_in_callkit(monkeypatch: pytest.MonkeyPatch) -> None:
    from mypy import api

    monkeypatch.chdir(ROOT)  # pyproject.toml names the package to check: packages = ["callkit"]
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", "/dev/null"])
    assert status == 0, out + err
