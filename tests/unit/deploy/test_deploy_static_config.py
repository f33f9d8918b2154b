"""Static rules for deploy/rabbitmq and docs/operations.md that need no broker and no promtool.

The permissions are checked against what the code does: each service's `@consumes` table (the handler queues it
declares and the exchanges it binds them to) and what every relay declares at start
(libs.kit.topology.declare_base). RabbitMQ's rules: declaring needs `configure` on the queue or exchange (and, for
a queue with a dead-letter exchange, `read` on the queue and `write` on that exchange), binding needs `write` on
the queue and `read` on the exchange, publishing `write` on the exchange, consuming `read` on the queue.
tests/integration/deploy shows the same on the real broker.
"""
import json
import re
from functools import lru_cache

import pytest

from support.deploy_testlib import DEPLOY, ROOT, SERVICES, github_anchor

DEFINITIONS = json.loads((DEPLOY / "rabbitmq" / "definitions.json").read_text())
PARTNERS = ("kifid", "nationale-ombudsman")
# the sectors of the signal report each partner subscribed to (docs/partners.md, "Signal report"): one binding each
SIGNAL_SUBSCRIPTIONS = {"kifid": {"banks", "insurers"}, "nationale-ombudsman": {"municipalities", "police", "tax"}}
# Dead-lettering and the delivery limit are broker policies (one per consuming service, because the dead-letter
# routing key is the service). The services still declare the same values as queue arguments
# (libs/kit/topology.handler_queue_arguments): the two must agree, whichever of them the broker applies.
POLICY_FOR_ARGUMENT = {"x-dead-letter-exchange": "dead-letter-exchange",
                       "x-dead-letter-routing-key": "dead-letter-routing-key", "x-delivery-limit": "delivery-limit"}


@lru_cache(maxsize=1)
def consumed():
    """{service: {(source service, event type, handler queue)}} from each service's @consumes table."""
    from devtools.event_map import service_tables
    from libs.contracts.events import CATALOGUE, handler_name

    return {service: {(CATALOGUE[event][0], event, f"evt-{CATALOGUE[event][0]}-{event}--{service}.{handler_name(event)}")
                      for event in table}
            for service, table in service_tables().items()}


def permission(user):
    (found,) = [p for p in DEFINITIONS["permissions"] if p["user"] == user]
    return found


def allows(perm, kind, name):
    return re.search(perm[kind], name) is not None


def service_users():
    return [p for p in DEFINITIONS["permissions"] if p["user"].startswith("svc-")]


def test_deploy_the_deployed_services_are_the_platforms(metrics_contract):
    from libs.kit import config

    assert SERVICES == config.SERVICES, "tests/support/deploy_testlib.SERVICES and libs/kit/config.SERVICES differ"
    assert metrics_contract["ops_ports"] == config.DEFAULT_OPS_PORTS
    assert metrics_contract["relay_ports"] == config.DEFAULT_RELAY_PORTS
    assert set(consumed()) == set(SERVICES)
    assert {f"svc-{s}" for s in SERVICES} == {p["user"] for p in service_users()} == \
           {u["name"] for u in DEFINITIONS["users"] if u["name"].startswith("svc-")}


def test_deploy_definitions_exchanges_are_durable_topics():
    names = {e["name"] for e in DEFINITIONS["exchanges"]}
    assert names == {f"{s}.events" for s in SERVICES} | {"voorportaal.referrals.v1", "voorportaal.dlx",
                                                          "voorportaal.partner-updates.v1"}
    assert all(e["type"] == "topic" and e["durable"] and e["vhost"] == "voorportaal" for e in DEFINITIONS["exchanges"])


def test_deploy_definitions_queues_are_durable_quorum_queues():
    from libs.kit import topology

    names = {q["name"] for q in DEFINITIONS["queues"]}
    assert names == {f"voorportaal.dead-letters.{s}" for s in SERVICES} | {f"partner.{p}.referrals" for p in PARTNERS} \
        | {topology.PARTNER_UPDATES_QUEUE} \
        | {f"partner.{p}.signals" for p in SIGNAL_SUBSCRIPTIONS} | {"voorportaal.signals.announced"}
    for queue in DEFINITIONS["queues"]:
        if queue["name"] == topology.PARTNER_UPDATES_QUEUE:
            # routing declares it at start with these arguments: they must be the file's, or the declaration fails
            assert queue["durable"] and queue["arguments"] == topology.handler_queue_arguments("routing")
            continue
        assert queue["durable"] and queue["arguments"] == {"x-queue-type": "quorum"}, queue["name"]


