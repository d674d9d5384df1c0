"""Call objectives (seed 004): is it specific, realistic for where the deal is, and an Advance?

The rules read the objective like a coach does: who acts (the client or us), with which verb, how
vague it is, and which stage of the sales process it belongs to. Word lists, verb classes and stage
cues live in callkit/data/lexicon.yaml; this module holds the reading and the coaching messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..models import Finding, sort_findings
from ..process import SalesProcess
from .lexicon import Lexicon, Reading, default_lexicon, read_text

MAX_WORDS = 40  # longer than this, nobody checks it at the end of the call
MAX_CHARS = 300
_READ_TOKENS = 80  # only the start of a very long text is read
_QUOTE_CHARS = 90

_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri"
_MONTH = (r"january|february|march|april|may|june|july|august|september|october|november|december"
          r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
_ORD = r"\d{1,2}(?:st|nd|rd|th)"
_DATE = re.compile(
    r"(?<!\S)(?:"
    rf"(?:next |this |coming )?(?:{_WEEKDAY})(?:'s)?"
    rf"|(?:{_MONTH}) \d{{1,2}}(?:st|nd|rd|th)?(?: \d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTH})"
    rf"|the {_ORD}(?: of (?:{_MONTH}))?"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    r"|\d{4} \d{2} \d{2}"
    r"|(?:the )?end of (?:the |this |next )?(?:day|week|month|quarter|year|q[1-4])"
    r"|(?:next|this|coming) (?:week|month|quarter)"
    r"|today|tomorrow|tonight|this (?:morning|afternoon|evening)"
    r"|eod|eow|eom|cob"
    r"|\d{1,2} ?(?:am|pm)"
    r"|noon"
    r"|(?:in|within) (?:\d+|one|two|three|four|a) (?:days?|weeks?|hours?)"
    r"|(?:during|in|on|at the end of) (?:the|this) (?:call|meeting|visit|session|workshop)"
    r")(?!\S)",
    re.IGNORECASE,
)
_DATE_START = re.compile(rf"^(?:(?:{_WEEKDAY}|{_MONTH}|next|this|end|tomorrow|today|tonight|eod|eow|eom|noon)(?:'s)?$|\d)", re.IGNORECASE)
_NOT_A_DEADLINE = {"starting", "from", "since", "after", "start", "starts"}
_CLAUSE_PUNCT = {",", ";", ":"}
_WH = {"who", "what", "when", "where", "why", "which", "how", "whether", "if", "that"}
_NUMBER = re.compile(r"^[\d$\u00a3\u20ac]")


@dataclass(frozen=True)
class ObjectiveAssessment:
    """What a coach says about one call objective: the three checks, the findings and a better version."""

    text: str
    stage: str | None
    is_specific: bool
    is_advance: bool
    is_realistic: bool | None
    implied_stage: str | None
    findings: list[Finding] = field(default_factory=list)
    suggestion: str | None = None
    score: float = 0.0

    @property
    def passed(self) -> bool:
        """True when every check that applies passed."""
        return self.is_advance and self.is_specific and self.is_realistic is not False

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: the checks, the findings as dicts, the suggestion."""
        return {
            "text": self.text,
            "stage": self.stage,
            "is_advance": self.is_advance,
            "is_specific": self.is_specific,
            "is_realistic": self.is_realistic,
            "implied_stage": self.implied_stage,
            "score": round(self.score, 3),
            "findings": [f.model_dump() for f in self.findings],
            "suggestion": self.suggestion,
        }


# -- reading the sentence ---------------------------------------------------------------------------


@dataclass
class _Clause:
    """Who acts in one clause, with which verb, and whether that makes an advance."""

    actor: str  # "client", "seller", "thing"
    voice: str  # "active", "imperative", "passive", "embedded"
    verb: str | None  # base form
    verb_at: int  # token index of the verb (-1 when none)
    who: tuple[int, int] | None  # token span of the client person, when there is one
    advance: bool
    reason: str  # client_action | seller_action | persuade | low_energy | unknown_action | no_verb
    end: int
    embedded_at: int = -1  # persuade: where the client's own action starts


@dataclass
class _Parse:
    """The objective proper (token range), its canonical words and the clause that decides who acts."""

    start: int
    end: int
    core: str
    clause: _Clause | None


