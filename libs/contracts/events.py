"""The catalogue of events the services exchange: a marshmallow schema for each event's `data`, the CloudEvents
envelope they travel in, and the name of the handler entrypoint that consumes each type.

Internal events travel as CloudEvents 1.0 envelopes on nameko's per-service exchanges (`<service>.events`, routing
key = event type), so nameko handlers subscribe with `(source, event_type)`. The envelope's `id` is what every
inbox deduplicates on. Who consumes what: each service's `consumes` table (services/<name>/service.py), shown
together in docs/events.md. The rule for every schema here: categories, dates and the desk's case reference
only. Never free text, never a receipt, never contact details in plaintext. Sealed content travels only sealed,
and only to the one service it is for (SEALED_EVENTS): `complaint.messages_requested` carries an e-mail address
sealed to notification's messaging key (messaging_keys.py), `complaint.sealed` the case file sealed for the desk
(sealing.py).
"""
import functools
import uuid
from datetime import datetime, timezone

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from libs.contracts.partner_updates import OUTCOME_CODES, PARTNER_ID_PATTERN, UPDATE_STATUSES

INSTITUTION_TYPES = (
    "municipality", "police", "bank", "insurer", "health_insurer", "care_provider", "tax_authority",
    "uwv", "svb", "kvk", "landlord", "employer_or_operator", "other",
)
ISSUES = (
    "refused_service", "account_refused_or_closed", "rude_treatment", "discrimination", "privacy",
    "violence", "exploitation", "permit", "other",
)
REPORTER_ROLES = ("sex_worker", "operator", "support_worker", "other")
CAPACITIES = ("private", "business")
LANGUAGES = ("nl", "en", "es", "ro", "bg", "pl")
# extension_notified: the institution said in writing that it takes (up to) four more weeks (Awb 9:11 lid 2)
PROGRESS_KINDS = ("filed_with_institution", "answer_received", "no_answer_yet", "final_answer_received",
                  "extension_notified")
MESSAGE_CHANNELS = ("email", "phone")  # the person's contact method; only e-mail can be sent (no SMS channel)
MEDIATION_OUTCOMES = ("resolved", "referred_on", "withdrawn", "no_contact", "not_resolved")

MUNICIPALITY_CODE = validate.Regexp(r"^GM\d{4}$")
# the sectors of the signal report (services/analytics/domain/sectors.py says which institution types each covers)
SIGNAL_SECTORS = ("banks", "insurers", "municipalities", "police", "care", "tax", "landlords", "other_institutions")
QUARTER = validate.Regexp(r"^\d{4}-Q[1-4]$")
OBSERVATION_MAX_LENGTH = 2000


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class ConsentSchema(_Strict):
    referral = fields.Boolean(required=True)
    share_description = fields.Boolean(required=True)
    contact = fields.Boolean(required=True)
    # may a case handler give the mediator access to the description and contact details? Its own explicit answer,
    # asked only of someone who asks for mediation; absent (older events, the API without it) means no
    share_with_mediator = fields.Boolean(load_default=False)


class PriorComplaintSchema(_Strict):
    filed_on = fields.Date(allow_none=True, load_default=None)
    final_answer_on = fields.Date(allow_none=True, load_default=None)
    # the institution said in writing that it needs more time (Awb 9:11: up to four more weeks)
    extension_notified = fields.Boolean(load_default=False)
    # an advisory complaints committee handles it (Awb 9.1.3: ten weeks); None = the person does not know
    advisory_committee = fields.Boolean(allow_none=True, load_default=None)


