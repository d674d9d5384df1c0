"""Reading one clause of an objective: the client acting, the seller acting, or a verbless headline.

`ClauseReader.clause` gives a `Clause` (who acts, in which voice, and why it is or is not an advance) for
"The contract is signed by the CFO", "We book a review with Lena's planners", "Get Tom to confirm the
budget", and `headline` for "Scope sign-off by Lin", "Yes from legal on the DPA", "Her data in our hands".
"""

from __future__ import annotations

import re

from ..reading import PUNCT
from .actions import ActionReader
from .clause import Clause, Reason, Voice
from .words import CONDITIONS, OBJECT_PRONOUNS


_SENDING = frozenset({"send", "forward", "share", "hand", "return", "submit", "upload", "email"})


_TRIALS = frozenset({"trial", "pilot", "poc", "evaluation"})
_DIARY = frozenset({"diary", "calendar", "diaries", "calendars"})


class ClauseReader(ActionReader):
    """Reads clauses of one objective."""

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
        cond = next((k for k in range(cs + 1, j) if low[k] in CONDITIONS), None)
        if cond is not None and kind != "imperative":
            # "concede on payment terms if they sign 3 yrs": their verb is the condition; what comes first is ours to do
            return Clause("seller", "imperative", low[cs], cs, None, False, "seller_action", end)
        if kind == "copula":
            actor = self.subject_actor(cs, j)
            return Clause(actor, "active", "be", j, self.trim_subject(cs, j) if actor == "client" else None, False, "feeling", end)
        if kind == "passive":
            after = " ".join(low[j + 1:end])
            toward_us = re.search(r"(?<!\S)(?:with|to) (?:us|me)(?!\S)", after) is not None or (j + 1 < end and low[j + 1] == "us")
            if self.is_ours(cs, j):
                return Clause("seller", "passive", base, j, None, False, "our_side", end)
            # "pilot SOW sent back countersigned": what comes back was the client's to send
            returned = j + 1 < end and low[j + 1] == "back" and not self.delivered(j, end)
            # "Procurement's terms sent over": their own thing, sent, is theirs to send
            owned = base in _SENDING and self.client_possessive(cs) and low[j - 1] not in lex.seller_things
            if base in lex.passive_client_verbs or toward_us or returned or owned:
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
        instruction it is the same: "Book a reference call for the CIO", "confirm budget w/ Raj",
        "Close the deal" are what the rep does; only agreeing or signing with the client
        ("Agree on pilot success criteria with the operations team") needs the client to act.
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
                np_party = self.party_span(a, b) is not None  # not "get sign-off from our CFO on pilot pricing"
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
        if base in classes["obtain"] and self.whole_deal(j + 1, stop):
            return Clause("seller", voice, base, j, who, False, "seller_action", end)  # "Win the business": our aim
        committed = self.has_commitment(j + 1, stop) or self.has_meeting_with_client(j + 1, stop)
        if base in classes["obtain"] and self.back_from_client(j + 1, stop):
            return Clause("seller", voice, base, j, who, True, "client_action", end)  # "get the redlines back from their legal"
        if explicit:
            if base == "sign":  # "we sign the order form together"; "we countersign" is our signature after theirs
                return Clause("seller", voice, base, j, who, True, "client_action", end)
            if base in classes["obtain"] and committed and not self.delivered(j, end):
                return Clause("seller", voice, base, j, who, True, "client_action", end)
            return Clause("seller", voice, base, j, who, False, "seller_action", end)
        if base in classes["mutual"] and not (base not in ("sign", "countersign", "agree") and self.our_thing_object(j, stop)):
            return Clause("seller", voice, base, j, who, True, "client_action", end)  # not "finalize proposal": our own draft
        if base in classes["obtain"] and committed and not self.delivered(j, end):
            return Clause("seller", voice, base, j, who, True, "client_action", end)
        if base in classes["obtain"] and self.named_possession(j + 1, stop) and not self.delivered(j, end):
            return Clause("seller", voice, base, j, (j + 1, j + 2), True, "client_action", end)  # "Get Birgit's URS by Friday"
        return Clause("seller", voice, base, j, who, False, "seller_action", end)

    def whole_deal(self, a: int, b: int) -> bool:
        """The object is the whole sale ('the business', 'this deal', 'the Marlow tender'), nothing the client hands over."""
        k = a
        if k < b and self.low[k] in ("the", "a", "an", "this", "that", "our", "their"):
            k += 1
        if k + 1 < b and self.low[k][:1].isalpha() and self.low[k + 1] in self.lex.whole_deal and self.is_name(k):
            k += 1  # "win the Marlow tender"
        if k >= b or self.low[k] not in self.lex.whole_deal:
            return False
        nxt = k + 1
        return nxt >= b or self.is_punct(nxt) or self.low[nxt] in self.prep or self.is_date_at(nxt) \
            or self.low[nxt] in ("this", "next", "today", "tomorrow")

    def named_possession(self, a: int, b: int) -> bool:
        """The object is a named client person's own thing ("Birgit's URS", "Tomasz's shift rota"): theirs to hand over."""
        if a + 1 >= b or not self.low[a].endswith("'s") or not self.is_name(a) or self.is_ours(a, a + 1):
            return False
        nxt = self.low[a + 1]
        return not (self.is_punct(a + 1) or nxt in self.prep or nxt in self.det or nxt in OBJECT_PRONOUNS)

    def our_thing_object(self, j: int, b: int) -> bool:
        """The verb's object is one of our things ('proposal', 'our deck', 'the quote'), not the client's."""
        k = j + 1
        if k < b and self.low[k] in ("the", "a", "an", "our", "my"):
            k += 1
        words: list[str] = []
        for i in range(k, self.noun_phrase_end(k, b, limit=3)):
            if self.low[i] in ("and", "or", "plus", "then"):
                break  # "finalize quote + send"
            if not self.is_punct(i):
                words.append(self.low[i])
        return bool(words) and words[-1] in self.lex.seller_things

    def back_from_client(self, a: int, b: int) -> bool:
        """'... back from their legal', '... back from Ines': the client sends it back to us."""
        for k in range(a + 1, b - 1):
            if self.low[k] == "from" and self.low[k - 1] == "back":
                giver = self.giver(k, b)
                return giver is not None and not self.is_ours(*giver) and (
                    any(self.is_party(i) for i in range(*giver)) or self.client_possessive(giver[0]))
        return False

    def subject_ours(self, cs: int, j: int) -> bool:
        """The subject is someone on our side other than 'we'/'I': 'deal desk approves', 'our legal sends'."""
        a, b = self.trim_subject(cs, j)
        words = self.text(a, b)
        # "you" is the rep the line is written for ("make sure you get their IT lead to sign the NDA"), like "we"
        return bool(words) and words not in ("we", "i", "us", "you") and self.is_ours(a, b) \
            and words.split()[0] not in ("we", "i", "you")

    # -- verbless headlines --------------------------------------------------------------------------
    def headline(self, start: int, end: int) -> Clause | None:
        """A verbless line naming a client commitment: 'Scope sign-off by Lin', "Amir's intro to the board",
        'Yes from legal on the DPA', 'Her data in our hands by Monday', 'PO this week'."""
        low, lex = self.low, self.lex
        k = start
        negated = False
        if k < end and low[k] in ("no", "not"):
            negated, k = True, k + 1
        found = self._commitment_noun(k, end) or self._done_thing(k, end)
        if found is None:
            return self._transfer(start, end) or (None if negated else self._presence(start, end) or self._finished(start, end))
        at, stop = found
        before_verb = self.find_verb(start, at) if at > start + 1 else None
        if before_verb is not None and before_verb[1] == "finite" and self.subject_is_person(*self.trim_subject(start, before_verb[0])):
            return None  # "vikram give us sandbox access": a person and their verb, a sentence, not a headline
        main = self.main_end(stop, end)
        main = next((k for k in range(stop, main) if self.low[k] == "that"), main)  # "Verbal from Omar that they'll go with us"
        verb = self.find_verb(stop, main)
        if verb is not None and verb[1] != "passive" and self.low[verb[0] - 1] != "to":
            return None  # "verbal yes from Hiroshi to go with us": what they say yes to is no sentence of its own
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
        if stop < end and (lex.meeting_nouns.search(low[stop]) or low[stop] in lex.seller_things) and who is None:
            return None  # "Intro call", "Decision date", "intro slides": a kind of meeting or one of our things
        if negated:
            return Clause("client", "headline", self.text(at, stop), -1, who, False, "negated", end)
        return Clause("client", "headline", self.text(at, stop), -1, who or self.party_span(stop, end), True,
                      "client_action", end)

    def _finished(self, start: int, end: int) -> Clause | None:
        """'Security review passed', 'their legal review complete by friday', 'pen test done on their side': a check
        the client runs on us, reported finished. Their part is done: an advance. Not our own ('our review done')."""
        low, lex = self.low, self.lex
        for k in range(start + 1, min(end, start + 6)):
            if low[k] in lex.done_words:
                if low[k - 1] not in lex.client_checks or self.is_ours(start, k) \
                        or any(low[i] in ("our", "my", "we", "us", "i") or low[i] in lex.seller_things for i in range(start, k)):
                    return None
                return Clause("client", "headline", self.text(start, k + 1), -1, self.party_span(start, k), True,
                              "client_action", end)
            if self.is_punct(k) or low[k] in self.prep or low[k] in self.be:
                return None
        return None

    def comes_back(self, a: int, end: int) -> bool:
        """'... back to us', '... back by fri', '... back' at the end: a thing of theirs returned to us."""
        for k in range(a + 1, end):
            if self.low[k] != "back" or self.low[k - 1] in self.be:
                continue  # "until legal is back": back from leave
            rest = self.low[k + 1:end]
            return not rest or rest[:2] in (("to", "us"), ("to", "me")) or self.is_date_at(k + 1) \
                or rest[0] in ("by", "before") and k + 2 < end and self.is_date_at(k + 2)
        return False

    def main_end(self, a: int, end: int) -> int:
        """Where a subordinate clause starts ('... before she goes on leave'), else `end`."""
        for k in range(a, end):
            if self.low[k] in ("before", "after", "when", "until", "once", "while", "if", "unless", "so") \
                    and k + 1 < end and not self.is_date_at(k + 1):
                return k
        return end

    def _commitment_noun(self, k: int, end: int) -> tuple[int, int] | None:
        """(start, end) of a commitment noun within the first words, after modifiers only ('scope', 'written', "Emre's")."""
        heads = self.lex.commitment_headlines
        if heads.regex is None:
            return None
        first = k + 1 if k < end and self.low[k] in ("the", "a", "an") else k  # "the plant manager's POC plan sign-off"
        for i in range(k, min(end, first + 5)):
            m = heads.regex.match(self.text(i, end))
            if m is not None and m.end() > 0 and i > k and self.kinds(i) & {"third"} and self.subject_is_person(k, i):
                return None  # "Bo okays everything": a person and their verb, not "okay" as a noun
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

    def _done_thing(self, k: int, end: int) -> tuple[int, int] | None:
        """'a signed MSA', 'countersigned order form from Ilya', 'an approved budget': a thing the client has signed,
        approved or completed (a participle of `passive_client_verbs` before its noun) is their commitment."""
        if k < end and self.low[k] in ("a", "an", "the", "their", "her", "his") or k < end and self.client_possessive(k):
            k += 1
        if k + 1 >= end or not self.is_past(k) or self.base(k) not in self.lex.passive_client_verbs:
            return None
        nxt = self.low[k + 1]
        if nxt in PUNCT or nxt in self.det or nxt in self.prep or nxt in OBJECT_PRONOUNS or nxt in ("and", "or") \
                or not (self.can_be_noun(k + 1) or self.is_name(k + 1) or self.orig[k + 1].isupper()):
            return None
        stop = self.noun_phrase_end(k + 1, end, limit=3)
        return (k, stop) if stop > k + 1 else None

    def _transfer(self, start: int, end: int) -> Clause | None:
        """'Her 2023 freight invoices in our inbox by Monday', 'Shrinkage numbers w/ us by Mon, from Aoife',
        'redlines back from their solicitors': the client's thing, in our hands."""
        text = self.text(start, end)
        giver = self.giver(start + 1, end)
        from_client = giver is not None and self.low[giver[0] - 1] == "from" and not self.is_ours(*giver) \
            and (any(self.is_party(i) for i in range(*giver)) or self.client_possessive(giver[0]))  # "from their DPO"
        # "security questionnaire back from the CISO": what comes back from a client person is theirs to send
        back_at = giver[0] - 2 if giver is not None and from_client and giver[0] >= start + 3 else -1
        back = back_at >= 0 and self.low[back_at] == "back"
        verb = self.find_verb(start, end)
        if back and verb is not None and (not self.is_verb(verb[0]) or verb[0] >= back_at):
            verb = None  # "questionnaire" read as a verb, or "completed" after the giver: no verb of the sentence
        # "their lawyers' comments on the MSA back by fri": what comes back to us is theirs to send
        if self.comes_back(start, self.main_end(start, end)) and not self.is_ours(start, min(end, start + 3)) and (
                verb is None or verb[1] == "passive" or self.can_be_noun(verb[0]) and not self.negated(start, verb[0])
                and self.low[verb[0] - 1] not in self.modals):
            return Clause("client", "headline", "give", -1, giver if from_client else None, True, "client_action", end)
        if verb is not None and not (from_client and (verb[1] == "passive" or verb[0] == start and verb[1] == "imperative"
                                                      and self.can_be_noun(start))):
            return None  # a thing from the client ("budget range from Kwame"), not an instruction to budget
        theirs = self.client_possessive(start)
        # "Hassan's org chart for the purchasing team": a named person's document, a thing they hand over
        named = theirs and self.low[start] not in ("her", "his", "their") and verb is None \
            and self.has_commitment(start + 1, min(end, start + 4))
        if not (theirs or back or self.has_commitment(start, min(end, start + 6)) or self.lex.is_verb(self.low[start], "advance")):
            return None
        if self.lex.transfer_phrases.search(text) is None and not from_client and not named:
            return None
        if self.low[start] in ("our", "my"):
            return None
        who = giver if from_client else ((start, start + 1) if theirs and self.low[start] not in ("her", "his", "their") else None)
        return Clause("client", "headline", "give", -1, who, True, "client_action", end)

    def _presence(self, start: int, end: int) -> Clause | None:
        """A named client person placed in a meeting or trial: "kofi's ops manager on the next call", "Yusuf's team
        on a 30-day trial", "mtg w/ Helga's team in the diary". Their time, given: an advance."""
        low = self.low
        if start < end and low[start] in ("a", "an", "the", "another", "next"):
            start += 1
        if start < end and self._meeting_word(start) and start + 1 < end and low[start + 1] == "with":
            who = self.party_span(start + 2, end)
            at = who[1] if who is not None else -1
            if who is None or self.is_ours(*who) or low[who[1] - 1] in self.lex.generic_client_words:
                return None
            if at + 2 < end and low[at] == "in" and low[at + 1] in ("the", "their", "her", "his") \
                    and low[at + 2] in _DIARY:
                return Clause("client", "headline", self.text(start, at), -1, who, True, "client_action", end)
            return None
        p = next((i for i in range(start, min(end, start + 5)) if low[i] in ("on", "in", "at", "for")), None)
        if p is None or p == start:
            return None
        people = range(start, p)
        head = people[-1]  # "Anil's QA team": a named owner, any modifiers, a role or a name at the end
        if not (self.is_party(start) or self.client_possessive(start)) or not (self.is_party(head) or self.lex.is_role(low[head])) \
                or any(low[i] in self.prep or low[i] in self.det or not low[i].isalpha() and i != start for i in people[1:]) \
                or self.is_ours(start, p) or all(low[i] in self.lex.generic_client_words for i in people):
            return None
        noun = next((i for i in range(p + 1, min(end, p + 6)) if self._meeting_word(i)), None)
        if noun is None or any(low[i] in self.prep or low[i] in PUNCT for i in range(p + 1, noun)):
            return None
        return Clause("client", "headline", self.text(p, noun + 1), -1, (start, p), True, "client_action", end)

    def _meeting_word(self, i: int) -> bool:
        return self.low[i] in _TRIALS or self.lex.meeting_nouns.search(self.low[i]) is not None

