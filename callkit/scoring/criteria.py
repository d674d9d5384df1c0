"""A rubric criterion as it is scored: its yes/no checks, the share passed, and one finding per failure.

Plan scoring and debrief scoring both build their criteria this way, so a point lost always comes with
the rubric's sentence saying why.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from ..models import Finding, sort_findings
from .rubric import CriterionRule


class CriterionScore(BaseModel):
    """One criterion of a score: its weight, the share of its checks passed, and a finding per failure."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    id: str
    label: str
    weight: float
    score: float  # 0..1, the share of checks passed
    checks: list[tuple[str, bool]]  # (check id, passed); a skipped check is not listed
    findings: list[Finding]


class CriterionBuilder:
    """Collects a criterion's check results and findings, then scores it (shared by plan and debrief)."""

    __slots__ = ("rule", "checks", "findings")

    def __init__(self, rule: CriterionRule):
        self.rule = rule
        self.checks: list[tuple[str, bool]] = []
        self.findings: list[Finding] = []

    def check(self, check_id: str, passed: bool, variant: str | None = None, hint: str | None = None, **values: Any) -> bool:
        """Record a check; a failure adds the rubric's finding for it."""
        self.checks.append((check_id, passed))
        if not passed:
            self.findings.append(self.rule.checks[check_id].finding(variant, hint, **values))
        return passed

    def note(self, finding: Finding) -> None:
        """A tip that costs no points (e.g. which clause of the objective counted)."""
        self.findings.append(finding)

    def covered(self, check_id: str) -> None:
        """Record a failed check already explained by a sibling's finding (e.g. a blank field fails both)."""
        self.checks.append((check_id, False))

    def build(self) -> CriterionScore:
        """The criterion's score: the share of its checks passed, with its findings worst first."""
        passed = sum(1 for _, ok in self.checks if ok)
        score = passed / len(self.checks) if self.checks else 1.0
        return CriterionScore.model_construct(
            id=self.rule.id, label=self.rule.label, weight=self.rule.weight, score=score,
            checks=self.checks, findings=sort_findings(self.findings),
        )


def weighted_total(criteria: list[CriterionScore]) -> int:
    """The weighted average of criterion scores, times 100, rounded (0..100); criteria with no checks don't count."""
    counted = [c for c in criteria if c.checks]
    weight = sum(c.weight for c in counted)
    if weight <= 0:
        return 0
    return round(100 * sum(c.weight * c.score for c in counted) / weight)
