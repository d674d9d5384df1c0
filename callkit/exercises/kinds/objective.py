"""Kind `objective` (workbook 02): rewrite a weak call objective so that it is specific, an advance and realistic.

The three checks are callkit's objective rules (assess_objective) for the deal's stage. The item adds what
this deal needs on top: the people in the call, one of whom must act (`people`), what the rewrite must not
say again - the seller action or the opinion of the original, or the step the deal is not ready for
(`not_restate`) - and, when the rules' "at most one stage ahead" is too loose for the deal, the stages it
may aim at (`fits`).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ...models import sort_findings
from ...scoring.objective import CHECK_CODES
from ...ui.markup import esc
from ...text import join
from .. import text as words
from ..results import CheckResult, CheckSpec, blank_result, scored
from .registry import register_kind
from .base import CheckContext, ExerciseKind, ItemBase, NotRestate, Text, WordList, names_anyone, restatement

VAGUE_CODES = CHECK_CODES["specific"]
ADVANCE_CODES = CHECK_CODES["advance"]
REALISM_CODES = CHECK_CODES["realistic"]


class ObjectiveItem(ItemBase):
    """A weak call objective for a deal at a stage, to be rewritten."""

    stage: Text
    deal: Text
    objective: Text
    problem: Text
    example: Text
    people: WordList = Field(default_factory=list)  # the client's people in the call (names or roles): one must act
    not_restate: list[NotRestate] = Field(default_factory=list)
    fits: WordList = Field(default_factory=list)  # the stages the rewrite may aim at (default: the rules' realism)


SPECIFIC = CheckSpec(
    "specific",
    "Specific: at the end of the call it is a clear yes or no whether it happened.",
    "Not specific yet: say who does what, by when, so that at the end of the call it is a yes or no.",
)
ADVANCE = CheckSpec(
    "advance",
    "An advance: the client acts, with energy, during or right after the call.",
    "Not an advance yet: it says what you will do - say what the client will do.",
)
REALISTIC = CheckSpec(
    "realistic",
    "Realistic for a deal in the {stage} stage.",
    "Not realistic for a deal in the {stage} stage: aim at most one stage ahead.",
)
THIS_DEAL = CheckSpec(
    "this_deal",
    "It names who in the call is involved: {who}.",
    "It does not fit this deal yet.",
)


def _who_line(item: ObjectiveItem) -> str:
    return join(item.people[:1] or ["the client"])


def deal_problems(item: ObjectiveItem, rewrite: str) -> list[tuple[str, str]]:
    """What the item itself asks of a rewrite and this one misses, as (the check it fails, one sentence)."""
    problems: list[tuple[str, str]] = []
    said = restatement(rewrite, item.not_restate)
    if said:
        phrase, rule = said
        problems.append((rule.fails, f'It still says "{phrase}": {rule.why}'))
    if item.people and not names_anyone(rewrite, item.people):
        problems.append(("this_deal", f"Say who in the call will act: {join(item.people, 'or')}."))
    return problems


def check_objective(item: ObjectiveItem, text: str, process: Any = None) -> CheckResult:
    """Judge a rewritten objective: the rules' three checks for the stage, and what the item asks for this deal."""
    ctx = CheckContext(process) if process is not None else CheckContext()
    return _check(item, text, ctx)


def _check(item: ObjectiveItem, text: str, ctx: CheckContext) -> CheckResult:
    from ...scoring.objective import assess_objective

    rewrite = " ".join((text or "").split())
    if words.is_blank(rewrite):
        return blank_result("Write your rewrite of the objective first.")
    if words.same_words(rewrite, item.objective):
        return CheckResult(False, 0.0, (), ("That is the original objective: rewrite it.", item.problem), rewrite)
    proc = ctx.process
    stage_name = proc.stage(item.stage).name
    found = assess_objective(rewrite, stage=item.stage, process=proc, people=item.people)
    findings = sort_findings(found.findings)

    def reason(codes: frozenset[str]) -> str | None:
        return next((f.message for f in findings if f.code in codes), None)

    implied = proc.stage(found.implied_stage).name if found.implied_stage and proc.has_stage(found.implied_stage) else None
    realistic_fail = REALISTIC.failure.format(stage=stage_name)
    if implied:
        realistic_fail = f"Not realistic for a deal in the {stage_name} stage: it belongs to the {implied} stage."
    realistic = found.is_realistic is True
    if realistic and item.fits and found.implied_stage and found.implied_stage not in item.fits:
        realistic = False
        aims = join([proc.stage(s).name for s in item.fits if proc.has_stage(s)], "or")
        realistic_fail = f"Not the step this deal needs: it belongs to the {implied} stage - aim at {aims}."
    problems = deal_problems(item, rewrite)
    by_check = {name: [text for n, text in problems if n == name] for name in ("specific", "advance", "realistic", "this_deal")}

    def rule_and_item(spec: CheckSpec, ok: bool, success: str | None, failure: str | None) -> Any:
        mine = by_check[spec.name]
        if ok and mine:
            return spec.run(False, failure=mine[0])
        return spec.run(ok, success, failure)

    checks = [
        rule_and_item(SPECIFIC, found.is_specific, None, reason(VAGUE_CODES)),
        rule_and_item(ADVANCE, found.is_advance, None, reason(ADVANCE_CODES)),
        rule_and_item(REALISTIC, realistic, REALISTIC.success.format(stage=stage_name),
                      (reason(REALISM_CODES) or realistic_fail) if found.is_realistic is not True else realistic_fail),
    ]
    if item.people or any(n == "this_deal" for n, _ in problems):
        mine = by_check["this_deal"]
        checks.append(THIS_DEAL.run(not mine, THIS_DEAL.success.format(who=_named(item, rewrite)), mine[0] if mine else None))
    passed = all(c.passed for c in checks)
    notes: list[str] = []
    reveals = False
    if passed:
        notes.append(f"The coach's version: {item.example}")
    else:
        shown = {c.message for c in checks}
        notes.extend(f.message for f in findings if f.severity != "tip" and f.message not in shown)
        notes.extend(text for _, text in problems if text not in shown)
        notes.append(f"What was wrong with the original: {item.problem}")
        suggestion = found.suggestion
        if suggestion and not words.same_words(suggestion, rewrite) and not deal_problems(item, suggestion):
            notes.append(f"Try something like: {suggestion}")
            reveals = True  # a suggestion that passes is the answer: a pass after it counts as after help
    return CheckResult(passed, scored(tuple(checks)), tuple(checks), tuple(words.unique(notes)), rewrite, reveals_key=reveals)


