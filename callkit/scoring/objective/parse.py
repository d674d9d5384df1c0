"""The whole objective: its framing, its clauses, the best outcome and the fallback, and the clause that decides.

Reps write several things into one field: "walk thru the forecast view; then Omar sets up the trial
kickoff", "Ideally PO signed today, minimum a verbal commit". The objective is read clause by clause
(split at " + ", " / ", " - ", ";", ":", a full stop, "and then", ...); it is an advance when one clause
is a client advance, and that clause decides. "Ideally ..., minimum ..." is judged by its best outcome;
the minimum is kept apart as the fallback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..reading import CLAUSE_MARK, PUNCT
from .clause import Clause
from .reader import ClauseReader

_QUESTION_AUX = frozenset({"can", "could", "will", "would", "shall", "should", "may", "do", "does", "did"})
_QUESTION_WORDS = frozenset({"how", "who", "what", "when", "where", "why", "whether", "which"})
_SUBJECT_WORDS = frozenset({"we", "i", "you", "they", "he", "she", "us"})


@dataclass
class Parse:
    """The objective proper (token range), its canonical words and the clause that decides who acts.

    `clauses` are all clauses read, in order; `fallback` is the token range of a "minimum ..." part.
    """

    start: int
    end: int
    core: str
    clause: Clause | None
    clauses: list[Clause] = field(default_factory=list)
    fallback: tuple[int, int] | None = None
    ours: bool = False  # the text is marked as internal ("internal: finance approval for ...")
    question: tuple[int, int] | None = None  # the objective opens with a question of ours: "who signs?"


class ObjectiveReader(ClauseReader):
    """Reads one objective: where it starts and ends, its clauses, and the one that decides."""

    def bounds(self) -> tuple[int, int]:
        """Where the objective proper starts (framing and leading time phrases dropped) and ends (purpose clause cut)."""
        low, n = self.low, self.n
        start = 0
        words = [i for i, t in enumerate(low) if t not in PUNCT]
        m = self.lex.framing.match(self.r.canon)
        self.framed_obtain = False
        if m and m.end() > 0:
            consumed = len(m.group(0).split())
            # "don't hang up without X", "walk away with X": what follows is what we get from the client
            self.framed_obtain = m.group(0).split()[-1] in ("without", "with")
            start = words[consumed] if consumed < len(words) else n
        while start < n and low[start] in PUNCT:
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
            relative = low[k] == "which" and (low[k - 1] in PUNCT or not self.any_kinds(k - 1))  # not "confirms which ..."
            if low[k - 1] == CLAUSE_MARK:
                continue  # "... - so just get her to intro us": a new clause, not a purpose
            if low[k] in ("so", "because", "since") or relative or (low[k] == "in" and low[k + 1:k + 3] == ("order", "to")):
                end = k if low[k - 1] not in PUNCT else k - 1
                break
            if low[k] == "to" and low[k - 1] == "," and k + 1 < n and self.lex.is_verb(low[k + 1]):
                end = k - 1
                break
        return start, max(start, end)

    def best_and_fallback(self, start: int, end: int) -> tuple[int, int, tuple[int, int] | None]:
        """'Ideally X, minimum Y': (X start, X end, Y range); without a fallback marker Y is None."""
        lex = self.lex
        k = start
        best = lex.best_case.regex.match(self.text(start, end)) if lex.best_case.regex else None
        if best is not None:
            k = start
            skip = len(best.group(0).split())
            while k < end and skip:
                if not self.is_punct(k):
                    skip -= 1
                k += 1
            while k < end and self.is_punct(k):
                k += 1
        for i in range(k + 1, end):
            if self.is_punct(i):
                continue
            if not (self.is_punct(i - 1) or self.low[i - 1] in ("and", "or", "but", "else", "if")) and best is None:
                continue
            m = lex.fallback_case.regex.match(self.text(i, end)) if lex.fallback_case.regex else None
            if m is not None:
                stop = i - 1
                while stop > k and (self.is_punct(stop) or self.low[stop] in ("and", "or", "but", "if")):
                    stop -= 1
                f = i + len(m.group(0).split())
                while f < end and (self.is_punct(f) or self.low[f] in ("is", "a", "an")):
                    f += 1
                return k, stop + 1, (f, end) if f < end else None
        return k, end, None

    def segments(self, start: int, end: int) -> list[tuple[int, int]]:
        """Hard clause breaks (';' and ':' marks): each segment is read on its own."""
        out: list[tuple[int, int]] = []
        s = start
        for k in range(start, end):
            if self.low[k] in (CLAUSE_MARK, ":"):
                if k > s:
                    out.append((s, k))
                s = k + 1
        if end > s:
            out.append((s, end))
        return out

    def clause_starts(self, start: int, end: int) -> list[int]:
        starts = [start]
        for k in range(start, end - 1):
            if self.low[k] in self.breaks:
                starts.append(k + 1)
        return [self.skip_question(s, end) for s in starts]

    def skip_question(self, s: int, end: int) -> int:
        """'can we get Bo to trial it' is read as 'we get Bo to trial it'; 'will Priya sign' as 'Priya sign'."""
        while s < end and self.low[s] in ("then", "and", "also", "plus", "just"):
            s += 1
        if s + 1 < end and self.low[s] in _QUESTION_AUX and not self.orig[s][1:2].isupper():
            nxt = s + 1
            if self.low[nxt] in _SUBJECT_WORDS or self.is_party(nxt) or self.low[nxt] in self.det:
                return nxt
        return s

    def asks_about_them(self, a: int, b: int) -> bool:
        """'Do they have budget?', 'does Ravi use a CRM': a question about how things are, what we want to know."""
        if a + 2 >= b or self.low[a] not in ("do", "does", "did"):
            return False
        k = a + 1
        if not (self.low[k] in _SUBJECT_WORDS or self.is_party(k) or self.client_possessive(k) or self.low[k] == "the"):
            return False
        classes = self.lex.verb_classes
        stative = classes["low_energy"] | classes["feeling"] | {"have", "use", "own", "run"}
        # "does their IT team use ...": the first verb after the subject says what we ask about
        v = next((i for i in range(k + 1, min(b, a + 6)) if self.any_kinds(i) and not self.lex.is_role(self.low[i])), b)
        return v < b and self.base(v) in stative

    def shared_subject(self, cs: int, end: int, before: Clause, soft: bool = False) -> Clause | None:
        """'Lena agrees ... and books a trial review': a verb with -s after 'and' shares the client subject before it.

        With `soft`, any clause break counts ("Tomasz likes the results / says he'll talk to his boss").
        """
        breaks = ("and", "then", ",", "also", "plus") + ((CLAUSE_MARK, ":") if soft else ())
        if cs == 0 or self.low[cs - 1] not in breaks or not self.kinds(cs) & {"third", "past"} and not self.bare_after(cs, before):
            return None
        ok, why = self.client_verb(cs, end)
        found = Clause("client", "active", self.base(cs), cs, before.who, ok, why, end, start=cs)
        if self.negated(before.start, cs):
            found.advance, found.reason = False, "negated"
        return found

    def bare_after(self, cs: int, before: Clause) -> bool:
        """'they see the demo and like it': a verb without -s after 'and' shares a subject whose verb had no -s either."""
        v = before.verb_at
        return before.voice == "active" and 0 <= v < cs and self.low[cs - 1] in ("and", "then") \
            and "base" in self.kinds(cs) and "base" in self.kinds(v) and "third" not in self.kinds(v)

    def next_subject(self, cs: int, b: int) -> int:
        """Where a new subject starts a new clause ('client sends us the doc and we discuss it'), else `b`."""
        for k in range(cs + 2, b - 1):
            if self.low[k - 1] in ("and", "then", "but", ",") and self.low[k] in _SUBJECT_WORDS and self.low[k] != "us" \
                    and (self.any_kinds(k + 1) or self.low[k + 1] in self.modals):
                return k - 1
        return b

    def obtained(self, a: int, b: int) -> Clause | None:
        """After "don't hang up without", a verbless thing is what we get: "... a date for the intro mtg with
        Rosa's team" reads as "get a date for ...", an advance when the thing is a client commitment."""
        if self.find_verb(a, self.main_end(a, b)) is not None:
            return None
        c = self.seller_clause(a, a - 1, "get", "imperative", b)
        c.start = a
        return c if c.advance else None

    def names_a_step(self, a: int, b: int) -> bool:
        """A verbless segment that names a client step (a commitment or a meeting), neither vague nor a continuation."""
        text = self.text(a, b)
        cues = self.lex.cues
        return (self.has_commitment(a, b) or self.lex.meeting_nouns.search(text) is not None) \
            and cues["vague"].search(text) is None and cues["continuation"].search(text) is None \
            and cues["hedge"].search(text) is None

    def agrees_to_it(self, c: Clause) -> bool:
        """The client agrees with nothing after it but 'it' ('Luis agrees', 'agrees to do it this wk', 'ok's that')."""
        if c.actor != "client" or c.advance or c.reason not in ("no_object", "unknown_action") or c.verb_at < 0:
            return False
        if c.verb not in self.lex.verb_classes["intent"] and c.verb not in self.lex.needs_object:
            return False
        for k in range(c.verb_at + 1, c.end):
            w = self.low[k]
            if self.is_date_at(k) or w in ("by", "before", "on", "this", "next", "today", "tomorrow", "after"):
                return True
            if not (self.is_punct(k) or self.is_adverb(w) or w in ("to", "do", "it", "that", "this", "so", "one", "with", "us", "me")):
                return False
        return True

    def run_by_us(self, c: Clause) -> bool:
        """A clause that is only 'facilitated / run / led by <one of ours>', with no subject of its own."""
        return c.voice == "passive" and c.actor == "seller" and c.verb in self.lex.seller_run_verbs \
            and 0 <= c.verb_at <= c.start + 1 and c.reason == "our_side"

    def headline_session(self, c: Clause) -> bool:
        """The clause opens with a session ('Workshop w/ their 4 planners ...', 'Training for her team ...')."""
        return c.start < self.n and self.lex.meeting_nouns.search(self.low[c.start]) is not None

    def skip_framing(self, a: int, b: int) -> int:
        """'... ; goal is Mr Tan taking it to his CFO': a framing prefix inside the text, dropped like one at the start."""
        m = self.lex.framing.match(self.text(a, b))
        if not m or m.end() == 0:
            return a
        consumed = len(m.group(0).split())
        words = [i for i in range(a, b) if not self.is_punct(i)]
        return words[consumed] if consumed < len(words) else b

    def parse(self) -> Parse:
        """Bounds, best outcome and fallback, then the first clause in which the client acts (else the main clause)."""
        start, end = self.bounds()
        start, end, fallback = self.best_and_fallback(start, end)
        segments = self.segments(start, end)
        ours = False
        if segments and self.text(*segments[0]) in ("internal", "internally", "internal only", "our side", "for us"):
            ours = True
            segments = segments[1:]
            start = segments[0][0] if segments else end
        core = self.text(start, end)
        clauses: list[Clause] = []
        chosen: Clause | None = None
        question: tuple[int, int] | None = None
        previous: list[Clause] = []  # the clauses of the segment before
        thing_before = False  # the segment before names a step with no verb: "Reference call w/ a peer bank - ..."
        for a, b in segments:
            if a > start:
                a = self.skip_framing(a, b)
            headline = self.headline(self.skip_question(a, b), b)
            found = [headline] if headline is not None else []
            if not found and a == start and self.framed_obtain:
                obtained = self.obtained(a, b)
                if obtained is not None:
                    found = [obtained]
            if not found and a == start and (self.low[a] in _QUESTION_WORDS and b > a + 1 or self.asks_about_them(a, b)):
                question = (a, b)  # "who signs?", "what budget do they have": what we want to know, not a step
                found = [Clause("seller", "imperative", "ask", -1, None, False, "seller_action", b, start=a)]
            if not found:
                for cs in self.clause_starts(a, b):
                    before = found[-1] if found else (clauses[-1] if clauses else None)
                    c = None
                    if before is not None and before.actor == "client" and cs > a - 1 and (
                            self.kinds(cs) & {"third", "past"} and not self.kinds(cs) & {"base"} or self.bare_after(cs, before)):
                        c = self.shared_subject(cs, b, before, soft=True)  # "Tomasz likes ... / says he'll ..."
                    if c is None and self.low[cs] in _QUESTION_WORDS and found and found[-1].actor == "seller":
                        # "work out who signs and how they budget": the next question, still ours
                        c = Clause("seller", found[-1].voice, found[-1].verb, found[-1].verb_at, None, False, "seller_action", b,
                                   start=cs)
                    if c is None:
                        c = self.clause(cs, self.next_subject(cs, b))
                    if c is None and found and found[-1].actor == "client":
                        c = self.shared_subject(cs, b, found[-1])
                    elif c is not None and c.voice == "imperative" and found and found[-1].actor == "seller" \
                            and found[-1].voice == "active" and c.verb_at >= 0:
                        # "we get Jonas's calendar and book the pilot review": we book it too
                        c = self.seller_clause(cs, c.verb_at, c.verb or "", "finite", b)
                        c.start = cs
                    if c is not None:
                        found.append(c)
                        if c.advance:
                            break
            if found and self.run_by_us(found[0]) and previous and previous[0].voice in ("active", "headline") \
                    and self.headline_session(previous[0]):
                for c in previous:  # "Workshop w/ their planners - facilitated by our consultant": our session
                    c.advance, c.reason, c.actor = False, "seller_action", "seller"
                if chosen in previous:
                    chosen = None
            previous = found
            for c in found:
                if thing_before and self.agrees_to_it(c):
                    c.advance, c.reason = True, "client_action"  # "... - Tariq agrees to do it this wk": agrees to that step
                inside = f" {self.text(c.start, c.end)} "
                ours_here = " on our side " in inside or c.actor != "client" and (" internally " in inside or " in house " in inside)
                if c.advance and (ours or ours_here):
                    c.advance, c.reason, c.actor = False, "our_side", "seller"  # "finalise the quote internally"
                clauses.append(c)
                if chosen is None and c.advance:
                    chosen = c
            thing_before = not found and self.names_a_step(a, b)
        if chosen is None and clauses:
            chosen = clauses[0]
        return Parse(start, end, core, chosen, clauses, fallback, ours, question if chosen is not None and not chosen.advance else None)
