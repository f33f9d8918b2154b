"""Notification's event handlers, `handler(session, event, settings)` (libs/kit/consuming.py): the `@consumes`
table in service.py names them. Each runs in the transaction that also records the event in the inbox, and
combines the capabilities the event concerns: the mediator (assignment.py) and the person's status messages
(complainant_messages.py). Log lines carry the reference, kinds and counts, never an address."""
from libs.kit import metrics as kit_metrics
from libs.kit.logs import get_logger
from libs.kit.outbox import forget_published
from services.notification.tables import outbox
from services.notification import metrics
from services.notification.use_cases import assignment, complainant_messages, registry

log = get_logger()


def complainant_queued(case_ref, kind):
    """Log a status message to the person queued (the reference and kind only, never the address)."""
    if kind is not None:
        log.info("complainant.message_queued", case_ref=case_ref, kind=kind)


def dropped_for_withdrawn_case(session, event) -> bool:
    """True (counted and logged, without the reference) when the event concerns a withdrawn case: a replayed or
    late referral.planned must not ask a mediator or write to the person. Acknowledged, no effect."""
    if not complainant_messages.is_withdrawn(session, event.data["case_ref"]):
        return False
    kit_metrics.WITHDRAWN_EVENTS_DROPPED.labels(metrics.SERVICE, event.type).inc()
    log.info("event.dropped_withdrawn_case", event_type=event.type, event_id=event.id)
    return True


def on_referral_planned(session, event, settings):
    if dropped_for_withdrawn_case(session, event):
        return
    data = event.data
    # the registry is read only for a case that asked for mediation (most plans do not need it)
    mediators = registry.all_mediators(session) if data["wants_mediation"] else ()
    match = assignment.assign_mediator(session, data, mediators, policy=settings.policy)
    if match is not None and match.mediator is None:
        metrics.UNMATCHED.inc()
        log.warning("mediation.unmatched", case_ref=data["case_ref"], reason=match.reason)
    elif match is not None:
        log.info("mediation.assigned", case_ref=data["case_ref"], mediator_id=match.mediator.id, why=match.reason)
    complainant_queued(data["case_ref"], complainant_messages.on_plan(session, data))


def on_referral_clock(session, event, _settings):
    if dropped_for_withdrawn_case(session, event):
        return
    data = event.data
    by_id = {m.id: m for m in registry.all_mediators(session)}
    told = assignment.tell_mediator_of_clock(session, event.type, data, by_id)
    log.info("mediation.clock_message", case_ref=data["case_ref"], kind=event.type, mediator_id=told)
    complainant_queued(data["case_ref"], complainant_messages.on_clock(session, event.type, data))


def on_messages_requested(session, event, _settings):
    data = event.data
    result, queued = complainant_messages.record_request(session, data)
    metrics.COMPLAINANT_REQUESTS.labels(metrics.SERVICE, data["channel"], result).inc()
    log.info("complainant.messages_requested", case_ref=data["case_ref"], channel=data["channel"], result=result)
    complainant_queued(data["case_ref"], queued)


def on_messages_stopped(session, event, _settings):
    dropped = complainant_messages.stop(session, event.data["case_ref"])
    metrics.COMPLAINANT_STOPS.inc()
    log.info("complainant.messages_stopped", case_ref=event.data["case_ref"], unsent_dropped=dropped)


def on_complaint_withdrawn(session, event, _settings):
    complainant_messages.erase(session, event.data["case_ref"])
    assignment.erase_case(session, event.data["case_ref"])
    forget_published(session, outbox, [event.data["case_ref"]])  # mediation.assigned and the like, at once


def on_desk_message_waiting(session, event, _settings):
    data = event.data
    complainant_queued(data["case_ref"], complainant_messages.on_desk_message(session, data["case_ref"],
                                                                               data["message_id"]))


def on_feedback_requested(session, event, _settings):
    data = event.data
    complainant_queued(data["case_ref"], complainant_messages.on_feedback_requested(session, data["case_ref"],
                                                                                     data["asked_on"]))
