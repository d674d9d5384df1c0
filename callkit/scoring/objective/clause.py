"""One clause of an objective, as the reader found it: who acts, in which voice, and why it counts.

Seed 004: an Advance is an action with energy by the client, during or right after the call, that
moves the sale toward a decision. reader.py fills a `Clause` for each clause it reads (verbs.py finds
the verb and subject, actions.py judges the client's action); these are the words it uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Actor = Literal["client", "seller", "thing"]
Voice = Literal["active", "imperative", "passive", "embedded", "headline"]
Reason = Literal[
    "client_action",   # the client acts with energy: an advance
    "seller_action",   # what we do
    "persuade",        # our effort to make the client act ("persuade Dave to ...")
    "our_side",        # someone on our side acts or approves ("sign-off from our VP")
    "low_energy",      # the client listens, sees, reads on their own
    "feeling",         # a feeling ("is happy with the demo")
    "opinion",         # an opinion ("agrees our price is fair")
    "solo",            # the client reviews alone and gets back to us
    "no_object",       # the client agrees to nothing ("Maria agrees")
    "no_substance",    # the client acts on nothing that matters ("accepts my LinkedIn invite")
    "negated",         # what the client will not do ("Raj won't sign")
    "unknown_action",  # a client verb callkit does not know
]


@dataclass
class Clause:
    """Who acts in one clause, with which verb, and whether that makes an advance."""

    actor: Actor
    voice: Voice
    verb: str | None  # base form ("sign"), or the headline's noun ("sign off")
    verb_at: int  # token index of the verb (-1 when none)
    who: tuple[int, int] | None  # token span of the client person, when there is one
    advance: bool
    reason: Reason
    end: int
    embedded_at: int = -1  # persuade: where the client's own action starts
    start: int = 0
