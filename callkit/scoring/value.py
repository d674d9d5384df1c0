"""Customer value (seed 001): "What's in it for the customer to invest their time, now?" - in their terms.

The words a customer gains in are open ("their launch date holds", "fewer night shifts for her team",
"a cost comparison of their three carriers"), so the rule does not look for gain words. It looks for
the four ways an answer fails: it is about us (our product, our pitch, a demo - also with "she" or
"they" in front: "she walks through our savings calculator"), it is what WE get (the order, the
decision maker, their budget), it is a placeholder, or it is too vague to mean anything. An answer
with substance that is none of these is in the customer's terms. Each part of an answer (split at
" - ", "+", ";", ":", "then") is read on its own; one part in the customer's terms is enough. The
word lists are in callkit/data/lexicon.yaml (section `value`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from ..models import Finding, sort_findings
from ..text import quote
from .english import parts_of_speech
from .lexicon import Lexicon, default_lexicon
from .objective.words import WH, Words
from .reading import CLAUSE_MARK, PUNCT

MAX_WORDS = 60
_QUESTION = 'What\'s in it for the customer to invest their time, now?'
_RESCHEDULE = ("Answer it in their terms - a benchmark, an estimate, an answer, a plan they can take to their boss. "
               "If you can't answer it, you aren't ready: reschedule the call.")
_PUNCT_ONLY = re.compile(r"^[\W_]*$")
# "our benchmark of the hospital's readmission rates": ours, but about their own numbers
_ABOUT_THEM = re.compile(r"\b(?:of|for|on|across|using|with) (?:their|the \S+'s|her|his|\S+'s)\b")
_SELLER = frozenset({"we", "i", "us", "me", "my", "let"})
OBJECT_WORDS = frozenset({"them", "him", "her", "us", "me", "it", "everyone", "their", "his"})
_FILLER = frozenset({"lol", "haha", "just", "then", "and", "also", "so", "really", "quick", "quickly", "finally", "maybe", "to", "will",
                     "can", "could", "would", "should", "get", "gets", "be", "is", "are", "a", "an", "the", "it", "its",
                     "for", "them", "they", "their", "of", "on", "in", "with", "this", "that", "some", "more", "all", "both"})

# Seller gains that are time with someone: ours to win, unless the meeting is the customer's own ("her budget meeting with ...").
_MEETING_GAINS = frozenset({"meeting", "time", "call", "session"})
_INTO_MEETING = frozenset({"for", "into", "before", "at"})  # what they take into a meeting of their own
# Single-word placeholders that may trail a time: "TBC after call", "tbd next week".
_PLACEHOLDER_WORDS = frozenset({"tbd", "tbc", "tba", "todo", "xxx", "tk"})
_PLACEHOLDER_TAIL = frozenset({"after", "the", "call", "meeting", "mtg", "later", "next", "week", "post", "tomorrow", "soon",
                               "until", "till", "once", "we", "i", "speak", "talk", "-", "for", "now", "pending", "prep"})

# A condition the answer holds under, not what the customer gets: "... she can use even if she never buys from us".
_CONCESSIONS = frozenset({"even if", "even though", "whether or not", "regardless of whether", "regardless of if"})
# Comparison words: "their prices vs the 3 local competitors" benchmarks them, it is no intelligence for us.
_COMPARED = frozenset({"vs", "versus", "compared", "than", "against"})

Verdict = Literal["theirs", "about_us", "seller_gain", "vague"]


@dataclass(frozen=True)
class ValueAssessment:
    """Whether the customer value is said in the customer's terms, and what a coach would say."""

    text: str
    is_customer_centric: bool
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"text": self.text, "is_customer_centric": self.is_customer_centric,
                "findings": [f.model_dump() for f in self.findings]}


@dataclass(frozen=True)
class _Part:
    """One part of an answer and what it is: in their terms, about us, what we get, or vague (with the words that showed it)."""

    verdict: Verdict
    words: str


