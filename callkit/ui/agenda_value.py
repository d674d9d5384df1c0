"""What's in it for the customer, said to them: the plan's customer value turned into the email's line
"What you will get from this call: ...", or left out with a note for the rep when it cannot be turned reliably."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..models import CallPlan, Deal
from .agenda_attendees import job_title
from .agenda_words import AgendaWords, ValueWords, agenda_words, plain_words

VALUE_LEAD = "What you will get from this call: "

NO_VALUE_NOTE = "The plan does not say yet what's in it for the customer: once it does, the email tells them."


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
        tokens = plain_words(person.name).split()
        if tokens:
            names.add(tuple(tokens))
            names.add((tokens[0],))
        title = plain_words(job_title(person.role, words))
        if title:
            names.add(tuple(title.split()))
            people.add(title.split()[-1])
    if deal is not None and deal.account.strip():
        tokens = plain_words(deal.account).split()
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
    plain = " " + plain_words(_NOT_WORD.sub(" ", text)) + " "
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
    lowered = plain_words(text)
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
