"""Fuzzing the payload parsers with hypothesis: whatever arrives, each parser answers with its documented
validation error (or a value), never with another exception (docs/threat-model.md; atheris is not installed here,
hypothesis gives the same guarantee on the parsers' Python level).

Parsers covered: the complaint schema (API body), the progress-update schema, the route question, the CloudEvents
envelope reader, every event data schema of the catalogue, the form's step parser and its route question, the
receipt (Authorization header and normaliser), the mediator's signed-link token reader and the webhook signature
verifier. Each property mixes mostly-valid input with mutations and pure junk, so the deep branches get reached.
"""
import base64
import hashlib
import hmac
import json
import string
from datetime import date, datetime, timezone

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from marshmallow import ValidationError
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from libs.contracts import events as envelope_module
from libs.contracts.events import (
    CAPACITIES, CATALOGUE, INSTITUTION_TYPES, ISSUES, LANGUAGES, MEDIATION_OUTCOMES, PROGRESS_KINDS, REPORTER_ROLES,
    validate_data,
)
from services.intake.domain import receipts
from services.intake.domain.receipt_guard import ReceiptGuard
from services.intake.use_cases import receipt_check
from services.intake.web.api_schemas import ComplaintRequest, ProgressUpdate, RouteQuery
from services.intake.web.responses import HttpError
from services.intake.web.complaint_payload import form_to_complaint
from services.intake.web.form_fields import ALL_FIELDS, FORM_STEPS
from services.intake.web.form_flow import next_step
from services.intake.web.route_question import parse_route_question
from services.notification.domain import signed_links, webhooks

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
SECRET = b"s" * 32
NOW = 1_800_000_000

# -- building blocks --------------------------------------------------------------------------------------------
NASTY_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "\ud7ff", "ß" * 30, "١٢٣٤-٠١-٠١", "9" * 5000, "NaN", "1e309", "-0",
                     "2026-02-30", "31-12-9999", "0000-00-00", "GM0363\n", "<script>", "' OR 1=1 --",
                     "x" * 10_001, "a@b.c", "+31 (0)20-123.45/67", "\u202e", "VP-AAAA-AAAA"]),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=10**20, max_value=10**40),
                    st.floats(allow_nan=True, allow_infinity=True), NASTY_TEXT)
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=12)


def mutated(valid, field_values):
    """A valid dict with some fields replaced by junk, some removed, and sometimes an extra key."""
    keys = sorted(valid)

    @st.composite
    def build(draw):
        body = dict(valid)
        for key in draw(st.lists(st.sampled_from(keys), max_size=3, unique=True)):
            if draw(st.booleans()):
                del body[key]
            else:
                body[key] = draw(field_values.get(key, JSON_VALUES) | JSON_VALUES)
        if draw(st.integers(0, 9)) == 0:
            body[draw(st.text(max_size=10))] = draw(JSON_VALUES)
        return body
    return build()


DATES = st.one_of(st.dates().map(date.isoformat), NASTY_TEXT)
VALID_COMPLAINT = {
    "institution_type": "bank", "institution_name": "De Bank", "municipality": "GM0363",
    "issue": "account_refused_or_closed", "incident_date": "2026-01-05", "capacity": "private",
    "prior_complaint": {"filed_on": "2026-01-10", "final_answer_on": None},
    "description": "My bank closed my account.", "language": "nl", "reporter_role": "sex_worker",
    "wants_mediation": True,
    "contact": {"method": "email", "address": "me@example.test", "safe_times": "evenings", "no_voicemail": True},
    "consent": {"referral": True, "share_description": False, "contact": True},
}
COMPLAINT_FIELDS = {
    "institution_type": st.sampled_from(INSTITUTION_TYPES), "issue": st.sampled_from(ISSUES),
    "capacity": st.sampled_from(CAPACITIES), "language": st.sampled_from(LANGUAGES),
    "reporter_role": st.sampled_from(REPORTER_ROLES), "incident_date": DATES,
    "prior_complaint": st.one_of(st.none(), st.fixed_dictionaries({}, optional={"filed_on": DATES,
                                                                                 "final_answer_on": DATES})),
    "contact": st.one_of(st.none(), st.fixed_dictionaries(
        {"method": st.sampled_from(["none", "email", "phone", "pigeon"])},
        optional={"address": st.one_of(st.none(), NASTY_TEXT), "safe_times": st.one_of(st.none(), NASTY_TEXT),
                  "no_voicemail": st.one_of(st.booleans(), SCALARS)})),
    "consent": st.fixed_dictionaries({}, optional={k: st.one_of(st.booleans(), SCALARS)
                                                   for k in ("referral", "share_description", "contact")}),
}