def _is_placeholder(text: str, lex: Lexicon) -> bool:
    stripped = " ".join(text.lower().split()).strip(" .!")
    words = stripped.replace(",", " ").split()
    later = bool(words) and words[0].strip(".!?:") in _PLACEHOLDER_WORDS and all(w.strip(".!?:") in _PLACEHOLDER_TAIL for w in words[1:])
    return not stripped or _PUNCT_ONLY.match(stripped) is not None or stripped in lex.value.placeholders \
        or stripped.startswith(("see notes", "see above", "see below", "same as ")) or later  # "TBC after call"


class _ValueReader(Words):
    """Reads the parts of one answer."""

    def parts(self) -> list[tuple[int, int]]:
        """The parts of the answer: split at the clause marks, 'then', and before 'so we ...' (our purpose)."""
        out: list[tuple[int, int]] = []
        s = 0
        for k, w in enumerate(self.low):
            purpose = w == "so" and k + 1 < self.n and k > s  # "..., so the launch date holds", "so we can forecast"
            new_subject = w == "and" and k > s and k + 1 < self.n and self.low[k + 1] in ("they", "she", "he", "we", "i", "their",
                                                                                          "her", "his", "our")
            if w in (CLAUSE_MARK, ":") or (w == "then" and k > s) or purpose or new_subject:
                if k > s:
                    out.append((s, k))
                s = k + 1 if not purpose else k
        if self.n > s:
            out.append((s, self.n))
        return out

    def ours_in(self, a: int, b: int, unowned: bool = True, possessed: bool | None = None,
                things_only: bool = False) -> str | None:
        """The words that make tokens a..b ours: 'our X', 'us', or (when `unowned`) a thing of ours nobody owns ('a demo').

        A thing nobody owns is not ours when the part names something of the client's (`possessed`). With
        `things_only`, "our" counts only before one of our things: "gets our brochure" is about us, "gets our
        completed security questionnaire" is something for them.
        """
        v = self.lex.value
        if possessed is None:
            possessed = any(self.client_possessive(i) for i in range(a, b))
        for i in range(a, b):
            w = self.low[i]
            if w in ("our", "us", "ours") and not (w == "us" and i > a and self.low[i - 1] in ("with", "for", "without", "from")):
                if things_only and not any(self.low[m] in v.our_things or self.text(m, m + 2) in v.our_things
                                           for m in range(i + 1, min(b, i + 4))):
                    continue
                return self.said(i, min(b, i + 3))
            if unowned and not possessed and (w in v.our_things or self.text(i, i + 2) in v.our_things):
                return self.said(i, min(b, i + 2))
        return None

    def content_words(self, a: int, b: int) -> int:
        return sum(1 for w in self.low[a:b] if w not in PUNCT and w not in _FILLER and len(w) > 1)

    def verb_at(self, i: int) -> str | None:
        """The base of a verb at i (any English verb), else None."""
        kinds = self.any_kinds(i)
        return self.base(i) if kinds else None

    def classify(self, a: int, b: int) -> _Part:
        lex, v, low = self.lex, self.lex.value, self.low
        a = self._after_framing(a, b)  # "My goal is that Ms Tan walks away with ...": the rest is the answer
        b = self._before_concession(a, b)  # "... even if she never buys from us": a condition, not what she gets
        text = self.text(a, b)
        leftover = self._leftover(a, b)
        selling = v.about_us.search(text)
        if selling:
            return _Part("about_us", selling.group(0))
        credited = v.credited_to_us.search(text)
        if credited and not re.search(r"\b(?:their|her|his) own\b|\d", text):
            return _Part("about_us", self.said(a, b))  # the benefit is our product's: "they save money with our fares"
        k = a
        while k < b and (low[k] in ("so", "just", "then", "and", "also", "plus", "make", "sure") or self.is_adverb(low[k])):
            k += 1
        question = k + 1 < b and low[k] in ("can", "could", "should", "will", "would", "shall", "do", "does", "did", "is", "are")
        if question:
            k += 1  # a question: "can their paralegals stop ...?", "can we get them excited ...?"
        if k >= b:
            return _Part("vague", text)
        first = low[k]
        gain = self._seller_gain(k, b)
        # -- we act ----------------------------------------------------------------------------------
        if first in _SELLER or (first in lex.seller_subjects and first != "you"):
            if first in ("our", "my"):
                return _Part("about_us", self.said(k, min(b, k + 3)))
            verb = next((i for i in range(k + 1, min(b, k + 4)) if self.verb_at(i)), None)
            base = self.base(verb) if verb is not None else ""
            if base in v.learn_verbs or base in v.obtain_verbs or gain:
                return _Part("seller_gain", gain or self.said(k, min(b, k + 4)))
            return _Part("about_us", self.said(k, min(b, k + 4)))
        # -- an instruction: 'find out their budget', 'pitch the premium tier' ------------------------
        if self._instruction_verb(k, b):
            return self._instruction(k, b, self.base(k), gain, leftover, text)
        presentation = self._presentation(k, b)
        if presentation and not (self.is_party(k) or low[k] in v.client_view):
            return _Part("about_us", presentation)  # "a personalised demo tailored to their business"
        # -- someone or something does something: 'she hears about ...', 'drivers wait less' ---------
        j = self._finite_verb(k, b)
        if j is not None:
            if self.ours_in(k, j, unowned=False):
                return _Part("about_us", self.said(k, j))
            base = self.verb_at(j) or ""
            intel = self._seller_gain(k, b, deals=False) if base not in v.client_learn else None
            if intel:
                return _Part("seller_gain", intel)  # "budget confirmed so we can forecast"
            if base == "get" and j + 2 < b and low[j + 1] == "to" and self.verb_at(j + 2):
                j, base = j + 2, self.verb_at(j + 2) or ""  # "gets to see our ..."
            if base in v.improve_verbs and not self.ours_in(j + 1, b, unowned=False):
                return self._substance(a, b, leftover, text)  # "their paralegals stop chasing signatures"
            gets = base in ("get", "receive", "take", "have", "keep", "leave", "walk")
            # what they get is the object's head: "gets 3 menu costings at the new flour prices" is costings, not our prices
            head_end = next((i for i in range(j + 1, b) if low[i] in self.prep), b) if gets else b
            obj = self.ours_in(j + 1, b, unowned=False, things_only=gets) \
                or self.ours_in(j + 1, head_end, possessed=self.possessed(a, b), things_only=gets)
            if (base in v.reception_verbs or base in v.show_verbs or base == "be") and obj:
                return _Part("about_us", obj)
            if base in v.reception_verbs and j + 2 < b and low[j + 1] in WH and low[j + 2] in ("we", "us", "our"):
                return _Part("about_us", self.said(j, min(b, j + 4)))  # "they understand what we do", "see how we work"
            if base in ("give", "send", "share", "provide", "hand") and j + 1 < b and low[j + 1] in ("us", "me"):
                return _Part("seller_gain", self.said(k, min(b, j + 4)))
            if base in ("sign", "approve", "commit", "agree", "buy", "order", "purchase", "renew", "book") and not question:
                return _Part("seller_gain", self.said(k, min(b, j + 3)))
            shown = self._shown_to_them(j, b)
            if shown:
                return _Part("about_us", shown)
            if gets:
                return self._substance(j + 1, b, self._leftover(j + 1, b), text)  # what they get: "gets insight" is vague
            return self._substance(a, b, leftover, text)
        # -- a thing: what is it? ----------------------------------------------------------------------
        if gain:
            return _Part("seller_gain", gain)
        head = self.ours_in(k, min(b, k + 3), possessed=self.possessed(a, b))
        if head and not _ABOUT_THEM.search(self.text(k, b)):
            return _Part("about_us", head)
        shown = self._shown_to_them(a, b)
        if shown:
            return _Part("about_us", shown)
        return self._substance(a, b, leftover, text)

    def _after_framing(self, a: int, b: int) -> int:
        """Where the answer starts after a framing prefix ('my goal is that', 'the aim is for'), as in an objective."""
        m = self.lex.framing.match(self.text(a, b))
        if not m or m.end() == 0:
            return a
        consumed = len(m.group(0).split())
        words = [i for i in range(a, b) if not self.is_punct(i)]
        return words[consumed] if consumed < len(words) else a

    def _before_concession(self, a: int, b: int) -> int:
        """Where a concession starts ('even if they never buy', 'whether or not they sign'), else `b`."""
        for k in range(a + 2, b - 1):
            if " ".join(self.low[k:k + 2]) in _CONCESSIONS or " ".join(self.low[k:k + 3]) in _CONCESSIONS:
                return k
        return b

    def _presentation(self, k: int, b: int) -> str | None:
        """One of our presentations as the main thing of a part: 'demo of the new kiosk', 'a sneak peek at ...'."""
        v = self.lex.value
        for i in range(k, min(b, k + 3)):
            if self.low[i] in v.presentations or self.text(i, i + 2) in v.presentations:
                return self.said(i, min(b, i + 2))
        return None

    def _leftover(self, a: int, b: int) -> str:
        """Tokens a..b with the vague phrases taken out."""
        out = f" {self.text(a, b)} "
        for phrase in sorted(self.lex.value.vague, key=len, reverse=True):
            out = out.replace(f" {phrase} ", " ")
        return out

    def possessed(self, a: int, b: int) -> bool:
        """The part names something of the client's: 'their', 'her', "the hospital's"."""
        return any(self.client_possessive(i) or self.low[i].endswith("'s") for i in range(a, b))

    def _instruction_verb(self, k: int, b: int) -> bool:
        """The part starts with a verb the rep tells themselves to do ('present ...', 'recieve ...', 'learn which ...')."""
        v = self.lex.value
        kinds = self.any_kinds(k)
        if not kinds & {"base", "ing"}:
            return False
        base = self.base(k)
        known = base in v.show_verbs or base in v.reception_verbs or base in v.learn_verbs or base in v.obtain_verbs \
            or base in v.improve_verbs or self.lex.is_verb(self.low[k])
        if not known:
            return False
        if k + 1 >= b or self.low[k + 1] in self.det or self.low[k + 1] in OBJECT_WORDS or self.client_possessive(k + 1) \
                or self.low[k + 1] in ("out", "up", "about", "through", "on", "in", "to", "with") or self.low[k + 1] in WH:
            return True  # a verb and its object: "get them excited", "present the new release"
        nxt = self._finite_verb(k, b)
        return nxt is None or nxt > k + 4  # not "pilot results show ...", a noun and its verb

    def _finite_verb(self, k: int, b: int) -> int | None:
        """The first verb with -s or -ed after a short subject ('ward manager gets', 'the april release does not slip')."""
        for j in range(k + 1, min(b, k + 6)):
            w = self.low[j]
            if w in PUNCT or (w in self.prep and w != "to"):
                return None
            if w in self.modals or w in ("does", "do", "did"):
                m = self.skip_adverbs(j + 1, b)
                return m if m < b and self.any_kinds(m) else None
            kinds = self.any_kinds(j)
            if kinds & {"third", "past"} and "base" not in kinds and self.low[j - 1] not in self.det:
                plural_noun = "NOUN" in parts_of_speech(w) and (j + 1 >= b or self.low[j + 1] in self.prep)
                if not plural_noun:
                    return j
            if w in ("is", "are", "was", "were"):
                return j
            prev = self.low[j - 1]
            if "NOUN" in parts_of_speech(w) and j + 1 < b and self.any_kinds(j + 1) & {"third", "past"}:
                continue  # "their sales team gets ...": 'team' is the subject, 'gets' the verb
            plural_before = prev.endswith("s") and not prev.endswith("ss") and "base" not in self.any_kinds(j - 1) \
                and (j == k + 1 or self.low[j - 2] in self.det or self.client_possessive(j - 2))
            if "base" in kinds and (prev in ("they", "we", "i", "you") or plural_before) and w not in self.lex.value.our_things:
                return j  # "they get ...", "drivers wait less", "their paralegals stop chasing ..."
        return None

    def skip_adverbs(self, k: int, end: int) -> int:
        while k < end and (self.is_adverb(self.low[k]) or self.low[k] in PUNCT or self.low[k] in self.lex.negations):
            k += 1
        return k

    def _instruction(self, k: int, b: int, verb: str, gain: str | None, leftover: str, text: str) -> _Part:
        """A part that starts with a verb: 'find out their budget', 'pitch the premium tier', 'recieve an audit report'."""
        v = self.lex.value
        asks = v.their_questions.search(self.text(k + 1, min(b, k + 5)))
        if verb in v.improve_verbs and not self.ours_in(k + 1, b, unowned=False):
            return self._substance(k, b, leftover, text)  # "cut the 3-day wait on contract approvals"
        if verb == "get" and k + 2 < b and (self.low[k + 1] in OBJECT_WORDS or self.is_party(k + 1)) \
                and "to" in self.low[k + 2:k + 4]:
            return _Part("seller_gain", self.said(k, min(b, k + 6)))  # "get them to agree to a pilot"
        if gain:
            return _Part("seller_gain", gain)
        if verb in v.show_verbs and not (asks and not self.ours_in(k, b, unowned=False)):
            return _Part("about_us", self.said(k, min(b, k + 4)))
        if verb in v.learn_verbs and (not asks or verb not in v.client_learn) and verb != "get":
            return _Part("seller_gain", self.said(k, min(b, k + 4)))
        if verb in v.obtain_verbs and verb != "get":
            return _Part("seller_gain", self.said(k, min(b, k + 4)))
        obj = self.ours_in(k + 1, b, possessed=self.possessed(k, b))
        if (verb in v.reception_verbs or verb == "get") and obj and not _ABOUT_THEM.search(self.text(k, b)):
            return _Part("about_us", obj)
        if verb == "get" and not re.search(r"\b(?:their own|for them|for their|for her|for his)\b", self.text(k, b)):
            return _Part("seller_gain", self.said(k, min(b, k + 4)))  # "get budget nos + timeline": what we get
        return self._substance(k, b, leftover, text)

    def _seller_gain(self, a: int, b: int, deals: bool = True) -> str | None:
        """What we get: intelligence for us, or (with `deals`) the deal itself - unless the deal is theirs
        ('their current POS contract' is a contract they have, not one we get)."""
        text = self.text(a, b)
        v = self.lex.value
        for m in v.seller_gain.finditer(text):
            before = text[: m.start()].split()[-3:]
            if any(w in _COMPARED for w in text[: m.start()].split()[-5:]):
                continue  # "a benchmark of their prices vs the 3 local competitors": a comparison for them
            if m.group(0).split()[0] in _MEETING_GAINS and any(w in ("their", "her", "his") or w.endswith("'s") for w in before):
                continue  # "goes into her budget meeting with a number": their own meeting, not time we get with them
            if m.group(0).split()[0] in _MEETING_GAINS and any(w in _INTO_MEETING for w in before) \
                    and text[m.end():].split()[:1] in (["their"], ["her"], ["his"]):
                continue  # "ammo for the budget meeting with their board": a meeting among their own people
            return m.group(0)
        if not deals:
            return None
        for m in v.deal_words.finditer(text):
            before = text[: m.start()].split()[-3:]
            if any(w in v.deal_not_ours or w.endswith("'s") for w in before):
                continue
            return m.group(0)
        return None

    def _shown_to_them(self, a: int, b: int) -> str | None:
        """'a chance for their team to meet our new CEO': a showing or hearing verb with something of ours after it."""
        v = self.lex.value
        for i in range(a, b):
            base = self.verb_at(i)
            if base and (base in v.reception_verbs or base in v.show_verbs):
                gets = base in ("get", "receive", "take", "have", "keep", "leave", "walk")
                obj = self.ours_in(i + 1, min(b, i + 5), unowned=False, things_only=gets)
                if obj:
                    return obj
        return None

    def _substance(self, a: int, b: int, leftover: str, text: str) -> _Part:
        """In their terms when something specific is left once the vague words are gone ('insight' alone is not)."""
        g = self.lex.grammar
        if len([w for w in leftover.split() if w not in _FILLER and len(w) > 1 and w not in g["prepositions"]
                and w not in g["determiners"]]) < 2:
            return _Part("vague", text)
        return _Part("theirs", text)