class ComplaintReceivedData(_Strict):
    """intake → routing, notification, analytics. Only what routing and the evaluation need."""
    case_ref = fields.String(required=True)
    received_on = fields.Date(required=True)
    institution_type = fields.String(required=True, validate=validate.OneOf(INSTITUTION_TYPES))
    issue = fields.String(required=True, validate=validate.OneOf(ISSUES))
    municipality = fields.String(allow_none=True, load_default=None, validate=MUNICIPALITY_CODE)
    capacity = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(CAPACITIES))
    incident_date = fields.Date(allow_none=True, load_default=None)
    prior_complaint = fields.Nested(PriorComplaintSchema, allow_none=True, load_default=None)
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    reporter_role = fields.String(required=True, validate=validate.OneOf(REPORTER_ROLES))
    wants_mediation = fields.Boolean(required=True)
    has_contact = fields.Boolean(required=True)
    consent = fields.Nested(ConsentSchema, required=True)
    # Facts that choose between routes (libs/referral_rules/facts.py); absent in older events = not asked.
    # Complaining to the institution first cannot reasonably be asked (Awb 9:20 lid 1, 9:24 lid 2): fear of
    # reprisals, for example; the ombudsman may then take it directly.
    first_complaint_unreasonable = fields.Boolean(load_default=False)
    public_body = fields.Boolean(load_default=False)   # a care provider that is a government body (a GGD)
    about_care = fields.Boolean(allow_none=True, load_default=None)  # for a GGD: about the care itself (Wkkgz)
    housing_corporation = fields.Boolean(allow_none=True, load_default=None)  # the landlord is a woningcorporatie


class ComplaintProgressData(_Strict):
    """intake → routing, analytics: the person reports progress with the institution."""
    case_ref = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(PROGRESS_KINDS))
    on = fields.Date(required=True)


class ComplaintWithdrawnData(_Strict):
    """intake → everyone: withdraw and erase everything about this case."""
    case_ref = fields.String(required=True)


class ComplaintMessagesRequestedData(_Strict):
    """intake → notification only: the person consented to status messages. `sealed_address` is the e-mail
    address sealed to notification's public key (base64), never readable by anyone else; `null` for `phone`
    (there is no SMS channel, so the number is not sent at all)."""
    case_ref = fields.String(required=True)
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    channel = fields.String(required=True, validate=validate.OneOf(MESSAGE_CHANNELS))
    sealed_address = fields.String(allow_none=True, load_default=None,
                                   validate=[validate.Length(max=2048), validate.Regexp(r"^[A-Za-z0-9+/]+=*$")])
    key_id = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(r"^[0-9a-f]{16}$"))


class ComplaintMessagesStoppedData(_Strict):
    """intake → notification only: the person withdrew consent to be contacted; the complaint stays open.
    Notification forgets the sealed address and sends nothing more."""
    case_ref = fields.String(required=True)


def _explanation_params(params):
    """Parameters of a coded explanation come from the channel directory and the case's categories (a
    channel's name, a legal term such as "6 weeks", a municipality's name), never from what the person wrote:
    short strings, numbers or short lists of strings only."""
    def short_text(value):
        return isinstance(value, str) and len(value) <= 120
    for name, value in params.items():
        if not (isinstance(name, str) and name.isidentifier() and len(name) <= 32):
            raise ValidationError("explanation parameter names are short identifiers")
        if isinstance(value, bool) or not (short_text(value) or isinstance(value, int) or (
                isinstance(value, list) and len(value) <= 12 and all(short_text(item) for item in value))):
            raise ValidationError("explanation parameters are short texts, numbers or lists of short texts")


class ExplanationData(_Strict):
    """Why a step is in the plan, as routing's code and parameters (routing/domain/explanations.py), so that
    intake can show it in the person's language."""
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_.]{0,79}$"))
    params = fields.Dict(load_default=dict, validate=_explanation_params)


class PlanStepData(_Strict):
    channel_id = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    answer_due = fields.Date(allow_none=True, load_default=None)
    escalate_by = fields.Date(allow_none=True, load_default=None)
    why_message = fields.Nested(ExplanationData, allow_none=True, load_default=None)


class ReferralPlannedData(_Strict):
    """routing → intake (status view), notification, analytics."""
    case_ref = fields.String(required=True)
    directory_version = fields.String(required=True)
    institution_type = fields.String(required=True, validate=validate.OneOf(INSTITUTION_TYPES))
    issue = fields.String(required=True, validate=validate.OneOf(ISSUES))
    municipality = fields.String(allow_none=True, load_default=None, validate=MUNICIPALITY_CODE)
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    wants_mediation = fields.Boolean(required=True)
    steps = fields.List(fields.Nested(PlanStepData), required=True)
    partner_referrals = fields.List(fields.String(), required=True)


