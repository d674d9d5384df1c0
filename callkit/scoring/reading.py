"""A rep's text as the rules read it: tokens, lowercase, short forms spelled out, shorthand and typos repaired.

Reps type into a CRM field in a hurry: "priya to send ROI data w/ CFO by fri + book mtg", "Recieve
aproval". Before any rule looks at the words, this module straightens quotes, spells out "won't" and
"dont", expands the lexicon's shorthand ("w/", "mtg", "f/u"), marks the places where one clause ends
and the next begins (" / ", " - ", ";", "->", a full stop, "?") with ";", reads "+" as "and", and
repairs misspelt words against the lexicon's vocabulary (see spelling.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from .english import verb_kinds
from .spelling import Speller

CLAUSE_MARK = ";"
PUNCT = frozenset({",", ";", ":"})

_SHORT_FORMS = re.compile(
    r"\b(won't|can't|let's|(\w+)'ll|(\w+)n't|(\w+)'re|(\w+)'ve|i'm|(it|that|there|what|he|she|who)'s|(\w+)'d)\b",
    re.IGNORECASE,
)
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                         "`": "'", "\u2192": "->"})
_TOKEN = re.compile(r"[\w$\u00a3\u20ac][\w$\u00a3\u20ac%&'./]*[\w%]|[\w$\u00a3\u20ac]|[,;:]")
_ASIDE = re.compile(r"\((?!\s*(?:from|by|via|w/|with) )[^()]*\)")  # "Kwame (Head of Engineering) will ...": the aside is left out
_KEPT_ASIDE = re.compile(r"\(\s*((?:from|by|via|w/|with) [^()]*)\)")  # "(from aoife)" says who: kept
_SYMBOL = re.compile(r"[^\w\s.,;:!?'\"()\[\]/&%$\u00a3\u20ac#@+*=<>-]")
# Where one clause ends and another starts: " + ", " - ", " -> ", "=>", " | ", "!", "?", "...".
_SEPARATORS = re.compile(r"\s*(?:->|=>|\|)\s*|\s+-+\s+|\s*[!?]+(?:\s+|$)|\.{2,}|\s*\u2022\s*")
_PLUS = re.compile(r"\s*\+\s*")  # "marta + her controller", "demo + send pricing": read as "and"
# "3yr", "2wks", "30min": a number glued to its unit
_GLUED_UNIT = re.compile(r"\b(\d+)(yrs?|years?|wks?|weeks?|mos|months?|mins?|minutes?|hrs?|hours?|days?)\b", re.IGNORECASE)
# "Customer will to tell us ...", "Finance will to share ...": a modal with a stray "to" before its verb
_MODAL_TO = re.compile(r"\b(will|shall|must|can|would|should)\s+to\s+(?=[a-z])", re.IGNORECASE)
# "[Contact] to confirm budget": a CRM template's placeholder for the client person
_PLACEHOLDER = re.compile(r"\[\s*[A-Za-z][A-Za-z ]{0,30}?\s*\]")
_SLASH = re.compile(r"(?<=[^\W\d_])\s*/\s*(?=[^\W\d_])")
# A full stop that ends a sentence (not one after Dr, Mr, e.g., a number like 2.5)
_FULL_STOP = re.compile(r"(?<![\W\d_])(?<!\b[dD]r)(?<!\b[mM]rs)(?<!\b[mM][rs])(?<!\b[pP]rof)(?<!\b[sS]t)(?<!\bvs)"
                        r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)\.(?=\s+\S|\s*$)")


def _spell_out(match: re.Match) -> str:
    word = match.group(0)
    low = word.lower()
    if low == "won't":
        return "will not"
    if low == "can't":
        return "can not"
    if low == "let's":
        return word[:3] + " us"
    if low == "i'm":
        return word[0] + " am"
    head, tail = word.rsplit("'", 1) if "n't" not in low else (word[:-3], "not")
    tail = tail.lower()
    return head + " " + {"ll": "will", "re": "are", "ve": "have", "s": "is", "d": "would", "not": "not"}[tail]


@dataclass(frozen=True)
class Reading:
    """A text as the matchers see it: original-case tokens, lowercase tokens and their joined form.

    `repaired` lists the (typed, read as) pairs of words callkit repaired, for a tip to the rep.
    """

    text: str
    orig: tuple[str, ...]
    low: tuple[str, ...]
    canon: str
    has_symbols: bool
    repaired: tuple[tuple[str, str], ...] = ()
    asides: tuple[str, ...] = ()  # what was in brackets, left out of the tokens: "(econ buyer)"

    def __len__(self) -> int:
        return len(self.low)


def shorthand_pattern(shorthand: Mapping[str, str]) -> re.Pattern | None:
    """One regex for the lexicon's shorthand ("w/", "mtg", "dont"), whole words only, any case."""
    if not shorthand:
        return None
    alts = []
    for key in sorted(shorthand, key=len, reverse=True):
        tail = r"(?![\w])" if key[-1].isalnum() else ""
        alts.append(re.escape(key) + tail)
    return re.compile(r"(?<![\w/'])(?:" + "|".join(alts) + ")", re.IGNORECASE)


