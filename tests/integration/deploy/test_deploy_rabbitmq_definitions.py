"""deploy/rabbitmq/definitions.json loaded into the real broker, in a throw-away vhost.

What this proves: the file imports cleanly; its policies attach to the queues that services declare themselves;
dead-lettering reaches the per-service dead-letter queue; every service user can declare what its relay declares
and bind the handler queues of its `@consumes` table; casework's user publishes to its own exchange only and binds
to the exchanges of the events it consumes, intake alone binds to casework.events; and a partner's credentials can
consume its own referrals and nothing else (no other partner's queue, no declaring, no binding, no publishing).

Users are global in RabbitMQ, so the users from the file are created with a random suffix (`partner-kifid.ab12cd`)
and deleted afterwards, together with the vhost. Their permissions are the file's, word for word.
"""
import copy
import json
import os
import secrets
import time
from pathlib import Path
from urllib.parse import quote

import pika
import pytest
import requests
from pika.exceptions import ChannelClosedByBroker, ProbableAuthenticationError

from libs.contracts.events import CATALOGUE, handler_name
from libs.kit import config, topology
from support.paths import REPO_ROOT

pytestmark = pytest.mark.broker

DEFINITIONS = REPO_ROOT / "deploy" / "rabbitmq" / "definitions.json"
MGMT_URL = os.environ.get("RABBITMQ_MANAGEMENT_URL", "http://127.0.0.1:15672")
MGMT_AUTH = (os.environ.get("RABBITMQ_MANAGEMENT_USER", "guest"), os.environ.get("RABBITMQ_MANAGEMENT_PASSWORD", "guest"))
AMQP_HOST = os.environ.get("RABBITMQ_HOST", "127.0.0.1")
AMQP_PORT = int(os.environ.get("RABBITMQ_PORT", "5672"))
PER_VHOST_KEYS = ("exchanges", "queues", "bindings", "policies")


def api(method, path, **kwargs):
    response = requests.request(method, MGMT_URL + "/api" + path, auth=MGMT_AUTH, timeout=10, **kwargs)
    if response.status_code >= 400:
        raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
    return response.json() if response.content else None


def q(name):
    return quote(name, safe="")


class Broker:
    def __init__(self, vhost, suffix, passwords):
        self.vhost = vhost
        self.suffix = suffix
        self.passwords = passwords

    def user(self, name):
        return f"{name}.{self.suffix}"

    def connect(self, name, password=None):
        credentials = pika.PlainCredentials(self.user(name), password or self.passwords[name])
        params = pika.ConnectionParameters(AMQP_HOST, AMQP_PORT, self.vhost, credentials,
                                           connection_attempts=1, socket_timeout=5, blocked_connection_timeout=5)
        return pika.BlockingConnection(params)


def per_vhost_definitions(definitions):
    """The vhost-scoped part of the file, in the shape POST /api/definitions/<vhost> takes."""
    adapted = {}
    for key in PER_VHOST_KEYS:
        adapted[key] = []
        for item in copy.deepcopy(definitions[key]):
            item.pop("vhost", None)
            adapted[key].append(item)
    return adapted


@pytest.fixture(scope="module")
def definitions():
    return json.loads(DEFINITIONS.read_text())


