"""Every sentence in a plan comes with a stable code and parameters, and the English text stays as it was."""
import itertools
from datetime import date

import pytest

from libs.contracts.events import INSTITUTION_TYPES, ISSUES
from libs.contracts.explanation_texts import ENGLISH
from libs.contracts.explanations import explain
from libs.referral_rules.facts import ComplaintFacts
from libs.referral_rules.planner import make_plan

TODAY = date(2026, 12, 1)


def _plans():
    for kind, issue, capacity, municipality, filed, role in itertools.product(
            INSTITUTION_TYPES, ISSUES, (None, "business"), (None, "GM0363", "GM0202"),
            (None, date(2025, 1, 5)), ("sex_worker", "operator")):
        facts = ComplaintFacts(institution_type=kind, issue=issue, capacity=capacity, municipality=municipality,
                               incident_date=date(2024, 6, 1), prior_complaint_filed_on=filed, reporter_role=role)
        yield make_plan(facts, TODAY).to_dict()
    # the optional facts the event contract does not carry yet (facts.py), on the routes they change
    for kind, issue, extra in itertools.product(
            ("municipality", "police", "uwv", "care_provider", "landlord"), ("rude_treatment", "privacy", "violence"),
            (dict(first_complaint_unreasonable=True), dict(advisory_committee=True, extension_notified=True),
             dict(public_body=True), dict(public_body=True, about_care=False), dict(housing_corporation=True),
             dict(housing_corporation=False))):
        facts = ComplaintFacts(institution_type=kind, issue=issue, municipality="GM0363",
                               incident_date=date(2026, 6, 1), **extra)
        yield make_plan(facts, TODAY).to_dict()


PLANS = list(_plans())


def _coded_texts(plan):
    for step in plan["steps"]:
        yield step["why_message"], step["why"]
        assert len(step["precondition_messages"]) == len(step["preconditions"])
        yield from zip(step["precondition_messages"], step["preconditions"])
    for option in plan["support"]:
        yield option["why_message"], option["why"]
    for warning in plan["warnings"]:
        yield {"code": warning["code"], "params": warning["params"]}, warning["message"]


def test_every_sentence_has_a_code_whose_english_wording_is_the_text():
    for plan in PLANS:
        for coded, text in _coded_texts(plan):
            assert coded["code"] in ENGLISH
            assert ENGLISH[coded["code"]] % coded["params"] == text


def test_every_code_is_used_by_some_plan():
    used = {coded["code"] for plan in PLANS for coded, _text in _coded_texts(plan)}
    assert set(ENGLISH) - used == set()


def test_parameters_are_numbers_or_names_never_sentences():
    for plan in PLANS:
        for coded, _text in _coded_texts(plan):
            for name, value in coded["params"].items():
                assert isinstance(value, (int, str, list)), name
                assert not isinstance(value, str) or "." not in value.rstrip(".") or name == "channels"


def test_the_unanonymous_warning_names_its_channels_by_id_too():
    plan = make_plan(ComplaintFacts(institution_type="police", issue="privacy"), TODAY).to_dict()
    warning = next(w for w in plan["warnings"] if w["code"] == "not_anonymous")
    assert warning["params"]["channel_ids"] == ["politie-klachten", "autoriteit-persoonsgegevens"]
    assert warning["message"].startswith("These do not take anonymous complaints: Police complaint procedure")


def test_an_unknown_code_or_a_missing_parameter_fails_at_planning_time():
    with pytest.raises(KeyError):
        explain("no.such.code")
    with pytest.raises(KeyError):
        explain("check_with_municipality")
    with pytest.raises(KeyError):  # the unconfirmed-body warning must name the body it is unsure about
        explain("check_with_municipality", municipality="Arnhem")
    assert explain("check_with_municipality", municipality="Arnhem", body="Nationale ombudsman").text.startswith(
        "We could not confirm which ombudsman handles complaints about Arnhem. Our best information is: "
        "Nationale ombudsman.")