class _Reader:
    """Reads one objective with a lexicon: subject, verb, voice, object, client party."""

    def __init__(self, lex: Lexicon, reading: Reading):
        self.lex = lex
        self.r = reading
        self.low = reading.low
        self.orig = reading.orig
        g = lex.grammar
        self.det, self.prep, self.modals = g["determiners"], g["prepositions"], g["modals"]
        self.be, self.adv, self.breaks = g["be"], g["adverbs"], g["clause_breaks"]

    # -- small word tests ------------------------------------------------------------------------
    def kinds(self, i: int) -> frozenset[str]:
        return self.lex.kinds(self.low[i])

    def is_adverb(self, word: str) -> bool:
        return word in self.adv or (word.endswith("ly") and len(word) > 4 and not self.lex.is_verb(word)
                                    and not self.lex.is_role(word))

    def is_name(self, i: int) -> bool:
        """A capitalised word callkit does not know, not after 'the' (the Austin plant), not an acronym.

        The first word of the text is a name only when a verb (or 'and', 'to') follows: "Priya agrees".
        """
        word = self.orig[i]
        bare = word[:-2] if word.endswith("'s") else word
        if not bare[:1].isupper() or (len(bare) > 1 and bare.isupper()):
            return False
        if i > 0 and self.low[i - 1] in ("the", "a", "an"):
            return False
        if self.lex.is_known(self.low[i]) or _DATE_START.match(bare):
            return False
        if i == 0 and not word.endswith("'s"):
            nxt = self.low[1] if len(self.low) > 1 else ""
            return self.lex.is_verb(nxt) or nxt in self.modals or nxt in ("and", "to") or (
                len(self.orig) > 1 and self.orig[1][:1].isupper() and not self.lex.is_known(nxt))
        return True

    def is_party(self, i: int) -> bool:
        word = self.low[i]
        if word in ("them", "him", "they"):
            return True
        if self.lex.is_role(word) and word not in ("her", "she", "he"):
            return not (word == "it" and i + 1 < len(self.low) and self.low[i + 1] not in ("team", "director", "lead", "manager", "department"))
        return self.is_name(i) or self.low[i] in self.lex.titles

    def is_date_at(self, i: int) -> bool:
        j = i + 1 if i < len(self.low) and self.low[i] == "the" else i
        return j < len(self.low) and bool(_DATE_START.match(self.low[j])) and (
            self.low[j] not in ("this", "next", "end") or bool(_DATE.match(" ".join(self.low[i:i + 5]))))

    # -- the parts of the text ------------------------------------------------------------------
    def bounds(self) -> tuple[int, int]:
        """Where the objective proper starts (framing and leading time phrases dropped) and ends (purpose clause cut)."""
        low, n = self.low, len(self.low)
        start = 0
        words = [i for i, t in enumerate(low) if t not in _CLAUSE_PUNCT]
        m = self.lex.framing.match(self.r.canon)
        if m and m.end() > 0:
            consumed = len(m.group(0).split())
            start = words[consumed] if consumed < len(words) else n
        while start < n and low[start] in _CLAUSE_PUNCT:
            start += 1
        if start < n and low[start] == "to" and start + 1 < n and self.lex.is_verb(low[start + 1]):
            start += 1
        if start < n and (low[start] in self.prep or low[start] in ("today", "tomorrow", "this", "next")):
            for k in range(start + 1, min(n, start + 8)):
                if low[k] == ",":
                    start = k + 1
                    break
        end = n
        for k in range(start + 2, n):
            if low[k] in ("so", "because", "since", "which") or (low[k] == "in" and low[k + 1:k + 3] == ("order", "to")):
                end = k if low[k - 1] not in _CLAUSE_PUNCT else k - 1
                break
            if low[k] == "to" and low[k - 1] == "," and k + 1 < n and self.lex.is_verb(low[k + 1]):
                end = k - 1
                break
        return start, max(start, end)

    def clause_starts(self, start: int, end: int) -> list[int]:
        starts = [start]
        for k in range(start, end - 1):
            if self.low[k] in self.breaks:
                starts.append(k + 1)
        return starts

    # -- finding the verb -----------------------------------------------------------------------
    def skip_adverbs(self, k: int, end: int) -> int:
        while k < end and (self.is_adverb(self.low[k]) or self.low[k] in _CLAUSE_PUNCT):
            k += 1
        return k

    def find_verb(self, cs: int, end: int) -> tuple[int, str] | None:
        """(index, kind) of the clause's main verb; kind is imperative, finite, passive or copula."""
        low, lex = self.low, self.lex
        j = cs
        while j < end:
            t = low[j]
            if t in _CLAUSE_PUNCT:
                j += 1
                continue
            if j > cs and t in self.modals:
                k = self.skip_adverbs(j + 1, end)
                if k < end and low[k] in ("be", "get") and k + 1 < end and "past" in self.kinds(k + 1):
                    return k + 1, "passive"
                if k + 1 < end and low[k] == "have" and "past" in self.kinds(k + 1):
                    return k + 1, "finite"
                if k < end and lex.is_verb(low[k]):
                    return k, "finite"
                return None
            if j > cs and t in self.be:
                k = self.skip_adverbs(j + 1, end)
                if t in ("get", "gets", "got", "gotten") and not (k < end and "past" in self.kinds(k) and "base" not in self.kinds(k)):
                    return j, "finite"
                if k < end and "past" in self.kinds(k) and low[k] not in self.be:
                    return k, "passive"
                if k + 2 < end and low[k] == "going" and low[k + 1] == "to" and lex.is_verb(low[k + 2]):
                    return k + 2, "finite"
                return j, "copula"
            if t == "to" and j > cs and j + 1 < end and "base" in self.kinds(j + 1) \
                    and not any(lex.is_verb(low[i]) and (i == cs or low[i - 1] not in self.det) for i in range(cs, j)):
                return j + 1, "finite"
            if lex.is_verb(t):
                kinds = self.kinds(j)
                prev = low[j - 1] if j > cs else None
                if prev is not None and (prev in self.det or prev in self.prep or _NUMBER.match(prev)):
                    j += 1
                    continue
                if j == cs or all(self.is_adverb(w) for w in low[cs:j]):
                    nxt = low[j + 1] if j + 1 < end else ""
                    subject_first = self.orig[j][:1].isupper() and (("third" in lex.kinds(nxt)) or nxt in self.modals)
                    if "base" in kinds and not subject_first:
                        return j, "imperative"
                    if "past" in kinds and lex.base(t) in lex.passive_client_verbs:
                        return j, "passive"  # a headline: "Signed NDA by Friday"
                    j += 1
                    continue
                if kinds == {"ing"}:
                    j += 1
                    continue
                if kinds == {"base"} and not self.plural_subject(cs, j):
                    j += 1  # "Joint account plan agreed ...": a noun after a singular noun, not the verb
                    continue
                if "past" in kinds and "third" not in kinds and "base" not in kinds:
                    nxt = low[j + 1] if j + 1 < end else ""
                    active = nxt in self.det or nxt in ("us", "them", "him", "her", "me") or self.lex.is_role(nxt)
                    return j, ("finite" if active else "passive")
                return j, "finite"
            j += 1
        return None

    def plural_subject(self, cs: int, j: int) -> bool:
        """Whether the words before j can take a verb without -s: they/we/I/you, a plural, 'X and Y'."""
        words = [w for w in self.low[cs:j] if w not in _CLAUSE_PUNCT and not self.is_adverb(w)]
        if not words:
            return True
        last = words[-1]
        return (last in ("they", "we", "i", "you", "us") or "and" in words or words[0] in ("both", "all")
                or (last.endswith("s") and not last.endswith(("ss", "'s", "us", "is")) and last not in self.lex.client_departments))

    # -- who acts -------------------------------------------------------------------------------
    def subject_actor(self, a: int, b: int) -> str:
        words = [w for w in self.low[a:b] if w not in _CLAUSE_PUNCT and not self.is_adverb(w)]
        if not words:
            return "seller"
        lex = self.lex
        if words[0] in ("our", "my"):
            return "client" if any(w in lex.client_when_ours for w in words[1:]) else "seller"
        if words[0] in lex.seller_subjects or (len(words) > 1 and " ".join(words[:2]) in lex.seller_subjects):
            return "seller"
        head = words[-1]
        if head in lex.seller_things and not any(lex.is_role(w) for w in words):
            return "thing"
        return "client"

    def trim_subject(self, a: int, b: int) -> tuple[int, int]:
        """The subject without modals, adverbs and 'to' around it: 'Maybe the client will' -> 'the client'."""
        skip = self.modals | self.be | {"to", "not", "going"}
        while b > a and (self.low[b - 1] in skip or self.low[b - 1] in _CLAUSE_PUNCT or self.is_adverb(self.low[b - 1])):
            b -= 1
        while a < b and (self.is_adverb(self.low[a]) or self.low[a] in _CLAUSE_PUNCT):
            a += 1
        return a, b

    def noun_phrase_end(self, k: int, end: int, limit: int = 7) -> int:
        """End of a short noun phrase starting at k (stops at a verb, a preposition other than 'of', punctuation)."""
        stop = min(end, k + limit)
        i = k
        while i < stop:
            w = self.low[i]
            if w in _CLAUSE_PUNCT or w == "to" or (w in self.prep and w != "of"):
                break
            if i > k and self.lex.is_verb(w) and self.low[i - 1] not in self.det:
                break
            i += 1
        return i

    def agent(self, cs: int, end: int) -> tuple[int, int, int] | None:
        """Passive with an agent: (participle index, agent start, agent end) for '... signed by the CFO'."""
        for i in range(cs + 1, end - 1):
            if self.low[i] != "by" or "past" not in self.kinds(i - 1):
                continue
            if i - 2 >= cs and self.low[i - 2] in self.det:
                continue
            if self.is_date_at(i + 1):
                continue
            a = i + 1
            b = self.noun_phrase_end(a, end)
            while b > a and self.is_date_at(b - 1):
                b -= 1
            if b > a:
                return i - 1, a, b
        return None

    def party_span(self, a: int, b: int) -> tuple[int, int] | None:
        """The client person named in tokens a..b (a role like 'the IT director' or a name), preferring a real role."""
        found: list[tuple[int, int]] = []
        i = a
        while i < b:
            if self.low[i] in _CLAUSE_PUNCT or not self.is_party(i):
                i += 1
                continue
            s, e = i, i + 1
            while e < b and self.lex.is_role(self.low[e]) and self.low[e] not in ("them", "they", "him", "her", "he", "she"):
                e += 1  # "the procurement lead", "the IT director"
            while e < b and (self.is_name(e) or self.low[e] == "of" and e + 1 < b and (self.is_name(e + 1) or self.is_party(e + 1) or self.orig[e + 1][:1].isupper())):
                e += 2 if self.low[e] == "of" else 1
            if self.low[s] in self.lex.titles:
                while e < b and self.is_name(e):
                    e += 1
            while s > a and self.low[s] not in self.lex.generic_client_words and self.low[s - 1] not in self.det \
                    and self.low[s - 1] not in self.prep and self.low[s - 1] not in _WH \
                    and self.low[s - 1] not in _CLAUSE_PUNCT and (not self.lex.is_verb(self.low[s - 1]) or self.lex.kinds(self.low[s - 1]) == {"ing"}) \
                    and self.low[s - 1] not in self.breaks and not self.low[s - 1].isdigit() and self.low[s - 1] not in ("us", "them"):
                s -= 1
            if s > a and self.low[s - 1] in self.det:
                s -= 1
            if self.low[s] in ("our", "my") and self.low[e - 1] not in self.lex.client_when_ours:
                i = e  # one of ours: "our security team", "our consultant"
                continue
            found.append((s, e))
            i = e
        if not found:
            return None
        generic = self.lex.generic_client_words
        for span in found:
            if self.low[span[1] - 1] not in generic:
                return span
        return found[0]

    # -- one clause -----------------------------------------------------------------------------
    def embedded(self, j: int, end: int) -> tuple[int, int, int, str] | None:
        """'get/want/persuade <client> to <verb>' or 'have <client> <verb>': (np start, np end, verb index, kind)."""
        k = j + 1
        stop = min(end, k + 8)
        for i in range(k, stop):
            w = self.low[i]
            if w == "to" and i > k and i + 1 < end and self.verb_after_to(i + 1):
                return k, i, i + 1, "to"
            if i > k and self.lex.is_verb(w) and self.low[i - 1] not in self.det:
                kinds = self.kinds(i)
                if "base" in kinds and not self.lex.is_role(w):
                    return k, i, i, "bare"
                if "past" in kinds:
                    return k, i, i, "participle"
            if w in _CLAUSE_PUNCT:
                break
        return None

    def verb_after_to(self, i: int) -> bool:
        """After '<client> to': a known verb, or a word that is no noun callkit knows ('persuade procurement to waive ...')."""
        w = self.low[i]
        if "base" in self.kinds(i):
            return True
        return w.isalpha() and w not in self.det and not self.lex.is_known(w) and not self.orig[i][:1].isupper()

    def client_verb(self, i: int, end: int) -> tuple[bool, str]:
        """Whether the client's verb at i is an advance: energy verbs yes; feelings, listening, thinking no."""
        lex = self.lex
        classes = lex.verb_classes
        base = lex.base(self.low[i]) or self.low[i]
        nxt = self.low[i + 1] if i + 1 < end else ""
        if base in classes["intent"] and nxt == "to" and i + 2 < end and lex.is_verb(self.low[i + 2]):
            return self.client_verb(i + 2, end)
        if base in classes["intent"] and nxt == "that":
            return False, "feeling"  # "Dave agrees that the upgrade is worth it": an opinion
        if lex.advance_phrases.search(" ".join(w for w in self.low[i:min(end, i + 6)] if w not in _CLAUSE_PUNCT)):
            return True, "client_action"  # "says yes", "gives us the go-ahead"
        if base in classes["solo"] and not self.with_someone(i + 1, end):
            return False, "solo"
        if base in classes["feeling"] and base not in classes["advance"]:
            return False, "feeling"
        if base in classes["low_energy"] and base not in classes["advance"]:
            return False, "low_energy"
        if base in classes["advance"]:
            return True, "client_action"
        return False, "unknown_action"

    def with_someone(self, a: int, b: int) -> bool:
        """'with us' or 'with <a client person>' in tokens a..b: the action is done together."""
        for k in range(a, b - 1):
            if self.low[k] in ("with", "alongside") and (self.low[k + 1] in ("us", "me", "our") or self.party_span(k + 1, min(b, k + 5))):
                return True
        return False

    def has_meeting_with_client(self, a: int, b: int) -> bool:
        """A meeting noun with a client person in the same words ("a meeting with the CFO")."""
        text = " ".join(w for w in self.low[a:b] if w not in _CLAUSE_PUNCT)
        return self.lex.meeting_nouns.search(text) is not None and self.party_span(a, b) is not None

    def has_commitment(self, a: int, b: int) -> bool:
        return a < b and self.lex.commitment_nouns.search(" ".join(w for w in self.low[a:b] if w not in _CLAUSE_PUNCT)) is not None

    def clause(self, cs: int, end: int) -> _Clause | None:
        """Read one clause: passive with an agent first, then subject + verb."""
        lex, low = self.lex, self.low
        found = self.agent(cs, end)
        if found is not None:
            p, a, b = found
            seller = any(w in lex.seller_subjects for w in low[a:b])
            base = lex.base(low[p])
            if seller:
                return _Clause("seller", "passive", base, p, None, False, "seller_action", end)
            if any(self.is_party(i) for i in range(a, b)):  # "by the CFO"; "impressed by the demo" is no agent
                ok, reason = self.client_verb(p, end)
                return _Clause("client", "passive", base, p, (a, b), ok, reason, end)
        verb = self.find_verb(cs, end)
        if verb is None:
            return None
        j, kind = verb
        base = lex.base(low[j]) or low[j]
        if kind == "copula":
            actor = self.subject_actor(cs, j)
            return _Clause(actor, "active", "be", j, self.trim_subject(cs, j) if actor == "client" else None, False, "feeling", end)
        if kind == "passive":
            after = " ".join(low[j + 1:end])
            toward_us = re.search(r"(?<!\S)(?:with|to) us(?!\S)", after) is not None or (j + 1 < end and low[j + 1] == "us")
            if base in lex.passive_client_verbs or toward_us:
                ok, reason = self.client_verb(j, end) if base in lex.verb_classes["advance"] else (True, "client_action")
                return _Clause("client", "passive", base, j, self.party_span(cs, end), ok, reason, end)
            return _Clause("seller", "passive", base, j, self.party_span(j + 1, end), False, "seller_action", end)
        actor = "seller" if kind == "imperative" else self.subject_actor(cs, j)
        if actor == "client":
            ok, reason = self.client_verb(j, end)
            return _Clause("client", "active", base, j, self.trim_subject(cs, j), ok, reason, end)
        if actor == "thing":
            return _Clause("thing", "active", base, j, self.party_span(j + 1, end), False, "seller_action", end)
        return self.seller_clause(j, base, kind, end)

    def seller_clause(self, j: int, base: str, kind: str, end: int) -> _Clause:
        """The seller acts: an advance only through the client (get X to ...), a mutual act, or a commitment obtained."""
        lex, low = self.lex, self.low
        voice = "imperative" if kind == "imperative" else "active"
        classes = lex.verb_classes
        if base in classes["causative"] or base in classes["persuade"]:
            emb = self.embedded(j, end)
            if emb is not None:
                a, b, v, how = emb
                np_party = any(self.is_party(i) for i in range(a, b))
                if how == "participle" and not np_party:
                    pbase = lex.base(low[v]) or ""
                    if base in classes["causative"] and pbase in lex.passive_client_verbs:
                        return _Clause("client", "embedded", pbase, v, self.party_span(v, end), True, "client_action", end)
                elif np_party and how in ("to", "bare"):
                    if base in classes["causative"]:
                        ok, reason = self.client_verb(v, end)
                        return _Clause("client", "embedded", lex.base(low[v]), v, (a, b), ok, reason, end)
                    return _Clause("seller", voice, base, j, (a, b), False, "persuade", end, embedded_at=v)
        who = self.party_span(j + 1, end)
        if base in classes["mutual"]:
            return _Clause("seller", voice, base, j, who, True, "client_action", end)
        committed = self.has_commitment(j + 1, end) or self.has_meeting_with_client(j + 1, end)
        if base in classes["arrange"] and committed and (who is not None or base not in ("confirm", "decide", "plan")):
            return _Clause("seller", voice, base, j, who, True, "client_action", end)
        if base in classes["obtain"] and committed:
            return _Clause("seller", voice, base, j, who, True, "client_action", end)
        return _Clause("seller", voice, base, j, who, False, "seller_action", end)

    def headline(self, start: int, end: int) -> _Clause | None:
        """A verbless headline naming a client commitment: 'Approval of the budget by the VP Finance'."""
        k = start
        while k < end and (self.low[k] in self.det or self.is_adverb(self.low[k]) or self.low[k] in ("warm", "formal", "written", "final", "firm", "clear")):
            k += 1
        m = self.lex.commitment_headlines.regex.match(" ".join(self.low[k:end])) if self.lex.commitment_headlines.regex else None
        if m is None or m.end() == 0:
            return None
        if self.find_verb(k, end) is not None and self.find_verb(k, end)[1] != "passive":
            return None
        who = self.party_span(k + 1, end)
        if who is None:
            return None
        return _Clause("client", "passive", self.low[k], -1, who, True, "client_action", end)

    def parse(self) -> _Parse:
        """Bounds, then the first clause in which the client acts (else the main clause)."""
        start, end = self.bounds()
        core = " ".join(w for w in self.low[start:end] if w not in _CLAUSE_PUNCT)
        main: _Clause | None = None
        headline = self.headline(start, end)
        if headline is not None:
            return _Parse(start, end, core, headline)
        for cs in self.clause_starts(start, end):
            clause = self.clause(cs, end)
            if clause is None:
                continue
            if clause.advance:
                return _Parse(start, end, core, clause)
            if main is None:
                main = clause
        return _Parse(start, end, core, main)

    # -- pieces for the suggestion --------------------------------------------------------------
    def object_words(self, j: int, end: int, skip: tuple[int, int] | None) -> tuple[str | None, int, list[str]]:
        """The rep's object after the verb at j ('the ABC module'), in their own case, with the particle before it.

        Returns (particle, where the object starts, words); words is [] when there is nothing worth reusing.
        """
        low = self.low
        k = j + 1
        particle = None
        for _ in range(2):
            if skip is not None and k <= skip[0] <= k + 1 and skip[1] > k:
                k = skip[1]
            while k < end and low[k] in ("them", "him", "her", "us", "me"):
                k += 1
            if k < end and low[k] in ("up", "through", "about", "on", "over", "of", "for", "with", "in", "out", "to", "into"):
                particle = particle or low[k]
                k += 1
        words = self.phrase_from(k, end, skip)
        if not words:
            return particle, k, []
        first = words[0].lower()
        if first in self.lex.unusable_objects or words[-1].lower() in self.lex.unusable_objects:
            return particle, k, []
        return particle, k, words

    def phrase_from(self, k: int, end: int, skip: tuple[int, int] | None, clause: bool = False) -> list[str]:
        """Words from k to the end of the object: stops at a preposition (other than 'of', or 'with' someone
        else), a date, a new verb; 'and' continues a list of nouns ('pricing and terms')."""
        low = self.low
        for wrapper in () if clause else self.lex.object_wrappers:
            if tuple(low[k:k + len(wrapper)]) == wrapper:
                k += len(wrapper)
                break
        words: list[str] = []
        i = k
        while i < end:
            w = low[i]
            if w in _CLAUSE_PUNCT or self.is_date_at(i) and i > k and low[i - 1] in ("by", "before", "on", "until", "this", "next"):
                break
            if self.is_date_at(i) or (w in ("by", "before", "until") and i + 1 < end and self.is_date_at(i + 1)):
                break
            if not clause:
                if w == "and" and i + 1 < end and (self.lex.is_verb(low[i + 1]) and low[i + 1] not in self.lex.commitment_nouns.phrases
                                                    or low[i + 1] in ("then", "we", "i", "they")):
                    break
                if w in self.breaks and w != "and":
                    break
                if w == "with" and (skip is None or i + 1 < skip[0] or i + 1 >= skip[1]) and i + 1 < end and low[i + 1] not in ("us", "me"):
                    pass
                elif w in self.prep and w != "of":
                    break
                if w in self.be or (self.lex.is_verb(w) and ("third" in self.kinds(i) or "past" in self.kinds(i))
                                    and i > k and low[i - 1] not in self.det):
                    break
            words.append(self.orig[i])
            i += 1
        while words and words[-1].lower() in ("of", "and", "the", "with", "to", "by"):
            words.pop()
        return words

    def own_action(self, v: int, end: int) -> str | None:
        """The client's own verb phrase from index v, base form, without its date: 'agree to a trial' -> 'a trial'."""
        words = self.phrase_from(v + 1, end, None, clause=True)
        base = self.lex.base(self.low[v]) or self.low[v]
        if base in self.lex.verb_classes["intent"] and words and words[0].lower() == "to":
            words = words[1:]
            if words and self.lex.is_verb(words[0].lower()):
                words[0] = self.lex.base(words[0].lower()) or words[0]
            return " ".join(words) or None
        return " ".join([base, *words])


