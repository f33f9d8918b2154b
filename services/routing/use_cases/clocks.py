"""The plans' legal clocks: emit `referral.deadline_due` / `referral.escalation_available` once per clock.

Each plan carries the day its next clock comes due (`next_clock_on`, libs/referral_rules/clocks.clock_schedule):
the timer reads only the plans whose day has come, a batch per transaction, and lets other work run between
batches. Reading every open plan each minute stalled routing for seconds once a million plans were stored.
"""
from sqlalchemy import bindparam, func, or_, select, update

from libs.kit.outbox import emit
from libs.referral_rules.clocks import clock_schedule, due_clocks
from services.routing.tables import outbox, plans

BATCH = 200

_DUE_PLANS = (select(plans.c.case_ref, plans.c.plan, plans.c.fired_clocks)
              .where(plans.c.status == "open",
                     or_(plans.c.next_clock_on.is_(None), plans.c.next_clock_on <= bindparam("today")))
              .order_by(plans.c.case_ref).limit(BATCH).with_for_update(skip_locked=True))
_SET_SCHEDULE = (update(plans).where(plans.c.case_ref == bindparam("case_ref_"))
                 .values(fired_clocks=bindparam("fired"), next_clock_on=bindparam("next_on"),
                         overdue_deadlines=bindparam("overdue")))
_OVERDUE = select(func.coalesce(func.sum(plans.c.overdue_deadlines), 0)).where(
    plans.c.status == "open", plans.c.overdue_deadlines > 0)


def schedule_values(steps, fired_keys, today) -> dict:
    """The columns of a plan's schedule, for a new or changed plan (referrals.py) and after its clocks fired."""
    next_on, overdue = clock_schedule(steps, set(fired_keys), today)
    return {"next_clock_on": next_on, "overdue_deadlines": overdue}


def fire_due_clocks(session, today, pause=lambda: None):
    """Emit `referral.deadline_due` / `referral.escalation_available` once per clock, for the plans whose next clock
    has come; each batch commits on its own and `pause()` runs between batches (the service yields to other work).

    Returns ({kind: clocks fired}, overdue) where `overdue` counts open answer deadlines that have passed."""
    fired, seen = {}, set()
    while True:
        rows = session.execute(_DUE_PLANS, {"today": today}).fetchall()
        if rows and seen.issuperset(row.case_ref for row in rows):
            break  # a plan still due after its turn would be read again and again: never loop on it
        for row in rows:
            seen.add(row.case_ref)
            already = set(row.fired_clocks or [])
            new = [clock for clock in due_clocks(row.plan["steps"], today) if clock.key not in already]
            for clock in new:
                emit(session, outbox, f"referral.{clock.kind}",
                     {"case_ref": row.case_ref, "channel_id": clock.channel_id, "due_on": clock.due_on},
                     correlation_id=row.case_ref)
                fired[clock.kind] = fired.get(clock.kind, 0) + 1
            fired_keys = sorted(already | {clock.key for clock in new})
            schedule = schedule_values(row.plan["steps"], fired_keys, today)
            session.execute(_SET_SCHEDULE, {"case_ref_": row.case_ref, "fired": fired_keys,
                                            "next_on": schedule["next_clock_on"],
                                            "overdue": schedule["overdue_deadlines"]})
        session.commit()
        if len(rows) < BATCH:
            break
        pause()
    return fired, session.execute(_OVERDUE).scalar()