def test_deploy_definitions_handler_policies_agree_with_the_arguments_services_declare():
    from libs.kit import config, topology

    handler_policies = {p["name"]: p for p in DEFINITIONS["policies"] if p["name"].startswith("handler-queues")}
    assert set(handler_policies) == {f"handler-queues-{s}" for s in config.SERVICES}
    for service in config.SERVICES:
        policy = handler_policies[f"handler-queues-{service}"]
        definition = policy["definition"]
        arguments = topology.handler_queue_arguments(service)
        for argument, key in POLICY_FOR_ARGUMENT.items():
            assert definition[key] == arguments[argument], (service, key)
        assert definition["dead-letter-strategy"] == "at-least-once"
        # the queue names the services make: evt-<source>-<event>--<service>.<method>
        pattern = re.compile(policy["pattern"])
        assert pattern.search(f"evt-intake-complaint.received--{service}.on_complaint_received")
        for other in config.SERVICES:
            if other != service:
                assert not pattern.search(f"evt-intake-complaint.received--{other}.on_complaint_received")
    assert topology.DEAD_LETTER_EXCHANGE in {e["name"] for e in DEFINITIONS["exchanges"]}


def test_deploy_definitions_policies_never_overlap_and_at_least_once_rejects_publish():
    probes = [q["name"] for q in DEFINITIONS["queues"]] + [
        f"evt-intake-complaint.received--{s}.x" for s in SERVICES]
    for policy in DEFINITIONS["policies"]:
        if policy["definition"].get("dead-letter-strategy") == "at-least-once":
            assert policy["definition"].get("overflow") == "reject-publish", policy["name"]
        others = [p for p in DEFINITIONS["policies"] if p is not policy]
        for name in probes:
            if re.search(policy["pattern"], name):
                assert not any(re.search(o["pattern"], name) for o in others), f"two policies match {name}"
    for name in probes:
        assert any(re.search(p["pattern"], name) for p in DEFINITIONS["policies"]), f"no policy for {name}"


@pytest.mark.parametrize("service", SERVICES)
def test_deploy_definitions_each_service_may_bind_and_consume_the_events_it_consumes(service):
    from libs.kit import topology

    perm = permission(f"svc-{service}")
    for source, _event, queue in consumed()[service]:
        exchange = topology.events_exchange(source)
        for kind in ("configure", "write", "read"):
            assert allows(perm, kind, queue), (service, kind, queue)
        assert allows(perm, "read", exchange), f"svc-{service} cannot bind {queue} to {exchange}"
        assert allows(perm, "configure", exchange), f"svc-{service}: nameko declares {exchange} before binding"
        assert allows(perm, "write", topology.DEAD_LETTER_EXCHANGE), "a queue with a dead-letter exchange"


@pytest.mark.parametrize("service", SERVICES)
def test_deploy_definitions_each_service_may_declare_what_its_relay_declares_and_publish(service):
    from libs.kit import config, topology

    perm = permission(f"svc-{service}")
    exchanges = [topology.events_exchange(service), topology.DEAD_LETTER_EXCHANGE]
    if service == topology.PARTNER_PUBLISHER:
        exchanges.append(topology.PARTNER_EXCHANGE)
    for exchange in exchanges:
        assert allows(perm, "configure", exchange), (service, exchange)
    queue = topology.dead_letter_queue(service)
    assert allows(perm, "configure", queue) and allows(perm, "write", queue), (service, queue)
    assert allows(perm, "read", topology.DEAD_LETTER_EXCHANGE)
    assert allows(perm, "write", topology.events_exchange(service)), "the relay publishes to its own exchange"
    # the replay tool reads the service's own dead letters
    assert allows(perm, "read", topology.dead_letter_queue(service))


