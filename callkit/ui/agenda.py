"""The agenda for the customer: plain text to paste into an email and an .ics invitation with the agenda in it.

Seed 000: agreeing an agenda with the customer before the meeting lets both sides prepare.

Everything here is written TO the customer: attendees show their job titles, never our internal labels
("economic buyer", "champion"); the plan's customer value becomes "What you will get from this call: ..."
when its words can be turned to the customer reliably. The word lists are callkit/data/agenda.yaml.
"""

from __future__ import annotations

import base64
import calendar
import html
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any, Iterable, Sequence
from zoneinfo import ZoneInfo

import ipywidgets as widgets

from ..datafiles import packaged_text, parse_yaml
from ..exceptions import DataFileError, InvalidInputError
from ..models import Attendee, CallPlan, Deal, Rep
from ..settings import machine_time_zone, time_zone_name
from ..text import long_date
from .events import guarded
from .fields import classed
from .markup import esc, status_html

DURATIONS = (30, 45, 60, 90)
WORDS_FILE = "agenda.yaml"
WORDS_SOURCE = "callkit/data/agenda.yaml"
VALUE_LEAD = "What you will get from this call: "
ZONE_HINT = ("The workspace's time zone: a coach sets it in settings.yaml in the workspace folder "
             "(time_zone: Europe/Berlin).")
NO_VALUE_NOTE = "The plan does not say yet what's in it for the customer: once it does, the email tells them."
UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu",
                       "GMT", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "GMT0", "GMT+0", "GMT-0",
                       "Etc/Greenwich", "Greenwich"})


# -- the word lists (callkit/data/agenda.yaml) ------------------------------------------------------------

def _norm(text: str) -> str:
    """Lowercase, hyphens and underscores as spaces, curly apostrophes straight, no ?!. at the ends."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    text = re.sub(r"[-_\u2013\u2014]+", " ", text)
    return " ".join(text.split()).strip(" ?!.:*")


@dataclass(frozen=True)
class ValueWords:
    """The words that turn 'what's in it for the customer' into words to the customer (section customer_value)."""

    labels: tuple[str, ...]
    subjects: tuple[tuple[str, ...], ...]
    people: frozenset[str]
    get_verbs: tuple[tuple[str, ...], ...]
    give_verbs: tuple[tuple[str, ...], ...]
    their_verbs: tuple[tuple[str, ...], ...]
    our_verbs: tuple[tuple[str, ...], ...]
    fillers: frozenset[str]
    modals: frozenset[str]
    pronouns: dict[str, str]
    personal_pronouns: dict[str, str]
    object_followers: frozenset[str]
    plural_words: frozenset[str]
    relative_words: frozenset[str]
    leave_out_when: frozenset[str]
    never_in_email: tuple[str, ...]


@dataclass(frozen=True)
class AgendaWords:
    """Everything callkit/data/agenda.yaml says, ready to use."""

    internal_roles: frozenset[str]
    role_qualifiers: frozenset[str]
    value: ValueWords


def _word_list(data: dict, key: str, source: str, section: str = "") -> list[str]:
    where = f"{section}.{key}" if section else key
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, (str, int, float)) for v in value):
        raise DataFileError(source, f"'{where}' must be a list of words, like [champion, economic buyer].")
    return [_norm(str(v)) for v in value if _norm(str(v))]


def _code_list(data: dict, key: str, source: str, section: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(source, f"'{section}.{key}' must be a list of finding codes, like [value.empty].")
    return [v.strip() for v in value if v.strip()]


def _word_map(data: dict, key: str, source: str, section: str) -> dict[str, str]:
    value = data.get(key)
    if not isinstance(value, dict) or not value or not all(isinstance(v, str) for v in value.values()):
        raise DataFileError(source, f"'{section}.{key}' must map words to words, like 'their: your'.")
    return {str(k).replace("\u2019", "'").lower(): v for k, v in value.items()}


def _phrases(words: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(w.split()) for w in words}, key=len, reverse=True))


def agenda_words_from_text(text: str, source: str = WORDS_SOURCE) -> AgendaWords:
    """Read agenda word lists from YAML text; DataFileError naming `source` when a list is missing or malformed."""
    data = parse_yaml(text, source, DataFileError)
    if not isinstance(data, dict):
        raise DataFileError(source, "the file must be a mapping with 'internal_roles' and 'customer_value'.")
    value = data.get("customer_value")
    if not isinstance(value, dict):
        raise DataFileError(source, "'customer_value' must be a section of word lists (see callkit/data/agenda.yaml).")
    s = "customer_value"
    words = ValueWords(
        labels=tuple(sorted(_word_list(value, "labels", source, s), key=len, reverse=True)),
        subjects=_phrases(_word_list(value, "subjects", source, s)),
        people=frozenset(_word_list(value, "people", source, s)),
        get_verbs=_phrases(_word_list(value, "get_verbs", source, s)),
        give_verbs=_phrases(_word_list(value, "give_verbs", source, s)),
        their_verbs=_phrases(_word_list(value, "their_verbs", source, s)),
        our_verbs=_phrases(_word_list(value, "our_verbs", source, s)),
        fillers=frozenset(_word_list(value, "fillers", source, s)),
        modals=frozenset(_word_list(value, "modals", source, s)),
        pronouns=_word_map(value, "pronouns", source, s),
        personal_pronouns=_word_map(value, "personal_pronouns", source, s),
        object_followers=frozenset(_word_list(value, "object_followers", source, s)),
        plural_words=frozenset(_word_list(value, "plural_words", source, s)),
        relative_words=frozenset(_word_list(value, "relative_words", source, s)),
        leave_out_when=frozenset(_code_list(value, "leave_out_when", source, s)),
        never_in_email=tuple(_word_list(value, "never_in_email", source, s)),
    )
    return AgendaWords(
        internal_roles=frozenset(_word_list(data, "internal_roles", source)),
        role_qualifiers=frozenset(_word_list(data, "role_qualifiers", source)),
        value=words,
    )


