"""The coordinators' observations per sector and quarter: the one written last wins, an empty one withdraws.

Events can arrive late or twice; comparing `written_at` (not arrival) makes the stored text the same whatever the
order. Pure functions; use_cases/signal_observations.py stores them.
"""
from datetime import datetime

from libs.contracts.events import OBSERVATION_MAX_LENGTH

assert OBSERVATION_MAX_LENGTH <= 4000


def supersedes(new_written_at: datetime, stored_written_at: datetime | None) -> bool:
    """True when an observation written at `new_written_at` replaces the stored one (or there is none)."""
    return stored_written_at is None or new_written_at > stored_written_at


def printable(text: str) -> str | None:
    """The text as the report prints it; None for a withdrawn (empty) observation."""
    text = (text or "").strip()
    return text or None
