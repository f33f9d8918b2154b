"""The coordinator's observations for the signal report: what may be written, and which quarters can be chosen.

An observation is published (printed in the signal report that goes to institutions), so it describes patterns,
never a person or a case. The workspace cannot judge meaning, but it refuses what is certainly wrong: something
that looks like an e-mail address, a phone number or a desk case reference. Pure functions.
"""
import re
from datetime import date

from libs.contracts.events import OBSERVATION_MAX_LENGTH, SIGNAL_SECTORS

QUARTERS_TO_CHOOSE = 8  # this quarter and the seven before it
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?:\+|\b0)\d(?:[\s.-]?\d){7,}")
_CASE_REF = re.compile(r"\bVP-[0-9A-Z]{4}-[0-9A-Z]{4}\b", re.IGNORECASE)


class ObservationRefused(ValueError):
    """Why an observation cannot be kept; str() is a key of web/labels.OBSERVATION_REFUSED."""


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def choosable_quarters(today: date) -> list[str]:
    """The quarters a coordinator can write about, newest first."""
    year, number = today.year, (today.month - 1) // 3 + 1
    found = []
    for _ in range(QUARTERS_TO_CHOOSE):
        found.append(f"{year}-Q{number}")
        year, number = (year - 1, 4) if number == 1 else (year, number - 1)
    return found


def checked(sector: str, quarter: str, text: str, today: date) -> tuple[str, str, str]:
    """(sector, quarter, text) ready to store; ObservationRefused otherwise. An empty text withdraws."""
    if sector not in SIGNAL_SECTORS:
        raise ObservationRefused("sector")
    if quarter not in choosable_quarters(today):
        raise ObservationRefused("quarter")
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > OBSERVATION_MAX_LENGTH:
        raise ObservationRefused("too_long")
    if _EMAIL.search(text) or _PHONE.search(text):
        raise ObservationRefused("contact_details")
    if _CASE_REF.search(text):
        raise ObservationRefused("case_reference")
    return sector, quarter, text
