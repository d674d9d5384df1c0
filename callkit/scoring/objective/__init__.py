"""Call objectives (seed 004): is it specific, realistic for where the deal is, and an Advance?

The rules read the objective like a coach does: who acts (the client or us), with which verb, how
vague it is, and which stage of the sales process it belongs to. The text is first read as reps
type it (shorthand, typos, several clauses; see ../reading.py), then clause by clause (parse.py, reader.py,
verbs.py, actions.py, clause.py); dates.py finds the "by when", realism.py the stage, findings.py says what a coach
would say, and suggest.py writes a better objective from the rep's own words. Word lists, verb
classes and stage cues live in callkit/data/lexicon.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from ...models import Finding, sort_findings
from ...process import SalesProcess
from ..lexicon import Lexicon, default_lexicon
from . import findings as say
from .clause import Clause
from .dates import DATE, has_date
from .findings import CHECK_CODES, FORM_TIP, SPECIFIC_TIP, finding, quote
from .parse import ObjectiveReader
from .realism import implied_stage, is_realistic
from .suggest import blank_suggestion, suggest as write_suggestion
from .words import CONDITIONS

__all__ = ["CHECK_CODES", "ObjectiveAssessment", "assess_objective"]

_READ_TOKENS = 80  # only the start of a very long text is read


@dataclass(frozen=True)
class ObjectiveAssessment:
    """What a coach says about one call objective: the three checks, the findings and a better version."""

    text: str
    stage: str | None
    is_specific: bool
    is_advance: bool
    is_realistic: bool | None
    implied_stage: str | None
    findings: list[Finding] = field(default_factory=list)
    suggestion: str | None = None
    score: float = 0.0

    @property
    def passed(self) -> bool:
        """True when every check that applies passed."""
        return self.is_advance and self.is_specific and self.is_realistic is not False

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: the checks, the findings as dicts, the suggestion."""
        return {
            "text": self.text,
            "stage": self.stage,
            "is_advance": self.is_advance,
            "is_specific": self.is_specific,
            "is_realistic": self.is_realistic,
            "implied_stage": self.implied_stage,
            "score": round(self.score, 3),
            "findings": [f.model_dump() for f in self.findings],
            "suggestion": self.suggestion,
        }


def assess_objective(text: str, stage: str | None = None, process: SalesProcess | None = None, *,
                     lexicon: Lexicon | None = None, people: Sequence[str] = ()) -> ObjectiveAssessment:
    """Score a call objective as a coach would: advance, specific, realistic (with a stage), findings, a better version.

    An unknown `stage` raises UnknownStageError naming the valid stage ids; any text, even empty or
    not English, returns an assessment with findings. `lexicon` replaces the shipped word lists
    (see `lexicon_from_yaml`). `people` names the client's contacts on this deal ("Priya Shah"):
    a suggestion names them instead of a generic role when the objective names nobody.
    """
    process = process or SalesProcess.default()
    if stage is not None:
        process.index(stage)
    raw = text if isinstance(text, str) else ("" if text is None else str(text))
    return _assess(raw, stage, process, lexicon or default_lexicon(), True, tuple(people))


def _condition_at(reader: ObjectiveReader, clause: Clause) -> int:
    """Where a condition ('if ...', 'unless ...') starts after the clause's verb, else the clause's end."""
    for k in range(max(clause.verb_at, clause.start) + 1, clause.end):
        if reader.low[k] in CONDITIONS and k + 1 < clause.end and reader.low[k + 1] not in ("possible", "needed", "necessary"):
            return k
    return clause.end


def _vague_cue(core: str, clause: Clause | None, lex: Lexicon) -> re.Match | None:
    """The first vague cue; one used as a noun ("a follow-up call") does not count when the client acts."""
    for m in lex.cues["vague"].finditer(core):
        head = core[: m.start()].split()
        lead = list(head)
        while len(lead) > 1 and (lead[-1][:1].isdigit() or lead[-1] in lex.duration_words):
            lead.pop()  # "a 15 min follow-up": the meeting's length stands between the article and the word
        after = core[m.end():].split()[:1]
        purpose = head[-1:] == ["to"] and len(head) > 3 and not lex.is_verb(head[-2], "intent")  # not "agrees to ..."
        if clause is not None and clause.advance and m.group(0) not in lex.vague_as_noun and (
                lead[-1:] in (["a"], ["an"], ["the"], ["another"])
                or after and lex.meeting_nouns.search(after[0])
                or purpose):  # "brings her procurement lead to go over the quote": the purpose of the advance
            continue  # "agrees to a follow-up call", "f/u mtg booked by Lena": the noun, not the aim
        if clause is not None and clause.advance and _commitment_alongside(core[m.end():].split(), lex):
            continue  # "get their pricing feedback and a verbal": the commitment in the same list is checkable
        if clause is not None and clause.advance and clause.voice == "headline" and " that " in f" {core[: m.start()]}":
            continue  # "Verbal from Ingrid that they'll move ahead": what they commit to, not a vague aim
        return m
    return None