def test_deploy_definitions_only_the_consumers_of_casework_events_may_bind_to_them():
    """casework.events is bound by the services that consume from it and no other: intake (the key directory, the
    desk's messages and read marks, the case status for "did it help?"), notification (a message is waiting) and
    analytics (the case status, for the evaluation;
    the coordinators' observations for the signal report). Notification and analytics may bind only the events they
    consume there (a topic permission each). Only casework publishes there."""
    from libs.contracts.events import CATALOGUE

    consumers = {service for service, bindings in consumed().items()
                 if any(source == "casework" for source, _event, _queue in bindings)}
    assert consumers == {"intake", "notification", "analytics"}
    everything = [event for event, (source, _schema) in CATALOGUE.items() if source == "casework"]
    for service in ("notification", "analytics"):
        wanted = {event for source, event, _queue in consumed()[service] if source == "casework"}
        (topic,) = [p for p in DEFINITIONS["topic_permissions"]
                    if p["user"] == f"svc-{service}" and p["exchange"] == "casework.events"]
        assert topic["write"] == "^$"
        assert {event for event in everything if re.search(topic["read"], event)} == wanted, service
    readers = {p["user"] for p in service_users() if allows(p, "read", "casework.events")}
    assert readers == {f"svc-{service}" for service in consumers}
    writers = {p["user"] for p in service_users() if allows(p, "write", "casework.events")}
    assert writers == {"svc-casework"}


def test_deploy_definitions_casework_has_least_privilege():
    """svc-casework publishes to its own exchange only, binds its own handler queues to the exchanges of the
    services whose events it consumes, and reads no queue but its own handler queues and dead letters."""
    from libs.kit import topology

    perm = permission("svc-casework")
    exchanges = [e["name"] for e in DEFINITIONS["exchanges"]]
    assert {e for e in exchanges if allows(perm, "write", e)} == {"casework.events", topology.DEAD_LETTER_EXCHANGE}
    sources = {topology.events_exchange(source) for source, _event, _queue in consumed()["casework"]}
    assert sources == {"intake.events", "routing.events", "notification.events"}
    assert {e for e in exchanges if allows(perm, "read", e)} == sources | {topology.DEAD_LETTER_EXCHANGE}
    queues = [q["name"] for q in DEFINITIONS["queues"]]
    assert [q for q in queues if allows(perm, "read", q)] == [topology.dead_letter_queue("casework")]
    others = [queue for service, bindings in consumed().items() if service != "casework"
              for _source, _event, queue in bindings]
    assert others
    for queue in others + ["evt-intake-complaint.sealed--routing.on_complaint_sealed", "rpc-casework", "nameko-rpc"]:
        for kind in ("configure", "write", "read"):
            assert not allows(perm, kind, queue), (kind, queue)
    # what casework consumes is sealed: no other service binds complaint.sealed (only through a queue of its own)
    for service, bindings in consumed().items():
        if service != "casework":
            assert "complaint.sealed" not in {event for _source, event, _queue in bindings}


@pytest.mark.parametrize("service", SERVICES)
def test_deploy_definitions_every_service_has_least_privilege(service):
    """Issue 19, finding 3: like svc-casework, every service user publishes to its own exchange only, reads only
    its own handler queues, its own dead letters and the exchanges it binds from, configures only what it
    declares (the partner exchange: routing alone), and may bind only the routing keys it consumes (topic
    permissions on each source exchange)."""
    from libs.kit import config, topology

    perm = permission(f"svc-{service}")
    exchanges = [e["name"] for e in DEFINITIONS["exchanges"]]
    partner = {topology.PARTNER_EXCHANGE} if service == topology.PARTNER_PUBLISHER else set()
    # analytics also announces the signal report there (its topic permission: signals.<sector> only)
    announces = {topology.PARTNER_EXCHANGE} if service == "analytics" else set()
    assert {e for e in exchanges if allows(perm, "write", e)} == \
        {topology.events_exchange(service), topology.DEAD_LETTER_EXCHANGE} | partner | announces
    sources = {topology.events_exchange(source) for source, _event, _queue in consumed()[service]}
    # routing alone also reads the partners' status updates: their exchange and its one queue on it
    updates = {topology.PARTNER_UPDATES_EXCHANGE} if service == topology.PARTNER_PUBLISHER else set()
    updates_queue = [topology.PARTNER_UPDATES_QUEUE] if service == topology.PARTNER_PUBLISHER else []
    assert {e for e in exchanges if allows(perm, "read", e)} == \
        sources | {topology.DEAD_LETTER_EXCHANGE} | partner | updates
    assert {e for e in exchanges if allows(perm, "configure", e)} == \
        sources | {topology.events_exchange(service), topology.DEAD_LETTER_EXCHANGE} | partner | updates
    queues = [q["name"] for q in DEFINITIONS["queues"]]
    for kind in ("configure", "write", "read"):
        assert [q for q in queues if allows(perm, kind, q) and not q.startswith("partner.")] == \
            [topology.dead_letter_queue(service), *updates_queue], kind
    for other in config.SERVICES:
        if other == service:
            continue
        for _source, _event, queue in consumed()[other]:
            for kind in ("configure", "write", "read"):
                assert not allows(perm, kind, queue), (kind, queue)
    for name in ("rpc-" + service, "nameko-rpc", "evt-intake-complaint.received--elsewhere.on_x"):
        assert not any(allows(perm, kind, name) for kind in ("configure", "write", "read")), name
    topics = {t["exchange"]: t for t in DEFINITIONS["topic_permissions"]
              if t["user"] == f"svc-{service}" and t["exchange"].endswith(".events")}
    assert set(topics) == sources, "a topic permission on every exchange the service binds from"
    for exchange, topic in topics.items():
        wanted = {event for source, event, _queue in consumed()[service] if topology.events_exchange(source) == exchange}
        assert topic["write"] == "^$"
        for event in wanted:
            assert re.search(topic["read"], event), (exchange, event)
        for event in ("#", "*.*", "complaint.sealed", "case.status_changed", "conversation.person_wrote"):
            if event not in wanted:
                assert not re.search(topic["read"], event), (exchange, event)


