"""A report run's progress also times each phase: the start-up until the first rep, then the pace per rep."""

from __future__ import annotations

import pytest

from callkit.reports import progress


def test_progress_times_the_first_step_and_the_pace_after_it(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([10.0, 14.0, 14.5, 15.5])  # began, then three steps
    monkeypatch.setattr(progress.time, "perf_counter", lambda: next(clock))
    bar = progress.Progress(3, "Writing reports", enabled=False)
    assert bar.first is None and bar.each is None
    bar.step()
    assert bar.first == 4.0 and bar.each is None  # one step: no pace yet
    bar.step()
    bar.step()
    assert bar.first == 4.0 and bar.each == 0.75  # (15.5 - 14.0) over the two steps after the first