# -- the public function ----------------------------------------------------------------------------


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= _QUOTE_CHARS:
        return text
    return text[:_QUOTE_CHARS].rsplit(" ", 1)[0] + "..."


def _finding(code: str, severity: str, message: str, tip: str | None = None) -> Finding:
    return Finding(code=code, severity=severity, message=message, tip=tip)


_ADVANCE_TIP = ("An advance is an action with energy by the client, during or right after the call, that moves "
                "the sale toward a decision: write what the client will do.")
_SPECIFIC_TIP = ("Make it specific and measurable: who on the client's side does what, by when - so that at the "
                 "end of the call it is a simple yes or no.")
_FORM_TIP = 'Write it as "<client person or role> agrees to <action> by <when>", e.g. "Priya introduces us to her CFO by Friday".'


def _not_english(reading: Reading, lex: Lexicon) -> bool:
    alpha = [t for t in reading.low if t.isalpha()]
    if not alpha:
        return False
    foreign = sum(not t.isascii() for t in alpha)
    if foreign * 2 > len(alpha):
        return True
    known = sum(lex.is_known(t) for t in alpha)
    return len(alpha) >= 3 and known * 4 < len(alpha)


def _date_phrase(reading: Reading) -> str | None:
    """A deadline from the text, ready to reuse: 'by next Wednesday', 'before Thursday's meeting'."""
    text = " ".join(t for t in reading.orig if t not in _CLAUSE_PUNCT)
    for m in _DATE.finditer(text):
        before = text[: m.start()].split()
        prev = before[-1].lower() if before else ""
        if prev in _NOT_A_DEADLINE or (prev == "on" and len(before) > 1 and before[-2].lower() in _NOT_A_DEADLINE):
            continue
        core = m.group(0)
        low = core.lower()
        if low.startswith(("in ", "within ", "during ", "on the", "on this", "at the end")):
            return core
        if prev in ("by", "before", "until"):
            rest = text[m.end():].split()
            tail = " " + rest[0] if rest and low.endswith("'s") else ""
            return f"{prev} {core}{tail}"
        if re.match(r"(?:next|this|coming) (?:week|month|quarter)$", low):
            return f"by the end of {core}"
        return f"by {core}"
    return None


