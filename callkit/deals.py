"""Deal health, at its old import path: the rules live in `callkit.scoring.deal_health`."""

from .scoring.deal_health import *  # noqa: F401,F403
from .scoring.deal_health import __all__  # noqa: F401
