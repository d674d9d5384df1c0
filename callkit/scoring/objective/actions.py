"""What the client does: whether their verb is an action with energy, an opinion, a courtesy, or nothing.

"Maria agrees" agrees to nothing, "Dave agrees our price is fair" is an opinion, "accepts my LinkedIn
invite" a courtesy, "Aleksander gets his IT team to start the review" the client's own energy. The verb
classes and word lists are the lexicon's.
"""

from __future__ import annotations

from ..english import parts_of_speech
from ..reading import PUNCT
from .clause import Reason
from .verbs import VerbReader
from .words import OBJECT_PRONOUNS

_DELIVERY_NOUNS = frozenset({"access", "intro", "introduction", "introductions", "invitation", "invite", "referral"})
_TRANSFER_PARTICLES = ("over", "across", "back", "out", "through")
_BRINGING = frozenset({"get", "bring", "take", "drag", "pull"})  # the client brings their people to a meeting
_INVITES = frozenset({"invite", "invites", "invitation", "invitations", "request"})


class ActionReader(VerbReader):
    """The client's actions in the clauses of one objective."""

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
            plural_noun = "NOUN" in parts_of_speech(w) and (m + 1 >= end or self.low[m + 1] in PUNCT or self.low[m + 1] in self.prep
                                                            or self.low[m + 1] in ("and", "or", "plus"))  # "agrees payment terms and ..."
            modifier = self.low[m - 1] in self.det and self.is_past(m)  # "agreed the revised terms": an adjective
            if seen_noun and not plural_noun and not modifier and (w in self.be or w in self.modals or self.any_kinds(m) & {"third", "past"}
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
        if base in classes["intent"] and nxt == "to" and i + 2 < end and self.low[i + 2] == "be" and self.takes_a_part(i + 3, end):
            return True, "client_action"  # "agrees to be a reference for us", "volunteers to be the exec sponsor"
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
        stop = min(stop, self.clause_object_end(i, end))  # "forwards me the contact + tells him to expect my call": one verb each
        obj = self.text(start, stop)  # what the verb acts on, up to the next comma: "... data, thanks" is not a thank-you
        if lex.no_substance.search(obj) and not (base == "meet" and any(self.is_date_at(k) for k in range(start, stop))):
            return False, "no_substance"  # but "agrees to meet at the trade show booth Tues 2pm" is a meeting
        if base in ("accept", "open", "acknowledge") and self.bare_invite(start, stop):
            return False, "no_substance"  # "Karin accepts the invite": an invitation to nothing named is a courtesy
        if self.names_nothing(start, stop):
            return False, "no_object"  # "they agree to everything": nothing named to check
        phrasal = f"{base} {nxt}"
        if phrasal in lex.presence_phrasal:
            return False, "low_energy"  # "Luca shows up to the call": being there is no step
        if phrasal in lex.advance_phrasal and self.has_object(i + 1, end):
            return True, "client_action"  # "lines up 3 pilots to test the app", "sets up the sandbox"
        if base in classes["obtain"] and not passive and self.wins_on_their_side(start, stop):
            return True, "client_action"  # "Elif's sponsor gets procurement approval for the spend"
        if base in lex.light_verbs and (self.commitment_head(start, stop) or self.has_meeting_with_client(start, stop)):
            return True, "client_action"  # "they do the trial with real data", "holds 30 min with her ops team"
        if base in _BRINGING and self.brings_to_meeting(start, stop):
            return True, "client_action"  # "Sven gets his planning team into our demo", "gets her CFO to a demo"
        if base in classes["solo"] and not self.with_someone(i + 1, end):
            return False, "solo"
        if base in classes["feeling"] and base not in classes["advance"]:
            return False, "feeling"
        if base in classes["low_energy"] and base not in classes["advance"]:
            return False, "low_energy"
        if base in classes["advance"] or base in lex.advance_if_verb:
            return True, "client_action"
        return False, "unknown_action"

    def clause_object_end(self, j: int, end: int) -> int:
        """Where the verb at j stops: at the next 'and'/'then' that starts another verb ('get X and book Y')."""
        for k in range(j + 1, end - 2):
            if self.low[k] in ("and", "then", ",") and self.any_kinds(k + 1) & {"base", "third"} \
                    and (self.low[k + 2] in self.det or self.low[k + 2] in OBJECT_PRONOUNS or not self.can_be_noun(k + 1)):
                return k
        return end

    def commitment_head(self, a: int, b: int) -> bool:
        """The object starts (after a determiner or 'their') with a commitment noun: 'the decision of the contract', 'a pilot'."""
        if a < b and (self.low[a] in self.det or self.client_possessive(a)):
            a += 1
        regex = self.lex.commitment_nouns.regex
        return a < b and self.low[a] not in ("us", "me", "our", "my") and regex is not None \
            and regex.match(self.text(a, b)) is not None

    def brings_to_meeting(self, a: int, b: int) -> bool:
        """The object is a client person, then 'to' / 'into' a meeting or one of our sessions: 'his COO into a value
        prop session', 'her CFO to a demo'. Not a thing they receive ('a personal demo from our CEO')."""
        for k in range(a + 1, min(b, a + 7)):
            if self.low[k] in ("to", "into", "along") and any(self.is_party(i) for i in range(a, k)):
                if self.is_ours(a, k):
                    return False
                k2 = k + 1 if self.low[k] == "along" and k + 1 < b and self.low[k + 1] == "to" else k
                rest = self.text(k2 + 1, min(b, k2 + 8))
                return self.lex.meeting_nouns.search(rest) is not None and not self.verb_after_to(k2 + 1)
        return False

    def bare_invite(self, a: int, b: int) -> bool:
        """The object is only an invitation ('the invite', 'my calendar invite'), with nothing saying what it is for."""
        words = [w for w in self.low[a:b] if w not in PUNCT and w not in self.det]
        return bool(words) and words[-1] in _INVITES and all(w in _INVITES or w in ("calendar", "meeting", "teams", "zoom")
                                                             for w in words)

    def names_nothing(self, a: int, b: int) -> bool:
        """The object is 'everything', 'anything', 'all of it' with nothing after it that names a thing ('everything lol')."""
        words = [w for w in self.low[a:b] if w not in PUNCT]
        if not words:
            return False
        many = self.lex.nothing_in_particular
        n = next((k for k in (3, 2, 1) if " ".join(words[:k]) in many), 0)
        if not n:
            return False
        rest = words[n:]
        return not rest or rest[0] not in self.prep and rest[0] not in ("we", "you", "they", "that")

    def wins_on_their_side(self, a: int, b: int) -> bool:
        """The client's object is an approval they win on their side ('procurement approval for the spend', 'budget for
        phase 2'), in its first words and not given by us ('sign-off from our VP')."""
        if a >= b or self.low[a] in ("us", "me", "our", "my"):
            return False
        head = self.text(a, min(b, a + 4))
        if self.lex.client_obtains.search(head) is None:
            return False
        giver = self.giver(a, b)
        return giver is None or not self.is_ours(*giver)

    def takes_a_part(self, a: int, end: int) -> bool:
        """After 'agrees to be': a part in the sale ('a reference', 'our pilot site', 'the exec sponsor')."""
        if a >= end or self.low[a] not in self.det:
            return False
        stop = self.noun_phrase_end(a + 1, end, limit=4)
        people = [k for k in range(a + 1, stop) if self.lex.is_role(self.low[k]) and self.low[k] not in OBJECT_PRONOUNS]
        return self.has_commitment(a + 1, stop) or bool(people)

    def client_causative(self, j: int, end: int, default: tuple[bool, Reason]) -> tuple[bool, Reason]:
        """The client gets someone else to act ('Aleksander gets his IT team to start the review') or has it done
        ('Bruno has the data export scheduled'): their own energy, an advance when the action is one."""
        emb = self.embedded(j, end)
        if emb is None:
            return default
        a, b, v, how = emb
        if self.is_ours(a, b):
            return default
        # "his two dispatchers", "her": someone of theirs, not "a personal demo"
        someone = any(self.is_party(i) or self.low[i] in ("her", "him", "them") or self.client_possessive(i) for i in range(a, b))
        if how in ("to", "bare") and someone:
            return self.client_verb(v, end)
        if how == "bare":  # "gets a personal demo from our CEO": "demo" is what they receive, not someone's action
            done = next((k for k in range(v + 1, min(end, v + 3)) if self.is_past(k)), None)
            if done is None:
                return default
            how, v = "participle", done  # "has the fleet data export scheduled": the export, then what they had done to it
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
        """A commitment noun in tokens a..b, not one that only names a thing to learn ('their decision process')."""
        if a >= b:
            return False
        text = self.text(a, b)
        after = self.lex.not_commitment_before
        for m in self.lex.commitment_nouns.finditer(text):
            nxt = text[m.end():].split()[:1]
            if not (nxt and nxt[0] in after):
                return True
        return False

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
            if self.low[k] == "to" and "base" in self.any_kinds(k + 1) and not self.is_party(k + 1) \
                    and self.low[k + 1] not in self.det:
                continue  # "a verbal commitment to buy from Elena": what they commit to, not where it goes
            if self.low[k] == "to" and (self.low[k + 1] in ("them", "him", "her") or self.party_span(k + 1, min(b, k + 5))):
                prev = self.low[k - 1]
                if prev in _TRANSFER_PARTICLES or (prev not in _DELIVERY_NOUNS and not self.lex.meeting_nouns.search(prev)):
                    return True
        return False