@pytest.fixture(scope="module")
def broker(definitions):
    suffix = secrets.token_hex(4)
    vhost = f"vp_deploy_test_{suffix}"
    passwords = {}
    created_users = []
    api("PUT", f"/vhosts/{q(vhost)}", json={})
    try:
        api("PUT", f"/permissions/{q(vhost)}/{q(MGMT_AUTH[0])}", json={"configure": ".*", "write": ".*", "read": ".*"})
        api("POST", f"/definitions/{q(vhost)}", json=per_vhost_definitions(definitions))
        for user in definitions["users"]:
            name = f"{user['name']}.{suffix}"
            # first exactly as the file has it (no usable password), then with a test-only password
            api("PUT", f"/users/{q(name)}", json={"password_hash": user["password_hash"], "tags": ",".join(user["tags"])})
            created_users.append(name)
            passwords[user["name"]] = "test-" + secrets.token_urlsafe(16)
        for perm in definitions["permissions"]:
            body = {k: perm[k] for k in ("configure", "write", "read")}
            api("PUT", f"/permissions/{q(vhost)}/{q(perm['user'] + '.' + suffix)}", json=body)
        for perm in definitions["topic_permissions"]:
            body = {k: perm[k] for k in ("exchange", "write", "read")}
            api("PUT", f"/topic-permissions/{q(vhost)}/{q(perm['user'] + '.' + suffix)}", json=body)
        yield Broker(vhost, suffix, passwords)
    finally:
        for name in created_users:
            requests.delete(f"{MGMT_URL}/api/users/{q(name)}", auth=MGMT_AUTH, timeout=10)
        requests.delete(f"{MGMT_URL}/api/vhosts/{q(vhost)}", auth=MGMT_AUTH, timeout=10)


@pytest.fixture(scope="module")
def with_passwords(broker, definitions):
    """Set the test passwords (the `rabbitmqctl change_password` step of docs/operations.md)."""
    by_name = {u["name"]: u for u in definitions["users"]}
    for name, password in broker.passwords.items():
        api("PUT", f"/users/{q(broker.user(name))}", json={"password": password, "tags": ",".join(by_name[name]["tags"])})
    return broker


def queues_with_stats(vhost, names, timeout=20.0):
    """Queue details once the management plugin has collected their stats (policy, type), which lags declaration."""
    deadline = time.monotonic() + timeout
    while True:
        queues = {x["name"]: x for x in api("GET", f"/queues/{q(vhost)}")}
        if all("policy" in queues.get(name, {}) for name in names) or time.monotonic() > deadline:
            return queues
        time.sleep(0.5)


def assert_access_refused(excinfo):
    assert excinfo.value.reply_code == 403, excinfo.value
    assert excinfo.value.reply_text.startswith("ACCESS_REFUSED"), excinfo.value