# "ideally before the end of the month", "ideally by fri": the best timing of a planned step, not a hope that it happens
_TIMING_AFTER = re.compile(r" (?:by|before|on|within|in|no later than) ")
_TIMING_WORDS = frozenset({"ideally", "preferably"})


def _hedge(text: str, lex: Lexicon) -> re.Match | None:
    """The first hedge in text; 'ideally' right before a deadline only says when the step is best done."""
    for m in lex.cues["hedge"].finditer(text):
        rest = text[m.end():]
        t = _TIMING_AFTER.match(rest)
        if m.group(0) in _TIMING_WORDS and (DATE.match(rest, t.end()) if t else DATE.match(rest, 1)):
            continue
        return m
    return None


def _hedged_framing(reader: ObjectiveReader, lex: Lexicon) -> re.Match | None:
    """'aim to get the NDA signed': the framing words dropped before the objective were themselves a hedge ("aim to")."""
    m = lex.framing.match(reader.r.canon)
    if m is None or not m.group(0).strip():
        return None
    lead = m.group(0).strip()
    if " ".join(reader.low[:len(lead.split())]) != lead:
        return None  # "Aim: NDA signed": a heading with a colon, not a hedge
    return lex.cues["hedge"].search(lead)


def _hedge_modal(reader: ObjectiveReader, clause: Clause | None, lex: Lexicon) -> re.Match | None:
    """'Julio should share the invoices', 'they might sign by end of Q': a modal of wish right before the client's verb."""
    if clause is None or clause.actor != "client" or clause.verb_at <= clause.start:
        return None
    k = clause.verb_at - 1
    while k > clause.start and reader.is_adverb(reader.low[k]):
        k -= 1
    word = reader.low[k]
    if word not in lex.hedge_modals:
        return None
    return re.search(r"(?<!\S)" + re.escape(word) + r"(?!\S)", reader.r.canon)


def _commitment_alongside(rest: list[str], lex: Lexicon) -> bool:
    """After a vague ask, 'and a verbal', 'and the go-ahead from Nadia': a commitment asked for in the same breath."""
    if "and" not in rest:
        return False
    k = rest.index("and") + 1
    after = rest[k:k + 4]
    if not after or not (after[0] in lex.grammar["determiners"] or lex.commitment_nouns.regex is not None
                         and lex.commitment_nouns.regex.match(" ".join(after))):
        return False
    return lex.commitment_nouns.search(" ".join(after)) is not None


