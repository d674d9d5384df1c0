"""Customer value (seed 001): "What's in it for the customer to invest their time, now?" - in their terms.

Customer-centric means the client gains something they can use (a benchmark, an estimate, an
answer, a plan they can take to their boss), seen from their side; what we show, tell or find out
is not. The word lists are in callkit/data/lexicon.yaml (section `value`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..models import Finding, sort_findings
from .lexicon import Lexicon, Reading, default_lexicon, read_text

MAX_WORDS = 60
_QUOTE_CHARS = 90
_QUESTION = 'What\'s in it for the customer to invest their time, now?'
_RESCHEDULE = ("Answer it in their terms - a benchmark, an estimate, an answer, a plan they can take to their boss. "
               "If you can't answer it, you aren't ready: reschedule the call.")
_PUNCT_ONLY = re.compile(r"^[\W_]*$")


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


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_CHARS else text[:_QUOTE_CHARS].rsplit(" ", 1)[0] + "..."


def _subject(reading: Reading, lex: Lexicon) -> str:
    """'seller' when we/our/I lead the sentence, 'client' when a client word or a name does, else 'none'."""
    words = [w for w in reading.low if w not in (",", ";", ":")]
    if not words:
        return "none"
    first = words[0]
    if first in ("we", "i", "our", "my", "us") or first in lex.seller_things:
        return "seller"
    if first in lex.value["client_view"] or lex.is_role(first) or (len(words) > 1 and lex.is_role(words[1])):
        return "client"
    if reading.orig[0][:1].isupper() and not lex.is_known(first) and len(words) > 1 and lex.is_verb(words[1]):
        return "client"  # a name: "Priya gets ..."
    return "none"


def _is_placeholder(text: str, lex: Lexicon) -> bool:
    stripped = " ".join(text.lower().split()).strip(" .!")
    return not stripped or _PUNCT_ONLY.match(stripped) is not None or stripped in lex.value["placeholders"]


def assess_customer_value(text: str, *, lexicon: Lexicon | None = None) -> ValueAssessment:
    """Is the answer to "what's in it for the customer" in the customer's terms? Findings cite seed 001.

    `lexicon` replaces the shipped word lists (see `lexicon_from_yaml`).
    """
    lex = lexicon or default_lexicon()
    raw = text if isinstance(text, str) else ("" if text is None else str(text))
    q = _quote(raw)
    findings: list[Finding] = []

    def done(centric: bool) -> ValueAssessment:
        return ValueAssessment(text=raw, is_customer_centric=centric, findings=sort_findings(findings))

    if _is_placeholder(raw, lex):
        what = f'"{q}" does not answer' if raw.strip() else "There is no answer to"
        findings.append(Finding(code="value.empty", severity="problem", message=f'{what} "{_QUESTION}"', tip=_RESCHEDULE))
        return done(False)
    reading = read_text(raw, max_tokens=120)
    alpha = [t for t in reading.low if t.isalpha()]
    if alpha and (sum(not t.isascii() for t in alpha) * 2 > len(alpha)
                  or (len(alpha) >= 3 and sum(lex.is_known(t) for t in alpha) * 4 < len(alpha))):
        findings.append(Finding(code="value.not_english", severity="problem",
                                message=f'callkit reads English and cannot read "{q}".', tip=_RESCHEDULE))
        return done(False)

    canon = reading.canon
    value = lex.value
    subject = _subject(reading, lex)
    about_us = value["about_us"].search(canon)
    seller_gain = value["seller_gain"].search(canon)
    gain = value["gain"].search(canon)
    client_view = subject == "client" or any(w in value["client_view"] for w in reading.low) or (
        subject == "none" and reading.orig[0][:1].isupper() and not lex.is_known(reading.low[0]))

    if len(raw.split()) > MAX_WORDS:
        findings.append(Finding(code="value.too_long", severity="warning",
                                message=f"At {len(raw.split())} words the customer value is hard to say in one breath to the customer.",
                                tip="One sentence: what they get, in their terms, for investing their time now."))
    if subject == "seller":
        findings.append(Finding(code="value.about_us", severity="problem",
                                message=f'"{q}" is about us, not about what the customer gets for their time.',
                                tip=_RESCHEDULE))
        return done(False)
    if seller_gain and subject != "client":
        findings.append(Finding(code="value.seller_gain", severity="problem",
                                message=f'"{q}" is what we get from the call ("{seller_gain.group(0)}"), not what the customer gets.',
                                tip=_RESCHEDULE))
        return done(False)
    if gain and (client_view or subject == "none"):
        return done(True)
    if about_us:
        findings.append(Finding(code="value.about_us", severity="problem",
                                message=f'"{q}" is about us ("{about_us.group(0)}"), not about what the customer gets for their time.',
                                tip=_RESCHEDULE))
        return done(False)
    findings.append(Finding(code="value.vague", severity="problem",
                            message=f'"{q}" does not say what the customer takes away from this call, in their terms.',
                            tip=_RESCHEDULE))
    return done(False)