class ReferralClockData(_Strict):
    """routing → notification, intake, analytics: a deadline is due or the next step opened."""
    case_ref = fields.String(required=True)
    channel_id = fields.String(required=True)
    due_on = fields.Date(required=True)


class ReferralPartnerStatusData(_Strict):
    """routing → intake, casework, analytics: a partner said where a referral it holds stands (a status and an
    outcome code from closed lists, libs/contracts/partner_updates.py; never anything the partner wrote)."""
    case_ref = fields.String(required=True)
    partner_id = fields.String(required=True, validate=validate.Regexp(PARTNER_ID_PATTERN))
    status = fields.String(required=True, validate=validate.OneOf(UPDATE_STATUSES))
    outcome = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(OUTCOME_CODES))
    changed_at = fields.AwareDateTime(required=True)  # when the status changed at the partner
    referred_on = fields.Date(required=True)  # when routing referred the case to this partner


class MediationAssignedData(_Strict):
    """notification → intake, analytics."""
    case_ref = fields.String(required=True)
    mediator_id = fields.String(required=True)
    assigned_on = fields.Date(required=True)


class MediationUnmatchedData(_Strict):
    """notification → analytics, desk: nobody fits; the case waits in the desk's fallback queue."""
    case_ref = fields.String(required=True)
    reason = fields.String(required=True)


class MediationOutcomeData(_Strict):
    """notification → intake, analytics."""
    case_ref = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(MEDIATION_OUTCOMES))
    satisfaction = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(1, 5))
    recorded_on = fields.Date(required=True)


BASE64 = validate.Regexp(r"^[A-Za-z0-9+/]+=*$")
KEY_ID = validate.Regexp(r"^[0-9a-f]{16}$")
SEALED_ITEM_KINDS = ("description", "contact", "institution_name")


class WrappedKeyData(_Strict):
    key_id = fields.String(required=True, validate=KEY_ID)
    wrapped = fields.String(required=True, validate=[validate.Length(max=256), BASE64])


class ComplaintSealedData(ComplaintReceivedData):
    """intake → casework only: the complaint's facts (as in complaint.received) with its case file as intake sealed
    it (libs/contracts/sealing.py). Ciphertext and public keys only: the items are sealed boxes to the case's public
    key, and the case's private key is wrapped for the key directory's readers. Nobody on the way (broker, dead
    letters, casework's database) can read it. One event, so casework never holds sealed content without its case."""
    case_public_key = fields.String(required=True, validate=[validate.Length(equal=44), BASE64])
    items = fields.Dict(keys=fields.String(validate=validate.OneOf(SEALED_ITEM_KINDS)),
                        values=fields.String(validate=[validate.Length(max=200_000), BASE64]), required=True)
    wraps = fields.List(fields.Nested(WrappedKeyData), required=True, validate=validate.Length(min=1, max=200))
    key_directory_version = fields.Integer(allow_none=True, load_default=None)


class DirectoryKeyData(_Strict):
    key_id = fields.String(required=True, validate=KEY_ID)
    public_key = fields.String(required=True, validate=[validate.Length(equal=44), BASE64])
    purpose = fields.String(required=True, validate=validate.OneOf(("case_reader", "recovery")))


class StaffKeyDirectoryData(_Strict):
    """casework → intake: the public keys every new case is sealed for (active case handlers and coordinators, and
    the desk's recovery key). Each publication replaces the previous one; `version` only grows."""
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    keys = fields.List(fields.Nested(DirectoryKeyData), required=True, validate=validate.Length(min=1, max=200))


CASE_STATUSES = ("new", "in_progress", "waiting_person", "waiting_institution", "referred", "closed")
CLOSURE_REASONS = ("resolved", "referred_on", "no_contact", "withdrawn_by_person", "outside_remit", "duplicate")


