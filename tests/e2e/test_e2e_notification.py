"""Mediators on the running platform: signed accept/decline links, reassignment, the coordinator, outcomes,
deadline messages and signed webhooks; and status messages to the person who asked for them (their language,
sealed address, withdrawal). Over the real broker, database, SMTP server and an HTTP receiver."""
import json
import re
import threading
import time
import uuid
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pika
import pytest
import requests
from sqlalchemy import create_engine, select, text
from standardwebhooks import Webhook

from libs.kit.db import make_session_factory
from libs.contracts.events import internal_event
from services.notification.domain import webhooks
from services.notification.domain.mediators import Mediator
from services.notification.tables import assignments, complainants, deliveries
from services.notification.use_cases import registry
from support.platform import complaint, file_complaint, metric_value, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.postgres]

LINK = re.compile(r"https?://[^\s/]+/mediator/links/[A-Za-z0-9_.\-]+")
# languages the other e2e suites do not ask mediation in, so each test knows which mediator it gets
BG = Mediator("med-e2e-bg", "E2E BG", "bg.mediator@voorportaal.test", ("bg",), capacity=50)
RO_1 = Mediator("med-e2e-ro-1", "E2E RO 1", "ro1.mediator@voorportaal.test", ("ro",), capacity=50)
RO_2 = Mediator("med-e2e-ro-2", "E2E RO 2", "ro2.mediator@voorportaal.test", ("ro",), capacity=50)


