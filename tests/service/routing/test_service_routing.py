"""The routing service class in-process: its event table, inbox, dead-lettering, clock timer and partner queues,
through nameko's own testing tools on the real broker."""
from datetime import date

import pika
import pytest
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import func, select

from libs.contracts.events import internal_event, make_envelope
from libs.kit import topology
from services.routing import settings
from services.routing.service import RoutingService, config
from services.routing.tables import inbox, outbox, partner_cases, plans, withdrawn_cases

pytestmark = [pytest.mark.broker]


@pytest.fixture(autouse=True)
def routing_settings(monkeypatch):
    monkeypatch.setenv("PARTNER_SECRET", "5a" * 32)
    monkeypatch.setenv("ROUTING_TODAY", "2026-11-02")
    monkeypatch.setenv("DECLARE_PARTNER_QUEUES", "true")
    settings.load.cache_clear()
    yield
    settings.load.cache_clear()


def received(case_ref="VP-SRVC-0001", **overrides):
    data = {"case_ref": case_ref, "received_on": date(2026, 11, 2), "institution_type": "bank",
            "issue": "account_refused_or_closed", "municipality": "GM0363", "capacity": "private",
            "incident_date": date(2026, 10, 1), "prior_complaint": None, "language": "nl",
            "reporter_role": "sex_worker", "wants_mediation": False, "has_contact": False,
            "consent": {"referral": True, "share_description": False, "contact": False}}
    data.update(overrides)
    return internal_event("complaint.received", data, correlation_id=case_ref)


def rows(sessions, table):
    with sessions() as session:
        return session.execute(select(table)).fetchall()


def test_a_received_complaint_is_planned_with_its_events_in_the_outbox(start_service, dispatch):
    container, sessions = start_service(RoutingService, config)
    with entrypoint_waiter(container, "on_complaint_received", timeout=10):
        dispatch("intake", "complaint.received", received())
    (plan,) = rows(sessions, plans)
    assert plan.case_ref == "VP-SRVC-0001" and plan.plan["steps"][0]["channel_id"] == "internal:bank"
    published = [(row.exchange, row.routing_key) for row in rows(sessions, outbox)]
    assert ("routing.events", "referral.planned") in published
    assert ("voorportaal.referrals.v1", "referral.kifid.created") in published  # the demo partner, consented
    assert [row.handler for row in rows(sessions, inbox)] == ["on_complaint_received"]


def test_a_redelivered_event_has_no_second_effect(start_service, dispatch):
    container, sessions = start_service(RoutingService, config)
    event = received("VP-SRVC-0002")
    for _ in range(2):
        with entrypoint_waiter(container, "on_complaint_received", timeout=10):
            dispatch("intake", "complaint.received", event)
    assert len(rows(sessions, plans)) == 1
    assert sum(1 for row in rows(sessions, outbox) if row.routing_key == "referral.planned") == 1


def test_a_malformed_event_is_retried_then_dead_lettered_and_changes_nothing(start_service, dispatch, dead_letters,
                                                                          entrypoint_runs, monkeypatch):
    monkeypatch.setenv("EVENT_MAX_ATTEMPTS", "2")
    dead_letter_queue = dead_letters("routing", sources=("intake",))
    container, sessions = start_service(RoutingService, config)
    bad = make_envelope("nl.voorportaal.complaint.received.v1", "urn:voorportaal:intake",
                        {"case_ref": "VP-SRVC-0003", "institution_type": "not-a-type"})
    with entrypoint_runs(container, "on_complaint_received", times=2) as failed:
        dispatch("intake", "complaint.received", bad)
    assert failed == [True, True]
    dead = dead_letter_queue.first()
    assert dead is not None and dead["data"]["case_ref"] == "VP-SRVC-0003"
    assert rows(sessions, plans) == [] and rows(sessions, inbox) == []


def test_a_withdrawal_erases_the_plan_and_tells_the_partner(start_service, dispatch):
    container, sessions = start_service(RoutingService, config)
    with entrypoint_waiter(container, "on_complaint_received", timeout=10):
        dispatch("intake", "complaint.received", received("VP-SRVC-0004"))
    with entrypoint_waiter(container, "on_complaint_withdrawn", timeout=10):
        dispatch("intake", "complaint.withdrawn", internal_event("complaint.withdrawn", {"case_ref": "VP-SRVC-0004"}))
    assert rows(sessions, plans) == [] and rows(sessions, partner_cases) == []
    assert ("referral.kifid.withdrawn") in [row.routing_key for row in rows(sessions, outbox)]


