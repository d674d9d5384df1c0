"""Benchmark the coaching page on a 200-rep sample workspace: typing -> scorecard, and building a deal's page.

Prints medians with a baseline measured in the same run and the ratio (no pass/fail):
- objective changed -> scorecard updated (the function the debounced handler calls), vs score_plan alone;
  target: median under 50 ms;
- the whole page for one deal (picker, timeline with its chart, plan form, agenda, debrief), vs an ipywidgets
  VBox holding as many plain widgets as the page has; target: under 1 s.

Run: .venv/bin/python benchmarks/bench_ui.py [--reps 200] [--runs 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

OBJECTIVES = (
    "Demonstrate the reporting module",
    "Priya agrees to run a two-week pilot on two depots by 4 December",
    "Keep the momentum going",
    "Close the deal",
    "The CFO books a 30-minute business-case review with us by Friday",
)


def dom_widgets(root) -> int:
    """How many widgets the page shows (the tree under `root`)."""
    return 1 + sum(dom_widgets(child) for child in getattr(root, "children", ()))


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def typing_runs(session, runs: int) -> tuple[list[float], list[float]]:
    """Inside a running loop, like a kernel: setting the value schedules the debounced update, which we run now."""
    from callkit.scoring.plan import score_plan

    form = session.plan_form
    stage = form.deal.stage
    measured, baseline = [], []
    for i in range(runs):
        text = f"{OBJECTIVES[i % len(OBJECTIVES)]} ({i})"  # a new text each time: no cached assessment
        start = time.perf_counter()
        form.controls["objective"].value = text
        form.scorer.cancel()
        form.update_scorecard()
        measured.append(time.perf_counter() - start)
        form.draft.debouncer.cancel()

        plan = form.preview_plan().model_copy(update={"objective": f"{text} [baseline]"})
        start = time.perf_counter()
        score_plan(plan, process=form.process, stage=stage)
        baseline.append(time.perf_counter() - start)
    return measured, baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30, help="objective changes to time")
    parser.add_argument("--builds", type=int, default=5, help="page builds to time")
    args = parser.parse_args()

    import ipywidgets as widgets

    from callkit.ui.session import CoachingSession
    from callkit.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="callkit-bench-ui-") as tmp:
        start = time.perf_counter()
        ws = Workspace.create(Path(tmp) / "ws", sample=True, reps=args.reps)
        print(f"sample workspace: {args.reps} reps, {ws.counts()['deals']} deals, {ws.counts()['calls']} calls "
              f"({time.perf_counter() - start:.1f} s to create)")
        deals = sorted(ws.deals(), key=lambda d: len(ws.calls(deal_id=d.deal_id)))
        deal = deals[len(deals) // 2]  # a deal with a typical number of calls
        print(f"deal {deal.deal_id}: {len(ws.calls(deal_id=deal.deal_id))} calls, "
              f"{len(deal.close_date_history)} close-date changes")

        start = time.perf_counter()
        session = CoachingSession(ws, deal_id=deal.deal_id)
        cold = time.perf_counter() - start
        builds = []
        for _ in range(args.builds):
            start = time.perf_counter()
            session.open_deal(deal)
            builds.append(time.perf_counter() - start)
        count = dom_widgets(session)
        base_builds = []
        for _ in range(args.builds):
            start = time.perf_counter()
            box = widgets.VBox([widgets.HTML("x") for _ in range(count)])
            base_builds.append(time.perf_counter() - start)
            box.close()
        page = statistics.median(builds)
        base = statistics.median(base_builds)
        print(f"\nwhole page for one deal ({count} widgets): median {page * 1000:.0f} ms over {args.builds} builds "
              f"(first build, with imports: {cold * 1000:.0f} ms); target < 1000 ms")
        print(f"  baseline, a VBox of {count} HTML widgets: median {base * 1000:.0f} ms; ratio {page / base:.1f}x")

        measured, baseline = asyncio.run(typing_runs(session, args.runs))
        m, b = median_ms(measured), median_ms(baseline)
        print(f"\nobjective changed -> scorecard updated: median {m:.1f} ms over {args.runs} changes "
              f"(max {max(measured) * 1000:.1f} ms); target < 50 ms")
        print(f"  baseline, score_plan alone: median {b:.1f} ms; ratio {m / b:.1f}x")
        ws.close()


if __name__ == "__main__":
    main()