@pytest.fixture(scope="module")
def sessions(platform):
    engine = create_engine(platform.pg_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def mediators(platform, sessions):
    """Extra mediators in notification's registry (the service reads it on every event)."""
    added = [BG, RO_1, RO_2]
    with sessions() as session:
        for mediator in added:
            registry.upsert(session, mediator)
        session.commit()
    yield added
    with sessions() as session:
        for mediator in added:
            registry.set_active(session, mediator.id, False)


def mails_for(mailbox, reference, subject_part=""):
    return [m for m in mailbox.messages if reference in m["subject"] and subject_part in m["subject"]]


def wait_mail(mailbox, reference, subject_part, count=1, what="an e-mail"):
    return wait_for(lambda: (found := mails_for(mailbox, reference, subject_part)) and len(found) >= count
                    and found, timeout=30, what=what)


def links_in(mail):
    return LINK.findall(mail["content"])


def assignment_row(sessions, reference):
    with sessions() as session:
        return session.execute(select(assignments).where(assignments.c.case_ref == reference)).first()


def case_view(platform, filed):
    response = requests.get(f"{platform.base_url}/api/v1/complaints/{filed['reference']}",
                            headers={"Authorization": f"Receipt {filed['receipt']}"}, timeout=5)
    assert response.status_code == 200
    return response.json()


def test_accept_then_record_the_outcome_reaches_the_person(platform, smtp, mediators, sessions):
    _controller, mailbox = smtp
    canary = f"CANARY-{uuid.uuid4().hex}"
    filed = file_complaint(platform.base_url, complaint(language="bg", description=f"closed {canary}"))
    reference = filed["reference"]

    request_mail = wait_mail(mailbox, reference, "mediation requested", what="the request e-mail")[0]
    assert request_mail["to"] == [BG.email]
    accept_link, decline_link = links_in(request_mail)
    assert accept_link.startswith(platform.env["NOTIFICATION_BASE_URL"])
    assert "Accept this case" in request_mail["content"] and "Decline this case" in request_mail["content"]
    assert canary not in request_mail["raw"]

    # a GET (a mail scanner, a link preview) shows the confirmation page and changes nothing
    page = requests.get(accept_link, timeout=5)
    assert page.status_code == 200 and "Accept this case" in page.text and "Decline this case" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert assignment_row(sessions, reference).status == "requested"

    accepted = requests.post(accept_link, timeout=5)
    assert accepted.status_code == 200 and "you accepted" in accepted.text
    assert assignment_row(sessions, reference).status == "accepted"
    again = requests.post(accept_link, timeout=5)
    assert again.status_code == 200 and "already" in again.text
    assert requests.post(decline_link, timeout=5).status_code == 409  # accepted: declining is no longer open

    confirmation = wait_mail(mailbox, reference, "you accepted", what="the acceptance e-mail")[0]
    (outcome_link,) = links_in(confirmation)
    form = requests.get(outcome_link, timeout=5)
    assert form.status_code == 200 and 'name="outcome"' in form.text
    # no free text: a field the schema does not know is refused, and nothing changes
    refused = requests.post(outcome_link, data={"outcome": "resolved", "notes": canary}, timeout=5)
    assert refused.status_code == 400 and canary not in refused.text
    assert assignment_row(sessions, reference).status == "accepted"

    recorded = requests.post(outcome_link, data={"outcome": "resolved", "satisfaction": "4"}, timeout=5)
    assert recorded.status_code == 200 and "recorded" in recorded.text
    row = assignment_row(sessions, reference)
    assert row.status == "closed" and row.closed_at is not None
    assert requests.post(outcome_link, data={"outcome": "resolved"}, timeout=5).status_code == 200  # idempotent

    # mediation.outcome_recorded went through the outbox to intake: the person sees it with the receipt
    view = wait_for(lambda: (v := case_view(platform, filed))["mediator"]["outcome"] and v, timeout=30,
                    what="the outcome in the person's status view")
    assert view["mediator"]["outcome"] == "resolved"

    # exactly one e-mail per idempotency key, and every queued message was sent
    with sessions() as session:
        rows = session.execute(select(deliveries).where(deliveries.c.case_ref == reference)).fetchall()
    assert {row.status for row in rows} == {"sent"} and len(rows) == 2
    time.sleep(1)  # time for a duplicate, if there were one
    mails = [m for m in mailbox.messages if reference in m["subject"]]
    assert len(mails) == len(rows) == len({m["message_id"] for m in mails})
    # the links are bearer capabilities: they never land in a log line
    for log_file in platform.log_dir.iterdir():
        text = log_file.read_text(errors="replace")
        assert accept_link.rsplit("/", 1)[1] not in text and outcome_link.rsplit("/", 1)[1] not in text


def test_decline_goes_to_another_mediator_then_to_the_coordinator(platform, smtp, mediators, sessions):
    _controller, mailbox = smtp
    filed = file_complaint(platform.base_url, complaint(language="ro"))
    reference = filed["reference"]

    first = wait_mail(mailbox, reference, "mediation requested", what="the first request")[0]
    first_accept, first_decline = links_in(first)
    assert requests.get(first_decline, timeout=5).status_code == 200
    assert assignment_row(sessions, reference).status == "requested"  # the GET changed nothing
    declined = requests.post(first_decline, timeout=5)
    assert declined.status_code == 200 and "declined" in declined.text

    second = wait_mail(mailbox, reference, "mediation requested", count=2, what="the reassigned request")[1]
    assert {first["to"][0], second["to"][0]} == {RO_1.email, RO_2.email}
    row = assignment_row(sessions, reference)
    assert row.status == "requested" and row.reassignments == 1 and len(row.previous_mediators) == 1
    # the first mediator's links are stale now; pressing decline again changes nothing
    assert requests.post(first_accept, timeout=5).status_code == 409
    assert requests.post(first_decline, timeout=5).status_code == 200
    assert assignment_row(sessions, reference).mediator_id == row.mediator_id

    _second_accept, second_decline = links_in(second)
    assert requests.post(second_decline, timeout=5).status_code == 200
    coordinator = wait_mail(mailbox, reference, "no mediator took", what="the coordinator e-mail")[0]
    assert coordinator["to"] == [platform.env["NOTIFICATION_COORDINATOR_EMAIL"]]
    assert assignment_row(sessions, reference).status == "coordinator"
    time.sleep(1)
    assert len(mails_for(mailbox, reference, "no mediator took")) == 1


def publish_routing_event(amqp_uri, envelope, times=1):
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    channel.confirm_delivery()
    event_type = envelope["type"][len("nl.voorportaal."):-len(".v1")]
    for _ in range(times):
        channel.basic_publish("routing.events", event_type, json.dumps(envelope).encode(),
                              pika.BasicProperties(content_type="application/json", delivery_mode=2,
                                                   message_id=envelope["id"]), mandatory=True)
    connection.close()


def test_a_deadline_due_event_tells_the_mediator_once(platform, smtp, mediators, sessions, amqp_uri):
    _controller, mailbox = smtp
    filed = file_complaint(platform.base_url, complaint(language="bg"))
    reference = filed["reference"]
    wait_mail(mailbox, reference, "mediation requested", what="the request e-mail")
    data = {"case_ref": reference, "channel_id": "internal:bank", "due_on": date(2026, 12, 30)}
    # the same event redelivered (inbox), and routing's clock firing again with a new event id (idempotency key)
    publish_routing_event(amqp_uri, internal_event("referral.deadline_due", data, correlation_id=reference), 2)
    publish_routing_event(amqp_uri, internal_event("referral.deadline_due", data, correlation_id=reference))
    publish_routing_event(amqp_uri, internal_event("referral.escalation_available", data, correlation_id=reference))
    due = wait_mail(mailbox, reference, "answer is due", what="the deadline e-mail")[0]
    assert due["to"] == [BG.email] and "2026-12-30" in due["content"] and "internal:bank" in due["content"]
    wait_mail(mailbox, reference, "next step", what="the escalation-available e-mail")
    port = platform.ops_port("notification")
    wait_for(lambda: (metric_value(port, "voorportaal_events_handled_total", entrypoint="on_deadline_due",
                                   outcome="duplicate") or 0) >= 1, timeout=20, what="the duplicate to be seen")
    time.sleep(1)
    assert len(mails_for(mailbox, reference, "answer is due")) == 1


class _Receiver(BaseHTTPRequestHandler):
    received = []
    fail_first = True

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).received.append({"path": self.path, "headers": dict(self.headers.items()), "body": body,
                                    "at": time.time()})
        fail = type(self).fail_first
        type(self).fail_first = False
        self.send_response(503 if fail else 204)  # the first answer is a hiccup: the sender must retry
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args):
        pass


