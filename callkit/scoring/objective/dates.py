"""By when: the date words of an objective ("by fri", "EOW", "before Thursday's meeting", "on the call").

A specific objective can be checked at the end of the call; a date makes the yes/no plain. These
patterns find a date anywhere in the text, tell whether a token starts one, and give back the
rep's own deadline phrase for a suggestion ("by next Wednesday"), or None when there is none.
"""

from __future__ import annotations

import re

from ..reading import PUNCT, Reading

_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri"
_MONTH = (r"january|february|march|april|may|june|july|august|september|october|november|december"
          r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
_ORD = r"\d{1,2}(?:st|nd|rd|th)"
DATE = re.compile(
    r"(?<!\S)(?:"
    rf"(?:next |this |coming )?(?:{_WEEKDAY})(?:'s)?"
    rf"|(?:{_MONTH}) \d{{1,2}}(?:st|nd|rd|th)?(?: \d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTH})"
    rf"|the {_ORD}(?: of (?:{_MONTH}))?"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    r"|\d{4} \d{2} \d{2}"
    r"|(?:the )?end of (?:the |this |next )?(?:day|week|month|quarter|year|q[1-4])"
    r"|close of business"
    r"|(?:next|this|coming) (?:week|month|quarter)"
    r"|today|tomorrow|tonight|this (?:morning|afternoon|evening)"
    r"|eod|eow|eom|eoq|eoy|cob"
    r"|\d{1,2} ?(?:am|pm)"
    r"|noon"
    r"|(?:in|within) (?:\d+|one|two|three|four|a) (?:days?|weeks?|hours?)"
    r"|(?:during|in|on|at the end of|before the end of) (?:the|this) (?:call|meeting|visit|session|workshop)"
    r"|(?:before|by) (?:we|i) (?:hang up|leave)"
    r")(?!\S)",
    re.IGNORECASE,
)
DATE_START = re.compile(
    rf"^(?:(?:{_WEEKDAY}|{_MONTH}|next|this|end|tomorrow|today|tonight|eod|eow|eom|eoq|eoy|cob|noon)(?:'s)?$|\d)",
    re.IGNORECASE)
# "starting May 1" is when the pilot starts, not a deadline for the commitment
_NOT_A_DEADLINE = {"starting", "from", "since", "after", "start", "starts"}
# Deadlines that belong to the call itself: the commitment happens in the room
IN_THE_CALL = ("in ", "within ", "during ", "on the", "on this", "at the end", "before the end", "before we", "by we",
               "by i", "today")


_FULL_NAMES = {"mon": "Monday", "tue": "Tuesday", "tues": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "thur": "Thursday",
               "thurs": "Thursday", "fri": "Friday", "jan": "January", "feb": "February", "mar": "March", "apr": "April",
               "jun": "June", "jul": "July", "aug": "August", "sep": "September", "sept": "September", "oct": "October",
               "nov": "November", "dec": "December", **{d: d.capitalize() for d in (
                   "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
                   "august september october november december").split()}}
_NAME_WORD = re.compile(r"[A-Za-z]+")


def _spelled(core: str) -> str:
    """'fri' -> 'Friday', "tuesday's" -> "Tuesday's": dates in a suggestion read as a coach writes them."""
    def one(m: re.Match) -> str:
        return _FULL_NAMES.get(m.group(0).lower(), m.group(0))
    return _NAME_WORD.sub(one, core)


def date_phrase(reading: Reading) -> str | None:
    """A deadline from the text, ready to reuse: 'by next Wednesday', 'before Thursday's meeting', 'on the call'."""
    found = _date_phrase(reading)
    return _spelled(found) if found else None


def _date_phrase(reading: Reading) -> str | None:
    text = " ".join(t for t in reading.orig if t not in PUNCT)
    for m in DATE.finditer(text):
        before = text[: m.start()].split()
        prev = before[-1].lower() if before else ""
        if prev in _NOT_A_DEADLINE or (prev == "on" and len(before) > 1 and before[-2].lower() in _NOT_A_DEADLINE):
            continue
        core = m.group(0)
        low = core.lower()
        if low.startswith(IN_THE_CALL[:-1]):
            return core
        if low in ("eod", "eow", "eom", "eoq", "eoy", "cob"):
            core = {"eod": "the end of the day", "eow": "the end of the week", "eom": "the end of the month",
                    "eoq": "the end of the quarter", "eoy": "the end of the year", "cob": "close of business"}[low]
        rest = text[m.end():].split()
        tail = " " + rest[0] if rest and low.endswith("'s") else ""  # "Thursday's meeting"
        if prev in ("by", "before", "until"):
            return f"{prev} {core}{tail}"
        if tail:
            return f"before {core}{tail}"
        if re.match(r"(?:next|this|coming) (?:week|month|quarter)$", low):
            return f"by the end of {core}"
        if low in ("today", "tonight", "tomorrow"):
            return core
        return f"by {core}"
    return None


def has_date(reading: Reading) -> bool:
    """True when the text says by when anywhere."""
    return DATE.search(reading.canon) is not None
