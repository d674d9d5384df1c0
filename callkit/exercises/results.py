"""What a check says about one answer: passed or not, a score, each named check with its message, and notes.

Like an autograder (otter-grader's tests), every check has a success message and a failure message, so the
rep always hears why. `reveals_key` records whether the feedback gave the answer away (the right label, the
coach's version): a later pass of the same item then counts as "passed after help".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One named check: whether it passed and the message the rep sees."""

    name: str
    passed: bool
    message: str


@dataclass(frozen=True)
class CheckSpec:
    """A check's name with its success and failure messages."""

    name: str
    success: str
    failure: str

    def run(self, passed: bool, success: str | None = None, failure: str | None = None) -> Check:
        """The check's outcome, with the default message unless a more specific one is given."""
        text = (success or self.success) if passed else (failure or self.failure)
        return Check(self.name, passed, text)


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one answer: passed, score 0..1, the checks with their messages, and coaching notes."""

    passed: bool
    score: float
    checks: tuple[Check, ...] = ()
    notes: tuple[str, ...] = ()
    answer: str = ""  # the answer in words, as saved
    blank: bool = False  # nothing to judge yet: not saved
    reveals_key: bool = False  # the feedback shows the answer, so a later pass is "passed after help"

    @property
    def lines(self) -> list[str]:
        """Every message in order: the checks, then the notes."""
        return [c.message for c in self.checks] + list(self.notes)

    @property
    def feedback(self) -> str:
        """The feedback as saved with the result: one message per line."""
        return "\n".join(self.lines)

    def check(self, name: str) -> Check | None:
        """The named check, or None when this answer was not judged on it."""
        return next((c for c in self.checks if c.name == name), None)


def blank_result(message: str) -> CheckResult:
    """A result for an answer with nothing in it yet (not saved, not scored)."""
    return CheckResult(passed=False, score=0.0, notes=(message,), blank=True)


def scored(checks: tuple[Check, ...]) -> float:
    """The share of checks passed, rounded for display."""
    return round(sum(c.passed for c in checks) / len(checks), 3) if checks else 0.0
