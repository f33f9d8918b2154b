"""The notification service class in-process: its event table, inbox and dead letters, its three timers (the
sender, the reaction SLA, the registry seed) and the mediator's signed link pages on its own HTTP address, through
nameko's testing tools on the real broker, a SQLite file of the test's own and a real SMTP server."""
import base64
import json
import re
from datetime import date, datetime, timedelta, timezone

import pytest
import requests
from nacl.public import PrivateKey
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from prometheus_client import REGISTRY
from sqlalchemy import select

from libs.contracts.events import internal_event, make_envelope
from libs.contracts.messaging_keys import key_id, seal_contact
from services.notification import settings
from services.notification.service import NotificationService, config
from services.notification.tables import (
    assignments, complainants, deliveries, inbox, mediators, messages_closed, outbox,
)
from services.notification.use_cases import registry
from support.platform import free_port, wait_for

pytestmark = [pytest.mark.broker]

PRIVATE = bytes(PrivateKey.generate())
PUBLIC = bytes(PrivateKey(PRIVATE).public_key)
REGISTRY_FILE = """mediators:
  - {id: med-srvc-1, name: One, email: one.mediator@voorportaal.test, languages: [nl], capacity: 5}
  - {id: med-srvc-2, name: Two, email: two.mediator@voorportaal.test, languages: [nl], capacity: 5}
"""
LINK = re.compile(r"https?://[^\s/]+/mediator/links/[A-Za-z0-9_.\-]+")