def _has_date(reading: Reading) -> bool:
    return _DATE.search(reading.canon) is not None


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _who_text(reader: _Reader, span: tuple[int, int] | None) -> str | None:
    """The client person as the rep wrote them, ready to start a sentence."""
    if span is None:
        return None
    a, b = span
    words = [w for w in reader.orig[a:b] if w not in _CLAUSE_PUNCT]
    if words and words[-1].lower().endswith("'s"):
        words[-1] = words[-1][:-2]
    lows = [w.lower() for w in words]
    lex = reader.lex
    if not words or lows[0] in ("our", "my") or (lex.is_verb(lows[0]) and not lex.is_role(lows[0]) and not reader.is_name(a)):
        return None
    if len(words) == 1 and lows[0] in lex.generic_client_words and lows[0] not in ("customer", "client", "prospect"):
        return "The customer"
    if lows[0] in ("a", "an"):
        words[0] = "the"
    if len(words) == 1 and lows[0] in lex.client_roles:
        return "The " + (words[0] if words[0].isupper() else words[0].lower())
    return _capitalise(" ".join(words))


def _activity_action(activity: str, lex: Lexicon) -> str:
    """A process activity turned into something the client agrees to ('Get their data' -> 'share their data')."""
    text = activity.strip().rstrip(".")
    low = text.lower()
    for prefix, new in lex.activity_rewrites:
        if low == prefix or low.startswith(prefix + " "):
            return (new + text[len(prefix):]).strip()
    return text[:1].lower() + text[1:]


