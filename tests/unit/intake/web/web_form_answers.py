"""A complete, valid set of answers to the complaint form, step by step, for the flow and payload tests."""

ABOUT = {"reporter_role": "sex_worker", "institution_type": "bank", "institution_name": "", "municipality": "GM0363"}
WHAT = {"issue": "account_refused_or_closed", "incident_date": "31-03-2026", "capacity": "private",
        "prior_complaint": "no", "description": "They closed my account."}
CONTACT = {"wants_mediation": "no", "contact_method": "none"}
CONSENT = {"consent_referral": "yes", "consent_share_description": "no", "consent_contact": "no"}
COMPLETE = {**ABOUT, **WHAT, **CONTACT, **CONSENT}
