"""The coaching rubric: weights, yes/no checks, messages, word lists and thresholds, read from rubric.yaml.

callkit/data/rubric.yaml holds it; a workspace may override any part with its own rubric.yaml (coaches edit
the file, not the code). Plan scoring, debrief scoring, deal health and the exercises all read their
weights, messages and thresholds from here. The rules come from the seed articles (000-004); see the
`source:` keys in the file.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..datafiles import not_utf8, packaged_text, parse_yaml
from ..exceptions import RubricError
from ..models import LEARNED_TOPICS, SEVERITY_RANK, Finding, Severity


RUBRIC_FILE = "rubric.yaml"

# The shape of rubric.yaml: criteria and check ids the code knows how to evaluate, in display order.
PLAN_CHECKS: dict[str, tuple[str, ...]] = {
    "objective": ("advance", "specific", "realistic"),
    "fallback": ("present", "client_action"),
    "customer_value": ("answered", "their_terms"),
    "agenda": ("has_items", "shared", "agreed", "theirs"),
    "compression": ("purpose", "good", "excellent"),
    "homework": ("goals", "obstacles", "industry"),
    "questions": ("has_questions", "business_context"),
}
DEBRIEF_CHECKS: dict[str, tuple[str, ...]] = {
    "outcome": ("consistent", "fallback_met", "best_met"),
    "learned": LEARNED_TOPICS,
    "follow_up": ("recorded", "dated"),
    "next_call": ("set",),
    "close_date": ("held",),
}
DEAL_MESSAGES = ("slips", "monthly_slips", "continuations", "no_advance", "never_advanced", "stalled", "past_close_date",
                 "stuck", "quiet", "no_next_meeting", "single_threaded", "unbacked_advances", "headline")

# Names a message may quote with {name}; anything else is a typo a coach should hear about.
PLACEHOLDERS = frozenset(
    "objective fallback value count times steps questions date agreed_on call_date stage implied suggestion next "
    "missing unknown before after days path dates since why cap items usual ago who status".split()
)
_TEXT_KEYS_NOT_TEMPLATES = {"label", "severity", "source"}


# -- the rubric ------------------------------------------------------------------------------------


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def fill(template: str, **values: Any) -> str:
    """A rubric message with its {placeholders} filled in; names not given become blank."""
    return template.format_map(_Blank(values))


@dataclass(frozen=True)
class CheckRule:
    """One yes/no check of the rubric: its label, severity and the message shown when it fails."""

    code: str
    label: str
    severity: Severity
    message: str
    tip: str | None
    source: str | None
    variants: Mapping[str, str]

    def finding(self, variant: str | None = None, hint: str | None = None, **values: Any) -> Finding:
        """The Finding for a failure; `variant` picks another message, `hint` appends a variant to the tip."""
        text = self.variants.get(variant, self.message) if variant else self.message
        tip = self.tip
        if hint and hint in self.variants:
            extra = fill(self.variants[hint], **values)
            tip = f"{tip} {extra}" if tip else extra
        return Finding(code=self.code, severity=self.severity, message=fill(text, **values), tip=tip)


@dataclass(frozen=True)
class CriterionRule:
    """A weighted criterion of the rubric and its checks."""

    id: str
    label: str
    weight: float
    checks: Mapping[str, CheckRule]
    extra: Mapping[str, Any]


def _merge(base: Any, override: Any) -> Any:
    """`override` laid over `base`: mappings merge key by key, anything else is replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = _merge(base.get(key), value) if key in base else value
        return out
    return override


