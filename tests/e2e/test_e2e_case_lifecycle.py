"""Progress updates re-plan and reach the partner; withdrawal erases the case everywhere, partners included."""
from datetime import date, timedelta

import pytest
import requests
from sqlalchemy import create_engine, text

from support.platform import collect_partner_referrals, complaint, file_complaint, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.postgres]


def partner_subject(pg_url, reference):
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        subject = conn.execute(text("SELECT subject FROM routing_partner_cases WHERE case_ref = :r AND "
                                    "partner_id = 'kifid'"), {"r": reference}).scalar()
    engine.dispose()
    return subject


def referral_of(amqp_uri, subject, action, timeout=20):
    """Read kifid's queue until the referral for `subject` with `action` arrives (others are acked past)."""
    found = []

    def look():
        for event in collect_partner_referrals(amqp_uri, "kifid", 10_000, timeout=1):
            if event["subject"] == subject and event["type"] == f"nl.voorportaal.referral.{action}.v1":
                found.append(event)
        return found
    return wait_for(look, timeout=timeout, what=f"a {action} referral")


def test_progress_replans_and_withdrawal_erases_everywhere(platform, amqp_uri):
    filed = file_complaint(platform.base_url, complaint(wants_mediation=False))
    reference, auth = filed["reference"], {"Authorization": f"Receipt {filed['receipt']}"}
    subject = wait_for(lambda: partner_subject(platform.pg_url, reference), timeout=20, what="the partner case")
    referral_of(amqp_uri, subject, "created")

    filed_on = (date.today() - timedelta(days=70)).isoformat()  # more than 8 weeks: Kifid is open now
    update = requests.post(f"{platform.base_url}/api/v1/complaints/{reference}/updates", headers=auth,
                           json={"kind": "filed_with_institution", "on": filed_on}, timeout=10)
    assert update.status_code == 202
    updated = referral_of(amqp_uri, subject, "updated")[0]
    assert updated["data"].get("step_status", "available_now") == "available_now"

    def kifid_step():
        view = requests.get(f"{platform.base_url}/api/v1/complaints/{reference}", headers=auth, timeout=5).json()
        steps = {step["channel_id"]: step for step in view["plan"] or []}
        return steps.get("kifid") if steps.get("kifid", {}).get("status") == "available_now" else None
    wait_for(kifid_step, timeout=20, what="the re-planned Kifid step in the status view")

    withdrawn = requests.delete(f"{platform.base_url}/api/v1/complaints/{reference}", headers=auth, timeout=10)
    assert withdrawn.status_code == 200
    assert requests.get(f"{platform.base_url}/api/v1/complaints/{reference}", headers=auth,
                        timeout=5).status_code == 404  # the receipt opens nothing any more
    referral_of(amqp_uri, subject, "withdrawn")
    engine = create_engine(platform.pg_url)

    def erased():
        with engine.connect() as conn:
            plans = conn.execute(text("SELECT count(*) FROM routing_plans WHERE case_ref = :r"),
                                 {"r": reference}).scalar()
            partner_cases = conn.execute(text("SELECT count(*) FROM routing_partner_cases WHERE case_ref = :r"),
                                         {"r": reference}).scalar()
            sealed = conn.execute(text("SELECT sealed_content FROM intake_complaints WHERE reference = :r"),
                                  {"r": reference}).scalar()
        return plans == 0 and partner_cases == 0 and sealed is None
    wait_for(erased, timeout=20, what="erasure in routing and intake")
    engine.dispose()