def only(allowed, call, *args):
    """Run call(*args); an exception outside `allowed` fails the test with its type (the input is in the report)."""
    try:
        return call(*args)
    except allowed:
        return None


# -- the complaint API's bodies -----------------------------------------------------------------------------------
def test_the_valid_examples_are_valid():
    ComplaintRequest().load(VALID_COMPLAINT)
    ProgressUpdate().load({"kind": "answer_received", "on": "2026-01-01"})


@FUZZ
@given(body=st.one_of(mutated(VALID_COMPLAINT, COMPLAINT_FIELDS), JSON_VALUES))
@example(body={**VALID_COMPLAINT, "consent": None})
@example(body={**VALID_COMPLAINT, "contact": {"method": "email"}, "consent": "yes"})
@example(body={**VALID_COMPLAINT, "municipality": ["GM0363"]})
def test_the_complaint_schema_raises_only_validation_errors(body):
    only(ValidationError, ComplaintRequest().load, body)


@FUZZ
@given(body=st.one_of(mutated({"kind": "answer_received", "on": "2026-01-01"},
                              {"kind": st.sampled_from(PROGRESS_KINDS), "on": DATES}), JSON_VALUES))
def test_the_progress_update_schema_raises_only_validation_errors(body):
    only(ValidationError, ProgressUpdate().load, body)


@FUZZ
@given(body=st.one_of(mutated({"institution_type": "bank", "issue": "privacy", "municipality": "GM0363",
                               "prior_complaint": {"filed_on": "2026-01-01"}}, COMPLAINT_FIELDS), JSON_VALUES))
def test_the_route_question_schema_raises_only_validation_errors(body):
    only(ValidationError, RouteQuery().load, body)


# -- CloudEvents envelopes and the event catalogue ------------------------------------------------------------------
def _valid_event_data():
    return {
        "complaint.received": {
            "case_ref": "VP-AAAA-BBBB", "received_on": "2026-01-01", "institution_type": "bank",
            "issue": "privacy", "municipality": "GM0363", "capacity": None, "incident_date": None,
            "prior_complaint": None, "language": "nl", "reporter_role": "sex_worker", "wants_mediation": True,
            "has_contact": False, "consent": {"referral": True, "share_description": False, "contact": False}},
        "complaint.progress_reported": {"case_ref": "VP-A", "kind": "answer_received", "on": "2026-01-01"},
        "complaint.withdrawn": {"case_ref": "VP-A"},
        "complaint.messages_stopped": {"case_ref": "VP-A"},
        "referral.planned": {
            "case_ref": "VP-A", "directory_version": "2026-11", "institution_type": "bank", "issue": "privacy",
            "municipality": None, "language": "nl", "wants_mediation": False,
            "steps": [{"channel_id": "kifid", "kind": "partner", "status": "open", "answer_due": "2026-03-01"}],
            "partner_referrals": ["kifid"]},
        "referral.deadline_due": {"case_ref": "VP-A", "channel_id": "kifid", "due_on": "2026-01-01"},
        "referral.escalation_available": {"case_ref": "VP-A", "channel_id": "kifid", "due_on": "2026-01-01"},
        "mediation.assigned": {"case_ref": "VP-A", "mediator_id": "m-1", "assigned_on": "2026-01-01"},
        "mediation.unmatched": {"case_ref": "VP-A", "reason": "no_mediator"},
        "mediation.outcome_recorded": {"case_ref": "VP-A", "outcome": "resolved", "satisfaction": 4,
                                       "recorded_on": "2026-01-01"},
    }


