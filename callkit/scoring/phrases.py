"""The matchers a lexicon is made of: a verb's forms, phrase patterns (with their "..." gaps) and stage cues.

`callkit.scoring.lexicon` reads lexicon.yaml and builds its word lists from these; they know nothing of the
file, only how a phrase a coach wrote matches what a rep typed (after `reading.read_text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

GAP = "..."  # in a phrase: up to GAP_WORDS words of anything
GAP_WORDS = 3
NEAR = 5  # words either side of a stage cue where its `unless` words count
_VOWELS = set("aeiou")

# -- verb forms ------------------------------------------------------------------------------------


def _cvc(word: str) -> bool:
    return len(word) >= 3 and word[-1] not in _VOWELS | set("wxy") and word[-2] in _VOWELS and word[-3] not in _VOWELS


def verb_forms(base: str, irregular: Iterable[str] = ()) -> dict[str, set[str]]:
    """Every form of a verb mapped to its kinds: 'base', 'third' (-s), 'past' (-ed / irregular), 'ing'."""
    forms: dict[str, set[str]] = {}

    def add(form: str, kind: str) -> None:
        forms.setdefault(form, set()).add(kind)

    consonant_y = base.endswith("y") and len(base) > 1 and base[-2] not in _VOWELS
    if base.endswith("o"):
        add(base + "s", "third")  # demos, ...
        add(base + "es", "third")  # ... goes, does
    elif base.endswith(("s", "x", "z", "ch", "sh")):
        add(base + "es", "third")
    else:
        add(base[:-1] + "ies" if consonant_y else base + "s", "third")
    if base.endswith("e"):
        add(base + "d", "past")
    else:
        add(base[:-1] + "ied" if consonant_y else base + "ed", "past")
    if base.endswith("ie"):
        add(base[:-2] + "ying", "ing")
    elif base.endswith("e") and not base.endswith("ee"):
        add(base[:-1] + "ing", "ing")
    else:
        add(base + "ing", "ing")
    if _cvc(base):
        add(base + base[-1] + "ed", "past")
        add(base + base[-1] + "ing", "ing")
    for form in irregular:
        add(form, "past")
    add(base, "base")
    return forms


# -- phrases ---------------------------------------------------------------------------------------


def _word_pattern(word: str, forms: Iterable[str]) -> str:
    alts = sorted({word, *forms}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(a) for a in alts) + ")"


def phrase_pattern(phrase: str, irregular: Mapping[str, list[str]]) -> str:
    """Regex source for one phrase: first word in all its verb forms, last word +plural, '...' = a gap."""
    words = phrase.lower().replace("-", " ").split()
    if not words:
        raise ValueError("empty phrase")
    pieces: list[str | None] = []
    for i, word in enumerate(words):
        if word == GAP:
            pieces.append(None)
            continue
        alts: set[str] = set()
        if i == 0:
            alts |= set(verb_forms(word, irregular.get(word, ())))
        if i == len(words) - 1 and len(word) > 2:  # "po" + s is "POS" (point of sale), another word
            alts |= {word + "s", word + "es"}
        pieces.append(_word_pattern(word, alts))
    source = ""
    gap = False
    for piece in pieces:
        if piece is None:
            gap = True
            continue
        if source:
            source += f" (?:\\S+ ){{0,{GAP_WORDS}}}" if gap else " "
        source += piece
        gap = False
    if not source:
        raise ValueError("a phrase needs at least one word")
    return source


class Phrases:
    """One list of phrases from the lexicon, compiled into a single regex over canonical text."""

    def __init__(self, name: str, phrases: Iterable[str], irregular: Mapping[str, list[str]]):
        self.name = name
        self.phrases = tuple(phrases)
        sources = [phrase_pattern(p, irregular) for p in self.phrases]
        self.regex = re.compile(r"(?<!\S)(?:" + "|".join(sources) + r")(?!\S)") if sources else None

    def search(self, canon: str) -> re.Match | None:
        """The first match in canonical text, or None."""
        return self.regex.search(canon) if self.regex is not None else None

    def finditer(self, canon: str) -> Iterator[re.Match]:
        return self.regex.finditer(canon) if self.regex is not None else iter(())

    def words(self) -> set[str]:
        return {w for p in self.phrases for w in p.lower().replace("-", " ").split() if w != GAP}


@dataclass(frozen=True)
class StageCues:
    """The cues of one stage: plain phrases, plus phrases that do not count when an `unless` word is near.

    "Near" is inside the matched words or within five words either side (a cue may say `near:` for more): "signs the SOW for the pilot"
    is a pilot's paperwork, not the main contract's.
    """

    stage: str
    plain: Phrases
    contextual: tuple[tuple[Phrases, Phrases], ...]
    near: tuple[int, ...] = ()  # per contextual cue: how many words either side its `unless` words count (default NEAR)

    def match(self, canon: str) -> str | None:
        """The words that show this stage, or None."""
        m = self.plain.search(canon)
        if m:
            return m.group(0)
        for n, (cue, unless) in enumerate(self.contextual):
            near = self.near[n] if n < len(self.near) else NEAR
            for m in cue.finditer(canon):
                before = canon[: m.start()].split()[-near:]
                after = canon[m.end():].split()[:near]
                if not unless.search(" ".join([*before, m.group(0), *after])):
                    return m.group(0)
        return None


@dataclass(frozen=True)
class ValueWords:
    """The `value:` section: the ways an answer to "what's in it for the customer" is not in their terms."""

    placeholders: frozenset[str]
    vague: frozenset[str]
    about_us: Phrases
    our_things: frozenset[str]
    presentations: frozenset[str]
    improve_verbs: frozenset[str]
    credited_to_us: Phrases
    show_verbs: frozenset[str]
    reception_verbs: frozenset[str]
    learn_verbs: frozenset[str]
    their_questions: Phrases
    client_learn: frozenset[str]
    seller_gain: Phrases
    deal_words: Phrases
    deal_not_ours: frozenset[str]
    obtain_verbs: frozenset[str]
    client_view: frozenset[str]
