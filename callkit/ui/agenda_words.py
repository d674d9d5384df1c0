"""The word lists the customer's agenda is written with (callkit/data/agenda.yaml): our internal role labels,
which the customer never sees, and the words that turn "what's in it for the customer" into words to them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from ..datafiles import packaged_text, parse_yaml
from ..exceptions import DataFileError

WORDS_FILE = "agenda.yaml"
WORDS_SOURCE = "callkit/data/agenda.yaml"


def plain_words(text: str) -> str:
    """A name or label as it is compared ('Economic-Buyer?' -> 'economic buyer'): lowercase, hyphens and
    underscores as spaces, curly apostrophes straight, no ?!. at the ends."""
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
    return [plain_words(str(v)) for v in value if plain_words(str(v))]


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
