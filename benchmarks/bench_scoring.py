"""Speed of the scoring engine: prints figures, not pass/fail.

- assess_objective: median and p99 per call over varied objective texts (the sample team's objectives and
  fallbacks, the eval CSVs, callkit's labelled sets and odd inputs), with its own caches bypassed where it
  has them (target: median under 1 ms - it runs on every keystroke in the coaching form), against the rules
  before issue 9 (loaded from git, see previous_rules.py) timed on the same texts in the same run.
- score_plan: 10,000 plans of the sample team (its plans cycled), cold caches, with the deal's stage
  (target: under 5 s on a 2-core machine), against a baseline measured in the same run: a plain pydantic
  validation pass that builds the same 10,000 CallPlan models.

Run: .venv/bin/python benchmarks/bench_scoring.py [--plans 10000] [--eval-dir ../shared/eval]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MEDIAN_MS = 1.0
TARGET_PLANS_S = 5.0
REPEATS = 3


def eval_texts(eval_dir: Path) -> list[tuple[str, str | None]]:
    """(text, stage) rows of the labelled objective CSVs: the dev set (when the folder is there) and tests/data."""
    paths = [eval_dir / "objectives_dev.csv", *sorted((ROOT / "tests" / "data").glob("objectives_*.csv"))]
    out: list[tuple[str, str | None]] = []
    for path in paths:
        if not path.is_file():
            print(f"(no {path}: left out)")
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            out.extend((row["text"], row.get("stage") or None) for row in csv.DictReader(fh))
    return out


def odd_texts() -> list[tuple[str, str | None]]:
    """Inputs a form sees while someone types: blank, partial, very long, non-English, emoji."""
    return [("", None), ("   ", "discover"), ("Pri", "discover"), ("Priya agrees", "discover"),
            ("x" * 10_000, "discover"), ("Le client signe le contrat la semaine prochaine", "close"),
            ("🚀🚀 close it 🚀🚀", "negotiate"), ("顧客が契約に署名する", "propose")]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _time(fn, texts: list[tuple[str, str | None]], rounds: int, process) -> list[float]:
    for text, stage in texts[:20]:  # warm-up: imports, compiled patterns, lazy word lists
        fn(text, stage=stage, process=process)
    times: list[float] = []
    for _ in range(rounds):
        for text, stage in texts:
            t0 = time.perf_counter_ns()
            fn(text, stage=stage, process=process)
            times.append((time.perf_counter_ns() - t0) / 1e6)
    return times


def bench_assess(texts: list[tuple[str, str | None]], rounds: int) -> None:
    import sys

    from callkit.process import SalesProcess
    from callkit.scoring import objective as objective_module

    process = SalesProcess.default()
    fn = objective_module.assess_objective
    uncached = getattr(fn, "__wrapped__", fn)  # bypass an lru_cache on the function itself, if any
    times = _time(uncached, texts, rounds, process)
    median = statistics.median(times)
    print(f"assess_objective: {len(texts)} distinct texts x {rounds} rounds = {len(times)} calls")
    print(f"  median {median:.3f} ms   p99 {percentile(times, 0.99):.3f} ms   max {max(times):.3f} ms")
    print(f"  median / {TARGET_MEDIAN_MS:g} ms target = {median / TARGET_MEDIAN_MS:.2f}")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from previous_rules import BASELINE, previous

    old = previous()
    if old is None:
        print("  (previous rules not available: no git history here)")
        return
    before = _time(old[0], texts, rounds, process)
    print(f"rules before issue 9 (commit {BASELINE}), same texts, same run:")
    print(f"  median {statistics.median(before):.3f} ms   p99 {percentile(before, 0.99):.3f} ms")
    print(f"  median now / before = {median / statistics.median(before):.2f}x")


def bench_score_plan(n_plans: int) -> None:
    from callkit.models import CallPlan
    from callkit.process import SalesProcess
    from callkit.sample import make_sample_team
    from callkit.scoring import plan as plan_module
    from callkit.scoring.plan import Rubric, score_plan

    t0 = time.perf_counter()
    team = make_sample_team()
    t_team = time.perf_counter() - t0
    stage_of = {d.deal_id: d.stage for d in team.deals}
    pairs = [(c.plan, stage_of.get(c.deal_id)) for c in team.calls if c.plan is not None]
    if not pairs:
        print("score_plan: the sample team has no plans")
        return
    work = list(islice(cycle(pairs), n_plans))
    distinct = len({(p.objective, s) for p, s in pairs})
    print(f"sample team: {len(team.calls)} calls, {len(pairs)} plans, {distinct} distinct (objective, stage) "
          f"pairs (built in {t_team:.2f} s)")

    dumps = [p.model_dump() for p, _ in work]
    base_runs = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        for data in dumps:
            CallPlan.model_validate(data)
        base_runs.append(time.perf_counter() - t0)
    t_base = statistics.median(base_runs)

    process = SalesProcess.default()
    t0 = time.perf_counter()
    rubric = Rubric.default()
    t_rubric = time.perf_counter() - t0
    cold_runs, warm_runs = [], []
    for _ in range(REPEATS):
        plan_module.cached_objective.cache_clear()
        plan_module.cached_customer_centric.cache_clear()
        t0 = time.perf_counter()
        totals = [score_plan(p, process, rubric, stage=s).total for p, s in work]
        cold_runs.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for p, s in work:
            score_plan(p, process, rubric, stage=s)
        warm_runs.append(time.perf_counter() - t0)
    t_cold, t_warm = statistics.median(cold_runs), statistics.median(warm_runs)

    print(f"rubric load (once): {t_rubric * 1000:.1f} ms")
    print(f"medians of {REPEATS} runs each:")
    print(f"baseline - validate {n_plans:,} CallPlan models with pydantic: {t_base:.3f} s")
    print(f"score_plan x {n_plans:,} (cold caches): {t_cold:.3f} s = {t_cold / n_plans * 1e6:.0f} us/plan "
          f"(fastest run {min(cold_runs):.3f} s)")
    print(f"  / {TARGET_PLANS_S:g} s target = {t_cold / TARGET_PLANS_S:.3f}   / baseline = {t_cold / t_base:.2f}x")
    print(f"score_plan x {n_plans:,} (warm caches): {t_warm:.3f} s   / baseline = {t_warm / t_base:.2f}x")
    print(f"  mean total {statistics.mean(totals):.1f}, min {min(totals)}, max {max(totals)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    args = parser.parse_args()

    from callkit.sample import make_sample_team

    team = make_sample_team()
    stage_of = {d.deal_id: d.stage for d in team.deals}
    texts = {(c.plan.objective, stage_of.get(c.deal_id)) for c in team.calls if c.plan is not None}
    texts |= {(c.plan.fallback, None) for c in team.calls if c.plan is not None and c.plan.fallback}
    texts |= set(eval_texts(args.eval_dir)) | set(odd_texts())
    bench_assess(sorted(texts, key=lambda t: (t[0], t[1] or "")), args.rounds)
    print()
    bench_score_plan(args.plans)


if __name__ == "__main__":
    main()
