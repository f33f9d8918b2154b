"""Partners answer back (issue 18): a partner receives a referral with the partner client, marks it `answered` with
the client's CLI, and the person sees it on the follow-up page in their language; the desk's case history has it;
forged and unknown-case updates are refused and counted, never applied. And with the production permissions, a
partner's credentials cannot publish an update about another partner's referral: the broker refuses it."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pika
import pytest
import requests
from pika.exceptions import ChannelClosedByBroker
from sqlalchemy import create_engine, text

from libs.kit import topology
from support.partner_broker import partner_broker
from support.platform import collect_partner_referrals, complaint, file_complaint, metric_value, wait_for
from voorportaal_partner import PartnerClient, status_event

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.postgres]
CLI = Path(sys.executable).parent / "voorportaal-partner"
CANARY = "CANARY-partner-note-Jansen-woont-Damstraat-1"


def publish_raw(amqp_uri, routing_key, envelope):
    """An update the partner client would never build (it has no field for text): straight onto the exchange."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(topology.PARTNER_UPDATES_EXCHANGE, routing_key, json.dumps(envelope).encode(),
                              pika.BasicProperties(delivery_mode=2, user_id="guest"), mandatory=True)
    finally:
        connection.close()


def kifid_subject(pg_url, reference):
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT subject FROM routing_partner_cases WHERE case_ref = :r AND "
                                     "partner_id = 'kifid'"), {"r": reference}).scalar()
    finally:
        engine.dispose()


def receive_referral(amqp_uri, subject, timeout=30):
    """The partner reads its queue with the partner client until this case's referral is there (others acked past,
    as tests/e2e/test_e2e_case_lifecycle.py does: the test knows which subject is its own case)."""
    found = []

    def look():
        found.extend(e for e in collect_partner_referrals(amqp_uri, "kifid", 10_000, timeout=1)
                     if e["subject"] == subject)
        return found
    return wait_for(look, timeout=timeout, what="the referral at the partner")[0]


def follow_up_html(base_url, lang, reference, receipt):
    session = requests.Session()
    page = session.get(f"{base_url}/{lang}/follow-up", timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = session.post(f"{base_url}/{lang}/follow-up", timeout=10, headers={"Origin": base_url},
                            data={"csrf_token": token, "reference": reference, "receipt": receipt, "action": "show"})
    assert response.status_code == 200, response.status_code
    return response.text


def cli(amqp_uri, *args):
    env = dict(os.environ, PARTNER_AMQP_URI=amqp_uri)
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, timeout=60, env=env)


