"""Walking the multi-step form: each step validates its own questions; back and change never lose answers."""
import datetime

import pytest

from services.intake.web.form_fields import ALL_FIELDS, parse_date
from services.intake.web.pages import FORM_STEPS, next_step
from web_form_answers import ABOUT, COMPLETE

TODAY = datetime.date(2026, 11, 28)



def step(current, form):
    return next_step(current, form, today=TODAY)


def test_a_complete_form_walks_every_step_to_submit():
    form = dict(COMPLETE)
    for current, expected in zip(FORM_STEPS, FORM_STEPS[1:] + (None,)):
        following, values, errors = step(current, form)
        assert (following, errors) == (expected, {})
        form = values
    assert values["incident_date"] == "2026-03-31"
    assert set(values) == set(ALL_FIELDS) | {"return_to"}


@pytest.mark.parametrize("current, missing, code", [
    ("about", "reporter_role", "required_choice"),
    ("about", "institution_type", "required_choice"),
    ("what", "issue", "required_choice"),
    ("what", "prior_complaint", "required_choice"),
    ("what", "description", "required"),
    ("contact", "wants_mediation", "required_choice"),
    ("consent", "consent_referral", "required_choice"),
    ("consent", "consent_share_description", "required_choice"),
    ("consent", "consent_contact", "required_choice"),
])
def test_required_questions(current, missing, code):
    form = {key: value for key, value in COMPLETE.items() if key != missing}
    following, values, errors = step(current, form)
    assert following == current and errors == {missing: code}


def test_whitespace_only_counts_as_empty():
    _, _, errors = step("what", dict(COMPLETE, description="  \r\n\t "))
    assert errors == {"description": "required"}


@pytest.mark.parametrize("field, value, code", [
    ("reporter_role", "admin", "invalid_choice"),
    ("institution_type", "ministry", "invalid_choice"),
    ("municipality", "GM9999", "invalid_municipality"),
    ("municipality", "Amsterdam", "invalid_municipality"),
    ("municipality", "GM036", "invalid_municipality"),
    ("institution_name", "x" * 201, "too_long"),
])
def test_about_step_rejects(field, value, code):
    _, _, errors = step("about", dict(COMPLETE, **{field: value}))
    assert errors == {field: code}


def test_description_limit_is_10000_characters():
    assert step("what", dict(COMPLETE, description="x" * 10_000))[2] == {}
    assert step("what", dict(COMPLETE, description="x" * 10_001))[2] == {"description": "too_long"}


@pytest.mark.parametrize("text, expected", [
    ("2026-03-31", "2026-03-31"), ("31-03-2026", "2026-03-31"), ("1-4-2026", "2026-04-01"),
    ("31/03/2026", "2026-03-31"), ("31.03.2026", "2026-03-31"),
    ("2026-02-30", None), ("31-13-2026", None), ("yesterday", None), ("2026/03/31", None), ("0001-01-01", None),
])
def test_date_formats(text, expected):
    parsed = parse_date(text)
    assert (parsed.isoformat() if parsed else None) == expected


@pytest.mark.parametrize("value, code", [("2026-13-01", "invalid_date"), ("29-11-2026", "future_date")])
def test_incident_date_must_be_a_real_past_date(value, code):
    assert step("what", dict(COMPLETE, incident_date=value))[2] == {"incident_date": code}


def test_final_answer_cannot_precede_the_complaint():
    form = dict(COMPLETE, prior_complaint="yes", prior_filed_on="2026-05-01", prior_final_answer_on="2026-04-01")
    assert step("what", form)[2] == {"prior_final_answer_on": "date_order"}


def test_prior_complaint_dates_are_dropped_when_answer_is_no():
    form = dict(COMPLETE, prior_complaint="no", prior_filed_on="nonsense")
    following, values, errors = step("what", form)
    assert errors == {} and values["prior_filed_on"] == ""


def test_capacity_is_dropped_for_institutions_that_are_not_financial():
    following, values, errors = step("what", dict(COMPLETE, institution_type="police", capacity="business"))
    assert errors == {} and values["capacity"] == ""


@pytest.mark.parametrize("method, address, code", [
    ("email", "", "required"), ("email", "not-an-address", "invalid_email"), ("email", "a@b", "invalid_email"),
    ("phone", "call me", "invalid_phone"), ("phone", "123", "invalid_phone"),
    ("email", "a@" + "b" * 250 + ".nl", "too_long"), ("fax", "", "invalid_choice"),
])
def test_contact_details_are_checked(method, address, code):
    _, _, errors = step("contact", dict(COMPLETE, contact_method=method, contact_address=address))
    field = "contact_method" if code == "invalid_choice" else "contact_address"
    assert errors == {field: code}


@pytest.mark.parametrize("method, address", [("email", "me@example.org"), ("phone", "+31 6 1234 5678"),
                                             ("phone", "06-12345678")])
def test_good_contact_details_pass(method, address):
    assert step("contact", dict(COMPLETE, contact_method=method, contact_address=address))[2] == {}


def test_no_contact_method_means_no_address_is_kept():
    form = dict(COMPLETE, contact_method="none", contact_address="me@example.org", contact_no_voicemail="yes")
    _, values, errors = step("contact", form)
    assert errors == {} and values["contact_address"] == "" and values["contact_no_voicemail"] == ""


def test_missing_contact_method_means_anonymous():
    form = {key: value for key, value in COMPLETE.items() if key != "contact_method"}
    _, values, errors = step("contact", form)
    assert errors == {} and values["contact_method"] == "none"


def test_back_keeps_answers_without_validating():
    following, values, errors = step("what", dict(ABOUT, action="back", description="half-typed"))
    assert following == "about" and errors == {} and values["description"] == "half-typed"


def test_change_buttons_on_review_jump_to_a_step():
    following, values, errors = step("review", dict(COMPLETE, goto="contact"))
    assert following == "contact" and errors == {} and values["consent_referral"] == "yes"


def test_review_rechecks_every_step_because_hidden_fields_can_be_edited():
    following, _, errors = step("review", dict(COMPLETE, institution_type="ministry"))
    assert following == "about" and errors == {"institution_type": "invalid_choice"}


def test_a_later_step_sends_the_person_back_to_an_earlier_step_with_a_problem():
    following, _, errors = step("contact", dict(COMPLETE, description=""))
    assert following == "what" and errors == {"description": "required"}


def test_unknown_step_starts_at_the_beginning():
    assert step("../admin", COMPLETE)[0] == "about"


def test_unknown_form_keys_are_ignored_and_control_characters_dropped():
    _, values, _ = step("what", dict(COMPLETE, csrf_token="x", evil="y", description="a\x00b\x07c"))
    assert "evil" not in values and "csrf_token" not in values and values["description"] == "abc"


def test_after_a_change_the_person_returns_to_the_review():
    following, values, _ = step("review", dict(COMPLETE, goto="about"))
    assert following == "about" and values["return_to"] == "review"
    following, values, errors = step("about", dict(values, institution_name="Gemeente X"))
    assert (following, errors, values["return_to"]) == ("review", {}, "")


def test_a_change_that_breaks_a_later_step_stops_there():
    _, values, _ = step("review", dict(COMPLETE, goto="contact"))
    following, _, errors = step("contact", dict(values, contact_method="email", contact_address=""))
    assert following == "contact" and errors == {"contact_address": "required"}


def test_back_forgets_the_way_back_to_review():
    _, values, _ = step("review", dict(COMPLETE, goto="what"))
    following, values, _ = step("what", dict(values, action="back"))
    assert following == "about" and values["return_to"] == ""