VALID_EVENT_DATA = _valid_event_data()
EVENT_FIELDS = {"outcome": st.sampled_from(MEDIATION_OUTCOMES), "satisfaction": st.integers(-3, 9),
                "steps": st.lists(JSON_VALUES, max_size=3), "partner_referrals": st.lists(JSON_VALUES, max_size=3),
                **{name: DATES for name in ("received_on", "on", "due_on", "assigned_on", "recorded_on")},
                **COMPLAINT_FIELDS}


def _example_data(event_type):
    """A valid example where this file has one; for an event added to the catalogue since, its field names."""
    if event_type in VALID_EVENT_DATA:
        return VALID_EVENT_DATA[event_type]
    return {name: "2026-01-01" for name in CATALOGUE[event_type][1]().fields}


def test_the_valid_event_examples_are_valid():
    assert set(VALID_EVENT_DATA) <= set(CATALOGUE)
    for event_type, data in VALID_EVENT_DATA.items():
        envelope = envelope_module.internal_event(event_type, validate_data(event_type, data))
        assert envelope_module.read_internal_event(json.loads(json.dumps(envelope)))[0] == event_type


@FUZZ
@given(event_type=st.sampled_from(sorted(CATALOGUE)), data=st.data())
def test_event_data_schemas_raise_only_validation_errors(event_type, data):
    body = data.draw(st.one_of(mutated(_example_data(event_type), EVENT_FIELDS), JSON_VALUES))
    only(ValidationError, validate_data, event_type, body)


def _envelopes():
    valid = [json.loads(json.dumps(envelope_module.internal_event(t, validate_data(t, d))))
             for t, d in sorted(VALID_EVENT_DATA.items())]
    fields = {"type": st.one_of(st.sampled_from([e["type"] for e in valid]), NASTY_TEXT,
                                st.just("nl.voorportaal.v1"), st.just("nl.voorportaal.nope.v1")),
              "specversion": st.sampled_from(["1.0", "0.3", 1.0]),
              "data": st.one_of(st.sampled_from([e["data"] for e in valid]), JSON_VALUES)}
    return st.one_of(st.sampled_from(valid).flatmap(lambda e: mutated(e, fields)), JSON_VALUES)


@FUZZ
@given(envelope=_envelopes())
@example(envelope={"specversion": "1.0", "id": "1", "source": "s", "type": "nl.voorportaal..v1", "time": "t",
                   "datacontenttype": "application/json", "data": {}})
def test_the_envelope_reader_raises_only_validation_or_value_errors(envelope):
    # ValueError is the documented "not a voorportaal event type" / "unknown event type" (ValidationError is one)
    only((ValidationError, ValueError), envelope_module.read_internal_event, envelope)


# -- the form's step parser and route question ----------------------------------------------------------------------
VALID_FORM = {
    "reporter_role": "sex_worker", "institution_type": "bank", "institution_name": "De Bank",
    "municipality": "GM0363", "issue": "account_refused_or_closed", "incident_date": "05-01-2026",
    "capacity": "private", "prior_complaint": "yes", "prior_filed_on": "2026-01-10", "prior_final_answer_on": "",
    "description": "My bank closed my account.", "wants_mediation": "yes", "contact_method": "email",
    "contact_address": "me@example.test", "contact_safe_times": "evenings", "contact_no_voicemail": "yes",
    "consent_referral": "yes", "consent_share_description": "no", "consent_contact": "yes",
}
FORM_TEXT = st.one_of(NASTY_TEXT, st.sampled_from(["yes", "no", "none", "email", "phone", "GM0518", "1-1-1900",
                                                   "29-02-2024", "2026-1-1", "+31 6 1234 5678", "a@b", "@@.."]))
FORM_FIELDS = {name: FORM_TEXT for name in ALL_FIELDS}
NAVIGATION = st.fixed_dictionaries({}, optional={
    "action": st.sampled_from(["next", "back", "submit", ""]), "goto": st.sampled_from([*FORM_STEPS, "x", ""]),
    "return_to": st.sampled_from(["review", "", "about"])})


@st.composite
def form_posts(draw):
    values = draw(mutated(VALID_FORM, FORM_FIELDS))
    values = {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}  # forms carry strings
    return {**values, **draw(NAVIGATION)}


