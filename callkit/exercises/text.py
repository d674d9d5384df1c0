"""How the exercise checks read what a rep typed, beyond the scoring rules: words by their base form, phrases, names.

Words are read the way the objective rules read them (shorthand spelled out, typos repaired, see
callkit.scoring.reading) and compared by their dictionary base forms (lemminflect), so "sends the logs"
matches "send ... log" and "hosted us" matches "hosts us". Names are compared with rapidfuzz, so
"Marai" still names Maria; names are never "repaired" into other words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Sequence

from rapidfuzz import fuzz

_WORD = re.compile(r"[a-z0-9%]+(?:'[a-z]+)?")
# Words too common to say what a sentence is about (and not part of any item's key phrases).
_STOP = frozenset(
    "a an the and or of for with from to in on at by as is are be was were been it its this that these those "
    "their they them his her he she him we us our you your i me my will would can could should shall may "
    "into onto about so than then also just very all any some".split()
)
SELLER_WORDS = frozenset("i me my myself we us our ours ourselves".split())
NAME_MATCH = 80  # rapidfuzz ratio from which a typed word is read as a name ("Marai" for "Maria")


def _lemminflect():
    import lemminflect  # loaded on first use

    return lemminflect


@lru_cache(maxsize=65536)
def forms(word: str) -> frozenset[str]:
    """A lowercase word and its dictionary base forms: 'hosts' -> {'hosts', 'host'}, 'figures' -> {..., 'figure'}."""
    word = word.lower().strip("'")
    out = {word}
    if word.endswith("'s"):
        out.add(word[:-2])
    for lemmas in _lemminflect().getAllLemmas(word).values():
        out.update(lemmas)
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        out.add(word[:-1])  # plurals the dictionary does not know ("kpis")
    return frozenset(out)


def tokens(text: str) -> list[str]:
    """The text's words as the objective rules read them (shorthand spelled out, typos repaired), lowercase."""
    from ..scoring.lexicon import default_lexicon

    reading = default_lexicon().read(text or "")
    return [w for t in reading.low for w in _WORD.findall(t)]


def raw_tokens(text: str) -> list[str]:
    """The text's words exactly as typed, lowercase (for names, which must never be repaired)."""
    return _WORD.findall((text or "").lower().replace("\u2019", "'"))


def content_words(text: str) -> list[str]:
    """The words that say what a text is about: no articles, pronouns or linking words."""
    return [w for w in tokens(text) if w not in _STOP]


def find_phrase(text_tokens: Sequence[str], phrase: str) -> int | None:
    """Where the words of `phrase` appear in a row in the text, each in any of its forms ("visit" ~ "visiting")."""
    want = [forms(w) for w in _WORD.findall(phrase.lower())]
    if not want:
        return None
    have = [forms(t) for t in text_tokens]
    n = len(want)
    return next((i for i in range(len(have) - n + 1) if all(have[i + k] & want[k] for k in range(n))), None)


def has_phrase(text_tokens: Sequence[str], phrase: str) -> bool:
    """True when the words of `phrase` appear in a row in the text, each in any of its forms."""
    return find_phrase(text_tokens, phrase) is not None


def first_phrase(text: str, phrases: Iterable[str]) -> str | None:
    """The words of the text that say the first of `phrases` it says ("stays engaged" for "stay engaged"), or None."""
    toks = tokens(text)
    raw = raw_tokens(text)
    for phrase in phrases:
        size = len(_WORD.findall(phrase.lower()))
        for found in (raw, toks):
            at = find_phrase(found, phrase)
            if at is not None:
                return " ".join(found[at:at + size])
    return None


def shares_meaning(given: str, key_words: Iterable[str]) -> bool:
    """True when `given` says any of the key words or phrases (in any word form)."""
    return first_phrase(given, key_words) is not None


def name_words(name: str) -> list[str]:
    """The words of a person's name or role that can identify them (no titles or articles)."""
    return [w for w in raw_tokens(name) if w not in _STOP and w not in ("mr", "mrs", "ms", "dr") and len(w) >= 2]


def _is_name(part: str) -> bool:
    """True for a person's name ("Maria Lopez"), False for a role ("the plant manager", "her planners")."""
    found = re.findall(r"[A-Za-z][\w'-]*", part)
    return bool(found) and all(w[0].isupper() for w in found)


def names_person(text: str, person: str) -> bool:
    """True when the text names this person: a word of their name (typos allowed) or their whole role.

    `person` is a name ("Maria Lopez"), a role ("the plant manager") or both ("Irene Walsh, procurement
    manager"). A name matches on any of its words ("Lopez", "Marai"); a role only as a whole ("plant manager").
    """
    typed = raw_tokens(text)
    if not typed:
        return False
    for part in (p.strip() for p in person.split(",")):
        words = name_words(part)
        if not words:
            continue
        if not _is_name(part):
            if has_phrase(typed, " ".join(words)):
                return True
            continue
        for w in words:
            for t in typed:
                t = t[:-2] if t.endswith("'s") else t
                if t == w or (len(w) >= 4 and len(t) >= 3 and fuzz.ratio(t, w) >= NAME_MATCH):
                    return True
    return False


def is_seller_side(text: str) -> bool:
    """True when a 'who' is us: "me", "we", "our team", "I"."""
    words = raw_tokens(text)
    return bool(words) and (words[0] in SELLER_WORDS or all(w in SELLER_WORDS or w in _STOP or w == "team" for w in words))


def starts_with_us(text: str) -> bool:
    """True when a sentence starts with the seller acting: "We send ...", "I presented ..."."""
    words = raw_tokens(text)
    return bool(words) and words[0] in SELLER_WORDS


def same_words(a: str, b: str) -> bool:
    """True when two texts have the same words in the same order (case and punctuation aside)."""
    return raw_tokens(a) == raw_tokens(b)


def is_blank(text: str | None) -> bool:
    """True when there is nothing to judge yet: empty, punctuation only, or a placeholder like "tbd" (rubric.yaml)."""
    from ..scoring.plan import Rubric

    value = " ".join((text or "").split())
    return not value or not Rubric.default().is_answered(value)


def unique(values: Iterable[str]) -> list[str]:
    """The values in order, each once."""
    return list(dict.fromkeys(values))
