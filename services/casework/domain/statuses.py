"""A case's statuses in the desk's work, and how it may move between them.

new → in_progress → waiting_person | waiting_institution → referred → closed (with a closure reason); a case may go
back to in_progress from any open status, and a closed case may be reopened (to in_progress). Waiting is a status
of its own so the queue can show what the desk is waiting for.
"""
NEW, IN_PROGRESS, WAITING_PERSON, WAITING_INSTITUTION, REFERRED, CLOSED = (
    "new", "in_progress", "waiting_person", "waiting_institution", "referred", "closed")
STATUSES = (NEW, IN_PROGRESS, WAITING_PERSON, WAITING_INSTITUTION, REFERRED, CLOSED)
OPEN_STATUSES = (NEW, IN_PROGRESS, WAITING_PERSON, WAITING_INSTITUTION, REFERRED)

CLOSURE_REASONS = (
    "resolved",  # the problem was solved
    "referred_on",  # the person took it on through the regular channel; nothing left for the desk
    "no_contact",  # the person could not be reached
    "withdrawn_by_person",  # asked to stop (not an erasure: that removes the case altogether)
    "outside_remit",  # not something the desk can help with
    "duplicate",  # the same complaint filed twice
)

_ALLOWED = {
    NEW: {IN_PROGRESS, WAITING_PERSON, WAITING_INSTITUTION, REFERRED, CLOSED},
    IN_PROGRESS: {WAITING_PERSON, WAITING_INSTITUTION, REFERRED, CLOSED},
    WAITING_PERSON: {IN_PROGRESS, WAITING_INSTITUTION, REFERRED, CLOSED},
    WAITING_INSTITUTION: {IN_PROGRESS, WAITING_PERSON, REFERRED, CLOSED},
    REFERRED: {IN_PROGRESS, WAITING_PERSON, WAITING_INSTITUTION, CLOSED},
    CLOSED: {IN_PROGRESS},
}


class TransitionRefused(ValueError):
    """This status change is not allowed (the message names the statuses)."""


def check_transition(current: str, new: str, closure_reason: str | None) -> None:
    if new not in STATUSES or new not in _ALLOWED.get(current, ()):
        raise TransitionRefused(f"{current} → {new}")
    if new == CLOSED and closure_reason not in CLOSURE_REASONS:
        raise TransitionRefused("closing needs a closure reason")
    if new != CLOSED and closure_reason is not None:
        raise TransitionRefused("only closing takes a closure reason")
