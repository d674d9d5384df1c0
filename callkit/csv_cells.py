"""The cell syntaxes of callkit's CSV files: how one spreadsheet cell becomes a value, and back.

Every parser takes the cell's text and returns the value, or raises CellError with one plain sentence;
every formatter is its inverse, so export followed by import gives back the same records.

- dates: ISO, ``2026-03-14``; timestamps (``plan_updated_at``) ISO too, ``2026-03-14T09:30:00``.
- booleans: ``yes``/``no``/``true``/``false``/``1``/``0`` (also ``y``/``n``), any case; blank = no.
- lists (agenda, planned_steps, questions, concerns, completed_steps): items separated by ``;``
  (or by line breaks inside the cell). A ``;`` inside an item is written ``\\;``.
- labelled parts (research, learned): ``goals: cut downtime; obstacles: no data; industry: food``.
  research labels: goals, obstacles, industry, notes (text without a label goes to notes).
  learned labels: urgency, consequence, attitude, competition, decision_process (or
  ``decision process``), budget. A part without a label continues the part before it.
- commitments and follow_ups: ``Who: what by 2026-03-20`` items separated by ``;``; who and the
  date are optional (``Send the pilot plan``, ``Priya: intro to the CFO``). Text before the first
  ``:`` is who, so a commitment without a who whose text holds a ``:`` is written ``: Agenda: pricing``.
- attendees: ``Name (role)`` items separated by ``;``; people on our side start with ``[us]``; an email
  address, when known, goes last in angle brackets:
  ``Priya Shah (COO) <priya@acme.com>; [us] Tom Reed (solutions engineer)``.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Iterable, Mapping

from .models import OUTCOMES, Attendee, Commitment

TRUE_WORDS = frozenset({"yes", "y", "true", "1"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", ""})

RESEARCH_LABELS: tuple[str, ...] = ("goals", "obstacles", "industry", "notes")
LEARNED_LABELS: tuple[str, ...] = ("urgency", "consequence", "attitude", "competition", "decision_process", "budget")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SPLIT = re.compile(r"(?<!\\);|\r?\n")
_SPLIT_KEEP = re.compile(r"((?<!\\);|\r?\n)")
_DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\.?$")
_BY_DATE = re.compile(r"^(?P<what>.*?)\s+by\s+(?P<by>\S+)$", re.IGNORECASE | re.DOTALL)
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

def parse_text(text: str) -> str:
    """A free-text cell, trimmed."""
    return text.strip()


def parse_date(text: str) -> date | None:
    """An ISO date (2026-03-14); blank is None."""
    value = text.strip()
    if not value:
        return None
    if _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise CellError(f"{value!r} is not a date: write dates like 2026-03-14.")


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


def parse_number(text: str) -> float | None:
    """A plain number (12000, 12000.50 or 12,000.50); blank is None."""
    value = text.strip()
    if not value:
        return None
    if _THOUSANDS.match(value):
        value = value.replace(",", "")
    try:
        number = float(value)
    except ValueError:
        raise CellError(f"{text.strip()!r} is not a number: write it like 12000 or 12000.50.") from None
    if not math.isfinite(number):
        raise CellError(f"{text.strip()!r} is not a number: write it like 12000 or 12000.50.")
    return number


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

def _escape(text: str) -> str:
    return text.replace(";", "\\;")


def _parts(text: str) -> list[str]:
    """Split a cell on unescaped ';' and line breaks; trims, drops blanks, unescapes '\\;'."""
    if not text or text.isspace():
        return []
    return [p.strip().replace("\\;", ";") for p in _SPLIT.split(text) if p.strip()]


def parse_list(text: str) -> list[str]:
    """Items separated by ';' or line breaks."""
    return _parts(text)


def format_list(items: Iterable[str]) -> str:
    """Items joined by '; ' (a ';' inside an item is escaped)."""
    return "; ".join(_escape(i) for i in items)


# -- labelled parts: research and learned -----------------------------------------------------------------

def _label_key(label: str) -> str:
    return re.sub(r"[\s\-]+", "_", label.strip().lower())


def parse_labelled(text: str, labels: tuple[str, ...], unlabelled: str | None = None) -> dict[str, str]:
    """'label: text; label: text' into {label: text}; an unlabelled first part goes to `unlabelled`."""
    out: dict[str, str] = {}
    current: str | None = None
    pieces = _SPLIT_KEEP.split(text) if text and not text.isspace() else []
    for i in range(0, len(pieces), 2):
        part = pieces[i].strip().replace("\\;", ";")
        if not part:
            continue
        head, sep, rest = part.partition(":")
        key = _label_key(head) if sep else ""
        if key in labels:
            current = key
            out[key] = _join(out.get(key, ""), rest.strip(), "; ")
            continue
        if current is None:
            if unlabelled is None:
                raise CellError(
                    f"{part!r} has no label: start each part with one of "
                    + ", ".join(f"'{label}:'" for label in labels) + "."
                )
            current = unlabelled
        joiner = "; " if i == 0 or pieces[i - 1] == ";" else "\n"
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
    for part in _parts(text):
        who, sep, what = part.partition(":")
        if not sep:
            who, what = "", part
        who, what = who.strip(), what.strip()
        by: date | None = None
        match = _BY_DATE.match(what)
        if match and _DATE_LIKE.match(match["by"]):
            by = _commitment_date(match["by"], part)
            what = match["what"].strip()
        if not what:
            raise CellError(f"{part!r} says who but not what: write commitments like 'Priya: intro to the CFO by 2026-03-20'.")
        items.append(Commitment(who=who, what=what, by=by))
    return items


def _commitment_date(text: str, part: str) -> date:
    value = text.rstrip(".,")
    if _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise CellError(f"the date in {part!r} is not valid: write it like 'by 2026-03-20'.")


def format_commitments(items: Iterable[Commitment]) -> str:
    """Commitments as 'Who: what by 2026-03-20' items joined by '; '."""
    out: list[str] = []
    for c in items:
        text = _escape(c.what)
        if c.by is not None:
            text += f" by {c.by.isoformat()}"
        out.append(f"{_escape(c.who)}: {text}" if c.who or ":" in c.what else text)
    return "; ".join(out)


# -- attendees ------------------------------------------------------------------------------------------

def parse_attendees(text: str) -> list[Attendee]:
    """'Name (role) <email>' items separated by ';' ('[us] ...' for our side); role and email are optional."""
    people: list[Attendee] = []
    for part in _parts(text):
        match = _ATTENDEE.match(part)
        side = (match["side"] or "client").lower() if match else "client"
        if side not in ("us", "client"):
            raise CellError(f"{part!r} starts with [{match['side']}]: mark our side with [us] (or [client]).")
        name = match["name"].strip() if match else ""
        if not name:
            raise CellError(f"{part!r} has no name: write attendees like 'Priya Shah (COO) <priya@acme.com>'.")
        email = (match["email"] or "").strip()
        try:
            people.append(Attendee(name=name, role=(match["role"] or "").strip(), side=side, email=email or None))
        except ValueError:  # pydantic's ValidationError: the only field left to fail is the email
            raise CellError(
                f"the email address in {part!r} is not valid: write it like 'Priya Shah (COO) <priya@acme.com>'."
            ) from None
    return people


def format_attendees(people: Iterable[Attendee]) -> str:
    """Attendees as 'Name (role) <email>' items joined by '; ', ours marked '[us]' (role and email when known)."""
    out: list[str] = []
    for a in people:
        text = ("[us] " if a.side == "us" else "") + _escape(a.name)
        if a.role or a.name.endswith((")", ">")):
            text += f" ({_escape(a.role)})"
        if a.email:
            text += f" <{_escape(a.email)}>"
        out.append(text)
    return "; ".join(out)
