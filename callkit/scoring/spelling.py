"""Typo repair against the lexicon's own vocabulary: "recieve" is read as "receive", "aproval" as "approval".

Only words that neither the lexicon nor the English dictionary knows are repaired, and only to a word
of the lexicon (the words the rules look for), so names and jargon are left alone. Distances come from
rapidfuzz (optimal string alignment: a swapped pair of letters is one edit); doubled letters are
compared squeezed ("comitt" = "commit").
"""

from __future__ import annotations

import re
from typing import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .english import is_english

MIN_LENGTH = 5  # shorter words are too easy to turn into another word ...
SHORT_LENGTH = 3  # ... so 3- and 4-letter words are only repaired by a swapped or a missing letter ("teh", "snds")
_DOUBLES = re.compile(r"(.)\1+")


def squeeze(word: str) -> str:
    """The word with doubled letters made single: 'committee' -> 'comite'."""
    return _DOUBLES.sub(r"\1", word)


class Speller:
    """Repairs misspelt words to the nearest word of a vocabulary, one or two edits away."""

    def __init__(self, vocabulary: Iterable[str], never_into: Iterable[str] = ()):
        """`never_into`: words a typo is never read as (month and weekday names: "marco" is a name, not "march")."""
        vocabulary = frozenset(vocabulary)
        self.known = vocabulary
        vocabulary = vocabulary - frozenset(never_into)
        words = sorted({w for w in vocabulary if w.isalpha() and len(w) >= MIN_LENGTH - 1})
        self._words = words
        self._short_words = sorted({w for w in vocabulary if w.isalpha() and SHORT_LENGTH <= len(w) <= MIN_LENGTH})
        self._squeezed: dict[str, str] = {}
        for w in words:
            self._squeezed.setdefault(squeeze(w), w)
        self._cache: dict[str, str | None] = {}

    def needs_repair(self, word: str) -> bool:
        """A lowercase word callkit cannot read as it is: not in the vocabulary and not English."""
        if len(word) < SHORT_LENGTH or not word.isalpha() or not word.isascii() or word in self.known or is_english(word):
            return False
        return not (word.endswith("s") and (word[:-1] in self.known or word.endswith("es") and word[:-2] in self.known))

    def correct(self, word: str) -> str | None:
        """The vocabulary word `word` was meant to be, or None when there is no close one (or no need)."""
        if word in self._cache:
            return self._cache[word]
        found: str | None = None
        if self.needs_repair(word) and len(word) < MIN_LENGTH:
            found = self._short(word)
        elif self.needs_repair(word):
            found = self._squeezed.get(squeeze(word))
            if found is None:
                limit = 1 if len(word) < 9 else 2
                best = process.extract(word, self._words, scorer=OSA.distance, score_cutoff=limit, limit=4)
                if best:
                    top = min(d for _, d, _ in best)
                    # among equally close words prefer one that starts and ends like the typo
                    found = min((w for w, d, _ in best if d == top),
                                key=lambda w: (w[0] != word[0], w[-1] != word[-1], abs(len(w) - len(word)), w))
        if len(self._cache) < 20_000:
            self._cache[word] = found
        return found

    def _short(self, word: str) -> str | None:
        """A short word with two letters swapped ("teh" -> "the") or one letter left out ("snds" -> "sends")."""
        swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
        found = sorted(w for w in swaps if w in self.known and w.isalpha())
        if found:
            return found[0]
        if len(word) < 4:
            return None  # "jin", "lin", "kai": three letters with one more are too often a name
        longer = [w for w, d, _ in process.extract(word, self._short_words, scorer=OSA.distance, score_cutoff=1, limit=8)
                  if len(w) == len(word) + 1 and w[0] == word[0]]
        return sorted(longer)[0] if len(longer) == 1 else None
