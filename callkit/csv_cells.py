"""The cell syntaxes of callkit's CSV files: how one spreadsheet cell becomes a value, and back.

Every parser takes the cell's text and returns the value, or raises CellError with one plain sentence;
every formatter is its inverse, so export followed by import gives back the same records.

- dates: ISO, ``2026-03-14``; timestamps (``plan_updated_at``) ISO too, ``2026-03-14T09:30:00``.
- booleans: ``yes``/``no``/``true``/``false``/``1``/``0`` (also ``y``/``n``), any case; blank = no.
- lists (agenda, planned_steps, questions, concerns, completed_steps): items separated by ``;``
  (or by line breaks inside the cell). Inside an item (and inside research, learned, commitments and
  attendees) a ``;`` is written ``\\;``, a backslash ``\\\\`` and a line break that stays in the item
  ``\\`` before it; ``\\`` before any other character is an ordinary backslash (``C:\\temp``).
- labelled parts (research, learned): ``goals: cut downtime; obstacles: no data; industry: food``.
  research labels: goals, obstacles, industry, notes (text without a label goes to notes).
  learned labels: urgency, consequence, attitude, competition, decision_process (or
  ``decision process``), budget. A part without a label continues the part before it.
- commitments and follow_ups: ``Who: what by 2026-03-20`` items separated by ``;``; who and the
  date are optional (``Send the pilot plan``, ``Priya: intro to the CFO``). Text before the first
  ``:`` is who, so a commitment without a who whose text holds a ``:`` is written ``: Agenda: pricing``,
  and a ``:`` inside who is written ``\\:`` (``Acme\\: Priya: intro``). A text that itself ends in
  "by <date>" without being dated is written ``\\by`` there (``Ship the kit \\by 2026-03-20``).
- attendees: ``Name (role)`` items separated by ``;``; people on our side start with ``[us]``; an email
  address, when known, goes last in angle brackets:
  ``Priya Shah (COO) <priya@acme.com>; [us] Tom Reed (solutions engineer)``. A client whose name
  itself starts with ``[`` is written ``[client] [us] Bob``.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Iterable, Mapping

from .models import LEARNED_TOPICS, OUTCOMES, Attendee, Commitment

TRUE_WORDS = frozenset({"yes", "y", "true", "1"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", ""})

RESEARCH_LABELS: tuple[str, ...] = ("goals", "obstacles", "industry", "notes")
LEARNED_LABELS: tuple[str, ...] = LEARNED_TOPICS  # the learned cell's labels are the topics' names

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\.?$")
_BY_DATE = re.compile(r"^(?P<what>.*?)\s+(?P<word>by)\s+(?P<by>\S+)$", re.IGNORECASE | re.DOTALL)
_ATTENDEE = re.compile(
    r"^(?:\[(?P<side>[A-Za-z]+)\]\s*)?(?P<name>.*?)\s*"
    r"(?:\((?P<role>(?:[^()]|\([^()]*\))*)\))?\s*"  # a role may hold one level of brackets: "CFO (EB)"
    r"(?:<(?P<email>[^<>]*)>)?$",
    re.DOTALL,
)
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


class CellError(ValueError):
    """One cell that cannot be read; the message is a plain sentence (the caller adds file, row, column)."""


# -- scalars -------------------------------------------------------------------------------------------

def parse_date(text: str) -> date | None:
    """An ISO date (2026-03-14); blank is None."""
    value = text.strip()
    if not value:
        return None
    day = _iso_date(value)
    if day is None:
        raise CellError(f"{value!r} is not a date: write dates like 2026-03-14.")
    return day


def _iso_date(value: str) -> date | None:
    """The date of an ISO text (2026-03-14), or None when it is not one."""
    if _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return None


def finite_number(value: str, message: str) -> float:
    """The number a cleaned-up cell holds; `message` (one sentence) when it is no number or not a finite one."""
    try:
        number = float(value)
    except ValueError:
        raise CellError(message) from None
    if not math.isfinite(number):
        raise CellError(message)
    return number


def format_date(value: date | None) -> str:
    """The ISO text of a date, blank for None."""
    return value.isoformat() if value else ""


def parse_datetime(text: str) -> datetime | None:
    """An ISO date and time (2026-03-14T09:30:00, or a plain date); blank is None."""
    value = text.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise CellError(f"{value!r} is not a date and time: write it like 2026-03-14T09:30:00.") from None


def format_datetime(value: datetime | None) -> str:
    """The ISO text of a timestamp, blank for None."""
    return value.isoformat() if value else ""


def parse_bool(text: str) -> bool:
    """yes/no/true/false/1/0 (any case); blank is no."""
    value = text.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise CellError(f"{text.strip()!r} is not yes or no: write yes, no, true, false, 1 or 0 (blank means no).")


def format_bool(value: bool) -> str:
    """'yes' or 'no'."""
    return "yes" if value else "no"


def parse_optional_bool(text: str) -> bool | None:
    """yes/no like parse_bool, but blank is None (not known), as in an exercise answer's first_passed."""
    return parse_bool(text) if text.strip() else None


