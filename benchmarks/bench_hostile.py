"""The hostile suite as figures: cases tried and cases held, per section, and the total.

Runs pytest on tests/hostile/ in this process with a small plugin that sorts every test case into its section by
the file it lives in (the CSV corpus also by the kind of file: callkit's own CSV, Salesforce, HubSpot, a mapped
export). A case "holds" when its test passes: the exact outcome it asserts (a message naming file, row and column
with the workspace unchanged, a correct import, a one-sentence refusal) is what callkit did. A skipped case is
tried but not held, and is listed with its reason. Files other engineers add to tests/hostile/ (the workshop's
door, report faults) are counted in their own sections.

Run: .venv/bin/python benchmarks/bench_hostile.py [-k EXPRESSION] [--junit report.xml]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "hostile"

SECTIONS = {  # file stem -> section shown
    "test_csv_corpus": "CSV",
    "test_export": "export",
    "test_workspace_faults": "busy, read-only, faults",
    "test_round_trip": "round trip",
    "test_small_items": "smaller items",
    "test_workshop_door": "workshop door",
    "test_report_faults": "reports",
}


def section_of(item: pytest.Item) -> str:
    stem = Path(str(item.fspath)).stem
    name = SECTIONS.get(stem, stem.removeprefix("test_").replace("_", " "))
    if stem == "test_csv_corpus" and "[" in item.nodeid:
        kind = item.nodeid.split("[", 1)[1].split(":", 1)[0]
        if kind != item.nodeid.split("[", 1)[1].rstrip("]"):
            return f"{name}: {kind}"
    return name


class Tally:
    """A pytest plugin: per section, the cases tried, held and not held (with why)."""

    def __init__(self) -> None:
        self.tried: dict[str, int] = defaultdict(int)
        self.held: dict[str, int] = defaultdict(int)
        self.missed: dict[str, list[str]] = defaultdict(list)
        self._sections: dict[str, str] = {}

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            self._sections[item.nodeid] = section_of(item)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        section = self._sections.get(report.nodeid, "other")
        if report.when == "setup" and report.outcome != "passed":
            self.tried[section] += 1
            why = "skipped: " + str(report.longrepr[-1]) if report.skipped else "setup failed"
            self.missed[section].append(f"{report.nodeid.split('::', 1)[-1]} ({why})")
        elif report.when == "call":
            self.tried[section] += 1
            if report.passed:
                self.held[section] += 1
            else:
                self.missed[section].append(report.nodeid.split("::", 1)[-1])
        elif report.when == "teardown" and report.failed:
            self.missed[section].append(report.nodeid.split("::", 1)[-1] + " (teardown failed)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default=None, help="only the cases matching this pytest -k expression")
    parser.add_argument("--junit", default=None, help="also write a JUnit XML report here")
    args = parser.parse_args(argv)
    tally = Tally()
    pytest_args = ["-q", "-p", "no:cacheprovider", "-o", "addopts=", "--tb=line", "-rN", str(HOSTILE)]
    if args.k:
        pytest_args += ["-k", args.k]
    if args.junit:
        pytest_args += ["--junitxml", args.junit]
    code = pytest.main(pytest_args, plugins=[tally])
    order = list(dict.fromkeys(sorted(tally.tried, key=lambda s: (list(SECTIONS.values()).index(s.split(":")[0])
                                                                 if s.split(":")[0] in SECTIONS.values() else 99, s))))
    width = max([len(s) for s in order] + [len("total")])
    print()
    print(f"{'section':<{width}}  tried  held")
    for section in order:
        print(f"{section:<{width}}  {tally.tried[section]:>5}  {tally.held[section]:>4}")
    total_tried, total_held = sum(tally.tried.values()), sum(tally.held.values())
    print(f"{'total':<{width}}  {total_tried:>5}  {total_held:>4}")
    for section in order:
        for case in tally.missed[section]:
            print(f"not held [{section}]: {case}")
    return 0 if code in (0, 5) else int(code)


if __name__ == "__main__":
    sys.exit(main())