def test_deploy_definitions_users_carry_no_password():
    for user in DEFINITIONS["users"]:
        assert user["password_hash"] == "" and "password" not in user, user["name"]
    assert "guest" not in {u["name"] for u in DEFINITIONS["users"]}


@pytest.mark.parametrize("partner", PARTNERS)
def test_deploy_definitions_partner_can_only_read_its_own_queues(partner):
    user = f"partner-{partner}"
    (permission,) = [p for p in DEFINITIONS["permissions"] if p["user"] == user]
    assert permission["configure"] == "^$"
    read = re.compile(permission["read"])
    everything = [q["name"] for q in DEFINITIONS["queues"]] + [e["name"] for e in DEFINITIONS["exchanges"]]
    own = [f"partner.{partner}.referrals"] + ([f"partner.{partner}.signals"] if partner in SIGNAL_SUBSCRIPTIONS else [])
    assert [name for name in everything if read.search(name)] == own
    # it writes to one thing: the partner-updates exchange, and there only with its own routing keys
    write = re.compile(permission["write"])
    assert [name for name in everything if write.search(name)] == ["voorportaal.partner-updates.v1"]
    topics = {p["exchange"]: p for p in DEFINITIONS["topic_permissions"] if p["user"] == user}
    assert set(topics) == {"voorportaal.referrals.v1", "voorportaal.partner-updates.v1"}
    updates = topics["voorportaal.partner-updates.v1"]
    assert updates["read"] == "^$" and re.search(updates["write"], f"partner.{partner}.answered")
    for key in ("referral.kifid.created", "partner.#", "partner.*.answered", f"partner.{partner}x.answered",
                f"partner.{partner}.answered.extra"):
        assert not re.search(updates["write"], key), key
    for other in PARTNERS:
        if other != partner:
            assert not re.search(updates["write"], f"partner.{other}.answered")
    topic = topics["voorportaal.referrals.v1"]
    assert topic["write"] == "^$"
    assert re.search(topic["read"], f"referral.{partner}.created")
    for other in PARTNERS:
        if other != partner:
            assert not re.search(topic["read"], f"referral.{other}.created")
    (binding,) = [b for b in DEFINITIONS["bindings"] if b["destination"] == f"partner.{partner}.referrals"]
    assert (binding["source"], binding["routing_key"]) == ("voorportaal.referrals.v1", f"referral.{partner}.*")


def test_deploy_definitions_only_routing_reads_the_partner_updates():
    from libs.kit import topology

    (binding,) = [b for b in DEFINITIONS["bindings"] if b["source"] == topology.PARTNER_UPDATES_EXCHANGE]
    assert (binding["destination"], binding["routing_key"]) == (topology.PARTNER_UPDATES_QUEUE, "partner.*.*")
    for permission in DEFINITIONS["permissions"]:
        if permission["user"] != "ops-admin":
            reads = bool(re.search(permission["read"], topology.PARTNER_UPDATES_QUEUE))
            assert reads == (permission["user"] == "svc-routing"), permission["user"]


