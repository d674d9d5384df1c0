"""The word lists behind the objective and customer-value checks (callkit/data/lexicon.yaml), read once.

The YAML is what a coach edits; this module checks it and turns it into the compiled matchers of
`phrases.py` (verb forms, phrase regexes, see the file's header for the phrase syntax, and stage cues),
plus the canonical reading of a text (`reading.py`: tokens, lowercase, short forms spelled out) that every
matcher works on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from ..datafiles import packaged_text, parse_yaml, read_yaml
from ..exceptions import LexiconError
from .english import is_english
from .phrases import GAP, GAP_WORDS, NEAR, Phrases, StageCues, ValueWords, verb_forms  # noqa: F401 - verb_forms: old path
from .reading import Reading, read_text, shorthand_pattern  # noqa: F401 - read_text: old import path
from .spelling import Speller

DEFAULT_SOURCE = "callkit/data/lexicon.yaml"
# Weekdays, months and deadline words: never "repaired" into something else.
_DATE_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "january february march april may june july august september october november december jan feb mar apr jun "
    "jul aug sep sept oct nov dec today tomorrow tonight week weeks month months quarter year eod eow eom eoq "
    "eoy cob noon midday morning afternoon evening".split())
# Month and weekday names: a lowercase word one letter off ("marco", "frida") is a name, never read as one of these.
_CALENDAR_NAMES = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may june "
                            "july august september october november december".split())
# -- the lexicon -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    """Everything the objective and value checks read from lexicon.yaml, compiled."""

    source: str
    forms: Mapping[str, str]  # verb form -> base
    form_kinds: Mapping[str, frozenset[str]]  # verb form -> {'base', 'third', 'past', 'ing'}
    verb_classes: Mapping[str, frozenset[str]]  # class name -> base verbs
    passive_client_verbs: frozenset[str]
    seller_subjects: frozenset[str]
    seller_things: frozenset[str]
    client_when_ours: frozenset[str]
    client_roles: frozenset[str]
    client_departments: frozenset[str]
    generic_client_words: frozenset[str]
    titles: frozenset[str]
    commitment_nouns: Phrases
    meeting_nouns: Phrases
    advance_phrases: Phrases
    commitment_headlines: Phrases
    cues: Mapping[str, Phrases]  # continuation, hedge, vague
    stage_cues: tuple[StageCues, ...]
    default_person: Mapping[str, str]
    default_when: str
    fallback_action: str
    counterparts: Mapping[str, str]
    question_verbs: frozenset[str]
    question_action: str
    object_wrappers: tuple[tuple[str, ...], ...]
    unusable_objects: frozenset[str]
    activity_rewrites: tuple[tuple[str, str], ...]
    framing: re.Pattern
    value: "ValueWords"
    grammar: Mapping[str, frozenset[str]]
    purpose: re.Pattern
    known_words: frozenset[str]
    shorthand: Mapping[str, str]  # typed -> spelled out ("w/" -> "with")
    shorthand_re: re.Pattern | None
    slash_pairs: frozenset[str]
    our_side: frozenset[str]
    needs_object: frozenset[str]
    opinion_verbs: frozenset[str]
    no_substance: Phrases
    best_case: Phrases
    fallback_case: Phrases
    transfer_phrases: Phrases
    negations: frozenset[str]
    speller: Speller
    # optional lists (a lexicon without them reads as before)
    client_obtains: Phrases = Phrases("client_obtains", (), {})  # what a client wins on their side: "gets procurement approval"
    ongoing_verbs: frozenset[str] = frozenset()  # "keep pushing on T&Cs": an activity with no end
    gathering_verbs: frozenset[str] = frozenset()  # "gather requirements": collecting with nothing to check
    generic_info: Phrases = Phrases("generic_info", (), {})
    advance_phrasal: frozenset[str] = frozenset()  # "lines up 3 pilots", "sets up the trial": a verb + particle with energy
    presence_phrasal: frozenset[str] = frozenset()  # "shows up to the call": being there, no step
    nothing_in_particular: frozenset[str] = frozenset()  # "agrees to everything": an object that names nothing
    light_verbs: frozenset[str] = frozenset()  # "do the trial", "make the decision": the commitment after them is the action
    advance_if_verb: frozenset[str] = frozenset()  # "initial the pricing page": an advance, though mostly an adjective
    hedge_modals: frozenset[str] = frozenset()  # "Julio should share the invoices": a wish for the client's act, not a plan
    not_commitment_before: frozenset[str] = frozenset()  # "decision process", "approval chain": a thing to learn, not a commitment
    whole_deal: frozenset[str] = frozenset()  # "win the business", "land the deal": the rep's aim, no client step named
    done_words: frozenset[str] = frozenset()  # "done", "passed", "complete": a check of theirs finished
    client_checks: frozenset[str] = frozenset()  # "security review", "pen test": a check the client runs on us
    vague_as_noun: frozenset[str] = frozenset()  # "takes the next step": vague even after "the", unlike "a follow-up call"
    duration_words: frozenset[str] = frozenset()  # "a 15 min follow-up": words for a meeting's length
    seller_run_verbs: frozenset[str] = frozenset()  # "... - facilitated by our consultant": the session before is ours
    max_words: int = 40  # longer than this, nobody checks the objective at the end of the call
    max_chars: int = 300

    def reads_as_english(self, reading: Reading) -> bool:
        """Whether a text is English enough to judge: a quarter of its words are the lexicon's, or most are English.

        Words callkit repaired count as unknown: "signe le contrat" is French, not a typo.
        """
        alpha = [t for t in reading.low if t.isalpha()]
        if not alpha:
            return True
        if sum(not t.isascii() for t in alpha) * 2 > len(alpha):
            return False
        if len(alpha) < 3:
            return True
        repaired = len(reading.repaired)
        ours = sum(self.is_known(t) for t in alpha) - repaired
        english = sum(self.is_known(t) or is_english(t) for t in alpha) - repaired
        return ours * 4 >= len(alpha) or english * 5 >= len(alpha) * 3

    def read(self, text: str, max_tokens: int | None = None) -> Reading:
        """The text as the rules read it, with this lexicon's shorthand spelled out and typos repaired."""
        return read_text(text, max_tokens, shorthand=self.shorthand, shorthand_re=self.shorthand_re,
                         speller=self.speller, slash_words=self.slash_pairs)

    def is_verb(self, word: str, cls: str | None = None) -> bool:
        """True when `word` is a form of a known verb (of class `cls`, if given)."""
        base = self.forms.get(word)
        return base is not None and (cls is None or base in self.verb_classes[cls])

    def base(self, word: str) -> str | None:
        return self.forms.get(word)

    def kinds(self, word: str) -> frozenset[str]:
        return self.form_kinds.get(word, frozenset())

    def is_known(self, word: str) -> bool:
        """A word the lexicon knows (its English vocabulary), possessive 's ignored."""
        w = word[:-2] if word.endswith("'s") else word
        return w in self.known_words or w in self.forms

    def is_role(self, word: str) -> bool:
        w = word[:-2] if word.endswith("'s") else word
        return w in self.client_roles or w in self.client_departments or (w.endswith("s") and w[:-1] in self.client_roles)


