"""Word-level tests on an objective's tokens: names, client people, verbs and their forms, dates, adverbs.

The `Words` class answers the small questions the clause reader asks about one token: is "dana's"
a name, is "approved" a past form, is "the IT director" a person on the client's side? Its knowledge
is the lexicon's (what words mean for a sale) plus the English dictionary (what kind of word it is).
"""

from __future__ import annotations

import re

from ..english import is_english, parts_of_speech, verb_base, verb_kinds
from ..lexicon import Lexicon
from ..reading import PUNCT, Reading
from .dates import DATE, DATE_START

WH = frozenset({"who", "what", "when", "where", "why", "which", "how", "whether", "if", "that"})
OBJECT_PRONOUNS = frozenset({"them", "him", "her", "us", "me", "it"})
# Words that open a condition: "commits to a 3-yr term if the demo goes ok", "... unless legal objects"
CONDITIONS = frozenset({"if", "unless", "provided", "assuming"})
_NUMBER = re.compile(r"^[\d$\u00a3\u20ac]")
_NOT_NAMES = frozenset({"ok", "okay", "yes", "no", "asap", "fyi", "re", "vs", "etc", "pls", "via"})


class Words:
    """Token tests over one reading, with the lexicon's word classes and grammar words."""

    def __init__(self, lex: Lexicon, reading: Reading):
        self.lex = lex
        self.r = reading
        self.low = reading.low
        self.orig = reading.orig
        self.n = len(reading.low)
        g = lex.grammar
        self.det, self.prep, self.modals = g["determiners"], g["prepositions"], g["modals"]
        self.be, self.adv, self.breaks = g["be"], g["adverbs"], g["clause_breaks"]

    # -- verbs -------------------------------------------------------------------------------------
    def kinds(self, i: int) -> frozenset[str]:
        """The verb forms the token can be ('base', 'third', 'past', 'ing'); lexicon verbs only."""
        return self.lex.kinds(self.low[i])

    def any_kinds(self, i: int) -> frozenset[str]:
        """Like kinds(), for any English verb: the dictionary's forms when the lexicon does not know the word."""
        known = self.lex.kinds(self.low[i])
        if known:
            return known
        found = verb_kinds(self.low[i])
        return frozenset("past" if k == "participle" else k for k in found)

    def is_verb(self, i: int, cls: str | None = None) -> bool:
        return self.lex.is_verb(self.low[i], cls)

    def base(self, i: int) -> str:
        """The verb's base form ('signed' -> 'sign'), from the lexicon or the dictionary; the word itself otherwise."""
        word = self.low[i]
        return self.lex.base(word) or verb_base(word) or word

    def is_past(self, i: int) -> bool:
        """A past form that is not also a base form: 'approved', 'signed', 'sent' (not 'set', 'put')."""
        kinds = self.any_kinds(i)
        return "past" in kinds and "base" not in kinds

    def can_be_noun(self, i: int) -> bool:
        """The word can be a noun ('pilot', 'quote', 'demo'): the dictionary says so, or the lexicon lists it as a thing."""
        word = self.low[i]
        return "NOUN" in parts_of_speech(word) or word in self.lex.seller_things or word in self.lex.commitment_nouns.phrases

    # -- small word tests --------------------------------------------------------------------------
    def is_adverb(self, word: str) -> bool:
        return word in self.adv or (word.endswith("ly") and len(word) > 4 and not self.lex.is_verb(word)
                                    and not self.lex.is_role(word))

    def is_punct(self, i: int) -> bool:
        return self.low[i] in PUNCT

    def bare(self, i: int) -> str:
        """The lowercase word without a possessive 's."""
        w = self.low[i]
        return w[:-2] if w.endswith("'s") else (w[:-1] if w.endswith("s'") else w)

    def is_name(self, i: int) -> bool:
        """A person's or company's name: a word callkit does not know, capitalised ('Priya') or not ('priya').

        Capitalised: not after 'the' (the Austin plant), not an acronym. Lowercase: only a word the English
        dictionary does not know either, and only where a name can stand (before a verb, 'to', 'and', or a
        possessive, or after 'with', 'from', 'by', 'get', 'have', 'ask').
        """
        word = self.orig[i]
        bare = word[:-2] if word.endswith("'s") else word
        low = self.bare(i)
        if not bare[:1].isalpha() or low in _NOT_NAMES or low in self.lex.titles:
            return False
        if i > 0 and self.low[i - 1] in ("the", "a", "an", "our", "my"):
            return False
        if i > 0 and self.low[i - 1] in self.lex.titles and bare.isalpha():
            return True  # "Mr Tan", "dr. mensah"
        if self.lex.is_known(low) or DATE_START.match(bare) or low in self.lex.shorthand:
            return False
        if bare[:1].isupper():
            if len(bare) > 1 and bare.isupper():
                return False
            if i == 0 and not word.endswith("'s") and self.n > 1:
                nxt = self.low[1]
                if is_english(low):  # "Grace chooses ...", but not "Joint account plan ..."
                    return bool(self.kinds(1) & {"third", "past"}) or nxt in self.modals
                return self.lex.is_verb(nxt) or bool(self.any_kinds(1)) or nxt in self.modals or nxt in ("and", "to") or (
                    self.orig[1][:1].isupper() and not self.lex.is_known(nxt))
            return True
        if not bare.isalpha() or is_english(low):
            return False
        if word.endswith("'s"):
            return True
        nxt = self.low[i + 1] if i + 1 < self.n else ""
        prev = self.low[i - 1] if i > 0 else ""
        after_and = i + 2 < self.n and (self.low[i + 2] in ("her", "his", "their", "the") or self.orig[i + 2][:1].isupper())
        return (bool(nxt) and (self.lex.is_verb(nxt) or bool(self.any_kinds(i + 1)) or nxt in self.modals
                               or nxt in ("to", "'s") or nxt == "and" and after_and)) \
            or prev in ("with", "from", "by", "get", "have", "ask", "and")

    def is_ours(self, a: int, b: int) -> bool:
        """Tokens a..b name someone or something on our side: 'our VP', 'my manager', 'deal desk', 'internal'."""
        words = [w for w in self.low[a:b] if w not in PUNCT]
        if not words:
            return False
        if words[0] in ("their", "his", "her") or words[0].endswith("'s") and words[0] not in ("let's",) \
                and not any(w in ("our", "my") for w in words[1:]):
            return False  # "their deal desk", "Acme's legal": the client's own people, whatever they are called
        text = " ".join(words)
        if any(f" {w} " in f" {text} " for w in self.lex.our_side if " " in w):
            return True
        if any(f" {text} ".startswith(f" {w} ") or f" {text} ".startswith(f" the {w} ")
               for w in self.lex.seller_subjects if " " in w):
            return True  # "the account team", "our SE"
        first = words[0]
        if first in ("our", "my", "ours"):
            return not any(w in self.lex.client_when_ours for w in words[1:3])
        return first in ("internal", "internally") or first in self.lex.seller_subjects

    def is_party(self, i: int) -> bool:
        """A person or group on the client's side: a role, a department, a name, they/them."""
        word = self.low[i]
        if word in ("them", "him", "they", "theirs"):
            return True
        if self.lex.is_role(word) and word not in ("her", "she", "he"):
            return not (word == "it" and self.orig[i] != "IT" and i + 1 < self.n and self.low[i + 1] not in ("team", "director", "lead", "manager", "department", "admin"))
        return self.is_name(i) or word in self.lex.titles

    def is_date_at(self, i: int) -> bool:
        """A date starts at token i: 'Friday', 'the 14th', '12/15', 'next week' (not '6 months of data')."""
        j = i + 1 if i < self.n and self.low[i] == "the" else i
        if j >= self.n or not DATE_START.match(self.low[j]):
            return False
        if self.low[j] in ("this", "next", "end") or self.low[j][:1].isdigit():
            return bool(DATE.match(" ".join(self.low[i:i + 5])))
        return True

    def is_number(self, i: int) -> bool:
        return bool(_NUMBER.match(self.low[i]))

    def text(self, a: int, b: int) -> str:
        """Canonical words a..b, punctuation left out."""
        return " ".join(w for w in self.low[a:b] if w not in PUNCT)

    def said(self, a: int, b: int) -> str:
        """The rep's own words a..b, punctuation left out."""
        return " ".join(w for w in self.orig[a:b] if w not in PUNCT)

    # -- people --------------------------------------------------------------------------------------
    def party_span(self, a: int, b: int) -> tuple[int, int] | None:
        """The client person named in tokens a..b (a role like 'the IT director' or a name), preferring a real role."""
        found: list[tuple[int, int]] = []
        low, lex = self.low, self.lex
        i = a
        while i < b:
            if low[i] in PUNCT or not self.is_party(i):
                i += 1
                continue
            s, e = i, i + 1
            while e < b and lex.is_role(low[e]) and low[e] not in ("them", "they", "him", "her", "he", "she"):
                e += 1  # "the procurement lead", "the IT director"
            while e < b and (self.is_name(e) or low[e] == "of" and e + 1 < b and (
                    self.is_name(e + 1) or self.is_party(e + 1) or self.orig[e + 1][:1].isupper())):
                e += 2 if low[e] == "of" else 1
            if low[s] in lex.titles:
                while e < b and self.is_name(e):
                    e += 1
            while s > a and low[s] not in lex.generic_client_words and low[s - 1] not in self.det \
                    and low[s - 1] not in self.prep and low[s - 1] not in WH \
                    and low[s - 1] not in PUNCT and (not lex.is_verb(low[s - 1]) or lex.kinds(low[s - 1]) == {"ing"}) \
                    and low[s - 1] not in self.breaks and not low[s - 1].isdigit() and low[s - 1] not in ("us", "them"):
                s -= 1
            if s > a and low[s - 1] in self.det:
                s -= 1
            if self.is_ours(s, e):
                i = e  # one of ours: "our security team", "our consultant"
                continue
            found.append((s, e))
            i = e
        if not found:
            return None
        generic = lex.generic_client_words
        for span in found:
            if low[span[1] - 1] not in generic:
                return span
        return found[0]

    def client_possessive(self, i: int) -> bool:
        """'her', 'his', 'their', "Dana's", "the client's": what follows belongs to the client."""
        word = self.low[i]
        if word in ("her", "his", "their"):
            return True
        return word.endswith("'s") and (self.is_name(i) or self.lex.is_role(self.bare(i)))
