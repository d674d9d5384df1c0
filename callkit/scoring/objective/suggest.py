"""A better objective, built from the rep's own words: '<client person> agrees to <action> <by when>.'

The person is the one the rep named (or a contact of the deal, or the stage's usual person); the
action is the client's own action from the text, the client's side of what the seller planned
("demo the ABC module" -> "test the ABC module against their success criteria"), or the stage's next
activity; the date is the rep's own when there is one. Verb forms come from the English dictionary
(lemminflect). A suggestion is offered only when it passes callkit's own checks.
"""

from __future__ import annotations

from typing import Callable, Sequence

from ...process import SalesProcess
from ..english import inflect, is_english, verb_base
from ..lexicon import Lexicon
from ..reading import PUNCT
from .clause import Clause
from .dates import date_phrase
from .parse import Parse, ObjectiveReader
from .words import WH

# Actions a client takes in the room: the suggestion dates them to the call itself.
_IN_THE_CALL = frozenset({"agree", "choose", "pick", "decide", "say", "give", "commit", "select"})
_BAD_FIRST = frozenset({"can", "could", "will", "would", "should", "shall", "may", "might", "must", "do", "does", "did",
                        "we", "i", "us", "you", "let", "to", "and", "then", "if", "not", "no"})

Passes = Callable[[str], bool]


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def who_text(reader: ObjectiveReader, span: tuple[int, int] | None) -> str | None:
    """The client person as the rep wrote them, ready to start a sentence (None when the span is no person)."""
    if span is None:
        return None
    a, b = span
    words = [w for w in reader.orig[a:b] if w not in PUNCT]
    while words and words[0].lower() in _BAD_FIRST:
        words = words[1:]
    if words and words[-1].lower().endswith("'s"):
        words[-1] = words[-1][:-2]
    lows = [w.lower() for w in words]
    lex = reader.lex
    if not words or lows[0] in ("our", "my") or (lex.is_verb(lows[0]) and not lex.is_role(lows[0]) and not reader.is_name(a)):
        return None
    if len(words) == 1 and lows[0] in lex.generic_client_words and lows[0] not in ("customer", "client", "prospect"):
        return "The customer"
    if lows[0] in ("a", "an"):
        words[0] = "the"
    if lows[0] in ("theirs", "it", "its"):
        return "The customer"
    if len(words) == 1 and lows[0] in lex.client_roles:
        return "The " + (words[0] if words[0].isupper() else words[0].lower())
    if words[0].islower() and reader.is_name(a) and words[0].isalpha():
        words[0] = words[0].capitalize()  # "rita" -> "Rita"
    first_is_name = reader.is_name(a) or words[0][:1].isupper() and not is_english(lows[0])
    if lows[0] not in reader.det and lows[0] not in lex.client_departments and not first_is_name \
            and not lows[0].endswith("'s") and lows[0] not in lex.titles:
        return "The " + " ".join(w if w.isupper() or w[:1].isupper() and i else w[:1].lower() + w[1:] if i == 0 else w
                                 for i, w in enumerate(words))  # "the site lead", "the head of IT"
    return capitalise(" ".join(words))


def is_plural(who: str) -> bool:
    """'Their admins', 'Tom and Ana' take 'agree'; 'Lars', 'Procurement', 'the sales team' take 'agrees'."""
    words = who.split()
    if not words:
        return False
    last = words[-1]
    if " and " in who:
        return True
    if last[:1].isupper() and not last.isupper() and len(words) == 1 or (last[:1].isupper() and words[0][:1].isupper()
                                                                           and not is_english(last.lower())):
        return False  # a name: "Lars", "Jean Moss"
    low = last.lower()
    return low.endswith("s") and not low.endswith(("ss", "'s", "us", "is")) and low not in ("sales", "operations", "ops", "hr", "it")


def sentence(who: str, action: str, when: str) -> str:
    verb = "agree" if is_plural(who) else inflect("agree", "third")
    return f"{who} {verb} to {action} {when}."


# -- the rep's words -------------------------------------------------------------------------------


