"""POST /api/v1/letters through its handler (web/rights_handlers.py), without a server: the format from Accept, the
refusals that name the fields the law needs, and error bodies that never echo what was sent."""
import copy
import json

import pytest
from werkzeug.test import EnvironBuilder

from services.intake.web import rights_handlers
from services.intake.web.responses import HttpError

CANARY_NAME, CANARY_STREET = "Zoë Canary-5d1f", "Kanariestraat 77"
BODY = {
    "channel_id": "internal:municipality",
    "facts": {"institution_type": "municipality", "issue": "rude_treatment", "municipality": "GM0363",
              "incident_date": "2026-03-03"},
    "sender": {"name": CANARY_NAME, "address": CANARY_STREET, "postcode_city": "1012 AB Amsterdam"},
    "account": "They shouted at me at the counter.",
    "request": "An apology.",
    "language": "ro",
}


def call(body, accept="application/pdf", raw=None, content_type="application/json"):
    data = raw if raw is not None else json.dumps(body).encode()
    request = EnvironBuilder(method="POST", path="/api/v1/letters", data=data,
                             headers={"Accept": accept, "Content-Type": content_type}).get_request()
    try:
        return rights_handlers.letters_api(request)
    except HttpError as error:
        return error


def body_with(**changes):
    body = copy.deepcopy(BODY)
    for path, value in changes.items():
        target = body
        *parents, last = path.split("__")
        for parent in parents:
            target = target.setdefault(parent, {})
        if value is None:
            target.pop(last, None)
        else:
            target[last] = value
    return body


@pytest.mark.parametrize("accept, mimetype, marker", [
    ("application/pdf", "application/pdf", b"%PDF-"),
    ("text/html", "text/html", b"<!doctype html>"),
    ("text/plain", "text/plain", b"Scrisoarea dumneavoastr"),
    ("text/plain;q=0.5, application/pdf;q=0.9", "application/pdf", b"%PDF-"),
    ("text/html, text/plain", "text/html", b"<!doctype html>"),
])
def test_the_letter_comes_in_the_format_the_client_asks_for(accept, mimetype, marker):
    response = call(BODY, accept)
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.get_data().startswith(marker)
    assert response.headers["Cache-Control"] == "no-store"
    assert "klachtbrief" in response.headers.get("Content-Disposition", "klachtbrief")
    assert CANARY_NAME not in response.headers.get("Content-Disposition", "")


def test_the_html_letter_escapes_markup_and_the_text_keeps_it_as_text():
    body = body_with(account="<img src=x onerror=alert(1)> \u202eevil")
    html = call(body, "text/html").get_data(as_text=True)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html and "\u202e" not in html
    assert "<img src=x onerror=alert(1)>" in call(body, "text/plain").get_data(as_text=True)


@pytest.mark.parametrize("accept", ["application/json", "*/*", "", "image/png"])
def test_any_other_accept_is_406_naming_the_three_types(accept):
    error = call(BODY, accept)
    assert error.status == 406 and "application/pdf" in error.message


def test_awb_9_4_name_and_address_are_required_for_a_government_body():
    error = call(body_with(sender=None))
    assert (error.status, error.code) == (400, "missing_required_fields")
    assert set(error.fields) == {"sender.name", "sender.address", "sender.postcode_city"}
    assert "Awb 9:4" in error.fields["sender.name"][0]


def test_the_police_take_no_anonymous_complaint():
    body = body_with(channel_id="politie-klachten", facts__institution_type="police", sender__name=None)
    error = call(body)
    assert error.code == "missing_required_fields" and "anonymous" in error.fields["sender.name"][0]


def test_an_ombudsman_needs_the_grounds_and_the_earlier_complaint():
    error = call(body_with(channel_id="nationale-ombudsman"))
    assert set(error.fields) == {"grounds", "facts.prior_complaint.filed_on"}
    assert all("Awb 9:28" in message[0] for message in error.fields.values())


def test_kifid_needs_a_private_person():
    body = body_with(channel_id="kifid", facts__institution_type="bank", facts__capacity="business",
                     facts__prior_complaint={"filed_on": "2026-06-01"}, institution_name="Bank")
    error = call(body)
    assert set(error.fields) == {"facts.capacity"}


@pytest.mark.parametrize("channel_id, code", [
    ("no-such-channel", "unknown_channel"), ("huurcommissie", "no_written_complaint"),
    ("comensha", "no_written_complaint"), ("internal:landlord", "no_written_complaint"),
])
def test_an_unknown_channel_or_one_without_written_complaints_is_400(channel_id, code):
    error = call(body_with(channel_id=channel_id))
    assert (error.status, error.code, list(error.fields)) == (400, code, ["channel_id"])


@pytest.mark.parametrize("changes", [
    {"account": "x" * 6001}, {"sender__name": "n" * 201}, {"language": "xx"}, {"facts__issue": "nope"},
    {"surprise": "field"}, {"account": None},
])
def test_invalid_fields_are_named_and_never_echoed(changes):
    body = body_with(**changes)
    error = call(body)
    assert error.status == 400 and error.fields
    shown = json.dumps({"message": error.message, "fields": error.fields})
    assert CANARY_NAME not in shown and CANARY_STREET not in shown and "x" * 50 not in shown and "nope" not in shown


def test_body_type_and_size_are_checked_before_parsing():
    assert call(None, raw=b"name=x", content_type="application/x-www-form-urlencoded").status == 415
    assert call(None, raw=b"{" + b" " * (1024 * 1024 + 1) + b"}").status == 413
    assert call(None, raw=b"not json").code == "invalid_json"
