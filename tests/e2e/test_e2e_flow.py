"""One complaint through all four services, each a separate process, on the real broker, database and SMTP."""
import json
import uuid

import pytest
import requests
from sqlalchemy import create_engine, text

from libs.kit.config import SERVICES
from services.notification.domain.mediators import Mediator
from support.mediators import registered_mediator
from support.platform import (
    collect_partner_referrals, complaint, file_complaint, metric_value, wait_for, wait_until_drained,
)

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.postgres]
# the demo mediator (capacity 10) is full after the session's earlier tests: a Polish-speaking mediator of this
# test's own takes the case, so the mail is expected whatever ran before
FLOW_MEDIATOR = Mediator("med-flow-pl", "Flow test mediator", "pl.flow.mediator@voorportaal.test", ("pl",),
                         capacity=1000)


@pytest.fixture()
def flow_mediator(platform):
    with registered_mediator(platform.pg_url, FLOW_MEDIATOR) as mediator:
        yield mediator


def test_a_complaint_reaches_the_partner_the_mediator_and_the_evaluation(platform, smtp, amqp_uri, flow_mediator):
    _controller, mailbox = smtp
    wait_until_drained(amqp_uri)
    canary = f"CANARY-{uuid.uuid4().hex}"
    filed = file_complaint(platform.base_url, complaint(description=f"They closed my account {canary}",
                                                          language="pl"))
    reference = filed["reference"]
    assert filed["status_url"] == f"/api/v1/complaints/{reference}"
    assert filed["receipt"] not in filed["status_url"]

    # the partner (Kifid: a consumer's bank complaint) receives a CloudEvents structured-mode referral
    referrals = collect_partner_referrals(amqp_uri, "kifid", 1, timeout=20)
    assert len(referrals) == 1
    event = referrals[0]
    assert event["specversion"] == "1.0" and event["type"] == "nl.voorportaal.referral.created.v1"
    assert event["source"] == "urn:voorportaal:routing"
    assert event["subject"] and reference not in json.dumps(event)  # pseudonymous per partner
    assert canary not in json.dumps(event)

    # the mediator gets an e-mail with the reference and a link, without the complaint text
    mail = wait_for(lambda: [m for m in mailbox.messages if reference in m["content"]], timeout=20,
                    what="the mediator e-mail")[0]
    assert mail["to"] == [flow_mediator.email]
    assert "/mediator/links/" in mail["content"]  # signed accept/decline links, served by notification
    assert canary not in mail["raw"] and "closed my account" not in mail["raw"]

    # analytics counts it
    port = platform.ops_port("analytics")
    # in its fact store (the live metric is a coarse monthly total, refreshed hourly: docs/metrics.md)
    facts = create_engine(platform.pg_url)
    try:
        def counted_banks():
            with facts.connect() as conn:
                return conn.execute(text("SELECT count(*) FROM analytics_case_facts WHERE institution_type = 'bank'")
                                    ).scalar() or None
        wait_for(counted_banks, timeout=20, what="analytics to count the complaint")
    finally:
        facts.dispose()
    wait_for(lambda: metric_value(port, "voorportaal_evaluation_complaints") is not None, timeout=20,
             what="analytics' coarse monthly total")
    assert metric_value(port, "voorportaal_evaluation_complaints") % 10 == 0
    assert metric_value(port, "voorportaal_evaluation_complaints", institution_type="bank") is None

    # the person sees the plan and the mediator with the receipt (intake's read model, fed by events)
    def status():
        response = requests.get(f"{platform.base_url}/api/v1/complaints/{reference}",
                                headers={"Authorization": f"Receipt {filed['receipt']}"}, timeout=5)
        assert response.status_code == 200
        body = response.json()
        return body if body["plan"] and body["mediator"]["assigned"] else None
    view = wait_for(status, timeout=20, what="status with plan and mediator")
    assert [step["channel_id"] for step in view["plan"]][:2] == ["internal:bank", "kifid"]
    assert canary not in json.dumps(view)


def test_each_service_serves_voorportaal_metrics_and_health(platform):
    for name in SERVICES:
        port = platform.ops_port(name)
        metrics = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        assert "voorportaal_" in metrics
        # its outbox relay runs inside (relays="in-service"): its gauges are the service's
        assert f'voorportaal_outbox_pending{{service="{name}"}}' in metrics
        assert requests.get(f"http://127.0.0.1:{port}/health/ready", timeout=5).status_code == 200
        assert requests.get(f"http://127.0.0.1:{port}/health/live", timeout=5).status_code == 200


def test_the_canary_is_nowhere_but_sealed(platform, smtp, amqp_uri):
    """A canary in every free-text and contact field: not in logs, events, e-mails, metrics or plaintext DB."""
    _controller, mailbox = smtp
    canary = f"CANARY{uuid.uuid4().hex[:12]}"
    body = complaint(description=f"text {canary}", institution_name=f"Bank {canary}",
                     contact={"method": "email", "address": f"{canary}@example.test", "safe_times": canary,
                              "no_voicemail": True},
                     consent={"referral": True, "share_description": True, "contact": True})
    filed = file_complaint(platform.base_url, body)
    collect_partner_referrals(amqp_uri, "kifid", 1, timeout=20)
    wait_for(lambda: [m for m in mailbox.messages if filed["reference"] in m["content"]], timeout=20,
             what="the mediator e-mail")
    person = f"{canary}@example.test"
    for mail in mailbox.messages:
        if mail["to"] == [person]:  # a status message the person asked for: the address is in To, nowhere else
            assert canary not in mail["content"] and mail["raw"].count(canary) == 1
        else:
            assert canary not in mail["raw"]
    for name in platform.processes:
        port = platform.ops_port(name) if name != "smtp-catcher" else None
        if port:
            assert canary not in requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    for log_file in platform.log_dir.iterdir():
        assert canary not in log_file.read_text(errors="replace"), log_file.name
    engine = create_engine(platform.pg_url)
    with engine.connect() as conn:
        tables = [row[0] for row in conn.execute(text(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))]
        for table in tables:
            dump = conn.execute(text(f'SELECT CAST(t AS TEXT) FROM "{table}" t')).scalars().all()
            assert not [row for row in dump if canary in row], f"canary in plaintext in {table}"
    engine.dispose()