def test_a_withdrawal_drops_the_cases_published_events_at_once(start_service, dispatch):
    """Issue 19, finding 5: referral.planned (it names the case) and the partner referral (its subject) stay in the
    outbox after publication only until the withdrawal; the partner's `withdrawn` still goes out."""
    from datetime import datetime, timezone

    from sqlalchemy import update
    container, sessions = start_service(RoutingService, config)
    with entrypoint_waiter(container, "on_complaint_received", timeout=10):
        dispatch("intake", "complaint.received", received("VP-SRVC-0011"))
    with entrypoint_waiter(container, "on_complaint_received", timeout=10):
        dispatch("intake", "complaint.received", received("VP-SRVC-0012"))
    with sessions() as session:  # what the relay does once the broker confirmed them
        session.execute(update(outbox).values(published_at=datetime.now(timezone.utc)))
        session.commit()
    (subject,) = [row.subject for row in rows(sessions, partner_cases) if row.case_ref == "VP-SRVC-0011"]
    with entrypoint_waiter(container, "on_complaint_withdrawn", timeout=10):
        dispatch("intake", "complaint.withdrawn", internal_event("complaint.withdrawn", {"case_ref": "VP-SRVC-0011"}))
    left = rows(sessions, outbox)
    assert not any("VP-SRVC-0011" in row.body for row in left)
    assert [row.routing_key for row in left if subject in row.body] == ["referral.kifid.withdrawn"]
    assert any("VP-SRVC-0012" in row.body for row in left), "another case's rows stay"


def test_a_complaint_replayed_after_its_withdrawal_is_acknowledged_and_dropped(start_service, dispatch, caplog):
    """Issue 19, finding 6: a dead-lettered complaint.received replayed after the withdrawal (or one that arrives
    after it on its own queue) must not plan the case again, refer it to a partner or reach a mediator."""
    from prometheus_client import REGISTRY

    def dropped():
        return REGISTRY.get_sample_value("voorportaal_withdrawn_case_events_dropped_total",
                                         {"service": "routing", "event": "complaint.received"}) or 0
    container, sessions = start_service(RoutingService, config)
    with entrypoint_waiter(container, "on_complaint_received", timeout=10):
        dispatch("intake", "complaint.received", received("VP-SRVC-0009"))
    with entrypoint_waiter(container, "on_complaint_withdrawn", timeout=10):
        dispatch("intake", "complaint.withdrawn", internal_event("complaint.withdrawn", {"case_ref": "VP-SRVC-0009"}))
    (tombstone,) = rows(sessions, withdrawn_cases)
    assert tombstone.case_ref == "VP-SRVC-0009" and tombstone.withdrawn_on == date(2026, 11, 2)
    published_before = len(rows(sessions, outbox))
    before = dropped()
    replayed = received("VP-SRVC-0009")  # a new event id: not stopped by the inbox
    with entrypoint_waiter(container, "on_complaint_received", timeout=10):
        dispatch("intake", "complaint.received", replayed)
    assert rows(sessions, plans) == [] and rows(sessions, partner_cases) == []
    assert len(rows(sessions, outbox)) == published_before, "no referral.planned, no referral.created"
    assert dropped() == before + 1
    assert "on_complaint_received" in [row.handler for row in rows(sessions, inbox) if row.event_id == replayed["id"]]
    # a complaint withdrawn before routing ever saw it is dropped as well (the withdrawal came first)
    with entrypoint_waiter(container, "on_complaint_withdrawn", timeout=10):
        dispatch("intake", "complaint.withdrawn", internal_event("complaint.withdrawn", {"case_ref": "VP-SRVC-0010"}))
    with entrypoint_waiter(container, "on_complaint_received", timeout=10):
        dispatch("intake", "complaint.received", received("VP-SRVC-0010"))
    assert rows(sessions, plans) == [] and dropped() == before + 2


