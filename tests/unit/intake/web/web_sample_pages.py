"""Every page in a representative state, for the tests and for render_pages.py (screenshots)."""
from services.intake.web import pages

CSRF = "csrf-test-token"

FILLED_VALUES = {
    "reporter_role": "sex_worker", "institution_type": "bank", "institution_name": "Voorbeeldbank",
    "municipality": "GM0363", "issue": "account_refused_or_closed", "incident_date": "2026-03-31",
    "capacity": "business", "prior_complaint": "yes", "prior_filed_on": "2026-04-02",
    "prior_final_answer_on": "",
    "description": "The bank closed my account after I told them what I do.\nNo reason given.",
    "wants_mediation": "yes", "contact_method": "email", "contact_address": "me@example.org",
    "contact_safe_times": "weekdays 10-12", "contact_no_voicemail": "yes",
    "consent_referral": "yes", "consent_share_description": "no", "consent_contact": "yes",
}

PLAN = {
    "steps": [
        {"order": 1, "channel_id": "bank-internal", "name": "The bank's own complaint procedure",
         "why": "A bank must first get the chance to answer your complaint itself.", "status": "open",
         "dates": {"file_by": "2026-12-31", "answer_due": "2027-01-28"}},
        {"order": 2, "channel_id": "kifid", "name": "Kifid",
         "why": "Kifid handles disputes with financial institutions.", "status": "planned",
         "dates": {"escalate_by": "2027-04-28", "something_new": "2027-05-01"}},
    ],
    "support": [{"name": "PROUD", "why": "Union of sex workers", "phone": "020 123 45 67",
                 "url": "https://example.org/"}, "A support organisation in your region"],
    "warnings": ["The deadline for the bank's procedure is close."],
    "signal": True,
}

STATUS = {
    "reference": "VP-7KQ2-M9XD", "status": "planned",
    "steps": [{"channel_id": "kifid", "channel_name": "Kifid", "why": "Disputes with financial institutions.",
               "status": "waiting", "answer_due": "2027-01-28", "escalate_by": "2027-04-28"}],
    "mediator": {"assigned": True},
    "messages": ["The bank has been informed.", {"date": "2026-11-20", "text": "A mediator has been assigned."}],
}


def all_pages(lang):
    """{page name: html} covering every template and the interesting states."""
    rendered = {
        "start": pages.render_start(lang, CSRF),
        "confirmation": pages.render_confirmation(lang, "VP-7KQ2-M9XD", "ab12-cd34-ef56-gh78-ij90",
                                                  f"/{lang}/follow-up"),
        "follow_up": pages.render_follow_up(lang, CSRF, None, None),
        "follow_up_error": pages.render_follow_up(lang, CSRF, None, "not_found"),
        "follow_up_status": pages.render_follow_up(lang, CSRF, STATUS, None),
        "options": pages.render_route_explorer(lang, CSRF, {}, None, {}),
        "options_errors": pages.render_route_explorer(lang, CSRF, {"municipality": "GM9999"}, None,
                                                      {"institution_type": "required_choice",
                                                       "municipality": "invalid_municipality"}),
        "options_plan": pages.render_route_explorer(lang, CSRF, FILLED_VALUES, PLAN, {}),
        "error_404": pages.render_error(lang, 404),
        "error_500": pages.render_error(lang, 500),
    }
    for step in pages.FORM_STEPS:
        rendered[f"form_{step}"] = pages.render_form_step(lang, step, FILLED_VALUES, {}, CSRF)
    rendered["form_about_empty"] = pages.render_form_step(lang, "about", {}, {}, CSRF)
    rendered["form_what_errors"] = pages.render_form_step(
        lang, "what", {"institution_type": "insurer"}, {"issue": "required_choice", "description": "too_long",
                                                        "incident_date": "invalid_date"}, CSRF)
    rendered.update(action_pages(lang))
    return rendered


def coded_plan(**facts):
    """A real plan from the routing engine, with its explanation codes (as the options page gets it)."""
    from services.intake.web.page_data import plan_for_page
    query = {"municipality": None, "capacity": None, "incident_date": None, "prior_complaint": None,
             "reporter_role": "sex_worker", **facts}
    return plan_for_page(query)


BIG_PLANS = {
    "discrimination_by_municipality": dict(institution_type="municipality", issue="discrimination",
                                           municipality="GM0202", reporter_role="operator"),
    "violence_by_police": dict(institution_type="police", issue="violence"),
    "privacy_health_insurer": dict(institution_type="health_insurer", issue="privacy"),
    "bank_account": dict(institution_type="bank", issue="account_refused_or_closed",
                         prior_complaint={"filed_on": "2025-01-06", "final_answer_on": None}),
}


def action_pages(lang):
    """The follow-up page's actions: status with a report form in error, the withdrawal question, the notices,
    the stop-messages form of a person who asked for messages."""
    status = dict(STATUS, mediator={"assigned": True, "assigned_on": "2026-11-20", "outcome": "resolved"},
                  progress=[{"kind": "filed_with_institution", "on": "2026-11-02"}])
    return {
        "follow_up_progress_errors": pages.render_follow_up(
            lang, CSRF, status, None, receipt="ab12-cd34-ef56-gh78-ij90", values={"progress_on": "31-02-2026"},
            errors={"progress_kind": "required_choice", "progress_on": "invalid_date"}),
        "follow_up_progress_saved": pages.render_follow_up(lang, CSRF, status, None, receipt="x",
                                                           notice="progress_saved"),
        "follow_up_confirm_withdraw": pages.render_follow_up(lang, CSRF, status, None, receipt="x",
                                                             confirm_withdraw=True),
        "follow_up_withdrawn": pages.render_follow_up(lang, CSRF, None, None, notice="withdrawn"),
        "follow_up_with_messages": pages.render_follow_up(lang, CSRF, dict(status, contact_consent=True), None,
                                                          receipt="ab12-cd34-ef56-gh78-ij90"),
        "follow_up_messages_stopped": pages.render_follow_up(lang, CSRF, status, None, receipt="x",
                                                             notice="messages_stopped"),
        **{f"options_{name}": pages.render_route_explorer(lang, CSRF, {}, coded_plan(**facts), {})
           for name, facts in BIG_PLANS.items()},
    }