def wait_for_message(channel, queue, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        method, properties, body = channel.basic_get(queue, auto_ack=False)
        if method is not None:
            return method, properties, body
        time.sleep(0.05)
    raise AssertionError(f"no message arrived in {queue} within {timeout}s")


# --- the file itself -----------------------------------------------------------------------------------------


def test_deploy_users_in_the_file_cannot_log_in_before_a_password_is_set(broker):
    with pytest.raises(ProbableAuthenticationError):
        broker.connect("partner-kifid", password="guest")


def test_deploy_topology_is_imported_as_declared(broker, definitions):
    exchanges = {e["name"]: e for e in api("GET", f"/exchanges/{q(broker.vhost)}")}
    for wanted in definitions["exchanges"]:
        assert exchanges[wanted["name"]]["type"] == "topic"
        assert exchanges[wanted["name"]]["durable"] is True

    queues = queues_with_stats(broker.vhost, [x["name"] for x in definitions["queues"]])
    for service in config.SERVICES:
        dlq = queues[topology.dead_letter_queue(service)]
        assert dlq["type"] == "quorum" and dlq["durable"] is True
        assert dlq["policy"] == "dead-letter-queues"
    for partner in ("kifid", "nationale-ombudsman"):
        queue = queues[topology.partner_queue(partner)]
        assert queue["type"] == "quorum" and queue["durable"] is True
        assert queue["policy"] == "partner-queues"

    bindings = {(b["source"], b["destination"], b["routing_key"]) for b in api("GET", f"/bindings/{q(broker.vhost)}")}
    assert ("voorportaal.dlx", "voorportaal.dead-letters.routing", "routing") in bindings
    assert ("voorportaal.referrals.v1", "partner.kifid.referrals", "referral.kifid.*") in bindings
    assert ("voorportaal.referrals.v1", "partner.nationale-ombudsman.referrals", "referral.nationale-ombudsman.*") in bindings


# --- services ------------------------------------------------------------------------------------------------


def test_deploy_handler_queue_declared_by_a_service_gets_the_policy_and_dead_letters(with_passwords):
    """A nameko-style handler queue, declared by the routing service with topology's own arguments, is
    accepted next to its service's `handler-queues-<service>` policy, and a rejected message lands in
    voorportaal.dead-letters.routing."""
    broker = with_passwords
    queue = "evt-intake-complaint.received--routing.handle_complaint_received"
    connection = broker.connect("svc-routing")
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.exchange_declare(topology.events_exchange("intake"), exchange_type="topic", durable=True)
        channel.queue_declare(queue, durable=True, arguments=topology.handler_queue_arguments("routing"))
        channel.queue_bind(queue, "intake.events", routing_key="complaint.received")

        publisher = broker.connect("svc-intake")  # only intake may publish to intake.events
        try:
            publishing = publisher.channel()
            publishing.confirm_delivery()
            publishing.basic_publish("intake.events", "complaint.received", b'{"probe": true}',
                                     pika.BasicProperties(delivery_mode=2, message_id="probe-1"), mandatory=True)
        finally:
            publisher.close()
        method, _, _ = wait_for_message(channel, queue)
        channel.basic_reject(method.delivery_tag, requeue=False)

        dead_method, properties, body = wait_for_message(channel, topology.dead_letter_queue("routing"))
        assert body == b'{"probe": true}'
        assert properties.headers["x-death"][0]["queue"] == queue
        assert properties.headers["x-death"][0]["reason"] == "rejected"
        channel.basic_ack(dead_method.delivery_tag)
    finally:
        connection.close()

    info = queues_with_stats(broker.vhost, [queue])[queue]
    assert info["type"] == "quorum"
    assert info["policy"] == "handler-queues-routing"
    effective = info["effective_policy_definition"]
    assert effective["dead-letter-strategy"] == "at-least-once"
    # the policy and the arguments the service still declares say the same (test_deploy_rabbitmq_policies.py)
    assert effective["dead-letter-exchange"] == info["arguments"]["x-dead-letter-exchange"] == topology.DEAD_LETTER_EXCHANGE
    assert effective["dead-letter-routing-key"] == info["arguments"]["x-dead-letter-routing-key"] == "routing"
    assert effective["delivery-limit"] == info["arguments"]["x-delivery-limit"] == topology.BROKER_DELIVERY_LIMIT


def test_deploy_policy_alone_dead_letters_a_handler_queue_declared_without_arguments(with_passwords):
    """Dead-lettering and the delivery limit come from the broker's policy, not only from queue arguments: a
    handler queue declared with nothing but its type (as services will once the arguments are dropped) still
    dead-letters to its service's queue."""
    broker = with_passwords
    queue = "evt-routing-referral.planned--notification.on_referral_planned_probe"
    connection = broker.connect("svc-notification")
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.exchange_declare(topology.events_exchange("routing"), exchange_type="topic", durable=True)
        channel.queue_declare(queue, durable=True, arguments={"x-queue-type": "quorum"})
        channel.queue_bind(queue, "routing.events", routing_key="referral.planned")
    finally:
        connection.close()
    info = queues_with_stats(broker.vhost, [queue])[queue]
    assert info["policy"] == "handler-queues-notification"
    assert info["effective_policy_definition"]["delivery-limit"] == topology.BROKER_DELIVERY_LIMIT

    connection = broker.connect("svc-routing")
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish("routing.events", "referral.planned", b'{"probe": 2}',
                              pika.BasicProperties(delivery_mode=2, message_id="probe-2"), mandatory=True)
    finally:
        connection.close()
    connection = broker.connect("svc-notification")
    try:
        channel = connection.channel()
        method, _, _ = wait_for_message(channel, queue)
        channel.basic_reject(method.delivery_tag, requeue=False)
        dead_method, properties, body = wait_for_message(channel, topology.dead_letter_queue("notification"))
        assert body == b'{"probe": 2}'
        assert properties.headers["x-death"][0]["queue"] == queue
        channel.basic_ack(dead_method.delivery_tag)
    finally:
        connection.close()


@pytest.mark.parametrize("service", config.SERVICES)
def test_deploy_each_service_user_can_declare_what_its_relay_declares(with_passwords, service):
    """The relay runs libs.kit.topology.declare_base for its own service at start; with production permissions
    that must pass (routing also declares the partner queues when DECLARE_PARTNER_QUEUES is on)."""
    connection = with_passwords.connect(f"svc-{service}")
    try:
        topology.declare_base(connection.channel(), (service,))
        if service == "routing":
            topology.declare_partner_queues(connection.channel(), ("kifid", "nationale-ombudsman"))
    finally:
        connection.close()


def consumed_by(service):
    """[(source exchange, routing key, handler queue)] as nameko declares them for the service's @consumes table."""
    from devtools.event_map import service_tables

    return sorted((topology.events_exchange(CATALOGUE[event][0]), event,
                   f"evt-{CATALOGUE[event][0]}-{event}--{service}.{handler_name(event)}")
                  for event in service_tables()[service])


def declare_and_bind(channel, service, exchange, routing_key, queue):
    """What a ReliableEventHandler does at start: the source exchange, its quorum queue with our arguments, the
    binding."""
    channel.exchange_declare(exchange, exchange_type="topic", durable=True)
    channel.queue_declare(queue, durable=True, arguments=topology.handler_queue_arguments(service))
    channel.queue_bind(queue, exchange, routing_key=routing_key)


@pytest.mark.parametrize("service", config.SERVICES)
def test_deploy_each_service_user_can_declare_bind_and_consume_its_handler_queues(with_passwords, service):
    bindings = consumed_by(service)
    assert bindings
    connection = with_passwords.connect(f"svc-{service}")
    try:
        channel = connection.channel()
        for exchange, routing_key, queue in bindings:
            declare_and_bind(channel, service, exchange, routing_key, queue)
            channel.basic_consume(queue, lambda *a: None)
    finally:
        connection.close()
    queues = queues_with_stats(with_passwords.vhost, [queue for _, _, queue in bindings])
    for _, _, queue in bindings:
        assert queues[queue]["policy"] == f"handler-queues-{service}"


def test_deploy_casework_receives_a_sealed_case_and_intake_the_key_directory(with_passwords):
    """The two new paths end to end on the broker: intake.events → casework's handler queue, and
    casework.events → intake's, each published by the producer's own user with confirms and `mandatory`."""
    broker = with_passwords
    sealed = "evt-intake-complaint.sealed--casework.on_complaint_sealed"
    directory = "evt-casework-staff.key_directory_published--intake.on_staff_key_directory_published"
    assert ("intake.events", "complaint.sealed", sealed) in consumed_by("casework")
    assert ("casework.events", "staff.key_directory_published", directory) in consumed_by("intake")
    for service, exchange, routing_key, queue in (("casework", "intake.events", "complaint.sealed", sealed),
                                                  ("intake", "casework.events", "staff.key_directory_published", directory)):
        connection = broker.connect(f"svc-{service}")
        try:
            declare_and_bind(connection.channel(), service, exchange, routing_key, queue)
        finally:
            connection.close()
    for producer, exchange, routing_key, body in (("intake", "intake.events", "complaint.sealed", b'{"probe": "sealed"}'),
                                                  ("casework", "casework.events", "staff.key_directory_published",
                                                   b'{"probe": "directory"}')):
        connection = broker.connect(f"svc-{producer}")
        try:
            channel = connection.channel()
            channel.confirm_delivery()
            channel.basic_publish(exchange, routing_key, body, pika.BasicProperties(delivery_mode=2), mandatory=True)
        finally:
            connection.close()
    for consumer, queue, body in (("casework", sealed, b'{"probe": "sealed"}'), ("intake", directory, b'{"probe": "directory"}')):
        connection = broker.connect(f"svc-{consumer}")
        try:
            channel = connection.channel()
            method, _, received = wait_for_message(channel, queue)
            assert received == body
            channel.basic_ack(method.delivery_tag)
        finally:
            connection.close()


def test_deploy_casework_handler_queue_dead_letters_to_its_own_queue(with_passwords):
    broker = with_passwords
    queue = "evt-routing-referral.planned--casework.on_referral_planned"
    connection = broker.connect("svc-casework")
    try:
        channel = connection.channel()
        declare_and_bind(channel, "casework", "routing.events", "referral.planned", queue)
    finally:
        connection.close()
    connection = broker.connect("svc-routing")
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish("routing.events", "referral.planned", b'{"probe": "casework-dlq"}',
                              pika.BasicProperties(delivery_mode=2), mandatory=True)
    finally:
        connection.close()
    connection = broker.connect("svc-casework")
    try:
        channel = connection.channel()
        method, _, _ = wait_for_message(channel, queue)
        channel.basic_reject(method.delivery_tag, requeue=False)
        dead, properties, body = wait_for_message(channel, topology.dead_letter_queue("casework"))
        assert body == b'{"probe": "casework-dlq"}' and properties.headers["x-death"][0]["queue"] == queue
        channel.basic_ack(dead.delivery_tag)
    finally:
        connection.close()
    assert queues_with_stats(broker.vhost, [queue])[queue]["policy"] == "handler-queues-casework"


@pytest.mark.parametrize("attempt", ["publish_to_intake_events", "bind_to_analytics_events",
                                     "consume_another_services_queue", "consume_another_services_dead_letters",
                                     "declare_a_queue_of_another_service", "publish_partner_referral"])
def test_deploy_casework_is_refused_what_it_does_not_need(with_passwords, attempt):
    broker = with_passwords
    if attempt == "consume_another_services_queue":
        connection = broker.connect("svc-routing")
        try:
            declare_and_bind(connection.channel(), "routing", "intake.events", "complaint.received",
                             "evt-intake-complaint.received--routing.on_complaint_received")
        finally:
            connection.close()
    connection = broker.connect("svc-casework")
    try:
        channel = connection.channel()
        with pytest.raises(ChannelClosedByBroker) as excinfo:
            if attempt == "publish_to_intake_events":
                channel.confirm_delivery()
                channel.basic_publish("intake.events", "complaint.received", b"{}", mandatory=True)
            elif attempt == "bind_to_analytics_events":
                queue = "evt-analytics-x.y--casework.on_x"
                channel.queue_declare(queue, durable=True, arguments=topology.handler_queue_arguments("casework"))
                channel.queue_bind(queue, "analytics.events", routing_key="#")
            elif attempt == "consume_another_services_queue":
                channel.basic_consume("evt-intake-complaint.received--routing.on_complaint_received", lambda *a: None)
            elif attempt == "consume_another_services_dead_letters":
                channel.basic_get(topology.dead_letter_queue("intake"))
            elif attempt == "declare_a_queue_of_another_service":
                channel.queue_declare("evt-intake-complaint.sealed--routing.on_complaint_sealed", durable=True,
                                      arguments=topology.handler_queue_arguments("routing"))
            elif attempt == "publish_partner_referral":
                channel.confirm_delivery()
                channel.basic_publish(topology.PARTNER_EXCHANGE, "referral.kifid.created", b"{}", mandatory=True)
        assert_access_refused(excinfo)
    finally:
        if connection.is_open:
            connection.close()


@pytest.mark.parametrize("service", ["routing", "notification"])
def test_deploy_only_intake_and_analytics_may_bind_to_the_case_status_on_casework_events(with_passwords, service):
    """The case status goes to intake ("did it help?") and analytics (the evaluation); nobody else binds it.
    (Declaring the queue is allowed, as every handler queue of the service is; binding it is not.)"""
    connection = with_passwords.connect(f"svc-{service}")
    try:
        channel = connection.channel()
        queue = f"evt-casework-case.status_changed--{service}.on_case_status_changed"
        channel.queue_declare(queue, durable=True, arguments=topology.handler_queue_arguments(service))
        with pytest.raises(ChannelClosedByBroker) as excinfo:
            channel.queue_bind(queue, "casework.events", routing_key="case.status_changed")
        assert_access_refused(excinfo)
    finally:
        if connection.is_open:
            connection.close()


def test_deploy_only_routing_may_publish_partner_referrals(with_passwords):
    connection = with_passwords.connect("svc-intake")
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        with pytest.raises(ChannelClosedByBroker) as excinfo:
            channel.basic_publish(topology.PARTNER_EXCHANGE, "referral.kifid.created", b"{}", mandatory=True)
        assert_access_refused(excinfo)
    finally:
        connection.close()


def other_service(service):
    """A service whose events `service` consumes, when there is one; else another service."""
    sources = [exchange.split(".")[0] for exchange, _key, _queue in consumed_by(service)]
    return next((s for s in sources if s != service), next(s for s in config.SERVICES if s != service))


@pytest.mark.parametrize("service", config.SERVICES)
@pytest.mark.parametrize("attempt", ["consume_another_services_queue", "publish_to_another_services_exchange",
                                     "consume_another_services_dead_letters", "bind_an_event_it_does_not_consume",
                                     "declare_another_services_queue", "publish_partner_referral"])
def test_deploy_every_service_is_refused_what_it_does_not_need(with_passwords, service, attempt):
    """Issue 19, finding 3: each service user is refused another service's queue, publishing to another service's
    exchange (even one it consumes from), another's dead letters, binding a routing key it does not consume, and
    (all but routing) the partner exchange."""
    if attempt == "publish_partner_referral" and service == topology.PARTNER_PUBLISHER:
        pytest.skip("routing is the partner exchange's publisher")
    broker = with_passwords
    other = other_service(service)
    victim_exchange, victim_key, victim_queue = consumed_by(other)[0]
    # the other service's handler queue exists, declared by its own user
    owner = broker.connect(f"svc-{other}")
    try:
        declare_and_bind(owner.channel(), other, victim_exchange, victim_key, victim_queue)
        topology.declare_base(owner.channel(), (other,))
    finally:
        owner.close()
    connection = broker.connect(f"svc-{service}")
    try:
        channel = connection.channel()
        with pytest.raises(ChannelClosedByBroker) as excinfo:
            if attempt == "consume_another_services_queue":
                channel.basic_consume(victim_queue, lambda *a: None)
            elif attempt == "publish_to_another_services_exchange":
                channel.confirm_delivery()
                channel.basic_publish(topology.events_exchange(other), "complaint.received", b"{}", mandatory=True)
            elif attempt == "consume_another_services_dead_letters":
                channel.basic_get(topology.dead_letter_queue(other))
            elif attempt == "bind_an_event_it_does_not_consume":
                source = consumed_by(service)[0][0]
                queue = f"evt-{source.split('.')[0]}-complaint.sealed--{service}.on_complaint_sealed"
                channel.queue_declare(queue, durable=True, arguments=topology.handler_queue_arguments(service))
                channel.queue_bind(queue, source, routing_key="#")
            elif attempt == "declare_another_services_queue":
                channel.queue_declare(f"evt-intake-complaint.sealed--{other}.on_complaint_sealed", durable=True,
                                      arguments=topology.handler_queue_arguments(other))
            elif attempt == "publish_partner_referral":
                channel.confirm_delivery()
                channel.basic_publish(topology.PARTNER_EXCHANGE, "referral.kifid.created", b"{}", mandatory=True)
        assert_access_refused(excinfo)
    finally:
        if connection.is_open:
            connection.close()


# --- partners ------------------------------------------------------------------------------------------------


def publish_referral(broker, partner, body):
    connection = broker.connect("svc-routing")
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(topology.PARTNER_EXCHANGE, topology.partner_routing_key(partner, "created"), body,
                              pika.BasicProperties(delivery_mode=2, content_type="application/cloudevents+json"),
                              mandatory=True)
    finally:
        connection.close()


def test_deploy_partner_consumes_its_own_queue(with_passwords):
    publish_referral(with_passwords, "kifid", b'{"specversion": "1.0", "probe": "kifid"}')
    connection = with_passwords.connect("partner-kifid")
    try:
        channel = connection.channel()
        received = []
        channel.basic_consume("partner.kifid.referrals", lambda ch, m, p, b: (received.append(b), ch.basic_ack(m.delivery_tag)))
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            connection.process_data_events(time_limit=0.2)
        assert received == [b'{"specversion": "1.0", "probe": "kifid"}']
    finally:
        connection.close()


@pytest.mark.parametrize("attempt", ["consume_other_partner", "consume_dead_letters", "declare_queue",
                                     "bind_own_queue_to_all_referrals", "publish_referral"])
def test_deploy_partner_is_refused_everything_else(with_passwords, attempt):
    connection = with_passwords.connect("partner-kifid")
    try:
        channel = connection.channel()
        with pytest.raises(ChannelClosedByBroker) as excinfo:
            if attempt == "consume_other_partner":
                channel.basic_consume("partner.nationale-ombudsman.referrals", lambda *a: None)
            elif attempt == "consume_dead_letters":
                channel.basic_consume("voorportaal.dead-letters.routing", lambda *a: None)
            elif attempt == "declare_queue":
                channel.queue_declare("partner.kifid.everything", durable=True, arguments={"x-queue-type": "quorum"})
                channel.queue_bind("partner.kifid.everything", topology.PARTNER_EXCHANGE, routing_key="referral.#")
            elif attempt == "bind_own_queue_to_all_referrals":
                channel.queue_bind("partner.kifid.referrals", topology.PARTNER_EXCHANGE, routing_key="referral.#")
            elif attempt == "publish_referral":
                channel.confirm_delivery()
                channel.basic_publish(topology.PARTNER_EXCHANGE, "referral.kifid.created", b"{}", mandatory=True)
        assert_access_refused(excinfo)
    finally:
        if connection.is_open:
            connection.close()


def test_deploy_other_partner_messages_stay_in_their_queue(with_passwords):
    """Defence in depth: the refusals above leave the other partner's referral untouched."""
    publish_referral(with_passwords, "nationale-ombudsman", b'{"probe": "ombudsman"}')
    connection = with_passwords.connect("partner-nationale-ombudsman")
    try:
        channel = connection.channel()
        method, _, body = wait_for_message(channel, "partner.nationale-ombudsman.referrals")
        assert body == b'{"probe": "ombudsman"}'
        channel.basic_ack(method.delivery_tag)
    finally:
        connection.close()


# --- partners answer back ------------------------------------------------------------------------------------


def publish_update(broker, partner, routing_key, body, user_id=None):
    """A partner's status update as the partner client sends it: confirms, mandatory, persistent, and `user_id`
    (the broker checks it against the connection's user)."""
    connection = broker.connect(f"partner-{partner}")
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(topology.PARTNER_UPDATES_EXCHANGE, routing_key, body,
                              pika.BasicProperties(delivery_mode=2, content_type="application/cloudevents+json",
                                                   user_id=user_id or broker.user(f"partner-{partner}")),
                              mandatory=True)
    finally:
        if connection.is_open:
            connection.close()


def test_deploy_routing_declares_the_partner_updates_queue_as_the_file_does(with_passwords):
    connection = with_passwords.connect("svc-routing")
    try:
        topology.declare_partner_updates(connection.channel())  # same arguments, or the broker refuses (406)
    finally:
        connection.close()


def test_deploy_partner_update_reaches_routing_and_only_routing(with_passwords):
    publish_update(with_passwords, "kifid", topology.partner_update_routing_key("kifid", "answered"), b'{"probe": "u1"}')
    connection = with_passwords.connect("svc-routing")
    try:
        channel = connection.channel()
        method, properties, body = wait_for_message(channel, topology.PARTNER_UPDATES_QUEUE)
        assert body == b'{"probe": "u1"}'
        assert properties.user_id == with_passwords.user("partner-kifid")  # what routing checks the source against
        channel.basic_ack(method.delivery_tag)
    finally:
        connection.close()
    for user in ("partner-kifid", "svc-intake", "svc-casework"):
        connection = with_passwords.connect(user)
        try:
            with pytest.raises(ChannelClosedByBroker) as excinfo:
                connection.channel().basic_get(topology.PARTNER_UPDATES_QUEUE)
            assert_access_refused(excinfo)
        finally:
            if connection.is_open:
                connection.close()


@pytest.mark.parametrize("routing_key", ["partner.nationale-ombudsman.answered", "partner.kifid", "referral.kifid.created",
                                         "partner.kifid.answered.extra"])
def test_deploy_partner_may_not_publish_an_update_for_another_partner(with_passwords, routing_key):
    """The proof of issue 18 on the broker: Kifid's credentials cannot write an update under the Nationale
    ombudsman's routing key (nor any key that is not `partner.kifid.<status>`)."""
    with pytest.raises(ChannelClosedByBroker) as excinfo:
        publish_update(with_passwords, "kifid", routing_key, b'{"probe": "forged"}')
    assert_access_refused(excinfo)


def test_deploy_partner_may_not_claim_another_user(with_passwords):
    """`user_id` is checked by the broker: Kifid cannot publish as the Nationale ombudsman's user."""
    with pytest.raises(ChannelClosedByBroker) as excinfo:
        publish_update(with_passwords, "kifid", "partner.kifid.answered", b'{"probe": "claimed"}',
                       user_id=with_passwords.user("partner-nationale-ombudsman"))
    assert excinfo.value.reply_code == 406, excinfo.value


@pytest.mark.parametrize("exchange", ["voorportaal.referrals.v1", "routing.events", "intake.events"])
def test_deploy_partner_writes_nowhere_else(with_passwords, exchange):
    connection = with_passwords.connect("partner-kifid")
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        with pytest.raises(ChannelClosedByBroker) as excinfo:
            channel.basic_publish(exchange, "partner.kifid.answered", b"{}", mandatory=True)
        assert_access_refused(excinfo)
    finally:
        if connection.is_open:
            connection.close()


# --- the signal report ---------------------------------------------------------------------------------------------


def test_deploy_analytics_publishes_signal_announcements_but_never_a_referral(with_passwords):
    """Analytics' topic permission on the partner exchange: `signals.<sector>` is routed to the subscribed partner's
    signals queue; a referral routing key is refused."""
    connection = with_passwords.connect("svc-analytics")
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(topology.PARTNER_EXCHANGE, "signals.banks", b'{"probe": "signal"}',
                              pika.BasicProperties(delivery_mode=2), mandatory=True)
        with pytest.raises(ChannelClosedByBroker) as excinfo:
            channel.basic_publish(topology.PARTNER_EXCHANGE, "referral.kifid.created", b"{}", mandatory=True)
        assert_access_refused(excinfo)
    finally:
        if connection.is_open:
            connection.close()
    connection = with_passwords.connect("partner-kifid")
    try:
        channel = connection.channel()
        _method, _properties, body = wait_for_message(channel, "partner.kifid.signals")
        assert body == b'{"probe": "signal"}'
    finally:
        connection.close()


@pytest.mark.parametrize("service, event_type, entrypoint", [
    ("analytics", "case.status_changed", "on_case_status_changed"),  # time to first action, to closure
    ("notification", "conversation.desk_message_waiting", "on_desk_message_waiting"),  # the content-free e-mail
    ("analytics", "signal.observation_written", "on_signal_observation_written"),  # the signal report
])
def test_deploy_a_service_binds_on_casework_events_only_what_it_consumes(with_passwords, service, event_type,
                                                                         entrypoint):
    """Each service hears the workspace's events it consumes and nothing else of the workspace's (never the desk's
    sealed messages): a topic permission per service on casework.events."""
    connection = with_passwords.connect(f"svc-{service}")
    try:
        channel = connection.channel()
        queue = f"evt-casework-{event_type}--{service}.{entrypoint}"
        channel.queue_declare(queue, durable=True, arguments=topology.handler_queue_arguments(service))
        channel.queue_bind(queue, "casework.events", routing_key=event_type)
        with pytest.raises(ChannelClosedByBroker) as excinfo:
            channel.queue_bind(queue, "casework.events", routing_key="conversation.desk_wrote")
        assert_access_refused(excinfo)
    finally:
        if connection.is_open:
            connection.close()
