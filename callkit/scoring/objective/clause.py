"""One clause of an objective: who acts (the client or us), with which verb, in which voice, and why it counts.

Seed 004: an Advance is an action with energy by the client, during or right after the call, that
moves the sale toward a decision. The reader finds the clause's subject and main verb (active,
imperative, passive with or without "by ...", "get X to ...", a verbless headline such as "Scope
sign-off by Lin") and gives a `Clause`: the actor, the voice, and the reason it is or is not an
advance. The verb classes and word lists are the lexicon's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..english import parts_of_speech
from ..reading import PUNCT
from .words import OBJECT_PRONOUNS, Words

Actor = Literal["client", "seller", "thing"]
Voice = Literal["active", "imperative", "passive", "embedded", "headline"]
Reason = Literal[
    "client_action",   # the client acts with energy: an advance
    "seller_action",   # what we do
    "persuade",        # our effort to make the client act ("persuade Dave to ...")
    "our_side",        # someone on our side acts or approves ("sign-off from our VP")
    "low_energy",      # the client listens, sees, reads on their own
    "feeling",         # a feeling ("is happy with the demo")
    "opinion",         # an opinion ("agrees our price is fair")
    "solo",            # the client reviews alone and gets back to us
    "no_object",       # the client agrees to nothing ("Maria agrees")
    "no_substance",    # the client acts on nothing that matters ("accepts my LinkedIn invite")
    "negated",         # what the client will not do ("Raj won't sign")
    "unknown_action",  # a client verb callkit does not know
]


@dataclass
class Clause:
    """Who acts in one clause, with which verb, and whether that makes an advance."""

    actor: Actor
    voice: Voice
    verb: str | None  # base form ("sign"), or the headline's noun ("sign off")
    verb_at: int  # token index of the verb (-1 when none)
    who: tuple[int, int] | None  # token span of the client person, when there is one
    advance: bool
    reason: Reason
    end: int
    embedded_at: int = -1  # persuade: where the client's own action starts
    start: int = 0


_DELIVERY_NOUNS = frozenset({"access", "intro", "introduction", "introductions", "invitation", "invite", "referral"})
_TRANSFER_PARTICLES = ("over", "across", "back", "out", "through")


class ClauseReader(Words):
    """Reads clauses of one objective."""

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
            self.lex.is_role(self.bare(i)) and self.low[i] not in ("her", "him", "them", "it") for i in words)

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
                    and (low[j + 1] in self.det or low[j + 1] in OBJECT_PRONOUNS) and not self.is_name(j) \
                    and not self.lex.is_role(t):
                return j, "imperative"  # a verb the lexicon does not list, as an instruction: "finish our RFP answers"
            if lex.is_verb(t):
                kinds = self.kinds(j)
                prev = low[j - 1] if j > cs else None
                if prev is not None and (prev in self.det or prev in self.prep or self.is_number(j - 1)
                                         or self.client_possessive(j - 1)):
                    j += 1
                    continue
                if j == cs or all(self.is_adverb(w) for w in low[cs:j]):
                    nxt = low[j + 1] if j + 1 < end else ""
                    subject_first = (self.orig[j][:1].isupper() or lex.is_role(t)) and j + 1 < end and (
                        "third" in self.any_kinds(j + 1) or nxt in self.modals)  # "Sponsor believes ...": a role, then its verb
                    if j + 1 < end and self.is_past(j + 1) and self.can_be_noun(j) and "base" in kinds:
                        j += 1  # "Pilot approved", "Quote sent to procurement": a noun, then its verb
                        continue
                    if "base" in kinds and not subject_first:
                        return j, "imperative"
                    if "past" in kinds and lex.base(t) in lex.passive_client_verbs:
                        return j, "passive"  # a headline: "Signed NDA by Friday"
                    j += 1
                    continue
                if kinds == {"ing"}:
                    j += 1
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
                    and not self.is_name(j) and not self.lex.is_role(t):
                return j, "finite"  # a verb the lexicon does not list, after a person: "Purchasing lays out ..."
            j += 1
        for k in range(cs + 1, end):  # "mr tan taking it to his CFO": an -ing verb after a person, no other verb
            if self.kinds(k) == {"ing"} and self.subject_is_person(cs, k):
                return k, "finite"
        return None

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
            if w in PUNCT or w == "to" or (w in self.prep and w != "of"):
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

    # -- what the client does -----------------------------------------------------------------------
    def embedded(self, j: int, end: int) -> tuple[int, int, int, str] | None:
        """'get/want/persuade <client> to <verb>' or 'have <client> <verb>': (np start, np end, verb index, kind)."""
        k = j + 1
        stop = min(end, k + 8)
        for i in range(k, stop):
            w = self.low[i]
            if w == "to" and i > k and i + 1 < end and self.verb_after_to(i + 1):
                return k, i, i + 1, "to"
            if i > k and (self.lex.is_verb(w) or "base" in self.any_kinds(i) and not self.can_be_noun(i)) \
                    and self.low[i - 1] not in self.det and not self.low[i - 1].endswith("'s"):
                kinds = self.any_kinds(i)
                if "base" in kinds and not self.lex.is_role(w):
                    return k, i, i, "bare"
                if "past" in kinds:
                    return k, i, i, "participle"
            if w in PUNCT or w == "and":
                break  # "we get Jonas's calendar and book ...": two actions, not "get Jonas to book"
        return None

    def verb_after_to(self, i: int) -> bool:
        """After '<client> to': a known verb, or a word that is no noun callkit knows ('persuade procurement to waive ...')."""
        w = self.low[i]
        if "base" in self.any_kinds(i):
            return True
        return w.isalpha() and w not in self.det and not self.lex.is_known(w) and not self.orig[i][:1].isupper()

    def object_start(self, i: int, end: int) -> int:
        """Where the verb's object starts: after particles, 'us', 'to' ('agrees to ...')."""
        k = i + 1
        while k < end and (self.low[k] in ("up", "off", "out", "back", "over", "along", "in", "on", "to", "us", "me", "with")
                           or self.is_adverb(self.low[k])):
            k += 1
        return k

    def has_object(self, i: int, end: int) -> bool:
        """Something the client's verb is about, beyond dates, 'with us' and adverbs."""
        for k in range(i + 1, end):
            w = self.low[k]
            if w in PUNCT or w in ("to", "with", "us", "me", "it", "on", "up", "off", "by", "in", "via", "email", "phone",
                                   "writing", "verbally") or self.is_adverb(w):
                continue
            if self.is_date_at(k) or w in ("before", "until", "this", "next", "today", "tomorrow"):
                return False
            return True
        return False

    def opinion_follows(self, i: int, end: int) -> bool:
        """A sentence after the verb: 'agrees [that] our price is fair', 'thinks the ROI looks solid'."""
        k = i + 1
        if k < end and self.low[k] == "that":
            return True
        seen_noun = False
        for m in range(k, min(end, k + 7)):
            w = self.low[m]
            if w in PUNCT or w in ("to", "on", "with", "for", "by", "in", "about", "and", "then") or self.is_date_at(m):
                return False
            if w in ("who", "what", "when", "which", "how", "whether", "if", "where"):
                return False  # "tells us who decides": information, not an opinion
            plural_noun = "NOUN" in parts_of_speech(w) and (m + 1 >= end or self.low[m + 1] in PUNCT or self.low[m + 1] in self.prep)
            if seen_noun and not plural_noun and (w in self.be or w in self.modals or self.any_kinds(m) & {"third", "past"}
                                                  or "base" in self.any_kinds(m) and self.low[m - 1] in ("they", "we", "i", "you")):
                return True
            seen_noun = True
        return False

    def client_verb(self, i: int, end: int, passive: bool = False) -> tuple[bool, Reason]:
        """Whether the client's verb at i is an advance: energy verbs yes; feelings, listening, opinions no.

        In a passive clause ("The contract is signed by the CFO") the thing acted on is the subject, so
        the verb needs no object after it.
        """
        lex = self.lex
        classes = lex.verb_classes
        base = self.base(i)
        nxt = self.low[i + 1] if i + 1 < end else ""
        if base in classes["intent"] and nxt == "to" and i + 2 < end and "base" in self.any_kinds(i + 2):
            ok, why = self.client_verb(i + 2, end)
            if why == "unknown_action" and self.has_object(i + 2, end):
                return True, "client_action"  # "agrees to waive the tender": a commitment to act, whatever the verb
            return ok, why
        if not passive and base in lex.opinion_verbs and self.opinion_follows(i, end) and base not in ("confirm",):
            return False, "opinion"  # "Dave agrees (that) our price is fair": an opinion
        if not passive and base in ("agree", "disagree", "side") and nxt == "with" \
                and not any(w in ("on", "to") for w in self.low[i + 2:end]):
            return False, "opinion"  # "Tariq agrees with our approach"
        if base == "confirm" and self.opinion_follows(i, end) and any(
                self.base(k) in ("receive", "get", "see", "read", "open", "hear") for k in range(i + 2, min(end, i + 6))
                if self.any_kinds(k)):
            return False, "no_substance"  # "confirm they received the pricing sheet": a receipt, not a step
        if lex.advance_phrases.search(self.text(i, min(end, i + 10))):
            return True, "client_action"  # "says yes", "gives us the go-ahead"
        dated = base == "confirm" and i + 1 < end and self.is_date_at(i + 1)  # "confirm the 12th": the date is the object
        if not passive and base in lex.needs_object and not self.has_object(i, end) and not dated:
            return False, "no_object"
        start = self.object_start(i, end)
        stop = next((k for k in range(start, end) if self.low[k] in PUNCT), end)
        obj = self.text(start, stop)  # what the verb acts on, up to the next comma: "... data, thanks" is not a thank-you
        if lex.no_substance.search(obj):
            return False, "no_substance"
        if base in classes["solo"] and not self.with_someone(i + 1, end):
            return False, "solo"
        if base in classes["feeling"] and base not in classes["advance"]:
            return False, "feeling"
        if base in classes["low_energy"] and base not in classes["advance"]:
            return False, "low_energy"
        if base in classes["advance"]:
            return True, "client_action"
        return False, "unknown_action"

    def client_causative(self, j: int, end: int, default: tuple[bool, Reason]) -> tuple[bool, Reason]:
        """The client gets someone else to act ('Aleksander gets his IT team to start the review') or has it done
        ('Bruno has the data export scheduled'): their own energy, an advance when the action is one."""
        emb = self.embedded(j, end)
        if emb is None:
            return default
        a, b, v, how = emb
        if self.is_ours(a, b):
            return default
        if how in ("to", "bare"):
            return self.client_verb(v, end)
        if how == "participle" and (self.base(v) in self.lex.passive_client_verbs or self.base(v) in self.lex.verb_classes["arrange"]):
            return True, "client_action"
        return default

    def with_someone(self, a: int, b: int) -> bool:
        """'with us' or 'with <a client person>' in tokens a..b: the action is done together."""
        for k in range(a, b - 1):
            if self.low[k] in ("with", "alongside") and (self.low[k + 1] in ("us", "me", "our") or self.party_span(k + 1, min(b, k + 5))):
                return True
        return False

    def has_meeting_with_client(self, a: int, b: int) -> bool:
        """A meeting noun with a client person in the same words ("a meeting with the CFO")."""
        return self.lex.meeting_nouns.search(self.text(a, b)) is not None and self.party_span(a, b) is not None

    def has_commitment(self, a: int, b: int) -> bool:
        return a < b and self.lex.commitment_nouns.search(self.text(a, b)) is not None

    def giver(self, a: int, b: int) -> tuple[int, int] | None:
        """Who gives what is obtained: 'from <X>' or 'by <X>' in tokens a..b."""
        for k in range(a, b - 1):
            if self.low[k] in ("from", "by") and not self.is_date_at(k + 1):
                e = self.noun_phrase_end(k + 1, b)
                if e > k + 1:
                    return k + 1, e
        return None

    def delivered(self, a: int, b: int) -> bool:
        """We hand something over: 'get the signed NDA over to them', 'get the deck to the CFO'."""
        for k in range(a + 1, b - 1):
            if self.low[k] == "to" and (self.low[k + 1] in ("them", "him", "her") or self.party_span(k + 1, min(b, k + 5))):
                prev = self.low[k - 1]
                if prev in _TRANSFER_PARTICLES or (prev not in _DELIVERY_NOUNS and not self.lex.meeting_nouns.search(prev)):
                    return True
        return False

    # -- one clause ----------------------------------------------------------------------------------
    def clause(self, cs: int, end: int) -> Clause | None:
        """Read one clause: passive with an agent first, then subject + verb."""
        found = self._clause(cs, end)
        if found is not None:
            found.start = cs
        return found

    def _clause(self, cs: int, end: int) -> Clause | None:
        lex, low = self.lex, self.low
        found = self.agent(cs, end)
        if found is not None:
            p, a, b = found
            base = self.base(p)
            if self.is_ours(a, b) or any(w in lex.seller_subjects for w in low[a:b]):
                reason: Reason = "our_side" if self.is_ours(a, b) and low[a] not in ("us", "me") else "seller_action"
                return Clause("seller", "passive", base, p, None, False, reason, end)
            if any(self.is_party(i) for i in range(a, b)):  # "by the CFO"; "impressed by the demo" is no agent
                if self.negated(cs, p):
                    return Clause("client", "passive", base, p, (a, b), False, "negated", end)
                ok, why = self.client_verb(p, end, passive=True) if base in lex.verb_classes["advance"] else (True, "client_action")
                if base in lex.verb_classes["low_energy"] or base in lex.verb_classes["feeling"]:
                    ok, why = self.client_verb(p, end, passive=True)
                return Clause("client", "passive", base, p, (a, b), ok, why, end)
        verb = self.find_verb(cs, end)
        if verb is None:
            return None
        j, kind = verb
        base = self.base(j)
        if kind == "copula":
            actor = self.subject_actor(cs, j)
            return Clause(actor, "active", "be", j, self.trim_subject(cs, j) if actor == "client" else None, False, "feeling", end)
        if kind == "passive":
            after = " ".join(low[j + 1:end])
            toward_us = re.search(r"(?<!\S)(?:with|to) us(?!\S)", after) is not None or (j + 1 < end and low[j + 1] == "us")
            if self.is_ours(cs, j):
                return Clause("seller", "passive", base, j, None, False, "our_side", end)
            if base in lex.passive_client_verbs or toward_us:
                if self.negated(cs, j):
                    return Clause("client", "passive", base, j, self.party_span(cs, end), False, "negated", end)
                ok, why = self.client_verb(j, end, passive=True) if base in lex.verb_classes["advance"] else (True, "client_action")
                return Clause("client", "passive", base, j, self.party_span(cs, end), ok, why, end)
            return Clause("seller", "passive", base, j, self.party_span(j + 1, end), False, "seller_action", end)
        actor = "seller" if kind == "imperative" else self.subject_actor(cs, j)
        if actor == "client":
            who = self.trim_subject(cs, j)
            if self.negated(cs, j):
                return Clause("client", "active", base, j, who, False, "negated", end)
            ok, why = self.client_verb(j, end)
            if not ok and (base in lex.verb_classes["causative"] or base in lex.verb_classes["persuade"]):
                ok, why = self.client_causative(j, end, (ok, why))  # "Kristof chases his legal to return the redlines"
            return Clause("client", "active", base, j, who, ok, why, end)
        if actor == "thing":
            return Clause("thing", "active", base, j, self.party_span(j + 1, end), False, "seller_action", end)
        return self.seller_clause(cs, j, base, kind, end)

    def seller_clause(self, cs: int, j: int, base: str, kind: str, end: int) -> Clause:
        """The seller acts: an advance only through the client (get X to ...), a signature together, or a commitment obtained.

        With the seller named as the subject ("we book ...", "the account team schedules ...") only
        those three count: what we arrange or confirm ourselves is still our action. Written as an
        instruction ("Book a reference call with ... for the CIO") arranging a meeting with a client
        person counts, as it did for the coach who wrote it.
        """
        lex, low = self.lex, self.low
        explicit = kind != "imperative"
        voice: Voice = "active" if explicit else "imperative"
        classes = lex.verb_classes
        negated = self.negated(cs, j)
        if explicit and self.subject_ours(cs, j):
            return Clause("seller", voice, base, j, None, False, "our_side", end)
        if base in ("need", "want", "have", "plan", "try", "aim", "intend", "hope", "like", "love", "expect") \
                and j + 2 < end and low[j + 1] == "to" and "base" in self.any_kinds(j + 2):
            return self.seller_clause(cs, j + 2, self.base(j + 2), kind, end)  # "we need to draft ...": we draft
        if base in classes["causative"] or base in classes["persuade"]:
            emb = self.embedded(j, end)
            if emb is not None:
                a, b, v, how = emb
                np_party = any(self.is_party(i) for i in range(a, b))
                if self.is_ours(a, b):
                    return Clause("seller", voice, base, j, None, False, "our_side", end)
                if how == "participle" and not np_party:
                    pbase = self.base(v)
                    if base in classes["causative"] and pbase in lex.passive_client_verbs:
                        ok = not negated
                        return Clause("client", "embedded", pbase, v, self.party_span(v, end), ok,
                                      "client_action" if ok else "negated", end)
                elif np_party and how in ("to", "bare"):
                    if base in classes["causative"]:
                        ok, why = self.client_verb(v, end)
                        if negated:
                            ok, why = False, "negated"
                        return Clause("client", "embedded", self.base(v), v, (a, b), ok, why, end)
                    return Clause("seller", voice, base, j, (a, b), False, "persuade", end, embedded_at=v)
        who = self.party_span(j + 1, end)
        if negated:
            return Clause("seller", voice, base, j, who, False, "seller_action", end)
        giver = self.giver(j + 1, end)
        if giver is not None and self.is_ours(*giver):
            return Clause("seller", voice, base, j, None, False, "our_side", end)
        if self.is_ours(j + 1, min(end, j + 4)) and any(self.low[k].endswith("'s") for k in range(j + 1, min(end, j + 5))):
            return Clause("seller", voice, base, j, None, False, "our_side", end)  # "need our sales VP's ok on ..."
        stop = self.clause_object_end(j, end)
        committed = self.has_commitment(j + 1, stop) or self.has_meeting_with_client(j + 1, stop)
        if explicit:
            if base in ("sign", "countersign"):
                return Clause("seller", voice, base, j, who, True, "client_action", end)
            if base in classes["obtain"] and committed and not self.delivered(j, end):
                return Clause("seller", voice, base, j, who, True, "client_action", end)
            return Clause("seller", voice, base, j, who, False, "seller_action", end)
        if base in classes["mutual"]:
            return Clause("seller", voice, base, j, who, True, "client_action", end)
        if base in classes["arrange"] and committed and (who is not None or base not in ("confirm", "decide", "plan")):
            return Clause("seller", voice, base, j, who, True, "client_action", end)
        if base in classes["obtain"] and committed and not self.delivered(j, end):
            return Clause("seller", voice, base, j, who, True, "client_action", end)
        return Clause("seller", voice, base, j, who, False, "seller_action", end)

    def subject_ours(self, cs: int, j: int) -> bool:
        """The subject is someone on our side other than 'we'/'I': 'deal desk approves', 'our legal sends'."""
        a, b = self.trim_subject(cs, j)
        words = self.text(a, b)
        return bool(words) and words not in ("we", "i", "us") and self.is_ours(a, b) and words.split()[0] not in ("we", "i")

    # -- verbless headlines --------------------------------------------------------------------------
    def headline(self, start: int, end: int) -> Clause | None:
        """A verbless line naming a client commitment: 'Scope sign-off by Lin', "Amir's intro to the board",
        'Yes from legal on the DPA', 'Her data in our hands by Monday', 'PO this week'."""
        low, lex = self.low, self.lex
        k = start
        negated = False
        if k < end and low[k] in ("no", "not"):
            negated, k = True, k + 1
        found = self._commitment_noun(k, end)
        if found is None:
            return self._transfer(start, end)
        at, stop = found
        verb = self.find_verb(stop, self.main_end(stop, end))
        if verb is not None and verb[1] != "passive":
            return None
        before = range(start, at)
        owner = next((i for i in before if self.client_possessive(i)), None)
        giver = self.giver(stop, end)
        who: tuple[int, int] | None = None
        if owner is not None and low[owner] not in ("her", "his", "their"):
            who = (owner, owner + 1)
        elif giver is not None:
            who = giver
        if any(self.is_ours(i, i + 2) for i in before) or (giver is not None and self.is_ours(*giver)) \
                or (stop < end and self.low[stop] in ("our", "us", "ourselves", "my")):
            return Clause("seller", "headline", self.text(at, stop), -1, None, False, "our_side", end)
        if giver is not None and not any(self.is_party(i) for i in range(*giver)):
            who = None
        if stop < end and lex.meeting_nouns.search(low[stop]) and who is None:
            return None  # "Intro call", "Decision date": a kind of meeting, not the commitment
        if negated:
            return Clause("client", "headline", self.text(at, stop), -1, who, False, "negated", end)
        return Clause("client", "headline", self.text(at, stop), -1, who or self.party_span(stop, end), True,
                      "client_action", end)

    def main_end(self, a: int, end: int) -> int:
        """Where a subordinate clause starts ('... before she goes on leave'), else `end`."""
        for k in range(a, end):
            if self.low[k] in ("before", "after", "when", "until", "once", "while", "if", "unless", "so") \
                    and k + 1 < end and not self.is_date_at(k + 1):
                return k
        return end

    def clause_object_end(self, j: int, end: int) -> int:
        """Where the verb at j stops: at the next 'and'/'then' that starts another verb ('get X and book Y')."""
        for k in range(j + 1, end - 2):
            if self.low[k] in ("and", "then", ",") and self.any_kinds(k + 1) & {"base", "third"} \
                    and (self.low[k + 2] in self.det or self.low[k + 2] in OBJECT_PRONOUNS or not self.can_be_noun(k + 1)):
                return k
        return end

    def _commitment_noun(self, k: int, end: int) -> tuple[int, int] | None:
        """(start, end) of a commitment noun within the first words, after modifiers only ('scope', 'written', "Emre's")."""
        heads = self.lex.commitment_headlines
        if heads.regex is None:
            return None
        for i in range(k, min(end, k + 5)):
            m = heads.regex.match(self.text(i, end))
            if m is not None and m.end() > 0:
                stop = i + len(m.group(0).split())
                if stop < end and self.low[stop] in ("form", "chain", "process", "date", "criteria", "steps", "maker", "makers"):
                    return None  # "order form", "approval chain", "decision date": another thing
                return i, stop
            w = self.low[i]
            if w in PUNCT or self.lex.is_verb(w) and w not in ("signed", "written", "verbal", "final") and not self.can_be_noun(i) \
                    or w in self.prep:
                return None
            if i == k and self.lex.is_verb(w) and i + 1 < end and (self.low[i + 1] in self.det or self.low[i + 1] in OBJECT_PRONOUNS):
                return None  # "demo the new dashboard ...": an instruction, not a headline
        return None

    def _transfer(self, start: int, end: int) -> Clause | None:
        """'Her 2023 freight invoices in our inbox by Monday', 'Shrinkage numbers w/ us by Mon, from Aoife',
        'redlines back from their solicitors': the client's thing, in our hands."""
        text = self.text(start, end)
        giver = self.giver(start + 1, end)
        from_client = giver is not None and self.low[giver[0] - 1] == "from" and not self.is_ours(*giver) \
            and any(self.is_party(i) for i in range(*giver))
        verb = self.find_verb(start, end)
        if verb is not None and not (from_client and (verb[1] == "passive" or verb[0] == start and verb[1] == "imperative"
                                                      and self.can_be_noun(start))):
            return None  # a thing from the client ("budget range from Kwame"), not an instruction to budget
        theirs = self.client_possessive(start)
        if not (theirs or self.has_commitment(start, min(end, start + 6)) or self.lex.is_verb(self.low[start], "advance")):
            return None
        if self.lex.transfer_phrases.search(text) is None and not from_client:
            return None
        if self.low[start] in ("our", "my"):
            return None
        who = giver if from_client else ((start, start + 1) if theirs and self.low[start] not in ("her", "his", "their") else None)
        return Clause("client", "headline", "give", -1, who, True, "client_action", end)