@pytest.fixture(autouse=True)
def notification_settings(monkeypatch, tmp_path, smtp):
    controller, _mailbox = smtp
    web_port = free_port()
    registry_file = tmp_path / "mediators.yaml"
    registry_file.write_text(REGISTRY_FILE)
    for name, value in {
        "MEDIATORS_FILE": str(registry_file), "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(controller.port),
        "NOTIFICATION_LINK_SECRET": "5a" * 32, "NOTIFICATION_WEBHOOK_SECRET": "6b" * 32,
        "COMPLAINANT_MESSAGING_PRIVATE_KEY": base64.b64encode(PRIVATE).decode(),
        "NOTIFICATION_WEB_ADDRESS": f"127.0.0.1:{web_port}", "NOTIFICATION_BASE_URL": f"http://127.0.0.1:{web_port}",
        "PUBLIC_BASE_URL": "https://desk.test",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("NOTIFICATION_NOW", raising=False)
    settings.load.cache_clear()
    yield
    settings.load.cache_clear()


@pytest.fixture()
def notification(start_service):
    """(container, sessions) of a started NotificationService; its registry seed (an eager timer) has run."""
    container, sessions = start_service(NotificationService, config)
    wait_for(lambda: len(rows(sessions, mediators)) == 2, timeout=10, what="the registry seed")
    return container, sessions


# -- helpers --------------------------------------------------------------------------------------------------
def rows(sessions, table, *where):
    with sessions() as session:
        return session.execute(select(table).where(*where)).fetchall()


def routing_keys(sessions):
    return [row.routing_key for row in rows(sessions, outbox)]


def counted(name, **labels):
    return REGISTRY.get_sample_value(name, {"service": "notification", **labels}) or 0


def planned(case_ref, wants_mediation=True, open_now=("internal:bank",)):
    steps = [{"channel_id": channel, "kind": "internal", "status": "available_now",
              "answer_due": date(2026, 12, 28), "escalate_by": None} for channel in open_now]
    return internal_event("referral.planned", {
        "case_ref": case_ref, "directory_version": "test", "institution_type": "bank",
        "issue": "account_refused_or_closed", "municipality": "GM0363", "language": "nl",
        "wants_mediation": wants_mediation, "steps": steps, "partner_referrals": []}, correlation_id=case_ref)


def requested(case_ref, address, language="pl"):
    return internal_event("complaint.messages_requested", {
        "case_ref": case_ref, "language": language, "channel": "email",
        "sealed_address": seal_contact(PUBLIC, case_ref, address), "key_id": key_id(PUBLIC)}, correlation_id=case_ref)


def clock(event_type, case_ref):
    return internal_event(event_type, {"case_ref": case_ref, "channel_id": "internal:bank",
                                       "due_on": date(2026, 12, 28)}, correlation_id=case_ref)


def deliver_event(container, dispatch, source, event_type, envelope, entrypoint):
    with entrypoint_waiter(container, entrypoint, timeout=10):
        dispatch(source, event_type, envelope)


def mails(mailbox, reference, subject_part=""):
    return [m for m in mailbox.messages if reference in m["subject"] and subject_part in m["subject"]]


# -- events in ------------------------------------------------------------------------------------------------
def test_a_plan_asking_for_mediation_assigns_a_mediator_whose_request_the_sender_timer_mails(notification, dispatch,
                                                                                              smtp):
    container, sessions = notification
    _controller, mailbox = smtp
    sent_before = counted("voorportaal_notifications_total", channel="email", outcome="sent")
    deliver_event(container, dispatch, "routing", "referral.planned", planned("VP-SRVN-0001"), "on_referral_planned")

    (assignment,) = rows(sessions, assignments)
    assert (assignment.case_ref, assignment.status) == ("VP-SRVN-0001", "requested")
    assert assignment.mediator_id in ("med-srvc-1", "med-srvc-2")
    assert routing_keys(sessions) == ["mediation.assigned"]
    assert [row.handler for row in rows(sessions, inbox)] == ["on_referral_planned"]

    # the sender is a 0.2 s timer: the request leaves by e-mail with signed accept/decline links on our address
    (mail,) = wait_for(lambda: mails(mailbox, "VP-SRVN-0001", "mediation requested"), timeout=10, what="the mail")
    assert mail["to"] == [f"{'one' if assignment.mediator_id.endswith('1') else 'two'}.mediator@voorportaal.test"]
    links = LINK.findall(mail["content"])
    assert len(links) == 2 and all(link.startswith(settings.load().channels.links.base_url) for link in links)
    wait_for(lambda: [row.status for row in rows(sessions, deliveries)] == ["sent"], timeout=10, what="marked sent")
    assert counted("voorportaal_notifications_total", channel="email", outcome="sent") == sent_before + 1


def test_a_plan_without_mediation_assigns_nobody(notification, dispatch):
    container, sessions = notification
    deliver_event(container, dispatch, "routing", "referral.planned", planned("VP-SRVN-0002", wants_mediation=False),
                  "on_referral_planned")
    assert rows(sessions, assignments) == [] and routing_keys(sessions) == []
    assert [row.handler for row in rows(sessions, inbox)] == ["on_referral_planned"]


def test_the_persons_request_then_plan_and_clocks_each_queue_a_status_message_mailed_in_their_language(
        notification, dispatch, smtp):
    container, sessions = notification
    _controller, mailbox = smtp
    stored_before = counted("voorportaal_complainant_message_requests_total", channel="email", result="stored")
    address = "srvn.person@example.test"
    deliver_event(container, dispatch, "intake", "complaint.messages_requested", requested("VP-SRVN-0003", address),
                  "on_messages_requested")
    (contact,) = rows(sessions, complainants)
    assert contact.channel == "email" and contact.sealed_address and address not in contact.sealed_address
    assert counted("voorportaal_complainant_message_requests_total", channel="email",
                   result="stored") == stored_before + 1

    deliver_event(container, dispatch, "routing", "referral.planned", planned("VP-SRVN-0003"), "on_referral_planned")
    for event_type, entrypoint in (("referral.deadline_due", "on_deadline_due"),
                                   ("referral.escalation_available", "on_escalation_available")):
        deliver_event(container, dispatch, "routing", event_type, clock(event_type, "VP-SRVN-0003"), entrypoint)
    templates = {(row.recipient_id, row.template) for row in rows(sessions, deliveries)}
    mediator = rows(sessions, assignments)[0].mediator_id
    assert templates == {("complainant", "complainant_plan"), ("complainant", "complainant_deadline"),
                         ("complainant", "complainant_next_step"), (mediator, "mediation_request"),
                         (mediator, "deadline_due"), (mediator, "escalation_available")}

    person = wait_for(lambda: len(found := [m for m in mailbox.messages if m["to"] == [address]]) == 3 and found,
                      timeout=15, what="three status messages")
    assert all("VP-SRVN-0003" in m["subject"] for m in person)
    assert any("nowy krok" in m["subject"] for m in person)  # Polish, from the catalogue
    assert any("28.12.2026" in m["content"] for m in person)  # the date as Polish writes it
    assert all("https://desk.test/pl/follow-up" in m["content"] for m in person)


def test_stopping_messages_forgets_the_address_and_a_redelivered_stop_is_a_no_op(notification, dispatch):
    container, sessions = notification
    deliver_event(container, dispatch, "intake", "complaint.messages_requested",
                  requested("VP-SRVN-0004", "stop.person@example.test"), "on_messages_requested")
    stops_before = counted("voorportaal_complainant_messages_stopped_total")
    duplicates_before = REGISTRY.get_sample_value("voorportaal_events_handled_total", {
        "service": "notification", "entrypoint": "on_messages_stopped", "outcome": "duplicate"}) or 0
    stop = internal_event("complaint.messages_stopped", {"case_ref": "VP-SRVN-0004"}, correlation_id="VP-SRVN-0004")
    for _ in range(2):
        deliver_event(container, dispatch, "intake", "complaint.messages_stopped", stop, "on_messages_stopped")

    (contact,) = rows(sessions, complainants)
    assert (contact.channel, contact.sealed_address, contact.key_id) == (None, None, None)
    assert [(row.case_ref, row.reason) for row in rows(sessions, messages_closed)] == [("VP-SRVN-0004", "stopped")]
    # the second copy met the inbox: the handler (and its counter) ran once
    assert counted("voorportaal_complainant_messages_stopped_total") == stops_before + 1
    assert REGISTRY.get_sample_value("voorportaal_events_handled_total", {
        "service": "notification", "entrypoint": "on_messages_stopped", "outcome": "duplicate"}) == duplicates_before + 1


def test_a_redelivered_plan_has_no_second_effect(notification, dispatch):
    container, sessions = notification
    event = planned("VP-SRVN-0005")
    for _ in range(2):
        deliver_event(container, dispatch, "routing", "referral.planned", event, "on_referral_planned")
    assert len(rows(sessions, assignments)) == 1 and routing_keys(sessions) == ["mediation.assigned"]
    assert len(rows(sessions, inbox)) == 1


def test_a_withdrawal_erases_the_assignment_the_contact_and_every_message(notification, dispatch):
    container, sessions = notification
    deliver_event(container, dispatch, "intake", "complaint.messages_requested",
                  requested("VP-SRVN-0006", "gone.person@example.test"), "on_messages_requested")
    deliver_event(container, dispatch, "routing", "referral.planned", planned("VP-SRVN-0006"), "on_referral_planned")
    assert rows(sessions, assignments) and rows(sessions, deliveries)
    withdrawn = internal_event("complaint.withdrawn", {"case_ref": "VP-SRVN-0006"}, correlation_id="VP-SRVN-0006")
    deliver_event(container, dispatch, "intake", "complaint.withdrawn", withdrawn, "on_complaint_withdrawn")
    assert rows(sessions, assignments) == [] and rows(sessions, complainants) == []
    assert rows(sessions, deliveries) == []
    assert [(row.case_ref, row.reason) for row in rows(sessions, messages_closed)] == [("VP-SRVN-0006", "withdrawn")]


def test_a_withdrawal_drops_the_cases_published_events_at_once(notification, dispatch):
    """Issue 19, finding 5: the published mediation.assigned of a withdrawn case leaves the outbox at once."""
    from sqlalchemy import update
    container, sessions = notification
    deliver_event(container, dispatch, "routing", "referral.planned", planned("VP-SRVN-0026"), "on_referral_planned")
    deliver_event(container, dispatch, "routing", "referral.planned", planned("VP-SRVN-0027"), "on_referral_planned")
    with sessions() as session:
        session.execute(update(outbox).values(published_at=datetime.now(timezone.utc)))
        session.commit()
    withdrawn = internal_event("complaint.withdrawn", {"case_ref": "VP-SRVN-0026"}, correlation_id="VP-SRVN-0026")
    deliver_event(container, dispatch, "intake", "complaint.withdrawn", withdrawn, "on_complaint_withdrawn")
    left = rows(sessions, outbox)
    assert not any("VP-SRVN-0026" in row.body for row in left)
    assert any("VP-SRVN-0027" in row.body for row in left)


def test_a_plan_replayed_after_the_withdrawal_asks_no_mediator_and_writes_to_nobody(notification, dispatch):
    """Issue 19, finding 6: a referral.planned (or a clock) for a withdrawn case, replayed from the dead letters or
    late on its own queue, is acknowledged and dropped: no assignment, no message, a count."""
    container, sessions = notification
    case_ref = "VP-SRVN-0016"
    deliver_event(container, dispatch, "intake", "complaint.messages_requested",
                  requested(case_ref, "stopped.first@example.test"), "on_messages_requested")
    deliver_event(container, dispatch, "intake", "complaint.messages_stopped",
                  internal_event("complaint.messages_stopped", {"case_ref": case_ref}), "on_messages_stopped")
    withdrawn = internal_event("complaint.withdrawn", {"case_ref": case_ref}, correlation_id=case_ref)
    deliver_event(container, dispatch, "intake", "complaint.withdrawn", withdrawn, "on_complaint_withdrawn")
    # stopped first, withdrawn later: the tombstone says withdrawn
    assert [(row.case_ref, row.reason) for row in rows(sessions, messages_closed)] == [(case_ref, "withdrawn")]
    before = counted("voorportaal_withdrawn_case_events_dropped_total", event="referral.planned")
    deliver_event(container, dispatch, "routing", "referral.planned", planned(case_ref), "on_referral_planned")
    deliver_event(container, dispatch, "routing", "referral.deadline_due", clock("referral.deadline_due", case_ref),
                  "on_deadline_due")
    assert rows(sessions, assignments) == [] and rows(sessions, deliveries) == []
    assert routing_keys(sessions) == [], "no mediation.assigned or mediation.unmatched"
    assert counted("voorportaal_withdrawn_case_events_dropped_total", event="referral.planned") == before + 1
    assert counted("voorportaal_withdrawn_case_events_dropped_total", event="referral.deadline_due") >= 1
    assert len(rows(sessions, inbox)) == 5  # every event was acknowledged (recorded), none dead-lettered


def test_a_malformed_event_is_retried_then_dead_lettered_and_changes_nothing(start_service, dispatch, dead_letters,
                                                                          entrypoint_runs, monkeypatch):
    monkeypatch.setenv("EVENT_MAX_ATTEMPTS", "2")
    dead_letter_queue = dead_letters("notification", sources=("routing",))
    container, sessions = start_service(NotificationService, config)
    bad = make_envelope("nl.voorportaal.referral.planned.v1", "urn:voorportaal:routing",
                        {"case_ref": "VP-SRVN-0007", "wants_mediation": "perhaps"})
    with entrypoint_runs(container, "on_referral_planned", times=2) as failed:
        dispatch("routing", "referral.planned", bad)
    assert failed == [True, True]
    dead = dead_letter_queue.first()
    assert dead is not None and dead["data"]["case_ref"] == "VP-SRVN-0007"
    assert rows(sessions, assignments) == [] and rows(sessions, inbox) == [] and rows(sessions, outbox) == []


# -- timers ---------------------------------------------------------------------------------------------------
def test_the_sla_timer_hands_an_unanswered_request_to_the_other_mediator(notification, dispatch, monkeypatch):
    container, sessions = notification
    deliver_event(container, dispatch, "routing", "referral.planned", planned("VP-SRVN-0008"), "on_referral_planned")
    first = rows(sessions, assignments)[0].mediator_id
    with entrypoint_hook(container, "check_reaction_sla") as check_reaction_sla:
        check_reaction_sla()  # within the reaction time: nothing to do
    assert rows(sessions, assignments)[0].mediator_id == first

    reassigned_before = counted("voorportaal_mediation_escalations_total", kind="reassign")
    later = datetime.now(timezone.utc) + timedelta(days=30)  # long past the 16 business hours
    monkeypatch.setenv("NOTIFICATION_NOW", later.isoformat())
    for _ in range(2):  # the second run finds the fresh assignment waiting: nothing more
        with entrypoint_hook(container, "check_reaction_sla") as check_reaction_sla:
            check_reaction_sla()
    (row,) = rows(sessions, assignments)
    assert row.mediator_id != first and row.previous_mediators == [first] and row.reassignments == 1
    assert routing_keys(sessions) == ["mediation.assigned", "mediation.assigned"]
    assert f"mediation-request:VP-SRVN-0008:{row.mediator_id}" in {r.idempotency_key for r in rows(sessions, deliveries)}
    assert counted("voorportaal_mediation_escalations_total", kind="reassign") == reassigned_before + 1


def test_the_registry_seed_adds_new_mediators_and_leaves_managed_ones_alone(notification):
    container, sessions = notification
    with sessions() as session:
        registry.set_active(session, "med-srvc-1", False)  # the coordinator's change (voorportaal-mediators)
    with entrypoint_hook(container, "seed_mediator_registry") as seed:
        seed()
    assert {(row.id, row.active) for row in rows(sessions, mediators)} == {("med-srvc-1", False),
                                                                           ("med-srvc-2", True)}


# -- the mediator's link pages (notification's own HTTP address) ----------------------------------------------
def test_the_link_pages_confirm_on_get_act_on_post_and_refuse_a_forged_link(notification, dispatch, smtp):
    container, sessions = notification
    _controller, mailbox = smtp
    address = container.config["WEB_SERVER_ADDRESS"]
    deliver_event(container, dispatch, "routing", "referral.planned", planned("VP-SRVN-0009"), "on_referral_planned")
    (mail,) = wait_for(lambda: mails(mailbox, "VP-SRVN-0009", "mediation requested"), timeout=10, what="the mail")
    accept, decline = LINK.findall(mail["content"])
    assert accept.startswith(f"http://{address}/mediator/links/")
    accepted_before = counted("voorportaal_mediator_reactions_total", action="accept", result="done")

    page = requests.get(accept, timeout=5)  # a mail scanner's GET changes nothing
    assert page.status_code == 200 and "Accept this case" in page.text and "Decline this case" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer" and page.headers["Cache-Control"] == "no-store"
    assert rows(sessions, assignments)[0].status == "requested"

    done = requests.post(accept, timeout=5)
    assert done.status_code == 200 and "you accepted" in done.text
    assert rows(sessions, assignments)[0].status == "accepted"
    assert counted("voorportaal_mediator_reactions_total", action="accept", result="done") == accepted_before + 1
    assert requests.post(accept, timeout=5).status_code == 200  # pressed twice: "already done"
    assert requests.post(decline, timeout=5).status_code == 409  # accepted: declining is no longer open

    (confirmation,) = wait_for(lambda: mails(mailbox, "VP-SRVN-0009", "you accepted"), timeout=10,
                               what="the acceptance mail")
    (outcome_link,) = LINK.findall(confirmation["content"])
    refused = requests.post(outcome_link, data={"outcome": "resolved", "notes": "free text"}, timeout=5)
    assert refused.status_code == 400 and rows(sessions, assignments)[0].status == "accepted"
    recorded = requests.post(outcome_link, data={"outcome": "resolved", "satisfaction": "4"}, timeout=5)
    assert recorded.status_code == 200 and rows(sessions, assignments)[0].status == "closed"
    (event,) = [json.loads(row.body)["data"] for row in rows(sessions, outbox)
                if row.routing_key == "mediation.outcome_recorded"]
    assert (event["case_ref"], event["outcome"], event["satisfaction"]) == ("VP-SRVN-0009", "resolved", 4)

    forged = accept[:-2] + ("AA" if not accept.endswith("AA") else "BB")
    assert requests.post(forged, timeout=5).status_code == 404
    assert requests.get(f"http://{address}/mediator/links/{'x' * 600}", timeout=5).status_code == 404