def _named(item: ObjectiveItem, rewrite: str) -> str:
    """Who the rewrite names, for the success message (the first of the item's people it names)."""
    return next((p for p in item.people if words.names_person(rewrite, p)), "the client")


def preview_html(item: ObjectiveItem, text: str, ctx: CheckContext) -> str:
    """A live line under the rewrite while the rep types: specific, advance, realistic (and this deal)."""
    if words.is_blank(text):
        return ""
    result = _check(item, text, ctx)
    labels = {"specific": "Specific", "advance": "Advance", "realistic": "Realistic", "this_deal": "Names who"}
    parts = [f'<span class="ck-ex-{"pass" if c.passed else "fail"}">{"✓" if c.passed else "✗"} {labels[c.name]}</span>'
             for c in result.checks]
    if not parts:
        parts = ['<span class="ck-ex-fail">✗ That is the original</span>']
    return '<div class="ck-hint">So far: ' + " &nbsp; ".join(parts) + "</div>"


class ObjectiveKind(ExerciseKind):
    name = "objective"
    model = ObjectiveItem
    what_to_do = "rewrite a weak call objective"
    title_field = "objective"
    answer_field = "example"

    def coerce(self, answer: object) -> object:
        return "" if answer is None else str(answer)

    def check(self, item: ObjectiveItem, answer: Any, ctx: CheckContext) -> CheckResult:
        return _check(item, str(self.coerce(answer)), ctx)

    def problem(self, item: ObjectiveItem, process: Any) -> str | None:
        found = super().problem(item, process)
        if found:
            return found
        for stage in item.fits:
            if not process.has_stage(stage):
                return f"fits: stage {stage!r} is not in the sales process: use one of {', '.join(process.stage_ids)}."
        return None

    def item_html(self, item: ObjectiveItem, ctx: CheckContext) -> str:
        return (
            f"<p><b>Deal</b> (stage: {esc(ctx.process.stage(item.stage).name)}): {esc(item.deal)}</p>"
            f"<p><b>The objective to sharpen:</b></p><blockquote>{esc(item.objective)}</blockquote>"
            "<p>Rewrite it so that it is <b>specific</b>, an <b>advance</b> (someone on the client's side in this "
            "call acts) and <b>realistic</b> for where the deal is.</p>"
        )

    def form(self, item: ObjectiveItem, ctx: CheckContext, report: Any) -> "ObjectiveForm":
        return ObjectiveForm(item, ctx, report)


class ObjectiveForm:
    """A text box for the rewrite, with a live line under it that says what the checks find so far."""

    def __init__(self, item: ObjectiveItem, ctx: CheckContext, report: Any):
        import ipywidgets as widgets

        from ...ui.events import Debouncer, guarded
        from ...ui.fields import LabeledField, textarea

        self.item = item
        self.ctx = ctx
        self.text = textarea("Who in the call does what, by when", rows=2)
        self.preview = widgets.HTML("")
        self._preview = Debouncer(guarded(self.update_preview, report), 0.4)
        self.text.observe(lambda _: self._preview.trigger(), names="value")
        self.widget = widgets.VBox([LabeledField("Your objective", self.text), self.preview])

    def update_preview(self) -> None:
        """Judge the text as it stands (not saved)."""
        self.preview.value = preview_html(self.item, self.text.value, self.ctx)

    def refresh(self) -> None:
        """Bring the live line up to date now (after Check, it must not show an older text's verdict)."""
        self._preview.cancel()
        self.update_preview()

    def value(self) -> str:
        return self.text.value

    def restore(self, saved: Any) -> None:
        self.text.value = saved.answer


register_kind(ObjectiveKind())
