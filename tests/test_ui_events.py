"""Debouncing and guarded callbacks."""

from __future__ import annotations

import asyncio

from callkit.exceptions import InvalidInputError
from callkit.ui.draft import as_date, to_jsonable
from callkit.ui.events import Debouncer, error_sentence, guarded


def test_without_an_event_loop_the_action_runs_at_once():
    runs = []
    d = Debouncer(lambda: runs.append(1), delay=10)
    d.trigger()
    d.trigger()
    assert runs == [1, 1] and not d.pending


def test_in_an_event_loop_fast_triggers_run_once():
    runs = []

    async def main():
        d = Debouncer(lambda: runs.append(1), delay=0.05)
        for _ in range(5):
            d.trigger()
        assert d.pending and runs == []
        await asyncio.sleep(0.2)
        d.trigger()
        d.flush()

    asyncio.run(main())
    assert runs == [1, 1]


def test_guarded_reports_one_sentence():
    shown = []

    def bad():
        raise InvalidInputError({"x": "The x is required."})

    def bug():
        raise ZeroDivisionError("boom")

    guarded(bad, shown.append)()
    guarded(bug, shown.append)()
    assert shown[0] == "The x is required."
    assert shown[1].startswith("Something went wrong (ZeroDivisionError)")
    assert guarded(lambda: 3, shown.append)() == 3
    assert error_sentence(KeyError("k")).endswith("tell your admin.")


def test_draft_values_round_trip_dates():
    from datetime import date

    data = to_jsonable({"d": date(2026, 1, 2), "rows": [{"by": date(2026, 3, 4)}], "t": ("a",)})
    assert data == {"d": "2026-01-02", "rows": [{"by": "2026-03-04"}], "t": ["a"]}
    assert as_date("2026-01-02") == date(2026, 1, 2)
    assert as_date("not a date") is None and as_date(None) is None
