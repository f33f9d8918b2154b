"""Mediators act through signed links (accept, decline, record an outcome); the outcome form has no text field."""
import base64
import json
import re
from datetime import date, datetime, timezone

import pytest
from marshmallow import ValidationError

from libs.contracts.events import internal_event
from libs.contracts.events import MEDIATION_OUTCOMES
from services.notification.domain.outcomes import OUTCOME_EVENT, OutcomeSchema, outcome_event_data
from services.notification.domain.signed_links import InvalidToken, make_token, read_token

SECRET = b"k" * 32
NOW = 1_800_000_000
LATER = NOW + 2 * 24 * 3600
CANARY = "CANARY-51c2: she told me the officer's name and her phone number"


def flip(text, index):
    """Change one character to another character of the base64url alphabet."""
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1:]


@pytest.mark.parametrize("action", ["accept", "decline", "outcome"])
def test_round_trip(action):
    token = make_token(SECRET, "VP-AB12-CD34", "m-1", action, LATER)
    assert re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", token)  # safe in a URL path without escaping
    assert read_token(SECRET, token, NOW) == ("VP-AB12-CD34", "m-1", action)
    assert read_token(SECRET, token, datetime.fromtimestamp(NOW, timezone.utc)) == ("VP-AB12-CD34", "m-1", action)


def test_token_carries_only_reference_mediator_action_and_expiry():
    token = make_token(SECRET, "VP-AB12-CD34", "m-1", "accept", LATER)
    payload_part = token.split(".")[0]
    decoded = json.loads(base64.urlsafe_b64decode(payload_part + "=" * (-len(payload_part) % 4)))
    assert decoded == ["v1", "VP-AB12-CD34", "m-1", "accept", LATER]


def test_any_changed_character_is_refused():
    token = make_token(SECRET, "VP-AB12-CD34", "m-1", "accept", LATER)
    for index in range(len(token)):
        if token[index] == ".":
            continue
        with pytest.raises(InvalidToken):
            read_token(SECRET, flip(token, index), NOW)


def test_forged_payloads_are_refused():
    accept = make_token(SECRET, "VP-AB12-CD34", "m-1", "accept", LATER)
    other_case = make_token(SECRET, "VP-ZZ99-ZZ99", "m-1", "accept", LATER)
    # turn an accept link into a decline, or move it to another case, keeping the old signature
    as_decline = base64.urlsafe_b64encode(json.dumps(["v1", "VP-AB12-CD34", "m-1", "decline", LATER],
                                                     separators=(",", ":")).encode()).rstrip(b"=").decode()
    forgeries = [as_decline + "." + accept.split(".")[1],
                 other_case.split(".")[0] + "." + accept.split(".")[1],
                 make_token(b"x" * 32, "VP-AB12-CD34", "m-1", "accept", LATER)]
    for forged in forgeries:
        with pytest.raises(InvalidToken, match="bad_signature"):
            read_token(SECRET, forged, NOW)


@pytest.mark.parametrize("garbage", ["", ".", "abc", "abc.", ".abc", "a.b.c", "é.é", "A" * 600 + ".x", None])
def test_malformed_input_is_refused(garbage):
    with pytest.raises(InvalidToken):
        read_token(SECRET, garbage, NOW)


def test_expiry():
    token = make_token(SECRET, "VP-AB12-CD34", "m-1", "decline", NOW + 60)
    assert read_token(SECRET, token, NOW + 59)
    with pytest.raises(InvalidToken, match="expired"):
        read_token(SECRET, token, NOW + 60)
    with pytest.raises(InvalidToken, match="expired"):
        read_token(SECRET, token, NOW + 10 ** 6)


@pytest.mark.parametrize("case_ref, mediator_id, action", [
    ("VP-AB12-CD34", "m-1", "delete"),
    ("VP-AB12-CD34", "someone@example.test", "accept"),
    ("VP-AB12-CD34", "m 1", "accept"),
    ("Jane Doe", "m-1", "accept"),
    ("", "m-1", "accept"),
    ("VP-AB12-CD34\n", "m-1", "accept"),
    ("VP-AB12-CD34", "m-1\n", "accept"),
])
def test_only_identifiers_and_known_actions_go_into_a_token(case_ref, mediator_id, action):
    with pytest.raises(ValueError):
        make_token(SECRET, case_ref, mediator_id, action, LATER)


def test_short_secrets_are_refused():
    with pytest.raises(ValueError):
        make_token(b"short", "VP-AB12-CD34", "m-1", "accept", LATER)


# --- recording an outcome (reached through an "outcome" link) ---

@pytest.mark.parametrize("form, loaded", [
    ({"outcome": "resolved"}, {"outcome": "resolved", "satisfaction": None}),
    ({"outcome": "not_resolved", "satisfaction": 2}, {"outcome": "not_resolved", "satisfaction": 2}),
    ({"outcome": "referred_on", "satisfaction": "5"}, {"outcome": "referred_on", "satisfaction": 5}),
    ({"outcome": "no_contact", "satisfaction": ""}, {"outcome": "no_contact", "satisfaction": None}),
    ({"outcome": "withdrawn", "satisfaction": None}, {"outcome": "withdrawn", "satisfaction": None}),
])
def test_outcome_form_accepts(form, loaded):
    assert OutcomeSchema().load(form) == loaded


@pytest.mark.parametrize("form", [
    {},
    {"outcome": "won"},
    {"outcome": "resolved", "satisfaction": 0},
    {"outcome": "resolved", "satisfaction": 6},
    {"outcome": "resolved", "satisfaction": 3.5},
    {"outcome": "resolved", "satisfaction": "3.5"},
    {"outcome": "resolved", "satisfaction": True},
    {"outcome": "resolved", "notes": CANARY},
    {"outcome": "resolved", "comment": CANARY},
    {"outcome": "resolved", "case_ref": "VP-ZZ99-ZZ99"},  # the case comes from the signed link, not the form
])
def test_outcome_form_refuses(form):
    with pytest.raises(ValidationError) as caught:
        OutcomeSchema().load(form)
    assert CANARY not in str(caught.value.messages)


def test_outcome_schema_has_no_text_field_besides_the_code():
    assert set(OutcomeSchema().fields) == {"outcome", "satisfaction"}
    assert set(MEDIATION_OUTCOMES) == set(OutcomeSchema().fields["outcome"].validators[0].choices)


def test_outcome_event_data_fits_the_catalogue():
    recorded = OutcomeSchema().load({"outcome": "resolved", "satisfaction": "4"})
    data = outcome_event_data("VP-AB12-CD34", recorded, date(2026, 11, 20))
    assert data == {"case_ref": "VP-AB12-CD34", "outcome": "resolved", "satisfaction": 4,
                    "recorded_on": date(2026, 11, 20)}
    envelope = internal_event(OUTCOME_EVENT, data)
    assert envelope["type"] == "nl.voorportaal.mediation.outcome_recorded.v1"
    assert envelope["data"] == {"case_ref": "VP-AB12-CD34", "outcome": "resolved", "satisfaction": 4,
                                "recorded_on": "2026-11-20"}


def test_outcome_event_data_refuses_what_the_catalogue_refuses():
    with pytest.raises(ValidationError):
        outcome_event_data("VP-AB12-CD34", {"outcome": "won"}, date(2026, 11, 20))
