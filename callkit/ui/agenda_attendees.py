"""The attendees as the customer reads them: job titles, never our labels ("economic buyer", "champion"), names
and places on one line, and only email addresses a calendar invitation can carry."""

from __future__ import annotations

import re

from ..models import Attendee
from .agenda_words import AgendaWords, agenda_words, plain_words

_ROLE_SPLIT = re.compile(r"(\s*[,;/|+&()\[\]]\s*|\s+[-\u2013\u2014]\s+|\s+and\s+)", re.IGNORECASE)


def _is_internal(part: str, words: AgendaWords) -> bool:
    tokens = plain_words(part).split()
    while len(tokens) > 1 and tokens[0] in words.role_qualifiers:
        tokens = tokens[1:]
    return bool(tokens) and " ".join(tokens) in words.internal_roles


def _balance_brackets(text: str) -> str:
    """Drop a ')' that closes nothing and close a '(' left open ('Director (Finance' -> 'Director (Finance)')."""
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch == ")":
            if depth == 0:
                continue
            depth -= 1
        elif ch == "(":
            depth += 1
        out.append(ch)
    result = "".join(out).rstrip(" ,;/|+&-(")
    return result + ")" * (result.count("(") - result.count(")"))


def job_title(role: str, words: AgendaWords | None = None) -> str:
    """The role as the customer may read it: job titles kept, our labels dropped ('CFO, economic buyer' -> 'CFO')."""
    words = words or agenda_words()
    role = (role or "").strip()
    pieces = _ROLE_SPLIT.split(role)
    parts, seps = pieces[0::2], pieces[1::2]
    if not any(_is_internal(p, words) for p in parts):
        return role
    kept = ""
    for i, part in enumerate(parts):
        if not part.strip() or _is_internal(part, words):
            continue
        kept += (seps[i - 1] if kept and i > 0 else "") + part.strip()
    return _balance_brackets(kept).strip(" ,;/|+&-")


def one_line(text: str | None) -> str:
    """A name, role or place as one line: line breaks, tabs and runs of spaces become one space, so a value typed
    or imported with a line break cannot break the email's lines or add lines to the invitation."""
    return " ".join((text or "").split())


def usable_address(email: str | None) -> str | None:
    """An email address the invitation can carry ('priya@acme.com'), or None when it is not one (blank, a line
    break or a second address inside it, anything that is not an address)."""
    text = (email or "").strip()
    if not text or any(ch in text for ch in "\r\n\t\x0b\x0c") or not text.isprintable():
        return None
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def attendee_label(person: Attendee, words: AgendaWords | None = None) -> str:
    """'Priya Shah (COO)': the name and the job title, or just the name when the role is only our labels."""
    title = one_line(job_title(one_line(person.role), words))
    name = one_line(person.name)
    return f"{name} ({title})" if title else name
