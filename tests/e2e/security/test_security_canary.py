"""The canary scan (docs/privacy.md, "What goes where"): a canary in every free field, the whole flow to its end,
then no trace of it anywhere but in sealed form.

Two complaints carry the canary in every free-text and contact field (one through the JSON API, one through the
HTML form) and in the request headers a person's browser or a proxy adds (User-Agent, X-Forwarded-For,
Idempotency-Key). The flow runs to the end: partner referral, mediator e-mail, accept, outcome (with a refused
free-text note), progress update, analytics, withdrawal and erasure. Then: no canary in any service's log, in
any row of any table (as text), in any message that crossed any exchange of the vhost (a shadow queue bound to
every exchange, dead-letter exchange included, from before the first request), in any e-mail, metric or
response. tests/e2e/test_e2e_flow.py::test_the_canary_is_nowhere_but_sealed is the quick version (API only,
logs, DB, e-mail, metrics); this one adds the broker, the form, the headers and the rest of the life cycle.
"""
import json
import uuid

import pytest
import requests
from sqlalchemy import create_engine, text

from support.security_testlib import VALID_FORM, form_session, mediator_link, same_origin_headers, LINK
from support.platform import collect_partner_referrals, complaint, file_complaint, wait_for
from support.broker_watch import ShadowQueue, wait_until_handler_queues_idle

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.postgres]


def test_the_canary_reaches_nothing_but_sealed_storage(platform, smtp, amqp_uri, amqp_vhost, security_mediator):
    _controller, mailbox = smtp
    canary = f"CANARY{uuid.uuid4().hex[:12]}"
    address_canary = f"addr{uuid.uuid4().hex[:12]}"  # the e-mail address: its own canary, see scan()
    base = platform.base_url
    shadow = ShadowQueue(amqp_uri, amqp_vhost)
    try:
        assert {"intake.events", "routing.events", "notification.events", "voorportaal.referrals.v1",
                "voorportaal.dlx"} <= set(shadow.bound), shadow.bound
        headers = {"User-Agent": f"Mozilla/5.0 {canary}", "X-Forwarded-For": f"198.51.100.7, {canary}",
                   "Idempotency-Key": f"key-{canary}", "Accept-Language": f"nl, {canary};q=0.1"}

        # 1. through the JSON API: every free field, contact with consent, referral with the description shared
        body = complaint(description=f"They closed my account {canary}", institution_name=f"Bank {canary}",
                         wants_mediation=True, language="es", municipality="GM0599",
                         contact={"method": "email", "address": f"{address_canary}@example.test",
                                  "safe_times": f"after six {canary}", "no_voicemail": True},
                         consent={"referral": True, "share_description": True, "contact": True})
        filed, request_mail, links = None, None, None
        filed = file_complaint(base, body, headers=headers)
        reference = filed["reference"]

        # 2. through the HTML form, the same canary in its free fields
        session, token = form_session(base)
        form = {**VALID_FORM, "step": "review", "csrf_token": token, "institution_name": f"Zorg {canary}",
                "description": f"Form text {canary}", "contact_method": "phone",
                "contact_address": "+31 6 1234 5678", "contact_safe_times": f"mornings {canary}",
                "consent_contact": "yes", "consent_share_description": "yes"}
        filed_by_form = session.post(f"{base}/nl/form", data=form, timeout=10,
                                     headers={**same_origin_headers(base), "User-Agent": headers["User-Agent"],
                                              "X-Forwarded-For": headers["X-Forwarded-For"]})
        assert filed_by_form.status_code == 201, filed_by_form.text[:300]
        assert canary not in filed_by_form.text  # the confirmation page shows reference and receipt only

        # 3. the partner gets its referral; the mediator gets the request, accepts and records an outcome
        referrals = collect_partner_referrals(amqp_uri, "kifid", 5, timeout=20)
        assert referrals and not [r for r in referrals if canary in json.dumps(r)]
        request_mail = wait_for(lambda: [m for m in mailbox.messages if reference in m["content"]
                                         and m["to"] == [security_mediator.email]], timeout=30,
                                what="the mediator e-mail")[0]
        accept_link = LINK.findall(request_mail["content"])[0]
        assert requests.get(accept_link, timeout=10).status_code == 200
        assert requests.post(accept_link, timeout=10).status_code == 200
        accepted_mail = wait_for(lambda: [m for m in mailbox.messages if reference in m["subject"]
                                          and "you accepted" in m["subject"]], timeout=30, what="the acceptance e-mail")[0]
        (outcome_link,) = LINK.findall(accepted_mail["content"])
        refused = requests.post(outcome_link, data={"outcome": "resolved", "notes": canary}, timeout=10)
        assert refused.status_code == 400 and canary not in refused.text
        assert requests.post(outcome_link, data={"outcome": "resolved", "satisfaction": "4"},
                             timeout=10).status_code == 200

        # 4. the person reports progress and reads the status; then the events settle (analytics included)
        receipt = {"Authorization": f"Receipt {filed['receipt']}", **headers}
        update = requests.post(f"{base}/api/v1/complaints/{reference}/updates", timeout=10, headers=receipt,
                               json={"kind": "answer_received", "on": "2026-11-01"})
        assert update.status_code == 202
        view = wait_for(lambda: (v := requests.get(f"{base}/api/v1/complaints/{reference}", headers=receipt,
                                                   timeout=10).json())["mediator"].get("outcome") and v,
                        timeout=30, what="the outcome in the status view")
        assert canary not in json.dumps(view)
        wait_until_handler_queues_idle(amqp_vhost, "every handler queue idle")
        scan(platform, mailbox, shadow, canary, address_canary, "after the flow")

        # 5. withdrawal and erasure reach every service and the partner; scan again
        assert requests.delete(f"{base}/api/v1/complaints/{reference}", headers=receipt, timeout=10).status_code == 200
        wait_for(lambda: shadow.drain() is not None and {"complaint.withdrawn", "referral.kifid.withdrawn"} <= {
            m["routing_key"] for m in shadow.seen}, timeout=30, interval=0.5, what="the withdrawal on the broker")
        wait_until_handler_queues_idle(amqp_vhost, "erasure handled")
        scan(platform, mailbox, shadow, canary, address_canary, "after the withdrawal")
    finally:
        shadow.close()


