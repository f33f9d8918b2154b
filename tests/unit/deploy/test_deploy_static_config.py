"""Static rules for deploy/rabbitmq and docs/operations.md that need no broker and no promtool."""
import json
import re

import pytest

from support.deploy_testlib import DEPLOY, ROOT, SERVICES, github_anchor

DEFINITIONS = json.loads((DEPLOY / "rabbitmq" / "definitions.json").read_text())
PARTNERS = ("kifid", "nationale-ombudsman")
# Dead-lettering and the delivery limit are broker policies (one per consuming service, because the dead-letter
# routing key is the service). The services still declare the same values as queue arguments
# (libs/kit/topology.handler_queue_arguments): the two must agree, whichever of them the broker applies.
POLICY_FOR_ARGUMENT = {"x-dead-letter-exchange": "dead-letter-exchange",
                       "x-dead-letter-routing-key": "dead-letter-routing-key", "x-delivery-limit": "delivery-limit"}


def test_deploy_definitions_exchanges_are_durable_topics():
    names = {e["name"] for e in DEFINITIONS["exchanges"]}
    assert names == {f"{s}.events" for s in SERVICES} | {"voorportaal.referrals.v1", "voorportaal.dlx"}
    assert all(e["type"] == "topic" and e["durable"] and e["vhost"] == "voorportaal" for e in DEFINITIONS["exchanges"])


def test_deploy_definitions_queues_are_durable_quorum_queues():
    names = {q["name"] for q in DEFINITIONS["queues"]}
    assert names == {f"voorportaal.dead-letters.{s}" for s in SERVICES} | {f"partner.{p}.referrals" for p in PARTNERS}
    for queue in DEFINITIONS["queues"]:
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


def test_deploy_definitions_users_carry_no_password():
    for user in DEFINITIONS["users"]:
        assert user["password_hash"] == "" and "password" not in user, user["name"]
    assert "guest" not in {u["name"] for u in DEFINITIONS["users"]}


@pytest.mark.parametrize("partner", PARTNERS)
def test_deploy_definitions_partner_can_only_read_its_own_queue(partner):
    user = f"partner-{partner}"
    (permission,) = [p for p in DEFINITIONS["permissions"] if p["user"] == user]
    assert (permission["configure"], permission["write"]) == ("^$", "^$")
    read = re.compile(permission["read"])
    everything = [q["name"] for q in DEFINITIONS["queues"]] + [e["name"] for e in DEFINITIONS["exchanges"]]
    assert [name for name in everything if read.search(name)] == [f"partner.{partner}.referrals"]
    (topic,) = [p for p in DEFINITIONS["topic_permissions"] if p["user"] == user]
    assert topic["exchange"] == "voorportaal.referrals.v1" and topic["write"] == "^$"
    assert re.search(topic["read"], f"referral.{partner}.created")
    for other in PARTNERS:
        if other != partner:
            assert not re.search(topic["read"], f"referral.{other}.created")
    (binding,) = [b for b in DEFINITIONS["bindings"] if b["destination"] == f"partner.{partner}.referrals"]
    assert (binding["source"], binding["routing_key"]) == ("voorportaal.referrals.v1", f"referral.{partner}.*")


def test_deploy_definitions_only_routing_writes_to_the_partner_exchange():
    for permission in DEFINITIONS["permissions"]:
        if permission["user"].startswith("svc-"):
            writes = bool(re.search(permission["write"], "voorportaal.referrals.v1"))
            assert writes == (permission["user"] == "svc-routing"), permission["user"]
            assert not re.search(permission["read"], "partner.kifid.referrals"), "services never read partner queues"


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