@pytest.mark.parametrize("partner", PARTNERS)
def test_deploy_definitions_a_partner_gets_the_signal_report_of_its_subscribed_sectors_only(partner):
    """One binding per subscribed sector, to the partner's own signals queue; never a wildcard, and never a signal
    into the referrals queue (the referral client rejects other event types)."""
    from libs.contracts.partner_events import SIGNAL_REPORT_SECTORS

    bindings = [b for b in DEFINITIONS["bindings"] if b["destination"] == f"partner.{partner}.signals"]
    assert {b["routing_key"] for b in bindings} == {f"signals.{s}" for s in SIGNAL_SUBSCRIPTIONS.get(partner, ())}
    assert len(bindings) == len(SIGNAL_SUBSCRIPTIONS.get(partner, ()))
    assert all(b["source"] == "voorportaal.referrals.v1" for b in bindings)
    assert SIGNAL_SUBSCRIPTIONS.get(partner, set()) <= set(SIGNAL_REPORT_SECTORS)
    referral_keys = [b["routing_key"] for b in DEFINITIONS["bindings"]
                     if b["destination"] == f"partner.{partner}.referrals"]
    assert not any(key.startswith(("signals", "#", "*")) for key in referral_keys)


def test_deploy_definitions_every_signal_announcement_is_routable_and_recorded_by_the_desk():
    """The relay publishes with `mandatory`: an announcement for a sector nobody subscribed to would be retried as
    unroutable forever. The desk's own bounded record queue takes every `signals.<sector>`; nobody may read it but
    the administrator."""
    (binding,) = [b for b in DEFINITIONS["bindings"] if b["destination"] == "voorportaal.signals.announced"]
    assert (binding["source"], binding["routing_key"]) == ("voorportaal.referrals.v1", "signals.*")
    (policy,) = [p for p in DEFINITIONS["policies"] if re.search(p["pattern"], "voorportaal.signals.announced")]
    assert policy["definition"]["max-length"] <= 10000
    readers = {p["user"] for p in DEFINITIONS["permissions"] if allows(p, "read", "voorportaal.signals.announced")}
    assert readers == {"ops-admin"}


def test_deploy_definitions_only_routing_and_analytics_write_to_the_partner_exchange_analytics_only_signals():
    for permission in DEFINITIONS["permissions"]:
        if permission["user"].startswith("svc-"):
            writes = bool(re.search(permission["write"], "voorportaal.referrals.v1"))
            assert writes == (permission["user"] in ("svc-routing", "svc-analytics")), permission["user"]
            for queue in ("partner.kifid.referrals", "partner.kifid.signals"):
                assert not re.search(permission["read"], queue), "services never read partner queues"
    (topic,) = [p for p in DEFINITIONS["topic_permissions"]
                if p["user"] == "svc-analytics" and p["exchange"] == "voorportaal.referrals.v1"]
    assert topic["read"] == "^$"
    assert re.search(topic["write"], "signals.banks") and re.search(topic["write"], "signals.municipalities")
    for key in ("referral.kifid.created", "referral.kifid.withdrawn", "signals.banks.extra", "signals.", "x.signals.a"):
        assert not re.search(topic["write"], key), key


def test_deploy_rabbitmq_conf_is_tls_only_with_peer_verification():
    lines = [line.split("#")[0].strip() for line in (DEPLOY / "rabbitmq" / "rabbitmq.conf").read_text().splitlines()]
    settings = dict(re.split(r"\s*=\s*", line, maxsplit=1) for line in lines if line)
    assert settings["listeners.tcp"] == "none"
    assert settings["listeners.ssl.default"] == "5671"
    assert settings["ssl_options.verify"] == "verify_peer"
    assert {"ssl_options.cacertfile", "ssl_options.certfile", "ssl_options.keyfile"} <= set(settings)
    assert settings["load_definitions"] == "/etc/rabbitmq/definitions.json"
    text = (DEPLOY / "rabbitmq" / "rabbitmq.conf").read_text()
    assert "server_hostname" in text  # the client-side hostname verification note


def test_deploy_operations_runbooks_exist_and_internal_links_resolve(operations_anchors):
    text = (ROOT / "docs" / "operations.md").read_text()
    for heading in ("Start", "Stop", "Scale", "Rotate keys", "Restore from backup", "Replay dead letters",
                    "Onboard a partner", "Offboard a partner", "Secrets on Kubernetes", "TLS and hostname verification"):
        assert github_anchor(heading) in operations_anchors, heading
    for anchor in re.findall(r"\]\(#([^)]+)\)", text):
        assert anchor in operations_anchors, anchor
    assert "python -m libs.kit.replay_dead_letters" in text
    for path in set(re.findall(r"`(deploy/[\w./-]+)`", text)):
        assert (ROOT / path).exists(), path