def scan(platform, mailbox, shadow, canary, address_canary, when):
    needles = {canary, canary.lower(), address_canary}

    def found_in(value):
        return any(needle in value for needle in needles)

    shadow.drain()
    assert len(shadow.seen) > 5, "the shadow queue saw (almost) no messages"
    assert not [m["routing_key"] for m in shadow.seen if found_in(json.dumps(m))], f"canary on the broker {when}"
    # the person consented to be contacted: their address may be the recipient of mail to them, nowhere else
    address = f"{address_canary}@example.test"
    for mail in mailbox.messages:
        raw = mail["raw"]
        if mail["to"] == [address]:
            raw = "\n".join(line for line in raw.splitlines() if line != f"To: {address}")
        assert not found_in(raw), f"canary in an e-mail {when}: {mail['subject']}"
    for name in platform.processes:
        if name != "smtp-catcher":
            metrics = requests.get(f"http://127.0.0.1:{platform.ops_port(name)}/metrics", timeout=5).text
            assert not found_in(metrics), f"canary in {name}'s metrics {when}"
    for log_file in platform.log_dir.iterdir():
        assert not found_in(log_file.read_text(errors="replace")), f"canary in {log_file.name} {when}"
    engine = create_engine(platform.pg_url)
    try:
        with engine.connect() as conn:
            tables = conn.execute(text("SELECT table_schema, table_name FROM information_schema.tables "
                                       "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")).all()
            assert len(tables) > 10
            for schema, table in tables:
                rows = conn.execute(text(f'SELECT CAST(t AS TEXT) FROM "{schema}"."{table}" t')).scalars().all()
                assert not [row for row in rows if found_in(row)], f"canary in plaintext in {schema}.{table} {when}"
    finally:
        engine.dispose()