def read_text(text: str, max_tokens: int | None = None, *, shorthand: Mapping[str, str] | None = None,
              shorthand_re: re.Pattern | None = None, speller: Speller | None = None,
              slash_words: frozenset[str] = frozenset()) -> Reading:
    """Tokenise a text: quotes straightened, asides left out, short forms and shorthand spelled out, hyphens as spaces.

    Clause separators (" / ", " - ", "->", a full stop, "?") become ";" tokens and "+" becomes "and".
    With a `speller`, misspelt lowercase words (and a misspelt first word) are repaired to the lexicon's
    words; asides in brackets are kept apart in `asides`, except "(from Aoife)", which stays in the text.
    """
    clean = (text or "").translate(_QUOTES)
    has_symbols = bool(_SYMBOL.search(clean))
    asides = tuple(m.group(0)[1:-1] for m in _ASIDE.finditer(clean))
    clean = _KEPT_ASIDE.sub(r", \1", _ASIDE.sub(" ", clean))
    clean = _GLUED_UNIT.sub(r"\1 \2", clean)
    clean = _MODAL_TO.sub(r"\1 ", clean)
    clean = _PLACEHOLDER.sub("the client", clean)
    if shorthand and shorthand_re is not None:
        clean = shorthand_re.sub(lambda m: _keep_case(m.group(0), shorthand[m.group(0).lower()]), clean)
    clean = _SLASH.sub(lambda m: _slash(m, clean, slash_words), clean)
    clean = _SEPARATORS.sub(f" {CLAUSE_MARK} ", clean)
    clean = _PLUS.sub(" and ", clean)
    clean = _FULL_STOP.sub(f" {CLAUSE_MARK}", clean)
    clean = _SHORT_FORMS.sub(_spell_out, clean.replace("-", " "))
    orig = _TOKEN.findall(clean)
    if max_tokens is not None:
        orig = orig[:max_tokens]
    repaired: list[tuple[str, str]] = []
    if speller is not None:
        orig = _repair(orig, speller, repaired)
    while orig and orig[-1] in PUNCT:
        orig.pop()
    while orig and orig[0] in PUNCT:
        orig.pop(0)
    low = tuple(t.lower() for t in orig)
    return Reading(text or "", tuple(orig), low, " ".join(t for t in low if t not in PUNCT), has_symbols,
                   tuple(repaired), asides)


def _keep_case(typed: str, expansion: str) -> str:
    return expansion[:1].upper() + expansion[1:] if typed[:1].isupper() and expansion[:1].islower() else expansion


def _slash(m: re.Match, text: str, keep: frozenset[str]) -> str:
    """'demo/pricing' is two clauses; 'and/or', 'go/no go' stay one word pair."""
    left = re.search(r"([^\W\d_]+)\s*$", text[: m.start()])
    right = re.match(r"\s*([^\W\d_]+)", text[m.end():])
    pair = f"{left.group(1).lower() if left else ''}/{right.group(1).lower() if right else ''}"
    return " " if pair in keep else f" {CLAUSE_MARK} "


_HEADLINE_PREPOSITIONS = frozenset({"from", "of", "for", "by", "on"})


def _repair(tokens: list[str], speller: Speller, repaired: list[tuple[str, str]]) -> list[str]:
    out: list[str] = []
    for i, token in enumerate(tokens):
        low = token.lower()
        first = i == 0 or tokens[i - 1] in PUNCT
        # Capitalised words inside a sentence are names; the first word may be a misspelt verb ("Recieve
        # the PO"), but not when a verb follows it ("Marco agrees": a name).
        capital_first = first and token[:1].isupper() and token[1:].islower() and not (
            i + 1 < len(tokens) and verb_kinds(tokens[i + 1].lower()) & {"third", "past"})
        # "Aproval from the board": a capitalised first word followed by a preposition is a headline's noun
        headline_noun = capital_first and i + 1 < len(tokens) and tokens[i + 1] in _HEADLINE_PREPOSITIONS
        if (token.islower() or capital_first) and speller.needs_repair(low):
            fixed = speller.correct(low)
            if fixed is not None and not (capital_first and not verb_kinds(fixed) and not headline_noun):
                repaired.append((token, fixed))
                token = fixed if token.islower() else fixed[:1].upper() + fixed[1:]
        out.append(token)
    return out