class CaseStatusChangedData(_Strict):
    """casework → analytics: the desk's work on a case, for the evaluation (time to first action, to closure, why
    closed). The first change away from `new` is the desk's first action."""
    case_ref = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(CASE_STATUSES))
    previous_status = fields.String(required=True, validate=validate.OneOf(CASE_STATUSES))
    closure_reason = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(CLOSURE_REASONS))
    changed_on = fields.Date(required=True)


# -- "did it help?" and "is it solved?": the person's answers (questions: intake's follow-up page) --------------
# what the person is asked about: a closed case ("did it help?") or an answer that was due ("is it solved?")
FEEDBACK_ABOUT = ("closure", "answer_due")
# what closed the case: the desk closed it, the mediator's outcome, or the plan's last step ended (its clock ran out)
FEEDBACK_TRIGGERS = ("closed_by_desk", "mediation_outcome", "plan_ended", "answer_due")
SOLVED_ANSWERS = ("yes", "partly", "no")
TREATMENT_SCALE = validate.Range(1, 5)  # 1 very badly ... 5 very well (the page's labels: intake/web/labels.py)


class FeedbackRequestedData(_Strict):
    """intake → notification: the person is now asked "did it help?" on the follow-up page. No content and no
    answer: notification only sends the content-free e-mail, to a person who agreed to be contacted."""
    case_ref = fields.String(required=True)
    trigger = fields.String(required=True, validate=validate.OneOf(FEEDBACK_TRIGGERS))
    asked_on = fields.Date(required=True)


class FeedbackGivenData(_Strict):
    """intake → casework (a reopen request puts the case back in the desk's queue), analytics (the evaluation).
    Closed-list answers only; a free answer travels sealed for the desk as a conversation message
    (`conversation.person_wrote`), and `with_comment` only says that there is one."""
    case_ref = fields.String(required=True)
    about = fields.String(required=True, validate=validate.OneOf(FEEDBACK_ABOUT))
    trigger = fields.String(required=True, validate=validate.OneOf(FEEDBACK_TRIGGERS))
    solved = fields.String(required=True, validate=validate.OneOf(SOLVED_ANSWERS))
    answer_came = fields.Boolean(allow_none=True, load_default=None)  # "is it solved?" only
    institution_treatment = fields.Integer(allow_none=True, load_default=None, validate=TREATMENT_SCALE)
    desk_treatment = fields.Integer(allow_none=True, load_default=None, validate=TREATMENT_SCALE)
    reopen = fields.Boolean(required=True)
    with_comment = fields.Boolean(required=True)
    given_on = fields.Date(required=True)


# -- the conversation between the person and the desk (the text and files sealed: sealing.py, attachments.py) --
ATTACHMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENTS_PER_MESSAGE = 3
MESSAGE_ID = validate.Regexp(r"^[0-9a-f]{32}$")


class SealedAttachmentData(_Strict):
    attachment_id = fields.String(required=True, validate=MESSAGE_ID)
    content_type = fields.String(required=True, validate=validate.OneOf(ATTACHMENT_TYPES))
    size = fields.Integer(required=True, validate=validate.Range(min=1, max=ATTACHMENT_MAX_BYTES))
    # base64 of the secretstream (header + 17 bytes per 64 KiB chunk): at most ~4/3 of the file, plus a little
    sealed = fields.String(required=True, validate=[validate.Length(max=7_100_000), BASE64])


class ConversationMessageData(_Strict):
    """A message in a case's conversation: `sealed` is a sealed box to the case's public key (kind "message": the
    text, the files' names and keys). Only the service it is for consumes it (SEALED_EVENTS)."""
    case_ref = fields.String(required=True)
    message_id = fields.String(required=True, validate=MESSAGE_ID)
    sealed = fields.String(required=True, validate=[validate.Length(max=200_000), BASE64])
    attachments = fields.List(fields.Nested(SealedAttachmentData), load_default=list,
                              validate=validate.Length(max=ATTACHMENTS_PER_MESSAGE))
    sent_at = fields.DateTime(required=True)


