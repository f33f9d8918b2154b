"""Partner referrals: consent first, own channel only, allowlisted fields only, a pseudonym per partner."""
import hashlib
import hmac
from datetime import date as d
from pathlib import Path

import pytest
import yaml

from libs.referral_rules.facts import ComplaintFacts
from libs.contracts.partner_events import ALLOWED_FIELDS, PartnerReferralData
from services.routing.domain.partners import (PartnerConfig, PartnerConfigError, load_partners, partner_referrals,
                                              partner_subject)
from libs.referral_rules.planner import make_plan
from support.paths import REPO_ROOT

DEMO = REPO_ROOT / "services" / "routing" / "data" / "partners.demo.yaml"
SECRET = b"s" * 32
YES = {"referral": True, "share_description": False, "contact": False}
BANK = ComplaintFacts("bank", "account_refused_or_closed", "GM0599", "private", d(2026, 8, 17),
                      d(2026, 9, 1), None, language="en", wants_mediation=True)
TAX = ComplaintFacts("tax_authority", "rude_treatment", "GM0014", None, d(2026, 7, 3), d(2026, 9, 1),
                     d(2026, 10, 15), language="nl")
TODAY = d(2026, 11, 28)


@pytest.fixture
def partners():
    return load_partners(yaml.safe_load(DEMO.read_text(encoding="utf-8")))


def test_demo_config_has_kifid_and_the_nationale_ombudsman(partners):
    assert [p.partner_id for p in partners] == ["kifid", "nationale-ombudsman"]
    assert all(set(p.fields) <= set(ALLOWED_FIELDS) for p in partners)


def test_kifid_gets_its_listed_fields_for_a_consumer_bank_case(partners):
    [referral] = partner_referrals(make_plan(BANK, TODAY), YES, partners, "VP-ABC", SECRET)
    assert referral.partner_id == "kifid"
    assert referral.data == {
        "institution_type": "bank", "issue": "account_refused_or_closed", "capacity": "private",
        "province": "Zuid-Holland", "incident_month": "2026-08", "channel_id": "kifid",
        "step_status": "available_now", "escalate_by": "2027-09-01", "directory_version": "2026-12-03.1",
        "language": "en"}  # no answer_due and no wants_mediation: kifid's contract does not list them


def test_national_ombudsman_gets_the_institutions_answer_date(partners):
    [referral] = partner_referrals(make_plan(TAX, TODAY), YES, partners, "VP-ABC", SECRET)
    assert referral.partner_id == "nationale-ombudsman"
    assert referral.data["answer_due"] == "2026-10-13"
    assert referral.data["escalate_by"] == "2027-10-15"
    assert referral.data["wants_mediation"] is False


def test_no_consent_no_referral(partners):
    plan = make_plan(BANK, TODAY)
    assert partner_referrals(plan, dict(YES, referral=False), partners, "VP-ABC", SECRET) == []
    assert partner_referrals(plan, {}, partners, "VP-ABC", SECRET) == []


def test_a_partner_whose_step_does_not_apply_gets_nothing(partners):
    business = ComplaintFacts("bank", "account_refused_or_closed", capacity="business")
    assert partner_referrals(make_plan(business, TODAY), YES, partners, "VP-ABC", SECRET) == []


def test_municipal_complaint_in_amsterdam_is_not_sent_to_the_national_ombudsman(partners):
    amsterdam = ComplaintFacts("municipality", "rude_treatment", "GM0363")
    assert partner_referrals(make_plan(amsterdam, TODAY), YES, partners, "VP-ABC", SECRET) == []


def test_subject_is_a_per_partner_hmac_pseudonym():
    expected = hmac.new(SECRET, b"kifid:VP-ABC", hashlib.sha256).hexdigest()[:32]
    assert partner_subject(SECRET, "kifid", "VP-ABC") == expected
    assert partner_subject(SECRET, "kifid", "VP-ABC") != partner_subject(SECRET, "skgz", "VP-ABC")
    assert partner_subject(SECRET, "kifid", "VP-ABC") != partner_subject(b"t" * 32, "kifid", "VP-ABC")
    assert "VP-ABC" not in expected
    with pytest.raises(ValueError):
        partner_subject(b"", "kifid", "VP-ABC")


def test_referral_data_passes_the_published_schema(partners):
    for referral in partner_referrals(make_plan(BANK, TODAY), YES, partners, "VP-ABC", SECRET):
        PartnerReferralData().load(referral.data)


@pytest.mark.parametrize("config, message", [
    ({"partners": [{"partner_id": "kifid", "channel_ids": ["kifid"], "fields": ["description"]}]}, "description"),
    ({"partners": [{"partner_id": "kifid", "channel_ids": ["kifid"], "fields": ["email"]}]}, "email"),
    ({"partners": [{"partner_id": "Kifid!", "channel_ids": ["kifid"], "fields": ["issue"]}]}, "partner_id"),
    ({"partners": [{"partner_id": "kifid", "channel_ids": ["kifid-typo"], "fields": ["issue"]}]}, "kifid-typo"),
    ({"partners": [{"partner_id": "kifid", "channel_ids": [], "fields": ["issue"]}]}, "channel_ids"),
    ({"partners": [{"partner_id": "kifid", "channel_ids": ["kifid"], "fields": ["issue"]},
                   {"partner_id": "kifid", "channel_ids": ["skgz"], "fields": ["issue"]}]}, "duplicate"),
])
def test_bad_partner_config_is_refused(config, message):
    with pytest.raises(PartnerConfigError, match=message):
        load_partners(config)


def test_partner_config_is_a_plain_value():
    config = PartnerConfig("kifid", ("kifid",), ("issue",))
    assert load_partners({"partners": [{"partner_id": "kifid", "channel_ids": ["kifid"],
                                        "fields": ["issue"]}]}) == (config,)