def _stage_actions(stage: str | None, process: SalesProcess, unrealistic: bool, who: str | None, lex: Lexicon) -> list[str]:
    """The stage's next activities as client actions (for an unrealistic objective: the next stage's)."""
    if stage is None:
        return [lex.fallback_action]
    if unrealistic:
        nxt = process.next_stages(stage)
        activities = list(nxt[0].activities) if nxt else list(process.stage(stage).activities)
    else:
        activities = process.activities_after(stage)
    who_words = set((who or "").lower().split()) - {"the", "a", "an", "their", "her", "his"}
    actions = [_activity_action(a, lex) for a in activities if not (who_words and who_words <= set(a.lower().split()))]
    return actions + [lex.fallback_action]


def _plural(who: str) -> bool:
    last = who.split()[-1].lower() if who.split() else ""
    return " and " in who or (last.endswith("s") and not last.endswith(("ss", "'s", "us", "is")) and last not in ("sales", "operations", "ops", "hr"))


def _seller_action(reader: _Reader, clause: _Clause, end: int, lex: Lexicon) -> str | None:
    """The client's side of what the seller planned to do, in the rep's own words (counterparts in the lexicon)."""
    particle, start, words = reader.object_words(clause.verb_at, end, clause.who)
    verb = clause.verb or ""
    if verb in lex.question_verbs and start < end and reader.low[start] in _WH - {"that"}:
        question = reader.phrase_from(start, end, clause.who, clause=True)
        return lex.question_action.replace("{object}", " ".join(question)) if len(question) > 1 else None
    if not words:
        return None
    key = f"{verb} {particle}" if particle and f"{verb} {particle}" in lex.counterparts else verb
    template = lex.counterparts.get(key)
    return template.replace("{object}", " ".join(words)) if template else None