class Rubric:
    """The coaching rubric: criterion weights, check messages and word lists, read from YAML once."""

    def __init__(self, data: Mapping[str, Any], source: str | None = None):
        self.source = source
        self.data = data
        self.placeholders = frozenset(self._words(data, "placeholders"))
        plan = self._section(data, "plan")
        self.plan: dict[str, CriterionRule] = self._criteria(plan, "plan", PLAN_CHECKS)
        self.debrief: dict[str, CriterionRule] = self._criteria(self._section(data, "debrief"), "debrief", DEBRIEF_CHECKS)
        ready = self._section(plan, "ready", "plan.")
        self.ready = self._rule("plan.not_ready", {k: v for k, v in ready.items() if k not in ("missing", "cap_without_advance")},
                                "plan.ready")
        cap = ready.get("cap_without_advance", 100)
        if isinstance(cap, bool) or not isinstance(cap, (int, float)) or not 0 <= cap <= 100:
            raise RubricError(source, "plan.ready.cap_without_advance must be a number from 0 to 100 (100 = no cap).")
        self.cap_without_advance = float(cap)
        missing = ready.get("missing")
        if not isinstance(missing, dict) or set(missing) != {"advance", "customer_value", "agenda"}:
            raise RubricError(source, "plan.ready.missing needs the phrases advance, customer_value and agenda.")
        self.ready_missing: dict[str, str] = {k: str(v) for k, v in missing.items()}
        health = self._section(data, "deal_health")
        messages = self._section(health, "messages", "deal_health.")
        self.deal_messages: dict[str, CheckRule] = {}
        for name in DEAL_MESSAGES:
            node = messages.get(name)
            if not isinstance(node, dict):
                raise RubricError(source, f"deal_health.messages needs a {name!r} message.")
            self.deal_messages[name] = self._rule(f"deal.{name}", node, f"deal_health.messages.{name}")
        self.deal_settings = {k: v for k, v in health.items() if k != "messages"}
        self._check_deal_settings()
        compression = self.plan["compression"].extra
        questions = self.plan["questions"].extra
        self.follow_up_re = _phrases_re(self._words(compression, "follow_up_words", "plan.criteria.compression."))
        self.business_re = _prefix_re(self._words(questions, "business_cues", "plan.criteria.questions."))
        self.filler_re = _phrases_re(self._words(questions, "filler_questions", "plan.criteria.questions."))

    # -- loading ---------------------------------------------------------------------------------
    @classmethod
    def default(cls) -> "Rubric":
        """The rubric shipped with callkit (callkit/data/rubric.yaml), loaded once."""
        return _default_rubric()

    @classmethod
    def load(cls, path: str | Path) -> "Rubric":
        """A rubric file laid over the default one (it may hold only the parts it changes); cached per file version."""
        path = Path(path)
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise RubricError(path, "the rubric file does not exist.") from None
        except OSError as exc:
            raise RubricError(path, f"the rubric file cannot be read ({exc.strerror}).") from None
        return _load_rubric(str(path.resolve()), stat.st_mtime_ns, stat.st_size)

    @classmethod
    def for_workspace(cls, workspace: Any) -> "Rubric":
        """The workspace's rubric.yaml when it has one, else the default; accepts a path or a Workspace."""
        folder = Path(getattr(workspace, "path", workspace))
        own = folder / RUBRIC_FILE
        return cls.load(own) if own.is_file() else cls.default()

    @classmethod
    def from_text(cls, text: str, source: str | None = None) -> "Rubric":
        """Parse rubric YAML text laid over the default rubric; `source` names it in error messages."""
        data = parse_yaml(text, source, RubricError)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise RubricError(source, "the rubric must be a mapping with 'plan:', 'debrief:' or 'deal_health:'.")
        known = list(_default_data())
        for key in data:
            if key not in known:  # a misspelt section would otherwise be ignored, and the coach's change with it
                from difflib import get_close_matches

                close = get_close_matches(str(key), known, n=1, cutoff=0.5)
                sections = ", ".join(f"'{k}:'" for k in known)
                fix = f"did you mean '{close[0]}:' (the sections are {sections})?" if close else f"use {sections}."
                raise RubricError(source, f"'{key}:' is not a section of the rubric: {fix}")
        return cls(_merge(_default_data(), data), source=source)

    # -- queries ---------------------------------------------------------------------------------
    def weights(self, section: str = "plan") -> dict[str, float]:
        """Criterion id -> weight, for 'plan' or 'debrief'."""
        return {c.id: c.weight for c in getattr(self, section).values()}

    def is_answered(self, text: str) -> bool:
        """True when a text field says something: not blank, not a placeholder like 'TBD', not only symbols."""
        key = text.strip().lower().strip(" .!:;")
        return bool(key) and key not in self.placeholders and any(ch.isalnum() for ch in key)

    def is_follow_up(self, text: str) -> bool:
        """True when a text is about following up (seed 002: never a call's sole purpose)."""
        return bool(self.follow_up_re.search(text))

    def has_business_context(self, question: str) -> bool:
        """True when a question is about the customer's business (goals, costs, impact, timeline, decision)."""
        return not self.filler_re.search(question) and bool(self.business_re.search(question))

    def __repr__(self) -> str:
        return f"Rubric(source={self.source!r}, plan weights={self.weights('plan')})"

    # -- parsing ---------------------------------------------------------------------------------
    def _section(self, data: Mapping[str, Any], key: str, prefix: str = "") -> dict[str, Any]:
        node = data.get(key)
        if not isinstance(node, dict):
            raise RubricError(self.source, f"the rubric needs a '{prefix}{key}:' section.")
        return node

    def _words(self, data: Mapping[str, Any], key: str, prefix: str = "") -> list[str]:
        words = data.get(key)
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise RubricError(self.source, f"'{prefix}{key}' must be a list of words or phrases.")
        return [w.strip().lower() for w in words]

    def _criteria(self, section: dict[str, Any], name: str, shape: dict[str, tuple[str, ...]]) -> dict[str, CriterionRule]:
        criteria = self._section(section, "criteria", f"{name}.")
        unknown = sorted(set(criteria) - set(shape))
        if unknown:
            raise RubricError(self.source, f"{name} criterion {unknown[0]!r} is unknown: use {', '.join(shape)}.")
        out: dict[str, CriterionRule] = {}
        for cid, check_ids in shape.items():
            where = f"{name}.criteria.{cid}"
            node = criteria.get(cid)
            if not isinstance(node, dict):
                raise RubricError(self.source, f"the rubric needs the criterion '{where}'.")
            weight = node.get("weight")
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
                raise RubricError(self.source, f"{where}: the weight must be a number, 0 or more (found {weight!r}).")
            checks = node.get("checks")
            if not isinstance(checks, dict):
                raise RubricError(self.source, f"{where} needs a 'checks:' mapping.")
            extra_checks = sorted(set(checks) - set(check_ids))
            if extra_checks:
                raise RubricError(self.source, f"{where}: check {extra_checks[0]!r} is unknown: use {', '.join(check_ids)}.")
            rules: dict[str, CheckRule] = {}
            for check_id in check_ids:
                check = checks.get(check_id)
                if not isinstance(check, dict):
                    raise RubricError(self.source, f"{where} needs the check {check_id!r}.")
                rules[check_id] = self._rule(f"{name}.{cid}.{check_id}", check, f"{where}.checks.{check_id}")
            extra = {k: v for k, v in node.items() if k not in ("label", "weight", "checks")}
            for key, value in extra.items():
                if isinstance(value, str):
                    self._template(value, f"{where}.{key}")
            out[cid] = CriterionRule(cid, str(node.get("label") or cid), float(weight), rules, extra)
        if sum(c.weight for c in out.values()) <= 0:
            raise RubricError(self.source, f"the {name} weights add up to 0: give at least one criterion a weight.")
        return out

    def _rule(self, code: str, node: dict[str, Any], where: str) -> CheckRule:
        severity = node.get("severity", "warning")
        if severity not in SEVERITY_RANK:
            raise RubricError(self.source, f"{where}: severity must be problem, warning or tip (found {severity!r}).")
        templates = {k: v for k, v in node.items() if k not in _TEXT_KEYS_NOT_TEMPLATES}
        for key, value in templates.items():
            if not isinstance(value, str):
                raise RubricError(self.source, f"{where}.{key} must be a text.")
            self._template(value, f"{where}.{key}")
        message = templates.pop("message", "")
        tip = templates.pop("tip", None)
        if not message and "question" not in templates:
            raise RubricError(self.source, f"{where} needs a 'message:'.")
        return CheckRule(
            code=code,
            label=str(node.get("label") or code.rsplit(".", 1)[-1]),
            severity=severity,
            message=message,
            tip=tip or None,
            source=str(node["source"]) if node.get("source") is not None else None,
            variants=templates,
        )

    def _template(self, text: str, where: str) -> None:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError:
            raise RubricError(self.source, f"{where}: unbalanced {{ }} in the message.") from None
        bad = sorted(n for n in names if n not in PLACEHOLDERS)
        if bad:
            raise RubricError(
                self.source, f"{where}: {{{bad[0]}}} is not a name callkit fills in: use {', '.join(sorted(PLACEHOLDERS))}."
            )

    def _check_deal_settings(self) -> None:
        s = self.deal_settings
        window = s.get("monthly_slip_days")
        ok = isinstance(window, list) and len(window) == 2 and all(isinstance(d, int) and d > 0 for d in window)
        if not ok or not isinstance(window, list) or window[0] > window[1]:
            raise RubricError(self.source, "deal_health.monthly_slip_days must be two day counts, like [21, 45].")
        for key in ("stalled_monthly_slips", "stalled_continuations", "days_without_advance", "days_without_call"):
            if isinstance(s.get(key), bool) or not isinstance(s.get(key), int) or s[key] < 1:
                raise RubricError(self.source, f"deal_health.{key} must be a whole number, 1 or more.")
        factor = s.get("stuck_factor")
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or factor < 1:
            raise RubricError(self.source, "deal_health.stuck_factor must be a number, 1 or more (e.g. 1.5).")