def format_optional_bool(value: bool | None) -> str:
    """'yes', 'no', or blank for None."""
    return "" if value is None else format_bool(value)


def parse_count(text: str) -> int | None:
    """A whole number of 1 or more (an attempt, a try); blank is None."""
    value = text.strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise CellError(f"{value!r} is not a count: write a whole number, 1 or more.")
    return int(value)


def parse_number(text: str) -> float | None:
    """A plain number (12000, 12000.50 or 12,000.50); blank is None."""
    value = text.strip()
    if not value:
        return None
    if _THOUSANDS.match(value):
        value = value.replace(",", "")
    return finite_number(value, f"{text.strip()!r} is not a number: write it like 12000 or 12000.50.")


def format_number(value: float | None) -> str:
    """A number without a needless '.0'; blank for None."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def parse_outcome(text: str) -> str | None:
    """A call outcome (order, advance, continuation, no_sale; 'No sale' works too); blank is None."""
    value = re.sub(r"[\s\-]+", "_", text.strip().lower())
    if not value:
        return None
    if value in OUTCOMES:
        return value
    raise CellError(f"{text.strip()!r} is not an outcome: use one of {', '.join(OUTCOMES)}, or leave it blank.")


# -- lists ---------------------------------------------------------------------------------------------

_ESCAPED = "\\;:\n\r"  # what a backslash escapes (and "\\by" in a commitment)


class _Part:
    """One item of a cell: its text, and which of its characters were escaped (so they are not syntax)."""

    __slots__ = ("text", "escaped", "after")

    def __init__(self, text: str, escaped: frozenset[int], after: str):
        self.text = text
        self.escaped = escaped
        self.after = after  # the separator before it: "" for the first part, ";" or "\n"

    def strip(self) -> "_Part":
        """Without the spaces around it (escaped line breaks at its ends are kept)."""
        start, end = 0, len(self.text)
        while start < end and self.text[start].isspace() and start not in self.escaped:
            start += 1
        while end > start and self.text[end - 1].isspace() and end - 1 not in self.escaped:
            end -= 1
        return _Part(self.text[start:end], frozenset(i - start for i in self.escaped if start <= i < end), self.after)

    def find(self, char: str) -> int:
        """The position of the first `char` that was not escaped, or -1."""
        for i, ch in enumerate(self.text):
            if ch == char and i not in self.escaped:
                return i
        return -1

    def cut(self, start: int, end: int | None = None) -> "_Part":
        end = len(self.text) if end is None else end
        return _Part(self.text[start:end], frozenset(i - start for i in self.escaped if start <= i < end), self.after)


def _split(text: str) -> list[_Part]:
    """A cell's items: split at each ';' and line break that is not escaped with a backslash."""
    parts: list[_Part] = []
    buf: list[str] = []
    escaped: set[int] = set()
    after = ""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and (text[i + 1] in _ESCAPED or text[i + 1: i + 3].lower() == "by"):
            nxt = text[i + 1]
            escaped.add(len(buf))
            buf.append(nxt)
            i += 2
            if nxt == "\r" and text[i: i + 1] == "\n":
                escaped.add(len(buf))
                buf.append("\n")
                i += 1
            continue
        if ch in ";\r\n":
            parts.append(_Part("".join(buf), frozenset(escaped), after))
            buf, escaped = [], set()
            after = ";" if ch == ";" else "\n"
            i += 2 if text[i: i + 2] == "\r\n" else 1
            continue
        buf.append(ch)
        i += 1
    parts.append(_Part("".join(buf), frozenset(escaped), after))
    return parts


def _escape(text: str, extra: str = "") -> str:
    """An item's text as a cell writes it: backslashes, ';' and line breaks (and `extra` characters) escaped."""
    out = text.replace("\\", "\\\\")
    for char in ";\n\r" + extra:
        out = out.replace(char, "\\" + char)
    return out.replace("\\\r\\\n", "\\\r\n")  # an escaped CRLF: one backslash is enough


def _parts(text: str) -> list[str]:
    """Split a cell on unescaped ';' and line breaks; trims, drops blanks, unescapes."""
    if not text or text.isspace():
        return []
    return [part.text for part in (p.strip() for p in _split(text)) if part.text]


def parse_list(text: str) -> list[str]:
    """Items separated by ';' or line breaks."""
    return _parts(text)


def format_list(items: Iterable[str]) -> str:
    """Items joined by '; ' (a ';', a backslash or a line break inside an item is escaped)."""
    return "; ".join(_escape(i) for i in items)


# -- labelled parts: research and learned -----------------------------------------------------------------

def _label_key(label: str) -> str:
    return re.sub(r"[\s\-]+", "_", label.strip().lower())


