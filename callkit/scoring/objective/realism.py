"""Realistic for where the deal is (seed 004): the stage an objective belongs to, and how far ahead it is.

An objective shows its stage through cue words (a site visit belongs to Validate, a signed order to
Close; see `stage_cues` in lexicon.yaml). It is realistic at most one stage past the deal's stage, and
closing is realistic only in the last steps of the sale.
"""

from __future__ import annotations

import re

from ...process import SalesProcess
from ..lexicon import Lexicon

_TIME_REFERENCE = re.compile(r"(?<!\S)(before|after|ahead of|prior to|until|at) ((?:the|our|their|this|next|a) (?:\S+ ){0,3}?\S+)(?=$| by| on| so| and)")


def _without_time_references(core: str, lex: Lexicon) -> str:
    """'... before the technical deep dive' names when, not what: that meeting's stage does not count."""
    out = core
    for m in list(_TIME_REFERENCE.finditer(core))[::-1]:
        tail = m.group(2)
        if lex.meeting_nouns.search(tail):
            out = out[: m.start()] + out[m.end():]
    return out


def implied_stage(core: str, process: SalesProcess, lex: Lexicon) -> tuple[str | None, str | None]:
    """The furthest stage whose cues appear in the objective, and the words that showed it."""
    core = _without_time_references(core, lex)
    best: tuple[int, str, str] | None = None
    for cues in lex.stage_cues:
        if not process.has_stage(cues.stage):
            continue
        words = cues.match(core)
        if words is None:
            continue
        idx = process.index(cues.stage)
        if best is None or idx > best[0]:
            best = (idx, cues.stage, words)
    return (best[1], best[2]) if best else (None, None)


def is_realistic(process: SalesProcess, stage: str, implied: str) -> bool:
    """At most one stage past the deal's stage; the last stage (closing) only from the last steps."""
    i, k = process.index(stage), process.index(implied)
    if k == len(process.stages) - 1 and not process.is_last_steps(stage):
        return False
    return k <= i + 1