@FUZZ
@given(step=st.one_of(st.sampled_from(FORM_STEPS), NASTY_TEXT), form=form_posts())
@example(step="review", form=dict(VALID_FORM))
def test_the_form_step_parser_never_raises_and_what_it_accepts_the_api_accepts(step, form):
    following, values, errors = next_step(step, form, today=date(2026, 11, 28))
    assert following is None or following in FORM_STEPS
    assert isinstance(errors, dict) and all(isinstance(code, str) for code in errors.values())
    if following is None:
        # the review step passed every check: the complaint built from it must pass the API's schema too
        assert not errors
        ComplaintRequest().load(form_to_complaint(values, "nl"))


@FUZZ
@given(form=form_posts())
def test_the_forms_route_question_never_raises_and_what_it_accepts_the_api_accepts(form):
    query, _values, errors = parse_route_question(form, today=date(2026, 11, 28))
    if query is not None:
        assert not errors
        RouteQuery().load(query)


# -- receipts: the Authorization header, the form field and the normaliser -----------------------------------------
RECEIPTISH = st.one_of(
    NASTY_TEXT, st.text(alphabet=receipts.ALPHABET + "-ilo ", min_size=15, max_size=30),
    st.builds(lambda: receipts.new_receipt()),
)


@FUZZ
@given(text=RECEIPTISH)
def test_the_receipt_normaliser_returns_a_canonical_receipt_or_none(text):
    normalised = receipts.normalise(text)
    if normalised is not None:
        assert receipts.normalise(normalised) == normalised
        assert len(normalised) == 24 and set(normalised) <= set(receipts.ALPHABET + "-")
    assert receipts.receipt_matches(SECRET, "VP-1", text, receipts.receipt_hash(SECRET, "VP-1", "x")) is False


class _Case:
    receipt_hash = receipts.receipt_hash(SECRET, "VP-AAAA-AAAA", "ABCD-EFGH-JKMN-PQRS-TVWX")


@FUZZ
@given(authorization=st.one_of(st.none(), NASTY_TEXT, RECEIPTISH.map(lambda r: "Receipt " + r),
                               RECEIPTISH.map(lambda r: "rEcEiPt   " + r + "  ")),
       reference=st.one_of(st.just("VP-AAAA-AAAA"), NASTY_TEXT))
@example(authorization="Receipt abcd efgh jkmn pqrs tvwx", reference="VP-AAAA-AAAA")
def test_the_receipt_header_parser_answers_only_401_404_or_success(monkeypatch_module, authorization, reference):
    from services.intake.web import receipt_auth
    # what an HTTP server can hand over: one line, latin-1 decoded bytes
    wire = (authorization or "").encode("utf-8", "surrogatepass").decode("latin-1").replace("\r", "").replace("\n", "")
    headers = {} if authorization is None else {"Authorization": wire}
    request = Request(EnvironBuilder(path="/", headers=headers).get_environ())
    try:
        receipt_auth.authorise(None, request, reference, SECRET)
    except HttpError as exc:
        assert exc.status in (401, 404), exc.code
        return
    assert reference == "VP-AAAA-AAAA"
    assert receipts.normalise(wire[len("receipt "):]) == "ABCD-EFGH-JKMN-PQRS-TVWX"


@pytest.fixture(scope="module")
def monkeypatch_module():
    """authorise with a generous guard and a stand-in for the database lookup (one known case)."""
    from services.intake.use_cases import cases
    from services.intake.web import receipt_auth
    mp = pytest.MonkeyPatch()
    generous = ReceiptGuard(rate=10**9, max_failures=10**9, max_client_failures=10**9)
    mp.setattr(receipt_auth, "guard", lambda: generous)
    mp.setattr(cases, "find_case", lambda _session, ref: _Case() if ref == "VP-AAAA-AAAA" else None)
    yield mp
    mp.undo()


@FUZZ
@given(reference=st.one_of(NASTY_TEXT, st.none()), receipt=st.one_of(RECEIPTISH, st.none()))
def test_check_receipt_never_raises(reference, receipt):
    guard = ReceiptGuard(rate=10**9, max_failures=10**9, max_client_failures=10**9)
    from services.intake.use_cases import cases
    original = cases.find_case
    cases.find_case = lambda _session, _ref: None
    try:
        outcome = receipt_check.check_receipt(None, guard, SECRET, reference, receipt, "192.0.2.1").outcome
    finally:
        cases.find_case = original
    assert outcome == "unknown"