def assess_customer_value(text: str, *, lexicon: Lexicon | None = None) -> ValueAssessment:
    """Is the answer to "what's in it for the customer" in the customer's terms? Findings cite seed 001.

    `lexicon` replaces the shipped word lists (see `lexicon_from_yaml`).
    """
    lex = lexicon or default_lexicon()
    raw = text if isinstance(text, str) else ("" if text is None else str(text))
    q = quote(raw)
    findings: list[Finding] = []

    def done(centric: bool) -> ValueAssessment:
        return ValueAssessment(text=raw, is_customer_centric=centric, findings=sort_findings(findings))

    if _is_placeholder(raw, lex):
        what = f'"{q}" does not answer' if raw.strip() else "There is no answer to"
        findings.append(Finding(code="value.empty", severity="problem", message=f'{what} "{_QUESTION}"', tip=_RESCHEDULE))
        return done(False)
    reading = lex.read(raw, max_tokens=120)
    if not lex.reads_as_english(reading):
        findings.append(Finding(code="value.not_english", severity="problem",
                                message=f'callkit reads English and cannot read "{q}".', tip=_RESCHEDULE))
        return done(False)
    if len(raw.split()) > MAX_WORDS:
        findings.append(Finding(code="value.too_long", severity="warning",
                                message=f"At {len(raw.split())} words the customer value is hard to say in one breath to the customer.",
                                tip="One sentence: what they get, in their terms, for investing their time now."))
    reader = _ValueReader(lex, reading)
    parts = [reader.classify(a, b) for a, b in reader.parts()]
    if any(p.verdict == "theirs" for p in parts):
        return done(True)
    worst = next((p for kind in ("about_us", "seller_gain", "vague") for p in parts if p.verdict == kind), None)
    if worst is None or worst.verdict == "vague":
        findings.append(Finding(code="value.vague", severity="problem",
                                message=f'"{q}" does not say what the customer takes away from this call, in their terms.',
                                tip=_RESCHEDULE))
    elif worst.verdict == "about_us":
        findings.append(Finding(code="value.about_us", severity="problem",
                                message=f'"{q}" is about us ("{quote(worst.words)}"), not about what the customer gets for their time.',
                                tip=_RESCHEDULE))
    else:
        findings.append(Finding(code="value.seller_gain", severity="problem",
                                message=f'"{q}" is what we get from the call ("{quote(worst.words)}"), not what the customer gets.',
                                tip=_RESCHEDULE))
    return done(False)


def about_us(text: str, *, lexicon: Lexicon | None = None) -> str | None:
    """The words that make a short text about us ("Our product roadmap", "Demo of the X"), or None.

    Used on agenda items: an agenda made only of our items leaves nothing in the call for the customer.
    Neutral items ("Q&A", "Next steps") are not about us.
    """
    lex = lexicon or default_lexicon()
    if _is_placeholder(text or "", lex):
        return None
    reader = _ValueReader(lex, lex.read(text, max_tokens=60))
    parts = [reader.classify(a, b) for a, b in reader.parts()]
    if any(p.verdict == "theirs" and reader.possessed(0, reader.n) for p in parts):
        return None
    ours = next((p for p in parts if p.verdict == "about_us"), None)
    return ours.words if ours else None

