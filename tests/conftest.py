"""Shared test setup: Jupyter/matplotlib write into a temp folder, and one sample workspace per session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_SANDBOX = Path(tempfile.mkdtemp(prefix="callkit-tests-"))


def pytest_configure(config: pytest.Config) -> None:
    """Point Jupyter, IPython and matplotlib at a temp folder; build the sample workspace kernels will use."""
    for var, sub in {
        "JUPYTER_DATA_DIR": "jupyter-data",
        "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
        "JUPYTER_CONFIG_DIR": "jupyter-config",
        "IPYTHONDIR": "ipython",
        "MPLCONFIGDIR": "matplotlib",
    }.items():
        path = _SANDBOX / sub
        path.mkdir(parents=True, exist_ok=True)
        os.environ[var] = str(path)
    os.environ["JUPYTER_PREFER_ENV_PATH"] = "1"
    os.environ.setdefault("MPLBACKEND", "Agg")
    ws_path = _SANDBOX / "sample-workspace"
    try:
        from callkit.workspace import Workspace

        if not ws_path.exists():
            Workspace.create(ws_path, sample=True).close()
        os.environ["CALLKIT_WORKSPACE"] = str(ws_path)
    except Exception as exc:  # noqa: BLE001 - report it once; tests that need it fail via sample_ws_path
        os.environ.pop("CALLKIT_WORKSPACE", None)
        print(f"conftest: the sample workspace could not be built: {type(exc).__name__}: {exc}")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SANDBOX, ignore_errors=True)


@pytest.fixture(scope="session")
def sample_ws_path() -> Path:
    """The session's sample workspace (8 reps); read it, don't write to it."""
    path = os.environ.get("CALLKIT_WORKSPACE")
    if not path:
        pytest.fail("the sample workspace could not be built (see callkit.workspace / callkit.sample)")
    return Path(path)


@pytest.fixture
def fresh_ws_path(sample_ws_path: Path, tmp_path: Path) -> Path:
    """A private copy of the sample workspace that a test may change."""
    dest = tmp_path / "ws"
    shutil.copytree(sample_ws_path, dest, ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    return dest