@lru_cache(maxsize=1)
def agenda_words() -> AgendaWords:
    """The word lists shipped with callkit (callkit/data/agenda.yaml), read once."""
    return agenda_words_from_text(packaged_text(WORDS_FILE), WORDS_SOURCE)


# -- job titles, never our labels --------------------------------------------------------------------------

_ROLE_SPLIT = re.compile(r"(\s*[,;/|+&()\[\]]\s*|\s+[-\u2013\u2014]\s+|\s+and\s+)", re.IGNORECASE)


def _is_internal(part: str, words: AgendaWords) -> bool:
    tokens = _norm(part).split()
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


# -- what's in it for the customer, said to them ----------------------------------------------------------

@dataclass(frozen=True)
class ValueLine:
    """The email's line about what the customer gets from the call, or why it is left out (`note`, for the rep)."""

    line: str | None
    note: str = ""


_TOKEN = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['\u2019][A-Za-z]+)*|\s+|[^A-Za-z0-9\u00C0-\u024F\s]")
_SENTENCE_END = frozenset(".!?")
_NOT_WORD = re.compile(r"[^A-Za-z0-9\u00C0-\u024F\s'-]+")
_QUOTE = 70


def _is_word(piece: str) -> bool:
    return piece[:1].isalnum()


def _key(piece: str) -> str:
    return piece.replace("\u2019", "'").lower()


def _english():
    from ..scoring import english

    return english


def _is_plural(word: str, words: ValueWords) -> bool:
    """Could this word be a plural noun ('peers', 'plants', 'rollouts')? Unknown words ending in -s count."""
    w = _key(word)
    if w in words.plural_words:
        return True
    if any(ch.isdigit() for ch in w) or len(w) < 3 or "'" in w:
        return False
    pos = _english().parts_of_speech(w)
    if not pos:
        return w.endswith("s") and not w.endswith("ss")
    if "NOUN" not in pos:
        return False
    import lemminflect

    lemmas = lemminflect.getAllLemmas(w, upos="NOUN").get("NOUN", ())
    return bool(lemmas) and w not in lemmas


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE else text[:_QUOTE].rsplit(" ", 1)[0] + "..."


def _verb_at(keys: list[str], i: int, phrases: Sequence[tuple[str, ...]]) -> int:
    """How many words of a verb phrase from `phrases` start at keys[i] (any form of the first word), else 0."""
    if i >= len(keys):
        return 0
    english = _english()
    base = english.verb_base(keys[i]) or keys[i]
    for phrase in phrases:
        if phrase[0] not in (keys[i], base):
            continue
        if tuple(keys[i + 1:i + len(phrase)]) == phrase[1:]:
            return len(phrase)
    return 0


def _base_form(word: str) -> str:
    w = _key(word)
    special = {"is": "are", "was": "were", "has": "have", "does": "do", "'s": "are"}
    if w in special:
        return special[w]
    english = _english()
    kinds = english.verb_kinds(w)
    if "third" in kinds and "base" not in kinds:
        return english.verb_base(w) or word
    return word


def _subject_names(plan: CallPlan, deal: Deal | None, words: AgendaWords) -> tuple[set[tuple[str, ...]], set[str]]:
    """Word sequences that name the customer (people, titles, company), and the people words of their titles."""
    names: set[tuple[str, ...]] = set()
    people: set[str] = set()
    for person in plan.attendees:
        if person.side != "client":
            continue
        tokens = _norm(person.name).split()
        if tokens:
            names.add(tuple(tokens))
            names.add((tokens[0],))
        title = _norm(job_title(person.role, words))
        if title:
            names.add(tuple(title.split()))
            people.add(title.split()[-1])
    if deal is not None and deal.account.strip():
        tokens = _norm(deal.account).split()
        names.add(tuple(tokens))
        if len(tokens[0]) > 2 and not _english().is_english(tokens[0]):
            names.add((tokens[0],))
    return names, people


def _lower_first(text: str, names: set[tuple[str, ...]]) -> str:
    match = re.match(r"([A-Za-z\u00C0-\u024F]+)\s*(\w*)", text)
    if not match:
        return text
    word, nxt = match.group(1), match.group(2).lower()
    if word.isupper() and len(word) > 1 or (word.lower(),) in names:
        return text
    if "third" in _english().verb_kinds(nxt):
        return text  # "Grace gets ...": a name
    if word[0].isupper() and (word.lower() in ("a", "an", "the") or _english().is_english(word.lower())):
        return word[0].lower() + text[1:]
    return text


def customer_value_line(plan: CallPlan, deal: Deal | None = None, words: AgendaWords | None = None) -> ValueLine:
    """The plan's customer value as a line to the customer, or None with a note for the rep when it cannot be turned.

    "They see their downtime cost against 40 peer plants" -> "What you will get from this call: you see your
    downtime cost against 40 peer plants." A "their" that may mean someone else ("Tom sees what two peers
    paid in their first year") is never guessed: the line is left out and the note says why.
    """
    from ..scoring.value import assess_customer_value

    words = words or agenda_words()
    text = " ".join((plan.customer_value or "").split())
    if not text:
        return ValueLine(None, NO_VALUE_NOTE)
    plain = " " + _norm(_NOT_WORD.sub(" ", text)) + " "
    ours = next((w for w in words.value.never_in_email if f" {w} " in plain), None)
    if ours:
        return ValueLine(None, f"The email leaves out what's in it for the customer: '{_quote(text)}' reads as "
                               f"our own aim ('{ours}'), not as something they get from the call.")
    codes = {f.code for f in assess_customer_value(text).findings}
    if codes & words.value.leave_out_when:
        return ValueLine(None, f"The email leaves out what's in it for the customer: the plan's scorecard says "
                               f"'{_quote(text)}' is not in their terms yet, and once it is, it goes into the email.")
    names, title_people = _subject_names(plan, deal, words)
    turned = _turn_to_customer(text, words.value, names, words.value.people | title_people)
    if isinstance(turned, ValueLine):
        return turned
    return ValueLine(VALUE_LEAD + turned)


def _turn_to_customer(text: str, words: ValueWords, names: set[tuple[str, ...]],
                      people: frozenset[str] | set[str]) -> str | ValueLine:
    original = text
    lowered = _norm(text)
    for label in words.labels:  # "WIIFT: a benchmark" -> "a benchmark"
        if lowered.startswith(label):
            match = re.match(r"^\s*" + r"[\s\-]+".join(map(re.escape, label.split())) + r"\s*[:=\-\u2013\u2014>]+\s*",
                             text, re.IGNORECASE)
            if match:
                text = text[match.end():]
                break
    pieces = _TOKEN.findall(text)
    word_at = [i for i, p in enumerate(pieces) if _is_word(p)]
    keys = [_key(pieces[i]) for i in word_at]
    if not keys:
        return ValueLine(None)

    prefix = ""
    start_word = 0  # the first word (index into keys) of what follows the prefix
    subject = ""  # "plural", "person" or "" (no subject)
    subject_len = _subject_at(keys, words, names, people)
    if subject_len:
        first = keys[0]
        subject = "person" if (first in ("he", "she") or any(keys[:subject_len] == list(n) for n in names)
                               or keys[subject_len - 1] in people and not _is_plural(keys[subject_len - 1], words)) \
            else "plural"
        j = subject_len
        contracted = first.endswith(("'ll", "'re", "'d", "'ve")) and subject_len == 1
        modal = ""
        if contracted:
            modal = {"'ll": "will", "'re": "are", "'d": "would", "'ve": "have"}[first[first.index("'"):]]
        while j < len(keys) and keys[j] in words.fillers:
            j += 1
        if not modal and j < len(keys) and (keys[j] in words.modals or keys[j] in ("are", "is")):
            modal = keys[j]
            j += 1
            while j < len(keys) and keys[j] in words.fillers:
                j += 1
        verb_words = _verb_at(keys, j, words.get_verbs)
        if verb_words and (j + verb_words >= len(keys) or keys[j + verb_words] != "to"):
            start_word = j + verb_words  # "They get X", "Priya will leave with X" -> "X"
        elif j < len(keys) and _english().verb_base(keys[j]):  # "They see X" -> "you see X"
            verb = keys[j] if modal or subject != "person" else _key(_base_form(keys[j]))  # "Priya sees" -> "see"
            if contracted:
                head = "you" + first[first.index("'"):]  # "they'll" -> "you'll"
            else:
                head = "you" + (" " + {"is": "are"}.get(modal, modal) if modal else "")
            fillers = [keys[k] for k in range(subject_len, j) if keys[k] in words.fillers]
            prefix = " ".join([head, *fillers, verb]) + " "
            start_word = j + 1
        else:
            subject = ""
            subject_len = 0
    if not subject_len:  # someone the plan does not name: "Grace gets X" -> "X" (only for what they get)
        for length in (1, 2):
            capitals = all(pieces[word_at[k]][:1].isupper() for k in range(min(length, len(keys))))
            if capitals and length < len(keys) and "third" in _english().verb_kinds(keys[length]):
                got = _verb_at(keys, length, words.get_verbs)
                if got and (length + got >= len(keys) or keys[length + got] != "to"):
                    start_word = length + got
                    subject_len = length
                break
    if not subject_len:
        lead = _leading_verb(keys, words)
        if lead is not None:
            kind, length = lead
            start_word = length
            if kind == "give" and length < len(keys) and keys[length] in ("them", "him", "her"):
                start_word = length + 1  # "Give them a benchmark" -> "a benchmark"
            elif kind == "their":
                prefix = "you " + " ".join(_key(_base_form(pieces[word_at[k]])) if k == 0 else keys[k]
                                           for k in range(length)) + " "
            elif kind in ("our", "give"):
                verb = " ".join(_key(_base_form(pieces[word_at[k]])) if k == 0 else keys[k] for k in range(length))
                if length < len(keys) and keys[length] in ("them", "him", "her"):
                    prefix, start_word = f"we {verb} you ", length + 1
                else:
                    prefix = f"we {verb} "
    if start_word >= len(keys):
        return ValueLine(None)
    rest = _rewrite_pronouns(pieces, word_at, keys, start_word, words, subject, people, names, original)
    if isinstance(rest, ValueLine):
        return rest
    rest = rest.strip()
    if not prefix:
        rest = rest.lstrip(" :;,-\u2013\u2014")
    body = (prefix.rstrip() + rest if rest[:1] in ",;:" else prefix + rest).strip()
    if not body:
        return ValueLine(None)
    body = _lower_first(body, names)
    if body[-1] not in _SENTENCE_END:
        body += "."
    return body


def _subject_at(keys: list[str], words: ValueWords, names: set[tuple[str, ...]],
                people: frozenset[str] | set[str]) -> int:
    """How many words at the start name the customer as the subject ('They', 'The maintenance team', 'Priya')."""
    first = keys[0]
    if first.endswith(("'ll", "'re", "'d", "'ve")) and first.split("'")[0] in ("they", "he", "she"):
        return 1
    candidates = sorted({*words.subjects, *names}, key=len, reverse=True)
    for left in names:  # "Priya and Tom get ..."
        if tuple(keys[:len(left)]) == left and len(keys) > len(left) and keys[len(left)] == "and":
            for right in candidates:
                end = len(left) + 1 + len(right)
                if tuple(keys[len(left) + 1:end]) == right and _verb_follows(keys, end, words):
                    return end
    for phrase in candidates:
        if tuple(keys[:len(phrase)]) == phrase and _verb_follows(keys, len(phrase), words):
            return len(phrase)
        if len(phrase) >= 1 and keys[0] in ("the", "their") and tuple(keys[1:1 + len(phrase)]) == phrase \
                and phrase not in words.subjects and _verb_follows(keys, 1 + len(phrase), words):
            return 1 + len(phrase)  # "the CFO", "their Head of Operations"
    if first in ("the", "their") or (first.endswith("'s") and (first[:-2],) in names):
        for end in range(min(len(keys) - 1, 4), 1, -1):  # the longest: "their ops team gets", not "their ops"
            if keys[end - 1] in people and _verb_follows(keys, end, words):
                return end  # "the maintenance team", "their IT director", "Priya's team"
    return 0


def _verb_follows(keys: list[str], j: int, words: ValueWords) -> bool:
    while j < len(keys) and keys[j] in words.fillers:
        j += 1
    if j < len(keys) and (keys[j] in words.modals or keys[j] in ("are", "is")):
        j += 1
        while j < len(keys) and keys[j] in words.fillers:
            j += 1
    return j < len(keys) and bool(_english().verb_kinds(keys[j]))


_STARTERS = frozenset({"them", "him", "her", "us", "their", "your", "our", "my", "a", "an", "the", "this", "that",
                       "these", "those", "some", "any", "every", "each", "all", "both", "how", "what", "why", "where",
                       "when", "which", "whether", "who", "if", "exactly", "clearly", "first", "more", "up", "out"})


def _leading_verb(keys: list[str], words: ValueWords) -> tuple[str, int] | None:
    """A sentence that starts with a verb ('See how peers ...', 'Show them ...'): its kind and length, else None."""
    english = _english()
    listed = any(p[0] == keys[0] for p in (*words.get_verbs, *words.give_verbs, *words.their_verbs, *words.our_verbs))
    if not (english.verb_kinds(keys[0]) & {"base", "third"} or listed):
        return None
    is_noun = "NOUN" in english.parts_of_speech(keys[0]) or "ADJ" in english.parts_of_speech(keys[0])
    for kind, phrases in (("get", words.get_verbs), ("give", words.give_verbs), ("their", words.their_verbs),
                          ("our", words.our_verbs)):
        length = _verb_at(keys, 0, phrases)
        if not length:
            continue
        nxt = keys[length] if length < len(keys) else ""
        if is_noun and length == 1 and nxt not in _STARTERS:
            return None  # "Benchmark of their downtime", "Plan for the rollout": a noun
        if kind == "get" and nxt == "to":
            return ("their", length)
        return (kind, length)
    return None


def _rewrite_pronouns(pieces: list[str], word_at: list[int], keys: list[str], start: int, words: ValueWords,
                      subject: str, people: frozenset[str] | set[str], names: set[tuple[str, ...]],
                      original: str) -> str | ValueLine:
    """The text from word `start` on, with 'their' -> 'your' and so on; a ValueLine note when one is ambiguous."""
    plurals: list[tuple[int, str]] = []  # (word index, word) of plural words seen so far
    others: list[str] = []  # other people or firms named: "their" may mean them
    persons: list[str] = []  # anyone named besides the subject: "he" or "her" may mean them
    out = list(pieces)
    k = start
    quote = _quote(original)
    while k < len(keys):
        key = keys[k]
        two = f"{key} {keys[k + 1]}" if k + 1 < len(keys) else ""
        if two in words.pronouns and key == "the":  # "the client's", "the customer"
            out[word_at[k]] = _cased(words.pronouns[two], pieces[word_at[k]])
            for m in range(word_at[k] + 1, word_at[k + 1] + 1):
                out[m] = ""
            k += 2
            continue
        if key in words.pronouns:
            blocked = [w for at, w in plurals if key == "they" or key.startswith("they'") or at < k - 1]
            blocked += others
            if blocked:
                return ValueLine(None, _ambiguous_note(pieces[word_at[k]], blocked[-1], quote))
            out[word_at[k]] = _cased(words.pronouns[key], pieces[word_at[k]])
        elif key in words.personal_pronouns or key == "her":
            if subject != "person" or persons:
                return ValueLine(None, _who_note(pieces[word_at[k]], quote))
            if key == "her":
                nxt = keys[k + 1] if k + 1 < len(keys) else ""
                follows_punct = k + 1 < len(keys) and any(p.strip() and not _is_word(p)
                                                          for p in pieces[word_at[k] + 1:word_at[k + 1]])
                mapped = "you" if not nxt or nxt in words.object_followers or follows_punct else "your"
            else:
                mapped = words.personal_pronouns[key]
            out[word_at[k]] = _cased(mapped, pieces[word_at[k]])
            if key in ("he", "she") and k + 1 < len(keys):  # "she needs" -> "you need"
                out[word_at[k + 1]] = _base_form(pieces[word_at[k + 1]])
        else:
            previous = keys[k - 1] if k > 0 else ""
            if previous not in words.relative_words and _is_plural(key, words):
                plurals.append((k, pieces[word_at[k]]))
            piece = pieces[word_at[k]]
            named = k > start and piece[:1].isupper() and not any(c.isdigit() for c in piece)
            if named and not _english().is_english(key) and not any(key in n for n in names):
                others.append(piece)  # another firm or person: "how Acme Foods cut their overtime"
            if named or (k > start and key in people):
                persons.append(piece)  # someone else: "what Tom thinks of her plan", "the CFO's view of his"
        k += 1
    return "".join(out[word_at[start - 1] + 1 if start else 0:])  # with what stood between: "sees, in their"


def _cased(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _ambiguous_note(pronoun: str, other: str, quote: str) -> str:
    return (f"The email leaves out what's in it for the customer: in '{quote}' callkit cannot tell whether "
            f"'{pronoun}' means the customer or '{other}', so add it to the email in your own words.")


def _who_note(pronoun: str, quote: str) -> str:
    return (f"The email leaves out what's in it for the customer: in '{quote}' callkit cannot tell who "
            f"'{pronoun}' is, so add it to the email in your own words.")


# -- time zones -------------------------------------------------------------------------------------------

def zone_of(name: str | None) -> tzinfo:
    """The time zone for an IANA name (the machine's when None); UTC names give UTC itself."""
    name = name or machine_time_zone()
    if name in UTC_NAMES:
        return timezone.utc
    return ZoneInfo(name)


def zone_label(name: str | None, day: date | None = None) -> str:
    """'Berlin time', 'New York time', 'UTC': how the email names the time zone."""
    name = name or machine_time_zone()
    if name in UTC_NAMES:
        return "UTC"
    if name.startswith("Etc/") or "/" not in name:
        moment = datetime.combine(day or date.today(), time(12), tzinfo=ZoneInfo(name))
        offset = moment.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        hours, rest = divmod(abs(minutes), 60)
        return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
    return name.rsplit("/", 1)[-1].replace("_", " ") + " time"


def _transitions(zone: tzinfo, year: int) -> list[tuple[datetime, timedelta, timedelta]]:
    """The moments (UTC) in `year` when the zone's offset changes: (moment, offset before, offset after)."""
    out: list[tuple[datetime, timedelta, timedelta]] = []
    day = datetime(year, 1, 1, tzinfo=timezone.utc)
    end = datetime(year + 1, 1, 1, tzinfo=timezone.utc)
    before = day.astimezone(zone).utcoffset()
    while day < end:
        nxt = day + timedelta(days=1)
        after = nxt.astimezone(zone).utcoffset()
        if after != before:
            lo, hi = 0, 24 * 60  # minutes after `day`: lo has the old offset, hi the new one
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if (day + timedelta(minutes=mid)).astimezone(zone).utcoffset() == before:
                    lo = mid
                else:
                    hi = mid
            out.append((day + timedelta(minutes=hi), before, after))
        day, before = nxt, after
    return out


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def vtimezone(name: str, year: int):
    """A VTIMEZONE for the IANA zone `name`, right for `year`: Outlook, Google and Apple calendars all read it.

    Zones with one move to summer time and one back that year get the yearly-rule form calendar programs
    write themselves (STANDARD and DAYLIGHT, each with an RRULE); other zones get icalendar's exact form.
    """
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = ZoneInfo(name)
    changes = _transitions(zone, year)
    kinds = [bool((moment.astimezone(zone).dst() or timedelta(0))) for moment, _b, _a in changes]
    if changes and not (len(changes) == 2 and sorted(kinds) == [False, True]):
        return Timezone.from_tzinfo(zone, name, first_date=date(year, 1, 1), last_date=date(year + 1, 1, 1))
    tz = Timezone()
    tz.add("tzid", name)
    if not changes:
        moment = datetime(year, 1, 1, 12, tzinfo=timezone.utc).astimezone(zone)
        part = TimezoneStandard()
        part.add("dtstart", datetime(1970, 1, 1))
        part.add("tzoffsetfrom", moment.utcoffset())
        part.add("tzoffsetto", moment.utcoffset())
        part.add("tzname", moment.tzname() or name)
        tz.add_component(part)
        return tz
    days = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    for (moment, before, after), summer in zip(changes, kinds):
        local = (moment + before).replace(tzinfo=None)  # the onset in the time before the change (RFC 5545)
        length = calendar.monthrange(local.year, local.month)[1]
        n = -1 if local.day + 7 > length else (local.day - 1) // 7 + 1
        first = _nth_weekday(1970, local.month, local.weekday(), n)
        part = TimezoneDaylight() if summer else TimezoneStandard()
        part.add("dtstart", datetime.combine(first, local.time()))
        part.add("rrule", {"freq": "yearly", "bymonth": local.month, "byday": f"{n}{days[local.weekday()]}"})
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("tzname", moment.astimezone(zone).tzname() or name)
        tz.add_component(part)
    return tz


# -- the email --------------------------------------------------------------------------------------------

def _first_names(plan: CallPlan) -> str:
    names = [a.name.split()[0] for a in plan.attendees if a.side == "client" and a.name.strip()]
    return _and(names)


def _and(items: Sequence[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _when(plan: CallPlan, start: time | None, minutes: int | None, time_zone: str | None) -> str:
    when = long_date(plan.call_date)
    if start is None:
        return when
    begin = start.strftime("%H:%M")
    label = zone_label(time_zone, plan.call_date)
    if minutes:
        end = (datetime.combine(plan.call_date, start) + timedelta(minutes=minutes)).strftime("%H:%M")
        return f"{when}, {begin} to {end} ({label})"
    return f"{when} at {begin} ({label})"


def agenda_body(plan: CallPlan, rep: Rep | None, *, deal: Deal | None = None, start: time | None = None,
                minutes: int | None = None, time_zone: str | None = None, where: str = "") -> str:
    """The message to the customer: greeting, numbered agenda, what's in it for them, where, who joins, sign-off.

    With `start` the first sentence gives the time too (in `time_zone`, the machine's by default).
    """
    words = agenda_words()
    greeting = f"Hello {_first_names(plan)}," if _first_names(plan) else "Hello,"
    items = [f"{i}. {one_line(item)}" for i, item in enumerate(plan.agenda, start=1)] or ["1. (agenda to be agreed)"]
    lines = [
        greeting,
        "",
        "To make the best use of your time, here is what I suggest we cover in our call on "
        f"{_when(plan, start, minutes, time_zone)}:",
        "",
        *items,
    ]
    value = customer_value_line(plan, deal, words)
    if value.line:
        lines += ["", value.line]
    details: list[str] = []
    if where.strip():
        details.append("Where: " + " ".join(where.split()))
    theirs = [attendee_label(a, words) for a in plan.attendees if a.side == "client" and a.name.strip()]
    ours = [attendee_label(a, words) for a in plan.attendees if a.side == "us" and a.name.strip()]
    if theirs:
        details.append("Joining from your side: " + ", ".join(theirs))
    if ours:
        details.append("Joining from our side: " + ", ".join(ours))
    if details:
        lines += ["", *details]
    lines += [
        "",
        "Is there anything you would like to add or change? Let me know before the call, so we are both prepared.",
        "",
        "Best regards,",
        one_line(rep.name) if rep else "",
    ]
    return "\n".join(lines).rstrip() + "\n"


def agenda_subject(plan: CallPlan) -> str:
    """The email subject line."""
    return f"Agenda for our call on {long_date(plan.call_date)}"


def agenda_text(plan: CallPlan, rep: Rep | None, **details: Any) -> str:
    """Subject line and message, ready to paste into an email (`details` as for agenda_body)."""
    return f"Subject: {agenda_subject(plan)}\n\n{agenda_body(plan, rep, **details)}"


def parse_start(text: str) -> time:
    """'10:00', '9:30' or '14h15' as a time; InvalidInputError with one sentence otherwise."""
    match = re.fullmatch(r"\s*(\d{1,2})[:.h](\d{2})\s*", text or "")
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise InvalidInputError({"start": "The start time must look like 10:00."}, what="invitation")


# -- the invitation ---------------------------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)


def meeting_link(where: str) -> str | None:
    """The first web address in the 'Where' text ('Teams: https://...' -> 'https://...'), else None."""
    match = _URL.search(where or "")
    if not match:
        return None
    url = match.group(0).rstrip(".,;:!?)]}'\"")
    return url if url.lower().startswith("http") else "https://" + url


def _organizer(plan: CallPlan, rep: Rep | None) -> tuple[str, str] | None:
    """(name, address) of the rep who sends the invitation, or None when no usable address is known."""
    if rep is None:
        return None
    own = usable_address(rep.email)
    if own:
        return one_line(rep.name), own
    for person in plan.attendees:  # the rep may be in the plan with an address though the CRM has none
        address = usable_address(person.email)
        if person.side == "us" and address and _norm(person.name) == _norm(rep.name):
            return one_line(rep.name), address
    return None


def invitees(plan: CallPlan, rep: Rep | None = None) -> list[Attendee]:
    """The attendees the invitation invites: those with an email address (once each; not the organizer)."""
    organizer = _organizer(plan, rep)
    seen = {organizer[1].lower()} if organizer else set()
    out: list[Attendee] = []
    for person in plan.attendees:
        address = usable_address(person.email)
        if address and address.lower() not in seen:
            seen.add(address.lower())
            out.append(person.model_copy(update={"email": address, "name": one_line(person.name)}))
    return out


def agenda_ics(plan: CallPlan, deal: Deal, rep: Rep | None, start: time = time(10, 0), minutes: int = 45,
               stamp: datetime | None = None, *, time_zone: str | None = None, where: str = "") -> bytes:
    """An iCalendar invitation (one VEVENT): the agenda message, attendees, the place and the time in its time zone.

    `time_zone` is an IANA name (the workspace's; the machine's when None): the start carries it and a
    VTIMEZONE describes it, so every calendar program shows the call at the right hour.
    """
    from icalendar import Calendar, Event

    name = time_zone or machine_time_zone()
    zone = zone_of(name)
    cal = Calendar()
    cal.add("prodid", "-//callkit//coaching session//EN")
    cal.add("version", "2.0")
    begin = datetime.combine(plan.call_date, start, tzinfo=zone)
    if zone is not timezone.utc:
        cal.add_component(vtimezone(name, plan.call_date.year))
    event = Event()
    event.add("uid", f"{plan.call_id}@callkit")
    event.add("dtstamp", stamp or datetime.now(timezone.utc))
    event.add("sequence", 0)
    event.add("dtstart", begin)
    event.add("dtend", begin + timedelta(minutes=minutes))
    who = f" - call with {one_line(rep.name)}" if rep else ""
    event.add("summary", one_line(f"{deal.account or deal.name}{who}"))
    event.add("description", agenda_body(plan, rep, deal=deal, start=start, minutes=minutes, time_zone=name,
                                         where=where))
    place = " ".join((where or "").split())
    if place:
        event.add("location", place)
    link = meeting_link(place)
    if link:
        event.add("url", link)
    organizer = _organizer(plan, rep)
    if organizer is not None:
        event.add("organizer", _address(organizer[1], CN=organizer[0]))
    for person in invitees(plan, rep):
        event.add("attendee", _address(person.email, CN=person.name, CUTYPE="INDIVIDUAL", ROLE="REQ-PARTICIPANT",
                                       PARTSTAT="NEEDS-ACTION", RSVP="TRUE"))
    cal.add_component(event)
    return cal.to_ical()


def _address(email: str, **params: str):
    """A calendar address ('mailto:priya@acme.com') with its parameters (CN, ROLE, RSVP, ...)."""
    from icalendar import vCalAddress

    address = vCalAddress(f"mailto:{email}")
    for key, value in params.items():
        address.params[key] = value
    return address


def ics_filename(plan: CallPlan, deal: Deal) -> str:
    """'agenda-acme-corp-2026-11-26.ics' (letters, digits and dashes only)."""
    slug = re.sub(r"[^a-z0-9]+", "-", (deal.account or deal.name).lower()).strip("-") or "call"
    return f"agenda-{slug}-{plan.call_date.isoformat()}.ics"


def download_link_html(data: bytes, filename: str, label: str = "Download the invitation (.ics)") -> str:
    """A link that downloads `data` as a calendar file, with no server round trip (a data: URI)."""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="ck-ics-link" download="{esc(filename)}" href="data:text/calendar;charset=utf-8;base64,{encoded}"'
        f' style="font-weight:600">{esc(label)}</a>'
    )


# The copy button: the browser copies what the email box shows (with the rep's edits), or the text it carries.
_COPY_JS = (
    "var b=this,root=b.closest('.ck-agenda-panel'),box=root&&root.querySelector('.ck-agenda-text textarea'),"
    "text=box?box.value:b.getAttribute('data-text'),note=b.parentNode.querySelector('.ck-copied');"
    "function say(m){if(note){note.textContent=m;clearTimeout(b._ckTimer);"
    "if(m){b._ckTimer=setTimeout(function(){note.textContent='';},8000);}}}"
    "function byHand(){var t=document.createElement('textarea');t.value=text;t.style.position='fixed';"
    "t.style.opacity='0';document.body.appendChild(t);t.select();var ok=false;"
    "try{ok=document.execCommand('copy');}catch(e){}document.body.removeChild(t);"
    "say(ok?'Copied':'Could not copy: select the text and press Ctrl+C.');}"
    "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(text)"
    ".then(function(){say('Copied');},byHand);}else{byHand();}"
)


def copy_button_html(text: str, label: str = "Copy the email") -> str:
    """A button that copies the email (subject and message) to the clipboard in the browser and says 'Copied'."""
    return (
        f'<button type="button" class="ck-copy-email jupyter-button" data-text="{esc(text)}" '
        f'onclick="{html.escape(_COPY_JS, quote=True)}">{esc(label)}</button>'
        ' <span class="ck-copied" role="status" aria-live="polite" style="margin-left:8px;color:#1a7f37;'
        'font-weight:600"></span>'
    )


class AgendaPanel(widgets.VBox):
    """Email text, a copy button and the .ics download for the plan being prepared; `update(plan)` refreshes them.

    `time_zone` is the IANA name the call's time is in (the workspace's setting); the machine's when None.
    """

    def __init__(self, deal: Deal, rep: Rep | None, time_zone: str | None = None):
        self.deal = deal
        self.rep = rep
        try:  # a wrong name fails here, in one sentence, not in the middle of a refresh
            self.time_zone = time_zone_name(time_zone) if time_zone else machine_time_zone()
        except ValueError as exc:
            raise InvalidInputError({"time_zone": f"The {exc}"}, what="invitation") from None
        self.plan: CallPlan | None = None
        wide = {"description_width": "initial"}
        self.start = widgets.Text(value="10:00", description="Starts at", style=wide,
                                  layout=widgets.Layout(width="160px"))
        self.minutes = widgets.Dropdown(options=[(f"{m} minutes", m) for m in DURATIONS], value=45,
                                        description="Length", style=wide, layout=widgets.Layout(width="190px"))
        self.zone_note = classed(widgets.HTML(
            f'<span class="ck-muted" title="{esc(ZONE_HINT)}">Time zone: {esc(self.time_zone)}</span>',
            layout=widgets.Layout(margin="0 0 0 12px")), "ck-agenda-zone")
        self.where = classed(widgets.Text(value="", description="Where / meeting link",
                                          placeholder="Room 4B, or the video call link",
                                          style={"description_width": "initial"},
                                          layout=widgets.Layout(width="640px")), "ck-agenda-where")
        self.text = classed(widgets.Textarea(rows=24, layout=widgets.Layout(width="100%")), "ck-agenda-text")
        self.copy = classed(widgets.HTML(""), "ck-copy")
        self.link = classed(widgets.HTML(""), "ck-ics")
        self.status = classed(widgets.HTML(""), "ck-agenda-status")
        for control in (self.start, self.minutes, self.where):
            control.observe(guarded(lambda _c: self.refresh(), self.report), names="value")
        super().__init__(
            [
                widgets.HTML("<h2>Agenda for the customer</h2><p class='ck-hint'>Send it before the call and ask "
                             "them to add or change what they want: both sides come prepared.</p>"),
                widgets.HBox([self.start, self.minutes, self.zone_note], layout=widgets.Layout(align_items="center")),
                self.where,
                widgets.HTML("<b>Email text</b> (copy it, or change it here first)"), self.text,
                self.copy, self.link, self.status,
            ]
        )
        self.add_class("ck-agenda")
        self.add_class("ck-agenda-panel")  # the copy button finds the email box inside it

    def report(self, message: str) -> None:
        """Show a problem under the link."""
        self.status.value = status_html(message, "error")

    def update(self, plan: CallPlan) -> None:
        """Show the agenda of this plan."""
        self.plan = plan
        self.refresh()

    def notes(self) -> list[str]:
        """What the rep should know about the email and the invitation (shown under the link)."""
        if self.plan is None:
            return []
        out: list[str] = []
        if not self.plan.agenda:
            out.append("The plan has no agenda items yet: add them in the plan.")
        value = customer_value_line(self.plan, self.deal)
        if value.note:
            out.append(value.note)
        missing = [one_line(a.name) for a in self.plan.attendees
                   if a.side == "client" and a.name.strip() and not usable_address(a.email)]
        if missing:
            shown = _and(missing[:3] + ([f"{len(missing) - 3} more"] if len(missing) > 3 else []))
            out.append(f"The invitation has no email address for {shown}: add it in the plan to invite them.")
        if self.rep is not None and (self.rep.email or "").strip() and not usable_address(self.rep.email):
            out.append(f"{one_line(self.rep.name)}'s email address in the workspace is not an address like "
                       "alex@acme.com, so the invitation is sent without an organizer: correct it in reps.csv "
                       "and import again.")
        return out

    def refresh(self) -> None:
        """Rebuild the text, the copy button and the invitation from the plan, start time, length and place."""
        if self.plan is None:
            return
        try:
            start = parse_start(self.start.value)
        except InvalidInputError as exc:
            start = None
            problem = exc.errors["start"]
        else:
            problem = ""
        details = {"deal": self.deal, "start": start, "minutes": int(self.minutes.value) if start else None,
                   "time_zone": self.time_zone, "where": self.where.value}
        self.text.value = agenda_text(self.plan, self.rep, **details)
        self.copy.value = copy_button_html(self.text.value)
        if start is None:
            self.link.value = ""
            self.status.value = status_html(problem, "error")
            return
        ics = agenda_ics(self.plan, self.deal, self.rep, start=start, minutes=int(self.minutes.value),
                         time_zone=self.time_zone, where=self.where.value)
        self.link.value = download_link_html(ics, ics_filename(self.plan, self.deal))
        self.status.value = "".join(status_html(note, "info") for note in self.notes())