def _strings(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise LexiconError(where, f"'{key}' must be a non-empty list of words or phrases.")
    out: list[str] = []
    for item in value:
        if isinstance(item, bool):
            raise LexiconError(where, f"'{key}' has a word YAML reads as {item}: write yes, no, on and off in quotes.")
        if not isinstance(item, str) or not item.strip():
            raise LexiconError(where, f"'{key}' has {item!r}, which is not a word or phrase.")
        out.append(" ".join(item.lower().replace("-", " ").split()) if item.strip() not in ("-", "...") else item.strip())
    return out


def _section(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise LexiconError(where, f"the file needs a '{key}:' section.")
    return value


def _phrases(name: str, items: list[str], irregular: Mapping[str, list[str]], where: str) -> Phrases:
    try:
        return Phrases(name, items, irregular)
    except (ValueError, re.error) as exc:  # pragma: no cover - guarded by _strings
        raise LexiconError(where, f"'{name}' has a phrase callkit cannot read ({exc}).") from None


def _framing_source(prefix: str) -> str:
    """Regex source for one framing prefix: its words as written, '...' for up to four others ("do not ... without")."""
    pieces = [None if w == GAP else re.escape(w) for w in prefix.split()]
    out = ""
    gap = False
    for piece in pieces:
        if piece is None:
            gap = True
            continue
        if out:
            out += f" (?:\\S+ ){{0,{GAP_WORDS + 1}}}" if gap else " "  # "do not wrap up the call without"
        out += piece
        gap = False
    return out


def lexicon_from_dict(data: Any, source: str = DEFAULT_SOURCE) -> Lexicon:
    """Build a Lexicon from parsed YAML, with plain-English errors naming the file and the key."""
    if not isinstance(data, dict):
        raise LexiconError(source, "the file must be a mapping of word lists (see callkit/data/lexicon.yaml).")
    irregular_raw = data.get("irregular_verbs") or {}
    if not isinstance(irregular_raw, dict):
        raise LexiconError(source, "'irregular_verbs' must map a verb to its irregular forms.")
    irregular = {str(k).lower(): [str(f).lower() for f in (v or [])] for k, v in irregular_raw.items()}

    verbs = _section(data, "verbs", source)
    classes = {name: frozenset(_strings(verbs, name, source)) for name in
               ("advance", "low_energy", "feeling", "intent", "solo", "seller", "causative", "persuade", "mutual", "arrange",
                "obtain")}
    passive_client = frozenset(_strings(data, "passive_client_verbs", source))
    forms: dict[str, str] = {}
    kinds: dict[str, set[str]] = {}
    for base in sorted(set().union(*classes.values(), passive_client)):
        for form, form_kinds in verb_forms(base, irregular.get(base, ())).items():
            forms.setdefault(form, base)
            if forms[form] == base:
                kinds.setdefault(form, set()).update(form_kinds)

    cues_raw = _section(data, "cues", source)
    cues = {name: _phrases(name, _strings(cues_raw, name, source), irregular, source)
            for name in ("continuation", "hedge", "vague")}

    stage_raw = _section(data, "stage_cues", source)
    stage_cues: list[StageCues] = []
    for stage, items in stage_raw.items():
        if not isinstance(items, list) or not items:
            raise LexiconError(source, f"stage_cues.{stage} must be a list of cues.")
        plain: list[str] = []
        contextual: list[tuple[Phrases, Phrases]] = []
        near: list[int] = []
        for item in items:
            if isinstance(item, str) and item.strip():
                plain.append(item.strip().lower())
            elif isinstance(item, dict) and isinstance(item.get("cue"), str):
                unless = _strings(item, "unless", source) if item.get("unless") else []
                cue = _phrases(f"stage_cues.{stage}", [item["cue"].lower()], irregular, source)
                if unless:
                    contextual.append((cue, _phrases("unless", unless, {}, source)))
                    reach = item.get("near", NEAR)
                    if not isinstance(reach, int) or isinstance(reach, bool) or reach < 1:
                        raise LexiconError(source, f"stage_cues.{stage}: 'near' of {item['cue']!r} must be a whole number of words.")
                    near.append(reach)
                else:
                    plain.append(item["cue"].strip().lower())
            else:
                raise LexiconError(source, f"stage_cues.{stage} has {item!r}: write a phrase, or 'cue:' with 'unless:'.")
        stage_cues.append(StageCues(str(stage), _phrases(f"stage_cues.{stage}", plain, irregular, source), tuple(contextual),
                                    tuple(near)))

    sugg = _section(data, "suggestion", source)
    default_person = sugg.get("default_person") or {}
    counterparts = sugg.get("counterparts") or {}
    rewrites = sugg.get("activity_rewrites") or []
    if not isinstance(default_person, dict) or "*" not in default_person:
        raise LexiconError(source, "suggestion.default_person needs a '*' entry (the person for any other stage).")
    if not isinstance(counterparts, dict) or not all(isinstance(v, str) and "{object}" in v for v in counterparts.values()):
        raise LexiconError(source, "suggestion.counterparts must map a verb to a text containing {object}.")
    if not isinstance(rewrites, list) or not all(isinstance(r, list) and len(r) == 2 and all(isinstance(x, str) for x in r) for r in rewrites):
        raise LexiconError(source, "suggestion.activity_rewrites must be a list of [first words, new words] pairs.")
    framing_items = _strings(sugg, "framing_prefixes", source)
    framing = re.compile(
        r"^(?:(?:my|our|the|main|primary|call|first|this) )*(?:"
        + "|".join(_framing_source(p) for p in sorted(framing_items, key=len, reverse=True))
        + r")(?: (?:is|was|will be|:|=))?(?: (?:to|that|for))? ?"
    )

    value_raw = _section(data, "value", source)
    value = ValueWords(
        placeholders=frozenset(_strings(value_raw, "placeholders", source)),
        vague=frozenset(_strings(value_raw, "vague", source)),
        about_us=_phrases("value.about_us", _strings(value_raw, "about_us", source), irregular, source),
        our_things=frozenset(_strings(value_raw, "our_things", source)),
        presentations=frozenset(_strings(value_raw, "presentations", source)),
        improve_verbs=frozenset(_strings(value_raw, "improve_verbs", source)),
        credited_to_us=_phrases("value.credited_to_us", _strings(value_raw, "credited_to_us", source), {}, source),
        show_verbs=frozenset(_strings(value_raw, "show_verbs", source)),
        reception_verbs=frozenset(_strings(value_raw, "reception_verbs", source)),
        learn_verbs=frozenset(_strings(value_raw, "learn_verbs", source)),
        their_questions=_phrases("value.their_questions", _strings(value_raw, "their_questions", source), {}, source),
        client_learn=frozenset(_strings(value_raw, "client_learn", source)),
        seller_gain=_phrases("value.seller_gain", _strings(value_raw, "seller_gain", source), irregular, source),
        deal_words=_phrases("value.deal_words", _strings(value_raw, "deal_words", source), irregular, source),
        deal_not_ours=frozenset(_strings(value_raw, "deal_not_ours", source)),
        obtain_verbs=frozenset(_strings(value_raw, "obtain_verbs", source)),
        client_view=frozenset(_strings(value_raw, "client_view", source)),
    )

    grammar_raw = _section(data, "grammar", source)
    grammar = {key: frozenset(_strings(grammar_raw, key, source)) for key in
               ("determiners", "prepositions", "modals", "be", "adverbs", "clause_breaks", "english_words")}
    purpose_items = _strings(grammar_raw, "purpose_markers", source)
    purpose = re.compile(r"(?<!\S)(?:" + "|".join(re.escape(p) for p in sorted(purpose_items, key=len, reverse=True)) + r")(?!\S)")

    shorthand_raw = data.get("shorthand") or {}
    if not isinstance(shorthand_raw, dict) or not all(isinstance(k, str) and isinstance(v, str) and k.strip()
                                                        for k, v in shorthand_raw.items()):
        raise LexiconError(source, "'shorthand' must map what reps type to what it means, e.g. \"w/\": with.")
    shorthand = {k.strip().lower(): v for k, v in shorthand_raw.items()}
    extra_lists = {key: _strings(data, key, source) for key in ("our_side", "needs_object", "opinion_verbs", "negations")}
    phrase_lists = {key: _phrases(key, _strings(data, key, source), irregular, source)
                    for key in ("no_substance", "best_case", "fallback_case", "transfer_phrases")}
    slash_pairs = frozenset(_strings(data, "slash_pairs", source)) if data.get("slash_pairs") else frozenset()
    optional = {key: _strings(data, key, source) if data.get(key) else []
                for key in ("client_obtains", "ongoing_verbs", "gathering_verbs", "generic_info", "advance_phrasal",
                            "presence_phrasal", "nothing_in_particular", "light_verbs", "advance_if_verb", "hedge_modals",
                            "not_commitment_before", "seller_run_verbs", "duration_words", "whole_deal", "done_words",
                            "client_checks", "vague_as_noun")}
    limits = data.get("objective_limits") or {}
    if not isinstance(limits, dict) or not all(isinstance(limits.get(k, 1), int) and not isinstance(limits.get(k, 1), bool)
                                               and limits.get(k, 1) > 0 for k in ("max_words", "max_chars")):
        raise LexiconError(source, "'objective_limits' must give max_words and max_chars as whole numbers above 0.")

    roles = frozenset(r.split()[-1] for r in _strings(data, "client_roles", source))  # "decision maker" -> maker
    departments = frozenset(_strings(data, "client_departments", source))
    vocabulary: set[str] = set(forms)
    for group in (roles, departments, *grammar.values()):
        for item in group:
            vocabulary.update(item.split())
    for ph in (*cues.values(), value.about_us, value.seller_gain, value.deal_words):
        vocabulary |= ph.words()
    for group in (value.vague, value.our_things, value.presentations, value.improve_verbs, value.show_verbs,
                  value.reception_verbs, value.learn_verbs, value.obtain_verbs):
        for item in group:
            vocabulary.update(item.split())
    for sc in stage_cues:
        vocabulary |= sc.plain.words()
        for cue, _ in sc.contextual:
            vocabulary |= cue.words()
    commitment_nouns = _phrases("commitment_nouns", _strings(data, "commitment_nouns", source), irregular, source)
    meeting_nouns = _phrases("meeting_nouns", _strings(data, "meeting_nouns", source), irregular, source)
    client_obtains = _phrases("client_obtains", optional["client_obtains"], irregular, source)
    generic_info = _phrases("generic_info", optional["generic_info"], irregular, source)
    for ph in (commitment_nouns, meeting_nouns, *phrase_lists.values(), client_obtains, generic_info):
        vocabulary |= ph.words()
    for key in ("ongoing_verbs", "gathering_verbs", "advance_phrasal", "presence_phrasal", "nothing_in_particular", "light_verbs",
                "advance_if_verb", "whole_deal", "done_words", "client_checks"):
        for item in optional[key]:
            vocabulary.update(item.split())
    for text in (*shorthand.values(), *_strings(data, "seller_things", source), *_strings(data, "seller_subjects", source)):
        vocabulary.update(text.lower().split())
    vocabulary.update(_DATE_WORDS)

    return Lexicon(
        source=source,
        forms=forms,
        form_kinds={f: frozenset(k) for f, k in kinds.items()},
        verb_classes=classes,
        passive_client_verbs=passive_client,
        seller_subjects=frozenset(_strings(data, "seller_subjects", source)),
        seller_things=frozenset(_strings(data, "seller_things", source)),
        client_when_ours=frozenset(_strings(data, "client_when_ours", source)),
        client_roles=roles,
        client_departments=departments,
        generic_client_words=frozenset(_strings(data, "generic_client_words", source)),
        titles=frozenset(_strings(data, "titles", source)),
        commitment_nouns=commitment_nouns,
        commitment_headlines=_phrases("commitment_headlines", _strings(data, "commitment_headlines", source), {}, source),
        advance_phrases=_phrases("advance_phrases", _strings(data, "advance_phrases", source), irregular, source),
        meeting_nouns=meeting_nouns,
        cues=cues,
        stage_cues=tuple(stage_cues),
        default_person={str(k): str(v) for k, v in default_person.items()},
        default_when=str(sugg.get("default_when") or "by the end of next week"),
        fallback_action=str(sugg.get("fallback_action") or "a meeting with the person who decides"),
        counterparts={str(k).lower(): v for k, v in counterparts.items()},
        question_verbs=frozenset(_strings(sugg, "question_verbs", source)),
        question_action=str(sugg.get("question_action") or "confirm in writing {object}"),
        object_wrappers=tuple(tuple(w.split()) for w in _strings(sugg, "object_wrappers", source)),
        unusable_objects=frozenset(_strings(sugg, "unusable_objects", source)),
        activity_rewrites=tuple((a.lower().strip(), b.strip()) for a, b in rewrites),
        framing=framing,
        value=value,
        grammar=grammar,
        purpose=purpose,
        known_words=frozenset(vocabulary),
        shorthand=shorthand,
        shorthand_re=shorthand_pattern(shorthand),
        slash_pairs=slash_pairs,
        our_side=frozenset(extra_lists["our_side"]),
        needs_object=frozenset(extra_lists["needs_object"]),
        opinion_verbs=frozenset(extra_lists["opinion_verbs"]),
        negations=frozenset(extra_lists["negations"]),
        no_substance=phrase_lists["no_substance"],
        best_case=phrase_lists["best_case"],
        fallback_case=phrase_lists["fallback_case"],
        transfer_phrases=phrase_lists["transfer_phrases"],
        speller=Speller(vocabulary, never_into=_CALENDAR_NAMES),
        client_obtains=client_obtains,
        ongoing_verbs=frozenset(optional["ongoing_verbs"]),
        gathering_verbs=frozenset(optional["gathering_verbs"]),
        advance_phrasal=frozenset(optional["advance_phrasal"]),
        presence_phrasal=frozenset(optional["presence_phrasal"]),
        nothing_in_particular=frozenset(optional["nothing_in_particular"]),
        light_verbs=frozenset(optional["light_verbs"]),
        advance_if_verb=frozenset(optional["advance_if_verb"]),
        hedge_modals=frozenset(optional["hedge_modals"]),
        not_commitment_before=frozenset(optional["not_commitment_before"]),
        seller_run_verbs=frozenset(optional["seller_run_verbs"]),
        duration_words=frozenset(optional["duration_words"]),
        whole_deal=frozenset(optional["whole_deal"]),
        done_words=frozenset(optional["done_words"]),
        client_checks=frozenset(optional["client_checks"]),
        vague_as_noun=frozenset(optional["vague_as_noun"]),
        max_words=int(limits.get("max_words", Lexicon.max_words)),
        max_chars=int(limits.get("max_chars", Lexicon.max_chars)),
        generic_info=generic_info,
    )


def lexicon_from_yaml(path: str | Path) -> Lexicon:
    """Read a lexicon file (a coach's extended copy of callkit/data/lexicon.yaml)."""
    return lexicon_from_dict(read_yaml(path, LexiconError, "word-list file"), str(path))


def _from_text(text: str, source: str) -> Lexicon:
    return lexicon_from_dict(parse_yaml(text, source, LexiconError), source)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon shipped with callkit, read and compiled once per process."""
    return _from_text(packaged_text("lexicon.yaml"), DEFAULT_SOURCE)