def test_the_clock_timer_fires_a_due_answer_deadline_once(start_service, dispatch, monkeypatch):
    container, sessions = start_service(RoutingService, config)
    with entrypoint_waiter(container, "on_complaint_received", timeout=10):
        dispatch("intake", "complaint.received", received(
            "VP-SRVC-0005", institution_type="municipality", issue="rude_treatment",
            prior_complaint={"filed_on": date(2026, 9, 1), "final_answer_on": None}))
    monkeypatch.setenv("ROUTING_TODAY", "2026-10-20")  # six weeks after filing: the answer is due
    for _ in range(2):
        with entrypoint_hook(container, "check_clocks") as check_clocks:
            check_clocks()
    with sessions() as session:
        due = session.execute(select(func.count()).select_from(outbox)
                              .where(outbox.c.routing_key == "referral.deadline_due")).scalar()
    assert due == 1


def test_starting_declares_each_registered_partners_queue(start_service, fresh_amqp_uri):
    start_service(RoutingService, config)
    connection = pika.BlockingConnection(pika.URLParameters(fresh_amqp_uri))
    for partner in ("kifid", "nationale-ombudsman"):
        connection.channel().queue_declare(topology.partner_queue(partner), passive=True)
    connection.close()


def publish_partner_update(amqp_uri, body, partner="kifid", status="answered", user_id="guest"):
    """As the partner client publishes: to the partner-updates exchange, with the broker-checked user_id (the test
    vhost's user is guest, standing in for every partner through PARTNER_UPDATES_LOCAL_USER)."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(topology.PARTNER_UPDATES_EXCHANGE, topology.partner_update_routing_key(partner, status),
                              body, pika.BasicProperties(delivery_mode=2, user_id=user_id,
                                                         content_type="application/cloudevents+json"),
                              mandatory=True)
    finally:
        connection.close()


def partner_update(subject, event_id, status="answered", outcome="settled", partner="kifid", **overrides):
    import json
    from datetime import datetime, timezone

    envelope = {"specversion": "1.0", "id": event_id, "source": f"urn:voorportaal:partner:{partner}",
                "type": "nl.voorportaal.partner.status_updated.v1",
                "time": datetime.now(timezone.utc).isoformat(), "subject": subject,
                "data": {"status": status, "outcome": outcome}}
    envelope.update(overrides)
    return json.dumps(envelope).encode()


def test_a_partner_update_is_applied_once_and_a_bad_one_is_refused_and_acked(start_service, dispatch, fresh_amqp_uri,
                                                                            monkeypatch):
    from services.routing import metrics
    from services.routing.tables import partner_updates

    monkeypatch.setenv("PARTNER_UPDATES_LOCAL_USER", "guest")
    settings.load.cache_clear()
    container, sessions = start_service(RoutingService, config)
    with entrypoint_waiter(container, "on_complaint_received", timeout=10):
        dispatch("intake", "complaint.received", received("VP-SRVC-0006"))
    (case,) = [row for row in rows(sessions, partner_cases) if row.partner_id == "kifid"]
    refused = metrics.PARTNER_UPDATES_REFUSED.labels("routing", "unknown", "malformed")
    before = refused._value.get()

    good = partner_update(case.subject, "srv-upd-1")
    for body in (good, good, b"CANARY not an update", partner_update("0" * 32, "srv-upd-2")):
        with entrypoint_waiter(container, "on_partner_status_update", timeout=10) as result:
            publish_partner_update(fresh_amqp_uri, body)
        assert result.get() is True  # settled: acked, whether applied, duplicate or refused
    (update,) = rows(sessions, partner_updates)
    assert (update.case_ref, update.status, update.outcome) == ("VP-SRVC-0006", "answered", "settled")
    announced = [row for row in rows(sessions, outbox) if row.routing_key == "referral.partner_status_changed"]
    assert len(announced) == 1 and case.subject not in announced[0].body
    assert refused._value.get() == before + 1
    assert metrics.PARTNER_UPDATES_REFUSED.labels("routing", "kifid", "unknown_subject")._value.get() >= 1
    # nothing is left on the queue: refusals are settled, not redelivered for ever
    connection = pika.BlockingConnection(pika.URLParameters(fresh_amqp_uri))
    try:
        assert connection.channel().queue_declare(topology.PARTNER_UPDATES_QUEUE, passive=True).method.message_count == 0
    finally:
        connection.close()
