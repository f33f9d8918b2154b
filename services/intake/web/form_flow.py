"""Moving through the multi-step form without JavaScript: each POST names its step and an action.

The buttons send `action=next` (continue), `action=back`, or `goto=<step>` (the "change" buttons on the review
page). Going back or jumping never validates, so nothing typed is lost; going forward validates the current step,
and the review step re-checks every step because hidden fields can be edited by anyone. After a "change" the
person returns straight to the review (`values["return_to"]`, carried in a hidden field), not through every step.
"""
from .form_fields import FORM_STEPS, read_values, validate_step


def next_step(current_step, form, today=None):
    """(next step name, or None to submit; normalised values; {field: error_code})."""
    values = read_values(form)
    values["return_to"] = "review" if form.get("return_to") == "review" else ""
    if current_step not in FORM_STEPS:
        return FORM_STEPS[0], values, {}
    position = FORM_STEPS.index(current_step)
    if form.get("goto") in FORM_STEPS:
        values["return_to"] = "review" if current_step == "review" else ""
        return form.get("goto"), values, {}
    if form.get("action") == "back":
        values["return_to"] = ""
        return FORM_STEPS[max(position - 1, 0)], values, {}

    returning = values["return_to"] == "review" or current_step == "review"
    steps_to_check = FORM_STEPS if returning else FORM_STEPS[:position + 1]
    for step in steps_to_check:
        values, errors = validate_step(step, values, today)
        if errors:
            return step, values, errors
    values["return_to"] = ""
    if current_step == "review":
        return None, values, {}
    return ("review" if returning else FORM_STEPS[position + 1]), values, {}
