"""Finding a clause's verb and its subject: imperative, finite, passive (with or without "by ..."), copula.

"Pilot approved" is a noun and its verb, "Demo the module" an instruction, "nadia send the data" a name
with a verb missing its -s, "Legal does not return ..." a helper and its verb. `VerbReader` answers
where the verb is, who its subject is, and whether a negation comes before it.
"""

from __future__ import annotations

import re

from ..reading import PUNCT
from .clause import Actor
from .words import OBJECT_PRONOUNS, WH, Words

_PARTICLES = frozenset({"out", "up", "through", "over", "down", "together"})


class VerbReader(Words):
    """Verbs and subjects of the clauses of one objective."""

    # -- finding the verb -------------------------------------------------------------------------
    def skip_adverbs(self, k: int, end: int) -> int:
        while k < end and (self.is_adverb(self.low[k]) or self.low[k] in PUNCT):
            k += 1
        return k

    def subject_is_person(self, cs: int, j: int) -> bool:
        """The words before j are a person: a name, a role, they/she/he (a verb may follow without its -s)."""
        words = [i for i in range(cs, j) if not self.is_punct(i) and not self.is_adverb(self.low[i])]
        if not words:
            return False
        last = words[-1]
        if any(self.low[i] in self.prep and not (self.low[i] in ("of", "at") and i + 1 < j and self.is_name(i + 1)
                                                 or self.low[i] == "of") for i in words):
            return False  # "green light from their CTO on the integration plan": no subject, a headline
        return self.is_name(last) or self.low[last] in ("they", "she", "he", "we", "i") or any(
            self.lex.is_role(self.bare(i)) and (self.low[i] not in ("her", "him", "them", "it") or self.orig[i] == "IT")
            for i in words)  # "IT book a deep dive": the department, not "it"

    def find_verb(self, cs: int, end: int) -> tuple[int, str] | None:
        """(index, kind) of the clause's main verb; kind is imperative, finite, passive or copula."""
        low, lex = self.low, self.lex
        j = cs
        while j < end:
            t = low[j]
            if t in PUNCT:
                j += 1
                continue
            if j > cs and t in ("do", "does", "did"):
                k = self.skip_adverbs(j + 1, end)
                if k < end and "base" in self.any_kinds(k):
                    return k, "finite"  # "Legal does not return ...": the verb after the helper
            if j > cs and t in self.modals:
                k = self.skip_adverbs(j + 1, end)
                if k + 3 < end and low[k] == "do" and low[k + 1] == "the" and self.kinds(k + 2) == {"ing"} and low[k + 3] == "of":
                    return k + 2, "finite"  # "will do the signing of the renewal": the -ing word is the action
                if k < end and low[k] in ("be", "get") and k + 1 < end and "past" in self.any_kinds(k + 1):
                    return k + 1, "passive"
                if k + 1 < end and low[k] == "have" and "past" in self.any_kinds(k + 1):
                    return k + 1, "finite"
                if k < end and (lex.is_verb(low[k]) or "base" in self.any_kinds(k)):
                    return k, "finite"
                return None
            if j > cs and t in self.be:
                k = self.skip_adverbs(j + 1, end)
                if t in ("get", "gets", "got", "gotten") and not (k < end and self.is_past(k)):
                    return j, "finite"
                if k < end and "past" in self.any_kinds(k) and low[k] not in self.be:
                    return k, "passive"
                if k + 2 < end and low[k] == "going" and low[k + 1] == "to" and lex.is_verb(low[k + 2]):
                    return k + 2, "finite"
                return j, "copula"
            if t == "to" and j > cs and j + 1 < end and "base" in self.any_kinds(j + 1) \
                    and not any(lex.is_verb(low[i]) and (i == cs or low[i - 1] not in self.det) for i in range(cs, j)) \
                    and (self.subject_is_person(cs, j) or any(self.is_party(i) for i in range(cs, j))):
                return j + 1, "finite"  # "CFO to sign the order form by Friday"
            if j + 1 < end and low[j + 1] == "of" and (j == cs or low[j - 1] in self.det) and self.can_be_noun(j):
                j += 1  # "export of last year's work orders", "review of the contract": a noun
                continue
            if j == cs and not lex.is_verb(t) and "base" in self.any_kinds(j) and j + 1 < end \
                    and (self.opens_object(j + 1, end) or low[j + 1] in _PARTICLES and self.opens_object(j + 2, end)
                         and low[j + 2] not in ("to",)) and not self.is_name(j) \
                    and not self.lex.is_role(t):
                return j, "imperative"  # a verb the lexicon does not list, as an instruction: "finish our RFP answers",
                # "figure out how they buy": what follows a question word is the question, not who acts
            if lex.is_verb(t):
                kinds = self.kinds(j)
                prev = low[j - 1] if j > cs else None
                if prev is not None and (prev in self.det or prev in self.prep or self.is_number(j - 1)
                                         or self.client_possessive(j - 1)) \
                        and not (kinds == {"ing"} and self.gerund_subject(cs, j)):
                    j += 1
                    continue
                if j == cs or all(self.is_adverb(w) for w in low[cs:j]):
                    nxt = low[j + 1] if j + 1 < end else ""
                    subject_first = (self.orig[j][:1].isupper() or lex.is_role(t)) and j + 1 < end and (
                        "third" in self.any_kinds(j + 1) or nxt in self.modals)  # "Sponsor believes ...": a role, then its verb
                    if j + 1 < end and self.is_past(j + 1) and self.can_be_noun(j) and "base" in kinds:
                        j += 1  # "Pilot approved", "Quote sent to procurement": a noun, then its verb
                        continue
                    if "base" in kinds and self.can_be_noun(j) and self.compound_done(j, end):
                        j += 1  # "order form signed", "pilot SOW sent back": a compound noun, then what the client did to it
                        continue
                    if "base" in kinds and not subject_first:
                        return j, "imperative"
                    if "past" in kinds and lex.base(t) in lex.passive_client_verbs:
                        return j, "passive"  # a headline: "Signed NDA by Friday"
                    j += 1
                    continue
                if kinds == {"ing"}:
                    if self.gerund_subject(cs, j):
                        return j, "finite"  # "Them booking the steering committee slot"
                    j += 1
                    continue
                if kinds == {"base"} and not self.plural_subject(cs, j) and self.can_be_noun(j) and not lex.is_role(t) and j + 1 < end \
                        and self.kinds(j + 1) & {"third"} and not self.kinds(j + 1) & {"base"} and low[cs] != "we":
                    j += 1  # "their legal review starts ...": a compound noun, then its verb
                    continue
                if kinds == {"base"} and not self.plural_subject(cs, j) and not self.subject_is_person(cs, j):
                    j += 1  # "Joint account plan agreed ...": a noun after a singular noun, not the verb
                    continue
                if kinds == {"base"} and not self.plural_subject(cs, j) and self.can_be_noun(j) \
                        and (j + 1 >= end or self.is_date_at(j + 1) or low[j + 1] in PUNCT):
                    j += 1  # "Nordvolt demo", "comp set": a noun at the end, not a verb without its -s
                    continue
                if "past" in kinds and "third" not in kinds and "base" not in kinds:
                    nxt = low[j + 1] if j + 1 < end else ""
                    active = nxt in self.det or nxt in ("us", "them", "him", "her", "me") or self.lex.is_role(nxt) \
                        or self.is_name(j + 1) if j + 1 < end else False
                    return j, ("finite" if active else "passive")
                return j, "finite"
            if j > cs and self.subject_is_person(cs, j) and self.any_kinds(j) & {"third", "past", "base"} \
                    and not self.is_name(j) and not self.lex.is_role(t) and not self.client_possessive(j - 1) \
                    and not (j + 1 < end and self.kinds(j + 1) & {"third", "past"} and not self.kinds(j + 1) & {"base"}):
                return j, "finite"  # a verb the lexicon does not list, after a person: "Purchasing lays out ..."
                # (not when a verb the lexicon knows follows: "Hyun-woo names ...", "Ana-lee signs ...": part of the name)
            j += 1
        for k in range(cs + 1, end):  # "mr tan taking it to his CFO": an -ing verb after a person, no other verb
            if self.kinds(k) == {"ing"} and (self.subject_is_person(cs, k) or self.gerund_subject(cs, k)):
                return k, "finite"
        return None

    def compound_done(self, j: int, end: int) -> bool:
        """Nouns after j (up to two: 'form', 'SOW'), then a participle the client does ('signed') or returns ('sent back')."""
        k = j + 1
        while k < min(end, j + 3) and not self.lex.is_verb(self.low[k]) and self.low[k] not in PUNCT \
                and self.low[k] not in self.det and self.low[k] not in self.prep and self.low[k] not in OBJECT_PRONOUNS \
                and (self.can_be_noun(k) or self.orig[k].isupper()):
            k += 1
        if k == j + 1 or k >= end or not self.is_past(k):
            return False
        return self.base(k) in self.lex.passive_client_verbs or k + 1 < end and self.low[k + 1] == "back"

    def opens_object(self, k: int, end: int) -> bool:
        """Token k can start a verb's object: a determiner, an object pronoun, a question word ('how they buy')."""
        return k < end and (self.low[k] in self.det or self.low[k] in OBJECT_PRONOUNS or self.low[k] in WH)

    def gerund_subject(self, cs: int, k: int) -> bool:
        """'Them signing the paper by fri', 'him booking the room': an object pronoun as the -ing verb's subject."""
        words = [i for i in range(cs, k) if not self.is_punct(i) and not self.is_adverb(self.low[i])]
        if len(words) != 1:
            return False
        if self.low[words[0]] in ("her", "his"):  # "Her scheduling the security review": with an object, not "her onboarding"
            return k + 1 < self.n and (self.low[k + 1] in self.det or self.low[k + 1] in OBJECT_PRONOUNS)
        return self.low[words[0]] in ("them", "him", "they")

    def plural_subject(self, cs: int, j: int) -> bool:
        """Whether the words before j can take a verb without -s: they/we/I/you, a plural, 'X and Y'."""
        words = [w for w in self.low[cs:j] if w not in PUNCT and not self.is_adverb(w)]
        if not words:
            return True
        last = words[-1]
        if "and" in words:  # "Tom and his IT lead", "Priya and her team": a person before the 'and'
            idx = [i for i in range(cs, j) if self.low[i] not in PUNCT and not self.is_adverb(self.low[i])]
            k = words.index("and")
            left = idx[k - 1] if k > 0 else None
            return left is not None and (self.is_party(left) or self.lex.is_role(self.bare(left)))
        return (last in ("they", "we", "i", "you", "us") or words[0] in ("both", "all")
                or (last.endswith("s") and not last.endswith(("ss", "'s", "us", "is")) and last not in self.lex.client_departments))

    # -- who acts ---------------------------------------------------------------------------------
    def subject_actor(self, a: int, b: int) -> Actor:
        words = [w for w in self.low[a:b] if w not in PUNCT and not self.is_adverb(w)]
        if not words:
            return "seller"
        lex = self.lex
        if words[0] in ("our", "my"):
            return "client" if any(w in lex.client_when_ours for w in words[1:]) else "seller"
        if words[0] in ("their", "the") and len(words) > 1 and words[1].endswith("'s") or "from" in words or (
                words[0].endswith("'s") and words[0] not in ("let's",)):
            return "client"  # "the account team from Acme", "the client's team", "Dana's team"
        if words[-1] in ("we", "i"):
            return "seller"  # "for tomorrow we need ...": the pronoun right before the verb is the subject
        if words[0] in lex.seller_subjects or " ".join(words[:2]) in lex.seller_subjects \
                or " ".join(words[1:3]) in lex.seller_subjects and words[0] == "the":
            return "seller"
        head = words[-1]
        if head in lex.seller_things and not any(lex.is_role(w) for w in words):
            return "thing"
        return "client"

    def trim_subject(self, a: int, b: int) -> tuple[int, int]:
        """The subject without modals, adverbs and 'to' around it: 'Maybe the client will' -> 'the client'."""
        skip = self.modals | self.be | self.lex.negations | {"to", "going", "do", "does", "did"}
        while b > a and (self.low[b - 1] in skip or self.low[b - 1] in PUNCT or self.is_adverb(self.low[b - 1])):
            b -= 1
        while a < b and (self.is_adverb(self.low[a]) or self.low[a] in PUNCT or self.is_date_at(a)
                         or self.low[a] in ("by", "before", "on", "until") and a + 1 < b and self.is_date_at(a + 1)):
            a += 1 if not self.is_date_at(a) else len(self._date_words(a, b))
        return a, b

    def _date_words(self, a: int, b: int) -> list[str]:
        """The tokens of the date that starts at a ('next', 'friday'): at least one."""
        m = re.match(r"\S+(?: \S+){0,3}", self.text(a, b))
        span = 1
        if m:
            from .dates import DATE

            d = DATE.match(self.text(a, b))
            span = max(1, len(d.group(0).split())) if d else 1
        return list(self.low[a:a + span])

    def negated(self, a: int, j: int) -> bool:
        """A negation before the verb at j (from a): 'will not sign', 'never returns', 'does not need'."""
        return any(w in self.lex.negations for w in self.low[a:j]) or (
            j + 1 < self.n and self.low[j + 1] in ("not", "never") and self.low[j] in self.be)

    def noun_phrase_end(self, k: int, end: int, limit: int = 7) -> int:
        """End of a short noun phrase starting at k (stops at a verb, a preposition other than 'of', punctuation)."""
        stop = min(end, k + limit)
        i = k
        while i < stop:
            w = self.low[i]
            if w in PUNCT or w == "to" or (w in self.prep and w != "of") or (i > k and w in ("that", "who", "which")):
                break
            if i > k and self.lex.is_verb(w) and self.low[i - 1] not in self.det and not self.low[i - 1].endswith("'s"):
                break
            i += 1
        return i

    def agent(self, cs: int, end: int) -> tuple[int, int, int] | None:
        """Passive with an agent: (participle index, agent start, agent end) for '... signed (off) by the CFO',
        or a headline that starts with its participle: 'Named preferred vendor by the MRO team'."""
        if self.is_past(cs) and self.base(cs) in self.lex.passive_client_verbs | self.lex.verb_classes["advance"]:
            for i in range(cs + 2, end - 1):
                if self.low[i] == "by" and not self.is_date_at(i + 1) and any(self.is_party(k) for k in range(i + 1, min(end, i + 6))):
                    b = self.noun_phrase_end(i + 1, end)
                    if b > i + 1:
                        return cs, i + 1, b
        for i in range(cs + 1, end - 1):
            if self.low[i] != "by":
                continue
            p = i - 1
            if self.low[p] in ("off", "up", "out", "back", "through", "down", "over", "in") and p > cs:
                p -= 1  # "signed off by", "set up by", "written down by"
            if "past" not in self.any_kinds(p):
                continue
            if p - 1 >= cs and self.low[p - 1] in self.det:
                continue
            if self.is_date_at(i + 1):
                continue
            a = i + 1
            b = self.noun_phrase_end(a, end)
            while b > a and self.is_date_at(b - 1):
                b -= 1
            if b > a:
                return p, a, b
        return None