def parse_labelled(text: str, labels: tuple[str, ...], unlabelled: str | None = None) -> dict[str, str]:
    """'label: text; label: text' into {label: text}; an unlabelled first part goes to `unlabelled`."""
    out: dict[str, str] = {}
    current: str | None = None
    pieces = _split(text) if text and not text.isspace() else []
    for i, piece in enumerate(pieces):
        piece = piece.strip()
        part = piece.text
        if not part:
            continue
        colon = piece.find(":")
        key = _label_key(part[:colon]) if colon >= 0 else ""
        if key in labels:
            current = key
            out[key] = _join(out.get(key, ""), part[colon + 1:].strip(), "; ")
            continue
        if current is None:
            if unlabelled is None:
                raise CellError(
                    f"{part!r} has no label: start each part with one of "
                    + ", ".join(f"'{label}:'" for label in labels) + "."
                )
            current = unlabelled
        joiner = "; " if i == 0 or piece.after == ";" else "\n"
        out[current] = _join(out.get(current, ""), part, joiner)
    return {key: value for key, value in out.items() if value}


def _join(before: str, text: str, joiner: str) -> str:
    return f"{before}{joiner}{text}" if before and text else before or text


def format_labelled(values: Mapping[str, str], labels: tuple[str, ...]) -> str:
    """{label: text} into 'label: text; label: text' (blank parts left out)."""
    return "; ".join(f"{label}: {_escape(values[label])}" for label in labels if values.get(label))


# -- commitments and follow-ups -------------------------------------------------------------------------

def parse_commitments(text: str) -> list[Commitment]:
    """'Who: what by 2026-03-20' items separated by ';' (who and the date are optional)."""
    items: list[Commitment] = []
    for piece in (p.strip() for p in (_split(text) if text and not text.isspace() else [])):
        part = piece.text
        if not part:
            continue
        colon = piece.find(":")
        who, what = (part[:colon], piece.cut(colon + 1)) if colon >= 0 else ("", piece)
        what = what.strip()
        who = who.strip()
        by: date | None = None
        match = _BY_DATE.match(what.text)
        if match and _DATE_LIKE.match(match["by"]) and match.start("word") not in what.escaped:
            by = _commitment_date(match["by"], part)
            what = what.cut(0, match.end("what")).strip()
        if not what.text:
            raise CellError(f"{part!r} says who but not what: write commitments like 'Priya: intro to the CFO by 2026-03-20'.")
        items.append(Commitment(who=who, what=what.text, by=by))
    return items


def _commitment_date(text: str, part: str) -> date:
    day = _iso_date(text.rstrip(".,"))
    if day is None:
        raise CellError(f"the date in {part!r} is not valid: write it like 'by 2026-03-20'.")
    return day


def format_commitments(items: Iterable[Commitment]) -> str:
    """Commitments as 'Who: what by 2026-03-20' items joined by '; '."""
    out: list[str] = []
    for c in items:
        text = _escape(c.what)
        match = _BY_DATE.match(text)
        if c.by is None and match and _DATE_LIKE.match(match["by"]):
            at = match.start("word")
            text = text[:at] + "\\" + text[at:]  # "... \\by 2026-03-20": text, not a date
        if c.by is not None:
            text += f" by {c.by.isoformat()}"
        out.append(f"{_escape(c.who, ':')}: {text}" if c.who or ":" in c.what else text)
    return "; ".join(out)


# -- attendees ------------------------------------------------------------------------------------------

def parse_attendees(text: str) -> list[Attendee]:
    """'Name (role) <email>' items separated by ';' ('[us] ...' for our side); role and email are optional."""
    people: list[Attendee] = []
    for part in _parts(text):
        match = _ATTENDEE.match(part)
        no_name = f"{part!r} has no name: write attendees like 'Priya Shah (COO) <priya@acme.com>'."
        if match is None:
            raise CellError(no_name)
        side = (match["side"] or "client").lower()
        if side not in ("us", "client"):
            raise CellError(f"{part!r} starts with [{match['side']}]: mark our side with [us] (or [client]).")
        name = match["name"].strip()
        if not name:
            raise CellError(no_name)
        email = (match["email"] or "").strip()
        try:
            people.append(Attendee(name=name, role=(match["role"] or "").strip(), side="us" if side == "us" else "client",
                                   email=email or None))
        except ValueError:  # pydantic's ValidationError: the only field left to fail is the email
            raise CellError(
                f"the email address in {part!r} is not valid: write it like 'Priya Shah (COO) <priya@acme.com>'."
            ) from None
    return people


def format_attendees(people: Iterable[Attendee]) -> str:
    """Attendees as 'Name (role) <email>' items joined by '; ', ours marked '[us]' (role and email when known)."""
    out: list[str] = []
    for a in people:
        text = ("[us] " if a.side == "us" else "[client] " if a.name.startswith("[") else "") + _escape(a.name)
        if a.role or a.name.endswith((")", ">")):
            text += f" ({_escape(a.role)})"
        if a.email:
            text += f" <{_escape(a.email)}>"
        out.append(text)
    return "; ".join(out)