@pytest.fixture()
def webhook_receiver(platform):
    allowed = urlsplit(platform.env["NOTIFICATION_WEBHOOK_ALLOWLIST"])
    server = ThreadingHTTPServer(("127.0.0.1", allowed.port), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{allowed.port}{allowed.path}/voorportaal", _Receiver.received
    server.shutdown()
    server.server_close()


def test_a_webhook_mediator_gets_signed_posts_retried_after_a_failure(platform, sessions, webhook_receiver):
    url, received = webhook_receiver
    hooked = Mediator("med-e2e-pl-hook", "E2E PL webhook", "pl.hook@voorportaal.test", ("pl",), capacity=50,
                      webhook_url=url)
    with sessions() as session:
        registry.upsert(session, hooked)
        session.commit()
    try:
        canary = f"CANARY-{uuid.uuid4().hex}"
        filed = file_complaint(platform.base_url, complaint(language="pl", description=f"closed {canary}"))
        reference = filed["reference"]
        # the receiver's own key, derived from the master secret (`voorportaal-mediators webhook-secret`)
        master = bytes.fromhex(platform.env["NOTIFICATION_WEBHOOK_SECRET"])
        secret = webhooks.receiver_secret(master, hooked.id)

        def for_case(event):
            return [r for r in received if json.loads(r["body"]).get("reference") == reference
                    and json.loads(r["body"])["event"] == event]
        attempts = wait_for(lambda: len(for_case("mediation.requested")) >= 2 and for_case("mediation.requested"),
                            timeout=30, what="the webhook and its retry")
        first, retry = attempts[:2]
        for request in (first, retry):
            assert webhooks.verify(secret, request["headers"], request["body"], now=request["at"])
            assert canary not in request["body"].decode()
        assert not webhooks.verify(b"another-secret-of-16+bytes", retry["headers"], retry["body"], now=retry["at"])
        # the master secret itself, or another receiver's key, does not verify (one secret per receiver)
        assert not webhooks.verify(master, retry["headers"], retry["body"], now=retry["at"])
        other = webhooks.receiver_secret(master, "med-e2e-another-receiver")
        assert not webhooks.verify(other, retry["headers"], retry["body"], now=retry["at"])
        # the Standard Webhooks headers, checked by the maintained library itself (raises when they do not verify)
        standard = {n.lower(): v for n, v in retry["headers"].items()}
        Webhook(webhooks.standard_secret_text(secret)).verify(
            retry["body"], {k: standard[k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")})
        key = {name.lower(): value for name, value in first["headers"].items()}["voorportaal-idempotency-key"]
        assert key == {n.lower(): v for n, v in retry["headers"].items()}["voorportaal-idempotency-key"]
        assert key == f"mediation-request:{reference}:{hooked.id}"
        payload = json.loads(retry["body"])
        assert set(payload) <= webhooks.ALLOWED_PAYLOAD_KEYS
        assert payload["institution_type"] == "bank" and payload["language"] == "pl"
        assert payload["link"].startswith(platform.env["NOTIFICATION_BASE_URL"] + "/mediator/links/")

        # the webhook's link leads to the same confirmation page; accepting sends the outcome link by webhook
        assert "Decline this case" in requests.get(payload["link"], timeout=5).text
        assert requests.post(payload["link"], timeout=5).status_code == 200
        accepted = wait_for(lambda: for_case("mediation.accepted"), timeout=30, what="the accepted webhook")
        assert "/mediator/links/" in json.loads(accepted[0]["body"])["link"]

        port = platform.ops_port("notification")
        assert metric_value(port, "voorportaal_notifications_total", channel="webhook",
                            outcome="transient_failure") >= 1
        wait_for(lambda: (metric_value(port, "voorportaal_notifications_total", channel="webhook",
                                       outcome="sent") or 0) >= 2, timeout=10, what="the sent webhooks counted")
        with sessions() as session:
            row = session.execute(select(deliveries).where(deliveries.c.idempotency_key == key)).first()
        assert row.channel == "webhook" and row.status == "sent" and row.attempts == 2
    finally:
        with sessions() as session:
            registry.set_active(session, hooked.id, False)


def test_withdrawal_erases_the_assignment_and_its_links_stop_working(platform, smtp, mediators, sessions):
    _controller, mailbox = smtp
    filed = file_complaint(platform.base_url, complaint(language="bg"))
    reference = filed["reference"]
    accept_link, _decline = links_in(wait_mail(mailbox, reference, "mediation requested", what="the request")[0])
    withdrawn = requests.delete(f"{platform.base_url}/api/v1/complaints/{reference}",
                                headers={"Authorization": f"Receipt {filed['receipt']}"}, timeout=10)
    assert withdrawn.status_code == 200

    def erased():
        with sessions() as session:
            return assignment_row(sessions, reference) is None and not session.execute(
                select(deliveries).where(deliveries.c.case_ref == reference)).first()
    wait_for(erased, timeout=20, what="the notification rows erased")
    assert requests.post(accept_link, timeout=5).status_code == 409


# -- status messages to the person (complaint.messages_requested; complainant_messages.py) ------------------------
def person_mails(mailbox, address, reference, subject_part=""):
    return [m for m in mailbox.messages if m["to"] == [address] and reference in m["subject"]
            and subject_part in m["subject"]]


def every_table_as_text(sessions):
    """Every row of every table in the platform's database, as text (services share one PostgreSQL DB)."""
    with sessions() as session:
        tables = session.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
        return "\n".join(str(row) for table in tables.all()
                         for row in session.execute(text(f'SELECT t::text FROM "{table}" t')).scalars())


def test_the_person_gets_status_messages_in_their_language_and_the_address_never_shows(
        platform, smtp, sessions, amqp_uri):
    _controller, mailbox = smtp
    canary = uuid.uuid4().hex
    address, description = f"person-{canary}@example.test", f"the bank closed it CANARY-{canary}"
    # a queue of our own on intake's exchange: what travels over the broker
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    queue = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(queue, "intake.events", routing_key="complaint.messages_requested")
    try:
        filed = file_complaint(platform.base_url, complaint(
            language="es", description=description, contact={"method": "email", "address": address},
            consent={"referral": True, "share_description": False, "contact": True}))
        reference = filed["reference"]

        plan_mail = wait_for(lambda: person_mails(mailbox, address, reference, "un nuevo paso"), timeout=30,
                             what="the new-step e-mail to the person")[0]
        assert f"{platform.base_url}/es/follow-up" in plan_mail["content"]
        assert "Hola" in plan_mail["content"] and "Content-Language: es" in plan_mail["raw"]
        for secret in (canary_part := f"CANARY-{canary}", filed["receipt"], "bank", "banco"):
            assert secret not in plan_mail["raw"], secret
        # the mediator accepts: the person hears that a mediator took the case
        request_mail = wait_mail(mailbox, reference, "mediation requested", what="the request e-mail")[0]
        assert address not in request_mail["raw"]
        assert requests.post(links_in(request_mail)[0], timeout=5).status_code == 200
        wait_for(lambda: person_mails(mailbox, address, reference, "ha aceptado tu caso"), timeout=30,
                 what="the mediator-accepted e-mail to the person")

        body = wait_for(lambda: channel.basic_get(queue, auto_ack=True)[2], timeout=10, what="the event")
    finally:
        connection.close()
    assert b"sealed_address" in body and address.encode() not in body and canary.encode() not in body
    everything = every_table_as_text(sessions)
    assert reference in everything and address not in everything and canary_part not in everything
    for log_file in platform.log_dir.iterdir():
        assert canary not in log_file.read_text(errors="replace"), log_file.name
    port = platform.ops_port("notification")
    wait_for(lambda: (metric_value(port, "voorportaal_complainant_messages_total", kind="mediator",
                                   outcome="sent") or 0) >= 1, timeout=10, what="the messages counted")
    assert metric_value(port, "voorportaal_complainant_messages_total", kind="plan", outcome="sent") >= 1


def test_without_consent_nothing_is_sent_and_a_phone_is_only_counted(platform, smtp, sessions):
    _controller, mailbox = smtp
    refused = requests.post(f"{platform.base_url}/api/v1/complaints", timeout=10, json=complaint(
        contact={"method": "email", "address": "no-consent@example.test"}))  # consent.contact is false
    assert refused.status_code == 400 and "no-consent@example.test" not in refused.text
    quiet = file_complaint(platform.base_url, complaint(language="pl", wants_mediation=False))
    phone = file_complaint(platform.base_url, complaint(
        language="pl", wants_mediation=False, contact={"method": "phone", "address": "+31612345678"},
        consent={"referral": True, "share_description": False, "contact": True}))
    for filed in (quiet, phone):  # routing planned both and notification saw the plans
        wait_for(lambda f=filed: case_view(platform, f)["plan"], timeout=30, what="the plan")
    port = platform.ops_port("notification")
    wait_for(lambda: (metric_value(port, "voorportaal_complainant_message_requests_total", channel="phone",
                                   result="unsupported_channel") or 0) >= 1, timeout=20, what="the phone counted")
    time.sleep(1)
    with sessions() as session:
        for filed in (quiet, phone):
            assert not session.execute(select(deliveries).where(
                deliveries.c.case_ref == filed["reference"], deliveries.c.recipient_id == "complainant")).first()
    assert not [m for m in mailbox.messages if quiet["reference"] in m["subject"] or phone["reference"] in
                m["subject"]]
    assert "+31612345678" not in every_table_as_text(sessions)


def file_with_messages(platform, mailbox, language, first_subject=""):
    """A complaint whose person asked for e-mail messages, once their first message (the new step) arrived.
    Returns (filed, address)."""
    address = f"person-{uuid.uuid4().hex}@example.test"
    filed = file_complaint(platform.base_url, complaint(
        language=language, wants_mediation=False, contact={"method": "email", "address": address},
        consent={"referral": True, "share_description": False, "contact": True}))
    wait_for(lambda: person_mails(mailbox, address, filed["reference"], first_subject), timeout=30,
             what=f"the new-step e-mail ({language})")
    return filed, address


def test_withdrawal_erases_the_contact_and_stops_the_messages(platform, smtp, sessions, amqp_uri):
    _controller, mailbox = smtp
    filed, address = file_with_messages(platform, mailbox, "nl", "nieuwe stap")
    reference = filed["reference"]
    with sessions() as session:
        assert session.execute(select(complainants).where(complainants.c.case_ref == reference)).first()
    assert requests.delete(f"{platform.base_url}/api/v1/complaints/{reference}", timeout=10,
                           headers={"Authorization": f"Receipt {filed['receipt']}"}).status_code == 200

    def erased():
        with sessions() as session:
            return not session.execute(select(complainants).where(complainants.c.case_ref == reference)).first() \
                and not session.execute(select(deliveries).where(deliveries.c.case_ref == reference)).first()
    wait_for(erased, timeout=20, what="the sealed contact and the messages erased")
    # a clock that fires late finds no one to tell
    data = {"case_ref": reference, "channel_id": "internal:bank", "due_on": date(2026, 12, 30)}
    publish_routing_event(amqp_uri, internal_event("referral.deadline_due", data, correlation_id=reference))
    time.sleep(2)
    assert len(person_mails(mailbox, address, reference)) == 1
    with sessions() as session:
        assert not session.execute(select(deliveries).where(deliveries.c.case_ref == reference)).first()


def test_stopping_messages_forgets_the_address_and_keeps_the_complaint_open(platform, smtp, sessions, amqp_uri):
    _controller, mailbox = smtp
    filed, address = file_with_messages(platform, mailbox, "bg")
    reference, auth = filed["reference"], {"Authorization": f"Receipt {filed['receipt']}"}
    assert case_view(platform, filed)["contact_consent"] is True
    url = f"{platform.base_url}/api/v1/complaints/{reference}/contact"
    assert requests.delete(url, timeout=10).status_code == 401
    assert requests.delete(url, timeout=10, headers={"Authorization": "Receipt wrong"}).status_code == 404
    stopped = requests.delete(url, timeout=10, headers=auth)
    assert stopped.status_code == 200 and stopped.json() == {"reference": reference, "contact_consent": False}
    assert requests.delete(url, timeout=10, headers=auth).status_code == 200  # again: nothing changes

    def forgotten():
        with sessions() as session:
            row = session.execute(select(complainants).where(complainants.c.case_ref == reference)).first()
        return row is not None and row.sealed_address is None
    wait_for(forgotten, timeout=20, what="notification forgets the sealed address")
    view = case_view(platform, filed)  # the receipt still works: the complaint is open
    assert view["contact_consent"] is False and view["status"] in ("received", "planned")
    # a clock that fires now finds no one to tell; the first message stays the only one
    data = {"case_ref": reference, "channel_id": "internal:bank", "due_on": date(2026, 12, 30)}
    publish_routing_event(amqp_uri, internal_event("referral.deadline_due", data, correlation_id=reference))
    port = platform.ops_port("notification")
    assert metric_value(port, "voorportaal_complainant_messages_stopped_total") >= 1
    time.sleep(2)
    assert len(person_mails(mailbox, address, reference)) == 1
    with sessions() as session:
        assert not session.execute(select(deliveries).where(deliveries.c.case_ref == reference,
                                                            deliveries.c.recipient_id == "complainant",
                                                            deliveries.c.status != "sent")).first()
