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


# Tests that start a real browser, a Jupyter kernel, a Voila server, a papermill batch or a Dask cluster.
# They are marked `slow` (and the browser ones `browser`) so that the development loop can skip them:
# `./scripts/test -m "not slow"` runs in under a minute; CI runs everything.
BROWSER_MODULES = frozenset({
    "test_agenda_browser.py", "test_exercise_browser.py", "test_ui_dates_browser.py", "test_workshop_browser.py",
    "test_workshop_kernels.py", "test_workshop_door.py",
})
SLOW_MODULES = BROWSER_MODULES | frozenset({
    "test_reports.py", "test_report_engine.py", "test_report_faults.py", "test_workspace_faults.py",
    "test_eval.py", "test_exercise_answers.py", "test_types.py",
})
# Fixtures that start a kernel, a server or a report batch: any test using one is slow wherever it lives.
SLOW_FIXTURES = frozenset({"server", "browser", "page", "workshop", "report_run", "reports_out", "kernel",
                           "cluster", "notebook_run"})
# Single tests elsewhere that take seconds: a console-script round trip, hypothesis, a 200-rep team.
SLOW_TESTS = frozenset({"test_console_script_round_trip", "test_random_plans_and_debriefs_round_trip",
                        "test_two_hundred_reps_cycle_the_habits"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark kernel, server and browser tests `slow`, browser tests `browser`, and notebook cells (nbval) `slow`."""
    for item in items:
        name = item.path.name
        test = getattr(item, "originalname", None) or item.name
        if name in BROWSER_MODULES or "in_the_browser" in test:
            item.add_marker(pytest.mark.browser)
        fixtures = set(getattr(item, "fixturenames", ()))
        if (name in SLOW_MODULES or test in SLOW_TESTS or item.path.suffix == ".ipynb" or fixtures & SLOW_FIXTURES
                or item.get_closest_marker("browser")):
            item.add_marker(pytest.mark.slow)


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
def ws(fresh_ws_path: Path):
    """A private copy of the sample workspace, open (a test module may define its own `ws`, e.g. an empty one)."""
    from callkit.workspace import Workspace

    with Workspace.open(fresh_ws_path) as workspace:
        yield workspace


@pytest.fixture
def fresh_ws_path(sample_ws_path: Path, tmp_path: Path) -> Path:
    """A private copy of the sample workspace that a test may change."""
    dest = tmp_path / "ws"
    shutil.copytree(sample_ws_path, dest, ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    return dest
