"""The plans' legal clocks: emit `referral.deadline_due` / `referral.escalation_available` once per clock."""
from sqlalchemy import select, update

from libs.kit.outbox import emit
from libs.referral_rules.clocks import due_clocks
from services.routing.tables import outbox, plans


def fire_due_clocks(session, today):
    """Emit `referral.deadline_due` / `referral.escalation_available` once per clock.

    Returns ({kind: clocks fired}, overdue) where `overdue` counts open answer deadlines that have passed."""
    fired, overdue = {}, 0
    for row in session.execute(select(plans).where(plans.c.status == "open")).fetchall():
        already = set(row.fired_clocks or [])
        clocks = due_clocks(row.plan["steps"], today)
        overdue += sum(1 for clock in clocks if clock.kind == "deadline_due")
        new = [clock for clock in clocks if clock.key not in already]
        for clock in new:
            emit(session, outbox, f"referral.{clock.kind}",
                 {"case_ref": row.case_ref, "channel_id": clock.channel_id, "due_on": clock.due_on},
                 correlation_id=row.case_ref)
        if new:
            session.execute(update(plans).where(plans.c.case_ref == row.case_ref).values(
                fired_clocks=sorted(already | {clock.key for clock in new})))
            for clock in new:
                fired[clock.kind] = fired.get(clock.kind, 0) + 1
    session.commit()
    return fired, overdue