def _phrases_re(words: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _prefix_re(words: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)


@lru_cache(maxsize=1)
def _default_data() -> dict[str, Any]:
    data = parse_yaml(packaged_text(RUBRIC_FILE), "callkit/data/rubric.yaml", RubricError)
    if not isinstance(data, dict):
        raise RubricError("callkit/data/rubric.yaml", "the default rubric is not a mapping.")
    return data


@lru_cache(maxsize=1)
def _default_rubric() -> Rubric:
    return Rubric(_default_data(), source="callkit/data/rubric.yaml")


@lru_cache(maxsize=32)
def _load_rubric(path: str, mtime_ns: int, size: int) -> Rubric:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RubricError(path, not_utf8(Path(path).read_bytes(), exc, "rubric file")) from None
    except OSError as exc:
        raise RubricError(path, f"the rubric file cannot be read ({exc.strerror}).") from None
    return Rubric.from_text(text, source=path)



def compression_levels(rubric: Rubric | None = None) -> tuple[int, int]:
    """(good, excellent): how many next activities make a call's compression good or excellent (rubric.yaml)."""
    rubric = rubric or Rubric.default()
    levels = rubric.plan["compression"].extra.get("levels")
    good = levels.get("good") if isinstance(levels, dict) else None
    excellent = levels.get("excellent") if isinstance(levels, dict) else None
    if (not isinstance(good, int) or not isinstance(excellent, int) or isinstance(good, bool)
            or isinstance(excellent, bool) or good < 1 or good >= excellent):
        raise RubricError(rubric.source, "plan.criteria.compression.levels needs whole numbers good and excellent, "
                                         "good below excellent (e.g. {good: 3, excellent: 5}).")
    return good, excellent
