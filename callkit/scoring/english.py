"""What callkit knows about English words beyond its own word lists: parts of speech, base forms, verb endings.

The knowledge comes from lemminflect's dictionary (about 70,000 English word forms with their parts of
speech, shipped inside the package; nothing is downloaded). callkit's lexicon says what a word *means*
for a sale ("sign" is a client advance); this module only says what kind of word it is ("signed" is a
past form of the verb "sign") and writes verb forms for suggestions ("bring" -> "brings").
"""

from __future__ import annotations

from functools import lru_cache

# Penn tags lemminflect writes: base, third person singular, past, past participle, -ing.
_TAGS = {"base": "VB", "third": "VBZ", "past": "VBD", "participle": "VBN", "ing": "VBG"}


def _lemminflect():
    import lemminflect  # imported on first use: loading its tables takes about 0.1 s

    return lemminflect


@lru_cache(maxsize=65536)
def parts_of_speech(word: str) -> frozenset[str]:
    """The parts of speech a lowercase word can have ('VERB', 'NOUN', 'ADJ', 'ADV', ...); empty when unknown."""
    return frozenset(_lemminflect().getAllLemmas(word))


def is_english(word: str) -> bool:
    """True when the dictionary knows the word (most first names are not in it)."""
    return bool(parts_of_speech(word))


@lru_cache(maxsize=65536)
def verb_base(word: str) -> str | None:
    """The base form of a verb form ('signed' -> 'sign'), or None when the word is no verb the dictionary knows."""
    lemmas = _lemminflect().getAllLemmas(word, upos="VERB").get("VERB")
    return lemmas[0] if lemmas else None


@lru_cache(maxsize=65536)
def verb_kinds(word: str) -> frozenset[str]:
    """Which forms of its verb a word is: 'base', 'third', 'past', 'participle', 'ing' (empty for no verb)."""
    base = verb_base(word)
    if base is None:
        return frozenset()
    forms = _lemminflect().getAllInflections(base, upos="VERB")
    kinds = {kind for kind, tag in _TAGS.items() if word in forms.get(tag, ())}
    if word == base:
        kinds.add("base")
    return frozenset(kinds)


@lru_cache(maxsize=4096)
def inflect(base: str, kind: str) -> str:
    """A verb in the form `kind` ('third', 'past', 'participle', 'ing', 'base'): ('bring', 'third') -> 'brings'.

    Verbs the dictionary does not know get the regular ending ("greenlight" -> "greenlights").
    """
    if kind == "base":
        return base
    lm = _lemminflect()
    tag = _TAGS[kind]
    forms = lm.getInflection(base, tag=tag) or lm.getInflection(base, tag=tag, inflect_oov=True)
    return forms[0] if forms else base


@lru_cache(maxsize=1024)
def plural(noun: str) -> str:
    """The plural of a noun, or of a phrase's last word: 'rep' -> 'reps', 'new company' -> 'new companies'."""
    head, _, last = noun.rpartition(" ")
    lm = _lemminflect()
    forms = lm.getInflection(last, tag="NNS") or lm.getInflection(last, tag="NNS", inflect_oov=True)
    return f"{head} {forms[0]}".strip() if forms else noun


def counted(n: int, noun: str, many: str | None = None) -> str:
    """'1 new rep', '3 new reps', '0 problems' (kept here for old imports; callkit.text.counted is its home)."""
    from ..text import counted as text_counted

    return text_counted(n, noun, many)
