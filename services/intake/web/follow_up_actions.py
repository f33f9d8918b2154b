"""What a person can do on the follow-up page besides looking: report progress, answer "did it help?" / "is it
solved?", stop the messages we send them (the complaint stays open), or withdraw and erase.

Every action form posts back to the follow-up address with the reference and the receipt in hidden fields (never
in the URL), so each action checks the receipt again; nothing about the person is kept between requests.
"""
import datetime

from .form_fields import check_choice, check_past_date, clean_text

# What the person can report, as the API's progress kinds (POST /api/v1/complaints/{reference}/updates).
PROGRESS_CHOICES = ("filed_with_institution", "final_answer_received", "no_answer_yet", "extension_notified")
ACTIONS = ("show", "progress", "stop_messages", "withdraw", "withdraw_confirmed", "write_message", "download",
           "feedback")
FEEDBACK_FIELDS = ("answer_came", "solved", "institution_treatment", "desk_treatment", "reopen", "comment")


def chosen_action(form):
    action = form.get("action", "show")
    return action if action in ACTIONS else "show"


def parse_progress(form, today=None):
    """({kind, on} for the progress update or None when there are errors, values, {field: error code}).

    "No answer yet" needs no date: it is reported for today."""
    today = today or datetime.date.today()
    values = {name: clean_text(form.get(name, "")) for name in ("progress_kind", "progress_on")}
    errors = {}
    check_choice(values, errors, "progress_kind", PROGRESS_CHOICES, required=True)
    on = check_past_date(values, errors, "progress_on", today)
    if values["progress_kind"] == "no_answer_yet" and "progress_on" not in errors:
        on = on or today
    elif on is None and "progress_on" not in errors and "progress_kind" not in errors:
        errors["progress_on"] = "required"
    if errors:
        return None, values, errors
    return {"kind": values["progress_kind"], "on": on}, values, errors


def feedback_values(form):
    """The feedback form's raw values (checked by the use case's rules, domain/feedback.py, as the API's are)."""
    return {name: (form.get(name, "") if name == "comment" else clean_text(form.get(name, "")))
            for name in FEEDBACK_FIELDS}