def _suggest(reader: _Reader, parse: _Parse, stage: str | None, process: SalesProcess,
             unrealistic: bool, continuation: bool, lex: Lexicon) -> str:
    """A better objective from the rep's own words: '<who> agrees to <action> by <when>'.

    Candidates come first from the text (the client's own action, the client's side of a seller
    action), then from the stage's next activities; the first that passes the checks wins.
    """
    clause = parse.clause
    who = None
    own: str | None = None
    if clause is not None:
        who = _who_text(reader, clause.who)
        if not unrealistic and not continuation:
            if clause.actor == "client" and clause.reason in ("client_action", "solo") and clause.verb_at >= 0:
                own = reader.own_action(clause.verb_at, parse.end)
                if own and clause.reason == "solo":
                    own += " with us"
            elif clause.reason == "persuade" and clause.embedded_at >= 0:
                own = reader.own_action(clause.embedded_at, parse.end)
            elif clause.actor in ("seller", "thing") and clause.verb_at >= 0:
                own = _seller_action(reader, clause, parse.end, lex)
    if who is None:
        who = _who_text(reader, reader.party_span(parse.start, parse.end))
    if who is None:
        who = _capitalise(lex.default_person.get(stage or "*", lex.default_person["*"]))
    when = (None if continuation else _date_phrase(reader.r)) or lex.default_when
    return _first_passing(who, ([own] if own else []) + _stage_actions(stage, process, unrealistic, who, lex),
                          when, stage, process, lex)


