"""Issue 19, finding 3: the platform runs with its least-privilege broker users. deploy/rabbitmq/definitions.json
is loaded into the test's own vhost; each service class starts in a nameko container as its own production user
(svc-<service>), declares and binds every handler queue of its `@consumes` table and consumes from it; and one
complaint goes intake relay → routing → routing relay → the partner's queue, each step with its own account."""
import base64
import json
import time
from datetime import date
from urllib.parse import unquote, urlsplit

import pika
import pytest
from nacl.public import PrivateKey
from nameko.testing.services import entrypoint_waiter
from sqlalchemy import MetaData, select

from devtools.event_map import service_tables
from libs.contracts.events import CATALOGUE, handler_name
from libs.kit import topology
from libs.kit.db import make_engine, make_session_factory, outbox_table
from libs.kit.outbox import emit
from libs.kit.relay import OutboxRelay
from support.broker_users import production_users, queue_consumers
from support.platform import free_port

pytestmark = [pytest.mark.broker]

MESSAGING = PrivateKey.generate()


@pytest.fixture()
def users(fresh_amqp_uri):
    vhost = unquote(urlsplit(fresh_amqp_uri).path.lstrip("/"))
    with production_users(vhost) as uri:
        yield vhost, uri


@pytest.fixture(autouse=True)
def service_settings(monkeypatch, tmp_path):
    """What each service needs to start (the service folders' own fixtures set the same), settings caches cleared."""
    from services.analytics import settings as analytics_settings
    from services.casework import service as casework_service
    from services.casework import settings as casework_settings
    from services.intake import settings as intake_settings
    from services.intake.web import observed
    from services.notification import settings as notification_settings
    from services.routing import settings as routing_settings
    for name, value in {
        "VOORPORTAAL_VAR_DIR": str(tmp_path / "var"), "RECEIPT_KEY": "7e" * 32, "PARTNER_SECRET": "5a" * 32,
        "COMPLAINANT_MESSAGING_PUBLIC_KEY": base64.b64encode(bytes(MESSAGING.public_key)).decode(),
        "COMPLAINANT_MESSAGING_PRIVATE_KEY": base64.b64encode(bytes(MESSAGING)).decode(),
        "NOTIFICATION_LINK_SECRET": "5a" * 32, "NOTIFICATION_WEBHOOK_SECRET": "6b" * 32,
        "NOTIFICATION_WEB_ADDRESS": f"127.0.0.1:{free_port()}", "ANALYTICS_WEB_ADDRESS": f"127.0.0.1:{free_port()}",
        "ANALYTICS_PSEUDONYM_KEY": "3c" * 32, "ANALYTICS_REPORT_TOKEN": "ab" * 16, "CASEWORK_SECRET": "6b" * 32,
        "CASEWORK_WEB_ADDRESS": f"127.0.0.1:{free_port()}", "ROUTING_TODAY": "2026-11-02",
    }.items():
        monkeypatch.setenv(name, value)
    caches = (analytics_settings.load, casework_settings.load, casework_service.server_keys, intake_settings.load,
              intake_settings.load_web, observed.limiter, notification_settings.load, routing_settings.load)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


def service_class(service):
    import importlib
    module = importlib.import_module(f"services.{service}.service")
    cls = next(value for value in vars(module).values() if isinstance(value, type) and getattr(value, "name", None)
               == service and hasattr(value, "db"))
    return cls, module.config


def handler_queues(service):
    return sorted(f"evt-{CATALOGUE[event][0]}-{event}--{service}.{handler_name(event)}"
                  for event in service_tables()[service])


def start_as(container_factory, service_env, uri, service):
    cls, make_config = service_class(service)
    url = service_env(service)
    config = dict(make_config(), AMQP_URI=uri(f"svc-{service}"))
    if service == "intake":
        config["WEB_SERVER_ADDRESS"] = f"127.0.0.1:{free_port()}"
    container = container_factory(cls, config)
    container.start()
    return container, make_session_factory(make_engine(url))


@pytest.mark.parametrize("service", ["intake", "routing", "notification", "analytics", "casework"])
def test_each_service_starts_and_consumes_as_its_own_broker_user(container_factory, service_env, users, service):
    vhost, uri = users
    container, _sessions = start_as(container_factory, service_env, uri, service)
    wanted = handler_queues(service)
    deadline = time.monotonic() + 20
    while True:  # the management API counts consumers a moment after they start
        consumers = queue_consumers(vhost)
        if all(consumers.get(queue, 0) >= 1 for queue in wanted) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert {queue: consumers.get(queue, 0) for queue in wanted} == {queue: 1 for queue in wanted}
    time.sleep(1)
    assert not container._died.ready(), "the container stopped (a refused declaration kills its consumer)"


def test_a_complaint_reaches_the_partner_with_every_step_on_its_own_account(container_factory, service_env, users,
                                                                            tmp_path):
    vhost, uri = users
    container, routing_sessions = start_as(container_factory, service_env, uri, "routing")
    # intake's relay, as svc-intake, publishes complaint.received from intake's outbox
    intake_engine = make_engine(f"sqlite:///{tmp_path / 'intake-outbox.db'}")
    intake_outbox = outbox_table(MetaData(), "intake")
    intake_outbox.metadata.create_all(intake_engine)
    data = {"case_ref": "VP-USER-0001", "received_on": date(2026, 11, 2), "institution_type": "bank",
            "issue": "account_refused_or_closed", "municipality": "GM0363", "capacity": "private",
            "incident_date": date(2026, 10, 1), "prior_complaint": None, "language": "nl",
            "reporter_role": "sex_worker", "wants_mediation": False, "has_contact": False,
            "consent": {"referral": True, "share_description": False, "contact": False}}
    with make_session_factory(intake_engine)() as session:
        emit(session, intake_outbox, "complaint.received", data, correlation_id="VP-USER-0001")
        session.commit()
    intake_relay = OutboxRelay("intake", intake_engine, uri("svc-intake"))
    with entrypoint_waiter(container, "on_complaint_received", timeout=15):
        assert intake_relay.publish_batch() == 1
    intake_relay._disconnect()
    # routing's relay, as svc-routing, publishes referral.planned and the partner referral
    routing_engine = routing_sessions.kw["bind"]
    # (referral.planned finds no queue here, as nobody else runs: unroutable, it stays for a later try)
    routing_relay = OutboxRelay("routing", routing_engine, uri("svc-routing"))
    assert routing_relay.publish_batch() == 1
    routing_relay._disconnect()
    with routing_engine.connect() as conn:
        published = {row.routing_key for row in conn.execute(select(routing_relay.outbox)) if row.published_at}
    assert published == {"referral.kifid.created"}
    # the partner reads it with its own account
    connection = pika.BlockingConnection(pika.URLParameters(uri("partner-kifid")))
    try:
        channel = connection.channel()
        deadline = time.monotonic() + 10
        method = None
        while method is None and time.monotonic() < deadline:
            method, _properties, body = channel.basic_get(topology.partner_queue("kifid"), auto_ack=True)
            time.sleep(0.05) if method is None else None
        assert method is not None and json.loads(body)["type"] == "nl.voorportaal.referral.created.v1"
    finally:
        connection.close()