def _open_ended(reader: ObjectiveReader, clause: Clause | None, core: str) -> re.Match | None:
    """A seller line with no end point: an ongoing activity ("keep pushing on T&Cs", "continue chasing legal") or
    collecting generic information with nothing named ("Gather requirements", "collect their feedback")."""
    if clause is None or clause.actor != "seller":
        return None
    lex, low = reader.lex, reader.low
    a, b = clause.start, clause.end
    found: str | None = None
    for k in range(a, b - 1):
        word = low[k] if low[k] in lex.ongoing_verbs else " ".join(low[k:k + 2])
        if word not in lex.ongoing_verbs:
            continue
        nxt = k + len(word.split())
        if nxt < b and "ing" in reader.any_kinds(nxt):
            found = reader.text(k, nxt + 1)
            break
    j = clause.verb_at
    if found is None and 0 <= j < b and (clause.verb in lex.gathering_verbs or " ".join(low[j:j + 2]) in lex.gathering_verbs):
        k = j + (2 if " ".join(low[j:j + 2]) in lex.gathering_verbs else 1)
        words = [i for i in range(k, b) if not reader.is_punct(i)]
        while words and (reader.is_date_at(words[-1]) or low[words[-1]] in ("by", "before", "on", "this", "next", "today")):
            words.pop()  # "gather requirements by Friday": still nothing named
        if words and low[words[0]] in ("their", "his", "her") and clause.advance:
            return None  # "collect their requirements by fri": theirs, handed over
        if words and low[words[0]] in ("the", "some", "more", "all", "any", "their", "his", "her", "initial", "basic", "key"):
            words.pop(0)
        named = any(reader.is_party(i) and low[i] not in lex.generic_client_words or reader.is_number(i) for i in words)
        head = next((n for n, i in enumerate(words) if low[i] in reader.prep and low[i] != "of"), len(words))
        words = words[:head] or words  # "obtain their feedback on the demo": feedback, whatever it is on
        thing = " ".join(low[i] for i in words)
        m = lex.generic_info.regex.fullmatch(thing) if lex.generic_info.regex is not None and thing else None
        if m is None and len(words) == 2 and lex.generic_info.regex is not None:
            m = lex.generic_info.regex.fullmatch(low[words[1]])  # "customer requirements"
        if m is not None and not named:
            found = reader.text(j, words[-1] + 1)
    if found is None and 0 <= j < b and clause.verb in lex.verb_classes["solo"] and reader.with_someone(j + 1, b):
        found = reader.text(j, b)  # "review pilot KPIs with the customer": we go over it with them, a discussion
    if found is None:
        return None
    return re.search(r"(?<!\S)" + re.escape(found) + r"(?!\S)", core)


