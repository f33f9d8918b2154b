"""Status messages to the person who filed, when they asked for them: what is stored, when one is queued, stop
and erasure. The rules and the e-mail itself: domain/complainant_mail.py.

intake sends `complaint.messages_requested` (consent to be contacted and a contact method): the e-mail address
sealed to notification's messaging key, or for `phone` no number at all (there is no SMS channel: recorded and
counted, never sent). Messages are queued in the delivery table like every other message (idempotency key,
retries, metrics), addressed to `COMPLAINANT` (domain/deliveries.py); the sender opens the sealed address in
memory at send time (domain/complainant_mail.py `build_email`), so no plaintext address is ever written anywhere.

| kind | when | idempotency key |
|---|---|---|
| `plan` | `referral.planned` with a step open now that the last plan did not have | `complainant-plan:<ref>:<steps>` |
| `deadline` | `referral.deadline_due` | `complainant-deadline:<ref>:<channel>:<date>` |
| `next_step` | `referral.escalation_available` | `complainant-next_step:<ref>:<channel>:<date>` |
| `mediator` | a mediator accepted (reactions.accept) | `complainant-mediator:<ref>` |
| `message` | the desk wrote to the person (`conversation.desk_message_waiting`, no content) | `complainant-message:<ref>:<message id>` |
| `feedback` | the case came to an end: "did it help?" (`complaint.feedback_requested`) | `complainant-feedback:<ref>:<asked on>` |

"Is it solved?" is asked in the `deadline` message (the clock that says the institution's answer is due): once per
step and date, like every clock message.

Ordering: the request and routing's first plan travel on different queues. A plan that arrives first leaves a
row with its open steps and no contact; the request then queues the plan message. `complaint.withdrawn`
(withdrawal or retention) deletes the row and every queued message (`erase`). `complaint.messages_stopped` (the
person withdrew consent to be contacted, the complaint stays open) forgets the sealed address and drops the
messages not sent yet (`stop`). Both are remembered in `messages_closed`, so a request that arrives after them
(its own queue, e.g. after notification was down) is ignored instead of bringing the address back.
"""
from sqlalchemy import delete, select, update

from libs.kit.db import lock_until_commit
from services.notification.domain.complainant_mail import CLOCK_KINDS, TEMPLATES, open_steps, reachable, steps_key
from services.notification.domain.deliveries import COMPLAINANT, delivery_key
from services.notification.domain.timestamps import utc
from services.notification.tables import complainants, deliveries, messages_closed
from services.notification.use_cases.deliveries import queue_message

STORED, UNSUPPORTED_CHANNEL, CLOSED = "stored", "unsupported_channel", "closed"


def _row(session, case_ref, lock=False):
    query = select(complainants).where(complainants.c.case_ref == case_ref)
    if lock and session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    return session.execute(query).first()


def _upsert(session, case_ref, exists, **values):
    if exists:
        session.execute(update(complainants).where(complainants.c.case_ref == case_ref).values(**values))
    else:
        session.execute(complainants.insert().values(case_ref=case_ref, **values))


def _queue(session, row, kind, key_parts, now, due_on=None):
    """Queue one message to the person; returns `kind` if queued, None if it was queued before."""
    context = {"reference": row.case_ref, "language": row.language}
    if due_on:
        context["due_on"] = due_on
    key = delivery_key(f"complainant-{kind}", row.case_ref, *key_parts)
    queued = queue_message(session, key, row.case_ref, COMPLAINANT, "email", TEMPLATES[kind], context, now)
    return kind if queued else None


def record_request(session, data: dict, now=None) -> tuple[str, str | None]:
    """`complaint.messages_requested` → (STORED or UNSUPPORTED_CHANNEL, kind queued or None). A plan that
    arrived before the request is told now."""
    now = utc(now)
    case_ref = data["case_ref"]
    _lock_contact(session, case_ref)
    if _closed(session, case_ref):
        return CLOSED, None  # the person stopped messages or withdrew before this request was handled
    row = _row(session, case_ref, lock=True)
    email = data["channel"] == "email" and bool(data.get("sealed_address"))
    _upsert(session, case_ref, row is not None, channel=data["channel"], language=data["language"],
            sealed_address=data["sealed_address"] if email else None, key_id=data.get("key_id") if email else None,
            updated_at=now)
    if not email:
        return UNSUPPORTED_CHANNEL, None
    row = _row(session, case_ref)
    if row.open_steps:
        return STORED, _queue(session, row, "plan", [steps_key(row.open_steps)], now)
    return STORED, None