def phrase_from(r: ObjectiveReader, k: int, end: int, skip: tuple[int, int] | None, clause: bool = False) -> list[str]:
    """Words from k to the end of the object: stops at a preposition (other than 'of', or 'with' someone
    else), a date, a new verb; 'and' continues a list of nouns ('pricing and terms')."""
    low = r.low
    for wrapper in () if clause else r.lex.object_wrappers:
        if tuple(low[k:k + len(wrapper)]) == wrapper:
            k += len(wrapper)
            break
    words: list[str] = []
    i = k
    while i < end:
        w = low[i]
        if w in PUNCT or r.is_date_at(i) and i > k and low[i - 1] in ("by", "before", "on", "until", "this", "next"):
            break
        if r.is_date_at(i) or (w in ("by", "before", "until") and i + 1 < end and r.is_date_at(i + 1)):
            break
        if w in ("asap", "eod", "eow", "eom", "please", "pls"):
            break
        if not clause:
            if w == "and" and i + 1 < end and (r.lex.is_verb(low[i + 1]) and low[i + 1] not in r.lex.commitment_nouns.phrases
                                                or low[i + 1] in ("then", "we", "i", "they")):
                break
            if w in r.breaks and w != "and":
                break
            if w == "with" and (skip is None or i + 1 < skip[0] or i + 1 >= skip[1]) and i + 1 < end and low[i + 1] not in ("us", "me"):
                pass
            elif w in r.prep and w != "of":
                break
            if w in r.be or (r.lex.is_verb(w) and ("third" in r.kinds(i) or "past" in r.kinds(i))
                             and i > k and low[i - 1] not in r.det):
                break
        elif w in ("and", "then") and i + 1 < end and low[i + 1] in ("we", "i", "then"):
            break
        words.append(r.orig[i])
        i += 1
    while words and words[-1].lower() in ("of", "and", "the", "with", "to", "by", "a", "an", "for", "on", "their", "our"):
        words.pop()
    return words


def object_words(r: ObjectiveReader, j: int, end: int, skip: tuple[int, int] | None) -> tuple[str | None, int, list[str]]:
    """The rep's object after the verb at j ('the ABC module'), in their own case, with the particle before it.

    Returns (particle, where the object starts, words); words is [] when there is nothing worth reusing.
    """
    low = r.low
    k = j + 1
    particle = None
    for _ in range(2):
        if skip is not None and k <= skip[0] <= k + 1 and skip[1] > k:
            k = skip[1]
        while k < end and low[k] in ("them", "him", "her", "us", "me"):
            k += 1
        if k < end and low[k] in ("up", "through", "about", "on", "over", "of", "for", "with", "in", "out", "to", "into"):
            particle = particle or low[k]
            k += 1
    words = phrase_from(r, k, end, skip)
    if not _has_content(r.lex, words):
        return particle, k, []
    first = words[0].lower()
    if first in r.lex.unusable_objects or words[-1].lower() in r.lex.unusable_objects:
        return particle, k, []
    return particle, k, words


def _has_content(lex: Lexicon, words: Sequence[str]) -> bool:
    """At least one word that is not a determiner or a preposition: 'a' alone is no object."""
    g = lex.grammar
    return any(w.lower() not in g["determiners"] and w.lower() not in g["prepositions"] for w in words)


def own_action(r: ObjectiveReader, v: int, end: int) -> str | None:
    """The client's own verb phrase from index v, base form, without its date: 'agree to a trial' -> 'a trial'."""
    words = phrase_from(r, v + 1, end, None, clause=True)
    base = r.base(v)
    if base in r.lex.verb_classes["intent"] and words and words[0].lower() == "to":
        words = words[1:]
        if words and verb_base(words[0].lower()):
            words[0] = verb_base(words[0].lower()) or words[0]
        return " ".join(words) if _has_content(r.lex, words) else None
    if not words and base in r.lex.needs_object:
        return None
    return " ".join([base, *words])


def seller_counterpart(r: ObjectiveReader, clause: Clause, end: int) -> str | None:
    """The client's side of what the seller planned to do, in the rep's own words (counterparts in the lexicon)."""
    lex = r.lex
    particle, start, words = object_words(r, clause.verb_at, end, clause.who)
    verb = clause.verb or ""
    if verb in lex.question_verbs and start < end and r.low[start] in WH - {"that"}:
        question = phrase_from(r, start, end, clause.who, clause=True)
        return lex.question_action.replace("{object}", " ".join(question)) if len(question) > 1 else None
    if not words:
        return None
    key = f"{verb} {particle}" if particle and f"{verb} {particle}" in lex.counterparts else verb
    template = lex.counterparts.get(key)
    return template.replace("{object}", " ".join(words)) if template else None