def _assess(raw: str, stage: str | None, process: SalesProcess, lex: Lexicon, suggest: bool,
            people: tuple[str, ...] = ()) -> ObjectiveAssessment:
    """The checks, findings and (when `suggest`) a better objective for one text."""
    reading = lex.read(raw, max_tokens=_READ_TOKENS)
    q = quote(raw)
    findings: list[Finding] = []

    def passes(text: str) -> bool:
        return _assess(text, stage, process, lex, False).passed

    def result(advance: bool, specific: bool, implied: str | None, suggestion: str | None) -> ObjectiveAssessment:
        realistic = None
        if stage is not None:
            realistic = True
            if implied is not None:
                realistic = is_realistic(process, stage, implied)
        checks = [advance, specific] + ([bool(realistic)] if realistic is not None else [])
        return ObjectiveAssessment(
            text=raw, stage=stage, is_specific=specific, is_advance=advance, is_realistic=realistic,
            implied_stage=implied, findings=sort_findings(findings), suggestion=suggestion,
            score=sum(checks) / len(checks),
        )

    if not reading.low or not any(ch.isalnum() for ch in raw):
        if raw.strip():
            findings.append(finding("objective.empty", "problem",
                                    f'There are only symbols in "{q}", no objective: write what the client will do by the end of the call.',
                                    FORM_TIP))
        else:
            findings.append(finding("objective.empty", "problem",
                                    "There is no objective yet: write what the client will do by the end of the call.", FORM_TIP))
        return result(False, False, None, blank_suggestion(stage, process, lex, people, passes) if suggest else None)
    if not lex.reads_as_english(reading):
        findings.append(finding("objective.not_english", "problem",
                                f'callkit reads objectives in English and cannot read "{q}".', FORM_TIP))
        return result(False, False, None, None)

    reader = ObjectiveReader(lex, reading)
    parse = reader.parse()
    clause = parse.clause
    deciding = clause is not None and clause.advance
    # the cues are read in the clause that counts; a hedge anywhere before it counts too
    # a condition after the client's step is not part of it: "commits to a 3-yr term if the demo goes ok"
    span = reader.text(clause.start, _condition_at(reader, clause)) if deciding and clause is not None else parse.core
    words = len(raw.split())
    if reading.has_symbols:
        findings.append(finding("objective.symbols", "tip", "callkit ignored the emoji and symbols in the objective."))

    continuation = lex.cues["continuation"].search(span)
    hedge = _hedge(reader.text(parse.start, clause.end) if deciding and clause is not None else parse.core, lex) \
        or _hedged_framing(reader, lex) or _hedge_modal(reader, clause, lex)
    vague = _vague_cue(span, clause, lex) or _open_ended(reader, clause, span) or (
        re.search(re.escape(reader.text(*parse.question)), parse.core) if parse.question is not None else None)
    too_long = words > lex.max_words or len(raw.strip()) > lex.max_chars
    advance = deciding and not (continuation or hedge or vague)
    has_action = clause is not None or (lex.commitment_nouns.search(parse.core) is not None
                                        and reader.party_span(parse.start, parse.end) is not None)
    # "they see the demo and like it": with no advance, a feeling in any of the client's clauses is what they were to do
    feeling = clause is not None and (clause.reason in ("feeling", "opinion", "no_object") or not deciding and any(
        c.actor == "client" and c.reason in ("feeling", "opinion") for c in parse.clauses))
    solo = clause is not None and clause.reason == "solo" and not (continuation or hedge or vague)
    unclear = clause is not None and clause.reason == "unknown_action" and not (continuation or hedge or vague)
    specific = has_action and not (continuation or hedge or vague or too_long or feeling or solo or unclear)

    if solo and clause is not None:
        word = reader.orig[clause.verb_at]
        findings.append(finding(
            "objective.continuation", "problem",
            f'"{q}" is a continuation: the client "{word}" on their own and gets back to you, with nothing you can check at the end of the call.',
            "Make it something they do with you or with their decision maker, with a date: "
            "\"... reviews the proposal with us on Tuesday\"."))
    elif continuation:
        findings.append(finding(
            "objective.continuation", "problem",
            f'"{q}" is a continuation ("{continuation.group(0)}"): the call can end pleasantly with no commitment from the client.',
            "Plan an advance instead: an action with energy by the client, during or right after the call, that moves the sale toward a decision."))
    elif hedge:
        findings.append(finding(
            "objective.hope", "problem",
            f'"{q}" hopes for an outcome ("{hedge.group(0)}") instead of planning one: hope is not a strategy.',
            "Name the action you want from the client and when it happens, so you can tell after the call whether you got it."))
    else:
        if vague:
            findings.append(finding(
                "objective.vague", "problem",
                f'"{q}" is too general ("{vague.group(0)}"): at the end of the call you will not know whether it happened.',
                SPECIFIC_TIP))
        elif not has_action:
            findings.append(finding(
                "objective.vague", "problem",
                f'"{q}" does not say what should happen, so nobody can tell after the call whether it did.', SPECIFIC_TIP))
        if not advance:
            findings.append(say.not_advance(reader, clause, q, bool(vague)))
        if feeling and not vague:
            findings.append(finding(
                "objective.vague", "problem",
                f'"{q}" is a feeling or an opinion, not something you can check at the end of the call.'
                if clause is not None and clause.reason != "no_object" else
                f'"{q}" does not say what should happen, so nobody can tell after the call whether it did.', SPECIFIC_TIP))
    if too_long:
        findings.append(finding(
            "objective.too_long", "problem",
            f"At {words if words > lex.max_words else len(raw.strip())} {'words' if words > lex.max_words else 'characters'} "
            "the objective is too long to check at the end of the call.",
            "Keep one client action in one sentence: who on their side does what, by when."))

    asides = " ".join(lex.read(a).canon for a in reading.asides)  # "Mr Tan (econ buyer) joins ...": the aside shows the stage too
    implied, cue = implied_stage(f"{parse.core} {asides}".strip(), process, lex)
    unrealistic = stage is not None and implied is not None and not is_realistic(process, stage, implied)
    if unrealistic and stage is not None and implied is not None:
        findings.append(say.realism(process, stage, implied, cue, q))
    if advance and specific and not unrealistic and not has_date(reading):
        findings.append(finding("objective.no_date", "tip", f'"{q}" does not say by when.',
                                f'Add a date, e.g. "{quote(raw.rstrip(". "))} {lex.default_when}": then it is a plain yes or no after the call.'))
    if advance and clause is not None and parse.clauses and parse.clauses[0] is not clause \
            and parse.clauses[0].actor != "client":
        findings.append(say.which_clause(reader, clause, parse.clauses[0]))
    if parse.fallback is not None:
        findings.append(say.fallback_inside(reader, parse.fallback))
    if reading.repaired:
        findings.append(say.repaired(reading.repaired))
    failed = not (advance and specific) or unrealistic
    suggestion = None
    if failed and suggest:
        suggestion = write_suggestion(reader, parse, stage, process, unrealistic, bool(continuation), lex, people, passes)
    return result(advance, specific, implied, suggestion)