def test_a_partner_marks_a_referral_answered_and_the_person_sees_it(platform, amqp_uri):
    filed = file_complaint(platform.base_url, complaint(language="es", wants_mediation=False))
    reference, receipt = filed["reference"], filed["receipt"]
    subject = wait_for(lambda: kifid_subject(platform.pg_url, reference), timeout=30, what="the partner case")
    referral = receive_referral(amqp_uri, subject)
    assert referral["type"] == "nl.voorportaal.referral.created.v1" and reference not in json.dumps(referral)
    routing_port = platform.env["ROUTING_METRICS_PORT"]

    def refused(reason):
        return metric_value(routing_port, "voorportaal_partner_updates_refused_total", reason=reason) or 0
    unknown_before = refused("unknown_subject")

    # refused and counted, never applied: free text smuggled into an update, a subject routing never gave Kifid,
    # and Kifid's subject claimed by the other partner (its `source`)
    malformed_before = refused("malformed")
    smuggled = status_event("kifid", subject, "received")  # built, not sent
    smuggled["data"]["note"] = CANARY
    publish_raw(amqp_uri, "partner.kifid.received", smuggled)
    wait_for(lambda: refused("malformed") >= malformed_before + 1, timeout=30, what="the malformed update counted")
    client = PartnerClient(amqp_uri, "kifid")
    client.publish_status("0" * 32, "answered", outcome="upheld")
    PartnerClient(amqp_uri, "nationale-ombudsman").publish_status(subject, "closed", outcome="not_upheld")
    wait_for(lambda: refused("unknown_subject") >= unknown_before + 2, timeout=30, what="two refusals counted")

    # Kifid answers, with the partner client's CLI, as its IT would
    result = cli(amqp_uri, "status", "--partner", "kifid", "--subject", subject, "--status", "answered",
                 "--outcome", "upheld")
    assert result.returncode == 0, result.stderr
    sent = json.loads(result.stdout)

    def shown():
        html = follow_up_html(platform.base_url, "es", reference, receipt)
        return html if "Han respondido a su queja." in html else None
    html = wait_for(shown, timeout=30, interval=0.5, what="the answer on the follow-up page")
    assert "Resultado: su queja fue considerada justificada." in html
    assert "Resultado: su queja no fue considerada justificada." not in html  # the refused update did nothing
    assert subject not in html

    # the same update again (a retry with the same id) is applied once
    client.publish_status(subject, "answered", outcome="upheld", event_id=sent["id"])
    wait_for(lambda: metric_value(routing_port, "voorportaal_partner_updates_total", result="duplicate"),
             timeout=30, what="the duplicate counted")
    engine = create_engine(platform.pg_url)
    try:
        with engine.connect() as conn:
            applied = conn.execute(text("SELECT status, outcome FROM routing_partner_updates WHERE case_ref = :r"),
                                   {"r": reference}).fetchall()
            assert [tuple(row) for row in applied] == [("answered", "upheld")]
            history = wait_for(lambda: conn.execute(text(
                "SELECT detail FROM casework_history WHERE case_ref = :r AND action = 'referral.partner_status_changed'"),
                {"r": reference}).fetchall(), timeout=30, what="the update in the desk's case history")
    finally:
        engine.dispose()
    detail = history[0][0] if isinstance(history[0][0], dict) else json.loads(history[0][0])
    assert (detail["partner_id"], detail["partner_status"], detail["outcome"]) == ("kifid", "answered", "upheld")
    assert CANARY not in html
    for log_file in platform.log_dir.iterdir():  # nothing of an update's content or its subject is logged
        logged = log_file.read_text(errors="replace")
        assert CANARY not in logged and subject not in logged, log_file.name


def test_a_partner_cannot_update_another_partners_referral_the_broker_refuses():
    """Production permissions (deploy/rabbitmq/definitions.json) in a private vhost: Kifid's credentials can publish
    Kifid's own update, with the partner client, and routing's queue receives it with the user the broker checked;
    publishing as the Nationale ombudsman (its routing key) is refused by the broker, by the client and its CLI."""
    subject = "ab" * 16
    with partner_broker() as broker:
        PartnerClient(broker.uri("partner-kifid"), "kifid").publish_status(subject, "received")
        connection = pika.BlockingConnection(pika.URLParameters(broker.uri("svc-routing")))
        try:
            channel = connection.channel()

            def delivered():
                got = channel.basic_get(topology.PARTNER_UPDATES_QUEUE, auto_ack=True)
                return got if got[0] is not None else None
            method, properties, body = wait_for(delivered, timeout=10, what="Kifid's update in routing's queue")
        finally:
            connection.close()
        assert method is not None and properties.user_id == broker.user("partner-kifid")
        assert json.loads(body)["source"] == "urn:voorportaal:partner:kifid"

        with pytest.raises(ChannelClosedByBroker) as refused:
            PartnerClient(broker.uri("partner-kifid"), "nationale-ombudsman").publish_status(subject, "answered")
        assert refused.value.reply_code == 403 and refused.value.reply_text.startswith("ACCESS_REFUSED")

        result = cli(broker.uri("partner-kifid"), "status", "--partner", "nationale-ombudsman", "--subject", subject,
                     "--status", "closed", "--outcome", "settled")
        assert result.returncode == 3 and "403" in result.stderr
        assert broker.passwords["partner-kifid"] not in result.stderr + result.stdout
