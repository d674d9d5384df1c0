"""What a coach says about an objective: the findings, in the rep's own words, with seed 004's tips.

Each finding has a code; `CHECK_CODES` says which check (advance, specific, realistic) a code
explains, so every failed check can be traced to a sentence the rep can act on.
"""

from __future__ import annotations

from ...models import Finding, Severity
from ...process import SalesProcess
from ...text import quote
from .clause import Clause
from .words import Words


# Which finding codes explain which failed check (the one home of this map).
CHECK_CODES: dict[str, frozenset[str]] = {
    "advance": frozenset({"objective.seller_action", "objective.not_advance", "objective.continuation", "objective.hope",
                          "objective.unclear", "objective.empty", "objective.not_english"}),
    "specific": frozenset({"objective.vague", "objective.continuation", "objective.hope", "objective.too_long",
                           "objective.unclear", "objective.empty", "objective.not_english"}),
    "realistic": frozenset({"objective.unrealistic", "objective.closing_too_early"}),
}

ADVANCE_TIP = ("An advance is an action with energy by the client, during or right after the call, that moves "
               "the sale toward a decision: write what the client will do.")
SPECIFIC_TIP = ("Make it specific and measurable: who on the client's side does what, by when - so that at the "
                "end of the call it is a simple yes or no.")
FORM_TIP = 'Write it as "<client person or role> agrees to <action> by <when>", e.g. "Priya introduces us to her CFO by Friday".'
_NAME_TIP = 'Name who on the client\'s side will do what, e.g. "Priya introduces us to her CFO by Friday".'


def finding(code: str, severity: Severity, message: str, tip: str | None = None) -> Finding:
    return Finding(code=code, severity=severity, message=message, tip=tip)


def _person(words: Words, clause: Clause) -> str:
    """The client person of a clause as the rep wrote them, for a sentence ('the CFO', 'Dave')."""
    if clause.who is None:
        return "the client"
    who = words.said(*clause.who)
    if who.lower().endswith("'s"):
        who = who[:-2]
    if who[:1].isupper() and not who.startswith(("The ", "Their ", "Her ", "His ")):
        return who
    return who[:1].lower() + who[1:]


# Why a clause is not an advance, by its reason: (code, severity, message, tip). {q} is the rep's objective,
# {word} the verb they used.
_REASONS: dict[str, tuple[str, Severity, str, str]] = {
    "our_side": ("objective.seller_action", "problem",
                 '"{q}" is a step on our side, not one the client takes: an approval or a meeting of ours moves nothing at the client.',
                 ADVANCE_TIP),
    "negated": ("objective.not_advance", "problem",
                '"{q}" says what the client will not do: an objective names the step they will take.',
                "Plan what they will do instead, e.g. the date by which they decide, or who else they bring in."),
    "opinion": ("objective.not_advance", "problem",
                '"{q}" is an opinion ("{word}" ...), not an action: a client can agree with you and still do nothing.', ADVANCE_TIP),
    "no_object": ("objective.not_advance", "problem",
                  '"{q}" does not say what the client {word} to: an advance names the action.', ADVANCE_TIP),
    "no_substance": ("objective.not_advance", "problem",
                     '"{q}" asks a courtesy of the client, not a commitment: it does not move the sale toward a decision.',
                     ADVANCE_TIP),
    "unknown_action": ("objective.unclear", "warning",
                       'callkit cannot tell whether "{word}" in "{q}" is a client commitment that moves the sale.',
                       _NAME_TIP + " If it is, say what they do with you or for you, and by when."),
    "low_energy": ("objective.not_advance", "problem",
                   '"{q}" asks no action with energy of the client ("{word}"): good feelings are not the acid test for an '
                   'advance - only action and energy are.', ADVANCE_TIP),
}
_REASONS["feeling"] = _REASONS["low_energy"]