class DeskMessageData(ConversationMessageData):
    """casework → intake: the desk's message, readable by the person with the receipt. `request_due`: the desk asked
    for something (information, a document) by that date."""
    request_due = fields.Date(allow_none=True, load_default=None)


class MessagesReadData(_Strict):
    """Read marks, no content: intake tells casework what the person read, casework tells intake what the desk read."""
    case_ref = fields.String(required=True)
    message_ids = fields.List(fields.String(validate=MESSAGE_ID), required=True,
                              validate=validate.Length(min=1, max=500))
    read_at = fields.DateTime(required=True)


class DeskMessageWaitingData(_Strict):
    """casework → notification: a message from the desk waits on the follow-up page. No content: notification tells
    the person (who agreed to be contacted) that there is a message, never what it says."""
    case_ref = fields.String(required=True)
    message_id = fields.String(required=True, validate=MESSAGE_ID)


class SignalObservationData(_Strict):
    """casework → analytics: the coordinator's written observation on a sector for one quarter, to be printed in
    the signal report. The one free text on the event bus that is not sealed: staff write it for publication, the
    workspace refuses anything that looks like contact details or a case reference, and it names no case. An
    empty observation withdraws the earlier one; the one written last wins."""
    sector = fields.String(required=True, validate=validate.OneOf(SIGNAL_SECTORS))
    quarter = fields.String(required=True, validate=QUARTER)
    observation = fields.String(required=True, validate=validate.Length(max=OBSERVATION_MAX_LENGTH))
    written_at = fields.AwareDateTime(required=True)


# event type → (source service, data schema). The single list every producer, consumer and doc reads.
CATALOGUE = {
    "complaint.received": ("intake", ComplaintReceivedData),
    "complaint.progress_reported": ("intake", ComplaintProgressData),
    "complaint.withdrawn": ("intake", ComplaintWithdrawnData),
    "complaint.messages_requested": ("intake", ComplaintMessagesRequestedData),
    "complaint.messages_stopped": ("intake", ComplaintMessagesStoppedData),
    "referral.planned": ("routing", ReferralPlannedData),
    "referral.deadline_due": ("routing", ReferralClockData),
    "referral.escalation_available": ("routing", ReferralClockData),
    "referral.partner_status_changed": ("routing", ReferralPartnerStatusData),
    "mediation.assigned": ("notification", MediationAssignedData),
    "mediation.unmatched": ("notification", MediationUnmatchedData),
    "mediation.outcome_recorded": ("notification", MediationOutcomeData),
    "complaint.sealed": ("intake", ComplaintSealedData),
    "staff.key_directory_published": ("casework", StaffKeyDirectoryData),
    "case.status_changed": ("casework", CaseStatusChangedData),
    "conversation.person_wrote": ("intake", ConversationMessageData),
    "conversation.read_by_person": ("intake", MessagesReadData),
    "conversation.desk_wrote": ("casework", DeskMessageData),
    "conversation.read_by_desk": ("casework", MessagesReadData),
    "conversation.desk_message_waiting": ("casework", DeskMessageWaitingData),
    "complaint.feedback_requested": ("intake", FeedbackRequestedData),
    "complaint.feedback_given": ("intake", FeedbackGivenData),
    "signal.observation_written": ("casework", SignalObservationData),
}

# Events carrying sealed content, and the one service each is for: no other service may subscribe to them (tested
# against every service's @consumes table).
SEALED_EVENTS = {"complaint.messages_requested": "notification", "complaint.sealed": "casework",
                 "conversation.person_wrote": "casework", "conversation.desk_wrote": "intake"}
# Events carrying a sealed contact: for notification only; analytics and routing never subscribe to them.
SEALED_CONTACT_EVENTS = ("complaint.messages_requested",)
# Events about contacting the person (the request with its sealed address, and its withdrawal): notification, which
# sends the messages, and casework, whose staff must see that the person no longer wants to be contacted.
CONTACT_EVENTS = SEALED_CONTACT_EVENTS + ("complaint.messages_stopped",)


