"""The public face of the intake form: one function per page, each returning a complete HTML string.

page_handlers.py calls these; it and service.py own the routes (see urls.py), CSRF tokens, storage and receipts.
"""
from . import labels
from .complaint_payload import form_to_complaint
from .form_fields import FINANCIAL_INSTITUTIONS, FORM_STEPS, STEP_FIELDS
from .follow_up_actions import PROGRESS_CHOICES, chosen_action, feedback_values, parse_progress
from .form_flow import next_step
from .languages import SUPPORTED_LANGUAGES, checked_language, negotiate_language
from .municipalities import MUNICIPALITY_NAMES
from .plan_texts import PlanTexts, localised_plan
from .rendering import render
from .route_question import parse_route_question
from .static_files import static_file

__all__ = [
    "SUPPORTED_LANGUAGES", "FORM_STEPS", "negotiate_language", "render_start", "render_form_step", "next_step",
    "form_to_complaint", "render_confirmation", "render_follow_up", "render_route_explorer", "render_error",
    "static_file", "parse_route_question", "chosen_action", "parse_progress", "feedback_values",
]

# How the review page shows each field: an enum label, a date, or the text as typed.
_LABEL_MAPS = {
    "reporter_role": labels.ROLE_LABELS, "institution_type": labels.INSTITUTION_LABELS,
    "issue": labels.ISSUE_LABELS, "capacity": labels.CAPACITY_LABELS, "contact_method": labels.CONTACT_METHOD_LABELS,
    "prior_complaint": labels.YES_NO_LABELS, "wants_mediation": labels.YES_NO_LABELS,
    "consent_referral": labels.YES_NO_LABELS, "consent_share_description": labels.YES_NO_LABELS,
    "consent_contact": labels.YES_NO_LABELS, "contact_no_voicemail": labels.YES_NO_LABELS,
    "consent_share_with_mediator": labels.YES_NO_LABELS, "prior_extension_notified": labels.YES_NO_LABELS,
    "prior_advisory_committee": labels.YES_NO_UNKNOWN_LABELS, "first_complaint_unreasonable": labels.YES_NO_LABELS,
    "public_body": labels.YES_NO_LABELS, "about_care": labels.YES_NO_UNKNOWN_LABELS,
    "housing_corporation": labels.YES_NO_UNKNOWN_LABELS,
}
_DATE_FIELDS = ("incident_date", "prior_filed_on", "prior_final_answer_on")


def _review_row(field, value):
    if field in _LABEL_MAPS:
        return field, "label", _LABEL_MAPS[field].get(value)
    if field in _DATE_FIELDS:
        return field, "date", value
    if field == "municipality":
        return field, "text", MUNICIPALITY_NAMES.get(value)
    return field, "text", value


def _shown_on_review(field, values):
    """Leave out questions that were not asked or do not apply, so the summary reads like the answers given."""
    if field == "capacity":
        return values.get("institution_type") in FINANCIAL_INSTITUTIONS
    if field in ("prior_filed_on", "prior_final_answer_on", "prior_extension_notified", "prior_advisory_committee"):
        return values.get("prior_complaint") == "yes"
    if field == "first_complaint_unreasonable":
        return values.get("prior_complaint") == "no"
    if field == "public_body":
        return values.get("institution_type") == "care_provider"
    if field == "about_care":
        return values.get("public_body") == "yes"
    if field == "housing_corporation":
        return values.get("institution_type") == "landlord"
    if field == "consent_share_with_mediator":
        return values.get("wants_mediation") == "yes"
    if field in ("contact_address", "contact_safe_times", "contact_no_voicemail"):
        return values.get("contact_method") in ("email", "phone")
    return True


def _review_sections(values):
    return [
        (step, [_review_row(field, values.get(field, "")) for field in STEP_FIELDS[step]
                if _shown_on_review(field, values)])
        for step in FORM_STEPS if STEP_FIELDS[step]
    ]


def render_start(lang, csrf_token):
    return render(checked_language(lang), "start.html", csrf_token=csrf_token)


def render_form_step(lang, step, values, errors, csrf_token):
    step = step if step in FORM_STEPS else FORM_STEPS[0]
    values = dict(values or {})
    if step == "contact" and not values.get("contact_method"):
        values["contact_method"] = "none"    # anonymous unless the person chooses otherwise
    # Every answer from the other steps rides along in hidden inputs; the review step shows them all.
    carried = [name for other in FORM_STEPS if other != step for name in STEP_FIELDS[other]]
    return render(
        checked_language(lang), "form_step.html",
        step=step, step_number=FORM_STEPS.index(step) + 1, step_count=len(FORM_STEPS),
        step_titles=labels.STEP_TITLES,
        values=values, errors=errors or {}, csrf_token=csrf_token, carried_fields=carried,
        review_sections=_review_sections(values) if step == "review" else [],
    )


def render_confirmation(lang, reference, receipt, status_url):
    return render(checked_language(lang), "confirmation.html",
                  reference=reference, receipt=receipt, status_url=status_url)


def render_follow_up(lang, csrf_token, status, error, *, receipt=None, values=None, errors=None, notice=None,
                     confirm_withdraw=False, conversation=(), message_errors=None, feedback=None):
    """`error` is a code (see labels.FOLLOW_UP_ERRORS); unknown codes get a generic message, never echoed.

    With a `status`, the page also offers the actions (report progress, withdraw); their forms carry the reference
    and `receipt` in hidden fields. `errors` are the progress form's, `notice` a key of labels.FOLLOW_UP_NOTICES,
    and `confirm_withdraw` asks "are you sure?" instead of showing the status."""
    lang = checked_language(lang)
    message = None
    if error:
        message = labels.FOLLOW_UP_ERRORS.get(error, labels.GENERIC_FOLLOW_UP_ERROR)
    if status:
        texts = PlanTexts(lang)
        status = dict(status, steps=[texts.step(step) for step in status.get("steps") or []])
    return render(lang, "follow_up.html",
                  csrf_token=csrf_token, status=status, error_message=message, receipt=receipt,
                  values=values or {}, errors=errors or {}, notice=labels.FOLLOW_UP_NOTICES.get(notice),
                  confirm_withdraw=bool(status and confirm_withdraw), conversation=conversation,
                  message_errors=message_errors or {},
                  feedback=feedback or {"answers": {}, "errors": {}, "refused": None},
                  progress_options={kind: labels.PROGRESS_LABELS[kind] for kind in PROGRESS_CHOICES})


def render_route_explorer(lang, csrf_token, values, plan, errors):
    lang = checked_language(lang)
    return render(lang, "options.html", csrf_token=csrf_token, values=values or {},
                  plan=localised_plan(plan, lang) if plan else None, errors=errors or {})


def render_error(lang, status_code):
    """A generic page per status code. It never shows anything from the request."""
    title, message = labels.ERROR_PAGES.get(status_code, labels.ERROR_PAGES[500])
    return render(checked_language(lang), "error.html", title=title, message=message, errors={})