def not_advance(words: Words, clause: Clause | None, q: str, vague: bool) -> Finding:
    """Why the objective is not an advance, in the rep's words."""
    if clause is None:
        return finding("objective.not_advance", "problem", f'callkit cannot find what the client will do in "{q}".', FORM_TIP)
    word = words.orig[clause.verb_at] if clause.verb_at >= 0 else (clause.verb or "it")
    reason = clause.reason
    if reason == "persuade":
        who = _person(words, clause)
        return finding("objective.seller_action", "problem",
                       f'"{q}" is your effort to get {who} to act: the advance is what {who} does.',
                       f"Make {who}'s action itself the objective, with a date.")
    told = _REASONS.get(reason)
    if told is not None and reason not in ("low_energy", "feeling"):
        code, severity, message, tip = told
        return finding(code, severity, message.format(q=q, word=word), tip)
    if clause.voice == "passive" and clause.actor == "seller" and clause.who is None and not vague:
        return finding("objective.not_advance", "problem", f'"{q}" names no action by the client: who on their side does it?', ADVANCE_TIP)
    if clause.voice == "passive" and clause.actor == "seller" and vague:
        return finding("objective.not_advance", "problem", f'"{q}" names no client action you could check after the call.', ADVANCE_TIP)
    if clause.actor in ("seller", "thing") or reason == "seller_action":
        return finding("objective.seller_action", "problem", f'"{q}" is what you will do, not what the client will do.', ADVANCE_TIP)
    if told is not None:
        code, severity, message, tip = told
        return finding(code, severity, message.format(q=q, word=word), tip)
    if vague:
        return finding("objective.not_advance", "problem", f'"{q}" names no client action you could check after the call.', ADVANCE_TIP)
    return finding("objective.not_advance", "problem",
                   f'callkit does not know "{word}" as a client action that moves the sale, in "{q}".', ADVANCE_TIP)


def which_clause(words: Words, chosen: Clause, first: Clause) -> Finding:
    """Several clauses: say which one counted as the advance and which is ours."""
    counted = quote(words.said(chosen.start, chosen.end))
    ours = quote(words.said(first.start, first.end))
    return finding("objective.several", "tip",
                   f'The advance here is "{counted}"; "{ours}" is what you will do on the way.',
                   "One objective per call reads best: lead with the client's action.")


def fallback_inside(words: Words, span: tuple[int, int]) -> Finding:
    """'Ideally ..., minimum ...': the minimum belongs in the plan's fallback."""
    minimum = quote(words.said(*span))
    return finding("objective.fallback_inside", "tip",
                   f'"{minimum}" is your fallback: callkit judged the objective by its best outcome.',
                   "Put the minimum in the plan's Fallback field, so the objective says only what you aim for.")


def repaired(pairs: tuple[tuple[str, str], ...]) -> Finding:
    """Typos callkit read past, so the rep can fix them before the customer sees the agenda."""
    shown = ", ".join(f'"{typed}" as "{read}"' for typed, read in pairs[:3])
    return finding("objective.read_as", "tip", f"callkit read {shown}.",
                   "Check the spelling before the objective goes into an agenda the customer sees.")


def realism(process: SalesProcess, stage: str, implied: str, cue: str | None, q: str) -> Finding:
    """The objective belongs to a later stage than the deal is ready for."""
    i, k = process.index(stage), process.index(implied)
    here = process.stage(stage).name
    there = process.stage(implied).name
    if k == len(process.stages) - 1:
        return finding("objective.closing_too_early", "problem",
                       f'"{q}" is a closing objective ("{cue}"), but the deal is at {here}: closing is only realistic on the last steps of the sale.',
                       "Plan the next advance in the chain instead: an unbroken chain of advances leads to the close.")
    gap = k - i
    steps = {2: "two stages", 3: "three stages", 4: "four stages"}.get(gap, f"{gap} stages")
    nxt = process.next_stages(stage)
    aim = ""
    if nxt and nxt[0].activities:
        aim = f" - at {nxt[0].name}: " + "; ".join(x[:1].lower() + x[1:] for x in nxt[0].activities[:2])
    return finding("objective.unrealistic", "problem",
                   f'"{q}" belongs to the {there} stage ("{cue}"), {steps} past {here} where the deal is now.',
                   f"Aim at most one stage ahead, realistic from the client's perspective{aim}.")
