"""Which topic of the rights guide explains a plan's step, a plan's warning, an institution or an issue: the one
table. The options and follow-up pages link each step and warning to its topic; the letter page links the topic
of the channel. tests/unit/intake/test_rights_links.py holds every key to the directory, the explanation codes and
the event catalogue, and every value to a topic of services/intake/data/rights.yaml.
"""

TOPIC_OF_CHANNEL = {
    "internal:bank": "bank_account", "kifid": "bank_account", "afm-meldpunt": "bank_account",
    "politie-klachten": "police",
    "internal:municipality": "municipality", "nationale-ombudsman": "municipality",
    "internal:tax_authority": "tax_registration", "internal:kvk": "tax_registration",
    "internal:health_insurer": "health_insurance", "skgz": "health_insurance",
    "internal:care_provider": "health_insurance", "geschilleninstantie-zorg": "health_insurance",
    "klachtenloket-zorg": "health_insurance", "landelijk-meldpunt-zorg": "health_insurance",
    "internal:ggd": "health_insurance",
    "internal:landlord": "housing", "huurcommissie": "housing", "klachtencommissie-woningcorporatie": "housing",
    "meldpunt-goed-verhuurderschap": "housing",
    "college-rechten-mens": "discrimination", "discriminatie-nl": "discrimination",
    "autoriteit-persoonsgegevens": "privacy",
    "internal:employer_or_operator": "work_exploitation", "arbeidsinspectie": "work_exploitation",
    "fairwork": "work_exploitation", "comensha": "work_exploitation", "meld-misdaad-anoniem": "work_exploitation",
    "politie-melding": "help_now",
}
# every municipal ombudsman explains itself through the municipality topic (its facts on the ombudsman)
OMBUDSMAN_TOPIC = "municipality"

TOPIC_OF_WARNING = {  # explanation codes (libs/contracts/explanation_texts.py)
    "signal_not_passed_on": "help_now",
    "report_may_pause_complaint": "police",
    "decision_needs_objection": "municipality",
    "awb_anonymous": "municipality",
    "municipality_unknown": "municipality",
    "check_with_municipality": "municipality",
    "capacity_unknown": "bank_account",
    "kifid_not_for_business": "bank_account",
    "basic_account_right": "bank_account",
    "not_anonymous": "police",
}

TOPIC_OF_INSTITUTION = {  # institution types (libs/contracts/events.py); None: no topic of its own
    "municipality": "municipality", "police": "police", "bank": "bank_account", "insurer": None,
    "health_insurer": "health_insurance", "care_provider": "health_insurance", "tax_authority": "tax_registration",
    "uwv": None, "svb": None, "kvk": "tax_registration", "landlord": "housing",
    "employer_or_operator": "work_exploitation", "other": None,
}

TOPIC_OF_ISSUE = {  # issues (libs/contracts/events.py)
    "refused_service": None, "account_refused_or_closed": "bank_account", "rude_treatment": None,
    "discrimination": "discrimination", "privacy": "privacy", "violence": "help_now",
    "exploitation": "work_exploitation", "permit": "municipality", "other": None,
}


def topic_of_channel(channel_id: str, ombudsman_ids=frozenset()) -> str | None:
    if channel_id in TOPIC_OF_CHANNEL:
        return TOPIC_OF_CHANNEL[channel_id]
    return OMBUDSMAN_TOPIC if channel_id in ombudsman_ids else None


def topics_for_answers(institution_type: str | None, issue: str | None) -> list:
    """The topics that fit a person's answers (institution first, then issue), each once."""
    found = [TOPIC_OF_INSTITUTION.get(institution_type or ""), TOPIC_OF_ISSUE.get(issue or "")]
    return [topic for topic in dict.fromkeys(found) if topic]