# -- the mediator's signed links ---------------------------------------------------------------------------------
def _b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _signed(payload_part):
    """A token whose MAC is right for an arbitrary payload: what only someone with the secret could make."""
    mac = hmac.new(SECRET, signed_links.MAC_LABEL + payload_part.encode("ascii"), hashlib.sha256).digest()
    return f"{payload_part}.{_b64(mac)}"


PAYLOADS = st.one_of(
    JSON_VALUES.map(lambda v: _b64(json.dumps(v).encode())),
    st.lists(JSON_VALUES, min_size=4, max_size=6).map(lambda v: _b64(json.dumps(v).encode())),
    st.tuples(st.sampled_from(["v1", "v2", 1]), SCALARS, SCALARS, st.sampled_from([*signed_links.ACTIONS, "x"]),
              st.one_of(st.integers(), SCALARS)).map(lambda v: _b64(json.dumps(list(v)).encode())),
    st.binary(max_size=64).map(_b64),
    st.text(alphabet=string.ascii_letters + string.digits + "-_=!.", max_size=80),
)
TOKENS = st.one_of(
    st.text(max_size=80), st.text(alphabet=string.printable, max_size=600),
    PAYLOADS.filter(lambda p: p.isascii()).map(_signed),
    st.builds(lambda ref, action, exp: signed_links.make_token(SECRET, ref, "m-1", action, exp),
              st.from_regex(signed_links.IDENTIFIER, fullmatch=True), st.sampled_from(signed_links.ACTIONS),
              st.integers(0, 2 * NOW)),
)


@FUZZ
@given(token=TOKENS)
@example(token="a.b")
@example(token="." * 5)
@example(token=_signed(_b64(b"[" * 380)))
def test_the_signed_link_reader_raises_only_invalid_token(token):
    try:
        case_ref, mediator_id, action = signed_links.read_token(SECRET, token, NOW)
    except signed_links.InvalidToken as exc:
        assert str(exc) in ("malformed", "bad_signature", "expired")
        return
    assert action in signed_links.ACTIONS
    assert signed_links.expires_at_of(token) > NOW


# -- the webhook signature verifier (what receivers run) --------------------------------------------------------
BODY = b'{"event":"mediation.requested","reference":"VP-AAAA-AAAA"}'
HEADER_VALUES = st.one_of(NASTY_TEXT, st.integers(NOW - 1000, NOW + 1000).map(str),
                          st.just(webhooks.sign(SECRET, NOW, BODY)).map(lambda s: "v1=" + s),
                          st.lists(st.text(string.hexdigits, max_size=64), max_size=3).map(
                              lambda parts: ",".join("v1=" + p for p in parts)))


@FUZZ
@given(headers=st.dictionaries(st.sampled_from([webhooks.TIMESTAMP_HEADER, webhooks.SIGNATURE_HEADER,
                                                 webhooks.TIMESTAMP_HEADER.lower(), "X-Other"]),
                               HEADER_VALUES, max_size=3),
       body=st.one_of(st.just(BODY), st.binary(max_size=100)))
@example(headers={webhooks.TIMESTAMP_HEADER: "٣" * 10, webhooks.SIGNATURE_HEADER: "v1=é"}, body=BODY)
def test_the_webhook_verifier_answers_only_true_or_false(headers, body):
    assert webhooks.verify(SECRET, headers, body, NOW) in (True, False)


def test_a_huge_webhook_timestamp_is_refused_not_raised():
    headers = {webhooks.TIMESTAMP_HEADER: "9" * 5000, webhooks.SIGNATURE_HEADER: "v1=00"}
    assert webhooks.verify(SECRET, headers, BODY, NOW) is False


def test_the_webhook_verifier_accepts_what_the_sender_signs():
    headers = webhooks.signed_headers(SECRET, NOW, BODY, "key-1")
    assert webhooks.verify(SECRET, headers, BODY, datetime.fromtimestamp(NOW + 10, timezone.utc))
    assert not webhooks.verify(SECRET, headers, BODY + b" ", NOW)