# -- candidates ------------------------------------------------------------------------------------


def activity_action(activity: str, lex: Lexicon) -> str:
    """A process activity turned into something the client agrees to ('Get their data' -> 'share their data')."""
    text = activity.strip().rstrip(".")
    low = text.lower()
    for prefix, new in lex.activity_rewrites:
        if low == prefix or low.startswith(prefix + " "):
            return (new + text[len(prefix):]).strip()
    return text[:1].lower() + text[1:]


def stage_actions(stage: str | None, process: SalesProcess, unrealistic: bool, who: str | None, lex: Lexicon) -> list[str]:
    """The stage's next activities as client actions (for an unrealistic objective: the next stage's)."""
    if stage is None:
        return [lex.fallback_action]
    if unrealistic:
        nxt = process.next_stages(stage)
        activities = list(nxt[0].activities) if nxt else list(process.stage(stage).activities)
    else:
        activities = process.activities_after(stage)
    who_words = set((who or "").lower().split()) - {"the", "a", "an", "their", "her", "his"}
    actions = [activity_action(a, lex) for a in activities if not (who_words and who_words <= set(a.lower().split()))]
    return actions + [lex.fallback_action]


def _when(reader: ObjectiveReader, action: str, continuation: bool, lex: Lexicon) -> str:
    """The rep's own deadline; else the call itself for what a client decides in the room; else the default."""
    own = None if continuation else date_phrase(reader.r)
    if own:
        return own
    first = action.split()[0].lower() if action.split() else ""
    if first in _IN_THE_CALL:
        return "before the end of the call"
    return lex.default_when


def suggest(reader: ObjectiveReader, parse: Parse, stage: str | None, process: SalesProcess, unrealistic: bool,
            continuation: bool, lex: Lexicon, people: Sequence[str], passes: Passes) -> str | None:
    """A better objective from the rep's own words, or None when no candidate passes the checks."""
    clause = parse.clause
    who = None
    own: str | None = None
    if clause is not None:
        who = who_text(reader, clause.who)
        if not unrealistic and not continuation and clause.reason not in ("negated", "opinion", "no_object", "no_substance", "our_side"):
            if clause.actor == "client" and clause.reason in ("client_action", "solo", "unknown_action") and clause.verb_at >= 0:
                own = own_action(reader, clause.verb_at, parse.end)
                if own and clause.reason == "solo":
                    own += " with us"
            elif clause.reason == "persuade" and clause.embedded_at >= 0:
                own = own_action(reader, clause.embedded_at, parse.end)
            elif clause.actor in ("seller", "thing") and clause.verb_at >= 0:
                own = seller_counterpart(reader, clause, parse.end)
    if who is None:
        who = who_text(reader, reader.party_span(parse.start, parse.end))
    if who is None and parse.fallback is not None:
        who = who_text(reader, reader.party_span(*parse.fallback))  # "Ideally ..., minimum Rita books ...": Rita
    if who is None:
        who = who_text(reader, reader.party_span(0, reader.n))
    if who is None and people:
        who = capitalise(people[0])
    if who is None:
        who = capitalise(lex.default_person.get(stage or "*", lex.default_person["*"]))
    actions = ([own] if own else []) + stage_actions(stage, process, unrealistic, who, lex)
    return first_passing(who, actions, lambda a: _when(reader, a, continuation, lex), passes)


def first_passing(who: str, actions: list[str], when: Callable[[str], str], passes: Passes) -> str | None:
    """The first candidate sentence that passes callkit's own checks; None when none does."""
    for action in actions:
        text = sentence(who, action, when(action))
        if passes(text):
            return text
    return None


def blank_suggestion(stage: str | None, process: SalesProcess, lex: Lexicon, people: Sequence[str], passes: Passes) -> str | None:
    """For an empty objective: the stage's next activity as a client commitment (None without a stage)."""
    if stage is None:
        return None
    who = capitalise(people[0]) if people else capitalise(lex.default_person.get(stage, lex.default_person["*"]))
    return first_passing(who, stage_actions(stage, process, False, who, lex), lambda a: lex.default_when, passes)
