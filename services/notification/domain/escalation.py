"""What to do next when a mediator has not reacted: the SLA as one pure decision function.

The rules (defaults are the "two working days" promised in the request e-mail):
- a mediator has `reaction_hours` business hours to accept or decline;
- once, after `remind_after_hours` business hours without a reaction, they get a reminder;
- no reaction by the deadline, or a decline: the case goes to the next mediator (a reassignment);
- after `max_reassignments` reassignments the case goes to the desk's coordinator instead, so a person who asked
  for mediation is never left waiting on an endless round of mediators who do not answer.

The function never reads a clock and never writes anything: the caller passes `now`, acts on the answer when it
is due, and records what it did. Contract for the caller: a reassignment starts a fresh assignment
(new `assigned_at`, `reminders_sent` back to 0) and carries `reassignments` + 1 over.
"""
from dataclasses import dataclass, field
from datetime import datetime

from services.notification.domain.business_hours import add_business_hours

REMIND, REASSIGN, TO_COORDINATOR = "remind", "reassign", "to_coordinator"
WAITING_STATUSES = ("requested",)
SETTLED_STATUSES = ("accepted", "closed")  # the mediator reacted; nothing left for the SLA to do


@dataclass(frozen=True)
class SlaPolicy:
    reaction_hours: float = 16  # two working days of 9 to 17
    remind_after_hours: float = 8
    send_reminder: bool = True  # one reminder at most: a second one rarely helps and delays the person
    max_reassignments: int = 2
    open_hour: int = 9
    close_hour: int = 17
    holidays: frozenset = field(default_factory=frozenset)

    def __post_init__(self):
        if not 0 < self.remind_after_hours < self.reaction_hours:
            raise ValueError("the reminder must come after the start and before the reaction deadline")
        if self.max_reassignments < 0:
            raise ValueError("max_reassignments must not be negative")

    def after(self, start: datetime, hours: float) -> datetime:
        return add_business_hours(start, hours, self.open_hour, self.close_hour, self.holidays)


@dataclass(frozen=True)
class AssignmentState:
    status: str  # requested, accepted, declined, closed
    assigned_at: datetime
    reminders_sent: int = 0
    reassignments: int = 0


@dataclass(frozen=True)
class Action:
    kind: str  # remind, reassign, to_coordinator
    due_at: datetime

    def is_due(self, now: datetime) -> bool:
        return now >= self.due_at


def _hand_over(assignment: AssignmentState, policy: SlaPolicy, due_at: datetime) -> Action:
    if assignment.reassignments >= policy.max_reassignments:
        return Action(TO_COORDINATOR, due_at)
    return Action(REASSIGN, due_at)


def next_action(assignment: AssignmentState, now: datetime, policy: SlaPolicy = SlaPolicy()) -> Action | None:
    """The next SLA step for this assignment, with when it is due (possibly already); None when none will come.

    A decline is handed over at once (due `now`). Past the reaction deadline, a reminder that was never sent
    is skipped: reminding someone whose time is up only delays the person.
    """
    if assignment.status in SETTLED_STATUSES:
        return None
    if assignment.status == "declined":
        return _hand_over(assignment, policy, now)
    if assignment.status not in WAITING_STATUSES:
        raise ValueError(f"unknown assignment status {assignment.status!r}")
    deadline = policy.after(assignment.assigned_at, policy.reaction_hours)
    if now < deadline and policy.send_reminder and assignment.reminders_sent == 0:
        return Action(REMIND, policy.after(assignment.assigned_at, policy.remind_after_hours))
    return _hand_over(assignment, policy, deadline)