# event type → the entrypoint method that consumes it in every service. Queue names (`evt-<source>-<type>--<service>
# .<method>`) and the `entrypoint` label of the handler metrics are made from these, so they never change.
HANDLER_NAMES = {
    "complaint.progress_reported": "on_progress_reported",
    "mediation.outcome_recorded": "on_mediation_outcome",
    "referral.deadline_due": "on_deadline_due",
    "referral.escalation_available": "on_escalation_available",
    "complaint.messages_requested": "on_messages_requested",
    "complaint.messages_stopped": "on_messages_stopped",
}


def handler_name(event_type):
    """`complaint.received` → `on_complaint_received`, unless HANDLER_NAMES says otherwise."""
    return HANDLER_NAMES.get(event_type) or "on_" + event_type.replace(".", "_")


def validate_data(event_type, data):
    """Load (validate) an event's data; raises KeyError for an unknown type, ValidationError for bad data."""
    _source, schema = CATALOGUE[event_type]
    return schema().load(data)


# -- the CloudEvents envelope -------------------------------------------------------------------------------
SPECVERSION = "1.0"


class EnvelopeSchema(Schema):
    class Meta:
        unknown = RAISE

    specversion = fields.String(required=True, validate=validate.Equal(SPECVERSION))
    id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    source = fields.String(required=True, validate=validate.Length(min=1, max=128))
    type = fields.String(required=True, validate=validate.Length(min=1, max=128))
    time = fields.String(required=True)
    datacontenttype = fields.String(required=True)
    subject = fields.String(allow_none=True, load_default=None)
    correlationid = fields.String(allow_none=True, load_default=None)
    # the CloudEvents distributed-tracing extension (W3C trace context); absent when the event was made outside a
    # trace. A malformed one is ignored by the consumer (a new trace), not a reason to reject the event.
    traceparent = fields.String()
    tracestate = fields.String()
    data = fields.Dict(required=True)


def cloudevent_type(event_type):
    return f"nl.voorportaal.{event_type}.v1"


def event_type_of(ce_type):
    """`nl.voorportaal.complaint.received.v1` → `complaint.received`."""
    prefix, suffix = "nl.voorportaal.", ".v1"
    if not (ce_type.startswith(prefix) and ce_type.endswith(suffix)):
        raise ValueError("not a voorportaal event type")
    return ce_type[len(prefix):-len(suffix)]


def now_iso():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def make_envelope(ce_type, source, data, subject=None, correlation_id=None, event_id=None):
    return {
        "specversion": SPECVERSION,
        "id": event_id or str(uuid.uuid4()),
        "source": source,
        "type": ce_type,
        "time": now_iso(),
        "datacontenttype": "application/json",
        "subject": subject,
        "correlationid": correlation_id,
        "data": data,
    }


@functools.cache
def _schema(schema_cls):
    """One instance per schema class: building a marshmallow schema costs more than loading with it, and a
    schema without context or state is safe to share between greenthreads."""
    return schema_cls()


def internal_event(event_type, data, correlation_id=None):
    """Validate `data` against the catalogue and wrap it. Raises ValidationError on bad data."""
    source_service, schema_cls = CATALOGUE[event_type]
    schema = _schema(schema_cls)
    unexpected = set(data) - set(schema.fields)
    if unexpected:
        # dump() would silently drop them; a producer adding fields must change the catalogue first
        raise ValidationError({name: ["Not part of this event's schema."] for name in sorted(unexpected)})
    serialised = schema.dump(data)
    schema.load(serialised)  # validate what will actually travel
    return make_envelope(cloudevent_type(event_type), f"urn:voorportaal:{source_service}", serialised,
                         correlation_id=correlation_id)


def read_internal_event(envelope):
    """Validate an incoming envelope; returns (event_type, loaded data). Raises ValidationError/ValueError."""
    envelope = _schema(EnvelopeSchema).load(envelope)
    event_type = event_type_of(envelope["type"])
    if event_type not in CATALOGUE:
        raise ValueError("unknown event type")
    _source, schema_cls = CATALOGUE[event_type]
    return event_type, _schema(schema_cls).load(envelope["data"])