def on_plan(session, plan: dict, now=None) -> str | None:
    """`referral.planned` → "plan" when a step is open now that the previous plan did not have open."""
    now = utc(now)
    case_ref = plan["case_ref"]
    row = _row(session, case_ref, lock=True)
    open_now = open_steps(plan)
    new = set(open_now) - set((row.open_steps if row is not None else None) or [])
    _upsert(session, case_ref, row is not None, open_steps=open_now, updated_at=now)
    if not new or not reachable(row):
        return None  # a plan before the request is told when the request arrives (record_request)
    return _queue(session, row, "plan", [steps_key(open_now)], now)


def on_clock(session, event_type: str, data: dict, now=None) -> str | None:
    """`referral.deadline_due` / `referral.escalation_available` → "deadline" / "next_step"."""
    row = _row(session, data["case_ref"])
    if not reachable(row):
        return None
    due_on = data["due_on"].isoformat()
    return _queue(session, row, CLOCK_KINDS[event_type], [data["channel_id"], due_on], utc(now), due_on)


def on_desk_message(session, case_ref: str, message_id: str, now=None) -> str | None:
    """The desk wrote: one content-free e-mail per message, only to a person who agreed to be contacted (a stop or
    a withdrawal already forgot the address, so nothing is queued then)."""
    row = _row(session, case_ref)
    return _queue(session, row, "message", [message_id], utc(now)) if reachable(row) else None


def on_feedback_requested(session, case_ref: str, asked_on, now=None) -> str | None:
    """"Did it help?": one content-free e-mail per question, only to a person who agreed to be contacted and did not
    stop the messages (a stop forgot the address, so nothing is queued)."""
    row = _row(session, case_ref)
    return _queue(session, row, "feedback", [asked_on.isoformat()], utc(now)) if reachable(row) else None


def on_mediator_accepted(session, case_ref: str, now=None) -> str | None:
    row = _row(session, case_ref)
    return _queue(session, row, "mediator", [], utc(now)) if reachable(row) else None


def _lock_contact(session, case_ref):
    """The request, the stop and the withdrawal of one case run one after the other (they arrive on different
    queues): otherwise a request could read "not stopped" while the stop commits, and store the address after it."""
    lock_until_commit(session, "notification.contact:", case_ref)


def _closed(session, case_ref) -> bool:
    return session.execute(select(messages_closed.c.case_ref).where(messages_closed.c.case_ref == case_ref)
                           ).first() is not None


def _close(session, case_ref, reason, now):
    if not _closed(session, case_ref):
        session.execute(messages_closed.insert().values(case_ref=case_ref, reason=reason, closed_at=now))
    elif reason == "withdrawn":  # stopped first, withdrawn later: the withdrawal is what later events must see
        session.execute(update(messages_closed).where(messages_closed.c.case_ref == case_ref).values(
            reason=reason, closed_at=now))


def is_withdrawn(session, case_ref) -> bool:
    """The case was withdrawn (the tombstone in messages_closed): no plan or clock for it may act any more."""
    return session.execute(select(messages_closed.c.case_ref).where(
        messages_closed.c.case_ref == case_ref, messages_closed.c.reason == "withdrawn")).first() is not None


def stop(session, case_ref: str, now=None) -> int:
    """`complaint.messages_stopped`: forget the sealed address and drop the messages to the person not sent yet
    (a message the sender is handing to the SMTP server at this moment may still go out). Returns how many
    unsent messages were dropped."""
    now = utc(now)
    _lock_contact(session, case_ref)
    _close(session, case_ref, "stopped", now)
    dropped = session.execute(delete(deliveries).where(
        deliveries.c.case_ref == case_ref, deliveries.c.recipient_id == COMPLAINANT,
        deliveries.c.status != "sent")).rowcount
    session.execute(update(complainants).where(complainants.c.case_ref == case_ref).values(
        channel=None, sealed_address=None, key_id=None, updated_at=now))
    return dropped


def erase(session, case_ref: str, now=None) -> int:
    """`complaint.withdrawn`: forget the sealed contact and every message to the person, sent or pending."""
    _lock_contact(session, case_ref)
    _close(session, case_ref, "withdrawn", utc(now))
    removed = session.execute(delete(deliveries).where(deliveries.c.case_ref == case_ref,
                                                       deliveries.c.recipient_id == COMPLAINANT)).rowcount
    return removed + session.execute(delete(complainants).where(complainants.c.case_ref == case_ref)).rowcount


def contact_for(session, case_ref):
    return _row(session, case_ref)