def _sentence(who: str, action: str, when: str) -> str:
    return f"{who} {'agree' if _plural(who) else 'agrees'} to {action} {when}."


def _first_passing(who: str, actions: list[str], when: str, stage: str | None, process: SalesProcess, lex: Lexicon) -> str:
    """The first candidate sentence that is an advance, specific and realistic; else the first one."""
    sentences = [_sentence(who, action, when) for action in actions]
    for sentence in sentences:
        if _assess(sentence, stage, process, lex, suggest=False).passed:
            return sentence
    return sentences[0]


def _blank_suggestion(stage: str | None, process: SalesProcess, lex: Lexicon) -> str | None:
    """For an empty objective: the stage's next activity as a client commitment (None without a stage)."""
    if stage is None:
        return None
    who = _capitalise(lex.default_person.get(stage, lex.default_person["*"]))
    return _first_passing(who, _stage_actions(stage, process, False, who, lex), lex.default_when, stage, process, lex)


def assess_objective(text: str, stage: str | None = None, process: SalesProcess | None = None, *,
                     lexicon: Lexicon | None = None) -> ObjectiveAssessment:
    """Score a call objective as a coach would: advance, specific, realistic (with a stage), findings, a better version.

    An unknown `stage` raises UnknownStageError naming the valid stage ids; any text, even empty or
    not English, returns an assessment with findings. `lexicon` replaces the shipped word lists
    (see `lexicon_from_yaml`).
    """
    process = process or SalesProcess.default()
    if stage is not None:
        process.index(stage)
    raw = text if isinstance(text, str) else ("" if text is None else str(text))
    return _assess(raw, stage, process, lexicon or default_lexicon(), suggest=True)


def _assess(raw: str, stage: str | None, process: SalesProcess, lex: Lexicon, suggest: bool) -> ObjectiveAssessment:
    """The checks, findings and (when `suggest`) a better objective for one text."""
    stage_index = process.index(stage) if stage is not None else None
    reading = read_text(raw, max_tokens=_READ_TOKENS)
    q = _quote(raw)
    findings: list[Finding] = []

    def result(advance: bool, specific: bool, implied: str | None, suggestion: str | None) -> ObjectiveAssessment:
        realistic = None
        if stage is not None:
            realistic = True
            if implied is not None:
                realistic = _realistic(process, stage, implied)
        checks = [advance, specific] + ([bool(realistic)] if realistic is not None else [])
        return ObjectiveAssessment(
            text=raw, stage=stage, is_specific=specific, is_advance=advance, is_realistic=realistic,
            implied_stage=implied, findings=sort_findings(findings), suggestion=suggestion,
            score=sum(checks) / len(checks),
        )

    if not reading.low or not any(ch.isalnum() for ch in raw):
        if raw.strip():
            findings.append(_finding("objective.empty", "problem",
                                     f'There are only symbols in "{q}", no objective: write what the client will do by the end of the call.',
                                     _FORM_TIP))
        else:
            findings.append(_finding("objective.empty", "problem",
                                     "There is no objective yet: write what the client will do by the end of the call.", _FORM_TIP))
        return result(False, False, None, _blank_suggestion(stage, process, lex) if suggest else None)
    if _not_english(reading, lex):
        findings.append(_finding("objective.not_english", "problem",
                                 f'callkit reads objectives in English and cannot read "{q}".', _FORM_TIP))
        return result(False, False, None, None)

    reader = _Reader(lex, reading)
    parse = reader.parse()
    core = parse.core
    clause = parse.clause
    words = len(raw.split())
    if reading.has_symbols:
        findings.append(_finding("objective.symbols", "tip", "callkit ignored the emoji and symbols in the objective."))

    continuation = lex.cues["continuation"].search(core)
    hedge = lex.cues["hedge"].search(core)
    vague = _vague_cue(core, clause, lex)
    too_long = words > MAX_WORDS or len(raw.strip()) > MAX_CHARS
    advance = bool(clause and clause.advance) and not (continuation or hedge or vague)
    has_action = clause is not None or (lex.commitment_nouns.search(core) is not None
                                        and reader.party_span(parse.start, parse.end) is not None)
    feeling = clause is not None and clause.reason == "feeling"
    solo = clause is not None and clause.reason == "solo" and not (continuation or hedge or vague)
    specific = has_action and not (continuation or hedge or vague or too_long or feeling or solo)

    if solo:
        word = reader.orig[clause.verb_at]
        findings.append(_finding(
            "objective.continuation", "problem",
            f'"{q}" is a continuation: the client "{word}" on their own and gets back to you, with nothing you can check at the end of the call.',
            "Make it something they do with you or with their decision maker, with a date: "
            "\"... reviews the proposal with us on Tuesday\"."))
    elif continuation:
        findings.append(_finding(
            "objective.continuation", "problem",
            f'"{q}" is a continuation ("{continuation.group(0)}"): the call can end pleasantly with no commitment from the client.',
            "Plan an advance instead: an action with energy by the client, during or right after the call, that moves the sale toward a decision."))
    elif hedge:
        findings.append(_finding(
            "objective.hope", "problem",
            f'"{q}" hopes for an outcome ("{hedge.group(0)}") instead of planning one: hope is not a strategy.',
            "Name the action you want from the client and when it happens, so you can tell after the call whether you got it."))
    else:
        if vague:
            findings.append(_finding(
                "objective.vague", "problem",
                f'"{q}" is too general ("{vague.group(0)}"): at the end of the call you will not know whether it happened.',
                _SPECIFIC_TIP))
        elif not has_action:
            findings.append(_finding(
                "objective.vague", "problem",
                f'"{q}" does not say what should happen, so nobody can tell after the call whether it did.', _SPECIFIC_TIP))
        if not advance:
            findings.append(_advance_finding(reader, clause, q, bool(vague)))
        if feeling and not vague:
            findings.append(_finding(
                "objective.vague", "problem",
                f'"{q}" is a feeling, not something you can check at the end of the call.', _SPECIFIC_TIP))
    if too_long:
        findings.append(_finding(
            "objective.too_long", "problem",
            f"At {words if words > MAX_WORDS else len(raw.strip())} {'words' if words > MAX_WORDS else 'characters'} "
            "the objective is too long to check at the end of the call.",
            "Keep one client action in one sentence: who on their side does what, by when."))

    implied, cue = _implied_stage(core, process, lex)
    unrealistic = False
    if stage is not None and implied is not None and not _realistic(process, stage, implied):
        unrealistic = True
        findings.append(_realism_finding(process, stage, implied, cue, q, stage_index or 0))
    if advance and specific and not unrealistic and not _has_date(reading):
        findings.append(_finding("objective.no_date", "tip", f'"{q}" does not say by when.',
                                 f'Add a date, e.g. "{_quote(raw.rstrip(". "))} {lex.default_when}": then it is a plain yes or no after the call.'))
    failed = not (advance and specific) or unrealistic
    suggestion = _suggest(reader, parse, stage, process, unrealistic, bool(continuation), lex) if failed and suggest else None
    return result(advance, specific, implied, suggestion)


def _vague_cue(core: str, clause: _Clause | None, lex: Lexicon) -> re.Match | None:
    """The first vague cue; one used as a noun ("a follow-up call") does not count when the client acts."""
    for m in lex.cues["vague"].finditer(core):
        before = core[: m.start()].rsplit(" ", 2)
        if clause is not None and clause.advance and len(before) > 1 and before[-2] in ("a", "an", "the", "another"):
            continue
        return m
    return None


def _advance_finding(reader: _Reader, clause: _Clause | None, q: str, vague: bool) -> Finding:
    """Why the objective is not an advance, in the rep's words."""
    if clause is None:
        return _finding("objective.not_advance", "problem",
                        f'callkit cannot find what the client will do in "{q}".', _FORM_TIP)
    if clause.reason == "persuade":
        who = _who_text(reader, clause.who) or "the client"
        who_l = who if who[:1].isupper() and not who.startswith(("The ", "Their ", "Her ", "His ")) else who[:1].lower() + who[1:]
        return _finding("objective.seller_action", "problem",
                        f'"{q}" is your effort to get {who_l} to act: the advance is what {who_l} does.',
                        f"Make {who_l}'s action itself the objective, with a date.")
    if clause.voice == "passive" and clause.actor == "seller" and clause.who is None and not vague:
        return _finding("objective.not_advance", "problem",
                        f'"{q}" names no action by the client: who on their side does it?', _ADVANCE_TIP)
    if clause.voice == "passive" and clause.actor == "seller" and vague:
        return _finding("objective.not_advance", "problem",
                        f'"{q}" names no client action you could check after the call.', _ADVANCE_TIP)
    if clause.actor in ("seller", "thing") or clause.reason == "seller_action":
        return _finding("objective.seller_action", "problem",
                        f'"{q}" is what you will do, not what the client will do.', _ADVANCE_TIP)
    if clause.reason in ("low_energy", "feeling"):
        word = reader.orig[clause.verb_at] if clause.verb_at >= 0 else "it"
        return _finding("objective.not_advance", "problem",
                        f'"{q}" asks no action with energy of the client ("{word}"): good feelings are not the acid test for an advance - only action and energy are.',
                        _ADVANCE_TIP)
    if vague:
        return _finding("objective.not_advance", "problem",
                        f'"{q}" names no client action you could check after the call.', _ADVANCE_TIP)
    word = reader.orig[clause.verb_at] if clause.verb_at >= 0 else ""
    return _finding("objective.not_advance", "problem",
                    f'callkit does not know "{word}" as a client action that moves the sale, in "{q}".', _ADVANCE_TIP)


def _implied_stage(core: str, process: SalesProcess, lex: Lexicon) -> tuple[str | None, str | None]:
    """The furthest stage whose cues appear in the objective, and the words that showed it."""
    best: tuple[int, str, str] | None = None
    for cues in lex.stage_cues:
        if not process.has_stage(cues.stage):
            continue
        words = cues.match(core)
        if words is None:
            continue
        idx = process.index(cues.stage)
        if best is None or idx > best[0]:
            best = (idx, cues.stage, words)
    return (best[1], best[2]) if best else (None, None)


def _realistic(process: SalesProcess, stage: str, implied: str) -> bool:
    """At most one stage past the deal's stage; the last stage (closing) only from the last steps."""
    i, k = process.index(stage), process.index(implied)
    if k == len(process.stages) - 1 and not process.is_last_steps(stage):
        return False
    return k <= i + 1


def _realism_finding(process: SalesProcess, stage: str, implied: str, cue: str | None, q: str, i: int) -> Finding:
    k = process.index(implied)
    here = process.stage(stage).name
    there = process.stage(implied).name
    if k == len(process.stages) - 1:
        return _finding("objective.closing_too_early", "problem",
                        f'"{q}" is a closing objective ("{cue}"), but the deal is at {here}: closing is only realistic on the last steps of the sale.',
                        "Plan the next advance in the chain instead: an unbroken chain of advances leads to the close.")
    gap = k - i
    steps = {2: "two stages", 3: "three stages", 4: "four stages"}.get(gap, f"{gap} stages")
    nxt = process.next_stages(stage)
    aim = ""
    if nxt and nxt[0].activities:
        aim = f" - at {nxt[0].name}: " + "; ".join(x[:1].lower() + x[1:] for x in nxt[0].activities[:2])
    return _finding("objective.unrealistic", "problem",
                    f'"{q}" belongs to the {there} stage ("{cue}"), {steps} past {here} where the deal is now.',
                    f"Aim at most one stage ahead, realistic from the client's perspective{aim}.")
